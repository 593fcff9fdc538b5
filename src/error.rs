//! The crate's one error type.
//!
//! Every variant carries the context a user needs to find the problem: the file,
//! the line and column for parse errors, the record (unit index or tuid, concept
//! id) for data errors. Display strings follow the CLI contract's
//! `file:line:col: message` shape so the binary can print them unchanged.

use std::path::PathBuf;

/// A `Result` with [`Error`] as its error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where in an input a problem was found.
///
/// `path` is `None` for in-memory input and standard input; `line` and `column`
/// are 1-based and 0 when unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    /// The file, when the input came from one.
    pub path: Option<PathBuf>,
    /// 1-based line, 0 when unknown.
    pub line: u64,
    /// 1-based column (in characters), 0 when unknown.
    pub column: u64,
}

impl Location {
    /// A location at `line`:`column` in an unnamed input.
    pub fn new(line: u64, column: u64) -> Location {
        Location {
            path: None,
            line,
            column,
        }
    }

    /// The same location, in the file `path`.
    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Location {
        self.path = Some(path.into());
        self
    }

    /// The line and column of byte offset `pos` in `text` (columns count chars).
    pub fn of_offset(text: &str, pos: usize) -> Location {
        let pos = pos.min(text.len());
        let mut cut = pos;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let before = &text[..cut];
        let line = before.bytes().filter(|&b| b == b'\n').count() as u64 + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() as u64 + 1;
        Location::new(line, column)
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.path {
            Some(p) => write!(f, "{}", p.display())?,
            None => f.write_str("<input>")?,
        }
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        Ok(())
    }
}

/// Everything that can go wrong in korpu: the crate's one error type.
///
/// Every variant carries the context a user needs to find the problem: the file,
/// the line and column for parse errors, the record (unit index or tuid, concept
/// id) for data errors. Display strings follow the CLI contract's
/// `file:line:col: message` shape so the binary can print them unchanged.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An I/O error, with the file it happened on when known.
    #[error("{}: {source}", path.as_ref().map_or_else(|| "<input>".to_string(), |p| p.display().to_string()))]
    Io {
        /// The file being read or written.
        path: Option<PathBuf>,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },

    /// Input that is not valid in its format (XML, TMX, TBX, SRX, CSV, UTF-8 …).
    #[error("{location}: {message}")]
    Parse {
        /// Where the problem is.
        location: Location,
        /// What is wrong, in words a user can act on. Display prints only
        /// this; where a dependency's error caused it, its words are here
        /// too.
        message: String,
        /// The error that caused it, when there is one (boxed: the parsers'
        /// types are not korpu's API).
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },

    /// A record that parsed but is not acceptable (an empty term, a unit with no
    /// variants). `record` names it: a unit index or tuid, a concept id.
    #[error("{}{record}: {message}", location.as_ref().map(|l| format!("{l}: ")).unwrap_or_default())]
    InvalidRecord {
        /// Where the record is, when it came from a file.
        location: Option<Location>,
        /// The record: `unit 12 (tuid "abc")`, `concept "c42"`.
        record: String,
        /// What is wrong with it.
        message: String,
    },

    /// A language tag that is not BCP-47.
    #[error("invalid language tag {tag:?}: {message}")]
    InvalidLanguage {
        /// The tag as given.
        tag: String,
        /// Why it was refused, with a suggestion where one exists.
        message: String,
    },

    /// A language that the operation has no data for.
    #[error("unknown language {0:?}")]
    UnknownLanguage(String),

    /// A stored file (glossary, translation memory) that is damaged or
    /// foreign.
    #[error("{}: {message}", path.display())]
    Corrupt {
        /// The damaged file.
        path: PathBuf,
        /// What was found wrong. Display prints only this; where a
        /// dependency's error caused it, its words are here too.
        message: String,
        /// The error that caused it, when there is one (boxed: the
        /// dependencies' types are not korpu's API).
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },

    /// A stored file that another version of korpu wrote, in a format this
    /// korpu does not read: a newer korpu's (upgrade korpu) or an earlier
    /// one's (`remedy` says how to move its content over). The message says
    /// what to do.
    #[error("{}: written by {}: {remedy}", path.display(), other_version(*newer, format, *found, *supported))]
    OtherVersion {
        /// The file.
        path: PathBuf,
        /// The format whose version is not read, as the message names it:
        /// `store format`, `redb file format`.
        format: &'static str,
        /// The version found in the file.
        found: u32,
        /// The version this korpu reads (and, when `found` is newer, older
        /// ones), when known.
        supported: Option<u32>,
        /// Whether a newer korpu wrote the file (else an earlier one).
        newer: bool,
        /// What to do: upgrade korpu, or how to move the content over.
        remedy: String,
    },

    /// An error from the store under a translation memory.
    #[error("store {}: {}", path.display(), store_detail(message, source.as_deref()))]
    Store {
        /// The store's path.
        path: PathBuf,
        /// What went wrong, in korpu's words; empty when `source` says it all.
        message: String,
        /// The store's own error, when there is one (boxed: the store's
        /// types are not korpu's API).
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },

    /// A request the caller could fix: an out-of-range option, an empty query
    /// where one is required.
    #[error("{0}")]
    InvalidArgument(String),
}

