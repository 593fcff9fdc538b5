//! The event pump: quick-xml's events, with what the reader needs of each
//! (element names, decoded attributes, checked text) and the open elements
//! tracked, so that an end tag that does not match is found here; and the
//! positions that errors and warnings name.

use std::io::BufRead;

use quick_xml::events::Event;

use super::TmxReader;
use super::attrs::read_attrs;
use super::names::El;
use super::text::{push_text, resolve_ref};
use crate::error::{Error, Location, Result};
use crate::formats::tmx::{Warning, WarningKind};

/// One parsed event, with its data left in the reader's scratch fields.
pub(super) enum Ev {
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

impl<R: BufRead> TmxReader<R> {
    /// quick-xml's position, as an offset in the UTF-8 stream.
    pub(super) fn stream_offset(&self) -> u64 {
        self.xml.buffer_position() + self.skipped
    }

    pub(super) fn location_at(&self, offset: u64) -> Location {
        let loc = self.xml.get_ref().location(offset);
        match &self.path {
            Some(p) => loc.with_path(p),
            None => loc,
        }
    }

    pub(super) fn here(&self) -> Location {
        self.location_at(self.event_start)
    }

    pub(super) fn parse_error(&self, message: impl Into<String>) -> Error {
        Error::parse(self.here(), message)
    }

    /// Reads the next event that matters, skipping comments, processing
    /// instructions, declarations and the DOCTYPE.
    pub(super) fn next_ev(&mut self) -> Result<Ev> {
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
        Error::parse_with(self.location_at(at), format!("malformed XML: {e}"), e)
    }

    /// Text between elements where TMX allows none: whitespace is dropped,
    /// anything else is an error.
    pub(super) fn only_whitespace(&mut self, context: &str) -> Result<()> {
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

    pub(super) fn warn(&mut self, kind: WarningKind, at: u64, record: Option<String>, message: String) {
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
}

#[cfg(test)]
mod tests {
    use super::super::test_docs::{doc, read};
    use crate::formats::tmx::TmxReader;

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
    fn mismatched_end_tag_is_reported_where_it_is() {
        let err = read(&doc("<tu><tuv xml:lang=\"en\"><seg>a<hi>b</seg></hi></tuv></tu>")).unwrap_err();
        assert!(
            err.to_string()
                .contains(":5:35: unit 1: expected </hi>, found </seg>"),
            "{err}"
        );
    }

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
