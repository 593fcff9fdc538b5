//! Reading an SRX file: its bytes decoded, then a small state machine over
//! quick-xml's events building the language rules and the language map.

use std::borrow::Cow;
use std::sync::Arc;

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use super::java_regex::{BadPattern, Pattern};
use super::{LanguageMap, LanguageRule, Rule, SrxRules};
use crate::error::{Error, Location, Result};

pub(super) fn decode(bytes: &[u8]) -> Result<Cow<'_, str>> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes)
        && enc != encoding_rs::UTF_8
    {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom..]);
        if had_errors {
            return Err(Error::parse(
                Location::default(),
                format!("invalid {} in SRX", enc.name()),
            ));
        }
        return Ok(Cow::Owned(text.into_owned()));
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(s) => Ok(Cow::Borrowed(s)),
        Err(e) => {
            let valid = std::str::from_utf8(&body[..e.valid_up_to()]).unwrap_or("");
            Err(Error::parse_with(
                Location::of_offset(valid, valid.len()),
                "invalid UTF-8 in SRX file",
                e,
            ))
        }
    }
}

/// The SRX reader: a small state machine over quick-xml events.
pub(super) struct Parser<'x> {
    xml: &'x str,
    reader: Reader<&'x [u8]>,
    version: Option<String>,
    cascade: bool,
    language_rules: Vec<LanguageRule>,
    maps: Vec<LanguageMap>,
    saw_maprules: bool,
    saw_body: bool,
    /// Element names from the root down.
    stack: Vec<String>,
    /// The rule being read: break, before text, after text, its position.
    rule: Option<RawRule>,
    /// Where text goes: 1 = beforebreak, 2 = afterbreak.
    text_target: u8,
}

struct RawRule {
    brk: bool,
    before: String,
    after: String,
    at: usize,
    index: usize,
}

