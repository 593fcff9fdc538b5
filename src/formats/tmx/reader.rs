//! [`TmxReader`]: a streaming reader of TMX 1.1–1.4 documents.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

mod fast;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::{ReadOptions, Warning, WarningKind};
use crate::error::{Error, Location, Result};
use crate::formats::transcode::{MAX_TOKEN, Utf8Input};
use crate::formats::xml::{first_non_xml_char, is_xml_char};
use crate::lang::Lang;
use crate::model::{
    Attributes, Inline, InlineTag, Note, Prop, Segment, Sub, TagKind, TmxDate, TmxHeader, TranslationUnit,
    Ude, UdeMap, Variant,
};

/// How deep `<hi>` and `<sub>` may nest inside a segment. Real files nest a
/// few levels; the limit keeps hostile input from exhausting the stack.
const MAX_INLINE_DEPTH: usize = 64;

/// How many distinct language attributes are remembered, so that each
/// variant's tag is not parsed again.
const LANG_CACHE: usize = 32;

/// A streaming reader of TMX documents: the header up front, then an
/// iterator of [`TranslationUnit`]s.
///
/// [`TmxReader::new`] reads up to and including `<body>`, so [`header`] and
/// [`version`] are available before the first unit. Each call to `next`
/// parses one `<tu>`; memory use is bounded by the largest unit (plus fixed
/// buffers of a few hundred KiB), not by the file, so a multi-gigabyte TMX
/// reads in a few MB. A single XML token (a text run, a tag, a comment)
/// longer than 64 MiB is refused rather than buffered.
///
/// Speed: a unit of up to 4 MiB made of plain elements, attributes and text
/// (what tools write) is looked at whole in the input buffer and parsed in
/// one pass, without per-event copies; anything else (comments, CDATA,
/// errors) is read by the streaming XML parser, with the same results.
///
/// Input may be UTF-8 (with or without a BOM), UTF-16LE/BE (with a BOM, or
/// recognised from the `<?xml` declaration), or any legacy encoding the
/// declaration names (`ISO-8859-9`, `windows-1254`, …). TMX 1.1 to 1.4 are
/// read: `xml:lang` or `lang`, language codes in any case (`eN-uS` becomes
/// `en-US`).
///
/// XML: character references, CDATA sections, comments and processing
/// instructions are read; a DOCTYPE is accepted and never fetched; entity
/// declarations are refused (no billion laughs, no external entities).
/// Segment text is kept exactly as written; only the line-end normalisation
/// XML requires (`\r\n` → `\n`) applies.
///
/// Errors carry the line and column, and inside a unit its index and tuid.
/// In strict mode (the default) the first error ends the iteration. In
/// lenient mode ([`ReadOptions::lenient`]) a unit that is not valid TMX is
/// skipped and reported in [`warnings`]; XML that is not well-formed still
/// stops the reader, since nothing after it can be trusted.
///
/// Languages: a variant whose language is not a BCP-47 tag is an error in
/// strict mode; in lenient mode the variant is dropped with a warning (and a
/// unit left with no variant is skipped).
///
/// Attributes TMX does not define (`xml:space`, tool extensions) are
/// ignored.
///
/// ```
/// use korpu::formats::tmx::TmxReader;
///
/// let tmx = r#"<?xml version="1.0" encoding="UTF-8"?>
/// <tmx version="1.4">
///   <header creationtool="t" creationtoolversion="1" segtype="sentence"
///           o-tmf="x" adminlang="en" srclang="en" datatype="plaintext"/>
///   <body>
///     <tu tuid="7">
///       <tuv xml:lang="en"><seg>Press <ph x="1">&lt;br/></ph> to go to Şuşa.</seg></tuv>
///       <tuv xml:lang="AZ-latn"><seg>Şuşaya getmək üçün <ph x="1">&lt;br/></ph> basın.</seg></tuv>
///     </tu>
///   </body>
/// </tmx>"#;
/// let mut reader = TmxReader::new(tmx.as_bytes())?;
/// assert_eq!(reader.version(), "1.4");
/// assert_eq!(reader.header().srclang.as_deref(), Some("en"));
/// let units: Vec<_> = reader.by_ref().collect::<Result<_, _>>()?;
/// assert_eq!(units.len(), 1);
/// let az = &units[0].variants[1];
/// assert_eq!(az.lang.as_str(), "az-Latn");
/// assert_eq!(az.segment.text_only(), "Şuşaya getmək üçün  basın.");
/// assert!(reader.warnings().is_empty());
/// # Ok::<(), korpu::Error>(())
/// ```
///
/// [`header`]: TmxReader::header
/// [`version`]: TmxReader::version
/// [`warnings`]: TmxReader::warnings
pub struct TmxReader<R: BufRead> {
    xml: Reader<Utf8Input<R>>,
    buf: Vec<u8>,
    /// The attributes TMX knows of the last start tag.
    attrs: AttrSlots,
    /// Text gathered since the last markup event.
    text: String,
    /// Names of the open elements.
    stack: Vec<El>,
    /// Byte offset (in the UTF-8 stream) where the current event starts.
    event_start: u64,
    /// Set once quick-xml reported an error it cannot recover from.
    fatal: bool,
    done: bool,
    header: TmxHeader,
    version: String,
    options: ReadOptions,
    warnings: Vec<Warning>,
    warnings_dropped: u64,
    path: Option<PathBuf>,
    /// `<tu>` elements met so far (the current one included).
    unit_index: u64,
    lang_cache: Vec<(String, Lang)>,
    header_srclang: Option<Lang>,
    /// Answers of `Lang::matches(variant, source)` already computed.
    match_memo: Vec<(Lang, Lang, bool)>,
    /// Scratch for the check of `<bpt>`/`<ept>` pairs.
    pairs: PairScratch,
    /// Bytes the fast path consumed from the input behind quick-xml's back:
    /// added to quick-xml's positions to give offsets in the UTF-8 stream.
    skipped: u64,
    /// The last event was markup (a start, empty or end tag): quick-xml has
    /// read nothing past it, so the fast path may take over from there.
    boundary: bool,
    /// Whether to try the fast path (off only in tests that compare paths).
    fast: bool,
    /// Units in a row the fast path gave up on. A file whose units all
    /// hold something it cannot read (say a comment each) would pay for a
    /// failed attempt per unit; after a few, it tries only now and then.
    fast_misses: u32,
    /// Scratch copy of the unit the fast path reads.
    span: Vec<u8>,
    /// Scratch vectors for the inline items the fast path is reading, one
    /// per nesting depth.
    inlines: Vec<Vec<Inline>>,
    /// Finds `</tu>` (built once: building costs more than a short search).
    unit_end: memchr::memmem::Finder<'static>,
    /// Units the fast path read (for tests that check it is used).
    #[cfg(test)]
    fast_units: u64,
}

/// The elements TMX knows.
#[derive(Clone, Debug, PartialEq, Eq)]
enum El {
    Tmx,
    Header,
    Body,
    Tu,
    Tuv,
    Seg,
    Note,
    Prop,
    Ude,
    Map,
    Sub,
    Inline(TagKind),
    Other(String),
}

impl El {
    fn of(name: &[u8]) -> El {
        El::known(name).unwrap_or_else(|| El::Other(String::from_utf8_lossy(name).into_owned()))
    }

    /// The element TMX knows by `name`, if any.
    fn known(name: &[u8]) -> Option<El> {
        Some(match name {
            b"tmx" => El::Tmx,
            b"header" => El::Header,
            b"body" => El::Body,
            b"tu" => El::Tu,
            b"tuv" => El::Tuv,
            b"seg" => El::Seg,
            b"note" => El::Note,
            b"prop" => El::Prop,
            b"ude" => El::Ude,
            b"map" => El::Map,
            b"sub" => El::Sub,
            b"bpt" => El::Inline(TagKind::Bpt),
            b"ept" => El::Inline(TagKind::Ept),
            b"it" => El::Inline(TagKind::It),
            b"ph" => El::Inline(TagKind::Ph),
            b"hi" => El::Inline(TagKind::Hi),
            b"ut" => El::Inline(TagKind::Ut),
            _ => return None,
        })
    }

    fn name(&self) -> &str {
        match self {
            El::Tmx => "tmx",
            El::Header => "header",
            El::Body => "body",
            El::Tu => "tu",
            El::Tuv => "tuv",
            El::Seg => "seg",
            El::Note => "note",
            El::Prop => "prop",
            El::Ude => "ude",
            El::Map => "map",
            El::Sub => "sub",
            El::Inline(k) => k.as_str(),
            El::Other(s) => s,
        }
    }
}

/// The number of [`Attr`] variants (at most 32: they are bits of a `u32`).
const ATTR_COUNT: usize = Attr::Assoc as usize + 1;
const _: () = assert!(ATTR_COUNT <= 32);
// `Attr::ALL` lists every attribute at its index.
const _: () = {
    let mut n = 0;
    while n < ATTR_COUNT {
        assert!(Attr::ALL[n] as usize == n);
        n += 1;
    }
};

/// The attributes TMX knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Attr {
    Version,
    CreationTool,
    CreationToolVersion,
    Segtype,
    OTmf,
    Adminlang,
    Srclang,
    Datatype,
    OEncoding,
    CreationDate,
    CreationId,
    ChangeDate,
    ChangeId,
    Tuid,
    UsageCount,
    LastUsageDate,
    XmlLang,
    Lang,
    Type,
    Name,
    Base,
    Unicode,
    Code,
    Ent,
    Subst,
    I,
    X,
    Pos,
    Assoc,
}

