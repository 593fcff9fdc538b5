//! The streaming TBX reader.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;

use super::rules::{self, Kind, Level, Rules};
use super::{TbxFormat, TbxStyle, TbxVersion};
use crate::error::{Error, Location, Result};
use crate::formats::transcode::Utf8Input;
use crate::formats::xml::first_non_xml_char;
use crate::lang::Lang;
use crate::model::{Concept, Term};
use crate::text::nfc;

/// The most input one concept entry may take; larger entries are refused
/// rather than held in memory.
const MAX_ENTRY_BYTES: u64 = 16 * 1024 * 1024;
/// The deepest element nesting accepted inside an entry.
const MAX_DEPTH: usize = 64;

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
/// (`langSet`) → `termSec` (`tig`, `ntig`) → `term` become [`Term`]s with
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

/// An XML event, owned, with where it starts.
enum Ev {
    Start(Node),
    End,
    Text(String),
    /// Whitespace-only text, not copied.
    Blank,
    Eof,
}

/// One element of an entry, with its subtree.
#[derive(Debug)]
struct Node {
    /// Local name.
    name: String,
    /// In a namespace that is not TBX's: a DCT data category.
    foreign: bool,
    /// Attributes as (qualified name, value).
    attrs: Vec<(String, String)>,
    children: Vec<Child>,
    loc: Location,
}

#[derive(Debug)]
enum Child {
    Elem(Node),
    Text(String, Location),
    /// Whitespace-only text (indentation): kept as one space without
    /// allocating, since text is whitespace-collapsed anyway.
    Space,
}

impl Node {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn elements(&self) -> impl Iterator<Item = &Node> {
        self.children.iter().filter_map(|c| match c {
            Child::Elem(n) => Some(n),
            Child::Text(..) | Child::Space => None,
        })
    }

    /// All text below this node, whitespace collapsed, NFC.
    fn text(&self) -> String {
        let mut raw = String::new();
        self.collect_text(&mut raw);
        clean_text(&raw)
    }

    fn collect_text(&self, out: &mut String) {
        for c in &self.children {
            match c {
                Child::Text(t, _) => out.push_str(t),
                Child::Space => out.push(' '),
                Child::Elem(n) => n.collect_text(out),
            }
        }
    }

    /// Where the first non-whitespace text directly inside this node starts.
    fn stray_text(&self) -> Option<Location> {
        self.children.iter().find_map(|c| match c {
            Child::Text(t, loc) if !t.trim().is_empty() => {
                let mut at = loc.clone();
                for ch in t.chars().take_while(|c| c.is_whitespace()) {
                    if ch == '\n' {
                        at.line += 1;
                        at.column = 1;
                    } else {
                        at.column += 1;
                    }
                }
                Some(at)
            }
            _ => None,
        })
    }
}

/// Collapses runs of XML whitespace to one space, trims, and NFC-normalizes.
pub(super) fn clean_text(raw: &str) -> String {
    let mut s = String::with_capacity(raw.len());
    for word in raw.split([' ', '\t', '\n', '\r']).filter(|w| !w.is_empty()) {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(word);
    }
    nfc(&s).into_owned()
}

