//! Fuzzy lookup ([`Glossary::fuzzy`]): the terms within an edit distance
//! of the query, found by a Levenshtein automaton walked over the fst.

use std::sync::OnceLock;

use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder};

use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::text::KeyLevel;

use super::Glossary;
use super::file::SectionBytes;
use super::hit::{LookupHit, MatchLevel};
use super::keys::{LEVELS, level_bit, lookup_key_prefix, term_key};

/// The most hits [`Glossary::fuzzy`] returns (the nearest ones).
pub const FUZZY_MAX_HITS: usize = 100;

impl Glossary {
    /// Terms in `lang` within `max_distance` edits (Levenshtein, a
    /// transposition counting one) of `text`, compared on loose keys (case
    /// and diacritics ignored), nearest first. Exact-level equals are
    /// reported at their level with distance 0; others as
    /// [`MatchLevel::Fuzzy`] with their distance.
    ///
    /// A Levenshtein DFA (`levenshtein_automata`) runs over the fst, so the
    /// cost depends on the distance and the glossary's shape, not its size:
    /// from tens of microseconds to a few tenths of a millisecond at distance 2
    /// (dense 1M-term glossary; see the `glossary` bench). `max_distance` above 3 is refused.
    /// At most [`FUZZY_MAX_HITS`] hits are returned, the nearest first.
    pub fn fuzzy(&self, text: &str, lang: &Lang, max_distance: u32) -> Result<Vec<LookupHit<'_>>> {
        if max_distance > 3 {
            return Err(Error::InvalidArgument(format!(
                "fuzzy distance {max_distance} is too large (at most 3)"
            )));
        }
        let key = term_key(text, lang, KeyLevel::Loose);
        if key.is_empty() {
            return Ok(Vec::new());
        }
        let dfa = lev_builder(max_distance as u8).build_dfa(&key);
        let prefix = lookup_key_prefix(lang);
        let keys = self.guarded(|| Ok(fuzzy_keys(self.terms.as_fst(), &prefix, &dfa, 100_000)))?;
        // A term has one loose key, so each (concept, term) occurs once here:
        // no deduplication is needed.
        let mut found = Vec::new();
        for k in &keys.found {
            let key = &keys.bytes[k.key.clone()];
            for p in self.postings_of(key, k.value)? {
                if p.levels & level_bit(KeyLevel::Loose) != 0 {
                    found.push((p, MatchLevel::Fuzzy, k.distance));
                }
            }
        }
        let mut hits = self.nearest_hits(found, lang, FUZZY_MAX_HITS)?;
        // A distance-0 hit is a plain lookup hit; report its real level.
        for h in &mut hits {
            if h.distance == 0 {
                let t = h.term();
                h.level = LEVELS
                    .iter()
                    .find(|l| term_key(text, lang, **l) == term_key(t.text, &t.lang, **l))
                    .map_or(MatchLevel::Loose, |l| MatchLevel::from(*l));
            }
        }
        hits.sort_by_key(|h| (h.distance, h.level));
        Ok(hits)
    }
}

/// The Levenshtein automaton builders, built once per distance (building one
/// takes milliseconds; building a DFA from it, microseconds).
fn lev_builder(d: u8) -> &'static LevenshteinAutomatonBuilder {
    static B: [OnceLock<LevenshteinAutomatonBuilder>; 4] =
        [OnceLock::new(), OnceLock::new(), OnceLock::new(), OnceLock::new()];
    B[d as usize].get_or_init(|| LevenshteinAutomatonBuilder::new(d, true))
}

/// One key found by [`fuzzy_keys`].
struct FuzzyKey {
    /// Where the whole key (prefix included) is in [`FuzzyKeys::bytes`].
    key: std::ops::Range<usize>,
    /// Its fst value (the offset of its posting list).
    value: u64,
    /// Its edit distance from the query.
    distance: u32,
}

/// The keys [`fuzzy_keys`] found, their bytes back to back in one buffer.
#[derive(Default)]
struct FuzzyKeys {
    bytes: Vec<u8>,
    found: Vec<FuzzyKey>,
}

/// The keys under `prefix` whose rest the DFA accepts, with their values and
/// distances, in key order, at most `limit` (then `limit + 1`, like a capped
/// stream).
///
/// A depth-first walk over the fst's nodes, pruning on the DFA's sink state
/// and on characters that never occur in a loose key (capitals, `ş`, `ı`,
/// …): keys of the other levels share the fst, and following them would
/// cost most of the walk. Depth is bounded by an explicit stack, whose
/// frames keep their decoded node.
fn fuzzy_keys(
    fst: &fst::raw::Fst<SectionBytes>,
    prefix: &[u8],
    dfa: &levenshtein_automata::DFA,
    limit: usize,
) -> FuzzyKeys {
    use fst::raw::{Node, Output};
    struct Frame<'f> {
        node: Node<'f>,
        out: Output,
        state: u32,
        next: usize,
        len: usize,
    }
    let mut out = FuzzyKeys::default();
    let (mut node, mut output) = (fst.root(), Output::zero());
    for &b in prefix {
        let Some(i) = node.find_input(b) else { return out };
        let t = node.transition(i);
        output = output.cat(t.out);
        node = fst.node(t.addr);
    }
    let mut key = prefix.to_vec();
    let mut stack = vec![Frame {
        node,
        out: output,
        state: dfa.initial_state(),
        next: 0,
        len: key.len(),
    }];
    while let Some(top) = stack.last_mut() {
        if top.next >= top.node.len() {
            stack.pop();
            continue;
        }
        let t = top.node.transition(top.next);
        top.next += 1;
        let state = dfa.transition(top.state, t.inp);
        if state == levenshtein_automata::SINK_STATE {
            continue;
        }
        key.truncate(top.len);
        key.push(t.inp);
        let output = top.out.cat(t.out);
        if !last_char_may_be_loose(&key[prefix.len()..]) {
            continue;
        }
        let child = fst.node(t.addr);
        if child.is_final()
            && let Distance::Exact(d) = dfa.distance(state)
        {
            let start = out.bytes.len();
            out.bytes.extend_from_slice(&key);
            out.found.push(FuzzyKey {
                key: start..out.bytes.len(),
                value: output.cat(child.final_output()).value(),
                distance: u32::from(d),
            });
            if out.found.len() > limit {
                break;
            }
        }
        stack.push(Frame {
            node: child,
            out: output,
            state,
            next: 0,
            len: key.len(),
        });
    }
    out
}