impl Attr {
    /// Every attribute, at its index.
    const ALL: [Attr; ATTR_COUNT] = [
        Attr::Version,
        Attr::CreationTool,
        Attr::CreationToolVersion,
        Attr::Segtype,
        Attr::OTmf,
        Attr::Adminlang,
        Attr::Srclang,
        Attr::Datatype,
        Attr::OEncoding,
        Attr::CreationDate,
        Attr::CreationId,
        Attr::ChangeDate,
        Attr::ChangeId,
        Attr::Tuid,
        Attr::UsageCount,
        Attr::LastUsageDate,
        Attr::XmlLang,
        Attr::Lang,
        Attr::Type,
        Attr::Name,
        Attr::Base,
        Attr::Unicode,
        Attr::Code,
        Attr::Ent,
        Attr::Subst,
        Attr::I,
        Attr::X,
        Attr::Pos,
        Attr::Assoc,
    ];

    fn of(name: &[u8]) -> Option<Attr> {
        Some(match name {
            b"version" => Attr::Version,
            b"creationtool" => Attr::CreationTool,
            b"creationtoolversion" => Attr::CreationToolVersion,
            b"segtype" => Attr::Segtype,
            b"o-tmf" => Attr::OTmf,
            b"adminlang" => Attr::Adminlang,
            b"srclang" => Attr::Srclang,
            b"datatype" => Attr::Datatype,
            b"o-encoding" => Attr::OEncoding,
            b"creationdate" => Attr::CreationDate,
            b"creationid" => Attr::CreationId,
            b"changedate" => Attr::ChangeDate,
            b"changeid" => Attr::ChangeId,
            b"tuid" => Attr::Tuid,
            b"usagecount" => Attr::UsageCount,
            b"lastusagedate" => Attr::LastUsageDate,
            b"xml:lang" => Attr::XmlLang,
            b"lang" => Attr::Lang,
            b"type" => Attr::Type,
            b"name" => Attr::Name,
            b"base" => Attr::Base,
            b"unicode" => Attr::Unicode,
            b"code" => Attr::Code,
            b"ent" => Attr::Ent,
            b"subst" => Attr::Subst,
            b"i" => Attr::I,
            b"x" => Attr::X,
            b"pos" => Attr::Pos,
            b"assoc" => Attr::Assoc,
            _ => return None,
        })
    }
}

/// One parsed event, with its data left in the reader's scratch fields.
enum Ev {
    /// A start tag; attributes in `attrs`.
    Start(El),
    /// An empty-element tag; attributes in `attrs`.
    Empty(El),
    /// An end tag (already checked against the open element).
    End(El),
    /// Character data appended to `text`.
    Text,
    Eof,
}

/// The fast path cannot read a unit (see the `fast` module): the streaming
/// path reads it instead.
struct GiveUp;

/// Where a failure happened: inside a unit (recoverable in lenient mode) or
/// not.
struct UnitFailure(Error);

impl TmxReader<BufReader<File>> {
    /// Opens a TMX file and reads its header. Errors name the file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<TmxReader<BufReader<File>>> {
        TmxReader::from_path_with(path, ReadOptions::default())
    }

    /// Opens a TMX file with `options` and reads its header.
    pub fn from_path_with(
        path: impl AsRef<Path>,
        options: ReadOptions,
    ) -> Result<TmxReader<BufReader<File>>> {
        let path = path.as_ref();
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        let mut reader = TmxReader::start(BufReader::new(file), options, Some(path.to_path_buf()))?;
        reader.read_prologue().map_err(|e| e.in_file(path))?;
        Ok(reader)
    }
}

impl<R: BufRead> TmxReader<R> {
    /// Reads the prologue and header of a TMX document from `reader`, in
    /// strict mode.
    pub fn new(reader: R) -> Result<TmxReader<R>> {
        TmxReader::with_options(reader, ReadOptions::default())
    }

    /// Reads the prologue and header of a TMX document with `options`.
    pub fn with_options(reader: R, options: ReadOptions) -> Result<TmxReader<R>> {
        let mut reader = TmxReader::start(reader, options, None)?;
        reader.read_prologue()?;
        Ok(reader)
    }

    fn start(reader: R, options: ReadOptions, path: Option<PathBuf>) -> Result<TmxReader<R>> {
        let input = Utf8Input::new(reader)
            .map_err(|e| Error::Io {
                path: path.clone(),
                source: e,
            })?
            .track_positions(MAX_TOKEN);
        let mut xml = Reader::from_reader(input);
        let config = xml.config_mut();
        config.trim_text(false);
        config.expand_empty_elements = false;
        // End names are checked here, so that a mismatch inside a unit can be
        // recovered from in lenient mode.
        config.check_end_names = false;
        config.allow_unmatched_ends = true;
        config.check_comments = true;
        Ok(TmxReader {
            xml,
            buf: Vec::with_capacity(64 * 1024),
            attrs: AttrSlots::default(),
            text: String::new(),
            stack: Vec::new(),
            event_start: 0,
            fatal: false,
            done: false,
            header: TmxHeader::default(),
            version: String::new(),
            options,
            warnings: Vec::new(),
            warnings_dropped: 0,
            path,
            unit_index: 0,
            lang_cache: Vec::new(),
            header_srclang: None,
            match_memo: Vec::new(),
            pairs: PairScratch::default(),
            skipped: 0,
            boundary: false,
            fast: true,
            fast_misses: 0,
            span: Vec::new(),
            inlines: Vec::new(),
            unit_end: memchr::memmem::Finder::new(b"</tu>"),
            #[cfg(test)]
            fast_units: 0,
        })
    }

    /// Makes the reader lenient (or strict again): see [`ReadOptions::lenient`].
    pub fn lenient(mut self, lenient: bool) -> TmxReader<R> {
        self.options.lenient = lenient;
        self
    }

    /// The document's header, complete from construction on.
    pub fn header(&self) -> &TmxHeader {
        &self.header
    }

