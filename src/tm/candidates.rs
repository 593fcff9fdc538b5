//! Fuzzy-lookup candidates: from the query's posting lists to the docs
//! worth verifying, with the filters of [`index`](super::index) applied.
//!
//! A candidate must share at least `t` query tokens (the overlap threshold),
//! so it has a posting in one of the *prefix* lists: the first `n − t + 1`
//! query tokens in any fixed order. Lists come in two kinds. A *sparse* list
//! is a sorted array of docs; its postings are merged one by one. A *dense*
//! list (a posting per 128 units or more: the frequent words) also keeps a
//! bitmap of its units, and is read a machine word of 64 units at a time.
//! Sparse lists come first, rarest first, so the prefix is made of the
//! cheap sparse lists and, when it reaches them, the dense ones:
//!
//! 1. the sparse prefix lists are merged into candidates, each new doc
//!    admitted only if the dense lists' bitmaps leave it a chance
//!    ([`Admission`]);
//! 2. docs that are in no sparse list must find all their overlap in the
//!    dense lists: bit-sliced counting over the bitmaps finds those units
//!    and counts their misses exactly ([`dense_misses`]) without touching
//!    a posting;
//! 3. every list the candidates were not merged from is probed for them,
//!    pruning after each list those that can no longer reach `t`.
//!
//! What is left is counted exactly (up to a class's multiplicity and a
//! unit's other variants), which makes the score bounds tight.

use std::sync::Arc;

use super::index::{PostingList, QueryFilter, gallop};

/// The query's posting lists in the order the prefix filter reads them:
/// sparse lists (no bitmap), then dense ones, rarest first in each part,
/// each with the number of query tokens of its class. A class absent from
/// the memory has no list (and sorts first: its tokens are misses for
/// every doc). Built once per lookup and shared by its passes.
pub(crate) struct QueryLists {
    lists: Vec<(Option<Arc<PostingList>>, usize)>,
    first_dense: usize,
    any_tagged: bool,
    /// The language's list of all segments, once a pass has needed it
    /// (for the token counts of dense-only units).
    pub all: Option<Arc<PostingList>>,
}

impl QueryLists {
    /// Orders `lists`: `(list, token id, query tokens)` per query class.
    pub(crate) fn new(mut lists: Vec<(Option<Arc<PostingList>>, u64, usize)>) -> QueryLists {
        // Any fixed order makes the prefix filter exact; this one puts the
        // dense part of the prefix where it can be read as bitmaps.
        lists.sort_by_key(|(l, id, _)| match l {
            None => (false, 0, 0),
            Some(l) => (l.units.is_some(), l.df, *id),
        });
        let first_dense = lists
            .iter()
            .position(|(l, _, _)| l.as_ref().is_some_and(|l| l.units.is_some()))
            .unwrap_or(lists.len());
        let any_tagged = lists
            .iter()
            .any(|(l, _, _)| l.as_ref().is_some_and(|l| l.any_tagged));
        QueryLists {
            lists: lists.into_iter().map(|(l, _, q)| (l, q)).collect(),
            first_dense,
            any_tagged,
            all: None,
        }
    }
}

/// What [`gather`] found.
pub(crate) struct Gathered {
    /// Candidates from the sparse lists, sorted by doc, with their hits.
    pub cands: Vec<Cand>,
    /// Query tokens whose lists were not read (every candidate may share
    /// them).
    pub unread: usize,
    /// Units that only the dense lists give, with their hits (a unit's
    /// docs are found later, if it is verified at all).
    pub fresh: Vec<(u64, usize)>,
    /// The docs the sparse lists gave, before pruning: a fresh unit's doc
    /// among them was already a candidate (or proven unable to qualify).
    pub sparse_docs: Vec<u64>,
    /// The overlap threshold of a tagged segment: the caller's, or the
    /// plain one when no list holds a tagged segment.
    pub t_tagged: usize,
}

