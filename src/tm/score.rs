//! Token signatures and the weighted token edit distance behind every score.
//!
//! A segment is reduced to at most [`MAX_TOKENS`] tokens. Each token keeps
//! three fingerprints: its *class* (the loose key for words and punctuation,
//! one class for all numbers, one for all tags), its case key and its exact
//! (NFC) text. Two tokens cost, in tenths of an edit:
//!
//! | difference | cost |
//! |---|---|
//! | none (same NFC text) | 0 |
//! | case only (same case key) | 1 (0.1) |
//! | diacritics only (same loose key) | 5 (0.5) |
//! | a number for another number | 5 (0.5) |
//! | a tag for another tag, a tag inserted or removed | 5 (0.5) |
//! | anything else (substitution, insertion, deletion) | 10 (1) |
//!
//! and the score is `floor(100 × (1 − d / max(n, m)))`, computed in integers.

use std::borrow::Cow;

use crate::lang::Lang;
use crate::text::{Token, TokenKind, case_key, loose_key, nfc, tokenize};

/// The number of tokens of a segment that matching looks at. Longer text
/// (a query or a stored segment) is cut to its first `MAX_TOKENS` tokens, both
/// in the index and in the scorer, so a 10,000-word query costs no more than a
/// 512-token one.
pub const MAX_TOKENS: usize = 512;

/// Cost of a full edit, in tenths.
pub(crate) const FULL: u32 = 10;
const CASE: u32 = 1;
const HALF: u32 = 5;

/// What kind of token, as stored (one byte).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub(crate) enum Kind {
    Word = 0,
    Number = 1,
    Punct = 2,
    Tag = 3,
}

impl Kind {
    pub(crate) fn from_byte(b: u8) -> Option<Kind> {
        Some(match b {
            0 => Kind::Word,
            1 => Kind::Number,
            2 => Kind::Punct,
            3 => Kind::Tag,
            _ => return None,
        })
    }

    /// Cost of inserting or deleting a token of this kind.
    pub(crate) fn indel_cost(self) -> u32 {
        if self == Kind::Tag { HALF } else { FULL }
    }
}

/// One token's fingerprints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct TokSig {
    pub kind: Kind,
    /// Hash of the class key (loose key; `#` for numbers and tags).
    pub class: u64,
    /// Hash of the case key; for words and punctuation 0 when the case key
    /// is the class key (compared only within a class, so 0 is as good as
    /// the hash).
    pub case: u32,
    /// Hash of the exact (NFC) text; for words and punctuation 0 when the
    /// text is its case key.
    pub exact: u32,
}

