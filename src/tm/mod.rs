//! The translation memory: a crash-safe embedded store of translation units
//! with exact, in-context and fuzzy lookup, and concordance.
//!
//! ```
//! use korpu::model::{TranslationUnit, Variant};
//! use korpu::tm::{LookupOptions, MatchKind, TranslationMemory};
//! use korpu::Lang;
//!
//! let dir = tempfile::tempdir()?;
//! let tm = TranslationMemory::open(dir.path().join("memory.korpu"))?;
//! let (en, az): (Lang, Lang) = ("en".parse()?, "az-Latn".parse()?);
//! tm.add(TranslationUnit {
//!     variants: vec![
//!         Variant::new(en.clone(), "The meeting starts at 10 o'clock."),
//!         Variant::new(az.clone(), "Görüş saat 10-da başlayır."),
//!     ],
//!     ..Default::default()
//! })?;
//! // `az` finds the `az-Latn` variant; the changed number is substituted.
//! let found = tm.lookup("The meeting starts at 11 o'clock.", &en, &"az".parse()?,
//!                       &LookupOptions::default())?;
//! assert_eq!(found[0].kind, MatchKind::Fuzzy);
//! assert_eq!(found[0].score, 92); // one number changed: 1 − 0.5/7 → 92.86
//! assert_eq!(found[0].adapted_target, "Görüş saat 11-da başlayır.");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Scores
//!
//! A score is `floor(100 × (1 − d / max(n, m)))`, where `n` and `m` are the
//! token counts of the query and of the stored source (words, numbers,
//! punctuation marks and inline tags each count one; whitespace none), and
//! `d` is the cheapest way to edit one token sequence into the other with
//! these costs:
//!
//! | edit | cost |
//! |---|---|
//! | identical tokens | 0 |
//! | same word up to case (`Bakı`/`BAKI`; Turkic casing for tr/az) | 0.1 |
//! | same word up to diacritics (`Karabag`/`Karabağ`, `ı`/`i`, `ə`/`e`) | 0.5 |
//! | a number for another number (the target gets the new number) | 0.5 |
//! | a tag for another tag, or a tag inserted or removed | 0.5 |
//! | anything else: a word inserted, removed or replaced | 1 |
//!
//! Worked examples (each is a test):
//! - `İSTANBUL güzeldir .` against `istanbul güzeldir .` (tr): one case
//!   difference, `d = 0.1`, three tokens: `floor(100 × (1 − 0.1/3)) = 96`.
//! - `Toplantı 10 Mayısta başlar .` against `Toplantı 12 Mayısta başlar .`:
//!   one number, `d = 0.5` over 5 tokens: 90, and the target's `10` becomes `12`.
//! - `Press <tag>OK now` against `Press OK now`: a missing tag, `d = 0.5` over
//!   `max(4, 3)` tokens: `floor(87.5) = 87`.
//! - `red green blue white` against `green red blue white`: two substitutions
//!   (edit distance does not see swaps): `d = 2`, 50.
//!
//! 100 means the same tokens in the same order (spacing may differ). 101
//! ([`MatchKind::Context`]) is a 100 whose unit also has the same previous and
//! next segment (OmegaT's `prev`/`next` props) as
//! [`LookupOptions::prev`]/[`LookupOptions::next`].
//!
//! Text longer than [`MAX_TOKENS`] tokens is matched on its first
//! [`MAX_TOKENS`] tokens, so that a 10,000-word query takes bounded time.
//!
//! # Exactness
//!
//! Exact matches come from a hash of the token sequence; fuzzy ones from
//! per-language posting lists of token classes (loose keys; one class for all
//! numbers, one for all tags), filtered by count, length and prefix (the
//! lists of frequent words are read as bitmaps of units, 64 at a time), then
//! verified by rapidfuzz's bit-parallel Levenshtein distance over class ids
//! and the weighted distance above, best score bound first until the top
//! `limit` are certain. The filters only drop segments that
//! cannot reach the minimum score, so `lookup` returns exactly what scoring
//! every stored segment would (a property test checks it against
//! [`TranslationMemory::lookup_scan`]).
//!
//! # Storage
//!
//! One file, an embedded ACID database (redb) with MVCC: lookups read a
//! snapshot and are never blocked by a writer. Imports commit in batches
//! ([`ImportOptions::batch_size`]); a crash or `kill -9` keeps every batch
//! committed before it and nothing of the one in flight. The file starts with
//! a format version; a newer or foreign file is refused with a clear error.
//!
//! # Where things are
//!
//! One module per phase: `options` (the public option and result types),
//! `import` (add, import, update, delete), `lookup` (a query from plan to
//! adapted targets), `concordance`, `units` (every stored unit, for
//! export). Below them: `record` (stored records and their encoding),
//! `score` (token signatures and scores), `index` (posting lists and
//! filters), `candidates` (fuzzy candidates from posting lists), `cache`
//! (read caches), and `store`, the seam a storage backend implements.

mod cache;
mod candidates;
mod concordance;
mod import;
mod index;
mod lookup;
mod options;
mod record;
mod score;
mod store;
mod units;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Error, Result};
use crate::model::TranslationUnit;
use crate::text::nfc;

pub use options::{
    ConcordanceHit, ImportOptions, ImportSummary, LookupOptions, Match, MatchKind, Stats, UnitId,
};
pub use score::{EditBreakdown, MAX_TOKENS};
pub use store::FORMAT_VERSION;
pub use units::Units;

use cache::{DocCache, PostingCache};
use index::doc_id;
use record::{Counters, encode};
use score::Sig;
use store::{ChangeSet, RedbStore, Store};

