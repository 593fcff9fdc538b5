//! Units: each `<tu>` in `<body>` read into a [`TranslationUnit`] by the
//! streaming path (when the fast path did not take it), its variants and
//! their inline content, and in lenient mode a broken unit skipped.

use std::io::BufRead;

use super::events::Ev;
use super::names::{Attr, El};
use super::{LANG_CACHE, MAX_INLINE_DEPTH, TmxReader};
use crate::error::{Error, Result};
use crate::formats::tmx::WarningKind;
use crate::lang::Lang;
use crate::model::{Inline, Segment, TagKind, TranslationUnit, Variant};

/// Where a failure happened: inside a unit (recoverable in lenient mode) or
/// not.
struct UnitFailure(Error);

impl<R: BufRead> TmxReader<R> {
    pub(super) fn record_name(&self, tuid: Option<&str>) -> String {
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
            Error::Parse {
                location, message, ..
            } => UnitFailure(Error::InvalidRecord {
                location: Some(location),
                record: self.record_name(tuid),
                message,
            }),
            other => UnitFailure(other),
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
                    ev @ (Ev::Start(El::Note | El::Prop) | Ev::Empty(El::Note | El::Prop)) => {
                        self.read_note_or_prop(&ev, &mut unit.notes, &mut unit.props)
                            .map_err(|e| self.in_unit(unit.tuid.as_deref(), e))?;
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
    pub(super) fn unit_from_attrs(&mut self, tu_start: u64) -> TranslationUnit {
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

    pub(super) fn lang(&mut self, raw: &str) -> Result<Lang> {
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
                ev @ (Ev::Start(El::Note | El::Prop) | Ev::Empty(El::Note | El::Prop)) => {
                    self.read_note_or_prop(&ev, &mut notes, &mut props)
                        .map_err(|e| self.in_unit(tuid, e))?;
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

    pub(super) fn next_unit(&mut self) -> Option<Result<TranslationUnit>> {
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

#[cfg(test)]
mod tests {
    use super::super::test_docs::{doc, read};
    use crate::error::Result;
    use crate::formats::tmx::TmxReader;
    use crate::formats::tmx::WarningKind;
    use crate::model::{Inline, TagKind};

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
}
