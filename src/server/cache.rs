//! A bounded cache of amaGama answers, exact under writes.
//!
//! Translation tools ask the same strings again and again (every user of a
//! Weblate project, every component that shares a string), and a fuzzy
//! lookup costs milliseconds where a hash lookup costs a microsecond. The
//! cache keeps whole response bodies, keyed by everything the answer depends
//! on, in two generations of at most half the byte budget each: a hit in the
//! older generation moves to the newer one, and when the newer one is full
//! the older is dropped (an approximate LRU without per-hit bookkeeping).
//!
//! Exactness: every committed write (a unit add, each committed batch of an
//! upload) calls [`AnswerCache::invalidate`], which empties the cache and
//! bumps an epoch. A lookup records the epoch before it reads the store and
//! stores its answer only if the epoch has not moved, so an answer computed
//! from a snapshot older than a write is never kept.

use std::collections::HashMap;
use std::sync::Mutex;

/// What an amaGama answer depends on.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct AnswerKey {
    pub(crate) from: String,
    pub(crate) to: String,
    pub(crate) min_score: u8,
    pub(crate) limit: usize,
    pub(crate) text: String,
}

impl AnswerKey {
    fn bytes(&self) -> usize {
        self.from.len() + self.to.len() + self.text.len() + 64
    }
}

struct Inner {
    epoch: u64,
    newer: HashMap<AnswerKey, String>,
    older: HashMap<AnswerKey, String>,
    newer_bytes: usize,
}

/// See the [module docs](self).
pub(crate) struct AnswerCache {
    budget: usize,
    inner: Mutex<Inner>,
}

impl AnswerCache {
    /// A cache of about `budget` bytes; 0 disables it.
    pub(crate) fn new(budget: usize) -> AnswerCache {
        AnswerCache {
            budget,
            inner: Mutex::new(Inner {
                epoch: 0,
                newer: HashMap::new(),
                older: HashMap::new(),
                newer_bytes: 0,
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The cached answer, or the epoch to pass to [`put`](Self::put).
    pub(crate) fn get(&self, key: &AnswerKey) -> Result<String, u64> {
        let mut g = self.lock();
        if let Some(v) = g.newer.get(key) {
            return Ok(v.clone());
        }
        if let Some((k, v)) = g.older.remove_entry(key) {
            let out = v.clone();
            insert(&mut g, k, v, self.budget);
            return Ok(out);
        }
        Err(g.epoch)
    }

    /// Keeps `value` unless a write happened since `epoch` was read.
    pub(crate) fn put(&self, key: AnswerKey, value: String, epoch: u64) {
        if self.budget == 0 {
            return;
        }
        let mut g = self.lock();
        if g.epoch == epoch {
            insert(&mut g, key, value, self.budget);
        }
    }

    /// Forgets everything (after a committed write).
    pub(crate) fn invalidate(&self) {
        let mut g = self.lock();
        g.epoch += 1;
        g.newer.clear();
        g.older.clear();
        g.newer_bytes = 0;
    }
}

fn insert(g: &mut Inner, key: AnswerKey, value: String, budget: usize) {
    let size = key.bytes() + value.len();
    if size > budget / 2 {
        return;
    }
    if g.newer_bytes + size > budget / 2 {
        g.older = std::mem::take(&mut g.newer);
        g.newer_bytes = 0;
    }
    g.newer_bytes += size;
    g.newer.insert(key, value);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> AnswerKey {
        AnswerKey {
            from: "en".into(),
            to: "tr".into(),
            min_score: 75,
            limit: 5,
            text: text.into(),
        }
    }

    #[test]
    fn hits_misses_and_writes() {
        let c = AnswerCache::new(1 << 20);
        let epoch = c.get(&key("a")).expect_err("empty");
        c.put(key("a"), "[1]".into(), epoch);
        assert_eq!(c.get(&key("a")), Ok("[1]".into()));
        assert!(c.get(&key("b")).is_err());
        // A lookup that began before a write does not store its answer.
        let stale = c.get(&key("b")).expect_err("miss");
        c.invalidate();
        c.put(key("b"), "[old]".into(), stale);
        assert!(c.get(&key("b")).is_err());
        assert!(c.get(&key("a")).is_err(), "a write empties the cache");
    }

    #[test]
    fn stays_within_its_budget() {
        let c = AnswerCache::new(10_000);
        for i in 0..1000 {
            let k = key(&format!("text {i}"));
            let e = c.get(&k).expect_err("new");
            c.put(k, "x".repeat(50), e);
            let g = c.lock();
            let bytes: usize = g
                .newer
                .iter()
                .chain(g.older.iter())
                .map(|(k, v)| k.bytes() + v.len())
                .sum();
            assert!(bytes <= 10_000, "{bytes}");
        }
        // Recent entries survive, old ones are gone.
        assert!(c.get(&key("text 999")).is_ok());
        assert!(c.get(&key("text 0")).is_err());
        // A hit in the older generation moves up and survives the next rotation.
        assert!(AnswerCache::new(0).get(&key("x")).is_err());
    }
}
