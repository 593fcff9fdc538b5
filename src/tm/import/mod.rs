//! Writing a translation memory: [`add`](TranslationMemory::add),
//! [`import`](TranslationMemory::import), [`update`](TranslationMemory::update)
//! and [`delete`](TranslationMemory::delete).
//!
//! Every write goes through a [`Batch`]: units are normalized (NFC),
//! tokenized and hashed, merged into the stored units they duplicate
//! ([`merge`]), and their doc records and exact-hash entries collected; the
//! batch is then sealed and handed to a [`PostingWriter`], which appends the
//! postings to their tokens' lists and completes the change set that one
//! transaction applies. An import runs the two halves on two threads.

mod batch;
mod merge;
mod postings;

use super::TranslationMemory;
use super::index::Posting;
use super::options::{ImportOptions, ImportSummary, UnitId};
use super::store::{ChangeSet, Snapshot};
use crate::error::{Error, Result};
use crate::model::TranslationUnit;

use batch::{Batch, KeyCache, Pending, Sealed};
use postings::PostingWriter;

impl TranslationMemory {
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
        let c = finish(batch, &*snap)?;
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
        let c = finish(batch, &*snap)?;
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
        let c = finish(batch, &*snap)?;
        drop(snap);
        self.commit(&c)?;
        Ok(true)
    }
}

/// The change set of one batch written on its own (add, update, delete):
/// [`Batch::seal`] then [`PostingWriter::complete`].
fn finish(batch: Batch, snap: &dyn Snapshot) -> Result<ChangeSet> {
    let tm = batch.tm;
    let (sealed, ..) = batch.seal();
    let mut writer = PostingWriter::new(sealed.counters.next_token);
    Ok(writer.complete(tm, snap, sealed)?.0)
}
