//! The ground floor: pure functions over `&str` that every layer above uses.
//!
//! - Text keys ([`nfc`], [`case_key`], [`loose_key`], [`translit_key`]) and
//!   Turkic-aware casing ([`lowercase`], [`uppercase`]); see below.
//! - [`stem`]: suffix analysis (is `Şuşa'da` an inflection of `Şuşa`?).
//! - [`tokenize()`]: words, numbers, punctuation and tag placeholders with byte
//!   spans; see below.
//!
//! # Text keys
//!
//! One definition of how two strings "match", used by the glossary,
//! the translation memory and the segmenter alike.
//!
//! A string has four keys, each a function of the text and its language, each
//! coarser than the one before:
//!
//! | level | function | what it removes |
//! |---|---|---|
//! | exact | [`nfc`] | only differences of Unicode normal form |
//! | case | [`case_key`] | case (Turkic-aware: I→ı, İ→i in tr/az); apostrophe variants |
//! | loose | [`loose_key`] | diacritics; ı→i, ə→e |
//! | translit | [`translit_key`] | Turkic spelling vs English spelling (ş→sh, ç→ch, …) |
//!
//! All four return [`Cow::Borrowed`](std::borrow::Cow::Borrowed) when the input is already its own key, so
//! keying ASCII lowercase text allocates nothing. Each key is idempotent, and
//! NFC and NFD input give the same keys.
//!
//! ```
//! use korpu::{Lang, text};
//! let tr: Lang = "tr".parse()?;
//! let en: Lang = "en".parse()?;
//! assert_eq!(text::case_key("ISPARTA", &tr), "ısparta");
//! assert_eq!(text::case_key("İSTANBUL", &tr), "istanbul");
//! assert_eq!(text::case_key("ISTANBUL", &en), "istanbul");
//! assert_eq!(text::loose_key("KARABAĞ", &tr), text::loose_key("karabag", &tr));
//! assert_eq!(text::translit_key("Şuşa", &"az".parse()?), "shusha");
//! # Ok::<(), korpu::Error>(())
//! ```
//!
//! # Tokens
//!
//! Words, numbers, punctuation and inline-tag placeholders, each with its
//! byte span. Whitespace is skipped.
//!
//! Built on UAX #29 word boundaries (`unicode-segmentation`), with two
//! corrections that Turkish and Azerbaijani need:
//! - a number followed by an apostrophe suffix (`2020'de`) is one
//!   [`TokenKind::Number`] token whose [`Token::suffix`] is `'de`;
//! - a word with an apostrophe suffix (`Şuşa'da`, `Türkiye’nin`) is one
//!   [`TokenKind::Word`] token whose [`Token::stem`] is `Şuşa`.
//!
//! Numbers keep their separators: `1.500`, `85,3`, `14.30` and `363.5` are each
//! one number token. Inline tags appear in plain text as private-use
//! placeholder characters ([`tag_placeholder`]); each is one
//! [`TokenKind::Tag`] token.
//!
//! Cost: one pass over the input, no allocation per token.
//!
//! ```
//! use korpu::text::{tokenize, TokenKind};
//! let toks: Vec<_> = tokenize("Şuşa'da 2020'de 1.500 kişi.").collect();
//! assert_eq!(toks[0].text, "Şuşa'da");
//! assert_eq!(toks[0].stem(), "Şuşa");
//! assert_eq!(toks[1].kind, TokenKind::Number);
//! assert_eq!(toks[1].suffix(), "'de");
//! assert_eq!(toks[2].text, "1.500");
//! assert_eq!(toks[4].kind, TokenKind::Punct);
//! assert_eq!((toks[4].start, toks[4].end()), (29, 30)); // byte offsets: ş is two bytes
//! ```

// Keys and casing live in `normalize`, tokens in `tokenize`; both are
// private, so each item has one path: `text::case_key`, `text::tokenize`.
mod normalize;
pub mod stem;
mod tokenize;

pub use normalize::{KeyLevel, case_key, is_apostrophe, loose_key, lowercase, nfc, translit_key, uppercase};
pub(crate) use normalize::{loose_key_of_case, may_occur_in_loose_key, translit_key_of_case};
pub use tokenize::{
    TAG_PLACEHOLDER_FIRST, Token, TokenKind, Tokens, placeholder_index, tag_placeholder, tokenize,
};
