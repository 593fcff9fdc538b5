//! XLIFF 1.2 and 2.0/2.1: pretranslation from a memory and a glossary, and
//! harvesting finished translations.
//!
//! - [`pretranslate`] streams a document from input to output, filling
//!   untranslated segments from a [`Suggester`]. Everything it does not
//!   change is written back byte for byte: other namespaces, notes,
//!   skeletons, attributes, whitespace, comments and processing instructions,
//!   in the input's own encoding (UTF-8, UTF-16 with or without BOM, or a
//!   declared legacy encoding). With no suggestions the output is the input.
//!   With [`PretranslateOptions::segment`] it first splits units that are one
//!   segment into sentences (1.2 `<seg-source>` marks, 2.x several
//!   `<segment>`s), so each sentence is looked up on its own.
//! - [`XliffUnits`] streams the finished segments of a document as
//!   [`TranslationUnit`](crate::model::TranslationUnit)s, for `korpu tm import`.
//!
//! Inline codes (`g x bx ex ph bpt ept it mrk` in 1.2; `pc ph sc ec mrk sm
//! em` in 2.x) map to the model's [`InlineTag`](crate::model::InlineTag)s:
//! `g`/`pc` to a `Bpt`/`Ept` pair around their content, `mrk` to `Hi`,
//! `x`/`ph` to `Ph`, `bx`/`sc`/`sm` to `Bpt`, `ex`/`ec`/`em` to `Ept`, `it`
//! and isolated `sc`/`ec` to `It`. A target written from a memory match gets
//! the source's own codes, byte for byte.
//!
//! Memory is bounded by the two largest units (one unit of look-ahead gives
//! the next segment for in-context matches). External entities are never
//! resolved and entity declarations are refused; malformed XML is an
//! [`Error::Parse`] with line and column.
//!
//! ```
//! use korpu::formats::xliff::{pretranslate, PretranslateOptions, Suggestions, SegmentQuery};
//! let doc = r#"<xliff version="1.2"><file source-language="en" target-language="tr"
//!   datatype="plaintext" original="a"><body>
//!   <trans-unit id="1"><source>Hello <x id="1"/>world</source></trans-unit>
//! </body></file></xliff>"#;
//! let mut out = Vec::new();
//! let no_tm = |_: &SegmentQuery<'_>| Ok(Suggestions::default());
//! let summary = pretranslate(doc.as_bytes(), &mut out, no_tm, &PretranslateOptions::default())?;
//! assert_eq!(out, doc.as_bytes()); // nothing to fill: the same bytes
//! assert_eq!((summary.units, summary.segments, summary.untranslated), (1, 1, 1));
//! # Ok::<(), korpu::Error>(())
//! ```

mod engine;
mod harvest;
mod inline;
mod output;
mod rewrite;
mod split;
mod unit;

use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::model::Segment;

pub use harvest::XliffUnits;
pub use rewrite::pretranslate;

/// The namespace of the XLIFF 2 Translation Candidates module (`mtc:`).
pub const NS_MATCHES: &str = "urn:oasis:names:tc:xliff:matches:2.0";
/// The namespace of the XLIFF 2 Glossary module (`gls:`).
pub const NS_GLOSSARY: &str = "urn:oasis:names:tc:xliff:glossary:2.0";

/// The XLIFF version family of a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Version {
    /// XLIFF 1.2 (1.0 and 1.1 are read the same way).
    #[serde(rename = "1.2")]
    V1_2,
    /// XLIFF 2.0, 2.1 or 2.2 (one core namespace).
    #[serde(rename = "2")]
    V2,
}

/// A segment to fill, as [`pretranslate`] asks its [`Suggester`].
#[derive(Clone, Debug)]
pub struct SegmentQuery<'a> {
    /// The source content (tags as in the file).
    pub source: &'a Segment,
    /// [`Segment::plain_text`] of `source`: the text to look up.
    pub text: &'a str,
    /// The file's source language.
    pub source_lang: &'a Lang,
    /// The file's target language.
    pub target_lang: &'a Lang,
    /// The plain text of the segment before, in document order.
    pub prev: Option<&'a str>,
    /// The plain text of the segment after.
    pub next: Option<&'a str>,
    /// The unit's id.
    pub unit_id: Option<&'a str>,
}

