//! The embedded [`Store`]: one redb file, with a table per logical table
//! of the [seam](super), and every read and write guarded against redb's
//! panics on a damaged file.

use std::path::{Path, PathBuf};

use redb::{
    Database, ReadOnlyTable, ReadableDatabase, ReadableTable, ReadableTableMetadata, TableDefinition,
};

use super::{ChangeSet, Snapshot, Store};
use crate::error::{Error, Result};

const META: TableDefinition<&str, &[u8]> = TableDefinition::new("korpu_meta");
const UNITS: TableDefinition<u64, &[u8]> = TableDefinition::new("korpu_units");
const DOCS: TableDefinition<u64, &[u8]> = TableDefinition::new("korpu_docs");
// One plain key per (hash, doc) pair rather than a multimap of hash → docs:
// a third of the size, and the import's commits (which touch most of this
// table's pages, its keys being random) write that much less.
const EXACT: TableDefinition<u128, ()> = TableDefinition::new("korpu_exact");
const TOKENS: TableDefinition<&[u8], &[u8]> = TableDefinition::new("korpu_tokens");
const POSTINGS: TableDefinition<u64, &[u8]> = TableDefinition::new("korpu_postings");

fn exact_key(hash: u64, doc: u64) -> u128 {
    u128::from(hash) << 64 | u128::from(doc)
}

/// The embedded store: one redb file.
pub(crate) struct RedbStore {
    db: Database,
    path: PathBuf,
}

/// A redb error, kept as the source of an [`Error::Store`] (its text is the
/// message).
fn store_err(path: &Path, e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Error {
    Error::store(path, "", e)
}

impl RedbStore {
    /// Opens `path`, creating the file when it does not exist. Returns the
    /// store and whether it was created.
    pub(crate) fn open(path: &Path, cache_bytes: usize) -> Result<(RedbStore, bool)> {
        let exists = match std::fs::metadata(path) {
            Ok(m) => m.len() > 0,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
            Err(e) => return Err(Error::io(path, e)),
        };
        if exists {
            // A file that is not redb's must be refused before redb looks
            // further: check the magic number ourselves.
            let mut head = [0u8; 9];
            let ok = std::fs::File::open(path)
                .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
                .is_ok();
            if !ok || &head != b"redb\x1A\x0A\xA9\x0D\x0A" {
                return Err(Error::corrupt(
                    path,
                    "not a korpu translation memory (the file is not a redb database)",
                ));
            }
        }
        let mut builder = Database::builder();
        builder.set_cache_size(cache_bytes);
        // redb checks its own structures; a damaged file must become an
        // error, never a panic that takes the caller down.
        let opened = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            if exists {
                builder.open(path)
            } else {
                builder.create(path)
            }
        }));
        let db = match opened {
            Ok(Ok(db)) => db,
            Ok(Err(redb::DatabaseError::DatabaseAlreadyOpen)) => {
                return Err(Error::Store {
                    path: path.to_path_buf(),
                    message: "the translation memory is open in another process (or another handle)".into(),
                    source: None,
                });
            }
            Ok(Err(redb::DatabaseError::UpgradeRequired(v))) => {
                return Err(super::earlier_format(path, "redb file format", v.into(), None));
            }
            Ok(Err(redb::DatabaseError::Storage(redb::StorageError::Io(e)))) => {
                return Err(Error::io(path, e));
            }
            Ok(Err(e)) => {
                return Err(Error::corrupt_with(
                    path,
                    format!("damaged translation memory: {e}"),
                    e,
                ));
            }
            Err(_) => {
                return Err(Error::corrupt(
                    path,
                    "damaged translation memory (redb could not read it)",
                ));
            }
        };
        let store = RedbStore {
            db,
            path: path.to_path_buf(),
        };
        if !exists {
            let txn = store.db.begin_write().map_err(|e| store_err(path, e))?;
            {
                let e = |e| store_err(path, e);
                txn.open_table(META).map_err(e)?;
                txn.open_table(UNITS).map_err(e)?;
                txn.open_table(DOCS).map_err(e)?;
                txn.open_table(EXACT).map_err(e)?;
                txn.open_table(TOKENS).map_err(e)?;
                txn.open_table(POSTINGS).map_err(e)?;
            }
            txn.commit().map_err(|e| store_err(path, e))?;
        }
        Ok((store, !exists))
    }

    fn err(&self, e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Error {
        store_err(&self.path, e)
    }
}

impl Store for RedbStore {
    fn snapshot(&self) -> Result<Box<dyn Snapshot + '_>> {
        let inner = guard(&self.path, || self.redb_snapshot())?;
        Ok(Box::new(Guarded {
            inner,
            path: &self.path,
        }))
    }

    fn apply(&self, c: &ChangeSet) -> Result<()> {
        guard(&self.path, || self.redb_apply(c))
    }

    fn size_on_disk(&self) -> u64 {
        std::fs::metadata(&self.path).map(|m| m.len()).unwrap_or(0)
    }

    fn kind(&self) -> &'static str {
        "a redb database"
    }
}

