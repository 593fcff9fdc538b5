//! The public option and result types of a translation memory: what a
//! lookup, an import or a concordance search is asked and gives back.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[cfg(doc)]
use super::TranslationMemory;
use super::score::EditBreakdown;
use crate::model::Variant;

/// The id of a stored unit: assigned on insertion, never reused.
pub type UnitId = u64;

/// What kind of match a [`Match`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchKind {
    /// Score 101: exact, and the same previous and next segment.
    Context,
    /// Score 100: the same tokens in the same order.
    Exact,
    /// Below 100.
    Fuzzy,
}

impl MatchKind {
    /// `context`, `exact` or `fuzzy`, as the CLI's JSON writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Context => "context",
            MatchKind::Exact => "exact",
            MatchKind::Fuzzy => "fuzzy",
        }
    }
}

/// Options of [`TranslationMemory::lookup`].
#[derive(Clone, Debug)]
pub struct LookupOptions {
    /// The lowest score returned, 0–100 (default 70). At 50 or below the
    /// fuzzy search degrades to a scan of the language (exact, but slow on
    /// big memories), because a segment sharing no token can score 50.
    pub min_score: u8,
    /// The most matches returned (default 5), best first.
    pub limit: usize,
    /// The source segment before the query, for 101 matches.
    pub prev: Option<String>,
    /// The source segment after the query, for 101 matches.
    pub next: Option<String>,
}

impl LookupOptions {
    /// The default lowest score: 70, the CLI's `--min-score` and `/v1/tm/lookup`'s `min_score`.
    pub const DEFAULT_MIN_SCORE: u8 = 70;
    /// The default number of matches: 5, the CLI's `--limit` and the API's `limit`.
    pub const DEFAULT_LIMIT: usize = 5;
}

impl Default for LookupOptions {
    fn default() -> LookupOptions {
        LookupOptions {
            min_score: LookupOptions::DEFAULT_MIN_SCORE,
            limit: LookupOptions::DEFAULT_LIMIT,
            prev: None,
            next: None,
        }
    }
}

/// One lookup result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Match {
    /// 101 (in context), 100 (exact) or the fuzzy score.
    pub score: u8,
    /// Context, exact or fuzzy.
    pub kind: MatchKind,
    /// The stored unit.
    pub unit_id: UnitId,
    /// The unit's `tuid`, if it has one.
    pub tuid: Option<String>,
    /// The stored variant that matched the query.
    pub source: Variant,
    /// The variant in the target language.
    pub target: Variant,
    /// The target's plain text with the numbers the query changed substituted
    /// (tags as placeholder characters, see [`crate::text::tag_placeholder`]).
    pub adapted_target: String,
    /// The edits, by kind, that separate the query from `source`.
    pub breakdown: EditBreakdown,
}

/// Options of [`TranslationMemory::import`].
#[derive(Clone, Debug)]
pub struct ImportOptions {
    /// Units per transaction (default 50,000). Each batch is committed
    /// durably; a crash loses at most the batch in flight. A commit rewrites
    /// the last chunk of every posting list the batch touches and most pages
    /// of the exact-hash index (its keys are random), so larger batches write
    /// less, at the cost of memory: two batches are in flight (a 1M-unit
    /// import of three languages peaks at 1.1 GB RSS with 50,000 and takes
    /// 19 s on two cores).
    pub batch_size: usize,
}

impl ImportOptions {
    /// The default batch: 50,000 units, also `korpu tm import --batch-size`'s.
    pub const DEFAULT_BATCH_SIZE: usize = 50_000;
}

impl Default for ImportOptions {
    fn default() -> ImportOptions {
        ImportOptions {
            batch_size: ImportOptions::DEFAULT_BATCH_SIZE,
        }
    }
}

/// Counters of an import, also passed to the progress callback after every
/// committed batch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    /// Units read from the input.
    pub read: u64,
    /// Units stored as new units.
    pub added: u64,
    /// Units that duplicated a stored one and updated its dates and usage count.
    pub merged: u64,
    /// Units skipped: no variant with text.
    pub skipped: u64,
    /// Units the input could not give (counted by callers that skip them).
    pub errors: u64,
}

/// A concordance hit: a stored segment containing the phrase.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConcordanceHit {
    /// The unit.
    pub unit_id: UnitId,
    /// Its `tuid`.
    pub tuid: Option<String>,
    /// The variant that contains the phrase.
    pub variant: Variant,
    /// The variant's plain text, which `spans` index.
    pub text: String,
    /// Byte ranges of each occurrence in `text`, inflected forms included
    /// (`Şuşa'da`, `Şuşada` for `Şuşa`).
    pub spans: Vec<(usize, usize)>,
    /// The unit's other variants.
    pub translations: Vec<Variant>,
}

/// What a translation memory holds; see [`TranslationMemory::stats`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Units stored.
    pub units: u64,
    /// Variants per language tag.
    pub languages: BTreeMap<String, u64>,
    /// Units per unordered language pair, keyed `a|b` with `a < b`.
    pub pairs: BTreeMap<String, u64>,
    /// Bytes the store takes on disk.
    pub size_on_disk: u64,
}