/// The candidates of a query of `n` tokens that need an overlap of
/// `t_plain` (`t_tagged` for segments with tags) to reach `filter`'s
/// minimum score.
pub(crate) fn gather(
    lists: &QueryLists,
    n: usize,
    t_plain: usize,
    t_tagged: usize,
    filter: &QueryFilter<'_>,
) -> Gathered {
    // When no list holds a tagged segment, no candidate can be one.
    let t_tagged = if lists.any_tagged { t_tagged } else { t_plain };
    let prefix = |t: usize| if t == 0 || t > n { 0 } else { n - t + 1 };
    let (p_plain, p_tagged) = (prefix(t_plain), prefix(t_tagged));
    let p = p_plain.max(p_tagged);
    let t_of = |tagged: bool| if tagged { t_tagged } else { t_plain };
    let dense: Vec<(&PostingList, usize)> = lists.lists[lists.first_dense..]
        .iter()
        .filter_map(|(l, q)| l.as_deref().map(|l| (l, *q)))
        .collect();
    let (mut cands, mut spare): (Vec<Cand>, Vec<Cand>) = (Vec::new(), Vec::new());
    let mut covered = 0usize;
    for (list, q) in &lists.lists[..lists.first_dense] {
        let q = *q;
        let in_prefix = covered < p;
        if !in_prefix {
            let rem = n - covered.min(n);
            cands.retain(|c| c.hits + rem >= t_of(c.tagged));
            if cands.is_empty() {
                covered = n;
                break;
            }
        }
        let Some(list) = list else {
            covered += q;
            continue;
        };
        if in_prefix {
            let admission = Admission {
                q,
                after: n - (covered + q).min(n),
                t_plain,
                t_tagged,
                ins_plain: covered < p_plain,
                ins_tagged: covered < p_tagged,
                dense_after: &dense,
            };
            merge_prefix_list(&cands, &mut spare, list, filter, &admission);
            std::mem::swap(&mut cands, &mut spare);
        } else {
            probe_list(&mut cands, list, q, filter);
        }
        covered += q;
    }
    let mut fresh: Vec<(u64, usize)> = Vec::new();
    let mut sparse_docs: Vec<u64> = Vec::new();
    if covered < n && !dense.is_empty() {
        if covered < p {
            // The prefix reaches into the dense lists: `k` of them.
            let mut k = 0;
            let mut c = covered;
            while k < dense.len() && c < p {
                c += dense[k].1;
                k += 1;
            }
            let w_dense: usize = dense.iter().map(|d| d.1).sum();
            let t_min = t_plain.min(t_tagged);
            if w_dense >= t_min {
                let max_miss = w_dense - t_min;
                dense_misses(&dense, k, max_miss, &mut fresh);
                for unit in &mut fresh {
                    unit.1 = w_dense - unit.1; // misses to hits
                }
            }
            // The sparse candidates see their postings in the dense prefix
            // lists too: their token counts may be there only (a stale
            // posting in a sparse list may carry an old count).
            for (list, _) in &dense[..k] {
                let mut at = 0;
                for cand in &mut cands {
                    for i in list.unit_range(cand.doc >> 16, &mut at) {
                        if list.docs[i] == cand.doc && filter.fits(list.meta[i]) {
                            cand.see(list.meta[i]);
                        }
                    }
                }
            }
            sparse_docs = cands.iter().map(|c| c.doc).collect();
        }
        for (list, q) in &dense {
            let rem = n - covered.min(n);
            cands.retain(|c| c.hits + rem >= t_of(c.tagged));
            if cands.is_empty() {
                covered = n;
                break;
            }
            probe_list(&mut cands, list, *q, filter);
            covered += q;
        }
    }
    Gathered {
        cands,
        unread: n - covered.min(n),
        fresh,
        sparse_docs,
        t_tagged,
    }
}

/// A fuzzy-lookup candidate: a doc from a prefix list, with what its
/// postings say (token counts, tags) and the query tokens it may share.
/// Only postings that pass the length filter ([`QueryFilter::fits`]) are seen, so every
/// candidate passes it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cand {
    /// The doc: unit id and variant index (see [`super::index::doc_id`]).
    pub doc: u64,
    /// Query tokens found in the lists read so far (an upper bound on the
    /// shared tokens of the doc's current version).
    pub hits: usize,
    /// Whether a posting seen is of a segment with tags.
    pub tagged: bool,
    /// Token counts seen in its postings: stale postings of an updated unit
    /// may give another count than the current record's.
    pub min_len: u16,
    pub max_len: u16,
}