/// Runs `f`, turning a panic (redb may panic on a damaged file) into
/// [`Error::Corrupt`], so that a damaged store never takes the caller down.
fn guard<T>(path: &Path, f: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|_| {
        Err(Error::corrupt(
            path,
            "damaged translation memory (the store could not read it)",
        ))
    })
}

/// A snapshot whose every read goes through [`guard`].
struct Guarded<'a> {
    inner: RedbSnapshot<'a>,
    path: &'a Path,
}

impl Snapshot for Guarded<'_> {
    fn meta(&self, key: &str) -> Result<Option<Vec<u8>>> {
        guard(self.path, || self.inner.meta(key))
    }
    fn unit(&self, id: u64) -> Result<Option<Vec<u8>>> {
        guard(self.path, || self.inner.unit(id))
    }
    fn doc_with(&self, doc: u64, f: &mut dyn FnMut(&[u8])) -> Result<bool> {
        guard(self.path, || self.inner.doc_with(doc, f))
    }
    fn each_unit(&self, from: u64, f: &mut dyn FnMut(u64, &[u8]) -> Result<bool>) -> Result<()> {
        guard(self.path, || self.inner.each_unit(from, f))
    }
    fn exact(&self, hash: u64, out: &mut Vec<u64>) -> Result<()> {
        guard(self.path, || self.inner.exact(hash, out))
    }
    fn token(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        guard(self.path, || self.inner.token(key))
    }
    fn tokens_with_prefix(&self, prefix: &[u8], f: &mut dyn FnMut(&[u8], &[u8]) -> bool) -> Result<()> {
        guard(self.path, || self.inner.tokens_with_prefix(prefix, f))
    }
    fn posting_chunk(&self, key: u64) -> Result<Option<Vec<u8>>> {
        guard(self.path, || self.inner.posting_chunk(key))
    }
    fn posting_chunks(&self, first: u64, count: u64, f: &mut dyn FnMut(&[u8]) -> Result<()>) -> Result<()> {
        guard(self.path, || self.inner.posting_chunks(first, count, f))
    }
    fn count_docs(&self) -> Result<u64> {
        guard(self.path, || self.inner.count_docs())
    }
}

impl RedbStore {
    fn redb_snapshot(&self) -> Result<RedbSnapshot<'_>> {
        let txn = self.db.begin_read().map_err(|e| self.err(e))?;
        let missing = |e: redb::TableError| match e {
            redb::TableError::TableDoesNotExist(_) => Error::corrupt(
                &self.path,
                "not a korpu translation memory (a redb database without korpu's tables)",
            ),
            e => self.err(e),
        };
        Ok(RedbSnapshot {
            meta: txn.open_table(META).map_err(missing)?,
            units: txn.open_table(UNITS).map_err(missing)?,
            docs: txn.open_table(DOCS).map_err(missing)?,
            exact: txn.open_table(EXACT).map_err(missing)?,
            tokens: txn.open_table(TOKENS).map_err(missing)?,
            postings: txn.open_table(POSTINGS).map_err(missing)?,
            path: &self.path,
        })
    }

    fn redb_apply(&self, c: &ChangeSet) -> Result<()> {
        let e = |e: redb::Error| self.err(e);
        let txn = self.db.begin_write().map_err(|x| e(x.into()))?;
        {
            let mut meta = txn.open_table(META).map_err(|x| e(x.into()))?;
            for (k, v) in &c.meta {
                meta.insert(k.as_str(), v.as_slice()).map_err(|x| e(x.into()))?;
            }
            let mut units = txn.open_table(UNITS).map_err(|x| e(x.into()))?;
            for id in &c.units_del {
                units.remove(id).map_err(|x| e(x.into()))?;
            }
            for (k, v) in c.units_put.iter() {
                units.insert(k, v).map_err(|x| e(x.into()))?;
            }
            let mut docs = txn.open_table(DOCS).map_err(|x| e(x.into()))?;
            for id in &c.docs_del {
                docs.remove(id).map_err(|x| e(x.into()))?;
            }
            for (k, v) in c.docs_put.iter() {
                docs.insert(k, v).map_err(|x| e(x.into()))?;
            }
            let mut exact = txn.open_table(EXACT).map_err(|x| e(x.into()))?;
            for &(h, d) in &c.exact_del {
                exact.remove(exact_key(h, d)).map_err(|x| e(x.into()))?;
            }
            // In key order: each leaf is visited once, while it is in cache.
            let mut keys: Vec<u128> = c.exact_add.iter().map(|&(h, d)| exact_key(h, d)).collect();
            keys.sort_unstable();
            for k in keys {
                exact.insert(k, ()).map_err(|x| e(x.into()))?;
            }
            let mut tokens = txn.open_table(TOKENS).map_err(|x| e(x.into()))?;
            for (k, v) in &c.tokens_put {
                tokens
                    .insert(k.as_slice(), v.as_slice())
                    .map_err(|x| e(x.into()))?;
            }
            let mut postings = txn.open_table(POSTINGS).map_err(|x| e(x.into()))?;
            for (k, v) in c.postings_put.iter() {
                postings.insert(k, v).map_err(|x| e(x.into()))?;
            }
        }
        txn.commit().map_err(|x| e(x.into()))
    }
}

