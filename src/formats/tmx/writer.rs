//! [`TmxWriter`]: a streaming writer of TMX 1.4b.

use std::io::Write;

use crate::error::{Error, Result};
use crate::formats::xml::{self, Escape, NonXml};
use crate::model::{Attributes, Inline, InlineTag, Note, Prop, TmxHeader, TranslationUnit};

/// The TMX version written.
const VERSION: &str = "1.4";

/// A streaming writer of TMX 1.4b in UTF-8.
///
/// [`TmxWriter::new`] writes the XML declaration, the DOCTYPE and the
/// header; [`write_unit`](TmxWriter::write_unit) appends one `<tu>`;
/// [`finish`](TmxWriter::finish) closes the document and hands back the
/// output. Dropping a writer without `finish` leaves the document
/// unterminated. Each unit is formatted into a buffer first and written with
/// one `write_all`, so a unit that cannot be written (see below) leaves
/// nothing behind; wrap files in a `BufWriter` all the same.
///
/// Every attribute, prop, note and inline element of the model is written,
/// attributes in the DTD's order, so the same units always give
/// byte-identical output. Text is escaped (`& < >`, and `\r` as `&#xD;` so
/// that it survives XML's line-end normalisation); attribute values also
/// escape `"` and whitespace. A character XML 1.0 cannot carry (U+0000–U+0008,
/// U+000B, U+000C, U+000E–U+001F, U+FFFE, U+FFFF) is an error naming the unit.
///
/// The header's `creationtool` and `creationtoolversion` are always korpu's
/// (the file is korpu's output); its other attributes are written as given,
/// with defaults for those TMX 1.4b requires: `segtype="sentence"`,
/// `o-tmf="korpu"`, `adminlang="en"`, `srclang="*all*"`,
/// `datatype="unknown"`.
///
/// The output is DTD-valid when the model is valid TMX 1.4b, as a reader
/// produces from a valid file: attributes on the inline elements that allow
/// them (`i` on `bpt`/`ept`, `pos` on `it`, `assoc` on `ph`), and no `<sub>`
/// directly in a segment (TMX 1.1 allowed one; 1.4 does not).
///
/// ```
/// use korpu::formats::tmx::{TmxReader, TmxWriter};
/// use korpu::model::{TmxHeader, TranslationUnit, Variant};
///
/// let header = TmxHeader { srclang: Some("tr".into()), ..TmxHeader::default() };
/// let unit = TranslationUnit {
///     tuid: Some("1".into()),
///     variants: vec![
///         Variant::new("tr".parse()?, "Iğdır'a gidiyorum."),
///         Variant::new("az".parse()?, "İğdıra gedirəm."),
///     ],
///     ..TranslationUnit::default()
/// };
/// let mut writer = TmxWriter::new(Vec::new(), &header)?;
/// writer.write_unit(&unit)?;
/// let bytes = writer.finish()?;
/// let text = String::from_utf8(bytes.clone()).unwrap();
/// assert!(text.contains(r#"<tuv xml:lang="az"><seg>İğdıra gedirəm.</seg></tuv>"#));
///
/// let back: Vec<_> = TmxReader::new(&bytes[..])?.collect::<Result<_, _>>()?;
/// assert_eq!(back, vec![unit]);
/// # Ok::<(), korpu::Error>(())
/// ```
pub struct TmxWriter<W: Write> {
    out: W,
    buf: Vec<u8>,
    units: u64,
}

