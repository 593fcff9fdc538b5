//! Translation units, variants, segments and inline markup.

use serde::{Deserialize, Serialize};

use crate::lang::Lang;
use crate::text::tag_placeholder;

/// A date as TMX writes it, `YYYYMMDDThhmmssZ` (UTC).
///
/// A date that does not parse is kept, as written, in [`TmxDate::Invalid`], so
/// that reading and writing a file never loses it; readers report it as a
/// warning.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TmxDate {
    /// A well-formed date.
    Valid {
        /// Year, e.g. 2021.
        year: u16,
        /// Month, 1–12.
        month: u8,
        /// Day, 1–31.
        day: u8,
        /// Hour, 0–23.
        hour: u8,
        /// Minute, 0–59.
        minute: u8,
        /// Second, 0–60 (a leap second is allowed).
        second: u8,
    },
    /// Text that is not a TMX date, kept verbatim.
    Invalid(String),
}

impl TmxDate {
    /// Parses `YYYYMMDDThhmmssZ`; anything else becomes [`TmxDate::Invalid`].
    pub fn parse(s: &str) -> TmxDate {
        TmxDate::parse_valid(s.as_bytes()).unwrap_or_else(|| TmxDate::Invalid(s.to_string()))
    }

    /// The date `b` holds if it is a well-formed `YYYYMMDDThhmmssZ`. Readers
    /// parse one per unit and variant: the digits are checked and read in one
    /// pass over a fixed-size array, which compiles to straight-line code.
    fn parse_valid(b: &[u8]) -> Option<TmxDate> {
        let b: &[u8; 16] = b.try_into().ok()?;
        if b[8] != b'T' || b[15] != b'Z' {
            return None;
        }
        let mut d = [0u8; 14];
        let digits = b[..8].iter().chain(&b[9..15]);
        let mut bad = 0u8;
        for (out, &c) in d.iter_mut().zip(digits) {
            let v = c.wrapping_sub(b'0');
            bad |= u8::from(v > 9);
            *out = v;
        }
        if bad != 0 {
            return None;
        }
        let two = |i: usize| u32::from(d[i]) * 10 + u32::from(d[i + 1]);
        let (year, month, day) = (two(0) * 100 + two(2), two(4), two(6));
        let (hour, minute, second) = (two(8), two(10), two(12));
        let ok =
            (1..=12).contains(&month) && (1..=31).contains(&day) && hour < 24 && minute < 60 && second <= 60;
        ok.then_some(TmxDate::Valid {
            year: year as u16,
            month: month as u8,
            day: day as u8,
            hour: hour as u8,
            minute: minute as u8,
            second: second as u8,
        })
    }

    /// True for a well-formed date.
    pub fn is_valid(&self) -> bool {
        matches!(self, TmxDate::Valid { .. })
    }
}

impl std::fmt::Display for TmxDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TmxDate::Valid {
                year,
                month,
                day,
                hour,
                minute,
                second,
            } => {
                write!(f, "{year:04}{month:02}{day:02}T{hour:02}{minute:02}{second:02}Z")
            }
            TmxDate::Invalid(s) => f.write_str(s),
        }
    }
}

/// The attributes TMX gives both units (`<tu>`) and variants (`<tuv>`).
///
/// Strings are kept as written; `usage_count` is text too, because a file may
/// hold a value that is not a number and korpu never drops data.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attributes {
    /// `o-encoding`: the original encoding of the data.
    pub o_encoding: Option<String>,
    /// `datatype`: the type of data (`plaintext`, `html`, `rtf`, …).
    pub datatype: Option<String>,
    /// `usagecount`: how many times the unit was used.
    pub usage_count: Option<String>,
    /// `lastusagedate`.
    pub last_usage_date: Option<TmxDate>,
    /// `creationtool`.
    pub creation_tool: Option<String>,
    /// `creationtoolversion`.
    pub creation_tool_version: Option<String>,
    /// `creationdate`.
    pub creation_date: Option<TmxDate>,
    /// `creationid`: who created it.
    pub creation_id: Option<String>,
    /// `changedate`.
    pub change_date: Option<TmxDate>,
    /// `changeid`: who changed it last.
    pub change_id: Option<String>,
    /// `o-tmf`: the original translation memory format.
    pub o_tmf: Option<String>,
}

/// A `<prop>`: a typed, tool-specific property.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prop {
    /// `type`, e.g. `x-context`, `prev`, `next`.
    pub prop_type: String,
    /// The value, exactly as written.
    pub value: String,
    /// `xml:lang`, as written.
    pub lang: Option<String>,
    /// `o-encoding`.
    pub o_encoding: Option<String>,
}

/// A `<note>`: a free-text comment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// The note's text, exactly as written.
    pub text: String,
    /// `xml:lang`, as written.
    pub lang: Option<String>,
    /// `o-encoding`.
    pub o_encoding: Option<String>,
}