/// A 64-bit FNV-1a hash. Stable across versions: it is stored on disk.
pub(crate) fn hash64(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in *part {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        // A separator so that ("ab","c") and ("a","bc") differ.
        h ^= 0xff;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    // Final avalanche (from splitmix64) so that low bits are well mixed.
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

fn hash32(s: &str) -> u32 {
    let h = hash64(&[s.as_bytes()]);
    (h ^ (h >> 32)) as u32
}

/// The hash of a class key as the signature stores it.
pub(crate) fn class_hash(kind: Kind, key: &str) -> u64 {
    hash64(&[&[kind as u8], key.as_bytes()])
}

/// The signature of one token of `lang`.
pub(crate) fn token_sig(kind: TokenKind, text: &str, lang: &Lang) -> (TokSig, Cow<'static, str>) {
    let kind = match kind {
        TokenKind::Word => Kind::Word,
        TokenKind::Number => Kind::Number,
        TokenKind::Punct => Kind::Punct,
        TokenKind::Tag => Kind::Tag,
    };
    let exact = nfc(text);
    // Never 0, which stands for "the same as the key one level up" (and so
    // takes no room in a stored signature).
    let nonzero = |s: &str| hash32(s).max(1);
    let (case_h, exact_h, key) = match kind {
        Kind::Word | Kind::Punct => {
            let case = case_key(&exact, lang);
            let key = loose_key(&case, lang).into_owned();
            let case_h = if case == key.as_str() { 0 } else { nonzero(&case) };
            let exact_h = if exact == case { 0 } else { nonzero(&exact) };
            (case_h, exact_h, key)
        }
        Kind::Number | Kind::Tag => {
            let h = nonzero(&exact);
            (h, h, String::new())
        }
    };
    let sig = TokSig {
        kind,
        class: class_hash(kind, &key),
        case: case_h,
        exact: exact_h,
    };
    (sig, Cow::Owned(key))
}

/// A tokenized segment: the signatures of its first [`MAX_TOKENS`] tokens.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Sig {
    pub toks: Vec<TokSig>,
}

impl Sig {
    /// Signature of `text` in `lang`, with the class key of every token (what
    /// the index needs).
    pub(crate) fn of_text(text: &str, lang: &Lang) -> (Sig, Vec<String>) {
        Sig::of_tokens(tokenize(text).take(MAX_TOKENS), lang)
    }

    /// [`of_text`](Sig::of_text) of text tokenized already (and cut to
    /// [`MAX_TOKENS`]).
    pub(crate) fn of_tokens<'t>(
        tokens: impl IntoIterator<Item = Token<'t>>,
        lang: &Lang,
    ) -> (Sig, Vec<String>) {
        let mut toks = Vec::new();
        let mut keys = Vec::new();
        for t in tokens {
            let (sig, key) = token_sig(t.kind, t.text, lang);
            toks.push(sig);
            keys.push(key.into_owned());
        }
        (Sig { toks }, keys)
    }

    pub(crate) fn len(&self) -> usize {
        self.toks.len()
    }

    pub(crate) fn tags(&self) -> usize {
        self.toks.iter().filter(|t| t.kind == Kind::Tag).count()
    }

    /// Sum of the insertion/deletion costs of all tokens (tenths).
    pub(crate) fn weight(&self) -> u32 {
        self.toks.iter().map(|t| t.kind.indel_cost()).sum()
    }

    /// Hash of the exact token sequence: two segments with equal hashes (and
    /// equal signatures) score 100.
    pub(crate) fn exact_hash(&self, lang_id: u16) -> u64 {
        // All three levels (`exact` alone is 0 for many different words; the
        // class hash covers the kind), mixed a word at a time: this runs for
        // every variant imported. Stable: it is stored.
        fn mix(mut h: u64) -> u64 {
            h ^= h >> 30;
            h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
            h ^= h >> 27;
            h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
            h ^ (h >> 31)
        }
        let mut h = mix(0x6b6f_7270_7500_0000 ^ u64::from(lang_id));
        for t in &self.toks {
            h = mix(h ^ t.class);
            h = mix(h ^ (u64::from(t.case) << 32 | u64::from(t.exact)));
        }
        mix(h ^ self.toks.len() as u64)
    }

    /// Serializes the signature: `u16 n`, then per token a head byte (kind
    /// in bits 0–1; bit 2: `case` follows; bits 3–4: `exact` is 0, equals
    /// `case`, or follows), `class u64`, then `case u32` and `exact u32` when
    /// they follow. Most tokens are 9 bytes: [`token_sig`] gives a word whose
    /// text is its own case and class key zero for both.
    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&(self.toks.len() as u16).to_le_bytes());
        for t in &self.toks {
            let case_follows = t.case != 0;
            let exact_mode: u8 = if t.exact == 0 {
                0
            } else if t.exact == t.case {
                1
            } else {
                2
            };
            out.push(t.kind as u8 | u8::from(case_follows) << 2 | exact_mode << 3);
            out.extend_from_slice(&t.class.to_le_bytes());
            if case_follows {
                out.extend_from_slice(&t.case.to_le_bytes());
            }
            if exact_mode == 2 {
                out.extend_from_slice(&t.exact.to_le_bytes());
            }
        }
    }

    /// The inverse of [`Sig::encode`]; returns the signature and the bytes read.
    pub(crate) fn decode(bytes: &[u8]) -> Option<(Sig, usize)> {
        fn u32_at(bytes: &[u8], at: &mut usize) -> Option<u32> {
            let v = u32::from_le_bytes(bytes.get(*at..*at + 4)?.try_into().ok()?);
            *at += 4;
            Some(v)
        }
        let n = u16::from_le_bytes(bytes.get(..2)?.try_into().ok()?) as usize;
        let mut toks = Vec::with_capacity(n);
        let mut at = 2;
        for _ in 0..n {
            let head = *bytes.get(at)?;
            if head >> 5 != 0 {
                return None;
            }
            let class = u64::from_le_bytes(bytes.get(at + 1..at + 9)?.try_into().ok()?);
            at += 9;
            let case = if head & 4 != 0 { u32_at(bytes, &mut at)? } else { 0 };
            let exact = match head >> 3 {
                0 => 0,
                1 => case,
                2 => u32_at(bytes, &mut at)?,
                _ => return None,
            };
            toks.push(TokSig {
                kind: Kind::from_byte(head & 3)?,
                class,
                case,
                exact,
            });
        }
        Some((Sig { toks }, at))
    }
}

