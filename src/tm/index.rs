//! The fuzzy index: posting lists of token classes per language, their
//! on-disk encoding, and the filters that keep lookup exact.
//!
//! # Why the filters are sound
//!
//! Write `d` for the weighted distance in tenths (see [`score`](super::score)),
//! `n`/`m` for the query's/candidate's token counts and `s` for the minimum
//! score. A candidate qualifies iff `10·d ≤ max(n, m)·(100 − s)`. Every token
//! costs at least its *indel weight* (10, or 5 for a tag) unless it is paired
//! with a token of the same class, so with `q_k`, `c_k` the counts of class
//! `k`:
//!
//! - **count filter**: `d ≥ Σ_k w_k·max(0, q_k − c_k)` and
//!   `d ≥ Σ_k w_k·max(0, c_k − q_k)`;
//! - **length filter**: `d ≥` the `n − m` smallest query weights when `m < n`,
//!   and `d ≥ (m − n)·w_c` when `m > n`, where `w_c` is 5 for a candidate with
//!   tags and 10 without;
//! - **prefix filter**: from the two bounds above, a candidate that shares
//!   fewer than `t` query tokens (a multiset overlap) cannot qualify, for a `t`
//!   computed per query ([`overlap_threshold`]). Such a candidate shares at
//!   least one of the `n − t + 1` *rarest* query tokens, so only those posting
//!   lists are read. When `t` is 0 (a minimum score of 50 or less can be met
//!   by a candidate sharing nothing, all tags), the language's list of all
//!   segments is read instead: a full scan, still exact.
//! - **bit-parallel bound**: rapidfuzz's Levenshtein distance `L` over class
//!   ids satisfies `10·L ≤ d + 5·(tags in both)`, a cheap test before the
//!   weighted dynamic programme.

use crate::error::Result;
use crate::varint::{get_varint, put_varint};

use super::score::{Kind, TokSig, max_distance, qualifies};
use super::store::Snapshot;

/// Entries per posting chunk: small enough that appending rewrites little,
/// large enough that reading a long list takes few B-tree lookups.
pub(crate) const CHUNK_ENTRIES: u32 = 2048;

/// The kind byte of the per-language pseudo token that lists every segment.
pub(crate) const ALL_KIND: u8 = 0xFF;

/// One posting: a segment (unit id, variant index) with its token count and
/// whether it holds tags, for the length filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Posting {
    pub unit: u64,
    pub variant: u16,
    pub len: u16,
    pub tagged: bool,
}

impl Posting {
    pub(crate) fn doc(&self) -> u64 {
        doc_id(self.unit, self.variant)
    }
}

/// A hasher for doc ids in the per-lookup candidate maps: every posting read
/// costs a map probe, and SipHash dominated lookups (its DoS resistance is not
/// needed for ids the store assigns). murmur3's 64-bit finalizer mixes the
/// variant index in the low bits into the whole word.
#[derive(Default, Clone, Copy)]
pub(crate) struct DocHasher(u64);

impl std::hash::Hasher for DocHasher {
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = self.0.rotate_left(32) ^ v;
    }
}

/// Builds [`DocHasher`]s.
pub(crate) type DocHash = std::hash::BuildHasherDefault<DocHasher>;

/// The key of a segment in the docs table.
pub(crate) fn doc_id(unit: u64, variant: u16) -> u64 {
    (unit << 16) | u64::from(variant)
}

/// The key of a token in the tokens table: language id, kind, class key.
pub(crate) fn token_key(lang_id: u16, kind: u8, key: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(3 + key.len());
    k.extend_from_slice(&lang_id.to_be_bytes());
    k.push(kind);
    k.extend_from_slice(key.as_bytes());
    k
}

/// A list with at least a posting per `DENSE_SPREAD` units keeps a unit
/// bitmap and is read through it. At 1 in 128 the bitmap (1 bit a unit) is
/// at most 1.6 times the postings (10 bytes each), and counting a list over
/// bitmaps 64 units a step beats merging its postings one by one: at a
/// million units, 1 in 128 took lookups' candidate search about a fifth
/// below 1 in 32 (`examples/tm_scale`).
const DENSE_SPREAD: u64 = 128;