/// A translation unit: the same content in several languages.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranslationUnit {
    /// `tuid`: the unit's id in its source, if it had one.
    pub tuid: Option<String>,
    /// `srclang`: the source language as written (may be `*all*`).
    pub srclang: Option<String>,
    /// `segtype`: `block`, `paragraph`, `sentence` or `phrase`.
    pub segtype: Option<String>,
    /// The attributes shared with variants.
    pub attrs: Attributes,
    /// Properties, in file order.
    pub props: Vec<Prop>,
    /// Notes, in file order.
    pub notes: Vec<Note>,
    /// The variants, in file order.
    pub variants: Vec<Variant>,
}

impl TranslationUnit {
    /// The first variant whose language serves `lang` (see
    /// [`Lang::match_quality`]), preferring an exact tag match.
    pub fn variant(&self, lang: &Lang) -> Option<&Variant> {
        self.variants
            .iter()
            .filter_map(|v| Some((v.lang.match_quality(lang)?, v)))
            .filter(|(q, _)| *q >= crate::lang::LangMatch::Compatible)
            .max_by_key(|(q, _)| *q)
            .map(|(_, v)| v)
    }

    /// The value of the first prop of type `prop_type`.
    pub fn prop(&self, prop_type: &str) -> Option<&str> {
        self.props
            .iter()
            .find(|p| p.prop_type == prop_type)
            .map(|p| p.value.as_str())
    }
}

/// One language's content of a unit (`<tuv>`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variant {
    /// The language (`xml:lang`, or `lang` in TMX 1.1).
    pub lang: Lang,
    /// The attributes shared with units.
    pub attrs: Attributes,
    /// Properties, in file order.
    pub props: Vec<Prop>,
    /// Notes, in file order.
    pub notes: Vec<Note>,
    /// The text with its inline markup.
    pub segment: Segment,
}

impl Variant {
    /// A variant with plain text and no metadata.
    pub fn new(lang: Lang, text: impl Into<String>) -> Variant {
        Variant {
            lang,
            attrs: Attributes::default(),
            props: Vec::new(),
            notes: Vec::new(),
            segment: Segment::from_text(text),
        }
    }
}

/// Text with inline markup: the content of a `<seg>`.
///
/// Text is kept exactly as written (no trimming, no whitespace folding).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Segment {
    /// Text runs and inline elements, in order.
    pub content: Vec<Inline>,
}

/// A piece of a segment: text, an inline element, or a sub-flow.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Inline {
    /// Plain text.
    Text(String),
    /// An inline element (`bpt ept it ph hi ut`).
    Tag(InlineTag),
    /// A `<sub>`: a sub-flow of translatable text inside a tag's code.
    Sub(Sub),
}

/// The kinds of TMX inline element.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TagKind {
    /// `<bpt>`: the beginning of a paired native code.
    Bpt,
    /// `<ept>`: the end of a paired native code.
    Ept,
    /// `<it>`: an isolated code whose partner is outside the segment.
    It,
    /// `<ph>`: a standalone placeholder code.
    Ph,
    /// `<hi>`: highlighted text; its content is translatable text.
    Hi,
    /// `<ut>`: an unknown code (deprecated in TMX 1.4).
    Ut,
}

impl TagKind {
    /// The element name: `bpt`, `ept`, `it`, `ph`, `hi`, `ut`.
    pub fn as_str(self) -> &'static str {
        match self {
            TagKind::Bpt => "bpt",
            TagKind::Ept => "ept",
            TagKind::It => "it",
            TagKind::Ph => "ph",
            TagKind::Hi => "hi",
            TagKind::Ut => "ut",
        }
    }

    /// The kind for an element name.
    pub fn from_name(name: &str) -> Option<TagKind> {
        Some(match name {
            "bpt" => TagKind::Bpt,
            "ept" => TagKind::Ept,
            "it" => TagKind::It,
            "ph" => TagKind::Ph,
            "hi" => TagKind::Hi,
            "ut" => TagKind::Ut,
            _ => return None,
        })
    }
}

/// An inline element with its attributes and content.
///
/// For `bpt ept it ph ut` the content is native code (text, maybe with
/// [`Inline::Sub`]); for `hi` it is translatable text and may nest tags.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct InlineTag {
    /// Which element.
    pub kind: TagKind,
    /// `i`: pairs a `bpt` with its `ept`.
    pub i: Option<String>,
    /// `x`: matches the code across variants.
    pub x: Option<String>,
    /// `type`: what the code is (`bold`, `link`, …).
    pub tag_type: Option<String>,
    /// `pos` on `<it>`: `begin` or `end`.
    pub pos: Option<String>,
    /// `assoc` on `<ph>`: `p`, `f` or `b`.
    pub assoc: Option<String>,
    /// The element's content.
    pub content: Vec<Inline>,
}

impl InlineTag {
    /// An element of `kind` with no attributes and no content.
    pub fn new(kind: TagKind) -> InlineTag {
        InlineTag {
            kind,
            i: None,
            x: None,
            tag_type: None,
            pos: None,
            assoc: None,
            content: Vec::new(),
        }
    }
}

/// A `<sub>` element.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Sub {
    /// `datatype`.
    pub datatype: Option<String>,
    /// `type`.
    pub sub_type: Option<String>,
    /// Its translatable content.
    pub content: Vec<Inline>,
}

