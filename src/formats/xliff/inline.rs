//! Inline codes: XLIFF content ↔ the model's [`Segment`], and the original
//! bytes of each code, so that a target can be written with the source's codes.

use crate::formats::xml::{self, Escape, NonXml};
use crate::model::{Inline, InlineTag, Segment, Sub, TagKind};
use crate::text::{placeholder_index, tag_placeholder};

use super::Version;
use super::engine::{Kind, UnitBuf};

/// How a code takes part in nesting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// A self-contained code (`x`, `ph`, `bpt`, `sc`, an empty `g`, …).
    Standalone,
    /// The start tag of an element with translatable content (`g`, `pc`, `mrk`).
    Open(usize),
    /// Its end tag; the number is the index of the matching `Open`.
    Close(usize),
}

/// One code of a source, by placeholder number.
#[derive(Clone, Debug)]
pub(crate) struct Code {
    /// The code's exact XML (a whole element, or a start or end tag).
    pub raw: String,
    pub role: Role,
}

/// Content of an element: the model segment and the codes, numbered as
/// [`Segment::plain_text`] numbers its placeholders.
#[derive(Clone, Debug, Default)]
pub(crate) struct Content {
    pub segment: Segment,
    pub codes: Vec<Code>,
}

fn paired(version: Version, name: &str) -> bool {
    match version {
        Version::V1_2 => matches!(name, "g" | "mrk"),
        Version::V2 => matches!(name, "pc" | "mrk"),
    }
}

/// Reads the content of the element whose start event is `start` (exclusive
/// of its own tags). Text outside codes is model text; each code keeps its
/// bytes.
pub(crate) fn read_content(unit: &UnitBuf, start: usize) -> Content {
    let end = unit.events[start].end;
    let mut out = Content::default();
    let mut stack: Vec<(Vec<Inline>, Option<InlineTag>)> = vec![(Vec::new(), None)];
    let mut open_codes: Vec<usize> = Vec::new();
    let mut i = start + 1;
    while i < end {
        let ev = &unit.events[i];
        match ev.kind {
            Kind::Text => push_text(&mut stack.last_mut().expect("stack never empty").0, &ev.text),
            Kind::Other | Kind::End => {
                if ev.kind == Kind::End {
                    // The end of a paired code.
                    if let Some(open) = open_codes.pop() {
                        out.codes.push(Code {
                            raw: unit.raw(i).to_string(),
                            role: Role::Close(open),
                        });
                        if stack.len() > 1 {
                            let (content, tag) = stack.pop().expect("checked");
                            let parent = &mut stack.last_mut().expect("stack never empty").0;
                            match tag {
                                Some(mut t) if t.kind == TagKind::Hi => {
                                    t.content = content;
                                    parent.push(Inline::Tag(t));
                                }
                                Some(t) => {
                                    // g / pc: Bpt, content, Ept.
                                    let mut ept = InlineTag::new(TagKind::Ept);
                                    ept.i = t.i.clone();
                                    parent.push(Inline::Tag(t));
                                    parent.extend(content);
                                    parent.push(Inline::Tag(ept));
                                }
                                None => parent.extend(content),
                            }
                        }
                    }
                }
            }
            Kind::Start | Kind::Empty => {
                let is_empty = ev.kind == Kind::Empty || ev.end == i + 1;
                if ev.core && paired(unit.version, &ev.name) && !is_empty {
                    let n = out.codes.len();
                    out.codes.push(Code {
                        raw: unit.raw(i).to_string(),
                        role: Role::Open(n),
                    });
                    open_codes.push(n);
                    stack.push((Vec::new(), Some(model_tag(unit.version, ev, ""))));
                    i += 1;
                    continue;
                }
                // A self-contained code: the whole element.
                let last = ev.end;
                let native: String = unit.events[i..=last]
                    .iter()
                    .filter(|e| e.kind == Kind::Text)
                    .map(|e| e.text.as_str())
                    .collect();
                out.codes.push(Code {
                    raw: unit.raw_span(i, last).to_string(),
                    role: Role::Standalone,
                });
                let tag = if ev.core {
                    model_tag(unit.version, ev, &native)
                } else {
                    let mut t = InlineTag::new(TagKind::Ph);
                    t.tag_type = Some(format!("x-{}", ev.name));
                    t
                };
                stack
                    .last_mut()
                    .expect("stack never empty")
                    .0
                    .push(Inline::Tag(tag));
                i = last + 1;
                continue;
            }
        }
        i += 1;
    }
    // Unbalanced content cannot occur (the XML parser checks nesting), but be safe.
    while stack.len() > 1 {
        let (content, _) = stack.pop().expect("checked");
        stack.last_mut().expect("stack never empty").0.extend(content);
    }
    out.segment = Segment {
        content: stack.pop().map(|s| s.0).unwrap_or_default(),
    };
    out
}