impl Cand {
    /// Takes in what a posting (`len << 1 | tagged`) says of the doc.
    pub(crate) fn see(&mut self, meta: u16) {
        let (len, tagged) = (PostingList::len_of(meta), PostingList::tagged(meta));
        self.tagged |= tagged;
        self.min_len = self.min_len.min(len);
        self.max_len = self.max_len.max(len);
    }
}

/// Which docs a prefix list may add to the candidates.
///
/// A doc first met in a prefix list has missed every list before it, so it
/// must find the rest of its overlap threshold in the lists after it: with
/// `after` query tokens left it can miss at most `after − (t − q)` of them.
/// A missing bit in a dense list's unit bitmap is a real miss (no variant of
/// the unit has the token), so a doc whose misses in the dense lists after
/// this one exceed that slack cannot qualify and is never added. In a large
/// memory the last prefix lists are long (frequent words) and nearly all of
/// their docs fail this test within a probe or two, where they would
/// otherwise each become a candidate to be probed and pruned later.
struct Admission<'a> {
    /// The query tokens of this list's class.
    q: usize,
    /// Query tokens in the lists after this one.
    after: usize,
    t_plain: usize,
    t_tagged: usize,
    /// Whether a plain (tagged) segment may enter here: the plain and tagged
    /// prefixes differ in length.
    ins_plain: bool,
    ins_tagged: bool,
    /// The lists after this one that keep a unit bitmap, with their tokens.
    dense_after: &'a [(&'a PostingList, usize)],
}

impl Admission<'_> {
    /// Whether a doc of `unit` with postings `group` here (all of the doc's
    /// postings in this list) may become a candidate.
    fn admits(&self, filter: &QueryFilter<'_>, unit: u64, group: &[u16]) -> bool {
        let enters = |tagged: bool| {
            group
                .iter()
                .any(|&m| PostingList::tagged(m) == tagged && filter.fits(m))
        };
        // A tagged segment needs the smaller overlap: test with it when the
        // doc may enter as one.
        let t = if self.ins_tagged && enters(true) {
            self.t_tagged
        } else if self.ins_plain && enters(false) {
            self.t_plain
        } else {
            return false;
        };
        let Some(slack) = self.after.checked_sub(t.saturating_sub(self.q)) else {
            return false;
        };
        let mut missed = 0;
        for (list, q) in self.dense_after {
            if list.has_unit(unit) == Some(false) {
                missed += q;
                if missed > slack {
                    return false;
                }
            }
        }
        true
    }
}

/// Merges a prefix list into the candidates (both sorted by doc): a doc
/// already there gains the list's hits; a new doc enters when `admission`
/// admits it.
fn merge_prefix_list(
    cands: &[Cand],
    out: &mut Vec<Cand>,
    list: &PostingList,
    filter: &QueryFilter<'_>,
    admission: &Admission<'_>,
) {
    out.clear();
    out.reserve(cands.len() + list.docs.len().min(1 << 16));
    let (docs, meta) = (&list.docs, &list.meta);
    let q = admission.q;
    let mut k = 0;
    let mut i = 0;
    while i < docs.len() {
        let doc = docs[i];
        let mut j = i + 1;
        while j < docs.len() && docs[j] == doc {
            j += 1;
        }
        let group = &meta[i..j];
        i = j;
        while k < cands.len() && cands[k].doc < doc {
            out.push(cands[k]);
            k += 1;
        }
        let mut cand = if k < cands.len() && cands[k].doc == doc {
            if !group.iter().any(|&m| filter.fits(m)) {
                continue;
            }
            let mut c = cands[k];
            k += 1;
            c.hits += q;
            c
        } else {
            if !admission.admits(filter, doc >> 16, group) {
                continue;
            }
            Cand {
                doc,
                hits: q,
                tagged: false,
                min_len: u16::MAX,
                max_len: 0,
            }
        };
        for &m in group.iter().filter(|&&m| filter.fits(m)) {
            cand.see(m);
        }
        out.push(cand);
    }
    out.extend_from_slice(&cands[k..]);
}

