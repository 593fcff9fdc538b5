//! quick-xml's events, checked (namespaces, entities, XML characters), and
//! an entry's subtree read into a [`Node`] within bounds of size and depth.

use std::io::BufRead;

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;

use super::TbxReader;
use super::node::{Child, Node};
use crate::error::{Error, Location, Result};
use crate::formats::xml::first_non_xml_char;

/// The most input one concept entry may take; larger entries are refused
/// rather than held in memory.
const MAX_ENTRY_BYTES: u64 = 16 * 1024 * 1024;
/// The deepest element nesting accepted inside an entry.
const MAX_DEPTH: usize = 64;

/// An XML event, owned, with where it starts.
pub(super) enum Ev {
    Start(Node),
    End,
    Text(String),
    /// Whitespace-only text, not copied.
    Blank,
    Eof,
}

fn is_tbx_namespace(ns: &[u8]) -> bool {
    ns.starts_with(b"urn:iso:std:iso:30042") || ns.starts_with(b"http://www.lisa.org/TBX")
}

impl<R: BufRead> TbxReader<R> {
    /// Reads the next event that matters, with the location where it starts.
    pub(super) fn event(&mut self) -> Result<(Ev, Location)> {
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
                    return Err(Error::parse_with(self.location(at), xml_error_message(&e), e));
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
                        let a = a.map_err(|err| {
                            Error::parse_with(loc.clone(), format!("bad attribute: {err}"), err)
                        })?;
                        let key = utf8(a.key.as_ref(), &loc)?.to_string();
                        let value = a.unescape_value().map_err(|err| {
                            Error::parse_with(loc.clone(), format!("attribute {key}: {err}"), err)
                        })?;
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
                        .map_err(|e| Error::parse_with(loc.clone(), format!("invalid text: {e}"), e))?;
                    check_xml_chars(&text, &loc)?;
                    Ev::Text(text.into_owned())
                }
                Event::CData(t) => {
                    let text = t
                        .decode()
                        .map_err(|e| Error::parse_with(loc.clone(), format!("invalid CDATA: {e}"), e))?;
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
    pub(super) fn subtree(&mut self, node: Node) -> Result<Node> {
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
    std::str::from_utf8(bytes).map_err(|e| Error::parse_with(loc.clone(), "invalid UTF-8", e))
}

fn xml_error_message(e: &quick_xml::Error) -> String {
    match e {
        quick_xml::Error::Io(io) => format!("read error: {io}"),
        other => format!("malformed XML: {other}"),
    }
}
