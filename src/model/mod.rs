//! Format-neutral data: what the file formats read into and write out of, and
//! what the glossary and the translation memory store.
//!
//! - [`TranslationUnit`] → [`Variant`] (one per language) → [`Segment`] (text
//!   and inline markup).
//! - [`Concept`] → [`Term`] (any number per language): what a glossary holds.
//!
//! No type here knows a file format: TMX, XLIFF and TBX map onto these in
//! `formats`.

mod concept;
mod header;
mod unit;

pub use concept::{Concept, Term, TermStatus, merge_duplicate_concepts};
pub use header::{TmxHeader, Ude, UdeMap};

pub use unit::{
    Attributes, Inline, InlineTag, Note, Prop, Segment, Sub, TagKind, TmxDate, TranslationUnit, Variant,
};
