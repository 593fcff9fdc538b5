//! [`TbxReader`]: a streaming reader of TBX v2 (`martif`) and v3 (`tbx`).
//!
//! The reader's rooms: this file (the face and the document around the
//! entries: root, header, `text`/`body`/`back`), [`events`] (quick-xml's
//! events, checked, and an entry read into a tree), [`node`] (that tree) and
//! [`entry`] (an entry tree checked and turned into a [`Concept`]).

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

mod entry;
mod events;
mod node;

use quick_xml::NsReader;

use self::entry::Entry;
use self::events::Ev;
use self::node::Node;
use super::rules::Rules;
use super::{TbxFormat, TbxStyle, TbxVersion};
use crate::error::{Error, Location, Result};
use crate::formats::transcode::Utf8Input;
use crate::model::Concept;

type Xml<R> = NsReader<Utf8Input<R>>;

/// The longest single XML token (tag, text run, comment) read.
const MAX_TOKEN: u64 = 32 * 1024 * 1024;

/// Reads TBX files, one [`Concept`] at a time.
///
/// Reads TBX v2 (`<martif>`, including TBX-Basic 2.x) and TBX v3 (`<tbx>`,
/// ISO 30042:2019) in the core, TBX-Basic and TBX-Min dialects, in DCA style
/// (`<termNote type="partOfSpeech">`) and DCT style (`<min:partOfSpeech>`).
/// Input is UTF-8 with or without a BOM, UTF-16 with a BOM, or an encoding
/// named in the XML declaration.
///
/// Each `conceptEntry` (`termEntry`) becomes a [`Concept`]: `langSec`
/// (`langSet`) → `termSec` (`tig`, `ntig`) → `term` become [`Term`](crate::model::Term)s with
/// part of speech, status (`administrativeStatus`, `usageStatus`,
/// `normativeAuthorization`), term type and notes; `descrip` gives the
/// subject field and definition; `<note>`s become notes. Transactions, cross
/// references, contexts and sources are checked but not kept. Text is NFC with
/// runs of whitespace collapsed to one space. Terms typed `acronym` are
/// case-sensitive unless a `caseSensitive` termNote says otherwise.
///
/// The reader streams: memory is bounded by the largest entry (16 MiB of
/// input at most). It checks the core structure (one `term`, first, per
/// `termSec`; groups led by their one primary element; no text outside `<p>`
/// in the header; only `body`/`back` in `text`; ids and languages present)
/// and, for v3 TBX-Basic and TBX-Min, the data categories, their levels and
/// picklists. Every error names the line and column. Entity declarations are
/// refused, external entities are never resolved, and a DOCTYPE is never
/// fetched.
///
/// Concept ids are yielded as the file has them, duplicates included: merge
/// them with [`merge_duplicate_concepts`](crate::model::merge_duplicate_concepts).
///
/// ```
/// use korpu::formats::tbx::TbxReader;
///
/// let tbx = r#"<tbx type="TBX-Basic" style="dca" xmlns="urn:iso:std:iso:30042:ed-2">
///   <tbxHeader><fileDesc><sourceDesc><p>example</p></sourceDesc></fileDesc></tbxHeader>
///   <text><body>
///     <conceptEntry id="shusha">
///       <descrip type="subjectField">geography</descrip>
///       <langSec xml:lang="az"><termSec><term>Şuşa</term>
///         <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
///       </termSec></langSec>
///       <langSec xml:lang="en"><termSec><term>Shusha</term></termSec></langSec>
///     </conceptEntry>
///   </body></text>
/// </tbx>"#;
/// let concepts: Vec<_> = TbxReader::new(tbx.as_bytes())?.collect::<korpu::Result<_>>()?;
/// assert_eq!(concepts[0].id, "shusha");
/// assert_eq!(concepts[0].subject.as_deref(), Some("geography"));
/// assert_eq!(concepts[0].terms[0].text, "Şuşa");
/// assert_eq!(concepts[0].terms[0].status, Some(korpu::model::TermStatus::Preferred));
///
/// // Errors name the line and column.
/// let bad = "<tbx type=\"TBX-Core\">\n<text><body><conceptEntry id=\"a\">\n\
///     <langSec xml:lang=\"en\"><termSec><note>x</note><term>y</term></termSec></langSec></conceptEntry>";
/// let err = TbxReader::new(bad.as_bytes())?.next().unwrap().unwrap_err();
/// assert_eq!(err.to_string(), "<input>:3:33: <term> must be the first element in <termSec>, not <note>");
/// # Ok::<(), korpu::Error>(())
/// ```
pub struct TbxReader<R: BufRead> {
    xml: Xml<R>,
    buf: Vec<u8>,
    format: TbxFormat,
    rules: Rules,
    /// Open elements outside entries, root first.
    stack: Vec<String>,
    entries: usize,
    path: Option<PathBuf>,
    done: bool,
    /// An empty element `<x/>` was reported as a start; its end comes next.
    pending_end: bool,
}

impl TbxReader<BufReader<File>> {
    /// Opens the TBX file at `path`. Errors name the file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        let mut reader =
            TbxReader::new(BufReader::with_capacity(64 * 1024, file)).map_err(|e| e.in_file(path))?;
        reader.path = Some(path.to_path_buf());
        Ok(reader)
    }
}