/// The substitution cost of `a` for `b`, in tenths.
#[inline]
pub(crate) fn sub_cost(a: &TokSig, b: &TokSig) -> u32 {
    if a.class != b.class {
        return FULL;
    }
    if a.exact == b.exact && a.kind == b.kind {
        return 0;
    }
    match a.kind {
        Kind::Word | Kind::Punct => {
            if a.case == b.case {
                CASE
            } else {
                HALF
            }
        }
        Kind::Number | Kind::Tag => HALF,
    }
}

/// Score for a weighted distance `d` (tenths) between sequences of `n` and `m`
/// tokens: `floor(100 × (1 − d/10 / max(n, m)))`, in integers.
pub(crate) fn score_of(d: u32, n: usize, m: usize) -> u8 {
    let big = 10 * n.max(m) as u64;
    if big == 0 {
        return 0;
    }
    let d = u64::from(d).min(big);
    (100 * (big - d) / big) as u8
}

/// True when a distance `d` (tenths) between `n` and `m` tokens scores at
/// least `min_score`. Exactly `score_of(d, n, m) >= min_score`.
#[inline]
pub(crate) fn qualifies(d: u32, n: usize, m: usize, min_score: u8) -> bool {
    10 * u64::from(d) <= n.max(m) as u64 * (100 - u64::from(min_score.min(100)))
}

/// The largest distance (tenths) that still scores `min_score` for `n` and `m`
/// tokens.
pub(crate) fn max_distance(n: usize, m: usize, min_score: u8) -> u32 {
    let v = n.max(m) as u64 * (100 - u64::from(min_score.min(100))) / 10;
    v.min(u64::from(u32::MAX)) as u32
}

/// The weighted distance between `a` and `b` in tenths, or `None` when it is
/// above `cutoff`. O(n·m) time, O(m) memory.
pub(crate) fn distance(a: &[TokSig], b: &[TokSig], cutoff: u32) -> Option<u32> {
    let m = b.len();
    let mut prev: Vec<u32> = Vec::with_capacity(m + 1);
    prev.push(0);
    for j in 0..m {
        prev.push(prev[j] + b[j].kind.indel_cost());
    }
    let mut cur = vec![0u32; m + 1];
    for ta in a {
        cur[0] = prev[0] + ta.kind.indel_cost();
        let mut row_min = cur[0];
        for j in 0..m {
            let v = (prev[j] + sub_cost(ta, &b[j]))
                .min(prev[j + 1] + ta.kind.indel_cost())
                .min(cur[j] + b[j].kind.indel_cost());
            cur[j + 1] = v;
            row_min = row_min.min(v);
        }
        if row_min > cutoff {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[m];
    (d <= cutoff).then_some(d)
}

/// One step of an alignment of a query (`a`) against a stored segment (`b`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// Token `a[i]` aligned with `b[j]`, at this cost.
    Pair(usize, usize, u32),
    /// `a[i]` has no counterpart.
    OnlyQuery(usize),
    /// `b[j]` has no counterpart.
    OnlyStored(usize),
}

/// The weighted distance and an optimal alignment (full matrix; for the few
/// segments that are reported).
pub(crate) fn align(a: &[TokSig], b: &[TokSig]) -> (u32, Vec<Step>) {
    let (n, m) = (a.len(), b.len());
    let w = m + 1;
    let mut dp = vec![0u32; (n + 1) * w];
    for j in 0..m {
        dp[j + 1] = dp[j] + b[j].kind.indel_cost();
    }
    for i in 0..n {
        dp[(i + 1) * w] = dp[i * w] + a[i].kind.indel_cost();
        for j in 0..m {
            dp[(i + 1) * w + j + 1] = (dp[i * w + j] + sub_cost(&a[i], &b[j]))
                .min(dp[i * w + j + 1] + a[i].kind.indel_cost())
                .min(dp[(i + 1) * w + j] + b[j].kind.indel_cost());
        }
    }
    let mut steps = Vec::with_capacity(n.max(m));
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let here = dp[i * w + j];
        if i > 0 && j > 0 {
            let c = sub_cost(&a[i - 1], &b[j - 1]);
            if dp[(i - 1) * w + j - 1] + c == here {
                steps.push(Step::Pair(i - 1, j - 1, c));
                i -= 1;
                j -= 1;
                continue;
            }
        }
        if i > 0 && dp[(i - 1) * w + j] + a[i - 1].kind.indel_cost() == here {
            steps.push(Step::OnlyQuery(i - 1));
            i -= 1;
        } else {
            steps.push(Step::OnlyStored(j - 1));
            j -= 1;
        }
    }
    steps.reverse();
    (dp[n * w + m], steps)
}

