//! The second half of writing a batch: [`PostingWriter`] appends the
//! batch's postings to their tokens' lists and completes its change set.

use super::batch::Sealed;
use crate::error::Result;
use crate::tm::TranslationMemory;
use crate::tm::index::{CHUNK_ENTRIES, Chunk, Posting, TokenInfo};
use crate::tm::record::{StoredUnitRef, encode, encode_into};
use crate::tm::store::{ChangeSet, Snapshot};

/// The second half of writing a batch: units encoded, postings appended to
/// their tokens' lists chunk by chunk, token records and counters written.
/// In an import it runs on the commit thread, beside the next batch's
/// tokenizing; it keeps, per local token index, the key, the committed
/// record and the last chunk, so that a token's record is read once.
pub(super) struct PostingWriter {
    keys: Vec<Vec<u8>>,
    tokens: Vec<Option<(TokenInfo, Chunk)>>,
    next_token: u64,
    /// Scratch for the counting sort, kept from batch to batch.
    starts: Vec<u32>,
    order: Vec<u32>,
}

impl PostingWriter {
    pub(super) fn new(next_token: u64) -> PostingWriter {
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
    pub(super) fn complete(
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