/// The fewest postings of a list that keeps a unit bitmap (with at least a
/// posting per [`DENSE_SPREAD`] units). Tests lower it so that small
/// memories exercise the bitmap paths of lookup.
#[cfg(not(test))]
const DENSE_MIN: u64 = 64;
#[cfg(test)]
const DENSE_MIN: u64 = 4;

/// What the tokens table holds for a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TokenInfo {
    pub id: u64,
    /// Postings ever appended (stale ones of deleted units included).
    pub df: u64,
    pub chunks: u32,
}

impl TokenInfo {
    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(20);
        v.extend_from_slice(&self.id.to_le_bytes());
        v.extend_from_slice(&self.df.to_le_bytes());
        v.extend_from_slice(&self.chunks.to_le_bytes());
        v
    }

    pub(crate) fn decode(b: &[u8]) -> Option<TokenInfo> {
        Some(TokenInfo {
            id: u64::from_le_bytes(b.get(0..8)?.try_into().ok()?),
            df: u64::from_le_bytes(b.get(8..16)?.try_into().ok()?),
            chunks: u32::from_le_bytes(b.get(16..20)?.try_into().ok()?),
        })
    }

    pub(crate) fn chunk_key(&self, n: u32) -> u64 {
        (self.id << 24) | u64::from(n)
    }
}

/// A chunk: `count u32, last unit u64`, then per entry the zigzag delta of
/// the unit id and `variant << 11 | len << 1 | tagged`, both varints.
pub(crate) struct Chunk {
    pub count: u32,
    pub last_unit: u64,
    pub bytes: Vec<u8>,
}

impl Chunk {
    pub(crate) fn new() -> Chunk {
        let mut bytes = Vec::with_capacity(64);
        bytes.extend_from_slice(&0u32.to_le_bytes());
        bytes.extend_from_slice(&0u64.to_le_bytes());
        Chunk {
            count: 0,
            last_unit: 0,
            bytes,
        }
    }

    pub(crate) fn from_bytes(bytes: Vec<u8>) -> Option<Chunk> {
        let count = u32::from_le_bytes(bytes.get(0..4)?.try_into().ok()?);
        let last_unit = u64::from_le_bytes(bytes.get(4..12)?.try_into().ok()?);
        Some(Chunk {
            count,
            last_unit,
            bytes,
        })
    }

    pub(crate) fn push(&mut self, p: Posting) {
        let delta = p.unit.wrapping_sub(self.last_unit) as i64;
        put_varint(&mut self.bytes, ((delta << 1) ^ (delta >> 63)) as u64);
        put_varint(
            &mut self.bytes,
            (u64::from(p.variant) << 11) | (u64::from(p.len.min(1023)) << 1) | u64::from(p.tagged),
        );
        self.last_unit = p.unit;
        self.count += 1;
        self.bytes[0..4].copy_from_slice(&self.count.to_le_bytes());
        self.bytes[4..12].copy_from_slice(&self.last_unit.to_le_bytes());
    }
}

/// Decodes every posting of a chunk's bytes; `None` if they are damaged.
pub(crate) fn decode_chunk(b: &[u8], out: &mut impl FnMut(Posting)) -> Option<()> {
    let count = u32::from_le_bytes(b.get(0..4)?.try_into().ok()?);
    let mut at = 12;
    let mut unit = 0u64;
    for _ in 0..count {
        let z = get_varint(b, &mut at)?;
        let delta = ((z >> 1) as i64) ^ -((z & 1) as i64);
        unit = unit.wrapping_add(delta as u64);
        let rest = get_varint(b, &mut at)?;
        out(Posting {
            unit,
            variant: (rest >> 11) as u16,
            len: ((rest >> 1) & 1023) as u16,
            tagged: rest & 1 == 1,
        });
    }
    Some(())
}

/// Reads a token's whole posting list.
pub(crate) fn read_postings(
    snap: &dyn Snapshot,
    info: &TokenInfo,
    out: &mut impl FnMut(Posting),
    damaged: &dyn Fn() -> crate::Error,
) -> Result<()> {
    snap.posting_chunks(info.chunk_key(0), u64::from(info.chunks), &mut |b| {
        decode_chunk(b, out).ok_or_else(damaged)
    })
}