/// A translation memory match offered for a segment.
#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion {
    /// 101 (in context), 100 (exact) or a fuzzy score.
    pub score: u8,
    /// Where it comes from (`origin` in 1.2, `origin` in `mtc:match`).
    pub origin: String,
    /// The stored source.
    pub source: Segment,
    /// The stored target.
    pub target: Segment,
    /// The target's plain text, placeholders numbered in `target`'s order,
    /// adapted to the query (e.g. numbers substituted).
    pub adapted_target: String,
}

/// A glossary term found in a segment's source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TermSuggestion {
    /// The text as it occurs in the source.
    pub source: String,
    /// The term's translations, preferred first.
    pub translations: Vec<String>,
    /// The concept's definition, if any.
    pub definition: Option<String>,
}

/// What a [`Suggester`] offers for one segment.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Suggestions {
    /// Memory matches, best first; the first fills the target.
    pub matches: Vec<Suggestion>,
    /// Glossary terms in the source.
    pub terms: Vec<TermSuggestion>,
}

/// The source of suggestions for [`pretranslate`]; any
/// `FnMut(&SegmentQuery) -> Result<Suggestions>` is one.
pub trait Suggester {
    /// The suggestions for one untranslated segment.
    fn suggest(&mut self, query: &SegmentQuery<'_>) -> Result<Suggestions>;
}

impl<F> Suggester for F
where
    F: FnMut(&SegmentQuery<'_>) -> Result<Suggestions>,
{
    fn suggest(&mut self, query: &SegmentQuery<'_>) -> Result<Suggestions> {
        self(query)
    }
}

/// Options of [`pretranslate`].
#[derive(Clone, Debug, Default)]
pub struct PretranslateOptions {
    /// Mark 101 (in-context) matches `signed-off` in 1.2 instead of `translated`.
    pub signed_off_context: bool,
    /// Split units that are one segment into sentences (korpu's
    /// [`Segmenter`](crate::segment::Segmenter) for the file's source
    /// language) before lookup: 1.2 gets a `<seg-source>` with one
    /// `<mrk mtype="seg">` per sentence, 2.x one `<segment>` per sentence with
    /// `<ignorable>` white space between. Segmented units, units with a
    /// target, `translate="no"` and 2.x `canResegment="no"` are left alone,
    /// as is a sentence boundary inside a paired code. A unit split but not
    /// filled still comes out segmented.
    pub segment: bool,
}

/// What [`pretranslate`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PretranslateSummary {
    /// Units read (`<trans-unit>` / `<unit>`).
    pub units: u64,
    /// Segments read.
    pub segments: u64,
    /// Segments that were already translated.
    pub translated_before: u64,
    /// Segments filled with a 101 (in-context) match.
    pub context: u64,
    /// Segments filled with a 100 (exact) match.
    pub exact: u64,
    /// Segments filled with a fuzzy match (marked for review).
    pub fuzzy: u64,
    /// Segments that stay untranslated.
    pub untranslated: u64,
    /// Segments that got glossary entries.
    pub with_terms: u64,
    /// Units skipped because they are marked `translate="no"`.
    pub not_translatable: u64,
}

/// True when `path` looks like an XLIFF file: its extension (`xlf`, `xliff`,
/// `sdlxliff`, `mqxliff`) or, failing that, an `<xliff` root near the start.
pub fn is_xliff_path(path: &Path) -> Result<bool> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase());
    if matches!(ext.as_deref(), Some("xlf" | "xliff" | "sdlxliff" | "mqxliff")) {
        return Ok(true);
    }
    let mut head = vec![0u8; 4096];
    let n = {
        use std::io::Read;
        let mut f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let mut n = 0;
        while n < head.len() {
            match f.read(&mut head[n..]) {
                Ok(0) => break,
                Ok(k) => n += k,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(Error::io(path, e)),
            }
        }
        n
    };
    Ok(is_xliff_bytes(&head[..n]))
}

/// True when the first bytes of a document hold an `<xliff` start tag
/// (UTF-8 or UTF-16).
pub fn is_xliff_bytes(head: &[u8]) -> bool {
    if memchr::memmem::find(head, b"<xliff").is_some() {
        return true;
    }
    let le: Vec<u8> = "<xliff".bytes().flat_map(|b| [b, 0]).collect();
    let be: Vec<u8> = "<xliff".bytes().flat_map(|b| [0, b]).collect();
    memchr::memmem::find(head, &le).is_some() || memchr::memmem::find(head, &be).is_some()
}

#[cfg(test)]
mod tests;
