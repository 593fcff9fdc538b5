//! The keys terms and queries are matched by, shared by the builder,
//! lookups and scan so that their keys cannot differ: a term's key at each
//! level (its words keyed with its language's rules, joined by one space),
//! the language prefix of the fst keys, and the level bits of a posting.

use crate::lang::Lang;
use crate::text::{KeyLevel, TokenKind, tokenize};

/// The key levels in the order they are tried (best first).
pub(crate) const LEVELS: [KeyLevel; 4] = KeyLevel::ALL;

pub(crate) fn level_bit(level: KeyLevel) -> u8 {
    match level {
        KeyLevel::Exact => 1,
        KeyLevel::Case => 2,
        KeyLevel::Loose => 4,
        KeyLevel::Translit => 8,
    }
}

/// `primary \0`: where a language's keys start in the fst.
pub(crate) fn lookup_key_prefix(lang: &Lang) -> Vec<u8> {
    let mut k = Vec::with_capacity(24);
    k.extend_from_slice(lang.primary().as_bytes());
    k.push(0);
    k
}

/// True for the tokens that separate the words of a term like a space does.
pub(crate) fn is_hyphen(text: &str) -> bool {
    matches!(text, "-" | "\u{2010}" | "\u{2011}")
}

/// The words of a term as they are keyed: the tokens of `text`, hyphens
/// dropped (they separate words like spaces).
pub(crate) fn term_words(text: &str) -> impl Iterator<Item = &str> {
    tokenize(text)
        .filter(|t| !(t.kind == TokenKind::Punct && is_hyphen(t.text)))
        .map(|t| t.text)
}

pub(crate) fn word_count(text: &str) -> usize {
    term_words(text).count()
}

/// The key of a term (or a query) at `level`: each word keyed with
/// `lang`'s rules, joined by one space. `Cease-Fire` and `cease fire` have the
/// same case key, `cease fire`. This is the key the glossary stores and
/// matches; exposed so tools can reproduce a match.
pub fn term_key(text: &str, lang: &Lang, level: KeyLevel) -> String {
    if level != KeyLevel::Exact {
        // One tokenization and one case key per word serve every coarser level.
        let [_, case, loose, translit] = term_keys(text, lang);
        return match level {
            KeyLevel::Case => case,
            KeyLevel::Loose => loose,
            _ => translit,
        };
    }
    term_key_at(text, lang, level)
}

/// The keys of a term at the four levels, in [`LEVELS`] order, tokenizing
/// once and deriving the loose and translit keys from the case key (each key
/// is a function of the case key).
pub(crate) fn term_keys(text: &str, lang: &Lang) -> [String; 4] {
    // Sized for the usual keys (a translit key may grow: `ş` → `sh`).
    let mut out: [String; 4] = std::array::from_fn(|i| String::with_capacity(text.len() + 4 * (i / 3)));
    for w in term_words(text) {
        with_word_keys(w, lang, |keys| {
            for (o, k) in out.iter_mut().zip(keys) {
                if !o.is_empty() {
                    o.push(' ');
                }
                o.push_str(k);
            }
        });
    }
    out
}

/// Calls `f` with the keys of one word at the four levels, in [`LEVELS`]
/// order: the case key computed once, the loose and translit keys derived
/// from it (each is a function of the case key). The builder, lookups and
/// scan key words through here, so their keys cannot differ.
pub(crate) fn with_word_keys<R>(word: &str, lang: &Lang, f: impl FnOnce([&str; 4]) -> R) -> R {
    let exact = crate::text::nfc(word);
    let case = crate::text::case_key(&exact, lang);
    let loose = crate::text::loose_key_of_case(&case);
    let translit = crate::text::translit_key_of_case(&case, lang);
    f([&*exact, &*case, &*loose, &*translit])
}

fn term_key_at(text: &str, lang: &Lang, level: KeyLevel) -> String {
    let mut out = String::with_capacity(text.len());
    for w in term_words(text) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&level.key(w, lang));
    }
    out
}