    /// The `version` attribute of `<tmx>` as written: `1.1` to `1.4`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The name of the encoding the input was read in (`UTF-8`, `UTF-16LE`,
    /// `windows-1254`, …, as the WHATWG Encoding Standard names them).
    pub fn encoding(&self) -> &'static str {
        self.xml.get_ref().encoding().name()
    }

    /// The number of `<tu>` elements met so far, skipped ones included.
    pub fn units_seen(&self) -> u64 {
        self.unit_index
    }

    /// Warnings gathered so far (oldest first): suspicious but readable
    /// content, and in lenient mode the units that were skipped.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// Takes the warnings gathered so far, leaving none. Draining as you go
    /// keeps memory flat on files with many warnings.
    pub fn drain_warnings(&mut self) -> Vec<Warning> {
        std::mem::take(&mut self.warnings)
    }

    /// How many warnings were dropped because more than
    /// [`ReadOptions::max_warnings`] were pending.
    pub fn warnings_dropped(&self) -> u64 {
        self.warnings_dropped
    }

    // ----- events -----------------------------------------------------------

    /// quick-xml's position, as an offset in the UTF-8 stream.
    fn stream_offset(&self) -> u64 {
        self.xml.buffer_position() + self.skipped
    }

    fn location_at(&self, offset: u64) -> Location {
        let loc = self.xml.get_ref().location(offset);
        match &self.path {
            Some(p) => loc.with_path(p),
            None => loc,
        }
    }

    fn here(&self) -> Location {
        self.location_at(self.event_start)
    }

    fn parse_error(&self, message: impl Into<String>) -> Error {
        Error::parse(self.here(), message)
    }

    /// Reads the next event that matters, skipping comments, processing
    /// instructions, declarations and the DOCTYPE.
    fn next_ev(&mut self) -> Result<Ev> {
        loop {
            self.event_start = self.stream_offset();
            self.xml.get_mut().checkpoint(self.event_start);
            self.buf.clear();
            let event = match self.xml.read_event_into(&mut self.buf) {
                Ok(event) => event,
                Err(e) => {
                    self.boundary = false;
                    return Err(self.xml_error(e));
                }
            };
            self.boundary = matches!(event, Event::Start(_) | Event::Empty(_) | Event::End(_));
            match event {
                Event::Start(start) => {
                    let el = El::of(start.name().as_ref());
                    read_attrs(&mut self.attrs, &start).map_err(|m| self.parse_error(m))?;
                    self.stack.push(el.clone());
                    return Ok(Ev::Start(el));
                }
                Event::Empty(start) => {
                    let el = El::of(start.name().as_ref());
                    read_attrs(&mut self.attrs, &start).map_err(|m| self.parse_error(m))?;
                    return Ok(Ev::Empty(el));
                }
                Event::End(end) => {
                    let el = El::of(end.name().as_ref());
                    match self.stack.last() {
                        Some(open) if *open == el => {
                            self.stack.pop();
                            return Ok(Ev::End(el));
                        }
                        Some(open) => {
                            let message = format!("expected </{}>, found </{}>", open.name(), el.name());
                            // For lenient recovery: an end tag of an element further out
                            // closes everything inside it; a stray one closes nothing.
                            if let Some(at) = self.stack.iter().rposition(|e| *e == el) {
                                self.stack.truncate(at);
                            }
                            return Err(self.parse_error(message));
                        }
                        None => {
                            return Err(self.parse_error(format!("unexpected </{}>", el.name())));
                        }
                    }
                }
                Event::Text(text) => {
                    // Between elements (not in seg, note, prop or inline content),
                    // indentation is all there is: check it without copying.
                    let mixed = matches!(
                        self.stack.last(),
                        Some(El::Seg | El::Note | El::Prop | El::Sub | El::Inline(_))
                    );
                    if !mixed && text.iter().all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r')) {
                        return Ok(Ev::Text);
                    }
                    push_text(&mut self.text, &text).map_err(|m| self.parse_error(m))?;
                    return Ok(Ev::Text);
                }
                Event::CData(data) => {
                    push_text(&mut self.text, &data).map_err(|m| self.parse_error(m))?;
                    return Ok(Ev::Text);
                }
                Event::GeneralRef(name) => {
                    let c = resolve_ref(&name).map_err(|m| self.parse_error(m))?;
                    self.text.push(c);
                    return Ok(Ev::Text);
                }
                Event::DocType(doctype) => {
                    if memchr::memmem::find(&doctype, b"<!ENTITY").is_some() {
                        return Err(self.parse_error(
                            "entity declarations are refused (the DOCTYPE declares an entity)",
                        ));
                    }
                }
                Event::Comment(_) | Event::PI(_) | Event::Decl(_) => {}
                Event::Eof => {
                    if let Some(open) = self.stack.last() {
                        // Nothing can follow the end of the input.
                        self.fatal = true;
                        return Err(self.parse_error(format!(
                            "unexpected end of file: <{}> is not closed",
                            open.name()
                        )));
                    }
                    return Ok(Ev::Eof);
                }
            }
        }
    }

    fn xml_error(&mut self, e: quick_xml::Error) -> Error {
        let input = self.xml.get_ref();
        if let Some(msg) = input.error() {
            // Decoding errors are at the end of what was read; an oversized
            // token is reported where it starts.
            let at = if input.token_too_long() {
                self.event_start
            } else {
                self.stream_offset()
            };
            let msg = msg.to_string();
            self.fatal = true;
            return Error::parse(self.location_at(at), msg);
        }
        let recoverable = matches!(
            e,
            quick_xml::Error::IllFormed(_) | quick_xml::Error::InvalidAttr(_)
        ) && self.stream_offset() > self.event_start;
        if !recoverable {
            self.fatal = true;
        }
        if let quick_xml::Error::Io(io) = &e {
            let source = std::io::Error::new(io.kind(), io.to_string());
            return Error::Io {
                path: self.path.clone(),
                source,
            };
        }
        let at = (self.xml.error_position() + self.skipped).max(self.event_start);
        Error::parse(self.location_at(at), format!("malformed XML: {e}"))
    }

    /// A `<sub>` from the attributes of its start tag, content still empty.
    /// Taken before the content is read: nested tags reuse the slots.
    fn take_sub(&mut self) -> Sub {
        Sub {
            datatype: self.take_attr(Attr::Datatype),
            sub_type: self.take_attr(Attr::Type),
            content: Vec::new(),
        }
    }

    /// An inline tag from the attributes of its start tag, content still
    /// empty (see [`take_sub`](Self::take_sub)).
    fn take_inline_tag(&mut self, kind: TagKind) -> InlineTag {
        let mut tag = InlineTag::new(kind);
        self.fill_inline_tag(&mut tag);
        tag
    }

    /// Sets the attributes of `tag` (a new one: all `None`) from its start
    /// tag, in place: an `InlineTag` is big enough that moving one costs.
    fn fill_inline_tag(&mut self, tag: &mut InlineTag) {
        if self.attrs.present == 0 {
            return;
        }
        tag.i = self.take_attr(Attr::I);
        tag.x = self.take_attr(Attr::X);
        tag.tag_type = self.take_attr(Attr::Type);
        tag.pos = self.take_attr(Attr::Pos);
        tag.assoc = self.take_attr(Attr::Assoc);
    }

    fn take_attr(&mut self, key: Attr) -> Option<String> {
        self.attr(key).map(str::to_string)
    }

    /// The value of attribute `key` of the last start tag.
    fn attr(&self, key: Attr) -> Option<&str> {
        self.attrs.get(key)
    }

    /// Parses date attribute `key`; `unit` is `Some(tuid)` inside a unit.
    #[inline]
    fn date_attr(&mut self, key: Attr, name: &str, at: u64, unit: Option<Option<&str>>) -> Option<TmxDate> {
        let date = TmxDate::parse(self.attr(key)?);
        if !date.is_valid() {
            let record = unit.map(|tuid| self.record_name(tuid));
            let message = format!(
                "{name} {:?} is not a TMX date (YYYYMMDDThhmmssZ); kept as written",
                date.to_string()
            );
            self.warn(WarningKind::InvalidDate, at, record, message);
        }
        Some(date)
    }

    /// Text between elements where TMX allows none: whitespace is dropped,
    /// anything else is an error.
    fn only_whitespace(&mut self, context: &str) -> Result<()> {
        let ok = self
            .text
            .bytes()
            .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
        if !ok {
            let snippet: String = self.text.trim().chars().take(30).collect();
            self.text.clear();
            return Err(self.parse_error(format!("text {snippet:?} is not allowed {context}")));
        }
        self.text.clear();
        Ok(())
    }

    // ----- prologue and header ------------------------------------------------

    fn read_prologue(&mut self) -> Result<()> {
        // Up to <tmx>.
        loop {
            match self.next_ev()? {
                Ev::Start(El::Tmx) => break,
                Ev::Text => self.only_whitespace("before <tmx>")?,
                Ev::Start(el) | Ev::Empty(el) => {
                    return Err(self.parse_error(format!(
                        "not a TMX document: the root element is <{}>, not <tmx>",
                        el.name()
                    )));
                }
                Ev::End(_) | Ev::Eof => return Err(self.parse_error("not a TMX document: no <tmx> element")),
            }
        }
        let version = self.take_attr(Attr::Version).unwrap_or_default();
        if version.is_empty() {
            return Err(self.parse_error("<tmx> has no version attribute"));
        }
        if !version.starts_with("1.") {
            return Err(self.parse_error(format!(
                "TMX version {version:?} is not supported (korpu reads TMX 1.1 to 1.4)"
            )));
        }
        self.version = version;
        // <header>.
        let header_empty = loop {
            match self.next_ev()? {
                Ev::Text => self.only_whitespace("in <tmx>")?,
                Ev::Start(El::Header) => break false,
                Ev::Empty(El::Header) => break true,
                Ev::Start(el) | Ev::Empty(el) => {
                    return Err(self.parse_error(format!("expected <header>, found <{}>", el.name())));
                }
                Ev::End(_) | Ev::Eof => return Err(self.parse_error("<tmx> has no <header>")),
            }
        };
        self.read_header_attrs();
        if !header_empty {
            self.read_header_children()?;
        }
        if let Some(src) = &self.header.srclang
            && !src.eq_ignore_ascii_case("*all*")
        {
            self.header_srclang = Lang::parse(src).ok();
        }
        // <body>.
        loop {
            match self.next_ev()? {
                Ev::Text => self.only_whitespace("in <tmx>")?,
                Ev::Start(El::Body) => return Ok(()),
                Ev::Empty(El::Body) => {
                    // No units; the rest must still close properly.
                    self.read_epilogue()?;
                    self.done = true;
                    return Ok(());
                }
                Ev::Start(el) | Ev::Empty(el) => {
                    return Err(self.parse_error(format!("expected <body>, found <{}>", el.name())));
                }
                Ev::End(_) | Ev::Eof => return Err(self.parse_error("<tmx> has no <body>")),
            }
        }
    }

    fn read_header_attrs(&mut self) {
        let at = self.event_start;
        let creation_date = self.date_attr(Attr::CreationDate, "creationdate", at, None);
        let change_date = self.date_attr(Attr::ChangeDate, "changedate", at, None);
        self.header = TmxHeader {
            creation_tool: self.take_attr(Attr::CreationTool),
            creation_tool_version: self.take_attr(Attr::CreationToolVersion),
            segtype: self.take_attr(Attr::Segtype),
            o_tmf: self.take_attr(Attr::OTmf),
            adminlang: self.take_attr(Attr::Adminlang),
            srclang: self.take_attr(Attr::Srclang),
            datatype: self.take_attr(Attr::Datatype),
            o_encoding: self.take_attr(Attr::OEncoding),
            creation_id: self.take_attr(Attr::CreationId),
            change_id: self.take_attr(Attr::ChangeId),
            creation_date,
            change_date,
            ..TmxHeader::default()
        };
    }

    fn read_header_children(&mut self) -> Result<()> {
        loop {
            match self.next_ev()? {
                Ev::Text => self.only_whitespace("in <header>")?,
                Ev::End(El::Header) => return Ok(()),
                Ev::Start(El::Note) => {
                    let note = self.read_note(false)?;
                    self.header.notes.push(note);
                }
                Ev::Empty(El::Note) => {
                    let note = self.read_note(true)?;
                    self.header.notes.push(note);
                }
                Ev::Start(El::Prop) => {
                    let prop = self.read_prop(false)?;
                    self.header.props.push(prop);
                }
                Ev::Empty(El::Prop) => {
                    let prop = self.read_prop(true)?;
                    self.header.props.push(prop);
                }
                Ev::Start(El::Ude) => {
                    let ude = self.read_ude(false)?;
                    self.header.udes.push(ude);
                }
                Ev::Empty(El::Ude) => {
                    let ude = self.read_ude(true)?;
                    self.header.udes.push(ude);
                }
                Ev::Start(el) | Ev::Empty(el) => {
                    return Err(self.parse_error(format!("<{}> is not allowed in <header>", el.name())));
                }
                Ev::End(_) | Ev::Eof => return Err(self.parse_error("<header> is not closed")),
            }
        }
    }

    fn read_ude(&mut self, empty: bool) -> Result<Ude> {
        let mut ude = Ude {
            name: self.take_attr(Attr::Name).unwrap_or_default(),
            base: self.take_attr(Attr::Base),
            maps: Vec::new(),
        };
        if empty {
            return Ok(ude);
        }
        loop {
            match self.next_ev()? {
                Ev::Text => self.only_whitespace("in <ude>")?,
                Ev::End(El::Ude) => return Ok(ude),
                ev @ (Ev::Start(El::Map) | Ev::Empty(El::Map)) => {
                    ude.maps.push(UdeMap {
                        unicode: self.take_attr(Attr::Unicode).unwrap_or_default(),
                        code: self.take_attr(Attr::Code),
                        ent: self.take_attr(Attr::Ent),
                        subst: self.take_attr(Attr::Subst),
                    });
                    if matches!(ev, Ev::Start(_)) {
                        loop {
                            match self.next_ev()? {
                                Ev::Text => self.only_whitespace("in <map>")?,
                                Ev::End(El::Map) => break,
                                _ => return Err(self.parse_error("<map> must be empty")),
                            }
                        }
                    }
                }
                Ev::Start(el) | Ev::Empty(el) => {
                    return Err(self.parse_error(format!("<{}> is not allowed in <ude>", el.name())));
                }
                Ev::End(_) | Ev::Eof => return Err(self.parse_error("<ude> is not closed")),
            }
        }
    }

    /// Reads a text-only element's content up to its end tag.
    fn read_plain(&mut self, el: El, empty: bool) -> Result<String> {
        self.text.clear();
        if empty {
            return Ok(String::new());
        }
        loop {
            match self.next_ev()? {
                Ev::Text => {}
                Ev::End(e) if e == el => return Ok(std::mem::take(&mut self.text)),
                Ev::Start(e) | Ev::Empty(e) => {
                    return Err(self.parse_error(format!(
                        "<{}> is not allowed in <{}> (it holds text only)",
                        e.name(),
                        el.name()
                    )));
                }
                Ev::End(_) | Ev::Eof => {
                    return Err(self.parse_error(format!("<{}> is not closed", el.name())));
                }
            }
        }
    }

    fn read_note(&mut self, empty: bool) -> Result<Note> {
        let mut note = self.note_from_attrs();
        note.text = self.read_plain(El::Note, empty)?;
        Ok(note)
    }

    /// A `<note>` with the attributes of the last start tag and no text yet.
    fn note_from_attrs(&mut self) -> Note {
        let lang = self
            .take_attr(Attr::XmlLang)
            .or_else(|| self.take_attr(Attr::Lang));
        let o_encoding = self.take_attr(Attr::OEncoding);
        Note {
            text: String::new(),
            lang,
            o_encoding,
        }
    }

    fn read_prop(&mut self, empty: bool) -> Result<Prop> {
        let mut prop = self.prop_from_attrs();
        prop.value = self.read_plain(El::Prop, empty)?;
        Ok(prop)
    }

    /// A `<prop>` with the attributes of the last start tag and no value yet.
    fn prop_from_attrs(&mut self) -> Prop {
        let prop_type = self.take_attr(Attr::Type).unwrap_or_default();
        let lang = self
            .take_attr(Attr::XmlLang)
            .or_else(|| self.take_attr(Attr::Lang));
        let o_encoding = self.take_attr(Attr::OEncoding);
        Prop {
            prop_type,
            value: String::new(),
            lang,
            o_encoding,
        }
    }

    fn read_epilogue(&mut self) -> Result<()> {
        loop {
            match self.next_ev()? {
                Ev::Text => self.only_whitespace("after <body>")?,
                Ev::End(El::Tmx) => break,
                Ev::Start(el) | Ev::Empty(el) => {
                    return Err(self.parse_error(format!("<{}> is not allowed after <body>", el.name())));
                }
                Ev::End(_) | Ev::Eof => return Err(self.parse_error("<tmx> is not closed")),
            }
        }
        loop {
            match self.next_ev()? {
                Ev::Text => self.only_whitespace("after </tmx>")?,
                Ev::Eof => return Ok(()),
                Ev::Start(el) | Ev::Empty(el) => {
                    return Err(self.parse_error(format!("<{}> after the end of <tmx>", el.name())));
                }
                Ev::End(_) => return Err(self.parse_error("unexpected end tag after </tmx>")),
            }
        }
    }

    // ----- warnings -------------------------------------------------------------

    fn warn(&mut self, kind: WarningKind, at: u64, record: Option<String>, message: String) {
        // `record` is built by callers only when a warning is due.
        if self.warnings.len() >= self.options.max_warnings {
            self.warnings_dropped += 1;
            return;
        }
        let location = self.location_at(at);
        self.warnings.push(Warning {
            kind,
            location,
            record,
            message,
        });
    }

    // ----- units ------------------------------------------------------------------

    fn record_name(&self, tuid: Option<&str>) -> String {
        match tuid {
            Some(t) => format!("unit {} (tuid {t:?})", self.unit_index),
            None => format!("unit {}", self.unit_index),
        }
    }

    fn unit_error(&self, tuid: Option<&str>, message: impl Into<String>) -> UnitFailure {
        UnitFailure(Error::InvalidRecord {
            location: Some(self.here()),
            record: self.record_name(tuid),
            message: message.into(),
        })
    }

    /// Wraps an error from inside a unit with the unit's name.
    fn in_unit(&self, tuid: Option<&str>, e: Error) -> UnitFailure {
        match e {
            Error::Parse { location, message } => UnitFailure(Error::InvalidRecord {
                location: Some(location),
                record: self.record_name(tuid),
                message,
            }),
            other => UnitFailure(other),
        }
    }

    fn attributes(&mut self, at: u64, tuid: Option<&str>) -> Attributes {
        let mut attrs = Attributes::default();
        self.fill_attributes(&mut attrs, at, tuid);
        attrs
    }

    /// Sets `attrs` (all `None`) from the attributes of the last start tag,
    /// in place (see [`fill_inline_tag`](Self::fill_inline_tag)); warns
    /// about bad dates.
    fn fill_attributes(&mut self, attrs: &mut Attributes, at: u64, tuid: Option<&str>) {
        let present = self.attrs.present;
        if present & AttrSlots::DATES != 0 {
            // In this order: it is the order of the warnings.
            let unit = Some(tuid);
            attrs.last_usage_date = self.date_attr(Attr::LastUsageDate, "lastusagedate", at, unit);
            attrs.creation_date = self.date_attr(Attr::CreationDate, "creationdate", at, unit);
            attrs.change_date = self.date_attr(Attr::ChangeDate, "changedate", at, unit);
        }
        // Only the attributes present are looked at.
        let mut rest = present & AttrSlots::SHARED & !AttrSlots::DATES;
        while rest != 0 {
            let key = Attr::ALL[rest.trailing_zeros() as usize];
            rest &= rest - 1;
            let value = self.take_attr(key);
            match key {
                Attr::OEncoding => attrs.o_encoding = value,
                Attr::Datatype => attrs.datatype = value,
                Attr::UsageCount => attrs.usage_count = value,
                Attr::CreationTool => attrs.creation_tool = value,
                Attr::CreationToolVersion => attrs.creation_tool_version = value,
                Attr::CreationId => attrs.creation_id = value,
                Attr::ChangeId => attrs.change_id = value,
                Attr::OTmf => attrs.o_tmf = value,
                _ => {}
            }
        }
    }

    /// Parses one `<tu>` whose start tag was just read.
    fn read_unit(&mut self, empty: bool) -> std::result::Result<TranslationUnit, UnitFailure> {
        let tu_start = self.event_start;
        let mut unit = self.unit_from_attrs(tu_start);
        let mut dropped_variants = 0;
        if !empty {
            loop {
                let ev = self
                    .next_ev()
                    .map_err(|e| self.in_unit(unit.tuid.as_deref(), e))?;
                match ev {
                    Ev::Text => self
                        .only_whitespace("in <tu>")
                        .map_err(|e| self.in_unit(unit.tuid.as_deref(), e))?,
                    Ev::End(El::Tu) => break,
                    Ev::Start(El::Note) | Ev::Empty(El::Note) => {
                        let empty = matches!(ev, Ev::Empty(_));
                        let note = self
                            .read_note(empty)
                            .map_err(|e| self.in_unit(unit.tuid.as_deref(), e))?;
                        unit.notes.push(note);
                    }
                    Ev::Start(El::Prop) | Ev::Empty(El::Prop) => {
                        let empty = matches!(ev, Ev::Empty(_));
                        let prop = self
                            .read_prop(empty)
                            .map_err(|e| self.in_unit(unit.tuid.as_deref(), e))?;
                        unit.props.push(prop);
                    }
                    Ev::Start(El::Tuv) => match self.read_variant(unit.tuid.as_deref())? {
                        Some(v) => unit.variants.push(v),
                        None => dropped_variants += 1,
                    },
                    Ev::Empty(El::Tuv) => {
                        return Err(self.unit_error(unit.tuid.as_deref(), "<tuv> has no <seg>"));
                    }
                    Ev::Start(el) | Ev::Empty(el) => {
                        return Err(self.unit_error(
                            unit.tuid.as_deref(),
                            format!("<{}> is not allowed in <tu>", el.name()),
                        ));
                    }
                    Ev::End(_) | Ev::Eof => {
                        return Err(self.unit_error(unit.tuid.as_deref(), "<tu> is not closed"));
                    }
                }
            }
        }
        if unit.variants.is_empty() {
            let message = if dropped_variants > 0 {
                "every variant was dropped"
            } else {
                "a <tu> needs at least one <tuv>"
            };
            self.event_start = tu_start;
            return Err(self.unit_error(unit.tuid.as_deref(), message));
        }
        self.check_unit(&unit, tu_start);
        Ok(unit)
    }

    /// A unit with the attributes of the `<tu>` tag at `tu_start` and no
    /// content yet (warns about bad dates).
    fn unit_from_attrs(&mut self, tu_start: u64) -> TranslationUnit {
        let tuid = self.take_attr(Attr::Tuid);
        let srclang = self.take_attr(Attr::Srclang);
        let segtype = self.take_attr(Attr::Segtype);
        let attrs = self.attributes(tu_start, tuid.as_deref());
        TranslationUnit {
            tuid,
            srclang,
            segtype,
            attrs,
            props: Vec::new(),
            notes: Vec::new(),
            variants: Vec::new(),
        }
    }

    fn lang(&mut self, raw: &str) -> Result<Lang> {
        if let Some((_, lang)) = self.lang_cache.iter().find(|(r, _)| r == raw) {
            return Ok(lang.clone());
        }
        let lang = Lang::parse(raw)?;
        if self.lang_cache.len() < LANG_CACHE {
            self.lang_cache.push((raw.to_string(), lang.clone()));
        }
        Ok(lang)
    }

    /// Parses one `<tuv>`; `None` when lenient mode dropped it.
    fn read_variant(&mut self, tuid: Option<&str>) -> std::result::Result<Option<Variant>, UnitFailure> {
        let at = self.event_start;
        let raw_lang = self
            .take_attr(Attr::XmlLang)
            .or_else(|| self.take_attr(Attr::Lang));
        let attrs = self.attributes(at, tuid);
        let lang = match raw_lang {
            None => return Err(self.unit_error(tuid, "<tuv> has no xml:lang (or lang) attribute")),
            Some(raw) => match self.lang(&raw) {
                Ok(lang) => Ok(lang),
                Err(e) => Err((raw, e)),
            },
        };
        let mut props = Vec::new();
        let mut notes = Vec::new();
        let mut segment = None;
        loop {
            let ev = self.next_ev().map_err(|e| self.in_unit(tuid, e))?;
            match ev {
                Ev::Text => self
                    .only_whitespace("in <tuv>")
                    .map_err(|e| self.in_unit(tuid, e))?,
                Ev::End(El::Tuv) => break,
                Ev::Start(El::Note) | Ev::Empty(El::Note) => {
                    let empty = matches!(ev, Ev::Empty(_));
                    notes.push(self.read_note(empty).map_err(|e| self.in_unit(tuid, e))?);
                }
                Ev::Start(El::Prop) | Ev::Empty(El::Prop) => {
                    let empty = matches!(ev, Ev::Empty(_));
                    props.push(self.read_prop(empty).map_err(|e| self.in_unit(tuid, e))?);
                }
                Ev::Start(El::Seg) | Ev::Empty(El::Seg) => {
                    if segment.is_some() {
                        return Err(self.unit_error(tuid, "<tuv> has more than one <seg>"));
                    }
                    let content = if matches!(ev, Ev::Empty(_)) {
                        Vec::new()
                    } else {
                        self.read_inline(&El::Seg, 0).map_err(|e| self.in_unit(tuid, e))?
                    };
                    segment = Some(Segment { content });
                }
                Ev::Start(el) | Ev::Empty(el) => {
                    return Err(self.unit_error(tuid, format!("<{}> is not allowed in <tuv>", el.name())));
                }
                Ev::End(_) | Ev::Eof => return Err(self.unit_error(tuid, "<tuv> is not closed")),
            }
        }
        let Some(segment) = segment else {
            self.event_start = at;
            return Err(self.unit_error(tuid, "<tuv> has no <seg>"));
        };
        match lang {
            Ok(lang) => Ok(Some(Variant {
                lang,
                attrs,
                props,
                notes,
                segment,
            })),
            Err((raw, e)) => {
                if self.options.lenient {
                    let record = self.record_name(tuid);
                    self.warn(
                        WarningKind::InvalidLanguage,
                        at,
                        Some(record),
                        format!("variant dropped: {e}"),
                    );
                    Ok(None)
                } else {
                    self.event_start = at;
                    Err(self.unit_error(tuid, format!("invalid language tag {raw:?} on <tuv>: {e}")))
                }
            }
        }
    }

    /// Reads mixed content up to the end of `parent`.
    fn read_inline(&mut self, parent: &El, depth: usize) -> Result<Vec<Inline>> {
        if depth > MAX_INLINE_DEPTH {
            return Err(self.parse_error(format!(
                "inline elements nest deeper than {MAX_INLINE_DEPTH} levels"
            )));
        }
        // Native code (bpt ept it ph ut) holds text and <sub>; the others hold tags too.
        let code = matches!(parent, El::Inline(k) if *k != TagKind::Hi);
        let mut content = Vec::new();
        self.text.clear();
        loop {
            let ev = self.next_ev()?;
            if !matches!(ev, Ev::Text) && !self.text.is_empty() {
                // A copy of exactly the right size; the scratch keeps its capacity.
                content.push(Inline::Text(self.text.as_str().to_owned()));
                self.text.clear();
            }
            match ev {
                Ev::Text => {}
                Ev::End(el) if el == *parent => return Ok(content),
                Ev::Start(El::Sub) | Ev::Empty(El::Sub) => {
                    let mut sub = self.take_sub();
                    if matches!(ev, Ev::Start(_)) {
                        sub.content = self.read_inline(&El::Sub, depth + 1)?;
                    }
                    content.push(Inline::Sub(sub));
                }
                Ev::Start(El::Inline(kind)) | Ev::Empty(El::Inline(kind)) if !code => {
                    let mut tag = self.take_inline_tag(kind);
                    if matches!(ev, Ev::Start(_)) {
                        tag.content = self.read_inline(&El::Inline(kind), depth + 1)?;
                    }
                    content.push(Inline::Tag(tag));
                }
                Ev::Start(el) | Ev::Empty(el) => {
                    return Err(self.parse_error(format!(
                        "<{}> is not allowed in <{}>",
                        el.name(),
                        parent.name()
                    )));
                }
                Ev::End(_) | Ev::Eof => {
                    return Err(self.parse_error(format!("<{}> is not closed", parent.name())));
                }
            }
        }
    }

    /// The warnings a complete unit can raise.
    fn check_unit(&mut self, unit: &TranslationUnit, at: u64) {
        let tuid = unit.tuid.as_deref();
        // Several variants in one language.
        for (n, v) in unit.variants.iter().enumerate() {
            // Warn once per language: at its second variant.
            if unit.variants[..n].iter().filter(|w| w.lang == v.lang).count() == 1 {
                self.warn(
                    WarningKind::DuplicateLanguage,
                    at,
                    Some(self.record_name(tuid)),
                    format!("several variants in {}", v.lang),
                );
            }
        }
        // No variant in the source language (the header's is borrowed, not
        // cloned: this runs for every unit).
        let parsed;
        let src = match unit.srclang.as_deref() {
            Some(s) if s.eq_ignore_ascii_case("*all*") => None,
            Some(s) => match self.lang(s) {
                Ok(l) => {
                    parsed = l;
                    Some(&parsed)
                }
                Err(_) => {
                    self.warn(
                        WarningKind::InvalidLanguage,
                        at,
                        Some(self.record_name(tuid)),
                        format!("srclang {s:?} is not a language tag"),
                    );
                    None
                }
            },
            None => self.header_srclang.as_ref(),
        };
        let memo = &mut self.match_memo;
        let missing = src
            .filter(|src| !unit.variants.iter().any(|v| memo_matches(memo, &v.lang, src)))
            .map(Lang::to_string);
        if let Some(src) = missing {
            self.warn(
                WarningKind::NoSourceVariant,
                at,
                Some(self.record_name(tuid)),
                format!("no variant in the source language {src}"),
            );
        }
        // Unpaired bpt/ept, per flow (a <sub> is a flow of its own).
        for v in &unit.variants {
            if !v
                .segment
                .content
                .iter()
                .any(|i| matches!(i, Inline::Tag(_) | Inline::Sub(_)))
            {
                continue; // Plain text: nothing to pair (and nothing to allocate).
            }
            let mut problems = Vec::new();
            check_pairs(&v.segment.content, &mut self.pairs, &mut problems);
            for p in problems {
                self.warn(
                    WarningKind::UnpairedTag,
                    at,
                    Some(self.record_name(tuid)),
                    format!("{} variant: {p}", v.lang),
                );
            }
        }
    }

    /// Skips to the end of the unit being read (lenient mode).
    fn skip_unit(&mut self, depth: usize) -> Result<()> {
        self.text.clear();
        while self.stack.len() >= depth {
            let before = self.stream_offset();
            match self.next_ev() {
                Ok(Ev::Eof) => return Err(self.parse_error("unexpected end of file inside <tu>")),
                Ok(_) => self.text.clear(),
                Err(e) => {
                    // An error that consumed nothing would repeat for ever.
                    if self.fatal || self.stream_offset() == before {
                        self.fatal = true;
                        return Err(e);
                    }
                    // Otherwise (a mismatched end tag, a bad reference) the
                    // event is behind us and the stack kept in step.
                    self.text.clear();
                }
            }
        }
        Ok(())
    }

    fn next_unit(&mut self) -> Option<Result<TranslationUnit>> {
        loop {
            if self.done {
                return None;
            }
            let try_fast = self.fast_misses < 8 || self.unit_index.is_multiple_of(64);
            if self.fast
                && try_fast
                && self.boundary
                && self.stack.last() == Some(&El::Body)
                && let Some(unit) = self.fast_unit()
            {
                return Some(Ok(unit));
            }
            let ev = match self.next_ev() {
                Ok(ev) => ev,
                Err(e) => return Some(self.fail(e)),
            };
            match ev {
                Ev::Text => {
                    if let Err(e) = self.only_whitespace("in <body>") {
                        if self.options.lenient && !self.fatal {
                            self.warn(WarningKind::SkippedContent, self.event_start, None, e.to_string());
                            continue;
                        }
                        return Some(self.fail(e));
                    }
                }
                Ev::Start(El::Tu) | Ev::Empty(El::Tu) => {
                    self.unit_index += 1;
                    let depth = self.stack.len();
                    let empty = matches!(ev, Ev::Empty(_));
                    match self.read_unit(empty) {
                        Ok(unit) => return Some(Ok(unit)),
                        Err(UnitFailure(e)) => {
                            if !self.options.lenient || self.fatal {
                                return Some(self.fail(e));
                            }
                            let at = self.event_start;
                            self.warn(WarningKind::SkippedUnit, at, None, e.to_string());
                            if !empty && let Err(e) = self.skip_unit(depth) {
                                return Some(self.fail(e));
                            }
                        }
                    }
                }
                Ev::End(El::Body) => {
                    self.done = true;
                    if let Err(e) = self.read_epilogue() {
                        return Some(self.fail(e));
                    }
                    return None;
                }
                Ev::Start(el) | Ev::Empty(el) => {
                    let e = self.parse_error(format!("<{}> is not allowed in <body>", el.name()));
                    return Some(self.fail(e));
                }
                Ev::End(_) | Ev::Eof => {
                    let e = self.parse_error("<body> is not closed");
                    return Some(self.fail(e));
                }
            }
        }
    }

    fn fail(&mut self, e: Error) -> Result<TranslationUnit> {
        self.done = true;
        Err(e)
    }
}

