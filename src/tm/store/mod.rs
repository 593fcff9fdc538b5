//! The seam under the translation memory: what a storage backend
//! implements ([`Store`], [`Snapshot`]), what it is given to write
//! ([`ChangeSet`]), and the header every korpu store starts with. The
//! embedded backend is [`RedbStore`]; a second one (PostgreSQL, for teams)
//! implements the same two traits and nothing above this module changes.
//!
//! # Tables
//!
//! A store keeps six logical tables, keyed by integers or bytes, that a
//! backend maps onto its own tables one to one. Values are opaque bytes:
//! the translation memory encodes and decodes them, a backend stores them
//! as given.
//!
//! | table | key | value |
//! |---|---|---|
//! | meta | name | bytes (`magic`, `format`, `counters`) |
//! | units | unit id | the unit, postcard-encoded |
//! | docs | doc id: unit id << 16 \| variant | the variant's language and token signature |
//! | exact | (hash of a token sequence, doc id) | nothing (the pair is the entry) |
//! | tokens | language id, kind, class key (bytes) | token id, document frequency, chunk count |
//! | postings | token id << 24 \| chunk number | a chunk of posting entries |
//!
//! # The contract
//!
//! - **Atomic and durable writes.** [`Store::apply`] applies one
//!   [`ChangeSet`] as one transaction: after a crash the store holds all of
//!   it or none of it, and once `apply` returns it survives a crash. Within
//!   a table removals come before insertions, and insertions are applied in
//!   order (a later insertion of a key replaces an earlier one).
//! - **Snapshots.** [`Store::snapshot`] gives a consistent read view of the
//!   latest committed state. A concurrent `apply` neither blocks it nor
//!   changes what it reads; `apply` is never called concurrently with
//!   itself (the translation memory has one writer at a time).
//! - **Ordered reads.** [`Snapshot::each_unit`] visits units in ascending
//!   id, [`Snapshot::tokens_with_prefix`] keys in ascending byte order,
//!   [`Snapshot::posting_chunks`] chunks in ascending key order.
//! - **Errors, never panics.** A failure of the backend is
//!   [`Error::Store`] (with the backend's error as its source); data the
//!   backend finds damaged is [`Error::Corrupt`]. Damaged input must not
//!   panic (the embedded backend catches its library's panics).
//! - **Hot reads.** [`Snapshot::doc_with`] and [`Snapshot::posting_chunks`]
//!   run hundreds of times per lookup: they hand out the stored bytes in
//!   place, without a copy where the backend allows.
//!
//! # Header
//!
//! Every store starts with `magic` and `format` in the meta table
//! ([`header`], [`check_header`]): a foreign store, or one that another
//! korpu version wrote, is refused before anything else is read.

mod redb;

use std::path::Path;

use crate::error::{Error, Result};

pub(crate) use self::redb::RedbStore;

/// The `magic` meta entry of every korpu translation memory.
const MAGIC: &[u8] = b"korpu translation memory";

/// The store format this version writes and reads. Format 1 (korpu before
/// redb 4) is not read: its stores must be exported and imported again.
pub const FORMAT_VERSION: u32 = 2;

/// How to move a memory that an earlier korpu wrote (one whose format this
/// korpu does not read).
const MOVE_FROM_EARLIER: &str =
    "export it to TMX with the korpu that wrote it, then import the TMX into a new memory";

/// The header entries of a new store, to apply with its first change set.
pub(crate) fn header(c: &mut ChangeSet) {
    c.meta.push(("magic".into(), MAGIC.to_vec()));
    c.meta
        .push(("format".into(), FORMAT_VERSION.to_le_bytes().to_vec()));
}

/// Refuses a store at `path` that is not a korpu translation memory or is
/// in another korpu's format. `store` names what it is in the message for a
/// foreign one ("a redb database").
pub(crate) fn check_header(snap: &dyn Snapshot, path: &Path, store: &str) -> Result<()> {
    let foreign = || {
        Error::corrupt(
            path,
            format!("not a korpu translation memory ({store} of another program)"),
        )
    };
    if snap.meta("magic")?.as_deref() != Some(MAGIC) {
        return Err(foreign());
    }
    let version = snap
        .meta("format")?
        .and_then(|v| v.try_into().ok().map(u32::from_le_bytes))
        .ok_or_else(foreign)?;
    if version > FORMAT_VERSION {
        return Err(Error::OtherVersion {
            path: path.to_path_buf(),
            format: "store format",
            found: version,
            supported: Some(FORMAT_VERSION),
            newer: true,
            remedy: "upgrade korpu".into(),
        });
    }
    if version == 0 {
        return Err(foreign());
    }
    if version < FORMAT_VERSION {
        return Err(earlier_format(
            path,
            "store format",
            version,
            Some(FORMAT_VERSION),
        ));
    }
    Ok(())
}

/// A store at `path` that an earlier korpu wrote, in version `found` of
/// `format`, which this korpu does not read.
pub(super) fn earlier_format(path: &Path, format: &'static str, found: u32, supported: Option<u32>) -> Error {
    Error::OtherVersion {
        path: path.to_path_buf(),
        format,
        found,
        supported,
        newer: false,
        remedy: MOVE_FROM_EARLIER.into(),
    }
}

