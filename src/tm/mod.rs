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

mod cache;
mod candidates;
mod index;
mod score;
mod store;

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::lang::{Lang, LangMatch};
use crate::model::{Prop, TmxDate, TranslationUnit, Variant};
use crate::text::{nfc, tokenize};

pub use score::{EditBreakdown, MAX_TOKENS};

use cache::{DocCache, PostingCache};
use candidates::{Gathered, QueryLists};
use index::{
    ALL_KIND, CHUNK_ENTRIES, Chunk, DocHash, Posting, PostingList, QueryFilter, TokenInfo, doc_id, token_key,
};
use score::{Sig, TokSig};
use store::{ChangeSet, RedbStore, Snapshot, Store};

const MAGIC: &[u8] = b"korpu translation memory";
/// How to move a memory that an earlier korpu wrote (one whose format this
/// korpu does not read).
pub(crate) const MOVE_FROM_EARLIER: &str =
    "export it to TMX with the korpu that wrote it, then import the TMX into a new memory";

/// The store format this version writes and reads. Format 1 (korpu before
/// redb 4) is not read: its stores must be exported and imported again.
pub const FORMAT_VERSION: u32 = 2;

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

impl Default for ImportOptions {
    fn default() -> ImportOptions {
        ImportOptions { batch_size: 50_000 }
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

/// The stored form of a unit.
#[derive(Serialize, Deserialize)]
struct StoredUnit {
    unit: TranslationUnit,
}

/// [`StoredUnit`] by reference: the same bytes, without a copy of the unit.
#[derive(Serialize)]
struct StoredUnitRef<'a> {
    unit: &'a TranslationUnit,
}

/// A doc record: the variant's language tag and token signature.
struct DocRecord {
    /// Inline (a tag fits): no allocation per record read.
    lang: smol_str::SmolStr,
    exact_hash: u64,
    sig: Sig,
}

impl DocRecord {
    /// Appends the record of a doc in `lang` (the inverse of `decode`).
    fn encode_parts(out: &mut Vec<u8>, lang: &str, exact_hash: u64, sig: &Sig) {
        out.extend_from_slice(&(lang.len() as u16).to_le_bytes());
        out.extend_from_slice(lang.as_bytes());
        out.extend_from_slice(&exact_hash.to_le_bytes());
        sig.encode(out);
    }

    fn decode(b: &[u8]) -> Option<DocRecord> {
        let l = u16::from_le_bytes(b.get(0..2)?.try_into().ok()?) as usize;
        let lang = smol_str::SmolStr::new(std::str::from_utf8(b.get(2..2 + l)?).ok()?);
        let exact_hash = u64::from_le_bytes(b.get(2 + l..10 + l)?.try_into().ok()?);
        let (sig, _) = Sig::decode(b.get(10 + l..)?)?;
        Some(DocRecord {
            lang,
            exact_hash,
            sig,
        })
    }
}

/// Counters kept in the meta table.
#[derive(Serialize, Deserialize, Default, Clone)]
struct Counters {
    next_unit: u64,
    next_token: u64,
    langs: Vec<String>,
    stats: Stats,
}

/// The units one lookup has read, by id: the checks that end a search
/// early and the final ranking read the same few units, each decoded once.
#[derive(Default)]
struct UnitsRead {
    units: HashMap<u64, Option<std::rc::Rc<TranslationUnit>>, DocHash>,
    /// Per doc id, whether its unit can be a match (see `enough_above`).
    usable: HashMap<u64, bool, DocHash>,
}

/// What a lookup keeps: at most `limit` units with a variant in `to`.
struct TopK<'a> {
    to: &'a Lang,
    limit: usize,
}

/// A scored candidate before the unit is loaded.
#[derive(Clone, Copy, Debug)]
struct Scored {
    unit: u64,
    variant: u16,
    d: u32,
    m: usize,
}