/// A token's posting list decoded and sorted by doc id (an updated unit's
/// stale postings stay beside its current one, adjacent).
///
/// Lists are append-only (postings of deleted or updated units are never
/// removed), so a list is identified by its token id and `df`: a cached list
/// with the `df` a snapshot reports is exactly that snapshot's list.
pub(crate) struct PostingList {
    pub df: u64,
    pub docs: Vec<u64>,
    /// `len << 1 | tagged` per posting.
    pub meta: Vec<u16>,
    /// For dense lists (see [`DENSE_SPREAD`]): bit `u` is set when
    /// unit `u` has a posting, so that a membership test costs one load
    /// instead of a search.
    pub units: Option<Vec<u64>>,
    /// Whether some posting is of a segment with tags.
    pub any_tagged: bool,
    /// Per unit, built on first use: see [`PostingList::unit_lens`].
    units_table: std::sync::OnceLock<UnitTable>,
}

/// Per unit of a list: its token counts and where its postings start, so
/// that the list of all segments of a language answers "how long is unit
/// `u`" and "which are its docs" in one load each.
struct UnitTable {
    /// `(smallest, largest token count, some posting tagged)`; `(0, 0,
    /// false)` for a unit without a posting.
    lens: Vec<(u16, u16, bool)>,
    /// `starts[u]..starts[u + 1]` are unit `u`'s postings (one more entry
    /// than units). Empty when the list has more postings than a `u32`
    /// counts: then ranges are searched instead.
    starts: Vec<u32>,
}

impl PostingList {
    pub(crate) fn len_of(meta: u16) -> u16 {
        meta >> 1
    }

    pub(crate) fn tagged(meta: u16) -> bool {
        meta & 1 == 1
    }

    /// Builds the list from `(doc, meta)` pairs sorted by doc.
    pub(crate) fn new(df: u64, pairs: &[(u64, u16)]) -> PostingList {
        let docs: Vec<u64> = pairs.iter().map(|p| p.0).collect();
        let max_unit = docs.last().map_or(0, |d| d >> 16);
        let units =
            (docs.len() as u64 >= DENSE_MIN && docs.len() as u64 * DENSE_SPREAD >= max_unit).then(|| {
                let mut bits = vec![0u64; (max_unit / 64 + 1) as usize];
                for d in &docs {
                    let u = d >> 16;
                    bits[(u / 64) as usize] |= 1 << (u % 64);
                }
                bits
            });
        PostingList {
            df,
            docs,
            meta: pairs.iter().map(|p| p.1).collect(),
            units,
            any_tagged: pairs.iter().any(|p| PostingList::tagged(p.1)),
            units_table: std::sync::OnceLock::new(),
        }
    }

    /// Per unit id: the smallest and largest token count of its postings
    /// and whether one is tagged (`(0, 0, false)` for a unit without one).
    /// Meant for the list of all segments of a language, where it gives any
    /// segment's length in one load: built once per list (a pass over it,
    /// 10 bytes per unit with [`unit_postings`](Self::unit_postings)'s
    /// starts), then shared by every lookup that holds the list.
    pub(crate) fn unit_lens(&self) -> &[(u16, u16, bool)] {
        &self.unit_table().lens
    }

    /// The index range of `unit`'s postings (all its variants) in one load,
    /// from the table [`unit_lens`](Self::unit_lens) builds.
    pub(crate) fn unit_postings(&self, unit: u64) -> std::ops::Range<usize> {
        let starts = &self.unit_table().starts;
        if starts.is_empty() {
            return self.unit_range(unit, &mut 0);
        }
        let Some(u) = usize::try_from(unit).ok().filter(|&u| u + 1 < starts.len()) else {
            return self.docs.len()..self.docs.len();
        };
        starts[u] as usize..starts[u + 1] as usize
    }

