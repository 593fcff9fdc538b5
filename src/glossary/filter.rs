//! A start filter for [`scan`](super::Glossary::scan): which words can begin
//! a term, decided from their first letters without computing any key.
//!
//! Each character falls into a coarse class that every key level preserves:
//! lowercase, diacritics dropped, vowels in four classes (`a e ə`, `ı i`,
//! `o ö`, `u ü`), `h` ignored (so `ş`/`sh`, `ç`/`ch`, `ğ`/`gh`, `x`/`kh`
//! agree), `g k q ğ x` one class, `c ç j` one, `b p` one, `d t` one. So if a
//! word matches a term at any level, the classes of their first letters
//! agree, and that holds for inflected forms too (stems alternate within a
//! class: `kitab`/`kitap`). The glossary stores which sequences of one, two
//! and three classes are whole first words of terms, and which four classes
//! begin longer ones (hashed into 2^17 bits): 20.6 KB in all. `scan` keys a
//! word only when its first classes are among them, which skips most words
//! of running text. The file's filter holds the terms of every language; a
//! scan uses one of its language's terms alone, made from the fst keys under
//! the language's prefix on first use (see [`Glossary::start_filter`]).

use std::sync::Arc;

use fst::{IntoStreamer, Streamer};

use super::Glossary;
use crate::text::is_apostrophe;

/// Bytes of the filter section: flags (1 byte, padded to 4) and bitsets for
/// first words of 1, 2 and 3+ classes.
pub(crate) const FILTER_BYTES: usize = 8 + 4 + 128 + 4096 + (1 << 14);
const LONG_BITS: u32 = 17;
const CLASSES: usize = 32;

fn class_of_base(c: char) -> Option<u8> {
    Some(match c {
        'a' | 'e' | 'ə' => 1,
        'i' | 'ı' => 20,
        'o' | 'ø' => 21,
        'u' => 22,
        'æ' | 'œ' => 23,
        'b' | 'p' => 2,
        'c' | 'j' => 3,
        'd' | 't' | 'đ' => 4,
        'f' => 5,
        'g' | 'k' | 'q' | 'x' => 6,
        'l' | 'ł' => 7,
        'm' => 8,
        'n' => 9,
        'r' => 10,
        's' => 11,
        'v' => 12,
        'w' => 13,
        'y' => 14,
        'z' => 15,
        'h' | 'ħ' => return None,
        c if c.is_numeric() => 16,
        c if is_apostrophe(c) => 17,
        c if unicode_normalization::char::is_combining_mark(c) => return None,
        c if c.is_alphabetic() => 18,
        _ => 19,
    })
}

/// [`class_of_base`] of each ASCII byte, lowercased; 0 for none (`h`).
const ASCII_CLASSES: [u8; 128] = {
    let mut t = [19u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = (b as u8).to_ascii_lowercase();
        t[b] = match c {
            b'a' | b'e' => 1,
            b'i' => 20,
            b'o' => 21,
            b'u' => 22,
            b'b' | b'p' => 2,
            b'c' | b'j' => 3,
            b'd' | b't' => 4,
            b'f' => 5,
            b'g' | b'k' | b'q' | b'x' => 6,
            b'l' => 7,
            b'm' => 8,
            b'n' => 9,
            b'r' => 10,
            b's' => 11,
            b'v' => 12,
            b'w' => 13,
            b'y' => 14,
            b'z' => 15,
            b'h' => 0,
            b'0'..=b'9' => 16,
            b'\'' => 17,
            _ => 19,
        };
        b += 1;
    }
    t
};

/// The classes of the first (up to) four class-bearing characters of `word`.
pub(crate) fn fold(word: &str) -> ([u8; 4], usize) {
    let mut out = [0u8; 4];
    let mut n = 0;
    let bytes = word.as_bytes();
    let mut at = 0;
    // ASCII letters by table, the common case, without decoding chars.
    while let Some(&b) = bytes.get(at) {
        if b >= 0x80 {
            break;
        }
        at += 1;
        let k = ASCII_CLASSES[b as usize];
        if k != 0 {
            out[n] = k;
            n += 1;
            if n == 4 {
                return (out, n);
            }
        }
    }
    'chars: for c in word[at..].chars() {
        if c.is_ascii() {
            let k = ASCII_CLASSES[c as usize];
            if k != 0 {
                out[n] = k;
                n += 1;
                if n == 4 {
                    break 'chars;
                }
            }
            continue;
        }
        // Turkic letters, the common non-ASCII case, without decomposition.
        let fast = match c {
            'ç' | 'Ç' => Some(Some(3)),
            'ğ' | 'Ğ' => Some(Some(6)),
            'ı' | 'İ' | 'î' | 'Î' => Some(Some(20)),
            'ö' | 'Ö' => Some(Some(21)),
            'ş' | 'Ş' => Some(Some(11)),
            'ü' | 'Ü' | 'û' | 'Û' => Some(Some(22)),
            'ə' | 'Ə' | 'â' | 'Â' => Some(Some(1)),
            _ => None,
        };
        if let Some(k) = fast {
            if let Some(k) = k {
                out[n] = k;
                n += 1;
                if n == 4 {
                    break 'chars;
                }
            }
            continue;
        }
        for lc in c.to_lowercase() {
            let mut base = None;
            unicode_normalization::char::decompose_canonical(lc, |d| {
                if base.is_none() && !unicode_normalization::char::is_combining_mark(d) {
                    base = Some(d);
                }
            });
            let Some(b) = base else { continue };
            if let Some(k) = class_of_base(b) {
                out[n] = k;
                n += 1;
                if n == 4 {
                    break 'chars;
                }
            }
        }
    }
    (out, n)
}

