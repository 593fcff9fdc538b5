//! TMX (Translation Memory eXchange), versions 1.1 to 1.4b.
//!
//! - [`TmxReader`] streams units out of any TMX file: UTF-8 or UTF-16 or a
//!   declared legacy encoding, TMX 1.1 to 1.4, in memory bounded by the
//!   largest unit. It keeps every attribute, prop, note and inline element TMX
//!   defines, and reports suspicious content as [`Warning`]s.
//! - [`TmxWriter`] streams units into TMX 1.4b (UTF-8) that validates
//!   against the TMX 1.4b DTD; the same units always give the same bytes.
//!
//! `read(write(units)) == units` for any units a reader can produce.

mod reader;
mod writer;

use crate::error::Location;

pub use reader::TmxReader;
pub use writer::TmxWriter;

/// How a [`TmxReader`] treats bad units.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadOptions {
    /// Skip a unit that is not valid TMX (and a variant whose language is not
    /// a BCP-47 tag), record it as a [`Warning`], and go on. XML that is not
    /// well-formed still ends the reading. Default: `false` (the first
    /// problem is an error).
    pub lenient: bool,
    /// How many warnings are kept until [`TmxReader::drain_warnings`] takes
    /// them; more are counted in [`TmxReader::warnings_dropped`] and
    /// dropped. Default: 10 000.
    pub max_warnings: usize,
}

impl Default for ReadOptions {
    fn default() -> ReadOptions {
        ReadOptions {
            lenient: false,
            max_warnings: 10_000,
        }
    }
}

impl ReadOptions {
    /// Strict options with `lenient` set as given.
    pub fn lenient(lenient: bool) -> ReadOptions {
        ReadOptions {
            lenient,
            ..ReadOptions::default()
        }
    }
}

/// What a [`Warning`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WarningKind {
    /// A `<bpt>` without its `<ept>` (same `i`) in the same flow, or the reverse.
    UnpairedTag,
    /// Several variants of one unit in the same language.
    DuplicateLanguage,
    /// No variant in the unit's source language (its `srclang`, or the
    /// header's).
    NoSourceVariant,
    /// A date that is not `YYYYMMDDThhmmssZ`; it is kept as
    /// [`TmxDate::Invalid`](crate::model::TmxDate::Invalid).
    InvalidDate,
    /// A language tag that is not BCP-47 (lenient mode drops the variant).
    InvalidLanguage,
    /// Lenient mode skipped a unit; the message holds the error.
    SkippedUnit,
    /// Lenient mode skipped content outside any unit (stray text in `<body>`).
    SkippedContent,
}

/// A problem a [`TmxReader`] noticed and read past.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// What kind of problem.
    pub kind: WarningKind,
    /// Where: the start of the unit (or element) concerned.
    pub location: Location,
    /// The unit, as `unit N (tuid "…")`, when the problem is in one.
    pub record: Option<String>,
    /// What is wrong, in words.
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: ", self.location)?;
        if let Some(record) = &self.record {
            write!(f, "{record}: ")?;
        }
        f.write_str(&self.message)
    }
}
