//! One batch of writes: the units it adds, merges, replaces or removes,
//! tokenized and hashed, with the state an import carries from batch to
//! batch (the word cache, what the batch before wrote).

use std::collections::{BTreeMap, HashMap, HashSet};

use super::merge::{is_duplicate, merge_into, normalize_unit};
use crate::error::Result;
use crate::lang::Lang;
use crate::model::TranslationUnit;
use crate::text::tokenize;
use crate::tm::TranslationMemory;
use crate::tm::index::{ALL_KIND, Posting, doc_id, token_key};
use crate::tm::record::{Counters, DocRecord};
use crate::tm::score::{self, MAX_TOKENS, Sig, TokSig};
use crate::tm::store::{ChangeSet, Snapshot};

/// The builder's state across an import's batches: token text → signature
/// and local token index, and token key → local index. Local indices count
/// the import's distinct tokens from 0; `PostingWriter` maps them to token
/// records.
#[derive(Default)]
pub(super) struct KeyCache {
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
pub(super) struct Pending {
    exact: ExactDocs,
    units: std::sync::Arc<BTreeMap<u64, TranslationUnit>>,
}

/// A batch of writes being assembled: the units it writes, their doc records
/// and exact-hash entries (in `out` already), and their postings by local
/// token index, until [`seal`](Batch::seal) hands them on.
pub(super) struct Batch<'a> {
    pub(super) tm: &'a TranslationMemory,
    counters: Counters,
    pub(super) cache: KeyCache,
    pub(super) pending: Pending,
    /// The change set being assembled; its buffers may be an earlier batch's.
    pub(super) out: ChangeSet,
    /// Units written in this batch (new or merged into).
    units: BTreeMap<u64, TranslationUnit>,
    exact_add: ExactDocs,
    /// Every posting added in this batch with its local token index, in the
    /// order added (so by unit within a token).
    pub(super) postings: Vec<(u32, Posting)>,
    /// Docs removed in this batch (so the exact lookup of a merge skips them).
    removed_docs: HashSet<u64>,
}

impl<'a> Batch<'a> {
    pub(super) fn new(tm: &'a TranslationMemory, counters: Counters) -> Batch<'a> {
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

    pub(super) fn next_unit(&self) -> u64 {
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
    pub(super) fn add(&mut self, snap: &dyn Snapshot, mut unit: TranslationUnit) -> Result<Option<u64>> {
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
    pub(super) fn insert_as(&mut self, id: u64, mut unit: TranslationUnit) {
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
    pub(super) fn remove(&mut self, snap: &dyn Snapshot, id: u64) -> Result<bool> {
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

    /// Hands the batch's work over to a `PostingWriter` (docs and exact
    /// entries are in the change set already; units, postings and counters
    /// go with it), with what the next batch of an import builds on: the
    /// word cache, and what this one wrote, for duplicates of its units
    /// while it commits.
    pub(super) fn seal(mut self) -> (Sealed, KeyCache, Pending) {
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
pub(super) struct Sealed {
    pub(super) changes: ChangeSet,
    pub(super) units: std::sync::Arc<BTreeMap<u64, TranslationUnit>>,
    /// (local token index, posting), in the order added.
    pub(super) postings: Vec<(u32, Posting)>,
    /// The keys of the local token indices first given in this batch.
    pub(super) new_keys: Vec<Vec<u8>>,
    pub(super) counters: Counters,
}
