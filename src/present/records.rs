//! The JSON records of the CLI's `--json` lines and the server's `/v1/`
//! answers. Field order is the JSON's key order: tests compare it byte for
//! byte.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{display_text, variant_text};
use crate::error::Result;
use crate::glossary::{LookupHit, ScanHit};
use crate::lang::Lang;
use crate::tm::{ConcordanceHit, EditBreakdown, Match};

/// A TM match: `korpu tm lookup --json`'s `matches`, `/v1/tm/lookup`'s.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MatchRecord {
    /// 101 (in context), 100 (exact) or the fuzzy score.
    pub score: u8,
    /// The stored source segment, as text.
    pub source: String,
    /// The stored target segment, as text.
    pub target: String,
    /// The unit's `tuid`, if it has one.
    pub tuid: Option<String>,
    /// `context`, `exact` or `fuzzy`.
    pub kind: &'static str,
    /// The stored unit.
    pub unit_id: u64,
    /// The source variant's language tag.
    pub source_lang: String,
    /// The target variant's language tag.
    pub target_lang: String,
    /// The target with the numbers the query changed substituted.
    pub adapted_target: String,
    /// The edits, by kind, that separate the query from the source.
    pub breakdown: EditBreakdown,
}

impl From<&Match> for MatchRecord {
    fn from(m: &Match) -> MatchRecord {
        MatchRecord {
            score: m.score,
            source: variant_text(&m.source),
            target: variant_text(&m.target),
            tuid: m.tuid.clone(),
            kind: m.kind.as_str(),
            unit_id: m.unit_id,
            source_lang: m.source.lang.as_str().to_string(),
            target_lang: m.target.lang.as_str().to_string(),
            adapted_target: display_text(&m.adapted_target),
            breakdown: m.breakdown,
        }
    }
}

/// One query's matches: a `korpu tm lookup --json` line, `/v1/tm/lookup`'s
/// answer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LookupRecord {
    /// The query as given.
    pub query: String,
    /// Its matches, best first.
    pub matches: Vec<MatchRecord>,
}

impl LookupRecord {
    /// The record of `matches` found for `query`.
    pub fn new(query: impl Into<String>, matches: &[Match]) -> LookupRecord {
        LookupRecord {
            query: query.into(),
            matches: matches.iter().map(MatchRecord::from).collect(),
        }
    }
}

/// A concordance hit: a `korpu tm concordance --json` line, an element of
/// `/v1/tm/concordance`'s answer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConcordanceRecord {
    /// The unit.
    pub unit_id: u64,
    /// Its `tuid`.
    pub tuid: Option<String>,
    /// The language of the variant that contains the phrase.
    pub lang: String,
    /// That variant's plain text, which `spans` index.
    pub text: String,
    /// Byte ranges of each occurrence in `text`.
    pub spans: Vec<[usize; 2]>,
    /// The unit's other variants' text, by language tag (the first of each).
    pub translations: BTreeMap<String, String>,
}

impl From<&ConcordanceHit> for ConcordanceRecord {
    fn from(h: &ConcordanceHit) -> ConcordanceRecord {
        let mut translations = BTreeMap::new();
        for v in &h.translations {
            translations
                .entry(v.lang.as_str().to_string())
                .or_insert_with(|| variant_text(v));
        }
        ConcordanceRecord {
            unit_id: h.unit_id,
            tuid: h.tuid.clone(),
            lang: h.variant.lang.as_str().to_string(),
            text: h.text.clone(),
            spans: h.spans.iter().map(|&(s, e)| [s, e]).collect(),
            translations,
        }
    }
}

/// A glossary lookup hit: a `korpu glossary lookup --json` line, an element
/// of `/v1/glossary/lookup`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TermHitRecord {
    /// The concept's id.
    pub concept: String,
    /// The term's language tag.
    pub lang: String,
    /// The term.
    pub term: String,
    /// How it matched (`exact`, `case`, `loose`, `translit`, `prefix`,
    /// `fuzzy`).
    #[serde(rename = "match")]
    pub level: &'static str,
    /// The edit distance of a fuzzy match, else 0.
    pub distance: u32,
    /// The concept's terms in other languages (or in `to`), by language tag.
    pub translations: BTreeMap<String, Vec<String>>,
}

impl TermHitRecord {
    /// The record of `hit`, with translations into `to` (all other
    /// languages without). Decodes the hit's concept.
    pub fn new(hit: &LookupHit<'_>, to: Option<&Lang>) -> Result<TermHitRecord> {
        let t = hit.term();
        Ok(TermHitRecord {
            concept: hit.concept_id().to_string(),
            lang: t.lang.as_str().to_string(),
            term: t.text.to_string(),
            level: hit.level.as_str(),
            distance: hit.distance,
            translations: hit.concept()?.translations_by_lang(&t.lang, to),
        })
    }
}

/// A glossary term found in text: a `korpu glossary scan --json` line, an
/// element of `/v1/glossary/scan`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ScanHitRecord {
    /// Byte offset of the match in the input.
    pub start: usize,
    /// Byte offset one past its end.
    pub end: usize,
    /// The text matched (the surface form, suffix included).
    pub text: String,
    /// The concept's id.
    pub concept: String,
    /// The term that matched.
    pub term: String,
    /// `inflected`, or the key level.
    #[serde(rename = "match")]
    pub kind: &'static str,
    /// The key level, also for inflected forms (an addition to the contract).
    pub level: &'static str,
    /// The concept's terms in other languages (or in `to`), by language tag.
    pub translations: BTreeMap<String, Vec<String>>,
}

impl ScanHitRecord {
    /// The record of `hit`, found in `text`, with offsets moved by `offset`
    /// (the CLI counts a UTF-8 BOM the scanned text no longer has), and
    /// translations into `to` (all other languages without).
    pub fn new(hit: &ScanHit, text: &str, offset: usize, to: Option<&Lang>) -> ScanHitRecord {
        let t = hit.term();
        ScanHitRecord {
            start: hit.start + offset,
            end: hit.end + offset,
            text: text.get(hit.start..hit.end).unwrap_or_default().to_string(),
            concept: hit.concept.id.clone(),
            term: t.text.clone(),
            kind: hit.match_name(),
            level: hit.level.as_str(),
            translations: hit.concept.translations_by_lang(&t.lang, to),
        }
    }
}