impl<R: BufRead> Iterator for TmxReader<R> {
    type Item = Result<TranslationUnit>;

    /// Reads the next unit. After an error in strict mode, or a fatal one in
    /// lenient mode, the iterator ends.
    fn next(&mut self) -> Option<Result<TranslationUnit>> {
        self.next_unit()
    }
}

impl<R: BufRead> std::iter::FusedIterator for TmxReader<R> {}

/// The decoded values of the attributes TMX knows on one tag, end to end in
/// one buffer (values nobody keeps cost no allocation). Emptied in O(1):
/// only the attributes marked present are read.
#[derive(Default)]
struct AttrSlots {
    /// Bit `Attr as usize` is set when that attribute is present.
    present: u32,
    /// Where each present attribute's value is in `text`.
    spans: [(u32, u32); ATTR_COUNT],
    text: String,
}

impl AttrSlots {
    /// The bits of the attributes [`Attributes`] holds.
    const SHARED: u32 = AttrSlots::bits(&[
        Attr::OEncoding,
        Attr::Datatype,
        Attr::UsageCount,
        Attr::LastUsageDate,
        Attr::CreationTool,
        Attr::CreationToolVersion,
        Attr::CreationDate,
        Attr::CreationId,
        Attr::ChangeDate,
        Attr::ChangeId,
        Attr::OTmf,
    ]);

