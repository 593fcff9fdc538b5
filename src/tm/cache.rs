//! Read caches shared by every lookup of one memory: decoded posting lists
//! and doc records. Both are bounded in bytes and never change what a
//! lookup returns, only what it costs.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::error::Result;

use super::index::{DocHash, PostingList, TokenInfo, read_postings};
use super::record::DocRecord;
use super::score::TokSig;
use super::store::Snapshot;

/// Decoded posting lists shared by every lookup of one memory, bounded in
/// bytes. Decoding a list from the store costs ~10 ns a posting and lookups
/// read the same frequent lists again and again; a cached list costs a map
/// probe. Eviction is coarse (arbitrary lists go when the budget is full),
/// which is enough because a lookup reads few lists.
pub(crate) struct PostingCache {
    /// The lists by token id, and the bytes they take.
    lists: Mutex<(CachedLists, usize)>,
    budget: usize,
}

type CachedLists = HashMap<u64, Arc<PostingList>, DocHash>;

impl PostingCache {
    pub(crate) fn new(budget: usize) -> PostingCache {
        PostingCache {
            lists: Mutex::new((HashMap::default(), 0)),
            budget,
        }
    }

    /// Token `info`'s list as `snap` sees it, from the cache or decoded.
    pub(crate) fn get(
        &self,
        snap: &dyn Snapshot,
        info: &TokenInfo,
        damaged: &dyn Fn() -> crate::Error,
    ) -> Result<Arc<PostingList>> {
        if let Ok(guard) = self.lists.lock()
            && let Some(l) = guard.0.get(&info.id)
            && l.df == info.df
        {
            return Ok(Arc::clone(l));
        }
        let mut pairs: Vec<(u64, u16)> = Vec::with_capacity(info.df.min(1 << 24) as usize);
        read_postings(
            snap,
            info,
            &mut |p| pairs.push((p.doc(), (p.len.min(1023) << 1) | u16::from(p.tagged))),
            damaged,
        )?;
        // Appends come in unit order except after updates: nearly sorted.
        pairs.sort_unstable();
        let list = Arc::new(PostingList::new(info.df, &pairs));
        if let Ok(mut guard) = self.lists.lock() {
            let (map, used) = &mut *guard;
            let newer = map.get(&info.id).is_none_or(|old| old.df <= info.df);
            if newer && list.bytes() <= self.budget {
                if let Some(old) = map.remove(&info.id) {
                    *used -= old.bytes();
                }
                while *used + list.bytes() > self.budget {
                    let Some(&victim) = map.keys().next() else { break };
                    if let Some(old) = map.remove(&victim) {
                        *used -= old.bytes();
                    }
                }
                *used += list.bytes();
                map.insert(info.id, Arc::clone(&list));
            }
        }
        Ok(list)
    }
}

/// Doc records (a segment's language and token signature) by doc id: a
/// lookup verifies hundreds of candidates, and reading and decoding each from
/// the store costs more than verifying it.
///
/// Records change when units are updated or deleted, so validity follows a
/// generation counter that every commit bumps twice: to odd before it
/// applies, to even after, clearing the cache both times. A reader notes the
/// generation before and after taking its snapshot; when both are the same
/// even number, no commit overlapped, and the records cached under that
/// generation are exactly its snapshot's. Otherwise it reads the store.
pub(crate) struct DocCache {
    generation: AtomicU64,
    inner: Mutex<DocCacheInner>,
    budget: usize,
}

struct DocCacheInner {
    generation: u64,
    records: HashMap<u64, Arc<DocRecord>, DocHash>,
    bytes: usize,
}

impl DocCache {
    pub(crate) fn new(budget: usize) -> DocCache {
        DocCache {
            generation: AtomicU64::new(0),
            inner: Mutex::new(DocCacheInner {
                generation: 0,
                records: HashMap::default(),
                bytes: 0,
            }),
            budget,
        }
    }

    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Called by the writer before and after each commit.
    pub(crate) fn invalidate(&self) {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let g = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        inner.generation = g;
        inner.records.clear();
        inner.bytes = 0;
    }

    pub(crate) fn get(&self, generation: u64, doc: u64) -> Option<Arc<DocRecord>> {
        let inner = self.inner.lock().ok()?;
        if inner.generation != generation {
            return None;
        }
        inner.records.get(&doc).cloned()
    }

    pub(crate) fn insert(&self, generation: u64, doc: u64, rec: Arc<DocRecord>) {
        let Ok(mut inner) = self.inner.lock() else { return };
        if inner.generation != generation {
            return;
        }
        let bytes = record_bytes(&rec);
        if inner.bytes + bytes > self.budget {
            // Coarse but cheap: lookups keep refilling what they use.
            inner.records.clear();
            inner.bytes = 0;
        }
        inner.bytes += bytes;
        if let Some(old) = inner.records.insert(doc, rec) {
            inner.bytes -= record_bytes(&old);
        }
    }
}

/// What a cached record takes, roughly: the map entry, its language tag and
/// its token signature.
fn record_bytes(rec: &DocRecord) -> usize {
    64 + rec.lang.len() + rec.sig.len() * std::mem::size_of::<TokSig>()
}
