//! TBX (TermBase eXchange, ISO 30042) import and export.
//!
//! - [`TbxReader`]: a streaming iterator of [`Concept`](crate::model::Concept)s
//!   over TBX v2 (`martif`) and TBX v3 (`tbx`: core, TBX-Basic, TBX-Min; DCA
//!   and DCT styles).
//! - [`write_tbx`]: TBX v3 in DCA style, declared TBX-Basic when the content
//!   fits TBX-Basic's picklists and TBX-Core otherwise. [`TbxReader`] reads it
//!   back to equal concepts.

mod reader;
mod rules;
mod writer;

pub use reader::TbxReader;
pub use writer::{TbxWriteOptions, write_tbx, write_tbx_with};

/// TBX major version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TbxVersion {
    /// TBX v2 (ISO 30042:2008, root `<martif>`).
    V2,
    /// TBX v3 (ISO 30042:2019, root `<tbx>`).
    V3,
}

/// How data categories are written (TBX v3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TbxStyle {
    /// Data category as attribute: `<termNote type="partOfSpeech">`.
    Dca,
    /// Data category as tag: `<min:partOfSpeech>`.
    Dct,
}

/// What a TBX file declares about itself in its root element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TbxFormat {
    /// `<tbx>` or `<martif>`.
    pub version: TbxVersion,
    /// The root's `type`: `TBX-Basic`, `TBX-Core`, `TBX-Min`, … (empty when absent).
    pub dialect: String,
    /// The root's `style` (DCA when absent).
    pub style: TbxStyle,
}

#[cfg(test)]
mod tests;