    /// The bits of the date attributes [`Attributes`] holds.
    const DATES: u32 = AttrSlots::bits(&[Attr::LastUsageDate, Attr::CreationDate, Attr::ChangeDate]);

    /// The bits of `attrs`.
    const fn bits(attrs: &[Attr]) -> u32 {
        let mut bits = 0;
        let mut n = 0;
        while n < attrs.len() {
            bits |= 1 << attrs[n] as u32;
            n += 1;
        }
        bits
    }

    fn clear(&mut self) {
        self.present = 0;
        self.text.clear();
    }

    #[inline]
    fn get(&self, key: Attr) -> Option<&str> {
        if self.present & (1 << key as u32) == 0 {
            return None;
        }
        let (from, to) = self.spans[key as usize];
        self.text.get(from as usize..to as usize)
    }

    #[inline]
    fn has(&self, key: Attr) -> bool {
        self.present & (1 << key as u32) != 0
    }

    /// Records that `key`'s value is what was pushed to `text` since
    /// `from`.
    #[inline]
    fn set(&mut self, key: Attr, from: usize) {
        self.present |= 1 << key as u32;
        // A tag's attribute text is far below 4 GiB: tokens are capped at 64 MiB.
        self.spans[key as usize] = (from as u32, self.text.len() as u32);
    }
}

