//! The event source under every XLIFF operation: reads XML events in order,
//! keeps the exact bytes of each one, and hands out everything outside a unit
//! as raw bytes and each unit (`<trans-unit>` in 1.2, `<unit>` in 2.x) as a
//! buffer of events. Memory is bounded by the largest unit.

use std::io::{self, BufRead, Read};
use std::ops::Range;

use encoding_rs::Encoding;
use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;

use crate::error::{Error, Location, Result};
use crate::formats::transcode::{MAX_TOKEN, Utf8Input};

use super::Version;

/// The XLIFF 1.2 namespace (1.0 and 1.1 files are read with the same rules).
pub(crate) const NS_12: &[u8] = b"urn:oasis:names:tc:xliff:document:1.2";
/// The XLIFF 2.x core namespace (2.0, 2.1 and 2.2 share it).
pub(crate) const NS_20: &[u8] = b"urn:oasis:names:tc:xliff:document:2.0";

/// Pass-through bytes are handed out in chunks of about this size.
const CHUNK: usize = 64 * 1024;

/// A `BufRead` that keeps every byte its consumer consumed, so that each XML
/// event's exact text can be taken after the parser returns it.
pub(crate) struct Tap<R> {
    inner: R,
    taken: Vec<u8>,
}

impl<R: BufRead> Read for Tap<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = {
            let avail = self.inner.fill_buf()?;
            let n = avail.len().min(out.len());
            out[..n].copy_from_slice(&avail[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Tap<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if let Ok(buf) = self.inner.fill_buf() {
            let n = amt.min(buf.len());
            self.taken.extend_from_slice(&buf[..n]);
        }
        self.inner.consume(amt);
    }
}

/// How the input was encoded, so that output can be encoded the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct SourceEncoding {
    pub encoding: &'static Encoding,
    pub bom: bool,
}

/// What kind of event an [`Ev`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Start,
    End,
    Empty,
    /// Text, CDATA or a character/entity reference (its `text` is resolved).
    Text,
    /// Comment or processing instruction.
    Other,
}

/// One XML event inside a unit.
#[derive(Clone, Debug)]
pub(crate) struct Ev {
    pub kind: Kind,
    /// Local name (elements only).
    pub name: String,
    /// In the XLIFF core namespace of the file's version, or in none.
    pub core: bool,
    /// Depth below the unit element: the unit's own start and end are 0,
    /// its children 1, and text directly inside the unit 1.
    pub depth: usize,
    /// The event's bytes in [`UnitBuf::bytes`].
    pub raw: Range<usize>,
    /// Attributes (qualified name, unescaped value), for starts and empties.
    pub attrs: Vec<(String, String)>,
    /// Resolved text, for text events.
    pub text: String,
    /// For a start: the index of its end event (itself for an empty element).
    pub end: usize,
}

impl Ev {
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn is(&self, name: &str) -> bool {
        self.core && self.name == name && matches!(self.kind, Kind::Start | Kind::Empty)
    }
}

/// One unit's events and the context the file gives it.
#[derive(Clone, Debug)]
pub(crate) struct UnitBuf {
    pub bytes: Vec<u8>,
    pub events: Vec<Ev>,
    pub version: Version,
    pub src_lang: Option<String>,
    pub trg_lang: Option<String>,
    pub file_original: Option<String>,
    pub translate: bool,
    /// 2.x `canResegment`, inherited from `<file>`, `<group>` and the unit.
    pub can_resegment: bool,
    pub location: Location,
}

impl UnitBuf {
    pub(crate) fn raw(&self, i: usize) -> &str {
        // Every event was checked to be UTF-8 when it was read.
        std::str::from_utf8(&self.bytes[self.events[i].raw.clone()]).unwrap_or_default()
    }

    pub(crate) fn raw_span(&self, from: usize, to_incl: usize) -> &str {
        let r = self.events[from].raw.start..self.events[to_incl].raw.end;
        std::str::from_utf8(&self.bytes[r]).unwrap_or_default()
    }