fn bit(bits: &mut [u8], i: usize) {
    bits[i / 8] |= 1 << (i % 8);
}

fn has(bits: &[u8], i: usize) -> bool {
    bits.get(i / 8).is_some_and(|b| b & (1 << (i % 8)) != 0)
}

/// Where the bit for the first `n` classes of `f` is: (byte offset of the
/// table, bit index). Tables 1–3 hold whole first words of that many classes;
/// table 4 the first four classes of longer ones.
fn slot(f: &[u8; 4], n: usize) -> (usize, usize) {
    let (a, b, c, d) = (f[0] as usize, f[1] as usize, f[2] as usize, f[3] as usize);
    match n {
        1 => (8, a),
        2 => (8 + 4, a * CLASSES + b),
        3 => (8 + 4 + 128, (a * CLASSES + b) * CLASSES + c),
        _ => {
            let x = (((a * CLASSES + b) * CLASSES + c) * CLASSES + d) as u32;
            (
                8 + 4 + 128 + 4096,
                (x.wrapping_mul(0x9E37_79B1) >> (32 - LONG_BITS)) as usize,
            )
        }
    }
}

/// Builds the filter section.
pub(crate) struct FilterBuilder {
    bytes: Vec<u8>,
}

impl FilterBuilder {
    pub(crate) fn new() -> FilterBuilder {
        FilterBuilder {
            bytes: vec![0; FILTER_BYTES],
        }
    }

    /// Records a term's first word (as written or as any of its keys).
    pub(crate) fn insert(&mut self, first_word: &str) {
        let (f, n) = fold(first_word);
        if n == 0 {
            // A first word without class-bearing letters: pass every word.
            self.bytes[0] = 1;
            return;
        }
        let (base, i) = slot(&f, n);
        bit(&mut self.bytes[base..], i);
    }