fn push_text(items: &mut Vec<Inline>, text: &str) {
    if let Some(Inline::Text(t)) = items.last_mut() {
        t.push_str(text);
    } else if !text.is_empty() {
        items.push(Inline::Text(text.to_string()));
    }
}

/// The model tag of an XLIFF inline element.
fn model_tag(version: Version, ev: &super::engine::Ev, native: &str) -> InlineTag {
    let id = ev.attr("id").map(str::to_string);
    let content = if native.is_empty() {
        Vec::new()
    } else {
        vec![Inline::Text(native.to_string())]
    };
    let mut t = match (version, ev.name.as_str()) {
        (Version::V1_2, "g") | (Version::V2, "pc") => {
            let mut t = InlineTag::new(TagKind::Bpt);
            t.i = id.clone();
            t
        }
        (_, "mrk") => {
            let mut t = InlineTag::new(TagKind::Hi);
            t.tag_type = ev
                .attr(if version == Version::V1_2 { "mtype" } else { "type" })
                .map(str::to_string);
            t.x = ev
                .attr(if version == Version::V1_2 { "mid" } else { "id" })
                .map(str::to_string);
            return t;
        }
        (Version::V1_2, "bx" | "bpt") | (Version::V2, "sc" | "sm") if ev.attr("isolated") != Some("yes") => {
            let mut t = InlineTag::new(TagKind::Bpt);
            t.i = ev.attr("rid").map(str::to_string).or(id.clone());
            t
        }
        (Version::V1_2, "ex" | "ept") | (Version::V2, "ec" | "em") if ev.attr("isolated") != Some("yes") => {
            let mut t = InlineTag::new(TagKind::Ept);
            t.i = ev
                .attr("rid")
                .or(ev.attr("startRef"))
                .map(str::to_string)
                .or(id.clone());
            t.content = content;
            return t;
        }
        (Version::V2, "sc") => {
            let mut t = InlineTag::new(TagKind::It);
            t.pos = Some("begin".into());
            t
        }
        (Version::V2, "ec") => {
            let mut t = InlineTag::new(TagKind::It);
            t.pos = Some("end".into());
            t
        }
        (Version::V1_2, "it") => {
            let mut t = InlineTag::new(TagKind::It);
            t.pos = Some(
                if ev.attr("pos") == Some("close") {
                    "end"
                } else {
                    "begin"
                }
                .into(),
            );
            t
        }
        _ => {
            let mut t = InlineTag::new(TagKind::Ph);
            t.assoc = ev.attr("assoc").map(str::to_string);
            t
        }
    };
    t.x = id;
    t.tag_type = ev
        .attr(if version == Version::V1_2 { "ctype" } else { "type" })
        .map(str::to_string);
    if version == Version::V2 && native.is_empty() {
        // 2.x keeps native code in originalData; `disp` is the display form.
        if let Some(d) = ev.attr("disp") {
            t.content = vec![Inline::Text(d.to_string())];
            return t;
        }
    }
    t.content = content;
    t
}

/// Element content: `&`, `<` and `>` as references, the rest as it is.
const TEXT: Escape = Escape::new(NonXml::Keep);

/// Attribute values in double quotes: `"` and whitespace as references too.
const ATTR: Escape = Escape::new(NonXml::Keep)
    .with(b'"', "&quot;")
    .with(b'\n', "&#10;")
    .with(b'\r', "&#13;")
    .with(b'\t', "&#9;");

/// Escapes text for element content.
pub(crate) fn escape_text(text: &str, out: &mut String) {
    xml::escape(out, text, &TEXT);
}

/// Escapes text for an attribute value in double quotes.
pub(crate) fn escape_attr(text: &str, out: &mut String) {
    xml::escape(out, text, &ATTR);
}