impl Segment {
    /// A segment holding only `text`.
    pub fn from_text(text: impl Into<String>) -> Segment {
        let text = text.into();
        if text.is_empty() {
            Segment::default()
        } else {
            Segment {
                content: vec![Inline::Text(text)],
            }
        }
    }

    /// True when the segment has no text and no tags.
    pub fn is_empty(&self) -> bool {
        self.content
            .iter()
            .all(|i| matches!(i, Inline::Text(t) if t.is_empty()))
    }

    /// The number of inline elements (not counting those inside `<sub>`).
    pub fn tag_count(&self) -> usize {
        fn count(items: &[Inline]) -> usize {
            items
                .iter()
                .map(|i| match i {
                    Inline::Tag(t) if t.kind == TagKind::Hi => 2 + count(&t.content),
                    Inline::Tag(_) => 1,
                    _ => 0,
                })
                .sum()
        }
        count(&self.content)
    }

    /// The text a matcher sees: text runs as written, each inline element as
    /// one placeholder character ([`tag_placeholder`]`(n)` for the n-th
    /// element), `<hi>` as an opening and a closing placeholder around its
    /// text. Native code and `<sub>` content are left out: they are not the
    /// segment's text.
    ///
    /// ```
    /// use korpu::model::{Inline, InlineTag, Segment, TagKind};
    /// let seg = Segment { content: vec![
    ///     Inline::Text("Press ".into()),
    ///     Inline::Tag(InlineTag::new(TagKind::Ph)),
    ///     Inline::Text(" now".into()),
    /// ]};
    /// assert_eq!(seg.plain_text(), "Press \u{E000} now");
    /// assert_eq!(seg.text_only(), "Press  now");
    /// ```
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        let mut n = 0;
        fn walk(items: &[Inline], out: &mut String, n: &mut usize, tags: bool) {
            for item in items {
                match item {
                    Inline::Text(t) => out.push_str(t),
                    Inline::Tag(tag) if tag.kind == TagKind::Hi => {
                        if tags {
                            out.push(tag_placeholder(*n));
                            *n += 1;
                        }
                        walk(&tag.content, out, n, tags);
                        if tags {
                            out.push(tag_placeholder(*n));
                            *n += 1;
                        }
                    }
                    Inline::Tag(_) => {
                        if tags {
                            out.push(tag_placeholder(*n));
                            *n += 1;
                        }
                    }
                    Inline::Sub(_) => {}
                }
            }
        }
        walk(&self.content, &mut out, &mut n, true);
        out
    }

    /// The text with every inline element left out (`<hi>` content kept).
    pub fn text_only(&self) -> String {
        fn walk(items: &[Inline], out: &mut String) {
            for item in items {
                match item {
                    Inline::Text(t) => out.push_str(t),
                    Inline::Tag(tag) if tag.kind == TagKind::Hi => walk(&tag.content, out),
                    _ => {}
                }
            }
        }
        let mut out = String::new();
        walk(&self.content, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_bad_ones_are_kept() {
        let d = TmxDate::parse("20210615T093000Z");
        assert!(d.is_valid());
        assert_eq!(d.to_string(), "20210615T093000Z");
        let bad = TmxDate::parse("2021-06-15");
        assert_eq!(bad, TmxDate::Invalid("2021-06-15".into()));
        assert_eq!(bad.to_string(), "2021-06-15");
        assert!(!TmxDate::parse("20211315T093000Z").is_valid());
        assert_eq!(
            TmxDate::parse("19991231T235960Z"),
            TmxDate::Valid {
                year: 1999,
                month: 12,
                day: 31,
                hour: 23,
                minute: 59,
                second: 60
            }
        );
        // A non-digit anywhere, a wrong separator or length, out-of-range fields.
        for bad in [
            "2021061AT093000Z",
            "20210615T09300:Z",
            "2021/615T093000Z",
            "20210615 093000Z",
            "20210615T093000z",
            "20210615T0930000Z",
            "20210615T093000",
            "20210015T093000Z",
            "20210600T093000Z",
            "20210615T240000Z",
            "20210615T096000Z",
            "20210615T093061Z",
            "２0210615T093000Z",
        ] {
            assert_eq!(TmxDate::parse(bad), TmxDate::Invalid(bad.into()), "{bad}");
        }
    }

    #[test]
    fn variant_prefers_exact_language() {
        let unit = TranslationUnit {
            variants: vec![
                Variant::new("az-Cyrl".parse().unwrap(), "Шуша"),
                Variant::new("az-Latn".parse().unwrap(), "Şuşa"),
                Variant::new("az".parse().unwrap(), "Şuşa!"),
            ],
            ..Default::default()
        };
        let v = unit.variant(&"az-Latn".parse().unwrap()).unwrap();
        assert_eq!(v.segment.plain_text(), "Şuşa");
        let v = unit.variant(&"az".parse().unwrap()).unwrap();
        assert_eq!(v.segment.plain_text(), "Şuşa!");
    }
}