/// The units with a posting in one of the first `prefix` lists of `dense`
/// that miss at most `max_miss` query tokens over all of `dense`, in order,
/// each with the tokens it misses (exactly), into `out`.
///
/// Bit-sliced counting over the lists' unit bitmaps: per machine word of 64
/// units, `planes[c]` holds the units that have missed exactly `c` tokens so
/// far, and a list moves the units it lacks up by its token count. A block
/// of words is worked on whole (a loop the compiler vectorizes) while many
/// of its words hold live units; once few do, only those words are updated,
/// which is what makes the count exact at the cost of a few loads per list.
fn dense_misses(
    dense: &[(&PostingList, usize)],
    prefix: usize,
    max_miss: usize,
    out: &mut Vec<(u64, usize)>,
) {
    let bits: Vec<(&[u64], usize)> = dense
        .iter()
        .filter_map(|(l, q)| l.units.as_deref().map(|b| (b, *q)))
        .collect();
    if bits.len() != dense.len() {
        return; // not all dense: callers pass lists with bitmaps only
    }
    let words = bits[..prefix].iter().map(|(b, _)| b.len()).max().unwrap_or(0);
    // Blocks of words, each step a loop over the block that the compiler
    // vectorizes: no branch per word. 64 words (4096 units) measured best
    // of 8 to 128 at a million units.
    const BLOCK: usize = 64;
    // Below this many live words, updating them one by one costs less than
    // a pass over the block.
    const FEW_WORDS: usize = 8;
    let planes_len = max_miss + 1;
    let mut planes = vec![[0u64; BLOCK]; planes_len];
    // A block of a bitmap, zero-padded at the end (a bitmap is as long as
    // its list's largest unit needs).
    fn load<'a>(b: &'a [u64], start: usize, pad: &'a mut [u64; BLOCK]) -> &'a [u64; BLOCK] {
        if let Some(block) = b
            .get(start..start + BLOCK)
            .and_then(|s| <&[u64; BLOCK]>::try_from(s).ok())
        {
            return block;
        }
        let tail = b.get(start..).unwrap_or(&[]);
        pad.fill(0);
        pad[..tail.len()].copy_from_slice(tail);
        pad
    }
    let mut pad = [0u64; BLOCK];
    let mut live: Vec<usize> = Vec::with_capacity(BLOCK);
    for start in (0..words).step_by(BLOCK) {
        let mut any = [0u64; BLOCK];
        for (b, _) in &bits[..prefix] {
            let word = load(b, start, &mut pad);
            for (a, w) in any.iter_mut().zip(word) {
                *a |= w;
            }
        }
        if any.iter().all(|&a| a == 0) {
            continue;
        }
        for p in planes.iter_mut() {
            *p = [0; BLOCK];
        }
        planes[0] = any;
        let mut alive = any;
        let mut next = 0;
        while next < bits.len() && alive.iter().filter(|&&a| a != 0).count() > FEW_WORDS {
            let (b, q) = bits[next];
            next += 1;
            let word = load(b, start, &mut pad);
            alive = [0; BLOCK];
            for c in (0..planes_len).rev() {
                let (lower, upper) = planes.split_at_mut(c);
                let plane = &mut upper[0];
                match c.checked_sub(q).and_then(|m| lower.get(m)) {
                    Some(moved) => {
                        for i in 0..BLOCK {
                            plane[i] = (plane[i] & word[i]) | (moved[i] & !word[i]);
                            alive[i] |= plane[i];
                        }
                    }
                    None => {
                        for i in 0..BLOCK {
                            plane[i] &= word[i];
                            alive[i] |= plane[i];
                        }
                    }
                }
            }
        }
        live.clear();
        live.extend((0..BLOCK).filter(|&i| alive[i] != 0));
        for &(b, q) in &bits[next..] {
            if live.is_empty() {
                break;
            }
            live.retain(|&i| {
                let w = b.get(start + i).copied().unwrap_or(0);
                let mut alive = 0;
                for c in (0..planes_len).rev() {
                    let moved = c.checked_sub(q).map_or(0, |m| planes[m][i]);
                    planes[c][i] = (planes[c][i] & w) | (moved & !w);
                    alive |= planes[c][i];
                }
                alive != 0
            });
        }
        for i in 0..BLOCK {
            let mut word = planes.iter().fold(0, |a, p| a | p[i]);
            while word != 0 {
                let bit = word.trailing_zeros();
                let missed = planes.iter().position(|p| p[i] >> bit & 1 == 1).unwrap_or(0);
                out.push(((start + i) as u64 * 64 + u64::from(bit), missed));
                word &= word - 1;
            }
        }
    }
}