/// True when the placeholders of `text` use each code at most once and every
/// paired code's start and end appear, in order, properly nested.
pub(crate) fn codes_nest(text: &str, codes: &[Code]) -> bool {
    let mut stack = Vec::new();
    let mut seen = vec![false; codes.len()];
    for c in text.chars() {
        let Some(n) = placeholder_index(c) else { continue };
        let Some(code) = codes.get(n) else { return false };
        if std::mem::replace(&mut seen[n], true) {
            return false;
        }
        match code.role {
            Role::Standalone => {}
            Role::Open(_) => stack.push(n),
            Role::Close(open) => {
                if stack.pop() != Some(open) {
                    return false;
                }
            }
        }
    }
    stack.is_empty()
}

/// Writes `text` (placeholders naming `codes`) as XLIFF content: text
/// escaped, each placeholder as its code's original bytes. Placeholders with
/// no code are dropped.
pub(crate) fn write_with_codes(text: &str, codes: &[Code], out: &mut String) {
    for c in text.chars() {
        match placeholder_index(c) {
            Some(n) => {
                if let Some(code) = codes.get(n) {
                    out.push_str(&code.raw);
                }
            }
            None => escape_text(&c.to_string(), out),
        }
    }
}

/// Writes a model segment as XLIFF content of `version`, with the standard
/// mapping: 1.2 `bpt ept it ph mrk`; 2.x `sc ec ph mrk` (native code in
/// `disp`). `ids` numbers the codes so that they are unique in the element.
pub(crate) fn write_segment(seg: &Segment, version: Version, out: &mut String) {
    let mut n = 0usize;
    // Which Bpt `i`s have their Ept in the segment (2.x needs `isolated` otherwise).
    let mut begins = Vec::new();
    let mut ends = Vec::new();
    fn collect(items: &[Inline], begins: &mut Vec<String>, ends: &mut Vec<String>) {
        for item in items {
            if let Inline::Tag(t) = item {
                match t.kind {
                    TagKind::Bpt => begins.push(t.i.clone().unwrap_or_default()),
                    TagKind::Ept => ends.push(t.i.clone().unwrap_or_default()),
                    TagKind::Hi => collect(&t.content, begins, ends),
                    _ => {}
                }
            }
        }
    }
    collect(&seg.content, &mut begins, &mut ends);
    write_items(&seg.content, version, &begins, &ends, &mut n, out);
}

fn native_text(items: &[Inline]) -> String {
    let mut s = String::new();
    for i in items {
        match i {
            Inline::Text(t) => s.push_str(t),
            Inline::Sub(Sub { content, .. }) => s.push_str(&native_text(content)),
            Inline::Tag(t) => s.push_str(&native_text(&t.content)),
        }
    }
    s
}

fn write_items(
    items: &[Inline],
    version: Version,
    begins: &[String],
    ends: &[String],
    n: &mut usize,
    out: &mut String,
) {
    for item in items {
        match item {
            Inline::Text(t) => escape_text(t, out),
            Inline::Sub(s) => escape_text(&native_text(&s.content), out),
            Inline::Tag(t) => {
                *n += 1;
                let i = t.i.clone().unwrap_or_else(|| n.to_string());
                let x = t.x.clone().unwrap_or_else(|| n.to_string());
                let native = native_text(&t.content);
                let attr = |out: &mut String, k: &str, v: &str| {
                    out.push(' ');
                    out.push_str(k);
                    out.push_str("=\"");
                    escape_attr(v, out);
                    out.push('"');
                };
                match (version, t.kind) {
                    (_, TagKind::Hi) => {
                        out.push_str("<mrk");
                        if version == Version::V2 {
                            attr(out, "id", &format!("m{n}"));
                            attr(out, "type", t.tag_type.as_deref().unwrap_or("generic"));
                        } else {
                            attr(out, "mtype", t.tag_type.as_deref().unwrap_or("x-hi"));
                        }
                        out.push('>');
                        write_items(&t.content, version, begins, ends, n, out);
                        out.push_str("</mrk>");
                    }
                    (Version::V1_2, kind) => {
                        let name = match kind {
                            TagKind::Bpt => "bpt",
                            TagKind::Ept => "ept",
                            TagKind::It => "it",
                            _ => "ph",
                        };
                        out.push('<');
                        out.push_str(name);
                        attr(
                            out,
                            "id",
                            if matches!(kind, TagKind::Bpt | TagKind::Ept) {
                                &i
                            } else {
                                &x
                            },
                        );
                        if kind == TagKind::It {
                            attr(
                                out,
                                "pos",
                                if t.pos.as_deref() == Some("end") {
                                    "close"
                                } else {
                                    "open"
                                },
                            );
                        }
                        if let Some(ct) = &t.tag_type {
                            attr(out, "ctype", ct);
                        }
                        out.push('>');
                        escape_text(&native, out);
                        out.push_str("</");
                        out.push_str(name);
                        out.push('>');
                    }
                    (Version::V2, kind) => {
                        let (name, isolated) = match kind {
                            TagKind::Bpt => ("sc", !ends.contains(&i)),
                            TagKind::Ept => ("ec", !begins.contains(&i)),
                            TagKind::It if t.pos.as_deref() == Some("end") => ("ec", true),
                            TagKind::It => ("sc", true),
                            _ => ("ph", false),
                        };
                        out.push('<');
                        out.push_str(name);
                        if name == "ec" && !isolated {
                            attr(out, "startRef", &format!("c{i}"));
                        } else if name == "ph" {
                            attr(out, "id", &format!("p{n}"));
                        } else if name == "sc" && !isolated {
                            attr(out, "id", &format!("c{i}"));
                        } else {
                            attr(out, "id", &format!("i{n}"));
                        }
                        if isolated {
                            attr(out, "isolated", "yes");
                        }
                        if !native.is_empty() {
                            attr(out, "disp", &native);
                        }
                        out.push_str("/>");
                    }
                }
            }
        }
    }
}

