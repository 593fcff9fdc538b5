//! The segments of one buffered unit: where its source, target and
//! segment elements are, and their content.

use super::Version;
use super::engine::{Kind, UnitBuf, is_xml_space};
use super::inline::{Content, read_content};
use crate::text::placeholder_index;

/// One translatable segment of a unit.
#[derive(Debug)]
pub(crate) struct SegView {
    /// The segment's source content.
    pub source: Content,
    /// The event of `<source>` (or of the `<mrk mtype="seg">` in `<seg-source>`).
    pub source_el: usize,
    /// The target element's start event (`<target>`, or the target `<mrk>`).
    pub target_el: Option<usize>,
    pub target: Option<Content>,
    /// 2.x: the `<segment>` start event.
    pub segment_el: Option<usize>,
    /// 2.x segment id, or 1.2 `mid`.
    pub id: Option<String>,
    /// 2.x segment state, or 1.2 target state.
    pub state: Option<String>,
}

impl SegView {
    /// True when the segment needs a translation.
    pub(crate) fn untranslated(&self, version: Version) -> bool {
        let Some(target) = &self.target else { return true };
        if !has_text(&target.segment.plain_text()) {
            return true;
        }
        version == Version::V1_2 && matches!(self.state.as_deref(), Some("new" | "needs-translation"))
    }

    /// True when the segment's target is finished work: 1.2 `translated`,
    /// `signed-off`, `final` (or no state, or `approved="yes"`); 2.x
    /// `translated`, `reviewed`, `final` (or no state).
    pub(crate) fn finished(&self, version: Version, approved: bool) -> bool {
        let Some(target) = &self.target else { return false };
        if !has_text(&target.segment.plain_text()) {
            return false;
        }
        if approved {
            return true;
        }
        match (version, self.state.as_deref()) {
            (_, None) => true,
            (Version::V1_2, Some(s)) => matches!(s, "translated" | "signed-off" | "final"),
            (Version::V2, Some(s)) => matches!(s, "translated" | "reviewed" | "final"),
        }
    }
}

/// True when `text` has a character that is not whitespace or a tag placeholder.
pub(crate) fn has_text(text: &str) -> bool {
    text.chars()
        .any(|c| !c.is_whitespace() && placeholder_index(c).is_none())
}

/// The structure of one unit.
#[derive(Debug, Default)]
pub(crate) struct UnitView {
    pub segs: Vec<SegView>,
    /// 1.2: the unit has `<seg-source>`.
    pub segmented: bool,
    /// 1.2: `<source>`, `<seg-source>`, `<target>` start events.
    pub source_el: Option<usize>,
    pub seg_source_el: Option<usize>,
    pub target_el: Option<usize>,
    /// 1.2: the end event of the last child in the XLIFF namespace.
    pub last_core_end: Option<usize>,
    /// 1.2: the start event of that child.
    pub last_core_start: Option<usize>,
    /// 2.x: the first `<segment>` or `<ignorable>`.
    pub first_segment: Option<usize>,
    /// The whitespace before the unit's first child element.
    pub indent: String,
    pub notes: Vec<String>,
    /// (context-type, text) of 1.2 `<context>`s.
    pub contexts: Vec<(String, String)>,
}

fn text_of(unit: &UnitBuf, start: usize) -> String {
    let end = unit.events[start].end;
    unit.events[start..=end]
        .iter()
        .filter(|e| e.kind == Kind::Text)
        .map(|e| e.text.as_str())
        .collect()
}

/// The whitespace text event just before event `i`, if any.
pub(crate) fn indent_before(unit: &UnitBuf, i: usize) -> String {
    match i.checked_sub(1).map(|p| &unit.events[p]) {
        Some(e) if e.kind == Kind::Text && e.text.chars().all(is_xml_space) && unit.raw(i - 1) == e.text => {
            e.text.clone()
        }
        _ => String::new(),
    }
}

