//! Lookup by key ([`Glossary::lookup`]: a term equal to the query at some
//! key level) and by prefix ([`Glossary::prefix`]: autocomplete).

use fst::{IntoStreamer, Streamer};

use crate::error::Result;
use crate::lang::Lang;
use crate::text::KeyLevel;

use super::Glossary;
use super::file::{self, Posting, SectionBytes};
use super::hit::{LookupHit, MatchLevel};
use super::keys::{LEVELS, level_bit, lookup_key_prefix, term_key, term_keys};

impl Glossary {
    /// Finds the terms in `lang` that equal `text` at some key level, best
    /// level first (exact > case > loose > translit); a term appears once, at
    /// its best level. Terms in other regional variants of the language
    /// (`en-GB` for `en-US`) come after those that match the tag.
    ///
    /// Cost: the query's keys, up to four fst lookups (fewer when levels
    /// give the same key) walked in lockstep, and per hit a checksum and a
    /// borrowing read of its concept record (nothing is allocated per hit;
    /// the records of all hits are fetched together): about 2.3 µs plus
    /// 0.2 µs per hit on a dense 1M-term glossary (see the `glossary`
    /// bench).
    /// [`LookupHit::concept`] decodes a hit's whole concept (a few hundred
    /// nanoseconds more each).
    ///
    /// ```
    /// # use korpu::glossary::{Glossary, GlossaryBuilder, MatchLevel};
    /// # use korpu::model::{Concept, Term};
    /// let tr: korpu::Lang = "tr".parse()?;
    /// let mut b = GlossaryBuilder::new();
    /// b.add(Concept { id: "ist".into(), terms: vec![Term::new(tr.clone(), "İstanbul")], ..Default::default() })?;
    /// let mut bytes = Vec::new();
    /// b.write(&mut bytes)?;
    /// let g = Glossary::from_bytes(bytes)?;
    /// assert_eq!(g.lookup("İstanbul", &tr)?[0].level, MatchLevel::Exact);
    /// assert_eq!(g.lookup("İSTANBUL", &tr)?[0].level, MatchLevel::Case);
    /// assert_eq!(g.lookup("istanbul", &tr)?[0].level, MatchLevel::Case);
    /// assert_eq!(g.lookup("Istanbul", &tr)?[0].level, MatchLevel::Loose); // I is ı in Turkish
    /// assert!(g.lookup("Ankara", &tr)?.is_empty());
    /// # Ok::<(), korpu::Error>(())
    /// ```
    pub fn lookup(&self, text: &str, lang: &Lang) -> Result<Vec<LookupHit<'_>>> {
        let keys = term_keys(text, lang);
        // Levels often share a key (`karabag` is its own case, loose and
        // translit key): each distinct key is looked up once, for all the
        // levels at which the query has it. The full keys (language prefix
        // and key) lie back to back in one buffer.
        let prefix = lookup_key_prefix(lang);
        let mut buf: Vec<u8> =
            Vec::with_capacity(4 * prefix.len() + keys.iter().map(String::len).sum::<usize>());
        let mut distinct: [(std::ops::Range<usize>, u8); 4] = Default::default();
        let mut n = 0;
        for (i, key) in keys.iter().enumerate() {
            if key.is_empty() || keys[..i].contains(key) {
                continue;
            }
            let query_levels = LEVELS
                .iter()
                .zip(&keys)
                .skip(i)
                .filter(|(_, k)| *k == key)
                .fold(0u8, |m, (l, _)| m | level_bit(*l));
            let start = buf.len();
            buf.extend_from_slice(&prefix);
            buf.extend_from_slice(key.as_bytes());
            distinct[n] = (start..buf.len(), query_levels);
            n += 1;
        }
        let distinct = &distinct[..n];
        let mut full: [&[u8]; 4] = [&[]; 4];
        for (f, (r, _)) in full.iter_mut().zip(distinct) {
            *f = &buf[r.clone()];
        }
        let full = &full[..n];
        let mut offsets = [None; 4];
        self.guarded(|| {
            get_sharing_prefixes(self.terms.as_fst(), full, &mut offsets);
            Ok(())
        })?;
        self.prefetch_postings(offsets.iter().flatten().copied());
        // Each (concept, term) once, at its best level; the postings of each
        // distinct key are appended as one run, in (concept, term) order
        // (the order of a posting list), so earlier runs are searched by
        // bisection instead of sorting everything.
        let mut found: Vec<(Posting, MatchLevel, u32)> = Vec::new();
        let mut runs: [std::ops::Range<usize>; 4] = Default::default();
        let section = &self.bytes()[self.postings.clone()];
        for (k, ((_, query_levels), offset)) in distinct.iter().zip(offsets).enumerate() {
            let Some(offset) = offset else { continue };
            let start = found.len();
            file::for_each_posting(section, offset, full[k], &self.path, |p| {
                let both = p.levels & query_levels;
                if both == 0 {
                    return;
                }
                let level = LEVELS[both.trailing_zeros() as usize];
                let kind = MatchLevel::from(level);
                let earlier = runs[..k].iter().find_map(|r| {
                    let run = &found[r.clone()];
                    run.binary_search_by_key(&(p.concept, p.term), |(q, ..)| (q.concept, q.term))
                        .ok()
                        .map(|j| r.start + j)
                });
                match earlier {
                    Some(j) => found[j].1 = found[j].1.min(kind),
                    None => found.push((p, kind, 0)),
                }
            })?;
            runs[k] = start..found.len();
        }
        self.decode_hits(found, lang, usize::MAX)
    }

    /// Autocomplete: terms in `lang` whose case key (then loose key) starts
    /// with that of `text`, at most `limit`, shortest first. Each hit has level
    /// [`MatchLevel::Prefix`], or a better level when the term equals `text`.
    pub fn prefix(&self, text: &str, lang: &Lang, limit: usize) -> Result<Vec<LookupHit<'_>>> {
        let mut found: Vec<(Posting, MatchLevel, u32)> = Vec::new();
        for level in [KeyLevel::Case, KeyLevel::Loose] {
            let key = term_key(text, lang, level);
            let mut full = lookup_key_prefix(lang);
            full.extend_from_slice(key.as_bytes());
            let full_str = String::from_utf8_lossy(&full).into_owned();
            let more: Vec<(Posting, MatchLevel)> = self.guarded(|| {
                let mut out: Vec<(Posting, MatchLevel)> = Vec::new();
                let auto = fst::automaton::Str::new(&full_str);
                let mut stream = self.terms.search(fst::Automaton::starts_with(auto)).into_stream();
                let mut scanned = 0usize;
                // Keys of other levels share the range (exact keys with
                // capitals, translit keys): count only postings at this
                // level, and give up after a bounded number of keys.
                while let Some((k, v)) = stream.next() {
                    scanned += 1;
                    if found.len() + out.len() >= limit || scanned > 100_000 {
                        break;
                    }
                    let kind = if k == full.as_slice() {
                        MatchLevel::from(level)
                    } else {
                        MatchLevel::Prefix
                    };
                    for p in self.postings_of(k, v)? {
                        let new = !found
                            .iter()
                            .any(|(q, ..)| (q.concept, q.term) == (p.concept, p.term))
                            && !out
                                .iter()
                                .any(|(q, _)| (q.concept, q.term) == (p.concept, p.term));
                        if p.levels & level_bit(level) != 0 && new {
                            out.push((p, kind));
                        }
                    }
                }
                Ok(out)
            })?;
            found.extend(more.into_iter().map(|(p, k)| (p, k, 0)));
            if found.len() >= limit {
                break;
            }
        }
        let mut hits = self.collect_hits(found, lang, usize::MAX)?;
        // Completions: the exact one first, then the shortest.
        hits.sort_by_cached_key(|h| (h.level, h.term().text.chars().count()));
        hits.truncate(limit);
        Ok(hits)
    }

    /// Reads the head of each posting list at `offsets` before any is
    /// decoded (see [`prefetch_records`](Self::prefetch_records)).
    fn prefetch_postings(&self, offsets: impl Iterator<Item = u64>) {
        let section = &self.bytes()[self.postings.clone()];
        let mut touched = 0u8;
        for at in offsets {
            if let Some(b) = usize::try_from(at).ok().and_then(|at| section.get(at)) {
                touched ^= b;
            }
        }
        std::hint::black_box(touched);
    }
}