fn is_tbx_namespace(ns: &[u8]) -> bool {
    ns.starts_with(b"urn:iso:std:iso:30042") || ns.starts_with(b"http://www.lisa.org/TBX")
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

    /// Reads the next event that matters, with the location where it starts.
    fn event(&mut self) -> Result<(Ev, Location)> {
        if self.pending_end {
            self.pending_end = false;
            let at = self.xml.buffer_position();
            return Ok((Ev::End, self.location(at)));
        }
        loop {
            let start = self.xml.buffer_position();
            self.xml.get_mut().checkpoint(start);
            let loc = self.location(start);
            self.buf.clear();
            let result = self.xml.read_resolved_event_into(&mut self.buf);
            let (resolved, event) = match result {
                Ok(pair) => pair,
                Err(e) => {
                    let at = self.xml.error_position().max(start);
                    return Err(Error::parse(self.location(at), xml_error_message(&e)));
                }
            };
            let foreign = match resolved {
                ResolveResult::Unbound => false,
                ResolveResult::Bound(ns) => !is_tbx_namespace(ns.into_inner()),
                ResolveResult::Unknown(prefix) => {
                    return Err(Error::parse(
                        loc,
                        format!(
                            "undeclared namespace prefix {:?}",
                            String::from_utf8_lossy(&prefix)
                        ),
                    ));
                }
            };
            let event_kind = if matches!(event, Event::Empty(_)) {
                EventKind::Empty
            } else {
                EventKind::Other
            };
            let ev = match event {
                Event::Start(e) | Event::Empty(e) => {
                    // `<x/>` is reported as a start with its end pending.
                    self.pending_end = matches!(event_kind, EventKind::Empty);
                    let name = utf8(e.local_name().into_inner(), &loc)?.to_string();
                    let mut attrs = Vec::new();
                    for a in e.attributes() {
                        let a =
                            a.map_err(|err| Error::parse(loc.clone(), format!("bad attribute: {err}")))?;
                        let key = utf8(a.key.as_ref(), &loc)?.to_string();
                        let value = a
                            .unescape_value()
                            .map_err(|err| Error::parse(loc.clone(), format!("attribute {key}: {err}")))?;
                        check_xml_chars(&value, &loc)?;
                        attrs.push((key, value.into_owned()));
                    }
                    Ev::Start(Node {
                        name,
                        foreign,
                        attrs,
                        children: Vec::new(),
                        loc: loc.clone(),
                    })
                }
                Event::End(_) => Ev::End,
                Event::Text(t) if t.iter().all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r')) => Ev::Blank,
                Event::Text(t) => {
                    let text = t
                        .xml_content()
                        .map_err(|e| Error::parse(loc.clone(), format!("invalid text: {e}")))?;
                    check_xml_chars(&text, &loc)?;
                    Ev::Text(text.into_owned())
                }
                Event::CData(t) => {
                    let text = t
                        .decode()
                        .map_err(|e| Error::parse(loc.clone(), format!("invalid CDATA: {e}")))?;
                    check_xml_chars(&text, &loc)?;
                    Ev::Text(text.into_owned())
                }
                Event::GeneralRef(r) => {
                    if r.is_char_ref() {
                        match r.resolve_char_ref() {
                            Ok(Some(c)) => {
                                let text = c.to_string();
                                check_xml_chars(&text, &loc)?;
                                Ev::Text(text)
                            }
                            _ => return Err(Error::parse(loc, "invalid character reference")),
                        }
                    } else {
                        let name = utf8(&r, &loc)?;
                        let c = match name {
                            "lt" => "<",
                            "gt" => ">",
                            "amp" => "&",
                            "apos" => "'",
                            "quot" => "\"",
                            other => {
                                return Err(Error::parse(
                                    loc,
                                    format!(
                                        "undefined entity &{other}; (korpu resolves only the five XML \
                                         entities and character references)"
                                    ),
                                ));
                            }
                        };
                        Ev::Text(c.to_string())
                    }
                }
                Event::DocType(d) => {
                    if memchr::memmem::find(&d, b"<!ENTITY").is_some() {
                        return Err(Error::parse(
                            loc,
                            "entity declarations are refused (a TBX file needs none, and they can expand \
                             without bound or read local files)",
                        ));
                    }
                    continue;
                }
                Event::Decl(d) => {
                    if let Some(Ok(label)) = d.encoding() {
                        let label = String::from_utf8_lossy(&label).into_owned();
                        // A known encoding was applied by the input, from the declaration's bytes.
                        if encoding_rs::Encoding::for_label(label.as_bytes()).is_none() {
                            return Err(Error::parse(loc, format!("unsupported encoding {label:?}")));
                        }
                    }
                    continue;
                }
                Event::Comment(_) | Event::PI(_) => continue,
                Event::Eof => Ev::Eof,
            };
            return Ok((ev, loc));
        }
    }

    /// Reads the subtree of `node` (whose start tag was just read).
    fn subtree(&mut self, node: Node) -> Result<Node> {
        let begin = self.xml.buffer_position();
        let mut stack = vec![node];
        loop {
            let (ev, loc) = self.event()?;
            if self.xml.buffer_position() - begin > MAX_ENTRY_BYTES {
                return Err(Error::parse(
                    stack[0].loc.clone(),
                    format!("<{}> is larger than {} MiB", stack[0].name, MAX_ENTRY_BYTES >> 20),
                ));
            }
            match ev {
                Ev::Start(child) => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(Error::parse(
                            loc,
                            format!("elements nested deeper than {MAX_DEPTH}"),
                        ));
                    }
                    stack.push(child);
                }
                Ev::Text(t) => {
                    let Some(top) = stack.last_mut() else {
                        return Err(Error::parse(loc, "internal: empty element stack"));
                    };
                    match top.children.last_mut() {
                        Some(Child::Text(prev, _)) => prev.push_str(&t),
                        _ => top.children.push(Child::Text(t, loc)),
                    }
                }
                Ev::Blank => {
                    if let Some(top) = stack.last_mut() {
                        match top.children.last_mut() {
                            Some(Child::Text(prev, _)) => prev.push(' '),
                            Some(Child::Space) => {}
                            _ => top.children.push(Child::Space),
                        }
                    }
                }
                Ev::End => {
                    let Some(done) = stack.pop() else {
                        return Err(Error::parse(loc, "internal: empty element stack"));
                    };
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(Child::Elem(done)),
                        None => return Ok(done),
                    }
                }
                Ev::Eof => {
                    let open = stack.last().map_or("", |n| n.name.as_str());
                    return Err(Error::parse(
                        loc,
                        format!("unexpected end of file: <{open}> is not closed"),
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

/// Refuses characters XML 1.0 does not allow (C0 controls other than tab,
/// line feed and carriage return; U+FFFE, U+FFFF), which could not be written
/// back either.
fn check_xml_chars(text: &str, loc: &Location) -> Result<()> {
    match first_non_xml_char(text) {
        Some(c) => Err(Error::parse(
            loc.clone(),
            format!("character U+{:04X} is not allowed in XML", u32::from(c)),
        )),
        None => Ok(()),
    }
}

enum EventKind {
    Empty,
    Other,
}

fn utf8<'a>(bytes: &'a [u8], loc: &Location) -> Result<&'a str> {
    std::str::from_utf8(bytes).map_err(|_| Error::parse(loc.clone(), "invalid UTF-8"))
}

fn xml_error_message(e: &quick_xml::Error) -> String {
    match e {
        quick_xml::Error::Io(io) => format!("read error: {io}"),
        other => format!("malformed XML: {other}"),
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

/// Turns one entry subtree into a concept, checking it.
struct Entry {
    rules: Rules,
    v3: bool,
    dct: bool,
    ordinal: usize,
    /// The language section being read, to label extra definitions.
    lang: std::cell::RefCell<Option<Lang>>,
}

/// What a term-level walk collects.
#[derive(Default)]
struct TermData {
    term: Option<Term>,
    notes: Vec<String>,
    case_sensitive: Option<bool>,
}

impl Entry {
    fn new<R: BufRead>(r: &TbxReader<R>) -> Entry {
        Entry {
            rules: r.rules,
            v3: r.format.version == TbxVersion::V3,
            dct: r.format.style == TbxStyle::Dct,
            ordinal: r.entries,
            lang: std::cell::RefCell::new(None),
        }
    }

    fn concept(&self, entry: &Node) -> Result<Concept> {
        let id = match entry.attr("id") {
            Some(id) if !id.trim().is_empty() => id.trim().to_string(),
            Some(_) => {
                return Err(Error::parse(
                    entry.loc.clone(),
                    format!("<{}> has an empty id", entry.name),
                ));
            }
            None if self.v3 => {
                return Err(Error::parse(
                    entry.loc.clone(),
                    "<conceptEntry> has no id attribute",
                ));
            }
            // TBX v2 makes termEntry ids optional.
            None => format!("entry-{}", self.ordinal),
        };
        let mut concept = Concept {
            id,
            ..Concept::default()
        };
        if let Some(loc) = entry.stray_text() {
            return Err(Error::parse(
                loc,
                format!("text is not allowed directly in <{}>", entry.name),
            ));
        }
        let mut langs = 0;
        for child in entry.elements() {
            match (child.foreign, child.name.as_str()) {
                (false, "langSec" | "langSet") => {
                    langs += 1;
                    self.lang_section(child, &mut concept)?;
                }
                _ => self.data(child, Level::Concept, &mut concept, &mut None)?,
            }
        }
        if langs == 0 && self.v3 {
            return Err(Error::parse(entry.loc.clone(), "<conceptEntry> has no <langSec>"));
        }
        Ok(concept)
    }

    fn lang_section(&self, node: &Node, concept: &mut Concept) -> Result<()> {
        let tag = node.attr("xml:lang").or_else(|| node.attr("lang"));
        let Some(tag) = tag else {
            return Err(Error::parse(
                node.loc.clone(),
                format!("<{}> has no xml:lang attribute", node.name),
            ));
        };
        let lang = Lang::parse(tag).map_err(|e| Error::parse(node.loc.clone(), e.to_string()))?;
        if let Some(loc) = node.stray_text() {
            return Err(Error::parse(
                loc,
                format!("text is not allowed directly in <{}>", node.name),
            ));
        }
        *self.lang.borrow_mut() = Some(lang.clone());
        let mut terms = 0;
        for child in node.elements() {
            match (child.foreign, child.name.as_str()) {
                (false, "termSec" | "tig" | "ntig") => {
                    terms += 1;
                    let term = self.term_section(child, &lang, concept)?;
                    concept.terms.push(term);
                }
                (false, "term") => {
                    return Err(Error::parse(
                        child.loc.clone(),
                        format!("<term> must be inside a <{}>", Level::Term.element_name(self.v3)),
                    ));
                }
                _ => self.data(child, Level::Lang, concept, &mut None)?,
            }
        }
        *self.lang.borrow_mut() = None;
        if terms == 0 {
            return Err(Error::parse(
                node.loc.clone(),
                format!("<{}> has no <{}>", node.name, Level::Term.element_name(self.v3)),
            ));
        }
        Ok(())
    }

    fn term_section(&self, node: &Node, lang: &Lang, concept: &mut Concept) -> Result<Term> {
        let mut data = TermData::default();
        self.term_children(node, lang, concept, &mut data)?;
        let Some(mut term) = data.term else {
            return Err(Error::parse(
                node.loc.clone(),
                format!("<{}> has no <term>", node.name),
            ));
        };
        if !data.notes.is_empty() {
            term.note = Some(data.notes.join("\n"));
        }
        term.case_sensitive = data
            .case_sensitive
            .unwrap_or_else(|| rules::case_sensitive_by_default(term.term_type.as_deref()));
        Ok(term)
    }

    /// The children of a `termSec`/`tig`/`ntig`, or of an `ntig`'s `termGrp`.
    fn term_children(
        &self,
        node: &Node,
        lang: &Lang,
        concept: &mut Concept,
        data: &mut TermData,
    ) -> Result<()> {
        if let Some(loc) = node.stray_text() {
            return Err(Error::parse(
                loc,
                format!("text is not allowed directly in <{}>", node.name),
            ));
        }
        let lead = if node.name == "ntig" { "termGrp" } else { "term" };
        for (i, child) in node.elements().enumerate() {
            let name = child.name.as_str();
            if !child.foreign && (name == "term" || name == "termGrp") {
                if name != lead {
                    return Err(Error::parse(
                        child.loc.clone(),
                        format!("<{name}> is not allowed in <{}>", node.name),
                    ));
                }
                if data.term.is_some() {
                    return Err(Error::parse(
                        child.loc.clone(),
                        format!("only one <{name}> is allowed per <{}>", node.name),
                    ));
                }
                if i != 0 {
                    return Err(Error::parse(
                        child.loc.clone(),
                        format!("<{name}> must be the first element in <{}>", node.name),
                    ));
                }
                if name == "termGrp" {
                    self.term_children(child, lang, concept, data)?;
                    continue;
                }
                let text = child.text();
                Term::check_text(&text).map_err(|message| Error::InvalidRecord {
                    location: Some(child.loc.clone()),
                    record: format!("concept {:?}", concept.id),
                    message: format!("{message} ({lang})"),
                })?;
                data.term = Some(Term::new(lang.clone(), text));
                continue;
            }
            if i == 0 {
                return Err(Error::parse(
                    child.loc.clone(),
                    format!(
                        "<{lead}> must be the first element in <{}>, not <{name}>",
                        node.name
                    ),
                ));
            }
            if !child.foreign && name == "termCompList" {
                continue;
            }
            self.data(child, Level::Term, concept, &mut Some(data))?;
        }
        Ok(())
    }

    /// The data category of a DCA or DCT element, or `None` for other elements.
    fn category<'n>(&self, node: &'n Node) -> Result<Option<(Kind, &'n str)>> {
        if node.foreign {
            return Ok(Some((Kind::of_dct_category(&node.name), node.name.as_str())));
        }
        let Some(kind) = Kind::of_dca_element(&node.name) else {
            return Ok(None);
        };
        match node.attr("type") {
            Some(t) if !t.trim().is_empty() => Ok(Some((kind, t))),
            _ => Err(Error::parse(
                node.loc.clone(),
                format!("<{}> needs a type attribute naming its data category", node.name),
            )),
        }
    }

    /// A data category, group or note on `level`.
    fn data(
        &self,
        node: &Node,
        level: Level,
        concept: &mut Concept,
        term: &mut Option<&mut TermData>,
    ) -> Result<()> {
        let name = node.name.as_str();
        if !node.foreign {
            if name == "note" {
                let text = node.text();
                if !text.is_empty() {
                    match term {
                        Some(t) => t.notes.push(text),
                        None => concept.notes.push(text),
                    }
                }
                return Ok(());
            }
            if let Some(primary) = Kind::of_group(name) {
                return self.group(node, primary, level, concept, term);
            }
        }
        match self.category(node)? {
            Some((kind, category)) => self.category_value(node, kind, category, level, false, concept, term),
            None if node.foreign => Ok(()),
            None => Err(Error::parse(
                node.loc.clone(),
                format!("<{name}> is not allowed in <{}>", level.element_name(self.v3)),
            )),
        }
    }

    fn group(
        &self,
        node: &Node,
        primary: Kind,
        level: Level,
        concept: &mut Concept,
        term: &mut Option<&mut TermData>,
    ) -> Result<()> {
        if self.rules == Rules::Min && primary == Kind::Transac {
            return Err(Error::parse(
                node.loc.clone(),
                "<transacGrp> is not part of TBX-Min",
            ));
        }
        if let Some(loc) = node.stray_text() {
            return Err(Error::parse(
                loc,
                format!("text is not allowed directly in <{}>", node.name),
            ));
        }
        let mut primaries = 0;
        for (i, child) in node.elements().enumerate() {
            if !child.foreign && child.name == "note" {
                continue;
            }
            if !child.foreign && child.name == "date" && primary == Kind::Transac {
                continue;
            }
            // Groups nest (a transacGrp or adminGrp inside a descripGrp), after
            // the primary element.
            if let (false, Some(inner), true) = (child.foreign, Kind::of_group(&child.name), i > 0) {
                self.group(child, inner, level, concept, term)?;
                continue;
            }
            let Some((kind, category)) = self.category(child)? else {
                let message = if i == 0 {
                    format!(
                        "<{}> must begin with its <{}>, not <{}>",
                        node.name,
                        primary.element_name(),
                        child.name
                    )
                } else {
                    format!("<{}> is not allowed in <{}>", child.name, node.name)
                };
                return Err(Error::parse(child.loc.clone(), message));
            };
            let is_primary = kind == primary;
            if i == 0 && !is_primary {
                return Err(Error::parse(
                    child.loc.clone(),
                    format!(
                        "<{}> must begin with its <{}>, not <{}>",
                        node.name,
                        primary.element_name(),
                        child.name
                    ),
                ));
            }
            if is_primary {
                primaries += 1;
                if primaries > 1 {
                    return Err(Error::parse(
                        child.loc.clone(),
                        format!(
                            "only one <{}> is allowed per <{}>",
                            primary.element_name(),
                            node.name
                        ),
                    ));
                }
            }
            self.category_value(child, kind, category, level, !is_primary, concept, term)?;
        }
        if primaries == 0 {
            return Err(Error::parse(
                node.loc.clone(),
                format!("<{}> has no <{}>", node.name, primary.element_name()),
            ));
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn category_value(
        &self,
        node: &Node,
        kind: Kind,
        category: &str,
        level: Level,
        grouped: bool,
        concept: &mut Concept,
        term: &mut Option<&mut TermData>,
    ) -> Result<()> {
        let value = node.text();
        if self.v3 {
            if self.dct && !node.foreign && self.rules != Rules::Core {
                return Err(Error::parse(
                    node.loc.clone(),
                    format!("<{}> (DCA style) in a file declared style=\"dct\"", node.name),
                ));
            }
            if !self.dct && node.foreign && self.rules != Rules::Core {
                return Err(Error::parse(
                    node.loc.clone(),
                    format!("<{}> (DCT style) in a file declared style=\"dca\"", node.name),
                ));
            }
            if let Some(problem) = rules::check(self.rules, level, kind, category, &value, grouped) {
                return Err(Error::parse(node.loc.clone(), problem));
            }
        }
        match (kind, category) {
            (Kind::Descrip, "subjectField") if !value.is_empty() => match &mut concept.subject {
                Some(s) if *s != value => {
                    s.push_str("; ");
                    s.push_str(&value);
                }
                Some(_) => {}
                None => concept.subject = Some(value),
            },
            (Kind::Descrip, "definition") if !value.is_empty() => {
                if concept.definition.is_none() {
                    concept.definition = Some(value);
                } else if concept.definition.as_deref() != Some(value.as_str()) {
                    // The model has one definition; later ones (other languages)
                    // are kept as notes so nothing is lost.
                    match self.lang.borrow().as_ref() {
                        Some(lang) => concept.notes.push(format!("definition ({lang}): {value}")),
                        None => concept.notes.push(format!("definition: {value}")),
                    }
                }
            }
            (Kind::TermNote, _) => {
                let Some(data) = term.as_deref_mut() else {
                    return Ok(());
                };
                let Some(t) = data.term.as_mut() else {
                    return Ok(());
                };
                match category {
                    "partOfSpeech" if !value.is_empty() => t.part_of_speech = Some(value),
                    "termType" if !value.is_empty() => t.term_type = Some(value),
                    "administrativeStatus" | "usageStatus" | "normativeAuthorization" => {
                        if let Some(s) = rules::term_status(&value) {
                            t.status = Some(s);
                        }
                    }
                    "caseSensitive" => match value.as_str() {
                        "yes" | "true" => data.case_sensitive = Some(true),
                        "no" | "false" => data.case_sensitive = Some(false),
                        other => {
                            return Err(Error::parse(
                                node.loc.clone(),
                                format!("caseSensitive {other:?} is not \"yes\" or \"no\""),
                            ));
                        }
                    },
                    _ => {}
                }
            }
            _ => {}
        }
        Ok(())
    }
}