pub(crate) fn view(unit: &UnitBuf) -> UnitView {
    let mut v = UnitView::default();
    let ev = &unit.events;
    let mut i = 1;
    let mut first_child = true;
    while i < ev.len() {
        let e = &ev[i];
        if e.depth != 1 || !matches!(e.kind, Kind::Start | Kind::Empty) {
            i += 1;
            continue;
        }
        if first_child {
            v.indent = indent_before(unit, i);
            first_child = false;
        }
        if e.core {
            v.last_core_end = Some(e.end);
            v.last_core_start = Some(i);
            match (unit.version, e.name.as_str()) {
                (Version::V1_2, "source") => v.source_el = Some(i),
                (Version::V1_2, "seg-source") => v.seg_source_el = Some(i),
                (Version::V1_2, "target") => v.target_el = Some(i),
                (Version::V1_2, "note") => v.notes.push(text_of(unit, i)),
                (Version::V1_2, "context-group") => {
                    for (j, c) in ev.iter().enumerate().take(e.end).skip(i + 1) {
                        if c.is("context") {
                            let t = c.attr("context-type").unwrap_or("context").to_string();
                            v.contexts.push((t, text_of(unit, j)));
                        }
                    }
                }
                (Version::V2, "notes") => {
                    for (j, n) in ev.iter().enumerate().take(e.end).skip(i + 1) {
                        if n.is("note") {
                            v.notes.push(text_of(unit, j));
                        }
                    }
                }
                (Version::V2, "segment" | "ignorable") => {
                    if v.first_segment.is_none() {
                        v.first_segment = Some(i);
                    }
                    if e.name == "segment" {
                        let mut seg = SegView {
                            source: Content::default(),
                            source_el: i,
                            target_el: None,
                            target: None,
                            segment_el: Some(i),
                            id: e.attr("id").map(str::to_string),
                            state: e.attr("state").map(str::to_string),
                        };
                        for (j, c) in ev.iter().enumerate().take(e.end).skip(i + 1) {
                            if c.depth == 2 && c.is("source") {
                                seg.source_el = j;
                                seg.source = read_content(unit, j);
                            } else if c.depth == 2 && c.is("target") {
                                seg.target_el = Some(j);
                                seg.target = Some(read_content(unit, j));
                            }
                        }
                        v.segs.push(seg);
                    }
                }
                _ => {}
            }
        }
        i = e.end.max(i) + 1;
    }
    if unit.version == Version::V1_2 {
        let state = v.target_el.and_then(|t| ev[t].attr("state")).map(str::to_string);
        if let Some(ss) = v.seg_source_el {
            v.segmented = true;
            let marks = seg_marks(unit, ss);
            let target_marks = v.target_el.map(|t| seg_marks(unit, t)).unwrap_or_default();
            for m in marks {
                let mid = ev[m].attr("mid").map(str::to_string);
                let target_el = target_marks
                    .iter()
                    .copied()
                    .find(|&t| ev[t].attr("mid").map(str::to_string) == mid);
                v.segs.push(SegView {
                    source: read_content(unit, m),
                    source_el: m,
                    target_el,
                    target: target_el.map(|t| read_content(unit, t)),
                    segment_el: None,
                    id: mid,
                    state: state.clone(),
                });
            }
        } else if let Some(s) = v.source_el {
            v.segs.push(SegView {
                source: read_content(unit, s),
                source_el: s,
                target_el: v.target_el,
                target: v.target_el.map(|t| read_content(unit, t)),
                segment_el: None,
                id: None,
                state,
            });
        }
    }
    v
}

/// The `<mrk mtype="seg">` elements inside element `el`.
fn seg_marks(unit: &UnitBuf, el: usize) -> Vec<usize> {
    let end = unit.events[el].end;
    (el + 1..end)
        .filter(|&j| unit.events[j].is("mrk") && unit.events[j].attr("mtype") == Some("seg"))
        .collect()
}