impl Error {
    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: Some(path.into()),
            source,
        }
    }

    /// An error of the store at `path`: `source`, with `message` saying
    /// what korpu was doing (or nothing, when the source says it all).
    pub(crate) fn store(
        path: impl Into<PathBuf>,
        message: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Error {
        Error::Store {
            path: path.into(),
            message: message.into(),
            source: Some(source.into()),
        }
    }

    /// A parse error at `location`.
    pub fn parse(location: Location, message: impl Into<String>) -> Error {
        Error::Parse {
            location,
            message: message.into(),
            source: None,
        }
    }

    /// A parse error at `location` caused by `source`; `message` is what
    /// Display prints, so it carries the source's words where a user needs
    /// them.
    pub fn parse_with(
        location: Location,
        message: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Error {
        Error::Parse {
            location,
            message: message.into(),
            source: Some(source.into()),
        }
    }

    /// A damaged or foreign stored file at `path`.
    pub(crate) fn corrupt(path: impl Into<PathBuf>, message: impl Into<String>) -> Error {
        Error::Corrupt {
            path: path.into(),
            message: message.into(),
            source: None,
        }
    }

    /// A damaged stored file at `path`, found so by `source`; `message` is
    /// what Display prints.
    pub(crate) fn corrupt_with(
        path: impl Into<PathBuf>,
        message: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Error {
        Error::Corrupt {
            path: path.into(),
            message: message.into(),
            source: Some(source.into()),
        }
    }

    /// Fills in the file name of a parse or I/O error that was raised on an
    /// unnamed input, so that readers over `BufRead` need not know paths.
    pub fn in_file(self, file: impl Into<PathBuf>) -> Error {
        match self {
            Error::Parse {
                mut location,
                message,
                source,
            } if location.path.is_none() => {
                location.path = Some(file.into());
                Error::Parse {
                    location,
                    message,
                    source,
                }
            }
            Error::InvalidRecord {
                location: Some(mut location),
                record,
                message,
            } if location.path.is_none() => {
                location.path = Some(file.into());
                Error::InvalidRecord {
                    location: Some(location),
                    record,
                    message,
                }
            }
            Error::Io { path: None, source } => Error::Io {
                path: Some(file.into()),
                source,
            },
            other => other,
        }
    }
}

/// "a newer korpu (store format 3; this korpu reads format 2 and older)",
/// "an earlier korpu (store format 1; this korpu reads format 2)", or with no
/// supported version known, "an earlier korpu (redb file format v2), which
/// this korpu cannot read".
fn other_version(newer: bool, format: &str, found: u32, supported: Option<u32>) -> String {
    let who = if newer { "a newer" } else { "an earlier" };
    match supported {
        Some(s) if newer => format!("{who} korpu ({format} {found}; this korpu reads format {s} and older)"),
        Some(s) => format!("{who} korpu ({format} {found}; this korpu reads format {s})"),
        None => format!("{who} korpu ({format} v{found}), which this korpu cannot read"),
    }
}

/// A store error's words: the message, the source's, or both.
fn store_detail(message: &str, source: Option<&(dyn std::error::Error + Send + Sync)>) -> String {
    match source {
        None => message.to_string(),
        Some(e) if message.is_empty() => e.to_string(),
        Some(e) => format!("{message}: {e}"),
    }
}

impl From<std::io::Error> for Error {
    fn from(source: std::io::Error) -> Error {
        Error::Io { path: None, source }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_of_offset_counts_chars_not_bytes() {
        let text = "ab\nşuşa x";
        // 'x' is at byte 9 (ş and ş are 2 bytes each).
        let loc = Location::of_offset(text, text.find('x').unwrap());
        assert_eq!((loc.line, loc.column), (2, 6));
    }

    #[test]
    fn parse_error_displays_file_line_column() {
        let e = Error::parse(Location::new(120, 7), "unexpected </tu>").in_file("data.tmx");
        assert_eq!(e.to_string(), "data.tmx:120:7: unexpected </tu>");
    }

    #[test]
    fn parse_and_corrupt_errors_keep_their_source_out_of_display() {
        let bad = String::from_utf8(vec![0xff]).unwrap_err().utf8_error();
        let e = Error::parse_with(Location::new(1, 1), "invalid UTF-8", bad).in_file("a.tbx");
        assert_eq!(e.to_string(), "a.tbx:1:1: invalid UTF-8");
        assert!(std::error::Error::source(&e).is_some());
        let e = Error::corrupt_with("g.korpu", "damaged", bad);
        assert_eq!(e.to_string(), "g.korpu: damaged");
        assert!(std::error::Error::source(&e).is_some());
        assert!(std::error::Error::source(&Error::corrupt("g.korpu", "damaged")).is_none());
    }

    #[test]
    fn other_version_reads_as_a_sentence_with_what_to_do() {
        let newer = Error::OtherVersion {
            path: "tm.korpu".into(),
            format: "store format",
            found: 3,
            supported: Some(2),
            newer: true,
            remedy: "upgrade korpu".into(),
        };
        assert_eq!(
            newer.to_string(),
            "tm.korpu: written by a newer korpu (store format 3; this korpu reads format 2 and older): upgrade korpu"
        );
        let earlier = Error::OtherVersion {
            path: "tm.korpu".into(),
            format: "redb file format",
            found: 2,
            supported: None,
            newer: false,
            remedy: "export it".into(),
        };
        assert_eq!(
            earlier.to_string(),
            "tm.korpu: written by an earlier korpu (redb file format v2), which this korpu cannot read: export it"
        );
    }

    #[test]
    fn store_error_keeps_its_source_and_its_words() {
        let io = || std::io::Error::other("disk on fire");
        let bare = Error::store("tm.korpu", "", io());
        assert_eq!(bare.to_string(), "store tm.korpu: disk on fire");
        assert!(std::error::Error::source(&bare).is_some());
        let said = Error::store("tm.korpu", "cannot encode a record", io());
        assert_eq!(
            said.to_string(),
            "store tm.korpu: cannot encode a record: disk on fire"
        );
    }
}
