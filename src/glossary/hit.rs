//! Hits: what [`Glossary::lookup`], [`prefix`](Glossary::prefix) and
//! [`fuzzy`](Glossary::fuzzy) return ([`LookupHit`], its [`TermRef`] and
//! [`MatchLevel`]), and how postings become hits: deduplicated, the nearest
//! kept, decoded and ranked.

use crate::error::Result;
use crate::lang::Lang;
use crate::model::Concept;
use crate::text::KeyLevel;

use super::Glossary;
use super::file::{self, Posting};
use super::term::TermRef;

/// The level at which a glossary term matched a query, best first; the
/// `match` field of the CLI's JSON (where a scan also reports `inflected`,
/// see [`ScanHit::match_name`](super::ScanHit::match_name)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchLevel {
    /// Same text (up to Unicode normal form).
    Exact,
    /// Same text ignoring case (Turkic-aware).
    Case,
    /// Same text ignoring case and diacritics.
    Loose,
    /// Same text once transliterated (`Shusha` / `Şuşa`).
    Translit,
    /// The query is a prefix of the term ([`Glossary::prefix`]).
    Prefix,
    /// Within an edit distance ([`Glossary::fuzzy`]).
    Fuzzy,
}

impl MatchLevel {
    /// The name the CLI and JSON use: `exact`, `case`, `loose`, `translit`,
    /// `prefix`, `fuzzy`.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchLevel::Exact => "exact",
            MatchLevel::Case => "case",
            MatchLevel::Loose => "loose",
            MatchLevel::Translit => "translit",
            MatchLevel::Prefix => "prefix",
            MatchLevel::Fuzzy => "fuzzy",
        }
    }
}

impl From<KeyLevel> for MatchLevel {
    fn from(l: KeyLevel) -> MatchLevel {
        match l {
            KeyLevel::Exact => MatchLevel::Exact,
            KeyLevel::Case => MatchLevel::Case,
            KeyLevel::Loose => MatchLevel::Loose,
            KeyLevel::Translit => MatchLevel::Translit,
        }
    }
}

impl std::fmt::Display for MatchLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One result of [`Glossary::lookup`], [`prefix`](Glossary::prefix) or
/// [`fuzzy`](Glossary::fuzzy): a term of a concept and how it matched.
///
/// A hit borrows the glossary: its term ([`term`](Self::term)) and concept
/// id are slices of the file, read when the hit was made (after checking the
/// concept record's checksum), so making a hit allocates nothing. The whole
/// concept (its other terms, definition, notes) is decoded only on request,
/// by [`concept`](Self::concept).
#[derive(Clone, Debug)]
pub struct LookupHit<'g> {
    glossary: &'g Glossary,
    concept_index: u32,
    concept_id: &'g str,
    term: TermRef<'g>,
    /// Index of the matching term in the concept's terms.
    pub term_index: usize,
    /// The level at which it matched.
    pub level: MatchLevel,
    /// Edit distance for [`MatchLevel::Fuzzy`], else 0.
    pub distance: u32,
}

impl<'g> LookupHit<'g> {
    /// The matching term, borrowed from the file.
    pub fn term(&self) -> &TermRef<'g> {
        &self.term
    }

    /// The id of the term's concept.
    pub fn concept_id(&self) -> &'g str {
        self.concept_id
    }

    /// The index of the term's concept (see [`Glossary::concept_at`]).
    pub fn concept_index(&self) -> u64 {
        u64::from(self.concept_index)
    }

    /// Decodes the term's concept from the file (checking its record's
    /// checksum again): allocates its strings, so it costs a few hundred
    /// nanoseconds; call it for the hits whose concept is needed.
    /// [`Error::Corrupt`](crate::Error::Corrupt) when the record is damaged.
    pub fn concept(&self) -> Result<Concept> {
        self.glossary.concept_at(self.concept_index())
    }
}

impl PartialEq for LookupHit<'_> {
    /// Same glossary, concept, term, level and distance.
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.glossary, other.glossary)
            && (self.concept_index, self.term_index, self.level, self.distance)
                == (other.concept_index, other.term_index, other.level, other.distance)
    }
}

impl Eq for LookupHit<'_> {}

impl Glossary {
    /// The id of concept `concept` and its term `term`, borrowed from its
    /// record after checking the record's checksum; nothing else of the
    /// record is kept (see [`LookupHit`]).
    fn term_at(&self, concept: u32, term: u32) -> Result<(&str, TermRef<'_>)> {
        let bad = |what: &str| self.damaged_concept(u64::from(concept), what);
        let body = self.checked_record(u64::from(concept))?;
        let (id, t) = file::decode_term(body, term as usize)
            .map_err(|e| bad(&e))?
            .ok_or_else(|| bad(&format!("no term {term}")))?;
        let lang = file::lang_of(self.lang_cache(), t.lang).ok_or_else(|| bad("bad language tag"))?;
        Ok((id, t.into_term_ref(lang)))
    }

    /// Reads a byte of each record of `concepts` (and so its offsets) before
    /// any is decoded: the records lie far apart in a large file, and
    /// touching them in one tight loop lets the processor fetch them in
    /// parallel, where decoding them one by one would wait for each in turn.
    fn prefetch_records(&self, concepts: impl Iterator<Item = u32>) {
        let mut touched = 0u8;
        for c in concepts {
            if let Some(r) = self.record(u64::from(c)) {
                touched ^= r[0] ^ r[r.len() - 1];
            }
        }
        std::hint::black_box(touched);
    }