/// Decodes the attributes TMX knows into `slots`; others are ignored.
fn read_attrs(slots: &mut AttrSlots, start: &BytesStart<'_>) -> std::result::Result<(), String> {
    slots.clear();
    // quick-xml's duplicate check allocates per element; the slots do it for
    // the attributes that matter.
    for attr in start.attributes().with_checks(false) {
        let attr = attr.map_err(|e| format!("malformed attribute: {e}"))?;
        let Some(key) = Attr::of(attr.key.as_ref()) else {
            continue;
        };
        if slots.has(key) {
            return Err(format!(
                "duplicate attribute {}",
                String::from_utf8_lossy(attr.key.as_ref())
            ));
        }
        let from = slots.text.len();
        push_attr_value(&mut slots.text, &attr.value)
            .map_err(|m| format!("attribute {}: {m}", String::from_utf8_lossy(attr.key.as_ref())))?;
        slots.set(key, from);
    }
    Ok(())
}

/// `lang.matches(src)`, remembered: it looks at subtags, and a file uses a
/// handful of languages, so the answer for each pair is computed once.
fn memo_matches(memo: &mut Vec<(Lang, Lang, bool)>, lang: &Lang, src: &Lang) -> bool {
    if let Some(&(_, _, m)) = memo.iter().find(|(l, s, _)| l == lang && s == src) {
        return m;
    }
    let m = lang.matches(src);
    if memo.len() < LANG_CACHE {
        memo.push((lang.clone(), src.clone(), m));
    }
    m
}

/// Scratch for [`check_pairs`]: the `i` values of the open `<bpt>`s and
/// of the stray `<ept>`s of the flows being checked, copied into one
/// buffer, so that checking a unit allocates nothing once these have grown.
#[derive(Default)]
struct PairScratch {
    ids: String,
    /// Spans in `ids`.
    open: Vec<(usize, usize)>,
    closed: Vec<(usize, usize)>,
}

impl PairScratch {
    fn push_id(&mut self, i: &str) -> (usize, usize) {
        let from = self.ids.len();
        self.ids.push_str(i);
        (from, self.ids.len())
    }
}

/// Finds `bpt` without `ept` (and the reverse) in one flow: an `<ept>`
/// closes the first open `<bpt>` with its `i`. Problems are added in
/// order: those of nested flows (`<sub>`) as they are met, then the flow's
/// open `<bpt>`s, then its stray `<ept>`s.
fn check_pairs(content: &[Inline], scratch: &mut PairScratch, problems: &mut Vec<String>) {
    let (ids, open, closed) = (scratch.ids.len(), scratch.open.len(), scratch.closed.len());
    fn walk(items: &[Inline], s: &mut PairScratch, open: usize, problems: &mut Vec<String>) {
        for item in items {
            match item {
                Inline::Tag(t) => match t.kind {
                    TagKind::Bpt => {
                        let span = s.push_id(t.i.as_deref().unwrap_or(""));
                        s.open.push(span);
                    }
                    TagKind::Ept => {
                        let i = t.i.as_deref().unwrap_or("");
                        let ids = &s.ids;
                        match s.open[open..].iter().position(|&(a, b)| &ids[a..b] == i) {
                            Some(n) => {
                                s.open.remove(open + n);
                            }
                            None => {
                                let span = s.push_id(i);
                                s.closed.push(span);
                            }
                        }
                    }
                    TagKind::Hi => walk(&t.content, s, open, problems),
                    _ => {
                        for inner in &t.content {
                            if let Inline::Sub(sub) = inner {
                                check_pairs(&sub.content, s, problems);
                            }
                        }
                    }
                },
                Inline::Sub(sub) => check_pairs(&sub.content, s, problems),
                Inline::Text(_) => {}
            }
        }
    }
    walk(content, scratch, open, problems);
    for &(a, b) in &scratch.open[open..] {
        problems.push(format!(
            "<bpt i=\"{}\"> has no matching <ept>",
            &scratch.ids[a..b]
        ));
    }
    for &(a, b) in &scratch.closed[closed..] {
        problems.push(format!(
            "<ept i=\"{}\"> has no matching <bpt>",
            &scratch.ids[a..b]
        ));
    }
    scratch.ids.truncate(ids);
    scratch.open.truncate(open);
    scratch.closed.truncate(closed);
}

/// Checks and appends character data, with XML's line-end normalisation
/// (which applies to CDATA sections too: it happens before parsing).
fn push_text(out: &mut String, raw: &[u8]) -> std::result::Result<(), String> {
    let text = std::str::from_utf8(raw).map_err(|e| {
        format!(
            "invalid UTF-8 in text (byte {:#04x})",
            raw.get(e.valid_up_to()).copied().unwrap_or(0)
        )
    })?;
    check_chars(text)?;
    if memchr::memchr(b'\r', raw).is_none() {
        out.push_str(text);
    } else {
        push_normalized_eols(out, text);
    }
    Ok(())
}

/// `\r\n` and a lone `\r` become `\n`, as XML requires.
fn push_normalized_eols(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(i) = rest.find('\r') {
        out.push_str(&rest[..i]);
        out.push('\n');
        rest = &rest[i + 1..];
        if let Some(r) = rest.strip_prefix('\n') {
            rest = r;
        }
    }
    out.push_str(rest);
}

/// Refuses characters XML 1.0 does not allow: C0 controls other than tab,
/// line feed and carriage return, and U+FFFE/U+FFFF.
fn check_chars(text: &str) -> std::result::Result<(), String> {
    match first_non_xml_char(text) {
        Some(c) => Err(format!(
            "character U+{:04X} is not allowed in XML 1.0",
            u32::from(c)
        )),
        None => Ok(()),
    }
}