    fn unit_table(&self) -> &UnitTable {
        self.units_table.get_or_init(|| {
            let units = self.docs.last().map_or(0, |d| (d >> 16) as usize + 1);
            let mut lens = vec![(0u16, 0u16, false); units];
            let counts_fit = u32::try_from(self.docs.len()).is_ok();
            let mut starts = if counts_fit {
                vec![0u32; units + 1]
            } else {
                Vec::new()
            };
            for (d, &m) in self.docs.iter().zip(&self.meta) {
                let u = (d >> 16) as usize;
                if let Some(e) = lens.get_mut(u) {
                    let len = PostingList::len_of(m);
                    *e = if e.1 == 0 {
                        (len, len, PostingList::tagged(m))
                    } else {
                        (e.0.min(len), e.1.max(len), e.2 || PostingList::tagged(m))
                    };
                }
                if let Some(s) = starts.get_mut(u + 1) {
                    *s += 1;
                }
            }
            // Counts to running sums: docs are sorted, so a unit's postings
            // follow those of every smaller unit.
            for i in 1..starts.len() {
                starts[i] += starts[i - 1];
            }
            UnitTable { lens, starts }
        })
    }

    /// The index range of `unit`'s postings (all its variants), searched
    /// from `*at` on by galloping; `*at` moves to the range's start, so a
    /// caller walking units in non-decreasing order pays O(log gap) each.
    pub(crate) fn unit_range(&self, unit: u64, at: &mut usize) -> std::ops::Range<usize> {
        let docs = &self.docs;
        *at = gallop(docs, *at, unit << 16);
        let mut end = *at;
        while end < docs.len() && docs[end] >> 16 == unit {
            end += 1;
        }
        *at..end
    }

    /// Whether some variant of `unit` has a posting, when the list keeps a
    /// unit bitmap.
    pub(crate) fn has_unit(&self, unit: u64) -> Option<bool> {
        let bits = self.units.as_ref()?;
        Some(
            bits.get((unit / 64) as usize)
                .is_some_and(|w| w & (1 << (unit % 64)) != 0),
        )
    }

    /// Postings are 10 bytes in memory, bitmaps 1 bit per unit.
    pub(crate) fn bytes(&self) -> usize {
        // The unit table is built later, for one list per language (see
        // `unit_lens`): at most 10 bytes per unit beyond what is counted.
        let lens = self.units_table.get().map_or(0, |t| t.lens.len() * 10);
        self.docs.len() * 10 + self.units.as_ref().map_or(0, |b| b.len() * 8) + lens + 64
    }
}

/// The first index at or after `at` whose doc is not below `doc`, by
/// exponential search: O(log distance).
pub(crate) fn gallop(docs: &[u64], at: usize, doc: u64) -> usize {
    if at >= docs.len() || docs[at] >= doc {
        return at;
    }
    let mut step = 1usize;
    while at + step < docs.len() && docs[at + step] < doc {
        step *= 2;
    }
    let lo = at + step / 2;
    let hi = (at + step + 1).min(docs.len());
    lo + docs[lo..hi].partition_point(|&d| d < doc)
}

/// The smallest multiset overlap `t` with the query that a candidate needs
/// to reach `min_score`, given the query's indel weights and the smallest
/// indel weight `wc` (5 or 10) of the candidate's tokens. 0 means a candidate
/// sharing no token may qualify.
pub(crate) fn overlap_threshold(query_weight: u32, n: usize, min_score: u8, wc: u32) -> usize {
    let s = u64::from(min_score.min(100));
    let (n64, wq, wc) = (n as u64, u64::from(query_weight), u64::from(wc));
    for o in 0..=n64 {
        // The query side must pay for the tokens left unshared.
        let a = wq.saturating_sub(10 * o);
        // A candidate no longer than the query, made of shared tokens only.
        if 10 * a <= n64 * (100 - s) {
            return o as usize;
        }
        // A longer candidate: its unshared tokens cost at least wc each.
        let denom = 10 * wc + s;
        if denom <= 100 {
            // Any length is allowed: longer candidates relax the bound.
            if s < 100 {
                return o as usize;
            }
            continue;
        }
        let m_max = 10 * wc * o / (denom - 100);
        if m_max > n64 && 10 * a <= m_max * (100 - s) {
            return o as usize;
        }
    }
    n + 1
}