    /// Turns postings into hits for `lang`, deduplicating by (concept, term)
    /// with the best level.
    pub(super) fn collect_hits(
        &self,
        found: Vec<(Posting, MatchLevel, u32)>,
        lang: &Lang,
        limit: usize,
    ) -> Result<Vec<LookupHit<'_>>> {
        // Keep each (concept, term) once, with its best (level, distance), in
        // the order it was first found (sorting, not hashing: lists are short).
        let mut all: Vec<(Posting, MatchLevel, u32, usize)> = found
            .into_iter()
            .enumerate()
            .map(|(i, (p, k, d))| (p, k, d, i))
            .collect();
        all.sort_unstable_by_key(|(p, k, d, i)| (p.concept, p.term, *k, *d, *i));
        let mut best: Vec<(Posting, MatchLevel, u32, usize)> = Vec::with_capacity(all.len());
        for e in all {
            match best.last_mut() {
                Some(b) if (b.0.concept, b.0.term) == (e.0.concept, e.0.term) => b.3 = b.3.min(e.3),
                _ => best.push(e),
            }
        }
        best.sort_unstable_by_key(|e| e.3);
        let best: Vec<(Posting, MatchLevel, u32)> = best.into_iter().map(|(p, k, d, _)| (p, k, d)).collect();
        self.nearest_hits(best, lang, limit)
    }

    /// The hits for `lang` among distinct (concept, term) postings: at most
    /// `limit`, the nearest (level, then distance) first.
    pub(super) fn nearest_hits(
        &self,
        mut best: Vec<(Posting, MatchLevel, u32)>,
        lang: &Lang,
        limit: usize,
    ) -> Result<Vec<LookupHit<'_>>> {
        if best.len() > limit {
            // Decode only what can be returned: the nearest `limit` (keys are
            // distinct after deduplication, so selecting then sorting the
            // head equals sorting all).
            let key = |(p, level, d): &(Posting, MatchLevel, u32)| (*level, *d, p.concept, p.term);
            if limit > 0 {
                best.select_nth_unstable_by_key(limit - 1, key);
            }
            best.truncate(limit);
            best.sort_unstable_by_key(key);
        }
        self.decode_hits(best, lang, limit)
    }

    /// Decodes the concepts of `found` (distinct (concept, term) postings)
    /// into hits for `lang`, best first: by level, distance, how well the
    /// term's language serves `lang`, term status, concept id, then the
    /// order of `found`. At most `limit`.
    pub(super) fn decode_hits(
        &self,
        found: Vec<(Posting, MatchLevel, u32)>,
        lang: &Lang,
        limit: usize,
    ) -> Result<Vec<LookupHit<'_>>> {
        // The sort key of each kept hit: its first fields, the first 8 bytes
        // of the concept id (big-endian, zero-padded: a tie falls through
        // to the whole id), and its place in `hits` (last, so that an
        // unstable sort is stable).
        type Key = (
            MatchLevel,
            u32,
            std::cmp::Reverse<crate::lang::LangMatch>,
            u8,
            u64,
            u32,
        );
        let mut keys: Vec<Key> = Vec::with_capacity(found.len());
        let mut hits: Vec<LookupHit<'_>> = Vec::with_capacity(found.len());
        self.prefetch_records(found.iter().map(|(p, ..)| p.concept));
        for (p, level, distance) in found {
            let (concept_id, term) = self.term_at(p.concept, p.term)?;
            let Some(q) = term.lang.match_quality(lang) else {
                continue;
            };
            let rank = term.status.map_or(1, |s| s.rank());
            let mut head = [0u8; 8];
            let id = concept_id.as_bytes();
            head[..id.len().min(8)].copy_from_slice(&id[..id.len().min(8)]);
            let head = u64::from_be_bytes(head);
            keys.push((
                level,
                distance,
                std::cmp::Reverse(q),
                rank,
                head,
                hits.len() as u32,
            ));
            hits.push(LookupHit {
                glossary: self,
                concept_index: p.concept,
                concept_id,
                term,
                term_index: p.term as usize,
                level,
                distance,
            });
        }
        if hits.len() < 2 {
            hits.truncate(limit);
            return Ok(hits);
        }
        let id = |k: &Key| hits[k.5 as usize].concept_id;
        keys.sort_unstable_by(|a, b| {
            (a.0, a.1, a.2, a.3, a.4)
                .cmp(&(b.0, b.1, b.2, b.3, b.4))
                .then_with(|| id(a).cmp(id(b)))
                .then(a.5.cmp(&b.5))
        });
        // Put the hits in key order in place, one cycle of the permutation
        // at a time (`from[i]`: where the hit that goes to `i` is now).
        let mut from: Vec<usize> = keys.iter().map(|k| k.5 as usize).collect();
        for i in 0..from.len() {
            let mut j = i;
            while from[j] != usize::MAX {
                let k = std::mem::replace(&mut from[j], usize::MAX);
                if k == i {
                    break;
                }
                hits.swap(j, k);
                j = k;
            }
        }
        hits.truncate(limit);
        Ok(hits)
    }
}