/// Resolves `&name;` (the five predefined entities and character references).
fn resolve_ref(name: &[u8]) -> std::result::Result<char, String> {
    Ok(match name {
        b"lt" => '<',
        b"gt" => '>',
        b"amp" => '&',
        b"apos" => '\'',
        b"quot" => '"',
        _ => {
            let shown = String::from_utf8_lossy(name);
            let Some(num) = name.strip_prefix(b"#") else {
                return Err(format!(
                    "undefined entity &{shown}; (only the five XML entities and character references are read)"
                ));
            };
            let value = match num.strip_prefix(b"x") {
                Some(hex) => std::str::from_utf8(hex)
                    .ok()
                    .filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit()))
                    .and_then(|h| u32::from_str_radix(h, 16).ok()),
                None => std::str::from_utf8(num)
                    .ok()
                    .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
                    .and_then(|d| d.parse::<u32>().ok()),
            };
            match value.and_then(char::from_u32) {
                Some(c) if is_xml_char(c) => c,
                Some(c) => {
                    return Err(format!(
                        "character reference &{shown}; names U+{:04X}, which XML 1.0 does not allow",
                        u32::from(c)
                    ));
                }
                None => return Err(format!("invalid character reference &{shown};")),
            }
        }
    })
}

/// Decodes an attribute value: references resolved, and tab, line feed and
/// carriage return (literal ones, not references) turned into spaces as XML's
/// attribute-value normalisation requires.
fn push_attr_value(out: &mut String, raw: &[u8]) -> std::result::Result<(), String> {
    let text = std::str::from_utf8(raw).map_err(|_| "invalid UTF-8".to_string())?;
    check_chars(text)?;
    if memchr::memchr(b'<', raw).is_some() {
        return Err("'<' is not allowed in an attribute value".into());
    }
    if !raw.iter().any(|&b| matches!(b, b'&' | b'\t' | b'\n' | b'\r')) {
        out.push_str(text);
        return Ok(());
    }
    let mut rest = text;
    while !rest.is_empty() {
        let stop = rest.find(['&', '\t', '\n', '\r']).unwrap_or(rest.len());
        out.push_str(&rest[..stop]);
        rest = &rest[stop..];
        let Some(c) = rest.chars().next() else { break };
        match c {
            '&' => {
                let end = rest.find(';').ok_or_else(|| "'&' without ';'".to_string())?;
                out.push(resolve_ref(&rest.as_bytes()[1..end])?);
                rest = &rest[end + 1..];
            }
            '\r' => {
                out.push(' ');
                rest = rest.strip_prefix("\r\n").unwrap_or(&rest[1..]);
            }
            _ => {
                out.push(' ');
                rest = &rest[1..];
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = r#"<header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="en" datatype="plaintext"/>"#;

    fn doc(body: &str) -> String {
        format!("<?xml version=\"1.0\"?>\n<tmx version=\"1.4\">\n{HEADER}\n<body>\n{body}\n</body>\n</tmx>\n")
    }

    fn read(text: &str) -> Result<Vec<TranslationUnit>> {
        TmxReader::new(text.as_bytes())?.collect()
    }

    fn seg_text(unit: &TranslationUnit, n: usize) -> String {
        unit.variants[n].segment.text_only()
    }

    #[test]
    fn reads_header_and_units() {
        let units = read(&doc(
            r#"<tu tuid="a" usagecount="3"><prop type="x-context">ctx</prop><note>n</note>
                 <tuv xml:lang="en"><seg>Hello</seg></tuv><tuv lang="TR-tr"><seg>Merhaba</seg></tuv></tu>"#,
        ))
        .unwrap();
        assert_eq!(units.len(), 1);
        let u = &units[0];
        assert_eq!(u.tuid.as_deref(), Some("a"));
        assert_eq!(u.attrs.usage_count.as_deref(), Some("3"));
        assert_eq!(u.prop("x-context"), Some("ctx"));
        assert_eq!(u.notes[0].text, "n");
        assert_eq!(u.variants[1].lang.as_str(), "tr-TR");
        assert_eq!(seg_text(u, 1), "Merhaba");
    }

    #[test]
    fn segment_text_is_kept_exactly() {
        let units = read(&doc(
            "<tu><tuv xml:lang=\"en\"><seg>  two  spaces\tand\r\nlines \n</seg></tuv></tu>",
        ))
        .unwrap();
        assert_eq!(seg_text(&units[0], 0), "  two  spaces\tand\nlines \n");
    }

    #[test]
    fn references_cdata_comments_and_pis() {
        let units = read(&doc(
            "<tu><tuv xml:lang=\"az\"><seg>&#x259;&#601;&lt;&amp;<![CDATA[<b>&x;]]>a<!-- c -->b<?pi x?>&#x1F600;</seg></tuv></tu>",
        ))
        .unwrap();
        assert_eq!(
            units[0].variants[0].segment.content,
            vec![Inline::Text("əə<&<b>&x;ab😀".into())]
        );
    }

    #[test]
    fn entity_declarations_are_refused() {
        let text = "<?xml version=\"1.0\"?><!DOCTYPE tmx [<!ENTITY lol \"lol\">]><tmx version=\"1.4\"></tmx>";
        let err = TmxReader::new(text.as_bytes()).err().unwrap();
        assert!(
            err.to_string().contains("entity declarations are refused"),
            "{err}"
        );
        let err = read(&doc("<tu><tuv xml:lang=\"en\"><seg>&lol;</seg></tuv></tu>")).unwrap_err();
        assert!(err.to_string().contains("undefined entity &lol;"), "{err}");
    }

    #[test]
    fn doctype_is_accepted() {
        let text = format!(
            "<!DOCTYPE tmx SYSTEM \"http://example.invalid/tmx14.dtd\">{}",
            doc("")
        );
        let text = text.replacen("<?xml version=\"1.0\"?>\n", "", 1);
        assert_eq!(read(&text).unwrap().len(), 0);
    }

    #[test]
    fn errors_name_line_column_and_unit() {
        let text = doc(
            "<tu tuid=\"u1\"><tuv xml:lang=\"en\"><seg>a</seg></tuv></tu>\n<tu tuid=\"u2\">\n  <tuv xml:lang=\"en\"><seg>b<bold/></seg></tuv></tu>",
        );
        let mut reader = TmxReader::new(text.as_bytes()).unwrap();
        assert!(reader.next().unwrap().is_ok());
        let err = reader.next().unwrap().unwrap_err();
        assert_eq!(
            err.to_string(),
            "<input>:7:28: unit 2 (tuid \"u2\"): <bold> is not allowed in <seg>"
        );
        assert!(reader.next().is_none());
    }

    #[test]
    fn mismatched_end_tag_is_reported_where_it_is() {
        let err = read(&doc("<tu><tuv xml:lang=\"en\"><seg>a<hi>b</seg></hi></tuv></tu>")).unwrap_err();
        assert!(
            err.to_string()
                .contains(":5:35: unit 1: expected </hi>, found </seg>"),
            "{err}"
        );
    }

    #[test]
    fn lenient_mode_skips_broken_units() {
        let text = doc(concat!(
            "<tu tuid=\"1\"><tuv xml:lang=\"en\"><seg>one</seg></tuv></tu>\n",
            "<tu tuid=\"2\"><tuv xml:lang=\"en\"><seg>a &bogus; b</seg></tuv></tu>\n",
            "<tu tuid=\"3\"><tuv xml:lang=\"en\"><seg>x<hi>y</seg></hi></tuv></tu>\n",
            "<tu tuid=\"4\"><tuv xml:lang=\"not a tag!\"><seg>z</seg></tuv><tuv xml:lang=\"en\"><seg>four</seg></tuv></tu>\n",
            "<tu tuid=\"5\"><tuv xml:lang=\"en\"><seg>five</seg></tuv></tu>\n",
        ));
        assert!(read(&text).is_err());
        let mut reader = TmxReader::new(text.as_bytes()).unwrap().lenient(true);
        let units: Vec<_> = reader.by_ref().collect::<Result<_>>().unwrap();
        let ids: Vec<_> = units.iter().map(|u| u.tuid.clone().unwrap()).collect();
        assert_eq!(ids, ["1", "4", "5"]);
        assert_eq!(units[1].variants.len(), 1);
        let kinds: Vec<_> = reader.warnings().iter().map(|w| w.kind).collect();
        assert_eq!(
            kinds,
            [
                WarningKind::SkippedUnit,
                WarningKind::SkippedUnit,
                WarningKind::InvalidLanguage
            ]
        );
        assert!(reader.warnings()[0].message.contains("&bogus;"));
        assert_eq!(reader.units_seen(), 5);
    }

    #[test]
    fn strict_mode_refuses_an_invalid_language() {
        let err = read(&doc(
            "<tu><tuv xml:lang=\"english language\"><seg>z</seg></tuv></tu>",
        ))
        .unwrap_err();
        assert!(
            err.to_string()
                .contains("invalid language tag \"english language\""),
            "{err}"
        );
    }

    #[test]
    fn warnings_for_suspicious_units() {
        let text = doc(concat!(
            "<tu creationdate=\"yesterday\"><tuv xml:lang=\"fr\"><seg><bpt i=\"1\">&lt;b></bpt>x</seg></tuv>",
            "<tuv xml:lang=\"fr\"><seg>y<ept i=\"2\">&lt;/b></ept></seg></tuv></tu>",
        ));
        let mut reader = TmxReader::new(text.as_bytes()).unwrap();
        let units: Vec<_> = reader.by_ref().collect::<Result<_>>().unwrap();
        assert_eq!(
            units[0].attrs.creation_date,
            Some(TmxDate::Invalid("yesterday".into()))
        );
        let kinds: Vec<_> = reader.warnings().iter().map(|w| w.kind).collect();
        assert_eq!(
            kinds,
            [
                WarningKind::InvalidDate,
                WarningKind::DuplicateLanguage,
                WarningKind::NoSourceVariant,
                WarningKind::UnpairedTag,
                WarningKind::UnpairedTag,
            ]
        );
        assert_eq!(
            reader.warnings()[3].to_string(),
            "<input>:5:1: unit 1: fr variant: <bpt i=\"1\"> has no matching <ept>"
        );
        assert_eq!(reader.drain_warnings().len(), 5);
        assert!(reader.warnings().is_empty());
    }

    #[test]
    fn inline_structure_is_kept() {
        let units = read(&doc(concat!(
            "<tu><tuv xml:lang=\"en\"><seg>a<bpt i=\"1\" x=\"1\" type=\"link\">&lt;a href=\"<sub type=\"x-href\">t<ph/></sub>\"></bpt>",
            "<hi type=\"em\">b<it pos=\"begin\">&lt;i></it></hi><ut>{\\b}</ut><ept i=\"1\">&lt;/a></ept><ph assoc=\"p\"/></seg></tuv></tu>",
        )))
        .unwrap();
        let content = &units[0].variants[0].segment.content;
        assert_eq!(content.len(), 6);
        let Inline::Tag(bpt) = &content[1] else { panic!() };
        assert_eq!(
            (bpt.kind, bpt.i.as_deref(), bpt.tag_type.as_deref()),
            (TagKind::Bpt, Some("1"), Some("link"))
        );
        let Inline::Sub(sub) = &bpt.content[1] else {
            panic!("{:?}", bpt.content)
        };
        assert_eq!(sub.sub_type.as_deref(), Some("x-href"));
        assert!(matches!(&sub.content[1], Inline::Tag(t) if t.kind == TagKind::Ph));
        let Inline::Tag(hi) = &content[2] else { panic!() };
        assert_eq!(hi.kind, TagKind::Hi);
        assert!(matches!(&hi.content[1], Inline::Tag(t) if t.pos.as_deref() == Some("begin")));
        assert!(matches!(&content[5], Inline::Tag(t) if t.assoc.as_deref() == Some("p")));
        assert_eq!(
            units[0].variants[0].segment.plain_text(),
            "a\u{E000}\u{E001}b\u{E002}\u{E003}\u{E004}\u{E005}\u{E006}"
        );
    }

    #[test]
    fn code_elements_hold_only_text_and_sub() {
        let err = read(&doc(
            "<tu><tuv xml:lang=\"en\"><seg><bpt i=\"1\"><ph/></bpt></seg></tuv></tu>",
        ))
        .unwrap_err();
        assert!(err.to_string().contains("<ph> is not allowed in <bpt>"), "{err}");
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let body = format!(
            "<tu><tuv xml:lang=\"en\"><seg>{}x{}</seg></tuv></tu>",
            "<hi>".repeat(10_000),
            "</hi>".repeat(10_000)
        );
        let err = read(&doc(&body)).unwrap_err();
        assert!(err.to_string().contains("nest deeper"), "{err}");
    }

    #[test]
    fn not_tmx_and_truncated_files() {
        let err = TmxReader::new("<xliff/>".as_bytes()).err().unwrap();
        assert!(err.to_string().contains("root element is <xliff>"), "{err}");
        let text = doc("<tu><tuv xml:lang=\"en\"><seg>a</seg></tuv></tu>");
        let cut = &text[..text.rfind("</body>").unwrap()];
        let results: Vec<_> = TmxReader::new(cut.as_bytes()).unwrap().collect();
        assert!(results[0].is_ok());
        assert!(
            results[1]
                .as_ref()
                .unwrap_err()
                .to_string()
                .contains("not closed"),
            "{results:?}"
        );
        let err = TmxReader::new("<tmx version=\"2.0\"></tmx>".as_bytes())
            .err()
            .unwrap();
        assert!(err.to_string().contains("not supported"), "{err}");
    }

    #[test]
    fn invalid_characters_are_refused() {
        let err = read(&doc("<tu><tuv xml:lang=\"en\"><seg>a&#x1;</seg></tuv></tu>")).unwrap_err();
        assert!(err.to_string().contains("U+0001"), "{err}");
        let err = read(&doc("<tu><tuv xml:lang=\"en\"><seg>a\u{2}</seg></tuv></tu>")).unwrap_err();
        assert!(err.to_string().contains("U+0002"), "{err}");
    }

    #[test]
    fn attribute_values_are_normalised() {
        let units = read(&doc(
            "<tu tuid=\"a&#x9;b\tc\r\nd&amp;&quot;\"><tuv xml:lang=\"en\"><seg>x</seg></tuv></tu>",
        ))
        .unwrap();
        assert_eq!(units[0].tuid.as_deref(), Some("a\tb c d&\""));
    }

    #[test]
    fn utf16_input_with_positions() {
        let text = doc(
            "<tu><tuv xml:lang=\"tr\"><seg>Iğdır</seg></tuv></tu>\n<tu><tuv xml:lang=\"tr\"><seg>&nope;</seg></tuv></tu>",
        );
        let mut bytes = vec![0xFF, 0xFE];
        for u in text
            .replace(
                "<?xml version=\"1.0\"?>",
                "<?xml version=\"1.0\" encoding=\"UTF-16\"?>",
            )
            .encode_utf16()
        {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let mut reader = TmxReader::new(&bytes[..]).unwrap();
        assert_eq!(reader.encoding(), "UTF-16LE");
        assert_eq!(
            reader.next().unwrap().unwrap().variants[0].segment.text_only(),
            "Iğdır"
        );
        let err = reader.next().unwrap().unwrap_err();
        assert!(err.to_string().starts_with("<input>:6:29: unit 2"), "{err}");
    }
}

#[cfg(test)]
mod more_tests {
    use super::*;

    #[test]
    fn duplicate_attributes_are_refused() {
        let text = "<tmx version=\"1.4\"><header/><body><tu tuid=\"a\" tuid=\"b\"><tuv xml:lang=\"en\"><seg>x</seg></tuv></tu></body></tmx>";
        let err = TmxReader::new(text.as_bytes())
            .unwrap()
            .next()
            .unwrap()
            .unwrap_err();
        assert!(err.to_string().contains("duplicate attribute tuid"), "{err}");
    }

    #[test]
    fn pairs_are_checked_per_flow_in_order() {
        let tag = |kind, i: &str, content| {
            let mut t = InlineTag::new(kind);
            t.i = Some(i.to_string());
            t.content = content;
            Inline::Tag(t)
        };
        let sub = |content| {
            Inline::Sub(Sub {
                datatype: None,
                sub_type: None,
                content,
            })
        };
        let content = vec![
            tag(TagKind::Bpt, "1", vec![]),
            tag(TagKind::Bpt, "1", vec![]),
            tag(TagKind::Ept, "2", vec![]),
            tag(
                TagKind::Ph,
                "",
                vec![sub(vec![
                    tag(TagKind::Ept, "3", vec![]),
                    tag(TagKind::Bpt, "1", vec![]),
                ])],
            ),
            tag(TagKind::Hi, "", vec![tag(TagKind::Ept, "1", vec![])]),
            tag(TagKind::Ept, "1", vec![]),
            tag(TagKind::Ept, "1", vec![]),
        ];
        let mut scratch = PairScratch::default();
        let mut problems = Vec::new();
        check_pairs(&content, &mut scratch, &mut problems);
        assert_eq!(
            problems,
            [
                "<bpt i=\"1\"> has no matching <ept>",
                "<ept i=\"3\"> has no matching <bpt>",
                "<ept i=\"2\"> has no matching <bpt>",
                "<ept i=\"1\"> has no matching <bpt>",
            ]
        );
        assert!(scratch.ids.is_empty() && scratch.open.is_empty() && scratch.closed.is_empty());
        problems.clear();
        check_pairs(&content[..2], &mut scratch, &mut problems);
        assert_eq!(problems.len(), 2);
    }

    #[test]
    fn lenient_recovery_stays_local_and_ends() {
        let text = concat!(
            "<tmx version=\"1.4\"><header/><body>",
            "<tu tuid=\"1\"><tuv xml:lang=\"en\"><seg>a</seg></tu>",
            "<tu tuid=\"2\"><tuv xml:lang=\"en\"><seg>b</seg></tuv></tu>",
            "<tu tuid=\"3\"><tuv xml:lang=\"en\"><seg>c"
        );
        let mut reader = TmxReader::new(text.as_bytes()).unwrap().lenient(true);
        let first = reader.next().unwrap().unwrap();
        assert_eq!(first.tuid.as_deref(), Some("2"));
        assert!(
            reader.warnings()[0]
                .message
                .contains("expected </tuv>, found </tu>")
        );
        // The truncated end is fatal even in lenient mode, and the iterator ends.
        assert!(reader.next().unwrap().is_err());
        assert!(reader.next().is_none());
    }

    #[test]
    fn error_positions_are_right_deep_into_a_big_file() {
        let unit = "<tu><tuv xml:lang=\"az\"><seg>Şuşa &amp; Xankəndi</seg></tuv></tu>\n";
        let mut text = String::from("<tmx version=\"1.4\"><header/><body>\n");
        text.push_str(&unit.repeat(40_000)); // about 2.8 MB, past several folds
        text.push_str("<tu><tuv xml:lang=\"az\"><seg>ə &bad; ə</seg></tuv></tu>\n</body></tmx>");
        let err = TmxReader::new(text.as_bytes())
            .unwrap()
            .find_map(Result::err)
            .unwrap();
        assert!(
            err.to_string().starts_with("<input>:40002:31: unit 40001"),
            "{err}"
        );
    }

    #[test]
    fn an_oversized_token_is_refused_not_buffered() {
        let huge = 65 * 1024 * 1024;
        let head = "<tmx version=\"1.4\"><header/><body>\n<tu><tuv xml:lang=\"en\"><seg>";
        let mut text = head.as_bytes().to_vec();
        text.resize(text.len() + huge, b'a');
        let err = TmxReader::new(&text[..]).unwrap().next().unwrap().unwrap_err();
        assert!(err.to_string().contains("longer than 64 MiB"), "{err}");
        assert!(err.to_string().starts_with("<input>:2:29"), "{err}");
    }
}