/// Maps the placeholders of a TM target (numbered in `tm_target`'s order) to
/// the query's codes (numbered in `query`'s order), through the TM source.
///
/// Returns the text with placeholders renumbered and `true` when every code
/// of the target and of the query found its partner. Target codes without a
/// partner are dropped.
pub(crate) fn transfer_codes(
    query: &Segment,
    tm_source: &Segment,
    tm_target: &Segment,
    adapted: &str,
) -> (String, bool) {
    let q = tag_list(query);
    let s = tag_list(tm_source);
    let t = tag_list(tm_target);
    // Target tag j → source tag k: same kind and same id, else the m-th of its kind.
    let mut used = vec![false; s.len()];
    let mut t_to_s = vec![None; t.len()];
    for (j, tj) in t.iter().enumerate() {
        if tj.1.is_some()
            && let Some(k) = (0..s.len()).find(|&k| !used[k] && s[k].0 == tj.0 && s[k].1 == tj.1)
        {
            used[k] = true;
            t_to_s[j] = Some(k);
        }
    }
    for (j, tj) in t.iter().enumerate() {
        if t_to_s[j].is_none()
            && let Some(k) = (0..s.len()).find(|&k| !used[k] && s[k].0 == tj.0)
        {
            used[k] = true;
            t_to_s[j] = Some(k);
        }
    }
    // Source tag k → query tag k, when the kinds agree.
    let s_to_q = |k: usize| -> Option<usize> { (k < q.len() && q[k].0 == s[k].0).then_some(k) };
    let mut complete = q.len() == s.len();
    let mut out = String::with_capacity(adapted.len());
    let mut placed = vec![false; q.len()];
    for c in adapted.chars() {
        match placeholder_index(c) {
            Some(j) => match t_to_s.get(j).copied().flatten().and_then(s_to_q) {
                Some(n) => {
                    placed[n] = true;
                    out.push(tag_placeholder(n));
                }
                None => complete = false,
            },
            None => out.push(c),
        }
    }
    complete &= placed.iter().all(|&p| p);
    (out, complete)
}

/// The tags of a segment in placeholder order: (kind class, id).
fn tag_list(seg: &Segment) -> Vec<(u8, Option<String>)> {
    fn walk(items: &[Inline], out: &mut Vec<(u8, Option<String>)>) {
        for item in items {
            if let Inline::Tag(t) = item {
                let id = t.i.clone().or(t.x.clone());
                match t.kind {
                    TagKind::Hi => {
                        out.push((10, t.x.clone()));
                        walk(&t.content, out);
                        out.push((11, t.x.clone()));
                    }
                    TagKind::Bpt => out.push((1, id)),
                    TagKind::Ept => out.push((2, id)),
                    _ => out.push((3, id)),
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(&seg.content, &mut out);
    out
}