/// The changes of one transaction. Applied in this order: removals, then
/// insertions.
#[derive(Default, Debug)]
pub(crate) struct ChangeSet {
    pub meta: Vec<(String, Vec<u8>)>,
    pub units_put: Puts<u64>,
    pub units_del: Vec<u64>,
    pub docs_put: Puts<u64>,
    pub docs_del: Vec<u64>,
    pub exact_add: Vec<(u64, u64)>,
    pub exact_del: Vec<(u64, u64)>,
    pub tokens_put: Vec<(Vec<u8>, Vec<u8>)>,
    pub postings_put: Puts<u64>,
}

impl ChangeSet {
    /// Empties the change set, keeping its buffers for the next batch: an
    /// import reuses a few change sets instead of allocating (and the kernel
    /// zeroing) hundreds of megabytes per batch.
    pub(crate) fn clear(&mut self) {
        self.meta.clear();
        self.units_put.clear();
        self.units_del.clear();
        self.docs_put.clear();
        self.docs_del.clear();
        self.exact_add.clear();
        self.exact_del.clear();
        self.tokens_put.clear();
        self.postings_put.clear();
    }
}

/// Records to put in one table, in order: each key with its value, the
/// values' bytes in one buffer (two allocations for a whole batch).
#[derive(Debug)]
pub(crate) struct Puts<K> {
    entries: Vec<(K, usize, usize)>,
    bytes: Vec<u8>,
}

impl<K> Default for Puts<K> {
    fn default() -> Puts<K> {
        Puts {
            entries: Vec::new(),
            bytes: Vec::new(),
        }
    }
}

impl<K> Puts<K> {
    /// Adds `key` with the bytes `write` appends to the buffer.
    pub(crate) fn push_with(&mut self, key: K, write: impl FnOnce(&mut Vec<u8>)) {
        let Ok(()) = self.try_push_with(key, |b| {
            write(b);
            Ok::<(), std::convert::Infallible>(())
        });
    }

    /// Adds `key` with the bytes `write` appends to the buffer; when `write`
    /// fails nothing is added.
    pub(crate) fn try_push_with<E>(
        &mut self,
        key: K,
        write: impl FnOnce(&mut Vec<u8>) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let start = self.bytes.len();
        match write(&mut self.bytes) {
            Ok(()) => {
                self.entries.push((key, start, self.bytes.len()));
                Ok(())
            }
            Err(e) => {
                self.bytes.truncate(start);
                Err(e)
            }
        }
    }

    /// Adds `key` with `value`.
    pub(crate) fn push(&mut self, key: K, value: &[u8]) {
        self.push_with(key, |b| b.extend_from_slice(value));
    }

    /// The records in the order they were added.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&K, &[u8])> {
        self.entries.iter().map(|(k, a, b)| (k, &self.bytes[*a..*b]))
    }

    pub(crate) fn clear(&mut self) {
        self.entries.clear();
        self.bytes.clear();
    }
}

/// A storage backend: one translation memory's tables (see the [module
/// docs](self) for the contract).
pub(crate) trait Store: Send + Sync {
    /// A consistent read view of the latest committed state, which a
    /// concurrent [`apply`](Store::apply) does not change.
    fn snapshot(&self) -> Result<Box<dyn Snapshot + '_>>;
    /// Applies `changes` in one atomic, durable transaction.
    fn apply(&self, changes: &ChangeSet) -> Result<()>;
    /// Bytes the store takes on disk (0 when unknown).
    fn size_on_disk(&self) -> u64;
    /// What the store is, as messages name it: "a redb database".
    fn kind(&self) -> &'static str;
}

/// A read view of a [`Store`]; see [`Store::snapshot`]. Reads of missing
/// keys are `Ok(None)` (or `false`), never errors.
pub(crate) trait Snapshot {
    /// The meta entry `key`.
    fn meta(&self, key: &str) -> Result<Option<Vec<u8>>>;
    /// The unit `id`'s record.
    fn unit(&self, id: u64) -> Result<Option<Vec<u8>>>;
    /// Calls `f` with the record of `doc` in place (no copy); false when
    /// there is none.
    fn doc_with(&self, doc: u64, f: &mut dyn FnMut(&[u8])) -> Result<bool>;
    /// Calls `f(id, value)` for every unit, in id order, from `from` on;
    /// stops when `f` returns false or an error (which is returned).
    fn each_unit(&self, from: u64, f: &mut dyn FnMut(u64, &[u8]) -> Result<bool>) -> Result<()>;
    /// Appends to `out` every doc of the exact-index entries with `hash`.
    fn exact(&self, hash: u64, out: &mut Vec<u64>) -> Result<()>;
    /// The token record under `key`.
    fn token(&self, key: &[u8]) -> Result<Option<Vec<u8>>>;
    /// Calls `f(key, value)` for every token key starting with `prefix`, in
    /// key order; stops when `f` returns false.
    fn tokens_with_prefix(&self, prefix: &[u8], f: &mut dyn FnMut(&[u8], &[u8]) -> bool) -> Result<()>;
    /// The posting chunk under `key`.
    fn posting_chunk(&self, key: u64) -> Result<Option<Vec<u8>>>;
    /// Calls `f(chunk)` for the chunks under keys `first..first + count`
    /// that exist, in key order; stops at `f`'s first error.
    fn posting_chunks(&self, first: u64, count: u64, f: &mut dyn FnMut(&[u8]) -> Result<()>) -> Result<()>;
    /// The number of records in the docs table.
    fn count_docs(&self) -> Result<u64>;
}