struct RedbSnapshot<'a> {
    meta: ReadOnlyTable<&'static str, &'static [u8]>,
    units: ReadOnlyTable<u64, &'static [u8]>,
    docs: ReadOnlyTable<u64, &'static [u8]>,
    exact: ReadOnlyTable<u128, ()>,
    tokens: ReadOnlyTable<&'static [u8], &'static [u8]>,
    postings: ReadOnlyTable<u64, &'static [u8]>,
    path: &'a Path,
}

impl RedbSnapshot<'_> {
    /// The value under `key` in `table`, copied out of the snapshot.
    #[inline]
    fn bytes<'k, K: redb::Key + 'static>(
        &self,
        table: &ReadOnlyTable<K, &'static [u8]>,
        key: impl std::borrow::Borrow<K::SelfType<'k>>,
    ) -> Result<Option<Vec<u8>>> {
        Ok(table
            .get(key)
            .map_err(|e| self.err(e))?
            .map(|v| v.value().to_vec()))
    }

    fn err(&self, e: impl Into<redb::Error>) -> Error {
        let e: redb::Error = e.into();
        match &e {
            redb::Error::Corrupted(m) => {
                let message = format!("damaged translation memory: {m}");
                Error::corrupt_with(self.path, message, e)
            }
            _ => store_err(self.path, e),
        }
    }
}

impl Snapshot for RedbSnapshot<'_> {
    fn meta(&self, key: &str) -> Result<Option<Vec<u8>>> {
        self.bytes(&self.meta, key)
    }

    fn unit(&self, id: u64) -> Result<Option<Vec<u8>>> {
        self.bytes(&self.units, id)
    }

    fn doc_with(&self, doc: u64, f: &mut dyn FnMut(&[u8])) -> Result<bool> {
        match self.docs.get(doc).map_err(|e| self.err(e))? {
            Some(v) => {
                f(v.value());
                Ok(true)
            }
            None => Ok(false),
        }
    }

    fn each_unit(&self, from: u64, f: &mut dyn FnMut(u64, &[u8]) -> Result<bool>) -> Result<()> {
        for row in self.units.range(from..).map_err(|e| self.err(e))? {
            let (k, v) = row.map_err(|e| self.err(e))?;
            if !f(k.value(), v.value())? {
                break;
            }
        }
        Ok(())
    }

    fn exact(&self, hash: u64, out: &mut Vec<u64>) -> Result<()> {
        // One descent (a range descends for both of its ends): most probes
        // find nothing.
        let mut at = self
            .exact
            .lower_bound(std::ops::Bound::Included(exact_key(hash, 0)))
            .map_err(|e| self.err(e))?;
        while let Some((k, _)) = at.next().map_err(|e| self.err(e))? {
            let k = k.value();
            if (k >> 64) as u64 != hash {
                break;
            }
            out.push(k as u64);
        }
        Ok(())
    }

    fn token(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        self.bytes(&self.tokens, key)
    }

    fn tokens_with_prefix(&self, prefix: &[u8], f: &mut dyn FnMut(&[u8], &[u8]) -> bool) -> Result<()> {
        for row in self.tokens.range(prefix..).map_err(|e| self.err(e))? {
            let (k, v) = row.map_err(|e| self.err(e))?;
            if !k.value().starts_with(prefix) || !f(k.value(), v.value()) {
                break;
            }
        }
        Ok(())
    }

    fn posting_chunk(&self, key: u64) -> Result<Option<Vec<u8>>> {
        self.bytes(&self.postings, key)
    }

    fn posting_chunks(&self, first: u64, count: u64, f: &mut dyn FnMut(&[u8]) -> Result<()>) -> Result<()> {
        if count == 0 {
            return Ok(());
        }
        for row in self
            .postings
            .range(first..first.saturating_add(count))
            .map_err(|e| self.err(e))?
        {
            let (_, v) = row.map_err(|e| self.err(e))?;
            f(v.value())?;
        }
        Ok(())
    }

    fn count_docs(&self) -> Result<u64> {
        self.docs.len().map_err(|e| self.err(e))
    }
}