/// Why a match is not 100: the edits of the best alignment, counted by kind.
///
/// Each edit is counted once under the first kind that applies: a tag
/// involved → `tag`; same word up to case → `case`; up to diacritics →
/// `diacritics`; a number for a number or a number inserted/removed →
/// `number`; punctuation for punctuation or inserted/removed →
/// `punctuation`; anything else → `word`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EditBreakdown {
    /// Words substituted, inserted or deleted (cost 1 each).
    pub word: u32,
    /// Words that differ only in case (0.1 each).
    pub case: u32,
    /// Words that differ only in diacritics (0.5 each).
    pub diacritics: u32,
    /// Numbers changed (0.5 each) or inserted/removed (1 each).
    pub number: u32,
    /// Tags changed, inserted or removed (0.5 each), or swapped for text (1).
    pub tag: u32,
    /// Punctuation changed, inserted or removed (1 each; 0.1 up to case).
    pub punctuation: u32,
    /// The weighted distance `d`, in tenths of an edit.
    pub distance_tenths: u32,
}

impl EditBreakdown {
    /// The weighted distance `d` in edits (`distance_tenths / 10`).
    pub fn distance(&self) -> f64 {
        f64::from(self.distance_tenths) / 10.0
    }

    pub(crate) fn of(steps: &[Step], a: &[TokSig], b: &[TokSig]) -> EditBreakdown {
        let mut out = EditBreakdown::default();
        for s in steps {
            match *s {
                Step::Pair(_, _, 0) => {}
                Step::Pair(i, j, c) => {
                    out.distance_tenths += c;
                    let (x, y) = (a[i].kind, b[j].kind);
                    let slot = if x == Kind::Tag || y == Kind::Tag {
                        &mut out.tag
                    } else if x == Kind::Number && y == Kind::Number {
                        &mut out.number
                    } else if x == Kind::Punct && y == Kind::Punct {
                        &mut out.punctuation
                    } else if c == CASE {
                        &mut out.case
                    } else if c == HALF {
                        &mut out.diacritics
                    } else {
                        &mut out.word
                    };
                    *slot += 1;
                }
                Step::OnlyQuery(i) => {
                    out.distance_tenths += a[i].kind.indel_cost();
                    *out.slot(a[i].kind) += 1;
                }
                Step::OnlyStored(j) => {
                    out.distance_tenths += b[j].kind.indel_cost();
                    *out.slot(b[j].kind) += 1;
                }
            }
        }
        out
    }

    fn slot(&mut self, k: Kind) -> &mut u32 {
        match k {
            Kind::Word => &mut self.word,
            Kind::Number => &mut self.number,
            Kind::Punct => &mut self.punctuation,
            Kind::Tag => &mut self.tag,
        }
    }
}

/// The target with the numbers the query changed substituted: for each
/// number of the stored source aligned with a different number of the query,
/// the first not yet replaced number token of the target with the same digits
/// gets the query's digits (its suffix, `'de`, is kept). `q` and `s` are the
/// tokens of the query and of the source that `steps` align (see [`align`]).
pub(crate) fn adapt_target(q: &[Token<'_>], s: &[Token<'_>], target: &str, steps: &[Step]) -> String {
    let t: Vec<_> = tokenize(target).filter(|t| t.kind == TokenKind::Number).collect();
    let mut used = vec![false; t.len()];
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for step in steps {
        let Step::Pair(i, j, c) = *step else { continue };
        let (Some(qt), Some(st)) = (q.get(i), s.get(j)) else {
            continue;
        };
        if c == 0 || qt.kind != TokenKind::Number || st.kind != TokenKind::Number {
            continue;
        }
        let found = (0..t.len())
            .find(|&k| !used[k] && t[k].stem() == st.stem())
            .or_else(|| (0..t.len()).find(|&k| !used[k] && same_number(t[k].stem(), st.stem())));
        if let Some(k) = found {
            used[k] = true;
            edits.push((
                t[k].start,
                t[k].start + t[k].stem().len(),
                localize_number(qt.stem(), st.stem(), t[k].stem()),
            ));
        }
    }
    edits.sort_by_key(|e| e.0);
    let mut out = String::with_capacity(target.len() + 8);
    let mut at = 0;
    for (start, end, with) in edits {
        out.push_str(&target[at..start]);
        out.push_str(&with);
        at = end;
    }
    out.push_str(&target[at..]);
    out
}