/// The values of `keys` in `fst`, as [`fst::raw::Fst::get`] gives them,
/// into `out` (as long as `keys`).
///
/// The keys are walked in lockstep, up to four at a time, one node of each
/// per step, so that the processor fetches the nodes of the different walks
/// in parallel (in a large glossary each node is a cache miss); the bytes a
/// key shares with the key before it are walked once (a query's keys at
/// successive levels often share a long head: `karabağ`, `karabag`).
fn get_sharing_prefixes(fst: &fst::raw::Fst<SectionBytes>, keys: &[&[u8]], out: &mut [Option<u64>]) {
    use fst::raw::Output;
    for (keys, out) in keys.chunks(4).zip(out.chunks_mut(4)) {
        let root = Some((fst.root(), Output::zero()));
        // The state of each walk; `None` once a byte had no transition.
        let mut states = [root; 4];
        let mut common = [0usize; 4];
        for k in 1..keys.len() {
            common[k] = keys[k - 1]
                .iter()
                .zip(keys[k])
                .take_while(|(a, b)| a == b)
                .count();
        }
        let longest = keys.iter().map(|k| k.len()).max().unwrap_or(0);
        for d in 0..longest {
            for k in 0..keys.len() {
                let Some(&b) = keys[k].get(d) else { continue };
                if d < common[k] {
                    // Walk `k - 1` took the same byte from the same state.
                    states[k] = states[k - 1];
                    continue;
                }
                states[k] = states[k].and_then(|(node, out)| {
                    let t = node.transition(node.find_input(b)?);
                    Some((fst.node(t.addr), out.cat(t.out)))
                });
            }
        }
        for (o, s) in out.iter_mut().zip(states) {
            *o = s.and_then(|(node, out)| node.is_final().then(|| out.cat(node.final_output()).value()));
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::glossary::test_glossary::turkish_glossary;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// The lockstep, prefix-sharing lookup of several keys equals one
        /// `get` each.
        #[test]
        fn shared_prefix_get_equals_get(
            terms in prop::collection::vec("[abcçğ ]{1,6}", 1..30),
            queries in prop::collection::vec("[abcçğ ]{0,7}", 1..6),
        ) {
            let tr: Lang = "tr".parse().unwrap();
            let g = turkish_glossary(&terms);
            // Keys as lookups make them: the prefix and a key, some present.
            let mut keys: Vec<Vec<u8>> = Vec::new();
            for (q, t) in queries.iter().zip(terms.iter().cycle()) {
                for text in [q, t] {
                    let mut k = lookup_key_prefix(&tr);
                    k.extend_from_slice(term_key(text, &tr, KeyLevel::Case).as_bytes());
                    keys.push(k);
                }
            }
            keys.push(b"t".to_vec());
            keys.push(Vec::new());
            let refs: Vec<&[u8]> = keys.iter().map(|k| &k[..]).collect();
            let mut shared = vec![Some(u64::MAX); refs.len()];
            get_sharing_prefixes(g.terms.as_fst(), &refs, &mut shared);
            let each: Vec<Option<u64>> = keys.iter().map(|k| g.terms.get(k)).collect();
            prop_assert_eq!(shared, each);
        }
    }
}