impl<R: BufRead> TbxReader<R> {
    /// Starts reading TBX from `reader`: detects the encoding, reads up to the
    /// root element and detects the version and dialect from it. Fails if the
    /// input is not XML or its root is neither `<tbx>` nor `<martif>`.
    pub fn new(reader: R) -> Result<Self> {
        let input = Utf8Input::new(reader)?.track_positions(MAX_TOKEN);
        let mut xml = NsReader::from_reader(input);
        let config = xml.config_mut();
        config.expand_empty_elements = false;
        config.check_end_names = true;
        config.check_comments = true;
        let mut me = TbxReader {
            xml,
            buf: Vec::new(),
            format: TbxFormat {
                version: TbxVersion::V3,
                dialect: String::new(),
                style: TbxStyle::Dca,
            },
            rules: Rules::Core,
            stack: Vec::new(),
            entries: 0,
            path: None,
            done: false,
            pending_end: false,
        };
        me.read_root()?;
        Ok(me)
    }

    /// Bytes held by the reader's buffers (for tests of bounded memory).
    #[cfg(test)]
    pub(super) fn buffered(&self) -> usize {
        self.buf.capacity() + self.xml.get_ref().retained_capacity()
    }

    /// The version, dialect and style found in the root element.
    pub fn format(&self) -> &TbxFormat {
        &self.format
    }

    fn location(&self, offset: u64) -> Location {
        self.xml.get_ref().location(offset)
    }

    fn read_root(&mut self) -> Result<()> {
        loop {
            let (ev, loc) = self.event()?;
            match ev {
                Ev::Start(node) => {
                    let version = match node.name.as_str() {
                        "tbx" => TbxVersion::V3,
                        "martif" => TbxVersion::V2,
                        other => {
                            return Err(Error::parse(
                                loc,
                                format!(
                                    "not a TBX file: the root element is <{other}>, expected <tbx> (TBX v3) \
                                     or <martif> (TBX v2)"
                                ),
                            ));
                        }
                    };
                    let dialect = node.attr("type").unwrap_or("").to_string();
                    let style = match node.attr("style") {
                        Some("dct") => TbxStyle::Dct,
                        _ => TbxStyle::Dca,
                    };
                    self.rules = match (version, dialect.as_str()) {
                        (TbxVersion::V3, "TBX-Basic") => Rules::Basic,
                        (TbxVersion::V3, "TBX-Min") => Rules::Min,
                        _ => Rules::Core,
                    };
                    self.format = TbxFormat {
                        version,
                        dialect,
                        style,
                    };
                    self.stack.push(node.name);
                    return Ok(());
                }
                Ev::Blank => {}
                Ev::Text(_) => return Err(Error::parse(loc, "text before the root element")),
                Ev::End => return Err(Error::parse(loc, "end tag before the root element")),
                Ev::Eof => {
                    return Err(Error::parse(
                        loc,
                        "no root element: the input is empty or not XML",
                    ));
                }
            }
        }
    }

    fn next_concept(&mut self) -> Result<Option<Concept>> {
        let v3 = self.format.version == TbxVersion::V3;
        loop {
            let (ev, loc) = self.event()?;
            match ev {
                Ev::Start(node) => {
                    let parent = self.stack.last().map_or("", String::as_str);
                    let name = node.name.as_str();
                    match (parent, name) {
                        ("body", "conceptEntry" | "termEntry") => {
                            let entry = self.subtree(node)?;
                            self.entries += 1;
                            return Entry::new(self).concept(&entry).map(Some);
                        }
                        (_, "tbxHeader" | "martifHeader") if self.stack.len() == 1 => {
                            let header = self.subtree(node)?;
                            check_header(&header)?;
                        }
                        (_, "text") if self.stack.len() == 1 => self.stack.push(node.name),
                        ("text", "body" | "back") => self.stack.push(node.name),
                        ("back", _) => {
                            self.subtree(node)?;
                        }
                        ("body", _) => {
                            let want = if v3 { "conceptEntry" } else { "termEntry" };
                            return Err(Error::parse(
                                loc,
                                format!("<{name}> is not allowed in <body>; expected <{want}>"),
                            ));
                        }
                        ("text", _) => {
                            return Err(Error::parse(
                                loc,
                                format!("<{name}> is not allowed in <text>; only <body> and <back> are"),
                            ));
                        }
                        _ if self.stack.is_empty() => {
                            return Err(Error::parse(
                                loc,
                                format!("<{name}> after the end of the root element"),
                            ));
                        }
                        _ => {
                            return Err(Error::parse(
                                loc,
                                format!("<{name}> is not allowed in <{parent}>"),
                            ));
                        }
                    }
                }
                Ev::End => {
                    self.stack.pop();
                }
                Ev::Blank => {}
                Ev::Text(t) if t.trim().is_empty() => {}
                Ev::Text(_) => {
                    let parent = self.stack.last().map_or("the document", String::as_str);
                    return Err(Error::parse(
                        loc,
                        format!("text is not allowed directly in <{parent}>"),
                    ));
                }
                Ev::Eof => {
                    if let Some(open) = self.stack.last() {
                        return Err(Error::parse(
                            loc,
                            format!("unexpected end of file: <{open}> is not closed"),
                        ));
                    }
                    return Ok(None);
                }
            }
        }
    }
}

/// The header holds prose only inside `<p>` (and a few named elements).
fn check_header(node: &Node) -> Result<()> {
    const PROSE: &[&str] = &["p", "title", "note", "change", "respStmt", "name", "date"];
    if PROSE.contains(&node.name.as_str()) || node.foreign {
        return Ok(());
    }
    if let Some(loc) = node.stray_text() {
        return Err(Error::parse(
            loc,
            format!("text is not allowed directly in <{}>; wrap it in <p>", node.name),
        ));
    }
    node.elements().try_for_each(check_header)
}

impl<R: BufRead> Iterator for TbxReader<R> {
    type Item = Result<Concept>;

    fn next(&mut self) -> Option<Result<Concept>> {
        if self.done {
            return None;
        }
        let step = self.next_concept();
        crate::formats::fuse_record(&mut self.done, self.path.as_deref(), step)
    }
}