impl<W: Write> TmxWriter<W> {
    /// Writes the start of a TMX 1.4b document with `header` to `out`.
    pub fn new(out: W, header: &TmxHeader) -> Result<TmxWriter<W>> {
        let mut writer = TmxWriter {
            out,
            buf: Vec::with_capacity(4096),
            units: 0,
        };
        let b = &mut writer.buf;
        b.extend_from_slice(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.extend_from_slice(b"<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">\n");
        b.extend_from_slice(format!("<tmx version=\"{VERSION}\">\n").as_bytes());
        write_header(b, header).map_err(|c| bad_char("the header", c))?;
        b.extend_from_slice(b"  <body>\n");
        writer.flush_buf()?;
        Ok(writer)
    }

    fn flush_buf(&mut self) -> Result<()> {
        self.out.write_all(&self.buf)?;
        self.buf.clear();
        Ok(())
    }

    /// Appends one unit. A unit with no variant, or with a character XML
    /// cannot carry, is refused with [`Error::InvalidRecord`] and nothing is
    /// written.
    pub fn write_unit(&mut self, unit: &TranslationUnit) -> Result<()> {
        self.units += 1;
        let record = || match &unit.tuid {
            Some(t) => format!("unit {} (tuid {t:?})", self.units),
            None => format!("unit {}", self.units),
        };
        if unit.variants.is_empty() {
            return Err(Error::InvalidRecord {
                location: None,
                record: record(),
                message: "a unit needs at least one variant to be written as TMX".into(),
            });
        }
        self.buf.clear();
        if let Err(c) = write_unit(&mut self.buf, unit) {
            self.buf.clear();
            return Err(Error::InvalidRecord {
                location: None,
                record: record(),
                message: format!("character U+{:04X} cannot be written in XML 1.0", u32::from(c)),
            });
        }
        self.flush_buf()
    }

    /// Appends every unit of `units` in order, calling `progress` with the
    /// number this call has written after each (for a progress bar). Stops
    /// at the first error, from `units` or from writing, and returns it;
    /// else returns the number written.
    pub fn write_units(
        &mut self,
        units: impl IntoIterator<Item = Result<TranslationUnit>>,
        mut progress: impl FnMut(u64),
    ) -> Result<u64> {
        let mut written = 0;
        for unit in units {
            self.write_unit(&unit?)?;
            written += 1;
            progress(written);
        }
        Ok(written)
    }

    /// The number of units written so far.
    pub fn units_written(&self) -> u64 {
        self.units
    }

    /// Closes the document, flushes, and returns the output.
    pub fn finish(mut self) -> Result<W> {
        self.buf.clear();
        self.buf.extend_from_slice(b"  </body>\n</tmx>\n");
        self.flush_buf()?;
        self.out.flush()?;
        Ok(self.out)
    }
}

fn bad_char(what: &str, c: char) -> Error {
    Error::InvalidArgument(format!(
        "{what} holds character U+{:04X}, which XML 1.0 cannot carry",
        u32::from(c)
    ))
}

/// Formatting fails only on a character XML cannot carry; it is returned.
type Fmt = std::result::Result<(), char>;

fn write_header(b: &mut Vec<u8>, h: &TmxHeader) -> Fmt {
    b.extend_from_slice(b"  <header");
    attr(b, "creationtool", Some("korpu"))?;
    attr(b, "creationtoolversion", Some(env!("CARGO_PKG_VERSION")))?;
    attr(b, "segtype", Some(h.segtype.as_deref().unwrap_or("sentence")))?;
    attr(b, "o-tmf", Some(h.o_tmf.as_deref().unwrap_or("korpu")))?;
    attr(b, "adminlang", Some(h.adminlang.as_deref().unwrap_or("en")))?;
    attr(b, "srclang", Some(h.srclang.as_deref().unwrap_or("*all*")))?;
    attr(b, "datatype", Some(h.datatype.as_deref().unwrap_or("unknown")))?;
    attr(b, "o-encoding", h.o_encoding.as_deref())?;
    attr(
        b,
        "creationdate",
        h.creation_date.as_ref().map(|d| d.to_string()).as_deref(),
    )?;
    attr(b, "creationid", h.creation_id.as_deref())?;
    attr(
        b,
        "changedate",
        h.change_date.as_ref().map(|d| d.to_string()).as_deref(),
    )?;
    attr(b, "changeid", h.change_id.as_deref())?;
    if h.notes.is_empty() && h.props.is_empty() && h.udes.is_empty() {
        b.extend_from_slice(b"/>\n");
        return Ok(());
    }
    b.extend_from_slice(b">\n");
    notes_and_props_lines(b, b"    ", &h.notes, &h.props)?;
    for ude in &h.udes {
        b.extend_from_slice(b"    <ude");
        attr(b, "name", Some(&ude.name))?;
        attr(b, "base", ude.base.as_deref())?;
        b.extend_from_slice(b">\n");
        for map in &ude.maps {
            b.extend_from_slice(b"      <map");
            attr(b, "unicode", Some(&map.unicode))?;
            attr(b, "code", map.code.as_deref())?;
            attr(b, "ent", map.ent.as_deref())?;
            attr(b, "subst", map.subst.as_deref())?;
            b.extend_from_slice(b"/>\n");
        }
        b.extend_from_slice(b"    </ude>\n");
    }
    b.extend_from_slice(b"  </header>\n");
    Ok(())
}

fn write_unit(b: &mut Vec<u8>, unit: &TranslationUnit) -> Fmt {
    b.extend_from_slice(b"    <tu");
    // The DTD's attribute order for <tu>.
    let a = &unit.attrs;
    attr(b, "tuid", unit.tuid.as_deref())?;
    shared_attrs(b, a)?;
    attr(b, "segtype", unit.segtype.as_deref())?;
    attr(b, "changeid", a.change_id.as_deref())?;
    attr(b, "o-tmf", a.o_tmf.as_deref())?;
    attr(b, "srclang", unit.srclang.as_deref())?;
    b.extend_from_slice(b">\n");
    notes_and_props_lines(b, b"      ", &unit.notes, &unit.props)?;
    for v in &unit.variants {
        b.extend_from_slice(b"      <tuv");
        attr(b, "xml:lang", Some(v.lang.as_str()))?;
        variant_attrs(b, &v.attrs)?;
        b.push(b'>');
        let nested = !v.notes.is_empty() || !v.props.is_empty();
        if nested {
            b.push(b'\n');
            notes_and_props_lines(b, b"        ", &v.notes, &v.props)?;
            b.extend_from_slice(b"        ");
        }
        b.extend_from_slice(b"<seg>");
        write_inline(b, &v.segment.content)?;
        b.extend_from_slice(b"</seg>");
        if nested {
            b.extend_from_slice(b"\n      ");
        }
        b.extend_from_slice(b"</tuv>\n");
    }
    b.extend_from_slice(b"    </tu>\n");
    Ok(())
}

fn variant_attrs(b: &mut Vec<u8>, a: &Attributes) -> Fmt {
    shared_attrs(b, a)?;
    attr(b, "o-tmf", a.o_tmf.as_deref())?;
    attr(b, "changeid", a.change_id.as_deref())
}

/// The attributes that `<tu>` and `<tuv>` share, in the DTD's order; after
/// them each element has its own.
fn shared_attrs(b: &mut Vec<u8>, a: &Attributes) -> Fmt {
    attr(b, "o-encoding", a.o_encoding.as_deref())?;
    attr(b, "datatype", a.datatype.as_deref())?;
    attr(b, "usagecount", a.usage_count.as_deref())?;
    date_attr(b, "lastusagedate", a.last_usage_date.as_ref())?;
    attr(b, "creationtool", a.creation_tool.as_deref())?;
    attr(b, "creationtoolversion", a.creation_tool_version.as_deref())?;
    date_attr(b, "creationdate", a.creation_date.as_ref())?;
    attr(b, "creationid", a.creation_id.as_deref())?;
    date_attr(b, "changedate", a.change_date.as_ref())?;
    Ok(())
}

/// Each note, then each prop, on a line of its own after `indent`: the
/// header's and a unit's layout.
fn notes_and_props_lines(b: &mut Vec<u8>, indent: &[u8], notes: &[Note], props: &[Prop]) -> Fmt {
    for note in notes {
        b.extend_from_slice(indent);
        write_note(b, note)?;
        b.push(b'\n');
    }
    for prop in props {
        b.extend_from_slice(indent);
        write_prop(b, prop)?;
        b.push(b'\n');
    }
    Ok(())
}

fn write_note(b: &mut Vec<u8>, note: &Note) -> Fmt {
    let attrs = [
        ("o-encoding", note.o_encoding.as_deref()),
        ("xml:lang", note.lang.as_deref()),
    ];
    element(b, "note", &attrs, |b| text(b, &note.text))
}

fn write_prop(b: &mut Vec<u8>, prop: &Prop) -> Fmt {
    let attrs = [
        ("type", Some(prop.prop_type.as_str())),
        ("xml:lang", prop.lang.as_deref()),
        ("o-encoding", prop.o_encoding.as_deref()),
    ];
    element(b, "prop", &attrs, |b| text(b, &prop.value))
}

fn write_inline(b: &mut Vec<u8>, items: &[Inline]) -> Fmt {
    for item in items {
        match item {
            Inline::Text(t) => text(b, t)?,
            Inline::Tag(tag) => write_tag(b, tag)?,
            Inline::Sub(sub) => {
                let attrs = [
                    ("datatype", sub.datatype.as_deref()),
                    ("type", sub.sub_type.as_deref()),
                ];
                element(b, "sub", &attrs, |b| write_inline(b, &sub.content))?;
            }
        }
    }
    Ok(())
}

fn write_tag(b: &mut Vec<u8>, tag: &InlineTag) -> Fmt {
    let name = tag.kind.as_str();
    let attrs = [
        ("i", tag.i.as_deref()),
        ("pos", tag.pos.as_deref()),
        ("x", tag.x.as_deref()),
        ("assoc", tag.assoc.as_deref()),
        ("type", tag.tag_type.as_deref()),
    ];
    if tag.content.is_empty() {
        start_tag(b, name, &attrs)?;
        b.extend_from_slice(b"/>");
        return Ok(());
    }
    element(b, name, &attrs, |b| write_inline(b, &tag.content))
}

/// An attribute list: name and value, `None` for an attribute left out.
type Attrs<'a> = [(&'static str, Option<&'a str>)];

/// `<name attrs…`, left open for `>` or `/>`.
fn start_tag(b: &mut Vec<u8>, name: &str, attrs: &Attrs) -> Fmt {
    b.push(b'<');
    b.extend_from_slice(name.as_bytes());
    for &(attr_name, value) in attrs {
        attr(b, attr_name, value)?;
    }
    Ok(())
}

/// `<name attrs…>content</name>` on one line.
fn element(b: &mut Vec<u8>, name: &str, attrs: &Attrs, content: impl FnOnce(&mut Vec<u8>) -> Fmt) -> Fmt {
    start_tag(b, name, attrs)?;
    b.push(b'>');
    content(b)?;
    b.extend_from_slice(b"</");
    b.extend_from_slice(name.as_bytes());
    b.push(b'>');
    Ok(())
}

fn date_attr(b: &mut Vec<u8>, name: &str, date: Option<&crate::model::TmxDate>) -> Fmt {
    match date {
        Some(d) => attr(b, name, Some(&d.to_string())),
        None => Ok(()),
    }
}

fn attr(b: &mut Vec<u8>, name: &str, value: Option<&str>) -> Fmt {
    let Some(value) = value else { return Ok(()) };
    b.push(b' ');
    b.extend_from_slice(name.as_bytes());
    b.extend_from_slice(b"=\"");
    escape(b, value, true)?;
    b.push(b'"');
    Ok(())
}

fn text(b: &mut Vec<u8>, s: &str) -> Fmt {
    escape(b, s, false)
}

/// Element content: `\r` as a reference, so that it survives XML's
/// line-end normalisation.
const TEXT: Escape = Escape::new(NonXml::Refuse).with(b'\r', "&#xD;");

/// Double-quoted attribute values: `"` and whitespace as references, so
/// that attribute-value normalisation keeps them.
const ATTR: Escape = Escape::new(NonXml::Refuse)
    .with(b'\r', "&#xD;")
    .with(b'"', "&quot;")
    .with(b'\n', "&#xA;")
    .with(b'\t', "&#x9;");

/// Appends `s` escaped for element content (`attr == false`) or a
/// double-quoted attribute value.
fn escape(b: &mut Vec<u8>, s: &str, attr: bool) -> Fmt {
    xml::try_escape(b, s, if attr { &ATTR } else { &TEXT })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Segment, TagKind, Variant};

    #[test]
    fn escapes_text_and_attributes() {
        let mut b = Vec::new();
        escape(&mut b, "a<b>&\"c\"\r\n\t", false).unwrap();
        assert_eq!(String::from_utf8(b).unwrap(), "a&lt;b&gt;&amp;\"c\"&#xD;\n\t");
        let mut b = Vec::new();
        escape(&mut b, "a\"b\tc\nd", true).unwrap();
        assert_eq!(String::from_utf8(b).unwrap(), "a&quot;b&#x9;c&#xA;d");
    }

    #[test]
    fn refuses_characters_xml_cannot_carry() {
        let mut b = Vec::new();
        assert_eq!(escape(&mut b, "a\u{1}b", false), Err('\u{1}'));
        assert_eq!(escape(&mut b, "a\u{FFFF}", false), Err('\u{FFFF}'));
        assert_eq!(escape(&mut b, "\u{FFFD}\u{EFBF}", false), Ok(()));
        let unit = TranslationUnit {
            tuid: Some("x".into()),
            variants: vec![Variant::new("en".parse().unwrap(), "bell\u{7}")],
            ..Default::default()
        };
        let mut w = TmxWriter::new(Vec::new(), &TmxHeader::default()).unwrap();
        let err = w.write_unit(&unit).unwrap_err();
        assert_eq!(
            err.to_string(),
            "unit 1 (tuid \"x\"): character U+0007 cannot be written in XML 1.0"
        );
        let out = w.finish().unwrap();
        assert!(!String::from_utf8(out).unwrap().contains("bell"));
    }

    #[test]
    fn writes_inline_markup_and_is_deterministic() {
        let mut bpt = InlineTag::new(TagKind::Bpt);
        bpt.i = Some("1".into());
        bpt.tag_type = Some("bold".into());
        bpt.content = vec![Inline::Text("<b>".into())];
        let mut ept = InlineTag::new(TagKind::Ept);
        ept.i = Some("1".into());
        ept.content = vec![Inline::Text("</b>".into())];
        let unit = TranslationUnit {
            variants: vec![Variant {
                segment: Segment {
                    content: vec![Inline::Tag(bpt), Inline::Text("Şuşa".into()), Inline::Tag(ept)],
                },
                ..Variant::new("az".parse().unwrap(), "")
            }],
            ..Default::default()
        };
        let write = || {
            let mut w = TmxWriter::new(Vec::new(), &TmxHeader::default()).unwrap();
            w.write_unit(&unit).unwrap();
            w.finish().unwrap()
        };
        let out = write();
        assert_eq!(out, write());
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains(
                r#"<seg><bpt i="1" type="bold">&lt;b&gt;</bpt>Şuşa<ept i="1">&lt;/b&gt;</ept></seg>"#
            ),
            "{text}"
        );
        assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">\n<tmx version=\"1.4\">\n  <header creationtool=\"korpu\""));
    }

    #[test]
    fn a_unit_without_variants_is_refused() {
        let mut w = TmxWriter::new(Vec::new(), &TmxHeader::default()).unwrap();
        assert!(w.write_unit(&TranslationUnit::default()).is_err());
    }
}