/// A translation memory stored in one file.
///
/// `TranslationMemory` is `Send + Sync`: share it between threads with an
/// `Arc`; lookups run concurrently with each other and with one writer.
pub struct TranslationMemory {
    store: Box<dyn Store>,
    path: PathBuf,
    writer: Mutex<()>,
    postings: PostingCache,
    docs: DocCache,
}

impl TranslationMemory {
    /// Opens the translation memory at `path`, creating it when the file does
    /// not exist.
    ///
    /// Cost: constant — nothing is loaded or rebuilt; the index is read on
    /// demand. Errors: [`Error::Corrupt`] for a file that is not a korpu
    /// translation memory or is damaged; [`Error::OtherVersion`] for one
    /// that a newer korpu wrote, or an earlier one in a format this korpu
    /// does not read; [`Error::Store`] when another process holds it open.
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// let tm = korpu::tm::TranslationMemory::open(dir.path().join("tm.korpu"))?;
    /// assert_eq!(tm.stats()?.units, 0);
    /// # Ok::<(), korpu::Error>(())
    /// ```
    pub fn open(path: impl AsRef<Path>) -> Result<TranslationMemory> {
        TranslationMemory::open_with_cache(path, 256 << 20)
    }

    /// [`open`](Self::open) with caches of `cache_bytes` each: redb's page
    /// cache, and the lookup caches of decoded posting lists and doc records
    /// (at least 16 MiB each). [`open`](Self::open) uses 256 MiB. The lookup
    /// caches fill as lookups run; a commit empties the doc records'.
    pub fn open_with_cache(path: impl AsRef<Path>, cache_bytes: usize) -> Result<TranslationMemory> {
        let path = path.as_ref().to_path_buf();
        let (store, created) = RedbStore::open(&path, cache_bytes)?;
        let tm = TranslationMemory {
            store: Box::new(store),
            path,
            writer: Mutex::new(()),
            postings: PostingCache::new(cache_bytes.max(16 << 20)),
            docs: DocCache::new(cache_bytes.max(16 << 20)),
        };
        if created {
            let mut c = ChangeSet::default();
            store::header(&mut c);
            c.meta
                .push(("counters".into(), encode(&tm.path, &Counters::default())?));
            tm.commit(&c)?;
        } else {
            let snap = tm.store.snapshot()?;
            store::check_header(&*snap, &tm.path, tm.store.kind())?;
            tm.counters(&*snap)?;
        }
        Ok(tm)
    }

    /// The path of the store.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The unit stored under `id`.
    pub fn get(&self, id: UnitId) -> Result<Option<TranslationUnit>> {
        let snap = self.store.snapshot()?;
        self.load_unit(&*snap, id)
    }

    /// Units, languages, pairs and size on disk. Cost: one read of a counter.
    pub fn stats(&self) -> Result<Stats> {
        let snap = self.store.snapshot()?;
        let mut stats = self.counters(&*snap)?.stats;
        stats.size_on_disk = self.store.size_on_disk();
        Ok(stats)
    }

    /// Checks that the index agrees with the stored units: every unit's
    /// segments have their index records, every index record belongs to a
    /// stored unit, and the counters match. Returns the number of units.
    /// Cost: linear in the memory's size.
    pub fn verify(&self) -> Result<u64> {
        let snap = self.store.snapshot()?;
        let counters = self.counters(&*snap)?;
        let mut units = 0u64;
        let mut expected_docs = 0u64;
        let mut problem: Option<String> = None;
        snap.each_unit(0, &mut |id, bytes| {
            let unit = self.decode_unit(id, bytes)?;
            units += 1;
            for (i, v) in unit.variants.iter().enumerate().take(u16::MAX as usize) {
                let (sig, _) = Sig::of_text(&nfc(&v.segment.plain_text()), &v.lang);
                if sig.len() == 0 {
                    continue;
                }
                expected_docs += 1;
                match self.doc(&*snap, doc_id(id, i as u16))? {
                    Some(rec) if rec.sig == sig => {
                        let mut docs = Vec::new();
                        snap.exact(rec.exact_hash, &mut docs)?;
                        if !docs.contains(&doc_id(id, i as u16)) {
                            problem.get_or_insert(format!(
                                "unit {id} variant {i} is missing from the exact index"
                            ));
                        }
                    }
                    _ => {
                        problem.get_or_insert(format!("unit {id} variant {i} has no index record"));
                    }
                }
            }
            Ok(true)
        })?;
        if let Some(p) = problem {
            return Err(self.corrupt(format!("inconsistent translation memory: {p}")));
        }
        let docs = snap.count_docs()?;
        if docs != expected_docs {
            return Err(self.corrupt(format!(
                "inconsistent translation memory: {docs} index records for {expected_docs} segments"
            )));
        }
        if counters.stats.units != units {
            return Err(self.corrupt(format!(
                "inconsistent translation memory: counters say {} units, {units} stored",
                counters.stats.units
            )));
        }
        Ok(units)
    }

    fn corrupt(&self, message: impl Into<String>) -> Error {
        Error::corrupt(&self.path, message)
    }

    fn damaged(&self, what: &str) -> Error {
        self.corrupt(format!("damaged translation memory: unreadable {what}"))
    }

    /// [`damaged`](Self::damaged), keeping the decoder's error as the source.
    fn damaged_by(&self, what: &str, source: postcard::Error) -> Error {
        let message = format!("damaged translation memory: unreadable {what}");
        Error::corrupt_with(&self.path, message, source)
    }

    /// Applies `c` in one transaction; cached doc records are dropped
    /// before and after (see [`DocCache`]).
    fn commit(&self, c: &ChangeSet) -> Result<()> {
        self.docs.invalidate();
        let applied = self.store.apply(c);
        self.docs.invalidate();
        applied
    }
}

#[cfg(test)]
mod tests;