/// The digits of a number and, for each separator, how many digits precede it:
/// `16.5` and `16,5` both give `("165", [2])`, `1.500` and `1,500` `("1500", [1])`.
fn number_shape(n: &str) -> (String, Vec<usize>) {
    let mut digits = String::new();
    let mut seps = Vec::new();
    for c in n.chars() {
        if c.is_numeric() {
            digits.push(c);
        } else {
            seps.push(digits.chars().count());
        }
    }
    (digits, seps)
}

/// True when two numbers differ at most in their separators: `16.5` (English)
/// and `16,5` (Turkish, Azerbaijani) are the same number written two ways.
fn same_number(a: &str, b: &str) -> bool {
    a == b || number_shape(a) == number_shape(b)
}

/// The query's number written with the target's separators: when the source
/// wrote `4.6` and the target `4,6`, the query's `5.2` goes in as `5,2`, and a
/// thousands separator swaps the other way (`2,500.75` → `2.500,75`).
fn localize_number(query: &str, source: &str, target: &str) -> String {
    if source == target {
        return query.to_string();
    }
    let separators = |n: &str| n.chars().filter(|c| !c.is_numeric()).collect::<Vec<char>>();
    let mut swap = None;
    for (a, b) in separators(source).into_iter().zip(separators(target)) {
        if a != b && matches!((a, b), ('.', ',') | (',', '.')) {
            swap = Some(());
        }
    }
    match swap {
        Some(()) => query
            .chars()
            .map(|c| match c {
                '.' => ',',
                ',' => '.',
                c => c,
            })
            .collect(),
        None => query.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sig(s: &str, lang: &str) -> Sig {
        Sig::of_text(s, &lang.parse().unwrap()).0
    }

    fn score(a: &str, b: &str, lang: &str) -> (u8, EditBreakdown) {
        let (x, y) = (sig(a, lang), sig(b, lang));
        let (d, steps) = align(&x.toks, &y.toks);
        assert_eq!(distance(&x.toks, &y.toks, u32::MAX), Some(d));
        (
            score_of(d, x.len(), y.len()),
            EditBreakdown::of(&steps, &x.toks, &y.toks),
        )
    }

    #[test]
    fn hand_computed_scores() {
        // Identical: 100.
        assert_eq!(
            score("The meeting starts at 10.", "The meeting starts at 10.", "en").0,
            100
        );
        // Case only, Turkic: "İSTANBUL" vs "istanbul": d = 0.1 over 3 tokens:
        // floor(100 × (1 − 0.1/3)) = floor(96.67) = 96.
        let (s, b) = score("İSTANBUL güzeldir .", "istanbul güzeldir .", "tr");
        assert_eq!((s, b.case, b.distance_tenths), (96, 1, 1));
        // Diacritics only: "Karabag" vs "Karabağ", 2 tokens: 1 − 0.5/2 → 75.
        let (s, b) = score("Karabag bölgesi", "Karabağ bölgesi", "tr");
        assert_eq!((s, b.diacritics), (75, 1));
        // A number for a number: 0.5 over 5 tokens → 90.
        let (s, b) = score(
            "Toplantı 10 Mayısta başlar .",
            "Toplantı 12 Mayısta başlar .",
            "tr",
        );
        assert_eq!((s, b.number), (90, 1));
        // Word order: "a b c d" vs "b a c d": two substitutions (d = 2) → 50.
        let (s, b) = score("red green blue white", "green red blue white", "en");
        assert_eq!((s, b.word), (50, 2));
        // A missing tag: 0.5 over max(4, 3) → floor(87.5) = 87.
        let (s, b) = score("Press \u{E000}OK now", "Press OK now", "en");
        assert_eq!((s, b.tag), (87, 1));
        // Punctuation: "Hello!" vs "Hello." → 1 over 2 → 50.
        let (s, b) = score("Hello!", "Hello.", "en");
        assert_eq!((s, b.punctuation), (50, 1));
    }

    #[test]
    fn turkic_case_key_makes_i_and_dotless_i_different_words() {
        // In Turkish, "ISPARTA" lowercases to "ısparta", not "isparta": a
        // diacritics difference (loose keys meet at ı→i), not a case one.
        let (_, b) = score("ISPARTA", "isparta", "tr");
        assert_eq!(b.diacritics, 1);
        let (_, b) = score("ISPARTA", "isparta", "en");
        assert_eq!(b.case, 1);
    }

    /// `adapt_target` on texts: each tokenized as a lookup tokenizes it.
    fn adapt_target(q: &str, s: &str, t: &str, steps: &[Step]) -> String {
        let tokens = |x| tokenize(x).take(MAX_TOKENS).collect::<Vec<_>>();
        super::adapt_target(&tokens(q), &tokens(s), t, steps)
    }

    #[test]
    fn numbers_are_substituted_in_the_target() {
        let q = "Toplantı 12 Mayısta başlar.";
        let s = "Toplantı 10 Mayısta başlar.";
        let t = "The meeting starts on 10 May.";
        let (x, y) = (sig(q, "tr"), sig(s, "tr"));
        let (_, steps) = align(&x.toks, &y.toks);
        assert_eq!(adapt_target(q, s, t, &steps), "The meeting starts on 12 May.");
        // A suffix stays: 2020'de → 2021'de.
        let q = "Seçim 2021 yılında yapıldı";
        let s = "Seçim 2020 yılında yapıldı";
        let t = "Seçki 2020'də keçirildi";
        let (x, y) = (sig(q, "tr"), sig(s, "tr"));
        let (_, steps) = align(&x.toks, &y.toks);
        assert_eq!(adapt_target(q, s, t, &steps), "Seçki 2021'də keçirildi");
    }

    #[test]
    fn substituted_numbers_take_the_targets_decimal_comma() {
        let q = "Trade grew 18.5% to 5.2 billion dollars.";
        let s = "Trade grew 16.5% to 4.6 billion dollars.";
        let t = "Ticaret %16,5 artarak 4,6 milyar dolara ulaştı.";
        let (x, y) = (sig(q, "en"), sig(s, "en"));
        let (_, steps) = align(&x.toks, &y.toks);
        assert_eq!(
            adapt_target(q, s, t, &steps),
            "Ticaret %18,5 artarak 5,2 milyar dolara ulaştı."
        );
        assert_eq!(localize_number("2,500.75", "1,000", "1.000"), "2.500,75");
        assert!(!same_number("1.5", "15"));
        assert!(same_number("1.500", "1,500"));
    }

    #[test]
    fn qualifies_agrees_with_score_of() {
        for n in 1..30 {
            for m in 1..30 {
                for d in 0..=(10 * n.max(m) as u32) {
                    for s in [0u8, 1, 50, 69, 70, 71, 99, 100] {
                        assert_eq!(qualifies(d, n, m, s), score_of(d, n, m) >= s, "{d} {n} {m} {s}");
                        assert_eq!(d <= max_distance(n, m, s), score_of(d, n, m) >= s);
                    }
                }
            }
        }
    }

    #[test]
    fn signature_round_trips() {
        // Every head-byte mode: "." (case and exact 0), "toplandı" (case), "The"
        // (exact only), "Şuşa'da" (case and exact), numbers and tags
        // (exact = case).
        let s = sig("The Şuşa'da 2020'de \u{E000} toplandı.", "az");
        let mut bytes = Vec::new();
        s.encode(&mut bytes);
        let (back, used) = Sig::decode(&bytes).unwrap();
        assert_eq!((back, used), (s, bytes.len()));
        for cut in 0..bytes.len() {
            assert!(Sig::decode(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        // A lowercase word without diacritics is its class and case key:
        // 9 bytes; "toplandı" (class key "toplandi") has its case hash too.
        let size = |t: &str| {
            let mut b = Vec::new();
            sig(t, "az").encode(&mut b);
            b.len() - 2
        };
        assert_eq!((size("sabah"), size("toplandı"), size("Sabah")), (9, 13, 13));
        // Equal hashes mean equal text, however the levels are stored.
        let h = |t: &str| sig(t, "en").exact_hash(0);
        assert_ne!(h("the cat"), h("a dog"));
        assert_ne!(h("The cat"), h("the cat"));
        assert_eq!(h("the cat"), h("the  cat"));
    }

    #[test]
    fn long_input_is_capped() {
        let long = "söz ".repeat(10_000);
        assert_eq!(sig(&long, "az").len(), MAX_TOKENS);
    }
}