    pub(crate) fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

/// True when `word` may begin a term of the glossary whose filter section is
/// `bytes` (a wrong-sized section passes everything).
pub(crate) fn may_start(bytes: &[u8], word: &str) -> bool {
    if bytes.len() != FILTER_BYTES || bytes[0] != 0 {
        return true;
    }
    let (f, n) = fold(word);
    (1..=n).any(|k| {
        let (base, i) = slot(&f, k);
        has(&bytes[base..], i)
    })
}

/// Start filters made per language: (key prefix, filter; `None` when the
/// file's serves).
pub(super) type LangFilters = Vec<(Vec<u8>, Option<Arc<[u8]>>)>;

/// The most terms a glossary may have for [`Glossary::scan`] to make each
/// language a start filter of its own (a term has at most four keys).
const LANG_FILTER_TERMS: u64 = 20_000;

impl Glossary {
    /// The start filter for the terms under key prefix `prefix` (one
    /// language; see `filter.rs`): the file's filter covers every language,
    /// so in a glossary of at most [`LANG_FILTER_TERMS`] terms a filter of
    /// the language's own is made from its keys on first use (the first
    /// words of its keys, as the builder records them; about 0.05–0.2 µs
    /// per key, once) and kept. It passes fewer words of running text, so a
    /// scan keys fewer. A larger glossary's filter passes most words anyway.
    pub(crate) fn start_filter(&self, prefix: &[u8]) -> Arc<[u8]> {
        let file = || Arc::from(&self.bytes()[self.filter.clone()]);
        let known = |filters: &LangFilters| {
            filters
                .iter()
                .find(|(p, _)| p == prefix)
                .map(|(_, f)| f.clone().unwrap_or_else(file))
        };
        if self.term_count > LANG_FILTER_TERMS {
            return file();
        }
        if let Some(f) = self.lang_filters.lock().ok().and_then(|l| known(&l)) {
            return f;
        }
        // Made outside the lock: a damaged fst may panic here.
        let mut upper = prefix.to_vec();
        if let Some(last) = upper.last_mut() {
            *last = last.wrapping_add(1);
        }
        let mut stream = self.terms.range().ge(prefix).lt(&upper).into_stream();
        let mut builder = FilterBuilder::new();
        let mut made = Some(());
        let mut n = 0usize;
        while let Some((key, _)) = stream.next() {
            n += 1;
            let rest = key.get(prefix.len()..).unwrap_or_default();
            let first = rest.split(|&b| b == b' ').next().unwrap_or_default();
            match std::str::from_utf8(first) {
                Ok(w) if n <= 4 * LANG_FILTER_TERMS as usize => builder.insert(w),
                _ => {
                    made = None;
                    break;
                }
            }
        }
        let made: Option<Arc<[u8]>> = made.map(|()| Arc::from(builder.into_bytes()));
        if let Ok(mut l) = self.lang_filters.lock()
            && known(&l).is_none()
        {
            l.push((prefix.to_vec(), made.clone()));
        }
        made.unwrap_or_else(file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;
    use crate::glossary::GlossaryBuilder;
    use crate::glossary::keys::lookup_key_prefix;
    use crate::model::{Concept, Term};
    use crate::text::KeyLevel;
    use proptest::prelude::*;

    #[test]
    fn turkic_spellings_fold_together() {
        for (a, b) in [
            ("Şuşa", "Shusha"),
            ("Qarabağ", "Garabagh"),
            ("ÇAĞ", "chagh"),
            ("Xankəndi", "khankandi"),
            ("İstanbul", "ıstanbul"),
            ("kitabı", "kitap"),
        ] {
            assert_eq!(fold(a), fold(b), "{a} {b}");
        }
        assert_ne!(fold("Bakı").0, fold("Gəncə").0);
        assert_eq!(fold("BM'nin"), ([2, 8, 17, 9], 4));
    }

    #[test]
    fn ascii_table_is_class_of_base() {
        for b in 0u8..128 {
            let want = class_of_base((b as char).to_ascii_lowercase()).unwrap_or(0);
            assert_eq!(ASCII_CLASSES[b as usize], want, "{:?}", b as char);
        }
    }

    #[test]
    fn filter_passes_prefixes_of_terms_only() {
        let mut b = FilterBuilder::new();
        b.insert("Şuşa");
        b.insert("BM");
        let bytes = b.into_bytes();
        assert!(may_start(&bytes, "Shushada"));
        assert!(may_start(&bytes, "BM'nin"));
        assert!(may_start(&bytes, "bm"));
        assert!(!may_start(&bytes, "Bakı"));
        assert!(!may_start(&bytes, "ve"));
        assert!(!may_start(&bytes, "Şişli"));
        assert!(!may_start(&bytes, "Şuşu"));
    }

    proptest! {
        /// Keying never changes a word's classes, so the filter cannot hide
        /// a match at any level.
        #[test]
        fn keys_keep_the_classes(
            s in "[a-zA-ZçÇğĞıİöÖşŞüÜəƏâîûñéøłĐđ'’ 0-9-]{0,12}",
            lang in prop::sample::select(vec!["tr", "az", "en", "de"]),
        ) {
            let lang: Lang = lang.parse().unwrap();
            for level in KeyLevel::ALL {
                prop_assert_eq!(fold(&level.key(&s, &lang)), fold(&s), "{}", level);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// A language's own start filter, made from the fst, is the filter
        /// the builder writes for a glossary of that language's terms alone.
        #[test]
        fn language_filter_equals_the_filter_of_its_terms(
            terms in prop::collection::vec(("[a-zA-ZçğıİöşüəƏ' -]{1,12}", 0usize..3, any::<bool>()), 1..30),
        ) {
            let langs = ["tr", "en", "az"];
            let build = |only: Option<&str>| {
                let mut b = GlossaryBuilder::new();
                for (i, (text, l, cs)) in terms.iter().enumerate() {
                    if text.trim_matches([' ', '-']).is_empty() || only.is_some_and(|o| o != langs[*l]) {
                        continue;
                    }
                    let mut t = Term::new(langs[*l].parse().unwrap(), text.as_str());
                    t.case_sensitive = *cs;
                    b.add(Concept { id: format!("c{i}"), terms: vec![t], ..Concept::default() }).unwrap();
                }
                let mut bytes = Vec::new();
                b.write(&mut bytes).unwrap();
                Glossary::from_bytes(bytes).unwrap()
            };
            let all = build(None);
            for lang in langs {
                let alone = build(Some(lang));
                let prefix = lookup_key_prefix(&lang.parse().unwrap());
                prop_assert_eq!(&all.start_filter(&prefix)[..], &alone.bytes()[alone.filter.clone()]);
                // Made once, then kept.
                prop_assert_eq!(&all.start_filter(&prefix)[..], &alone.bytes()[alone.filter.clone()]);
            }
        }
    }
}
