//! The document around the units: the prologue up to `<tmx>`, the
//! `<header>` (with its notes, props and user-defined encodings) up to
//! `<body>`, and what may follow `</body>`.

use std::io::BufRead;

use super::TmxReader;
use super::events::Ev;
use super::names::{Attr, El};
use crate::error::Result;
use crate::lang::Lang;
use crate::model::{TmxHeader, Ude, UdeMap};

impl<R: BufRead> TmxReader<R> {
    pub(super) fn read_prologue(&mut self) -> Result<()> {
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
            let ev = self.next_ev()?;
            let empty = matches!(ev, Ev::Empty(_));
            match ev {
                Ev::Text => self.only_whitespace("in <header>")?,
                Ev::End(El::Header) => return Ok(()),
                Ev::Start(El::Note) | Ev::Empty(El::Note) => {
                    let note = self.read_note(empty)?;
                    self.header.notes.push(note);
                }
                Ev::Start(El::Prop) | Ev::Empty(El::Prop) => {
                    let prop = self.read_prop(empty)?;
                    self.header.props.push(prop);
                }
                Ev::Start(El::Ude) | Ev::Empty(El::Ude) => {
                    let ude = self.read_ude(empty)?;
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

    pub(super) fn read_epilogue(&mut self) -> Result<()> {
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
}

#[cfg(test)]
mod tests {
    use super::super::test_docs::{doc, read, seg_text};
    use crate::formats::tmx::TmxReader;

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
}