/// False when `key` ends with a complete character that never occurs in a
/// loose key; true while the last character is incomplete.
fn last_char_may_be_loose(key: &[u8]) -> bool {
    let Some(&last) = key.last() else { return true };
    if last < 0x80 {
        return crate::text::may_occur_in_loose_key(last as char);
    }
    let start = key.len().saturating_sub(4);
    let Some(lead) = key[start..]
        .iter()
        .rposition(|b| b & 0xC0 != 0x80)
        .map(|i| start + i)
    else {
        return true;
    };
    let need = match key[lead] {
        b if b >= 0xF0 => 4,
        b if b >= 0xE0 => 3,
        b if b >= 0xC0 => 2,
        _ => return true,
    };
    if key.len() - lead != need {
        return true;
    }
    match std::str::from_utf8(&key[lead..])
        .ok()
        .and_then(|s| s.chars().next())
    {
        Some(c) => crate::text::may_occur_in_loose_key(c),
        None => true,
    }
}

/// A Levenshtein DFA over the keys that start with a language prefix.
#[cfg(test)]
struct PrefixedDfa<'a> {
    prefix: &'a [u8],
    dfa: &'a levenshtein_automata::DFA,
}

#[cfg(test)]
impl fst::Automaton for PrefixedDfa<'_> {
    /// `Err(i)`: `i` bytes of the prefix matched; `Ok(s)`: DFA state `s`.
    type State = std::result::Result<u32, usize>;

    fn start(&self) -> Self::State {
        if self.prefix.is_empty() {
            Ok(self.dfa.initial_state())
        } else {
            Err(0)
        }
    }

    fn is_match(&self, state: &Self::State) -> bool {
        matches!(state, Ok(s) if matches!(self.dfa.distance(*s), Distance::Exact(_)))
    }

    fn can_match(&self, state: &Self::State) -> bool {
        match state {
            // State 0 of levenshtein_automata's DFA is its sink.
            Ok(s) => *s != 0,
            Err(i) => *i != usize::MAX,
        }
    }

    fn accept(&self, state: &Self::State, byte: u8) -> Self::State {
        match *state {
            Ok(s) => Ok(self.dfa.transition(s, byte)),
            Err(usize::MAX) => Err(usize::MAX),
            Err(i) => {
                if self.prefix.get(i) == Some(&byte) {
                    if i + 1 == self.prefix.len() {
                        Ok(self.dfa.initial_state())
                    } else {
                        Err(i + 1)
                    }
                } else {
                    Err(usize::MAX)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use fst::{IntoStreamer, Streamer};
    use proptest::prelude::*;

    use super::*;
    use crate::glossary::test_glossary::turkish_glossary;

    /// The keys the generic fst stream finds with the same DFA, minus those
    /// holding a character no loose key has.
    fn by_stream(g: &Glossary, prefix: &[u8], dfa: &levenshtein_automata::DFA) -> Vec<(Vec<u8>, u64)> {
        let auto = PrefixedDfa { prefix, dfa };
        let mut stream = g.terms.search(auto).into_stream();
        let mut out = Vec::new();
        while let Some((k, v)) = stream.next() {
            let rest = std::str::from_utf8(&k[prefix.len()..]).unwrap();
            if rest.chars().all(crate::text::may_occur_in_loose_key) {
                out.push((k.to_vec(), v));
            }
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// The pruned depth-first walk finds exactly the loose-able keys the
        /// fst's own automaton stream finds.
        #[test]
        fn fuzzy_walk_equals_stream(
            terms in prop::collection::vec("[a-zA-ZçÇğĞıIİöÖşŞüÜəƏ ]{1,10}", 1..40),
            query in "[a-zçğıöşüə]{1,8}",
            d in 0u8..3,
        ) {
            let tr: Lang = "tr".parse().unwrap();
            let g = turkish_glossary(&terms);
            let key = term_key(&query, &tr, KeyLevel::Loose);
            let dfa = lev_builder(d).build_dfa(&key);
            let prefix = lookup_key_prefix(&tr);
            let walk = fuzzy_keys(g.terms.as_fst(), &prefix, &dfa, 100_000);
            let walked: Vec<(Vec<u8>, u64)> = walk.found.iter().map(|k| (walk.bytes[k.key.clone()].to_vec(), k.value)).collect();
            prop_assert_eq!(walked, by_stream(&g, &prefix, &dfa));
            // Each key's distance is the DFA's.
            for k in &walk.found {
                let d = dfa.eval(&walk.bytes[k.key.start + prefix.len()..k.key.end]);
                prop_assert_eq!(Distance::Exact(k.distance as u8), d);
            }
        }
    }

    #[test]
    fn last_char_test_waits_for_whole_chars() {
        assert!(!last_char_may_be_loose(b"kA"));
        assert!(last_char_may_be_loose(b"ka"));
        assert!(last_char_may_be_loose(&"kş".as_bytes()[..2]));
        assert!(!last_char_may_be_loose("kş".as_bytes()));
        assert!(last_char_may_be_loose("kж".as_bytes()));
    }
}