impl TranslationMemory {
    /// Opens the translation memory at `path`, creating it when the file does
    /// not exist.
    ///
    /// Cost: constant — nothing is loaded or rebuilt; the index is read on
    /// demand. Errors: [`Error::Corrupt`] for a file that is not a korpu
    /// translation memory, is damaged, or was written by a newer korpu;
    /// [`Error::Store`] when another process holds it open.
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
            c.meta.push(("magic".into(), MAGIC.to_vec()));
            c.meta
                .push(("format".into(), FORMAT_VERSION.to_le_bytes().to_vec()));
            c.meta
                .push(("counters".into(), encode(&tm.path, &Counters::default())?));
            tm.commit(&c)?;
        } else {
            tm.check_header()?;
        }
        Ok(tm)
    }

    fn check_header(&self) -> Result<()> {
        let snap = self.store.snapshot()?;
        let foreign = || self.corrupt("not a korpu translation memory (a redb database of another program)");
        if snap.meta("magic")?.as_deref() != Some(MAGIC) {
            return Err(foreign());
        }
        let version = snap
            .meta("format")?
            .and_then(|v| v.try_into().ok().map(u32::from_le_bytes))
            .ok_or_else(foreign)?;
        if version > FORMAT_VERSION {
            return Err(Error::other_version(
                &self.path,
                &format!(
                    "a newer korpu (store format {version}; this korpu reads format {FORMAT_VERSION} and older)"
                ),
                "upgrade korpu",
            ));
        }
        if version == 0 {
            return Err(foreign());
        }
        if version < FORMAT_VERSION {
            return Err(Error::other_version(
                &self.path,
                &format!(
                    "an earlier korpu (store format {version}; this korpu reads format {FORMAT_VERSION})"
                ),
                MOVE_FROM_EARLIER,
            ));
        }
        self.counters(&*snap)?;
        Ok(())
    }

    fn corrupt(&self, message: impl Into<String>) -> Error {
        Error::Corrupt {
            path: self.path.clone(),
            message: message.into(),
        }
    }

    fn damaged(&self, what: &str) -> Error {
        self.corrupt(format!("damaged translation memory: unreadable {what}"))
    }

    fn counters(&self, snap: &dyn Snapshot) -> Result<Counters> {
        let bytes = snap.meta("counters")?.ok_or_else(|| self.damaged("counters"))?;
        postcard::from_bytes(&bytes).map_err(|_| self.damaged("counters"))
    }

    /// Applies `c` in one transaction; cached doc records are dropped
    /// before and after (see [`DocCache`]).
    fn commit(&self, c: &ChangeSet) -> Result<()> {
        self.docs.invalidate();
        let applied = self.store.apply(c);
        self.docs.invalidate();
        applied
    }

    /// A snapshot and the doc cache generation valid for it, if any.
    fn read_view(&self) -> Result<(Box<dyn Snapshot + '_>, Option<u64>)> {
        let before = self.docs.generation();
        let snap = self.store.snapshot()?;
        let after = self.docs.generation();
        Ok((
            snap,
            (before == after && before.is_multiple_of(2)).then_some(before),
        ))
    }

    /// A doc record, from the cache when `generation` allows.
    fn doc_cached(
        &self,
        snap: &dyn Snapshot,
        doc: u64,
        generation: Option<u64>,
    ) -> Result<Option<Arc<DocRecord>>> {
        if let Some(g) = generation
            && let Some(rec) = self.docs.get(g, doc)
        {
            return Ok(Some(rec));
        }
        let Some(rec) = self.doc(snap, doc)? else {
            return Ok(None);
        };
        let rec = Arc::new(rec);
        if let Some(g) = generation {
            self.docs.insert(g, doc, Arc::clone(&rec));
        }
        Ok(Some(rec))
    }

    /// Unit `id` as `read` holds it, or read from the store into it.
    fn unit_read(
        &self,
        snap: &dyn Snapshot,
        read: &mut UnitsRead,
        id: u64,
    ) -> Result<Option<std::rc::Rc<TranslationUnit>>> {
        if let Some(unit) = read.units.get(&id) {
            return Ok(unit.clone());
        }
        let unit = self.load_unit(snap, id)?.map(std::rc::Rc::new);
        read.units.insert(id, unit.clone());
        Ok(unit)
    }

    fn load_unit(&self, snap: &dyn Snapshot, id: u64) -> Result<Option<TranslationUnit>> {
        match snap.unit(id)? {
            None => Ok(None),
            Some(b) => Ok(Some(self.decode_unit(id, &b)?)),
        }
    }

    fn decode_unit(&self, id: u64, bytes: &[u8]) -> Result<TranslationUnit> {
        let s: StoredUnit = postcard::from_bytes(bytes).map_err(|_| self.damaged(&format!("unit {id}")))?;
        Ok(s.unit)
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

    /// Adds one unit (one transaction) and returns its id, or the id of the
    /// stored unit it duplicates (whose dates and usage count it updates; see
    /// [`import`](Self::import)). A unit without text in any variant is an
    /// [`Error::InvalidArgument`].
    ///
    /// ```
    /// # use korpu::model::{TranslationUnit, Variant};
    /// # let dir = tempfile::tempdir()?;
    /// let tm = korpu::tm::TranslationMemory::open(dir.path().join("tm.korpu"))?;
    /// let unit = TranslationUnit {
    ///     variants: vec![Variant::new("tr".parse()?, "Merhaba"), Variant::new("az".parse()?, "Salam")],
    ///     ..Default::default()
    /// };
    /// let id = tm.add(unit.clone())?;
    /// assert_eq!(tm.add(unit)?, id); // a duplicate merges
    /// assert_eq!(tm.stats()?.units, 1);
    /// # Ok::<(), korpu::Error>(())
    /// ```
    pub fn add(&self, unit: TranslationUnit) -> Result<UnitId> {
        let _w = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let snap = self.store.snapshot()?;
        let mut batch = Batch::new(self, self.counters(&*snap)?);
        let id = batch.add(&*snap, unit)?;
        let id = id.ok_or_else(|| Error::InvalidArgument("the unit has no variant with text".into()))?;
        let c = batch.finish(&*snap)?;
        drop(snap);
        self.commit(&c)?;
        Ok(id)
    }

    /// Imports units in batched transactions of [`ImportOptions::batch_size`]
    /// units, calling `progress` after each committed batch.
    ///
    /// Duplicates merge: a unit whose variants all appear, with the same
    /// language, text and context, in a stored unit updates that unit (latest
    /// change and usage dates, earliest creation date, usage counts added,
    /// new props and notes appended) and counts as `merged`. A unit with the
    /// same source but a different target is stored beside the first, as an
    /// alternative. Units with no text are `skipped`.
    ///
    /// The first `Err` from `units` stops the import and is returned: the
    /// batches committed before it stay, the batch in flight is dropped. For
    /// an all-or-nothing import validate the input first (the CLI's strict
    /// mode reads a file twice: once to validate, once to import).
    pub fn import<I>(
        &self,
        units: I,
        options: &ImportOptions,
        mut progress: impl FnMut(&ImportSummary),
    ) -> Result<ImportSummary>
    where
        I: IntoIterator<Item = Result<TranslationUnit>>,
    {
        let _w = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let batch_size = options.batch_size.max(1);
        // Two stages on two threads, about equal in work at 1M units: this
        // one tokenizes, hashes and finds duplicates for batch k+1 while the
        // other appends batch k's postings (`PostingWriter`) and commits it.
        // Batch k+1 cannot rely on its snapshot holding batch k, so it is
        // built on what batch k left: counters, the word cache (`KeyCache`),
        // and the units batch k wrote (`Pending`), which duplicates may
        // merge into. Commits stay in order, one transaction per batch.
        // A rendezvous channel: batch k is handed over only once batch k-1 is
        // committed, so batch k is the only one a snapshot may miss.
        let (to_commit, commits) = std::sync::mpsc::sync_channel::<(Sealed, ImportSummary)>(0);
        let (to_report, committed) = std::sync::mpsc::channel::<ImportSummary>();
        // Committed change sets and postings buffers come back to be
        // refilled: their memory is reused rather than freed on one thread
        // and allocated on the other.
        let (to_recycle, recycled) = std::sync::mpsc::channel::<(ChangeSet, Vec<(u32, Posting)>)>();
        let first = {
            let snap = self.store.snapshot()?;
            self.counters(&*snap)?
        };
        let mut writer = PostingWriter::new(first.next_token);
        std::thread::scope(|scope| {
            let committer = scope.spawn(move || -> Result<()> {
                for (sealed, summary) in commits {
                    // This thread is the only writer: its snapshot holds
                    // every batch before this one.
                    let snap = self.store.snapshot()?;
                    let (c, postings) = writer.complete(self, &*snap, sealed)?;
                    drop(snap);
                    self.commit(&c)?;
                    // The receivers are gone only when the import has ended.
                    let _ = to_report.send(summary);
                    let _ = to_recycle.send((c, postings));
                }
                Ok(())
            });
            let built = (|| -> Result<ImportSummary> {
                let mut summary = ImportSummary::default();
                let mut units = units.into_iter().peekable();
                let mut cache = KeyCache::default();
                let mut counters = first;
                let mut pending = Pending::default();
                while units.peek().is_some() {
                    let snap = self.store.snapshot()?;
                    let mut batch = Batch::new(self, counters);
                    batch.cache = cache;
                    batch.pending = pending;
                    if let Ok((mut c, postings)) = recycled.try_recv() {
                        c.clear();
                        batch.out = c;
                        batch.postings = postings;
                    }
                    for unit in units.by_ref().take(batch_size) {
                        let unit = unit?;
                        summary.read += 1;
                        let before = batch.next_unit();
                        match batch.add(&*snap, unit)? {
                            None => summary.skipped += 1,
                            Some(id) if id >= before => summary.added += 1,
                            Some(_) => summary.merged += 1,
                        }
                    }
                    drop(snap);
                    let sealed;
                    (sealed, cache, pending) = batch.seal();
                    counters = sealed.counters.clone();
                    if to_commit.send((sealed, summary)).is_err() {
                        break; // the committer failed: its error is returned
                    }
                    for s in committed.try_iter() {
                        progress(&s);
                    }
                }
                Ok(summary)
            })();
            drop(to_commit);
            let commit = committer
                .join()
                .unwrap_or_else(|_| Err(self.corrupt("the import's commit thread panicked")));
            for s in committed.try_iter() {
                progress(&s);
            }
            // A commit error comes first: the build may have stopped because
            // of it. A build error leaves every batch before it committed.
            commit?;
            built
        })
    }

    /// Replaces the unit `id` (re-indexing it). Errors with
    /// [`Error::InvalidArgument`] when there is no such unit.
    pub fn update(&self, id: UnitId, unit: TranslationUnit) -> Result<()> {
        let _w = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let snap = self.store.snapshot()?;
        let mut batch = Batch::new(self, self.counters(&*snap)?);
        if !batch.remove(&*snap, id)? {
            return Err(Error::InvalidArgument(format!("no unit with id {id}")));
        }
        batch.insert_as(id, unit);
        let c = batch.finish(&*snap)?;
        drop(snap);
        self.commit(&c)
    }

    /// Deletes the unit `id`; returns false when there was none.
    pub fn delete(&self, id: UnitId) -> Result<bool> {
        let _w = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let snap = self.store.snapshot()?;
        let mut batch = Batch::new(self, self.counters(&*snap)?);
        if !batch.remove(&*snap, id)? {
            return Ok(false);
        }
        let c = batch.finish(&*snap)?;
        drop(snap);
        self.commit(&c)?;
        Ok(true)
    }

    /// Units, languages, pairs and size on disk. Cost: one read of a counter.
    pub fn stats(&self) -> Result<Stats> {
        let snap = self.store.snapshot()?;
        let mut stats = self.counters(&*snap)?.stats;
        stats.size_on_disk = self.store.size_on_disk();
        Ok(stats)
    }

    /// Calls `f` with every unit in id order, from a snapshot (a concurrent
    /// writer does not change what is seen). Stops at the first error.
    pub fn for_each_unit(&self, mut f: impl FnMut(UnitId, TranslationUnit) -> Result<()>) -> Result<()> {
        let snap = self.store.snapshot()?;
        snap.each_unit(0, &mut |id, bytes| {
            let s: StoredUnit =
                postcard::from_bytes(bytes).map_err(|_| self.damaged(&format!("unit {id}")))?;
            f(id, s.unit)?;
            Ok(true)
        })
    }

    /// Writes the memory as TMX 1.4b (UTF-8) to `out`, streaming from a
    /// snapshot; returns the number of units written.
    ///
    /// With `languages` non-empty, only variants whose language serves one of
    /// them ([`Lang::matches`]) are written, and units left with none are
    /// skipped. `srclang` goes into the header (`*all*` when `None`).
    pub fn export<W: std::io::Write>(
        &self,
        out: W,
        languages: &[Lang],
        srclang: Option<&Lang>,
    ) -> Result<u64> {
        self.export_with_progress(out, languages, srclang, |_| {})
    }

    /// [`export`](Self::export), calling `progress` with the number of units
    /// written so far after each unit (for a progress bar).
    pub fn export_with_progress<W: std::io::Write>(
        &self,
        out: W,
        languages: &[Lang],
        srclang: Option<&Lang>,
        mut progress: impl FnMut(u64),
    ) -> Result<u64> {
        use crate::formats::tmx::TmxWriter;
        let header = crate::model::TmxHeader {
            srclang: Some(srclang.map_or_else(|| "*all*".to_string(), |l| l.to_string())),
            segtype: Some("sentence".into()),
            o_tmf: Some("korpu".into()),
            adminlang: Some("en".into()),
            datatype: Some("plaintext".into()),
            ..Default::default()
        };
        let mut writer = TmxWriter::new(out, &header)?;
        let mut written = 0u64;
        self.for_each_unit(|_, mut unit| {
            if !languages.is_empty() {
                unit.variants
                    .retain(|v| languages.iter().any(|l| v.lang.matches(l)));
                if unit.variants.is_empty() {
                    return Ok(());
                }
            }
            writer.write_unit(&unit)?;
            written += 1;
            progress(written);
            Ok(())
        })?;
        writer.finish()?;
        Ok(written)
    }

    fn lang_ids(&self, counters: &Counters, lang: &Lang) -> Result<u16> {
        counters
            .langs
            .iter()
            .position(|l| l == lang.primary())
            .map(|i| i as u16)
            .ok_or_else(|| {
                let have = if counters.langs.is_empty() {
                    "it is empty".to_string()
                } else {
                    format!("it has {}", counters.langs.join(", "))
                };
                Error::InvalidArgument(format!(
                    "unknown language \"{lang}\": the translation memory {} has no text in it ({have})",
                    self.path.display()
                ))
            })
    }

    /// Finds stored translations of `query` (a segment in language `from`)
    /// into `to`, best first: every unit whose `from` variant scores at least
    /// `options.min_score` against the query and that has a `to` variant, at
    /// most `options.limit` of them.
    ///
    /// Languages match as [`Lang::matches`] says (`az` finds `az-Latn`); among
    /// equal scores an exact tag match ranks first, then the newer unit. An
    /// empty query has no matches. A language the memory holds no text in is
    /// an [`Error::InvalidArgument`] naming the languages it holds.
    ///
    /// Cost: a hash lookup for exact matches; for fuzzy ones, the posting
    /// lists of the query's rarest tokens and a verification per candidate
    /// (see the [module docs](self)).
    ///
    /// ```
    /// # use korpu::model::{TranslationUnit, Variant};
    /// # use korpu::tm::{LookupOptions, MatchKind, TranslationMemory};
    /// # let dir = tempfile::tempdir()?;
    /// # let tm = TranslationMemory::open(dir.path().join("tm.korpu"))?;
    /// let (tr, en) = ("tr".parse()?, "en".parse()?);
    /// tm.add(TranslationUnit {
    ///     variants: vec![Variant::new(tr, "Şuşa'da toplantı yapıldı."),
    ///                    Variant::new(en, "A meeting was held in Shusha.")],
    ///     ..Default::default()
    /// })?;
    /// let m = tm.lookup("ŞUŞA'DA toplantı yapıldı.", &"tr".parse()?, &"en".parse()?,
    ///                   &LookupOptions::default())?;
    /// assert_eq!((m[0].score, m[0].breakdown.case), (97, 1)); // 1 − 0.1/4
    /// assert_eq!(m[0].target.segment.plain_text(), "A meeting was held in Shusha.");
    /// # Ok::<(), korpu::Error>(())
    /// ```
    pub fn lookup(&self, query: &str, from: &Lang, to: &Lang, options: &LookupOptions) -> Result<Vec<Match>> {
        self.lookup_impl(query, from, to, options, false)
    }

    /// [`lookup`](Self::lookup) by scoring every stored segment of `from`,
    /// without the index: the reference the index is tested against, and a
    /// way to check a memory. Cost: linear in the memory's size.
    pub fn lookup_scan(
        &self,
        query: &str,
        from: &Lang,
        to: &Lang,
        options: &LookupOptions,
    ) -> Result<Vec<Match>> {
        self.lookup_impl(query, from, to, options, true)
    }

    fn lookup_impl(
        &self,
        query: &str,
        from: &Lang,
        to: &Lang,
        options: &LookupOptions,
        scan: bool,
    ) -> Result<Vec<Match>> {
        let (snap, generation) = self.read_view()?;
        let counters = self.counters(&*snap)?;
        let from_id = self.lang_ids(&counters, from)?;
        self.lang_ids(&counters, to)?;
        let query = nfc(query);
        let (qsig, qkeys) = Sig::of_text(&query, from);
        if qsig.len() == 0 || options.limit == 0 {
            return Ok(Vec::new());
        }
        let min_score = options.min_score.min(100);
        let mut scored: Vec<Scored> = Vec::new();
        let mut read = UnitsRead::default();
        if scan {
            self.scan_candidates(&*snap, &qsig, from, min_score, &mut scored)?;
        } else {
            // Exact matches first: a hash lookup. When they alone fill the
            // limit, only other segments scoring 100 can still rank among
            // them (nothing scores above 100 except 101s, which are exact
            // matches too), so the fuzzy search runs at 100 alone. It must
            // run: the hash tells texts apart that score 100 against each
            // other (in English, `toplantı` and `toplanti`), and a newer unit
            // ranks first among equal scores.
            let mut docs = Vec::new();
            snap.exact(qsig.exact_hash(from_id), &mut docs)?;
            for doc in docs {
                if let Some(rec) = self.doc(&*snap, doc)?
                    && rec.sig == qsig
                    && lang_ok(&rec.lang, from)
                {
                    scored.push(Scored {
                        unit: doc >> 16,
                        variant: doc as u16,
                        d: 0,
                        m: rec.sig.len(),
                    });
                }
            }
            let exact_units: HashSet<u64> = scored.iter().map(|s| s.unit).collect();
            let enough = exact_units.len() >= options.limit
                && self.count_with_target(&*snap, &mut read, &scored, from, to, options.limit)?
                    >= options.limit;
            let top = TopK {
                to,
                limit: options.limit,
            };
            let view = (&*snap, generation);
            let mut lists = None;
            let stages: Vec<u8> = if enough {
                vec![100]
            } else {
                deepening(min_score).collect()
            };
            for stage in stages {
                scored.clear();
                self.fuzzy_candidates(
                    view,
                    &qsig,
                    &qkeys,
                    from_id,
                    from,
                    stage,
                    &top,
                    &mut lists,
                    &mut read,
                    &mut scored,
                )?;
                // Complete above `stage`: when `limit` units with a
                // target score `stage` or more, nothing below it can
                // rank among them.
                if stage == min_score
                    || enough
                    || self.enough_above(&*snap, &scored, stage - 1, qsig.len(), from, &top, &mut read)?
                {
                    break;
                }
            }
        }
        self.finish_matches(&*snap, &mut read, &query, &qsig, scored, from, to, options)
    }

    fn doc(&self, snap: &dyn Snapshot, doc: u64) -> Result<Option<DocRecord>> {
        // Decoded in place: a lookup reads hundreds of these.
        let mut rec = None;
        if !snap.doc_with(doc, &mut |b| rec = Some(DocRecord::decode(b)))? {
            return Ok(None);
        }
        match rec.flatten() {
            Some(rec) => Ok(Some(rec)),
            None => Err(self.damaged(&format!("index record {doc:#x}"))),
        }
    }

    fn count_with_target(
        &self,
        snap: &dyn Snapshot,
        read: &mut UnitsRead,
        scored: &[Scored],
        from: &Lang,
        to: &Lang,
        enough: usize,
    ) -> Result<usize> {
        let mut n = 0;
        let mut seen = HashSet::new();
        for s in scored {
            if !seen.insert(s.unit) {
                continue;
            }
            if let Some(u) = self.unit_read(snap, read, s.unit)?
                && target_of(&u, s.variant, from, to).is_some()
            {
                n += 1;
                if n >= enough {
                    break;
                }
            }
        }
        Ok(n)
    }

    fn scan_candidates(
        &self,
        snap: &dyn Snapshot,
        qsig: &Sig,
        from: &Lang,
        min_score: u8,
        out: &mut Vec<Scored>,
    ) -> Result<()> {
        // Re-tokenizes the stored text: independent of the stored index.
        snap.each_unit(0, &mut |id, bytes| {
            let s: StoredUnit =
                postcard::from_bytes(bytes).map_err(|_| self.damaged(&format!("unit {id}")))?;
            for (i, v) in s.unit.variants.iter().enumerate().take(u16::MAX as usize) {
                if !v.lang.matches(from) {
                    continue;
                }
                let (sig, _) = Sig::of_text(&nfc(&v.segment.plain_text()), &v.lang);
                if sig.len() == 0 {
                    continue;
                }
                let (d, _) = score::align(&qsig.toks, &sig.toks);
                if score::qualifies(d, qsig.len(), sig.len(), min_score) {
                    out.push(Scored {
                        unit: id,
                        variant: i as u16,
                        d,
                        m: sig.len(),
                    });
                }
            }
            Ok(true)
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn fuzzy_candidates(
        &self,
        (snap, generation): (&dyn Snapshot, Option<u64>),
        qsig: &Sig,
        qkeys: &[String],
        lang_id: u16,
        from: &Lang,
        min_score: u8,
        top: &TopK<'_>,
        lists: &mut Option<QueryLists>,
        read: &mut UnitsRead,
        out: &mut Vec<Scored>,
    ) -> Result<()> {
        let n = qsig.len();
        let filter = QueryFilter::new(&qsig.toks, min_score);
        let weight = qsig.weight();
        let t_plain = index::overlap_threshold(weight, n, min_score, 10);
        let t_tagged = index::overlap_threshold(weight, n, min_score, 5);
        if t_plain > n && t_tagged > n {
            return Ok(());
        }
        let damaged = || self.damaged("posting list");
        let mut seen: HashSet<u64, DocHash> = HashSet::default();
        let check = |p: Posting, seen: &mut HashSet<u64, DocHash>, out: &mut Vec<Scored>| -> Result<()> {
            if !filter.length_ok(p.len as usize, p.tagged) || !seen.insert(p.doc()) {
                return Ok(());
            }
            let Some(rec) = self.doc(snap, p.doc())? else {
                return Ok(()); // a stale posting of a deleted or updated unit
            };
            if !lang_ok(&rec.lang, from) {
                return Ok(());
            }
            if let Some(d) = filter.verify(&rec.sig.toks) {
                out.push(Scored {
                    unit: p.unit,
                    variant: p.variant,
                    d,
                    m: rec.sig.len(),
                });
            }
            Ok(())
        };
        if t_plain == 0 || t_tagged == 0 {
            // A candidate sharing no token may qualify: scan the language.
            let Some(info) = self.token_info(snap, &token_key(lang_id, ALL_KIND, ""))? else {
                return Ok(());
            };
            let mut postings = Vec::new();
            index::read_postings(snap, &info, &mut |p| postings.push(p), &damaged)?;
            for p in postings {
                let tagged_needs_scan = p.tagged && t_tagged == 0;
                let plain_needs_scan = !p.tagged && t_plain == 0;
                if tagged_needs_scan || plain_needs_scan {
                    check(p, &mut seen, out)?;
                }
            }
            if t_plain == 0 && t_tagged == 0 {
                return Ok(());
            }
        }
        let lists = match lists {
            Some(lists) => lists,
            None => lists.insert(self.query_lists(snap, qsig, qkeys, lang_id)?),
        };
        let Gathered {
            cands,
            unread,
            fresh,
            sparse_docs,
            t_tagged,
        } = {
            // With a threshold of 0, every tagged segment was scanned above.
            let t_tagged = if t_tagged == 0 { n + 1 } else { t_tagged };
            candidates::gather(lists, n, t_plain, t_tagged, &filter)
        };
        let t_of = |tagged: bool| if tagged { t_tagged } else { t_plain };
        // Each candidate with an upper bound on its score (from its length
        // and the query tokens it may share), best bound first.
        let mut verify: BinaryHeap<(u8, Reverse<u64>, bool)> = cands
            .iter()
            .filter(|c| c.hits + unread >= t_of(c.tagged))
            .map(|c| {
                // A candidate that qualifies has a current posting in a list
                // read, so its real token count is among those seen.
                let bound = filter.score_bound_over(c.min_len, c.max_len, c.tagged, c.hits + unread);
                (bound, Reverse(c.doc), false)
            })
            .collect();
        // Dense-only units get their token counts from the language's list
        // of all segments (one load each); their docs are read from it only
        // when they come up, which most never do.
        if !fresh.is_empty()
            && lists.all.is_none()
            && let Some(info) = self.token_info(snap, &token_key(lang_id, ALL_KIND, ""))?
        {
            lists.all = Some(self.postings.get(snap, &info, &damaged)?);
        }
        let all = lists.all.as_ref().filter(|_| !fresh.is_empty());
        if let Some(all) = all {
            let lens = all.unit_lens();
            // The lengths first, in a loop of independent loads (the units
            // are far apart in the table: a cache miss each), so that the
            // processor overlaps the misses.
            let fresh_lens: Vec<(u16, u16, bool)> = fresh
                .iter()
                .map(|&(unit, _)| {
                    usize::try_from(unit)
                        .ok()
                        .and_then(|u| lens.get(u))
                        .copied()
                        .unwrap_or((0, 0, false))
                })
                .collect();
            for (&(unit, hits), &(min_len, max_len, tagged)) in fresh.iter().zip(&fresh_lens) {
                if hits < t_of(tagged) || max_len == 0 {
                    continue;
                }
                let bound = filter.score_bound_over(min_len, max_len, tagged, hits);
                if bound >= min_score {
                    verify.push((bound, Reverse(unit << 16), true));
                }
            }
        }
        // Parsing a tag costs more than the rest of a check: once per tag.
        let mut lang_seen: HashMap<smol_str::SmolStr, bool> = HashMap::new();
        let mut level = u8::MAX;
        let mut docs: Vec<u64> = Vec::new();
        while let Some((bound, Reverse(key), is_unit)) = verify.pop() {
            if bound < level {
                // Every candidate that can score above `bound` is in `out`.
                // When `limit` units with a target already score above it,
                // no remaining candidate can enter the result (see
                // `finish_matches`: it ranks whole score levels), so the rest
                // are skipped without reading their records.
                if self.enough_above(snap, out, bound, n, from, top, read)? {
                    break;
                }
                level = bound;
            }
            docs.clear();
            match (is_unit, all) {
                // The unit's segments in the language, but those the sparse
                // lists gave (already candidates, or proven unable).
                (true, Some(all)) => {
                    for i in all.unit_postings(key >> 16) {
                        let doc = all.docs[i];
                        if docs.last() != Some(&doc) && sparse_docs.binary_search(&doc).is_err() {
                            docs.push(doc);
                        }
                    }
                }
                _ => docs.push(key),
            }
            for &doc in &docs {
                if seen.contains(&doc) {
                    continue;
                }
                let Some(rec) = self.doc_cached(snap, doc, generation)? else {
                    continue; // a stale posting of a deleted or updated unit
                };
                let ok = match lang_seen.get(rec.lang.as_str()) {
                    Some(&ok) => ok,
                    None => {
                        let ok = lang_ok(&rec.lang, from);
                        lang_seen.insert(rec.lang.clone(), ok);
                        ok
                    }
                };
                if !ok {
                    continue;
                }
                if let Some(d) = filter.verify(&rec.sig.toks) {
                    out.push(Scored {
                        unit: doc >> 16,
                        variant: doc as u16,
                        d,
                        m: rec.sig.len(),
                    });
                }
            }
        }
        Ok(())
    }

    /// The query's posting lists (see [`QueryLists`]), from the cache or the
    /// store.
    fn query_lists(
        &self,
        snap: &dyn Snapshot,
        qsig: &Sig,
        qkeys: &[String],
        lang_id: u16,
    ) -> Result<QueryLists> {
        let damaged = || self.damaged("posting list");
        // A class's tokens count together: one list each.
        let mut lists: Vec<(Option<Arc<PostingList>>, u64, usize)> = Vec::new();
        let mut index_of: HashMap<(u8, &str), usize> = HashMap::new();
        for (t, key) in qsig.toks.iter().zip(qkeys) {
            match index_of.get(&(t.kind as u8, key.as_str())) {
                Some(&i) => lists[i].2 += 1,
                None => {
                    let info = self.token_info(snap, &token_key(lang_id, t.kind as u8, key))?;
                    let list = match &info {
                        Some(info) => Some(self.postings.get(snap, info, &damaged)?),
                        None => None,
                    };
                    index_of.insert((t.kind as u8, key.as_str()), lists.len());
                    lists.push((list, info.map_or(0, |i| i.id), 1));
                }
            }
        }
        Ok(QueryLists::new(lists))
    }

    /// True when at least `top.limit` distinct units of `scored` score above
    /// `bound` and would be kept by `finish_matches` (the unit exists, its
    /// source variant is in `from` and it has a target in `top.to`).
    /// `read` keeps that test per doc id, and the units it reads.
    #[allow(clippy::too_many_arguments)]
    fn enough_above(
        &self,
        snap: &dyn Snapshot,
        scored: &[Scored],
        bound: u8,
        n: usize,
        from: &Lang,
        top: &TopK<'_>,
        read: &mut UnitsRead,
    ) -> Result<bool> {
        let above: Vec<&Scored> = scored
            .iter()
            .filter(|s| score::score_of(s.d, n, s.m) > bound)
            .collect();
        let mut units: HashSet<u64> = HashSet::new();
        if above.iter().filter(|s| units.insert(s.unit)).count() < top.limit {
            return Ok(false);
        }
        units.clear();
        for s in above {
            if units.contains(&s.unit) {
                continue;
            }
            let doc = index::doc_id(s.unit, s.variant);
            let ok = match read.usable.get(&doc) {
                Some(&ok) => ok,
                None => {
                    let ok = self.unit_read(snap, read, s.unit)?.is_some_and(|unit| {
                        unit.variants
                            .get(usize::from(s.variant))
                            .is_some_and(|src| src.lang.match_quality(from).is_some())
                            && target_of(&unit, s.variant, from, top.to).is_some()
                    });
                    read.usable.insert(doc, ok);
                    ok
                }
            };
            if ok {
                units.insert(s.unit);
                if units.len() >= top.limit {
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }

    fn token_info(&self, snap: &dyn Snapshot, key: &[u8]) -> Result<Option<TokenInfo>> {
        match snap.token(key)? {
            None => Ok(None),
            Some(b) => Ok(Some(
                TokenInfo::decode(&b).ok_or_else(|| self.damaged("token record"))?,
            )),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn finish_matches(
        &self,
        snap: &dyn Snapshot,
        read: &mut UnitsRead,
        query: &str,
        qsig: &Sig,
        scored: Vec<Scored>,
        from: &Lang,
        to: &Lang,
        options: &LookupOptions,
    ) -> Result<Vec<Match>> {
        // Best source variant per unit, then rank.
        struct Cand {
            s: Scored,
            score: u8,
            src_q: LangMatch,
            tgt_q: LangMatch,
            tgt: usize,
            unit: std::rc::Rc<TranslationUnit>,
        }
        let mut best: HashMap<u64, Cand> = HashMap::new();
        // Best scores first, a whole score level at a time: once `limit`
        // units with a target are found, lower levels cannot rank above them
        // (ties within a level are ranked by language and recency, so a level
        // is always finished).
        let mut scored = scored;
        scored.sort_by_key(|s| std::cmp::Reverse(score::score_of(s.d, qsig.len(), s.m)));
        let mut level = u8::MAX;
        for s in scored {
            let base = score::score_of(s.d, qsig.len(), s.m);
            if base < level {
                if best.len() >= options.limit {
                    break;
                }
                level = base;
            }
            let Some(unit) = self.unit_read(snap, read, s.unit)? else {
                continue;
            };
            let Some(src) = unit.variants.get(s.variant as usize) else {
                continue;
            };
            let Some(src_q) = src.lang.match_quality(from) else {
                continue;
            };
            let Some((tgt, tgt_q)) = target_of(&unit, s.variant, from, to) else {
                continue;
            };
            let mut score = score::score_of(s.d, qsig.len(), s.m);
            if s.d == 0 && in_context(&unit, options) {
                score = 101;
            }
            let better = match best.get(&s.unit) {
                None => true,
                Some(c) => {
                    (score, src_q, std::cmp::Reverse(s.variant))
                        > (c.score, c.src_q, std::cmp::Reverse(c.s.variant))
                }
            };
            if better {
                best.insert(
                    s.unit,
                    Cand {
                        s,
                        score,
                        src_q,
                        tgt_q,
                        tgt,
                        unit,
                    },
                );
            }
        }
        let mut cands: Vec<Cand> = best.into_values().collect();
        cands.sort_by(|a, b| {
            (b.score, b.src_q, b.tgt_q, b.s.unit).cmp(&(a.score, a.src_q, a.tgt_q, a.s.unit))
        });
        cands.truncate(options.limit);
        let mut out = Vec::with_capacity(cands.len());
        for c in cands {
            let source = c.unit.variants[c.s.variant as usize].clone();
            let target = c.unit.variants[c.tgt].clone();
            let stext = nfc(&source.segment.plain_text()).into_owned();
            let (ssig, _) = Sig::of_text(&stext, &source.lang);
            let (_, steps) = score::align(&qsig.toks, &ssig.toks);
            let breakdown = EditBreakdown::of(&steps, &qsig.toks, &ssig.toks);
            let adapted_target = score::adapt_target(query, &stext, &target.segment.plain_text(), &steps);
            out.push(Match {
                score: c.score,
                kind: match c.score {
                    101 => MatchKind::Context,
                    100 => MatchKind::Exact,
                    _ => MatchKind::Fuzzy,
                },
                unit_id: c.s.unit,
                tuid: c.unit.tuid.clone(),
                source,
                target,
                adapted_target,
                breakdown,
            });
        }
        Ok(out)
    }

    /// Finds `phrase` (in language `lang`) in stored segments, at most
    /// `limit` units, newest first.
    ///
    /// The phrase's words must appear in order and adjacent (punctuation
    /// between them is not skipped), each compared by its loose key (case and
    /// diacritics ignored). The last word may carry an inflection: an
    /// apostrophe suffix in any language (`Şuşa'da`), and whatever the suffix
    /// analyser ([`crate::text::stem`]) reads as an inflection: Turkish and
    /// Azerbaijani suffixes written on directly (`Şuşada`, `Azərbaycanın`,
    /// `kitabı` for `kitap`), English plurals. Derivations (`azərbaycanlı`) are
    /// not inflections and are not found.
    ///
    /// Cost: the posting lists of the phrase's words (for the last word,
    /// of every indexed word that begins like it), then a re-tokenization of
    /// each candidate.
    pub fn concordance(&self, phrase: &str, lang: &Lang, limit: usize) -> Result<Vec<ConcordanceHit>> {
        let snap = self.store.snapshot()?;
        let counters = self.counters(&*snap)?;
        let lang_id = self.lang_ids(&counters, lang)?;
        let phrase = nfc(phrase);
        let words: Vec<(score::Kind, String)> = tokenize(&phrase)
            .take(MAX_TOKENS)
            .map(|t| {
                let (sig, key) = score::token_sig(t.kind, t.text, lang);
                (sig.kind, key.into_owned())
            })
            .collect();
        let Some(((last_kind, last_key), head)) = words.split_last() else {
            return Ok(Vec::new());
        };
        if limit == 0 {
            return Ok(Vec::new());
        }
        let damaged = || self.damaged("posting list");
        // Candidate units: the rarest head word's list, or for a one-word
        // phrase, every class the last word begins.
        let mut units: Option<HashSet<u64>> = None;
        let mut rarest: Option<TokenInfo> = None;
        for (kind, key) in head {
            let Some(info) = self.token_info(&*snap, &token_key(lang_id, *kind as u8, key))? else {
                return Ok(Vec::new());
            };
            if rarest.is_none_or(|r| info.df < r.df) {
                rarest = Some(info);
            }
        }
        if let Some(info) = rarest {
            let mut set = HashSet::new();
            index::read_postings(
                &*snap,
                &info,
                &mut |p| {
                    set.insert(p.unit);
                },
                &damaged,
            )?;
            units = Some(set);
        }
        let mut infos = Vec::new();
        if *last_kind == score::Kind::Word && !last_key.is_empty() {
            // A stem may alternate its last consonant (kitap → kitabı): scan
            // the classes that begin with the key minus its last letter.
            let mut prefix = last_key.clone();
            if prefix.chars().count() > 2 {
                prefix.pop();
            }
            snap.tokens_with_prefix(&token_key(lang_id, *last_kind as u8, &prefix), &mut |_, v| {
                if let Some(i) = TokenInfo::decode(v) {
                    infos.push(i);
                }
                true
            })?;
        } else if let Some(info) = self.token_info(&*snap, &token_key(lang_id, *last_kind as u8, last_key))? {
            infos.push(info);
        }
        let mut last_units: HashSet<u64> = HashSet::new();
        for info in infos {
            index::read_postings(
                &*snap,
                &info,
                &mut |p| {
                    last_units.insert(p.unit);
                },
                &damaged,
            )?;
        }
        let mut cands: Vec<u64> = match units {
            Some(u) => u.intersection(&last_units).copied().collect(),
            None => last_units.into_iter().collect(),
        };
        cands.sort_unstable_by(|a, b| b.cmp(a));
        let mut hits = Vec::new();
        for id in cands {
            let Some(unit) = self.load_unit(&*snap, id)? else {
                continue;
            };
            for (vi, v) in unit.variants.iter().enumerate() {
                if !v.lang.matches(lang) {
                    continue;
                }
                let text = v.segment.plain_text();
                let spans = find_phrase(&text, &v.lang, head, last_key, *last_kind);
                if spans.is_empty() {
                    continue;
                }
                let translations = unit
                    .variants
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != vi)
                    .map(|(_, v)| v.clone())
                    .collect();
                hits.push(ConcordanceHit {
                    unit_id: id,
                    tuid: unit.tuid.clone(),
                    variant: v.clone(),
                    text,
                    spans,
                    translations,
                });
                break;
            }
            if hits.len() >= limit {
                break;
            }
        }
        Ok(hits)
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
            let s: StoredUnit =
                postcard::from_bytes(bytes).map_err(|_| self.damaged(&format!("unit {id}")))?;
            units += 1;
            for (i, v) in s.unit.variants.iter().enumerate().take(u16::MAX as usize) {
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
}

/// The minimum scores a fuzzy lookup tries in turn, ending with the
/// caller's. A higher minimum allows fewer unshared tokens, so its prefix
/// filter reads fewer and rarer posting lists: when a memory holds `limit`
/// close matches (the common case in a large memory), a pass at 90 finds
/// them for a fraction of the cost of a pass at 70. The result is the same
/// as one pass at the caller's minimum: a pass stops the search only when
/// `limit` units reach its minimum, and every unit at or above it was seen.
fn deepening(min_score: u8) -> impl Iterator<Item = u8> {
    [90u8]
        .into_iter()
        .filter(move |&s| s > min_score)
        .chain(std::iter::once(min_score))
}

fn lang_ok(tag: &str, wanted: &Lang) -> bool {
    Lang::parse(tag).is_ok_and(|l| l.matches(wanted))
}

/// The best target variant of `unit` for a match on variant `src`: the
/// variant (not `src`) whose language serves `to` best, the first on ties.
fn target_of(unit: &TranslationUnit, src: u16, _from: &Lang, to: &Lang) -> Option<(usize, LangMatch)> {
    let mut best: Option<(usize, LangMatch)> = None;
    for (i, v) in unit.variants.iter().enumerate() {
        if i == src as usize || v.segment.is_empty() {
            continue;
        }
        if let Some(q) = v.lang.match_quality(to)
            && q >= LangMatch::Compatible
            && best.is_none_or(|(_, b)| q > b)
        {
            best = Some((i, q));
        }
    }
    best
}

fn in_context(unit: &TranslationUnit, options: &LookupOptions) -> bool {
    if options.prev.is_none() && options.next.is_none() {
        return false;
    }
    let same = |want: &Option<String>, prop: &str| match want {
        None => true,
        Some(w) => nfc(w).trim() == nfc(unit.prop(prop).unwrap_or("")).trim(),
    };
    same(&options.prev, "prev") && same(&options.next, "next")
}

/// Byte spans of the phrase in `text`.
fn find_phrase(
    text: &str,
    lang: &Lang,
    head: &[(score::Kind, String)],
    last_key: &str,
    last_kind: score::Kind,
) -> Vec<(usize, usize)> {
    let toks: Vec<_> = tokenize(text).collect();
    let keys: Vec<(score::Kind, String, &str, usize, usize, &str)> = toks
        .iter()
        .map(|t| {
            let (sig, key) = score::token_sig(t.kind, t.text, lang);
            (sig.kind, key.into_owned(), t.stem(), t.start, t.end(), t.text)
        })
        .collect();
    let mut spans = Vec::new();
    let k = head.len();
    let mut i = 0;
    while i + k < keys.len() {
        let head_ok = head
            .iter()
            .zip(&keys[i..i + k])
            .all(|((hk, hkey), (tk, tkey, ..))| hk == tk && hkey == tkey);
        let last = &keys[i + k];
        let last_ok = head_ok && last.0 == last_kind && {
            if last.1 == last_key {
                true
            } else if last_kind == score::Kind::Word {
                let stem_key = crate::text::loose_key(last.2, lang);
                stem_key == last_key || inflects(last.5, last_key, lang)
            } else {
                false
            }
        };
        if last_ok {
            spans.push((keys[i].3, last.4));
            i += k + 1;
        } else {
            i += 1;
        }
    }
    spans
}

/// True when `surface` (a word as written) is an inflection of a word whose
/// loose key is `base_key`: some reading of it by the suffix analyser
/// ([`crate::text::stem`]: Turkish and Azerbaijani case, number and
/// possession, English plurals and possessives) has that base.
fn inflects(surface: &str, base_key: &str, lang: &Lang) -> bool {
    crate::text::stem::analyses(surface, lang)
        .iter()
        .any(|a| crate::text::loose_key(&a.base, lang) == base_key)
}

fn encode<T: Serialize>(path: &Path, v: &T) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    encode_into(path, v, &mut out)?;
    Ok(out)
}

/// [`encode`], appending to `out`.
fn encode_into<T: Serialize>(path: &Path, v: &T, out: &mut Vec<u8>) -> Result<()> {
    postcard::to_io(v, out).map(|_| ()).map_err(|e| Error::Store {
        path: path.to_path_buf(),
        message: format!("cannot encode a record: {e}"),
    })
}

/// The builder's state across an import's batches: token text → signature
/// and local token index, and token key → local index. Local indices count
/// the import's distinct tokens from 0; [`PostingWriter`] maps them to token
/// records.
#[derive(Default)]
struct KeyCache {
    /// Per language id: token text → (signature, local token index).
    words: HashMap<u16, HashMap<smol_str::SmolStr, (TokSig, u32), FastHash>, FastHash>,
    /// Token key → local index.
    by_key: HashMap<Vec<u8>, u32, FastHash>,
    /// The keys of the local indices given since the last batch was sealed.
    new_keys: Vec<Vec<u8>>,
    /// Per language id, the local index of its all-segments list.
    all: Vec<Option<u32>>,
}

impl KeyCache {
    /// The local index of the list of every segment in language `lang_id`.
    fn all_segments(&mut self, lang_id: u16) -> u32 {
        let at = usize::from(lang_id);
        if let Some(Some(i)) = self.all.get(at) {
            return *i;
        }
        let i = self.local(token_key(lang_id, ALL_KIND, ""));
        if self.all.len() <= at {
            self.all.resize(at + 1, None);
        }
        self.all[at] = Some(i);
        i
    }

    fn local(&mut self, key: Vec<u8>) -> u32 {
        if let Some(&i) = self.by_key.get(&key) {
            return i;
        }
        let i = self.by_key.len() as u32;
        self.new_keys.push(key.clone());
        self.by_key.insert(key, i);
        i
    }

    /// The signature of `text` and the local token index of each token.
    fn sig(&mut self, text: &str, lang: &Lang, lang_id: u16) -> (Sig, Vec<u32>) {
        let mut toks = Vec::with_capacity(32);
        let mut ids = Vec::with_capacity(32);
        // Out of `self` for the loop (which calls `self.local`).
        let mut words = std::mem::take(self.words.entry(lang_id).or_default());
        for t in tokenize(text).take(MAX_TOKENS) {
            let (sig, id) = match words.get(t.text) {
                Some(&e) => e,
                None => {
                    let (sig, key) = score::token_sig(t.kind, t.text, lang);
                    let id = self.local(token_key(lang_id, sig.kind as u8, &key));
                    // Bound the memory of an endless import of unique tokens.
                    if words.len() > 1_000_000 {
                        words.clear();
                    }
                    words.insert(smol_str::SmolStr::new(t.text), (sig, id));
                    (sig, id)
                }
            };
            toks.push(sig);
            ids.push(id);
        }
        self.words.insert(lang_id, words);
        (Sig { toks }, ids)
    }
}

/// Seeded, fast hashing for the import's maps of tokens and hashes.
type FastHash = foldhash::fast::RandomState;

/// Docs by exact hash. Nearly every hash has one doc: it is kept inline, so
/// that a batch of 150,000 docs is not 150,000 small allocations.
#[derive(Default)]
struct ExactDocs(HashMap<u64, DocsOfHash, FastHash>);

enum DocsOfHash {
    One(u64),
    Many(Vec<u64>),
}

impl DocsOfHash {
    fn as_slice(&self) -> &[u64] {
        match self {
            DocsOfHash::One(d) => std::slice::from_ref(d),
            DocsOfHash::Many(v) => v,
        }
    }
}

impl ExactDocs {
    fn add(&mut self, hash: u64, doc: u64) {
        match self.0.entry(hash) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(DocsOfHash::One(doc));
            }
            std::collections::hash_map::Entry::Occupied(mut o) => {
                let docs = o.get_mut();
                match docs {
                    DocsOfHash::One(first) => *docs = DocsOfHash::Many(vec![*first, doc]),
                    DocsOfHash::Many(v) => v.push(doc),
                }
            }
        }
    }

    fn get(&self, hash: u64) -> &[u64] {
        self.0.get(&hash).map_or(&[], DocsOfHash::as_slice)
    }

    fn pairs(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.0
            .iter()
            .flat_map(|(h, docs)| docs.as_slice().iter().map(move |d| (*h, *d)))
    }
}

/// What the batch before this one wrote, for duplicates of its units while
/// it commits: its exact-hash entries and its units.
#[derive(Default)]
struct Pending {
    exact: ExactDocs,
    units: std::sync::Arc<BTreeMap<u64, TranslationUnit>>,
}

struct Batch<'a> {
    tm: &'a TranslationMemory,
    counters: Counters,
    cache: KeyCache,
    pending: Pending,
    /// The change set being assembled; its buffers may be an earlier batch's.
    out: ChangeSet,
    /// Units written in this batch (new or merged into).
    units: BTreeMap<u64, TranslationUnit>,
    exact_add: ExactDocs,
    /// Every posting added in this batch with its local token index, in the
    /// order added (so by unit within a token).
    postings: Vec<(u32, Posting)>,
    /// Docs removed in this batch (so the exact lookup of a merge skips them).
    removed_docs: HashSet<u64>,
}

impl<'a> Batch<'a> {
    fn new(tm: &'a TranslationMemory, counters: Counters) -> Batch<'a> {
        Batch {
            tm,
            counters,
            cache: KeyCache::default(),
            pending: Pending::default(),
            out: ChangeSet::default(),
            units: BTreeMap::new(),
            exact_add: ExactDocs::default(),
            postings: Vec::new(),
            removed_docs: HashSet::new(),
        }
    }

    fn next_unit(&self) -> u64 {
        self.counters.next_unit
    }

    fn lang_id(&mut self, lang: &Lang) -> u16 {
        match self.counters.langs.iter().position(|l| l == lang.primary()) {
            Some(i) => i as u16,
            None => {
                self.counters.langs.push(lang.primary().to_string());
                (self.counters.langs.len() - 1) as u16
            }
        }
    }

    /// Adds `unit`, merging it into a duplicate; the id, or `None` when it
    /// has no text.
    fn add(&mut self, snap: &dyn Snapshot, mut unit: TranslationUnit) -> Result<Option<u64>> {
        normalize_unit(&mut unit);
        let sigs = self.sigs(&unit);
        let Some(hash) = sigs.iter().find(|s| s.1.len() > 0).map(|s| s.1.exact_hash(s.0)) else {
            return Ok(None);
        };
        // Duplicates: stored units with the same text in the probe variant.
        let mut docs = Vec::new();
        snap.exact(hash, &mut docs)?;
        docs.retain(|d| !self.removed_docs.contains(d));
        docs.extend_from_slice(self.exact_add.get(hash));
        docs.extend_from_slice(self.pending.exact.get(hash));
        let mut seen = HashSet::new();
        for doc in docs {
            let id = doc >> 16;
            if !seen.insert(id) {
                continue;
            }
            let stored = match (self.units.get(&id), self.pending.units.get(&id)) {
                (Some(u), _) | (None, Some(u)) => Some(u.clone()),
                (None, None) => self.tm.load_unit(snap, id)?,
            };
            if let Some(mut stored) = stored
                && is_duplicate(&unit, &stored)
            {
                merge_into(&mut stored, unit);
                self.units.insert(id, stored);
                return Ok(Some(id));
            }
        }
        let id = self.counters.next_unit;
        self.insert_sigs(id, unit, sigs);
        Ok(Some(id))
    }

    /// Language id, signature and local token ids of every variant.
    fn sigs(&mut self, unit: &TranslationUnit) -> Vec<(u16, Sig, Vec<u32>)> {
        let mut out = Vec::with_capacity(unit.variants.len());
        for v in unit.variants.iter().take(u16::MAX as usize) {
            let lang_id = self.lang_id(&v.lang);
            let (sig, ids) = self.cache.sig(&v.segment.plain_text(), &v.lang, lang_id);
            out.push((lang_id, sig, ids));
        }
        out
    }

    /// Stores `unit` as `id` and indexes it.
    fn insert_as(&mut self, id: u64, mut unit: TranslationUnit) {
        normalize_unit(&mut unit);
        let sigs = self.sigs(&unit);
        self.insert_sigs(id, unit, sigs);
    }

    fn insert_sigs(&mut self, id: u64, unit: TranslationUnit, sigs: Vec<(u16, Sig, Vec<u32>)>) {
        self.counters.next_unit = self.counters.next_unit.max(id + 1);
        // Counted without allocating a key unless it is new: this runs for
        // every unit imported.
        fn count(map: &mut BTreeMap<String, u64>, key: &str) {
            match map.get_mut(key) {
                Some(c) => *c += 1,
                None => {
                    map.insert(key.to_string(), 1);
                }
            }
        }
        let mut langs: Vec<&str> = Vec::with_capacity(unit.variants.len());
        for (i, (v, (lang_id, sig, ids))) in unit.variants.iter().zip(sigs).enumerate() {
            count(&mut self.counters.stats.languages, v.lang.as_str());
            if !langs.contains(&v.lang.as_str()) {
                langs.push(v.lang.as_str());
            }
            if sig.len() == 0 {
                continue;
            }
            let doc = doc_id(id, i as u16);
            let exact_hash = sig.exact_hash(lang_id);
            let posting = Posting {
                unit: id,
                variant: i as u16,
                len: sig.len() as u16,
                tagged: sig.tags() > 0,
            };
            let mut distinct = ids;
            distinct.sort_unstable();
            distinct.dedup();
            distinct.push(self.cache.all_segments(lang_id));
            for t in distinct {
                self.postings.push((t, posting));
            }
            self.exact_add.add(exact_hash, doc);
            let lang = v.lang.as_str();
            self.out
                .docs_put
                .push_with(doc, |b| DocRecord::encode_parts(b, lang, exact_hash, &sig));
        }
        langs.sort_unstable();
        let mut pair = String::new();
        for (i, a) in langs.iter().enumerate() {
            for b in &langs[i + 1..] {
                pair.clear();
                pair.push_str(a);
                pair.push('|');
                pair.push_str(b);
                count(&mut self.counters.stats.pairs, &pair);
            }
        }
        self.counters.stats.units += 1;
        self.units.insert(id, unit);
    }

    /// Removes unit `id` and its index records (postings stay, stale, and are
    /// skipped at lookup). False when there is no such unit.
    fn remove(&mut self, snap: &dyn Snapshot, id: u64) -> Result<bool> {
        let Some(unit) = self.tm.load_unit(snap, id)? else {
            return Ok(false);
        };
        let mut langs: Vec<String> = Vec::new();
        for (i, v) in unit.variants.iter().enumerate().take(u16::MAX as usize) {
            let doc = doc_id(id, i as u16);
            if let Some(rec) = self.tm.doc(snap, doc)? {
                self.out.exact_del.push((rec.exact_hash, doc));
                self.out.docs_del.push(doc);
                self.removed_docs.insert(doc);
            }
            if let Some(c) = self.counters.stats.languages.get_mut(v.lang.as_str()) {
                *c = c.saturating_sub(1);
                if *c == 0 {
                    self.counters.stats.languages.remove(v.lang.as_str());
                }
            }
            if !langs.contains(&v.lang.to_string()) {
                langs.push(v.lang.to_string());
            }
        }
        langs.sort();
        for (i, a) in langs.iter().enumerate() {
            for b in &langs[i + 1..] {
                let key = format!("{a}|{b}");
                if let Some(c) = self.counters.stats.pairs.get_mut(&key) {
                    *c = c.saturating_sub(1);
                    if *c == 0 {
                        self.counters.stats.pairs.remove(&key);
                    }
                }
            }
        }
        self.counters.stats.units = self.counters.stats.units.saturating_sub(1);
        self.out.units_del.push(id);
        Ok(true)
    }

    /// The change set: [`seal`](Self::seal) then [`PostingWriter::complete`].
    fn finish(self, snap: &dyn Snapshot) -> Result<ChangeSet> {
        let tm = self.tm;
        let (sealed, ..) = self.seal();
        let mut writer = PostingWriter::new(sealed.counters.next_token);
        Ok(writer.complete(tm, snap, sealed)?.0)
    }

    /// Hands the batch's work over to a [`PostingWriter`] (docs and exact
    /// entries are in the change set already; units, postings and counters
    /// go with it), with what the next batch of an import builds on: the
    /// word cache, and what this one wrote, for duplicates of its units
    /// while it commits.
    fn seal(mut self) -> (Sealed, KeyCache, Pending) {
        self.out.exact_add.extend(self.exact_add.pairs());
        let units = std::sync::Arc::new(self.units);
        let new_keys = std::mem::take(&mut self.cache.new_keys);
        let pending = Pending {
            exact: self.exact_add,
            units: units.clone(),
        };
        let sealed = Sealed {
            changes: self.out,
            units,
            postings: self.postings,
            new_keys,
            counters: self.counters,
        };
        (sealed, self.cache, pending)
    }
}

/// A batch as [`Batch::seal`] hands it over.
struct Sealed {
    changes: ChangeSet,
    units: std::sync::Arc<BTreeMap<u64, TranslationUnit>>,
    /// (local token index, posting), in the order added.
    postings: Vec<(u32, Posting)>,
    /// The keys of the local token indices first given in this batch.
    new_keys: Vec<Vec<u8>>,
    counters: Counters,
}

/// The second half of writing a batch: units encoded, postings appended to
/// their tokens' lists chunk by chunk, token records and counters written.
/// In an import it runs on the commit thread, beside the next batch's
/// tokenizing; it keeps, per local token index, the key, the committed
/// record and the last chunk, so that a token's record is read once.
struct PostingWriter {
    keys: Vec<Vec<u8>>,
    tokens: Vec<Option<(TokenInfo, Chunk)>>,
    next_token: u64,
    /// Scratch for the counting sort, kept from batch to batch.
    starts: Vec<u32>,
    order: Vec<u32>,
}

impl PostingWriter {
    fn new(next_token: u64) -> PostingWriter {
        PostingWriter {
            keys: Vec::new(),
            tokens: Vec::new(),
            next_token,
            starts: Vec::new(),
            order: Vec::new(),
        }
    }

    /// The complete change set of `sealed`, read against `snap` (which must
    /// hold every batch before it), and its emptied postings buffer.
    fn complete(
        &mut self,
        tm: &TranslationMemory,
        snap: &dyn Snapshot,
        sealed: Sealed,
    ) -> Result<(ChangeSet, Vec<(u32, Posting)>)> {
        let Sealed {
            changes: mut c,
            units,
            mut postings,
            new_keys,
            mut counters,
        } = sealed;
        for (id, unit) in units.iter() {
            c.units_put
                .try_push_with(*id, |b| encode_into(&tm.path, &StoredUnitRef { unit }, b))?;
        }
        drop(units);
        self.tokens.extend(new_keys.iter().map(|_| None));
        self.keys.extend(new_keys);
        // The postings grouped by token, in local token order, by a counting
        // sort (stable: a token's postings stay in unit order).
        let n = self.keys.len();
        let starts = &mut self.starts;
        starts.clear();
        starts.resize(n + 1, 0);
        for (t, _) in &postings {
            let t = *t as usize;
            if t >= n {
                return Err(tm.corrupt("an import batch refers to a token it did not name"));
            }
            starts[t + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let order = &mut self.order;
        order.clear();
        order.resize(postings.len(), 0);
        let mut next = starts.clone();
        for (i, (t, _)) in postings.iter().enumerate() {
            order[next[*t as usize] as usize] = i as u32;
            next[*t as usize] += 1;
        }
        for local in 0..n {
            let (from, to) = (self.starts[local] as usize, self.starts[local + 1] as usize);
            if from == to {
                continue;
            }
            let key = &self.keys[local];
            let (mut info, mut chunk) = match self.tokens[local].take() {
                Some(state) => state,
                None => match tm.token_info(snap, key)? {
                    Some(info) => {
                        let last = snap
                            .posting_chunk(info.chunk_key(info.chunks.saturating_sub(1)))?
                            .and_then(Chunk::from_bytes)
                            .ok_or_else(|| tm.damaged("posting list"))?;
                        (info, last)
                    }
                    None => {
                        let info = TokenInfo {
                            id: self.next_token,
                            df: 0,
                            chunks: 1,
                        };
                        self.next_token += 1;
                        (info, Chunk::new())
                    }
                },
            };
            for &i in &self.order[from..to] {
                if chunk.count >= CHUNK_ENTRIES {
                    let full = std::mem::replace(&mut chunk, Chunk::new());
                    c.postings_put.push(info.chunk_key(info.chunks - 1), &full.bytes);
                    info.chunks += 1;
                }
                chunk.push(postings[i as usize].1);
                info.df += 1;
            }
            c.postings_put.push(info.chunk_key(info.chunks - 1), &chunk.bytes);
            c.tokens_put.push((key.clone(), info.encode()));
            self.tokens[local] = Some((info, chunk));
        }
        counters.next_token = self.next_token;
        c.meta.push(("counters".into(), encode(&tm.path, &counters)?));
        postings.clear();
        Ok((c, postings))
    }
}

/// NFC at the edge: stored text is NFC.
fn normalize_unit(unit: &mut TranslationUnit) {
    fn walk(items: &mut [crate::model::Inline]) {
        for item in items {
            match item {
                crate::model::Inline::Text(t) => {
                    if let std::borrow::Cow::Owned(o) = nfc(t) {
                        *t = o;
                    }
                }
                crate::model::Inline::Tag(tag) => walk(&mut tag.content),
                crate::model::Inline::Sub(sub) => walk(&mut sub.content),
            }
        }
    }
    for v in &mut unit.variants {
        walk(&mut v.segment.content);
    }
}

fn context_props(unit: &TranslationUnit) -> (Option<&str>, Option<&str>) {
    (unit.prop("prev"), unit.prop("next"))
}

/// `new` duplicates `stored`: every variant of `new` is in `stored` with the
/// same language tag and segment, and the context is the same.
fn is_duplicate(new: &TranslationUnit, stored: &TranslationUnit) -> bool {
    context_props(new) == context_props(stored)
        && new.variants.iter().all(|v| {
            stored
                .variants
                .iter()
                .any(|s| s.lang == v.lang && s.segment == v.segment)
        })
}

fn max_date(a: &mut Option<TmxDate>, b: Option<TmxDate>) {
    if let Some(b) = b
        && b.is_valid()
        && a.as_ref().is_none_or(|x| !x.is_valid() || *x < b)
    {
        *a = Some(b);
    }
}

fn merge_into(stored: &mut TranslationUnit, new: TranslationUnit) {
    let a = &mut stored.attrs;
    max_date(&mut a.change_date, new.attrs.change_date.clone());
    max_date(&mut a.last_usage_date, new.attrs.last_usage_date.clone());
    if let Some(b) = new.attrs.creation_date.clone()
        && b.is_valid()
        && a.creation_date.as_ref().is_none_or(|x| !x.is_valid() || b < *x)
    {
        a.creation_date = Some(b);
    }
    if new.attrs.change_date.is_some() && a.change_date == new.attrs.change_date {
        a.change_id = new.attrs.change_id.clone().or(a.change_id.take());
    }
    let count = |s: &Option<String>| s.as_deref().map(|s| s.trim().parse::<u64>());
    a.usage_count = match (count(&a.usage_count), count(&new.attrs.usage_count)) {
        (Some(Ok(x)), Some(Ok(y))) => Some(x.saturating_add(y).to_string()),
        (None, Some(Ok(y))) => Some(y.to_string()),
        // One side holds text that is not a number: keep what is stored.
        _ => a.usage_count.take().or(new.attrs.usage_count.clone()),
    };
    let props: Vec<Prop> = new.props;
    for p in props {
        if !stored.props.contains(&p) {
            stored.props.push(p);
        }
    }
    for n in new.notes {
        if !stored.notes.contains(&n) {
            stored.notes.push(n);
        }
    }
}

#[cfg(test)]
mod tests;
