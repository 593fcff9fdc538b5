//! What the CLI and the HTTP server both show (cargo feature `cli` or
//! `server`): the JSON records of matches and hits, the display text of a
//! segment, the defaults of the edges' parameters, and the TMX export.
//!
//! The `korpu` binary's `--json` lines and the server's `/v1/` answers are
//! one contract: a TM match, a concordance hit or a glossary hit is the same
//! object, field for field and in the same order, whichever edge writes it.
//! Both build it here, so that the two cannot drift apart.
//!
//! The library's own results keep inline tags as placeholder characters
//! (see [`crate::text::tag_placeholder`]), which matching needs and callers
//! can map back to tags; the edges show text without them
//! ([`display_text`]).

pub mod defaults;
mod export;
mod records;

pub use export::export_tmx;
pub use records::{ConcordanceRecord, LookupRecord, MatchRecord, ScanHitRecord, TermHitRecord};

use crate::model::Variant;
use crate::text::placeholder_index;

/// Plain text for display: inline-tag placeholders left out.
///
/// ```
/// use korpu::text::tag_placeholder;
/// let text = format!("Press {} now", tag_placeholder(0));
/// assert_eq!(korpu::present::display_text(&text), "Press  now");
/// ```
pub fn display_text(text: &str) -> String {
    text.chars().filter(|&c| placeholder_index(c).is_none()).collect()
}

/// A variant's text for display: its segment's plain text without tags.
pub fn variant_text(variant: &Variant) -> String {
    display_text(&variant.segment.plain_text())
}