impl<'x> Parser<'x> {
    pub(super) fn new(xml: &'x str) -> Parser<'x> {
        let mut reader = Reader::from_str(xml);
        reader.config_mut().trim_text(false);
        Parser {
            xml,
            reader,
            version: None,
            cascade: false,
            language_rules: Vec::new(),
            maps: Vec::new(),
            saw_maprules: false,
            saw_body: false,
            stack: Vec::new(),
            rule: None,
            text_target: 0,
        }
    }

    fn err_at(&self, pos: usize, msg: impl Into<String>) -> Error {
        Error::parse(Location::of_offset(self.xml, pos), msg)
    }

    /// [`err_at`](Self::err_at) for a refused expression, keeping the
    /// regex engine's error as the source.
    fn pattern_err_at(&self, pos: usize, msg: String, bad: BadPattern) -> Error {
        Error::Parse {
            location: Location::of_offset(self.xml, pos),
            message: msg,
            source: bad.source,
        }
    }

    pub(super) fn run(mut self) -> Result<SrxRules> {
        loop {
            let pos = self.reader.buffer_position() as usize;
            let event = match self.reader.read_event() {
                Ok(e) => e,
                Err(e) => {
                    let at = self.reader.error_position() as usize;
                    let location = Location::of_offset(self.xml, at);
                    return Err(Error::parse_with(location, format!("malformed XML: {e}"), e));
                }
            };
            match event {
                Event::Start(e) => {
                    self.start(&e, pos)?;
                    self.stack
                        .push(String::from_utf8_lossy(e.local_name().as_ref()).into_owned());
                }
                Event::Empty(e) => {
                    self.start(&e, pos)?;
                    let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                    self.end(&name, pos)?;
                }
                Event::End(e) => {
                    let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                    self.stack.pop();
                    self.end(&name, pos)?;
                }
                Event::Text(t) => {
                    let s = t.decode().map_err(|e| self.err_at(pos, e.to_string()))?;
                    self.push_text(&s);
                }
                Event::CData(t) => {
                    let s = t.decode().map_err(|e| self.err_at(pos, e.to_string()))?;
                    self.push_text(&s);
                }
                Event::GeneralRef(r) => {
                    let c = if r.is_char_ref() {
                        r.resolve_char_ref().ok().flatten()
                    } else {
                        match r.as_ref() {
                            b"lt" => Some('<'),
                            b"gt" => Some('>'),
                            b"amp" => Some('&'),
                            b"apos" => Some('\''),
                            b"quot" => Some('"'),
                            _ => None,
                        }
                    };
                    match c {
                        Some(c) => self.push_text(c.encode_utf8(&mut [0; 4])),
                        None => {
                            let name = String::from_utf8_lossy(r.as_ref()).into_owned();
                            return Err(self.err_at(pos, format!("unknown entity &{name};")));
                        }
                    }
                }
                Event::DocType(d) => {
                    let body = String::from_utf8_lossy(d.as_ref()).into_owned();
                    if body.contains("<!ENTITY") {
                        return Err(self.err_at(pos, "entity declarations are not allowed in SRX"));
                    }
                }
                Event::Eof => break,
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            }
        }
        let Some(version) = self.version.take() else {
            return Err(self.err_at(0, "not an SRX file: no <srx> element"));
        };
        if !self.saw_body {
            return Err(self.err_at(self.xml.len(), "SRX file has no <body>"));
        }
        if !self.saw_maprules {
            return Err(self.err_at(self.xml.len(), "SRX file has no <maprules>"));
        }
        Ok(SrxRules {
            version,
            cascade: self.cascade,
            language_rules: self.language_rules,
            maps: self.maps,
        })
    }

    fn attr(&self, e: &BytesStart<'_>, name: &str, pos: usize) -> Result<Option<String>> {
        for a in e.attributes() {
            let a = a.map_err(|err| self.err_at(pos, format!("malformed attribute: {err}")))?;
            if a.key.local_name().as_ref() == name.as_bytes() {
                let v = a
                    .unescape_value()
                    .map_err(|err| self.err_at(pos, format!("bad attribute {name}: {err}")))?;
                return Ok(Some(v.into_owned()));
            }
        }
        Ok(None)
    }

    fn start(&mut self, e: &BytesStart<'_>, pos: usize) -> Result<()> {
        let name = e.local_name();
        let name = name.as_ref();
        if self.stack.is_empty() && self.version.is_none() {
            if name != b"srx" {
                return Err(self.err_at(
                    pos,
                    format!(
                        "not an SRX file: the root element is <{}>, expected <srx>",
                        String::from_utf8_lossy(name)
                    ),
                ));
            }
            let version = self.attr(e, "version", pos)?.unwrap_or_default();
            if version != "2.0" && version != "1.0" {
                return Err(self.err_at(
                    pos,
                    format!("unsupported SRX version {version:?}; expected \"2.0\" or \"1.0\""),
                ));
            }
            self.version = Some(version);
            return Ok(());
        }
        match name {
            b"header" => {
                let cascade = self.attr(e, "cascade", pos)?;
                self.cascade = matches!(cascade.as_deref(), Some("yes" | "true"));
            }
            b"body" => self.saw_body = true,
            b"maprules" => self.saw_maprules = true,
            b"languagerule" => {
                let Some(rule_name) = self.attr(e, "languagerulename", pos)? else {
                    return Err(self.err_at(pos, "<languagerule> without languagerulename"));
                };
                self.language_rules.push(LanguageRule {
                    name: rule_name,
                    rules: Vec::new(),
                });
            }
            b"rule" => {
                if self.language_rules.is_empty() {
                    return Err(self.err_at(pos, "<rule> outside a <languagerule>"));
                }
                let brk = match self.attr(e, "break", pos)?.as_deref() {
                    None | Some("yes") => true,
                    Some("no") => false,
                    Some(other) => {
                        return Err(self.err_at(pos, format!("break={other:?}; expected \"yes\" or \"no\"")));
                    }
                };
                let index = self.language_rules.last().map_or(0, |r| r.rules.len()) + 1;
                self.rule = Some(RawRule {
                    brk,
                    before: String::new(),
                    after: String::new(),
                    at: pos,
                    index,
                });
            }
            b"beforebreak" => self.text_target = 1,
            b"afterbreak" => self.text_target = 2,
            b"languagemap" => {
                let pattern = self.attr(e, "languagepattern", pos)?;
                let rule = self.attr(e, "languagerulename", pos)?;
                let (Some(pattern), Some(rule)) = (pattern, rule) else {
                    return Err(self.err_at(pos, "<languagemap> needs languagepattern and languagerulename"));
                };
                if !self.language_rules.iter().any(|r| r.name == rule) {
                    return Err(self.err_at(
                        pos,
                        format!("<languagemap> names an unknown languagerule {rule:?}"),
                    ));
                }
                let compiled = Pattern::compile(&format!("(?:{pattern})$"), true).map_err(|b| {
                    let message = format!("invalid languagepattern {pattern:?}: {}", b.message);
                    self.pattern_err_at(pos, message, b)
                })?;
                self.maps.push(LanguageMap {
                    pattern: compiled,
                    rule,
                });
            }
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, name: &str, _pos: usize) -> Result<()> {
        match name {
            "beforebreak" | "afterbreak" => self.text_target = 0,
            "rule" => {
                if let Some(raw) = self.rule.take() {
                    let lr_name = self
                        .language_rules
                        .last()
                        .map(|r| r.name.clone())
                        .unwrap_or_default();
                    let what = |which: &str, b: BadPattern| {
                        let message = format!(
                            "rule {} of languagerule {lr_name:?}: invalid {which} expression: {}",
                            raw.index, b.message
                        );
                        self.pattern_err_at(raw.at, message, b)
                    };
                    let before = if raw.before.is_empty() {
                        None
                    } else {
                        Some(Pattern::compile(&raw.before, false).map_err(|m| what("beforebreak", m))?)
                    };
                    let after = if raw.after.is_empty() {
                        None
                    } else {
                        Some(Pattern::compile(&raw.after, true).map_err(|m| what("afterbreak", m))?)
                    };
                    if let Some(lr) = self.language_rules.last_mut() {
                        lr.rules.push(Arc::new(Rule {
                            brk: raw.brk,
                            before,
                            after,
                        }));
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn push_text(&mut self, s: &str) {
        if let Some(rule) = &mut self.rule {
            match self.text_target {
                1 => rule.before.push_str(s),
                2 => rule.after.push_str(s),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::segment::srx::SrxRules;
    use crate::segment::srx::tests::{SIMPLE, segs};

    #[test]
    fn errors_name_the_place() {
        let e = SrxRules::parse("<book/>").unwrap_err().to_string();
        assert!(e.contains("not an SRX file") && e.contains("<book>"), "{e}");
        let e = SrxRules::parse("<srx version=\"3.0\"/>").unwrap_err().to_string();
        assert!(e.contains("unsupported SRX version"), "{e}");
        let bad = SIMPLE.replace(r"[\.\?!\u2026]+", r"[\.\?!+");
        let e = SrxRules::parse(&bad).unwrap_err().to_string();
        assert!(
            e.contains("rule 1 of languagerule \"Default\"") && e.contains("<input>:11:"),
            "{e}"
        );
        let e = SrxRules::parse(&SIMPLE.replace("</body>", ""))
            .unwrap_err()
            .to_string();
        assert!(e.contains("malformed XML"), "{e}");
        let e =
            SrxRules::parse(&SIMPLE.replace("languagerulename=\"Default\"/>", "languagerulename=\"Nope\"/>"))
                .unwrap_err()
                .to_string();
        assert!(e.contains("unknown languagerule \"Nope\""), "{e}");
    }

    #[test]
    fn malformed_xml_and_regex_keep_their_error_as_source() {
        let e = SrxRules::parse(&SIMPLE.replace("</body>", "")).unwrap_err();
        assert!(matches!(e, crate::Error::Parse { .. }), "{e}");
        let source = std::error::Error::source(&e).expect("the XML parser's error");
        assert!(
            e.to_string().ends_with(&format!("malformed XML: {source}")),
            "{e}"
        );
        let bad = SIMPLE.replace(r"[\.\?!\u2026]+", r"[\.\?!+");
        let e = SrxRules::parse(&bad).unwrap_err();
        let source = std::error::Error::source(&e).expect("the regex engine's error");
        assert!(e.to_string().ends_with(&source.to_string()), "{e}");
    }

    #[test]
    fn entity_declarations_are_refused() {
        let xml = r#"<?xml version="1.0"?>
<!DOCTYPE srx [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<srx version="2.0"><body><maprules/></body></srx>"#;
        let e = SrxRules::parse(xml).unwrap_err().to_string();
        assert!(e.contains("entity declarations"), "{e}");
        let e = SrxRules::parse(&SIMPLE.replace("[\\.", "&ext;[\\."))
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown entity &ext;"), "{e}");
        // Predefined entities and character references are fine.
        let ok = SIMPLE.replace(r"['&quot;”\)]*", r"[&apos;&quot;&#x201D;\)]*");
        assert!(SrxRules::parse(&ok).is_ok());
    }

    #[test]
    fn srx_1_0_maprule_is_read() {
        let xml = r#"<srx version="1.0"><body><languagerules>
<languagerule languagerulename="D"><rule break="yes"><beforebreak>\.</beforebreak><afterbreak>\s+\p{Lu}</afterbreak></rule></languagerule>
</languagerules><maprules><maprule maprulename="x"><languagemap languagepattern=".*" languagerulename="D"/></maprule></maprules></body></srx>"#;
        let srx = SrxRules::parse(xml).unwrap();
        assert!(!srx.cascade());
        assert_eq!(
            segs(&srx, "pl", "Ala ma kota. Kot ma ale. a b"),
            ["Ala ma kota.", "Kot ma ale. a b"]
        );
    }
}