    /// The qualified name of element event `i` as written (`source`, `xlf:source`).
    pub(crate) fn qname(&self, i: usize) -> &str {
        let raw = self.raw(i);
        let raw = raw
            .strip_prefix("</")
            .or_else(|| raw.strip_prefix('<'))
            .unwrap_or(raw);
        let end = raw
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(raw.len());
        &raw[..end]
    }

    /// The unit element's attribute.
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.events.first().and_then(|e| e.attr(name))
    }
}

/// What [`Engine::next_item`] hands out.
pub(crate) enum Item {
    /// Bytes outside any unit, exactly as read (UTF-8).
    Bytes(Vec<u8>),
    /// A whole unit.
    Unit(Box<UnitBuf>),
    /// The end of the document.
    End,
}

/// An element open outside units.
struct Open {
    name: String,
    translate: bool,
    can_resegment: bool,
}

/// The XLIFF event source.
pub(crate) struct Engine<R: BufRead> {
    xml: NsReader<Tap<Utf8Input<R>>>,
    buf: Vec<u8>,
    /// Decoded bytes drained from the tap so far.
    drained: u64,
    pub(crate) source_encoding: SourceEncoding,
    pub(crate) version: Option<Version>,
    src_lang: Option<String>,
    trg_lang: Option<String>,
    file_original: Option<String>,
    stack: Vec<Open>,
    unit: Option<Box<UnitBuf>>,
    parked: Option<Box<UnitBuf>>,
    /// A `<` consumed with the previous event that starts the next one.
    carry: bool,
    unit_stack: Vec<usize>,
    pending: Vec<u8>,
    seen_root: bool,
    finished: bool,
}

impl<R: BufRead> Engine<R> {
    pub(crate) fn new(input: R) -> Result<Engine<R>> {
        // The transcoder finds the encoding (BOM, UTF-16 without one, or the
        // XML declaration's) and counts lines and columns.
        let transcoder = Utf8Input::new(input)
            .map_err(|e| Error::Io {
                path: None,
                source: e,
            })?
            .track_positions(MAX_TOKEN);
        let source_encoding = SourceEncoding {
            encoding: transcoder.encoding(),
            bom: transcoder.has_bom(),
        };
        let mut xml = NsReader::from_reader(Tap {
            inner: transcoder,
            taken: Vec::new(),
        });
        let config = xml.config_mut();
        config.trim_text(false);
        config.expand_empty_elements = false;
        config.check_end_names = true;
        config.check_comments = true;
        Ok(Engine {
            xml,
            buf: Vec::with_capacity(8 * 1024),
            drained: 0,
            source_encoding,
            version: None,
            src_lang: None,
            trg_lang: None,
            file_original: None,
            stack: Vec::new(),
            unit: None,
            parked: None,
            carry: false,
            unit_stack: Vec::new(),
            pending: Vec::new(),
            seen_root: false,
            finished: false,
        })
    }

    /// The line and column of decoded byte `offset`, at or after the start
    /// of the event being read.
    fn location_at(&self, offset: u64) -> Location {
        self.xml.get_ref().inner.location(offset)
    }

    fn error_here(&self, message: impl Into<String>) -> Error {
        Error::parse(self.location_at(self.drained), message)
    }

    /// Takes the bytes of the event just read, advancing the line count.
    ///
    /// The parser consumes the `<` that ends a text run together with the
    /// text; that `<` belongs to the next event, so it is carried over.
    fn take_raw(&mut self) -> Vec<u8> {
        let taken = std::mem::take(&mut self.xml.get_mut().taken);
        self.drained += taken.len() as u64;
        let mut raw = if self.carry {
            let mut r = Vec::with_capacity(taken.len() + 1);
            r.push(b'<');
            r.extend_from_slice(&taken);
            r
        } else {
            taken
        };
        self.carry = raw.len() > 1 && raw.last() == Some(&b'<');
        if self.carry {
            raw.pop();
        }
        raw
    }