/// Gives `q` hits to every candidate found in `list`, by galloping through
/// the list (candidates are sorted by doc and usually far fewer).
fn probe_list(cands: &mut [Cand], list: &PostingList, q: usize, filter: &QueryFilter<'_>) {
    if list.units.is_some() {
        // A dense list: test each candidate's unit bit. Another variant of
        // the unit may own the bit, which only overestimates hits (bounds
        // stay sound); token counts come from the prefix lists, which hold
        // a current posting of every candidate that can qualify.
        for c in cands.iter_mut() {
            if list.has_unit(c.doc >> 16) == Some(true) {
                c.hits += q;
            }
        }
        return;
    }
    let docs = &list.docs;
    // Galloping pays when candidates are sparse in the list; otherwise a
    // linear merge reads memory in order and wins.
    let sparse = docs.len() > 16 * cands.len();
    let mut at = 0usize;
    for c in cands.iter_mut() {
        if at >= docs.len() {
            break;
        }
        if !sparse {
            while at < docs.len() && docs[at] < c.doc {
                at += 1;
            }
        } else {
            at = gallop(docs, at, c.doc);
        }
        let mut j = at;
        let mut hit = false;
        while j < docs.len() && docs[j] == c.doc {
            if filter.fits(list.meta[j]) {
                c.see(list.meta[j]);
                hit = true;
            }
            j += 1;
        }
        if hit {
            c.hits += q;
        }
        at = j;
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// A list holding one posting per unit of `units` (variant 0, 10 tokens).
    fn list(units: &[u64]) -> PostingList {
        let pairs: Vec<(u64, u16)> = units.iter().map(|&u| (u << 16, 10 << 1)).collect();
        PostingList::new(pairs.len() as u64, &pairs)
    }

    proptest! {
        /// `dense_misses` gives exactly the units of the prefix lists that
        /// miss at most `max_miss` tokens over all lists, in order, each
        /// with its misses: a brute-force count agrees.
        #[test]
        fn dense_misses_counts_like_brute_force(
            sets in proptest::collection::vec(
                (proptest::collection::btree_set(0u64..9000, 300..4500), 1usize..3),
                1..9,
            ),
            prefix in 1usize..9,
            max_miss in 0usize..5,
        ) {
            let lists: Vec<(PostingList, usize)> = sets
                .iter()
                .map(|(s, q)| (list(&s.iter().copied().collect::<Vec<_>>()), *q))
                .collect();
            let dense: Vec<(&PostingList, usize)> = lists.iter().map(|(l, q)| (l, *q)).collect();
            prop_assume!(dense.iter().all(|(l, _)| l.units.is_some()));
            let prefix = prefix.min(dense.len());
            let mut got = Vec::new();
            dense_misses(&dense, prefix, max_miss, &mut got);
            let mut want = Vec::new();
            for unit in 0..9000u64 {
                let in_prefix = sets[..prefix].iter().any(|(s, _)| s.contains(&unit));
                let missed: usize = sets.iter().filter(|(s, _)| !s.contains(&unit)).map(|(_, q)| q).sum();
                if in_prefix && missed <= max_miss {
                    want.push((unit, missed));
                }
            }
            prop_assert_eq!(got, want);
        }
    }
}