/// The query, prepared for filtering candidates.
pub(crate) struct QueryFilter<'a> {
    pub toks: &'a [TokSig],
    pub min_score: u8,
    /// Query indel weights, ascending, as prefix sums: `light[k]` is the sum
    /// of the `k` smallest.
    light: Vec<u32>,
    /// Query classes with their counts and weight, sorted by class.
    classes: Vec<(u64, u32, u32)>,
    tags: usize,
    batch: rapidfuzz::distance::levenshtein::BatchComparator<u64>,
    /// The length filter by posting meta (`len << 1 | tagged`): every
    /// posting of every list read is tested, so a load beats the arithmetic.
    fit: Vec<bool>,
}

impl<'a> QueryFilter<'a> {
    pub(crate) fn new(toks: &'a [TokSig], min_score: u8) -> QueryFilter<'a> {
        let mut w: Vec<u32> = toks.iter().map(|t| t.kind.indel_cost()).collect();
        w.sort_unstable();
        let mut light = Vec::with_capacity(w.len() + 1);
        light.push(0);
        for x in w {
            light.push(light.last().copied().unwrap_or(0) + x);
        }
        let mut filter = QueryFilter {
            toks,
            min_score,
            light,
            classes: class_counts(toks),
            tags: toks.iter().filter(|t| t.kind == Kind::Tag).count(),
            batch: rapidfuzz::distance::levenshtein::BatchComparator::new(toks.iter().map(|t| t.class)),
            fit: Vec::new(),
        };
        filter.fit = (0..2048u16)
            .map(|meta| filter.length_ok(usize::from(meta >> 1), meta & 1 == 1))
            .collect();
        filter
    }

    /// [`length_ok`](Self::length_ok) for a posting's meta (`len << 1 |
    /// tagged`, as [`PostingList`] keeps it). A posting that fails is
    /// ignored, hit included: if it is current, its doc cannot qualify; if
    /// it is stale (an updated unit's), the hit may not be real, and the
    /// doc's current posting, if any, is in the list too.
    #[inline]
    pub(crate) fn fits(&self, meta: u16) -> bool {
        self.fit.get(usize::from(meta)).copied().unwrap_or(false)
    }

    /// The length filter, from a posting alone.
    pub(crate) fn length_ok(&self, m: usize, tagged: bool) -> bool {
        let n = self.toks.len();
        let lb = if m < n {
            self.light[n - m]
        } else {
            (m - n) as u32 * if tagged { 5 } else { 10 }
        };
        qualifies(lb, n, m, self.min_score)
    }

    /// An upper bound on the score of a candidate of `m` tokens (`tagged`
    /// when it holds tags) sharing at most `overlap` query tokens (a multiset
    /// overlap): the unshared tokens of either side cost at least their indel
    /// weights, as in the count and length filters.
    pub(crate) fn score_bound(&self, m: usize, tagged: bool, overlap: usize) -> u8 {
        let n = self.toks.len();
        let h = overlap.min(n).min(m);
        let lb_q = self.light[n - h];
        let lb_c = (m - h) as u32 * if tagged { 5 } else { 10 };
        super::score::score_of(lb_q.max(lb_c), n, m)
    }

    /// The best [`score_bound`](Self::score_bound) over token counts
    /// `min_len..=max_len` (the counts a candidate's postings give).
    pub(crate) fn score_bound_over(&self, min_len: u16, max_len: u16, tagged: bool, overlap: usize) -> u8 {
        (min_len..=max_len)
            .map(|m| self.score_bound(usize::from(m), tagged, overlap))
            .max()
            .unwrap_or(100)
    }

    /// Count filter, bit-parallel bound and weighted distance: the distance
    /// in tenths when the candidate reaches the minimum score.
    pub(crate) fn verify(&self, cand: &[TokSig]) -> Option<u32> {
        let (n, m) = (self.toks.len(), cand.len());
        let dmax = max_distance(n, m, self.min_score);
        // Count filter.
        let cc = class_counts(cand);
        let (mut lb_q, mut lb_c) = (0u32, 0u32);
        let (mut i, mut j) = (0, 0);
        while i < self.classes.len() || j < cc.len() {
            let a = self.classes.get(i);
            let b = cc.get(j);
            match (a, b) {
                (Some(a), Some(b)) if a.0 == b.0 => {
                    lb_q += a.2 * a.1.saturating_sub(b.1);
                    lb_c += b.2 * b.1.saturating_sub(a.1);
                    i += 1;
                    j += 1;
                }
                (Some(a), Some(b)) if a.0 < b.0 => {
                    lb_q += a.2 * a.1;
                    i += 1;
                }
                (Some(a), None) => {
                    lb_q += a.2 * a.1;
                    i += 1;
                }
                (_, Some(b)) => {
                    lb_c += b.2 * b.1;
                    j += 1;
                }
                (None, None) => break,
            }
        }
        if lb_q.max(lb_c) > dmax {
            return None;
        }
        // Bit-parallel Levenshtein over class ids: 10·L ≤ d + 5·tags.
        let ctags = cand.iter().filter(|t| t.kind == Kind::Tag).count();
        let cutoff = (dmax as usize + 5 * (self.tags + ctags)) / 10;
        let args = rapidfuzz::distance::levenshtein::Args::default().score_cutoff(cutoff);
        self.batch
            .distance_with_args(cand.iter().map(|t| t.class), &args)?;
        super::score::distance(self.toks, cand, dmax)
    }
}

/// (class, count, indel weight), sorted by class.
fn class_counts(toks: &[TokSig]) -> Vec<(u64, u32, u32)> {
    let mut v: Vec<(u64, u32)> = toks.iter().map(|t| (t.class, t.kind.indel_cost())).collect();
    v.sort_unstable();
    let mut out: Vec<(u64, u32, u32)> = Vec::with_capacity(v.len());
    for (c, w) in v {
        match out.last_mut() {
            Some(last) if last.0 == c => last.1 += 1,
            _ => out.push((c, 1, w)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_round_trip() {
        let mut c = Chunk::new();
        let ps = [
            Posting {
                unit: 5,
                variant: 0,
                len: 12,
                tagged: false,
            },
            Posting {
                unit: 5,
                variant: 1,
                len: 512,
                tagged: true,
            },
            Posting {
                unit: 3,
                variant: 7,
                len: 1,
                tagged: false,
            },
            Posting {
                unit: 1 << 39,
                variant: 65535,
                len: 0,
                tagged: true,
            },
        ];
        for p in ps {
            c.push(p);
        }
        let back = Chunk::from_bytes(c.bytes.clone()).unwrap();
        assert_eq!((back.count, back.last_unit), (4, 1 << 39));
        let mut got = Vec::new();
        decode_chunk(&back.bytes, &mut |p| got.push(p)).unwrap();
        assert_eq!(got, ps);
        assert!(decode_chunk(&c.bytes[..c.bytes.len() - 1], &mut |_| {}).is_none());
    }

    /// The threshold agrees with an exhaustive search over candidate shapes.
    #[test]
    fn overlap_threshold_is_the_exhaustive_minimum() {
        for n in 1..12usize {
            for tags in 0..=n.min(3) {
                let wq = (n - tags) as u32 * 10 + tags as u32 * 5;
                for s in [51u8, 60, 70, 75, 90, 99, 100] {
                    for wc in [5u32, 10] {
                        let t = overlap_threshold(wq, n, s, wc);
                        // Exhaustive: smallest o for which some m makes the
                        // two lower bounds fit.
                        let mut best = n + 1;
                        'o: for o in 0..=n {
                            for m in o..200 {
                                let lb1 = wq.saturating_sub(10 * o as u32);
                                let lb2 = wc * (m - o) as u32;
                                if qualifies(lb1.max(lb2), n, m, s) {
                                    best = o;
                                    break 'o;
                                }
                            }
                        }
                        assert!(t <= best, "n={n} tags={tags} s={s} wc={wc}: {t} > {best}");
                    }
                }
            }
        }
    }
}