    /// The next piece of the document.
    pub(crate) fn next_item(&mut self) -> Result<Item> {
        loop {
            if let Some(u) = self.parked.take() {
                return Ok(Item::Unit(u));
            }
            if self.finished {
                if !self.pending.is_empty() {
                    return Ok(Item::Bytes(std::mem::take(&mut self.pending)));
                }
                return Ok(Item::End);
            }
            if self.unit.is_none() && self.pending.len() >= CHUNK {
                return Ok(Item::Bytes(std::mem::take(&mut self.pending)));
            }
            if let Some(done) = self.step()? {
                if !self.pending.is_empty() {
                    self.parked = Some(done);
                    return Ok(Item::Bytes(std::mem::take(&mut self.pending)));
                }
                return Ok(Item::Unit(done));
            }
            if self.unit.is_some() && !self.pending.is_empty() {
                // A unit started: the bytes before it go out first.
                return Ok(Item::Bytes(std::mem::take(&mut self.pending)));
            }
        }
    }

    /// Reads one event; returns a unit when its end was read.
    fn step(&mut self) -> Result<Option<Box<UnitBuf>>> {
        self.buf.clear();
        let start_offset = self.drained;
        // Positions before this event are no longer asked about.
        self.xml.get_mut().inner.checkpoint(start_offset);
        let (ns, event) = match self.xml.read_resolved_event_into(&mut self.buf) {
            Ok((ns, ev)) => (resolve(&ns), ev.into_owned()),
            Err(e) => {
                let at = self.xml.error_position().max(start_offset);
                if let quick_xml::Error::Io(io) = &e {
                    if io.kind() == io::ErrorKind::InvalidData {
                        return Err(Error::parse_with(
                            self.location_at(self.xml.buffer_position()),
                            io.to_string(),
                            std::sync::Arc::clone(io),
                        ));
                    }
                    return Err(Error::Io {
                        path: None,
                        source: io::Error::new(io.kind(), io.to_string()),
                    });
                }
                let mut loc = self.location_at(at);
                if self.carry && at == self.drained {
                    // The markup began at the `<` taken with the text before it.
                    loc.column = loc.column.saturating_sub(1).max(1);
                }
                return Err(Error::parse_with(loc, format!("malformed XML: {e}"), e));
            }
        };
        let mut at = self.location_at(start_offset);
        if self.carry {
            at.column = at.column.saturating_sub(1).max(1);
        }
        let carried = self.carry;
        let raw = self.take_raw();
        if let Err(e) = std::str::from_utf8(&raw) {
            let valid = e.valid_up_to();
            // `raw` may begin with the `<` carried from before `start_offset`.
            let offset = (start_offset + valid as u64).saturating_sub(u64::from(carried));
            let mut loc = self.location_at(offset.max(start_offset));
            if carried && valid == 0 {
                loc.column = loc.column.saturating_sub(1).max(1);
            }
            return Err(Error::parse_with(loc, "invalid UTF-8", e));
        }
        let ns_core = |version: Option<Version>| {
            matches!(
                (&ns, version),
                (Ns::None, _)
                    | (Ns::Core12, Some(Version::V1_2) | None)
                    | (Ns::Core20, Some(Version::V2) | None)
            )
        };
        match event {
            Event::Decl(_) => self.pass(raw, Kind::Other, None, at),
            Event::DocType(d) => {
                if memchr::memmem::find(&d, b"<!ENTITY").is_some() {
                    return Err(Error::parse(
                        at,
                        "entity declarations are refused (the DOCTYPE declares an entity)",
                    ));
                }
                self.pass(raw, Kind::Other, None, at)
            }
            Event::Comment(_) | Event::PI(_) => self.pass(raw, Kind::Other, None, at),
            Event::Text(t) => {
                let text = std::str::from_utf8(&t).unwrap_or_default();
                let text = quick_xml::escape::unescape(text)
                    .map_err(|e| Error::parse_with(at.clone(), format!("bad text: {e}"), e))?
                    .into_owned();
                self.pass_text(raw, text, at)
            }
            Event::CData(t) => {
                let text = String::from_utf8_lossy(&t).into_owned();
                self.pass_text(raw, text, at)
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => c,
                    Ok(None) => match &*r {
                        b"lt" => '<',
                        b"gt" => '>',
                        b"amp" => '&',
                        b"apos" => '\'',
                        b"quot" => '"',
                        other => {
                            return Err(Error::parse(
                                at,
                                format!("undefined entity &{};", String::from_utf8_lossy(other)),
                            ));
                        }
                    },
                    Err(e) => return Err(Error::parse_with(at, format!("bad character reference: {e}"), e)),
                };
                self.pass_text(raw, c.to_string(), at)
            }
            Event::Start(s) => {
                let core = ns_core(self.version);
                self.element(raw, &s, core, &ns, false, at)
            }
            Event::Empty(s) => {
                let core = ns_core(self.version);
                self.element(raw, &s, core, &ns, true, at)
            }
            Event::End(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if let Some(unit) = self.unit.as_mut() {
                    let start = self.unit_stack.pop().unwrap_or(0);
                    let depth = self.unit_stack.len();
                    let idx = unit.events.len();
                    let r = unit.bytes.len()..unit.bytes.len() + raw.len();
                    unit.bytes.extend_from_slice(&raw);
                    if let Some(s) = unit.events.get_mut(start) {
                        s.end = idx;
                    }
                    unit.events.push(Ev {
                        kind: Kind::End,
                        name,
                        core: ns_core(self.version),
                        depth,
                        raw: r,
                        attrs: Vec::new(),
                        text: String::new(),
                        end: idx,
                    });
                    if self.unit_stack.is_empty() {
                        return Ok(self.unit.take());
                    }
                    return Ok(None);
                }
                self.stack.pop();
                self.pending.extend_from_slice(&raw);
                Ok(None)
            }
            Event::Eof => {
                if let Some(open) = self.stack.last() {
                    return Err(
                        self.error_here(format!("unexpected end of file: <{}> is not closed", open.name))
                    );
                }
                if !self.seen_root {
                    return Err(self.error_here("not an XLIFF document: no root element"));
                }
                self.finished = true;
                Ok(None)
            }
        }
    }

    fn pass(
        &mut self,
        raw: Vec<u8>,
        kind: Kind,
        text: Option<String>,
        _at: Location,
    ) -> Result<Option<Box<UnitBuf>>> {
        if let Some(unit) = self.unit.as_mut() {
            let r = unit.bytes.len()..unit.bytes.len() + raw.len();
            unit.bytes.extend_from_slice(&raw);
            let idx = unit.events.len();
            unit.events.push(Ev {
                kind,
                name: String::new(),
                core: false,
                depth: self.unit_stack.len(),
                raw: r,
                attrs: Vec::new(),
                text: text.unwrap_or_default(),
                end: idx,
            });
        } else {
            self.pending.extend_from_slice(&raw);
        }
        Ok(None)
    }

    fn pass_text(&mut self, raw: Vec<u8>, text: String, at: Location) -> Result<Option<Box<UnitBuf>>> {
        if self.unit.is_none() && (self.stack.is_empty()) && !text.trim_matches(is_xml_space).is_empty() {
            return Err(Error::parse(at, "text outside the root element"));
        }
        self.pass(raw, Kind::Text, Some(text), at)
    }

    fn element(
        &mut self,
        raw: Vec<u8>,
        s: &BytesStart<'_>,
        core: bool,
        ns: &Ns,
        empty: bool,
        at: Location,
    ) -> Result<Option<Box<UnitBuf>>> {
        let name = String::from_utf8_lossy(s.local_name().as_ref()).into_owned();
        let mut attrs = Vec::new();
        for a in s.attributes().with_checks(true) {
            let a = a.map_err(|e| Error::parse_with(at.clone(), format!("malformed attribute: {e}"), e))?;
            let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
            let value = a
                .unescape_value()
                .map_err(|e| Error::parse_with(at.clone(), format!("attribute {key}: {e}"), e))?
                .into_owned();
            attrs.push((key, value));
        }
        let get = |k: &str| attrs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        if let Some(unit) = self.unit.as_mut() {
            let r = unit.bytes.len()..unit.bytes.len() + raw.len();
            unit.bytes.extend_from_slice(&raw);
            let idx = unit.events.len();
            unit.events.push(Ev {
                kind: if empty { Kind::Empty } else { Kind::Start },
                name,
                core,
                depth: self.unit_stack.len(),
                raw: r,
                attrs,
                text: String::new(),
                end: idx,
            });
            if !empty {
                self.unit_stack.push(idx);
            }
            return Ok(None);
        }
        if !self.seen_root {
            if name != "xliff" {
                return Err(Error::parse(
                    at,
                    format!("not an XLIFF document: the root element is <{name}>"),
                ));
            }
            self.seen_root = true;
            let version = get("version").unwrap_or_default();
            self.version = Some(match ns {
                Ns::Core20 => Version::V2,
                Ns::Core12 => Version::V1_2,
                _ if version.starts_with('2') => Version::V2,
                _ if version.starts_with('1') || version.is_empty() => Version::V1_2,
                _ => return Err(Error::parse(at, format!("unsupported XLIFF version {version:?}"))),
            });
            if self.version == Some(Version::V2) {
                self.src_lang = get("srcLang");
                self.trg_lang = get("trgLang");
            }
        } else if self.stack.is_empty() {
            return Err(Error::parse(at, format!("a second root element <{name}>")));
        }
        let core = core && ns_matches(ns, self.version);
        let parent_translate = self.stack.last().is_none_or(|o| o.translate);
        let translate = match get("translate").as_deref() {
            Some("no") => false,
            Some("yes") => true,
            _ => parent_translate,
        };
        let can_resegment = match get("canResegment").as_deref() {
            Some("no") => false,
            Some("yes") => true,
            _ => self.stack.last().is_none_or(|o| o.can_resegment),
        };
        if core && name == "file" {
            self.file_original = get("original");
            if self.version == Some(Version::V1_2) {
                self.src_lang = get("source-language");
                self.trg_lang = get("target-language");
            }
        }
        let is_unit = core
            && match self.version {
                Some(Version::V2) => name == "unit",
                _ => name == "trans-unit",
            };
        if is_unit {
            let mut unit = Box::new(UnitBuf {
                bytes: Vec::with_capacity(raw.len() * 8),
                events: Vec::new(),
                version: self.version.unwrap_or(Version::V1_2),
                src_lang: self.src_lang.clone(),
                trg_lang: self.trg_lang.clone(),
                file_original: self.file_original.clone(),
                translate,
                can_resegment,
                location: at,
            });
            unit.bytes.extend_from_slice(&raw);
            unit.events.push(Ev {
                kind: if empty { Kind::Empty } else { Kind::Start },
                name,
                core,
                depth: 0,
                raw: 0..raw.len(),
                attrs,
                text: String::new(),
                end: 0,
            });
            if empty {
                return Ok(Some(unit));
            }
            self.unit_stack.push(0);
            self.unit = Some(unit);
            return Ok(None);
        }
        self.pending.extend_from_slice(&raw);
        if !empty {
            self.stack.push(Open {
                name,
                translate,
                can_resegment,
            });
        }
        Ok(None)
    }
}

pub(crate) fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Ns {
    None,
    Core12,
    Core20,
    Other,
}

fn resolve(r: &ResolveResult<'_>) -> Ns {
    match r {
        ResolveResult::Unbound => Ns::None,
        ResolveResult::Bound(ns) if ns.as_ref() == NS_12 => Ns::Core12,
        ResolveResult::Bound(ns) if ns.as_ref() == NS_20 => Ns::Core20,
        _ => Ns::Other,
    }
}

fn ns_matches(ns: &Ns, version: Option<Version>) -> bool {
    match ns {
        Ns::None => true,
        Ns::Core12 => version != Some(Version::V2),
        Ns::Core20 => version == Some(Version::V2),
        Ns::Other => false,
    }
}
