//! The ground floor: pure functions over `&str` that every layer above uses.
//!
//! - [`normalize`]: the four text keys (exact, case, loose, translit) and
//!   Turkic-aware casing.
//! - [`stem`]: suffix analysis (is `Şuşa'da` an inflection of `Şuşa`?).
//! - [`tokenize`](mod@tokenize): words, numbers, punctuation and tag
//!   placeholders with byte spans.

pub mod normalize;
pub mod stem;
pub mod tokenize;

pub use normalize::{KeyLevel, case_key, is_apostrophe, loose_key, lowercase, nfc, translit_key, uppercase};
pub use tokenize::{Token, TokenKind, Tokens, placeholder_index, tag_placeholder, tokenize};
