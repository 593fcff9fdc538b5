//! `--segment`: a unit that is one segment is split into sentences with
//! korpu's segmenter (the rules of the file's source language) before lookup.
//!
//! The unit is rebuilt as a new [`UnitBuf`] holding the segmented structure,
//! so that everything downstream (lookups, targets, candidates, the summary)
//! treats it exactly like a unit that came segmented:
//!
//! - 1.2: a `<seg-source>` right after `<source>`, with one
//!   `<mrk mtype="seg" mid="N">` per sentence; the white space between
//!   sentences stays outside the marks. `<source>` itself is not touched.
//! - 2.x: the one `<segment>` becomes several, with an `<ignorable>` holding
//!   the white space between two sentences. The first segment keeps the
//!   original id; the others get `ID-2`, `ID-3`, … (unique in the unit).
//!
//! Inline codes go with the sentence they are in. A code between two
//! sentences goes with the first when it touches its end (`First.<x/> Second.`)
//! and with the second otherwise. A boundary inside a paired code (`g`/`pc`/
//! `mrk` content, or a `bpt`/`ept`, `bx`/`ex`, `sc`/`ec`, `sm`/`em` pair) is
//! not used: those sentences stay together, so every segment is well-formed
//! and carries both halves of its pairs.
//!
//! Units are left as they are when they are already segmented (1.2
//! `<seg-source>`, 2.x more than one `<segment>`), have a target with text
//! (it could not be split to match), are not translatable, have
//! `canResegment="no"` (2.x, inherited), have no source language, or hold a
//! single sentence.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use crate::lang::Lang;
use crate::segment::Segmenter;

use super::Version;
use super::engine::{Ev, Kind, UnitBuf, is_xml_space};
use super::inline::{escape_attr, escape_text};
use super::unit::indent_before;

/// Segmenters by source language tag, built on first use.
#[derive(Debug, Default)]
pub(crate) struct Segmenters {
    by_tag: HashMap<String, Option<Segmenter>>,
}

impl Segmenters {
    fn get(&mut self, tag: &str) -> Option<&Segmenter> {
        self.by_tag
            .entry(tag.to_string())
            .or_insert_with(|| tag.parse::<Lang>().ok().map(|lang| Segmenter::new(&lang)))
            .as_ref()
    }
}

/// `unit` split into sentences, or `unit` itself when it is not to be split
/// (see the module docs).
pub(crate) fn split_unit(unit: Box<UnitBuf>, segmenters: &mut Segmenters) -> Box<UnitBuf> {
    if !unit.translate {
        return unit;
    }
    let Some(segmenter) = unit.src_lang.as_deref().and_then(|t| segmenters.get(t)) else {
        return unit;
    };
    let split = match unit.version {
        Version::V1_2 => split_12(&unit, segmenter),
        Version::V2 => split_20(&unit, segmenter),
    };
    split.map(Box::new).unwrap_or(unit)
}

/// How a code takes part in pairing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pairing {
    /// Opens a pair closed later in the same content.
    Open,
    /// Closes a pair opened earlier.
    Close,
    /// Self-contained (or half of a pair whose other half is elsewhere).
    Alone,
}

/// An inline code (or comment) of a source: events `first..=last`, placed
/// before the text byte `anchor`.
#[derive(Debug)]
struct Code {
    anchor: usize,
    first: usize,
    last: usize,
    pairing: Pairing,
}

/// A source's content as text (codes taken out) and codes anchored in it.
#[derive(Debug, Default)]
struct Flat {
    text: String,
    codes: Vec<Code>,
}

/// A place between two segments: segment k ends at text byte `end` after the
/// codes before `code`; segment k+1 starts at text byte `start` with code
/// `code`. `text[end..start]` is white space outside both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Cut {
    end: usize,
    code: usize,
    start: usize,
}

fn paired_element(version: Version, name: &str) -> bool {
    match version {
        Version::V1_2 => matches!(name, "g" | "mrk"),
        Version::V2 => matches!(name, "pc" | "mrk"),
    }
}

/// `(opens, key)` of a code that is half of a pair of empty elements.
fn pair_key(version: Version, ev: &Ev) -> Option<(bool, String)> {
    if !ev.core {
        return None;
    }
    let attr = |k: &str| ev.attr(k).unwrap_or_default();
    let isolated = ev.attr("isolated") == Some("yes");
    let (opens, kind, id) = match (version, ev.name.as_str()) {
        (Version::V1_2, "bpt") => (true, "bpt", attr("id")),
        (Version::V1_2, "ept") => (false, "bpt", attr("id")),
        (Version::V1_2, "bx") => (true, "bx", ev.attr("rid").unwrap_or(attr("id"))),
        (Version::V1_2, "ex") => (false, "bx", ev.attr("rid").unwrap_or(attr("id"))),
        (Version::V2, "sc") if !isolated => (true, "sc", attr("id")),
        (Version::V2, "ec") if !isolated => (false, "sc", attr("startRef")),
        (Version::V2, "sm") => (true, "sm", attr("id")),
        (Version::V2, "em") => (false, "sm", attr("startRef")),
        _ => return None,
    };
    Some((opens, format!("{kind} {id}")))
}

/// The content of element `el` as text and anchored codes.
fn flatten(unit: &UnitBuf, el: usize) -> Flat {
    let ev = &unit.events;
    let end = ev[el].end;
    let mut flat = Flat::default();
    let mut keys: Vec<Option<(bool, String)>> = Vec::new();
    let mut i = el + 1;
    while i < end {
        let e = &ev[i];
        let anchor = flat.text.len();
        let (last, pairing, key) = match e.kind {
            Kind::Text => {
                flat.text.push_str(&e.text);
                i += 1;
                continue;
            }
            Kind::Other => (i, Pairing::Alone, None),
            Kind::End => (i, Pairing::Close, None),
            Kind::Start | Kind::Empty => {
                let empty = e.kind == Kind::Empty || e.end == i + 1;
                if e.core && paired_element(unit.version, &e.name) && !empty {
                    (i, Pairing::Open, None)
                } else {
                    (e.end.max(i), Pairing::Alone, pair_key(unit.version, e))
                }
            }
        };
        flat.codes.push(Code {
            anchor,
            first: i,
            last,
            pairing,
        });
        keys.push(key);
        i = last + 1;
    }
    // Halves of empty-element pairs pair up when both are here, in order.
    let mut open: HashMap<&str, Vec<usize>> = HashMap::new();
    for (n, key) in keys.iter().enumerate() {
        match key {
            Some((true, k)) => open.entry(k.as_str()).or_default().push(n),
            Some((false, k)) => {
                if let Some(o) = open.get_mut(k.as_str()).and_then(Vec::pop) {
                    flat.codes[o].pairing = Pairing::Open;
                    flat.codes[n].pairing = Pairing::Close;
                }
            }
            None => {}
        }
    }
    flat
}

/// The cuts between sentences of `flat` where no pair is open; `None` when
/// there is only one segment.
fn cuts(flat: &Flat, segmenter: &Segmenter) -> Option<Vec<Cut>> {
    let spans: Vec<Range<usize>> = segmenter.spans(&flat.text).collect();
    if spans.len() < 2 {
        return None;
    }
    // balanced[c]: no pair is open after the codes before c.
    let mut balanced = Vec::with_capacity(flat.codes.len() + 1);
    let mut depth = 0i64;
    balanced.push(true);
    for code in &flat.codes {
        match code.pairing {
            Pairing::Open => depth += 1,
            Pairing::Close => depth -= 1,
            Pairing::Alone => {}
        }
        balanced.push(depth == 0);
    }
    let codes = &flat.codes;
    let mut out = Vec::new();
    for pair in spans.windows(2) {
        let (gap_start, gap_end) = (pair[0].end, pair[1].start);
        let mut c = codes.partition_point(|k| k.anchor < gap_start);
        // Codes touching the end of the sentence (closing or self-contained) stay with it.
        while c < codes.len() && codes[c].anchor == gap_start && codes[c].pairing != Pairing::Open {
            c += 1;
        }
        let start = match codes.get(c) {
            Some(k) if k.anchor == gap_start => gap_start,
            Some(k) => k.anchor.min(gap_end),
            None => gap_end,
        };
        if balanced[c] {
            out.push(Cut {
                end: gap_start,
                code: c,
                start,
            });
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Builds a unit event by event, keeping depths and end indices as the
/// engine does.
struct Builder {
    unit: UnitBuf,
    stack: Vec<usize>,
}

impl Builder {
    fn new(from: &UnitBuf) -> Builder {
        Builder {
            unit: UnitBuf {
                bytes: Vec::with_capacity(from.bytes.len() * 2),
                events: Vec::with_capacity(from.events.len() * 2),
                version: from.version,
                src_lang: from.src_lang.clone(),
                trg_lang: from.trg_lang.clone(),
                file_original: from.file_original.clone(),
                translate: from.translate,
                can_resegment: from.can_resegment,
                location: from.location.clone(),
            },
            stack: Vec::new(),
        }
    }

    fn push(
        &mut self,
        kind: Kind,
        name: &str,
        core: bool,
        raw: &str,
        attrs: Vec<(String, String)>,
        text: &str,
    ) {
        let unit = &mut self.unit;
        let idx = unit.events.len();
        let range = unit.bytes.len()..unit.bytes.len() + raw.len();
        unit.bytes.extend_from_slice(raw.as_bytes());
        if kind == Kind::End
            && let Some(start) = self.stack.pop()
        {
            unit.events[start].end = idx;
        }
        unit.events.push(Ev {
            kind,
            name: name.to_string(),
            core,
            depth: self.stack.len(),
            raw: range,
            attrs,
            text: text.to_string(),
            end: idx,
        });
        if kind == Kind::Start {
            self.stack.push(idx);
        }
    }

    fn copy(&mut self, from: &UnitBuf, range: Range<usize>) {
        for i in range {
            let e = &from.events[i];
            self.push(e.kind, &e.name, e.core, from.raw(i), e.attrs.clone(), &e.text);
        }
    }

    fn text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        let mut raw = String::with_capacity(text.len());
        escape_text(text, &mut raw);
        self.push(Kind::Text, "", false, &raw, Vec::new(), text);
    }

    fn start(&mut self, prefix: &str, name: &str, attrs: Vec<(String, String)>) {
        let mut raw = format!("<{prefix}{name}");
        for (k, v) in &attrs {
            raw.push(' ');
            raw.push_str(k);
            raw.push_str("=\"");
            escape_attr(v, &mut raw);
            raw.push('"');
        }
        raw.push('>');
        self.push(Kind::Start, name, true, &raw, attrs, "");
    }

    fn end(&mut self, prefix: &str, name: &str) {
        self.push(
            Kind::End,
            name,
            true,
            &format!("</{prefix}{name}>"),
            Vec::new(),
            "",
        );
    }

    /// The content of `flat` from `from` to `to` (text byte, code index):
    /// text escaped, codes copied event by event.
    fn content(&mut self, source: &UnitBuf, flat: &Flat, from: (usize, usize), to: (usize, usize)) {
        let mut pos = from.0;
        for code in &flat.codes[from.1..to.1] {
            if code.anchor > pos {
                self.text(&flat.text[pos..code.anchor]);
                pos = code.anchor;
            }
            self.copy(source, code.first..code.last + 1);
        }
        if to.0 > pos {
            self.text(&flat.text[pos..to.0]);
        }
    }
}

/// The (text byte, code index) bounds of each segment.
fn bounds(flat: &Flat, cuts: &[Cut]) -> Vec<((usize, usize), (usize, usize))> {
    let mut out = Vec::with_capacity(cuts.len() + 1);
    let mut from = (0, 0);
    for cut in cuts {
        out.push((from, (cut.end, cut.code)));
        from = (cut.start, cut.code);
    }
    out.push((from, (flat.text.len(), flat.codes.len())));
    out
}

/// The core children (depth 1 starts) of a unit, or of element `el`.
fn children(unit: &UnitBuf, el: usize) -> impl Iterator<Item = usize> + '_ {
    let ev = &unit.events;
    let depth = ev[el].depth + 1;
    (el + 1..ev[el].end).filter(move |&i| {
        ev[i].core && ev[i].depth == depth && matches!(ev[i].kind, Kind::Start | Kind::Empty)
    })
}

/// True when element `el` holds text other than white space.
fn has_text_inside(unit: &UnitBuf, el: usize) -> bool {
    let ev = &unit.events;
    (el + 1..ev[el].end).any(|i| ev[i].kind == Kind::Text && !ev[i].text.chars().all(is_xml_space))
}

/// `prefix:` of an element written `prefix:name`.
fn prefix_of(unit: &UnitBuf, i: usize) -> &str {
    let qname = unit.qname(i);
    qname.rfind(':').map_or("", |p| &qname[..=p])
}

fn split_12(unit: &UnitBuf, segmenter: &Segmenter) -> Option<UnitBuf> {
    let ev = &unit.events;
    let mut source = None;
    for i in children(unit, 0) {
        match ev[i].name.as_str() {
            "source" if source.is_none() => source = Some(i),
            "source" | "seg-source" => return None,
            "target" if has_text_inside(unit, i) => return None,
            _ => {}
        }
    }
    let s = source?;
    let flat = flatten(unit, s);
    let cuts = cuts(&flat, segmenter)?;
    let prefix = prefix_of(unit, s);
    let used: HashSet<&str> = ev.iter().filter_map(|e| e.attr("mid")).collect();
    let mut mids = (1..)
        .map(|n: usize| n.to_string())
        .filter(|m| !used.contains(m.as_str()));
    let mut b = Builder::new(unit);
    let source_end = ev[s].end;
    b.copy(unit, 0..source_end + 1);
    b.text(&indent_before(unit, s));
    let attrs = ev[s]
        .attrs
        .iter()
        .filter(|(k, _)| k == "xml:lang" || k == "xml:space")
        .cloned()
        .collect();
    b.start(prefix, "seg-source", attrs);
    for (k, (from, to)) in bounds(&flat, &cuts).into_iter().enumerate() {
        if k > 0 {
            let gap = &cuts[k - 1];
            b.text(&flat.text[gap.end..gap.start]);
        }
        let mid = mids.next().unwrap_or_default();
        b.start(
            prefix,
            "mrk",
            vec![("mtype".into(), "seg".into()), ("mid".into(), mid)],
        );
        b.content(unit, &flat, from, to);
        b.end(prefix, "mrk");
    }
    b.end(prefix, "seg-source");
    b.copy(unit, source_end + 1..ev.len());
    Some(b.unit)
}

fn split_20(unit: &UnitBuf, segmenter: &Segmenter) -> Option<UnitBuf> {
    let ev = &unit.events;
    let mut segment = None;
    for i in children(unit, 0) {
        if ev[i].name == "segment" {
            if segment.is_some() {
                return None;
            }
            segment = Some(i);
        }
    }
    let seg = segment?;
    if !unit.can_resegment || ev[seg].attr("canResegment") == Some("no") {
        return None;
    }
    let mut source = None;
    for i in children(unit, seg) {
        match ev[i].name.as_str() {
            "source" => source = Some(i),
            "target" if has_text_inside(unit, i) => return None,
            _ => {}
        }
    }
    let s = source?;
    let flat = flatten(unit, s);
    let cuts = cuts(&flat, segmenter)?;
    let prefix = prefix_of(unit, seg);
    let indent = indent_before(unit, seg);
    let before_source = indent_before(unit, s);
    let before_end = indent_before(unit, ev[seg].end);
    let ids: HashSet<&str> = ev.iter().filter_map(|e| e.attr("id")).collect();
    let first_id = ev[seg].attr("id");
    let others: Vec<(String, String)> = ev[seg].attrs.iter().filter(|(k, _)| k != "id").cloned().collect();
    let mut b = Builder::new(unit);
    b.copy(unit, 0..seg);
    for (k, (from, to)) in bounds(&flat, &cuts).into_iter().enumerate() {
        if k > 0 {
            b.text(&indent);
            let gap = &cuts[k - 1];
            if gap.start > gap.end {
                b.start(prefix, "ignorable", Vec::new());
                b.text(&before_source);
                b.start(prefix, "source", ev[s].attrs.clone());
                b.text(&flat.text[gap.end..gap.start]);
                b.end(prefix, "source");
                b.text(&before_end);
                b.end(prefix, "ignorable");
                b.text(&indent);
            }
        }
        let attrs = match (k, first_id) {
            (0, _) => ev[seg].attrs.clone(),
            (_, None) => others.clone(),
            (_, Some(id)) => {
                let mut new = format!("{id}-{}", k + 1);
                while ids.contains(new.as_str()) {
                    new.push_str("-k");
                }
                let mut attrs = vec![("id".to_string(), new)];
                attrs.extend(others.iter().cloned());
                attrs
            }
        };
        b.start(prefix, "segment", attrs);
        b.text(&before_source);
        b.start(prefix, "source", ev[s].attrs.clone());
        b.content(unit, &flat, from, to);
        b.end(prefix, "source");
        b.text(&before_end);
        b.end(prefix, "segment");
    }
    b.copy(unit, ev[seg].end + 1..ev.len());
    Some(b.unit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::xliff::engine::{Engine, Item};
    use crate::formats::xliff::unit::view;

    /// The units of a document, split.
    fn split_all(doc: &str) -> Vec<(Box<UnitBuf>, String)> {
        let mut engine = Engine::new(doc.as_bytes()).unwrap();
        let mut segmenters = Segmenters::default();
        let mut out = Vec::new();
        loop {
            match engine.next_item().unwrap() {
                Item::Unit(u) => {
                    let split = split_unit(u, &mut segmenters);
                    let text = split.raw_span(0, split.events.len() - 1).to_string();
                    out.push((split, text));
                }
                Item::Bytes(_) => {}
                Item::End => return out,
            }
        }
    }

    fn doc12(lang: &str, source: &str) -> String {
        format!(
            "<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\"><file source-language=\"{lang}\" \
             target-language=\"en\" datatype=\"plaintext\" original=\"a\"><body>\n  <trans-unit id=\"1\">\n    \
             <source>{source}</source>\n  </trans-unit>\n</body></file></xliff>"
        )
    }

    fn doc20(source: &str) -> String {
        format!(
            "<xliff version=\"2.0\" xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" srcLang=\"en\" trgLang=\"tr\">\
             <file id=\"f\"><unit id=\"u1\">\n  <segment id=\"s1\" state=\"initial\">\n    <source>{source}</source>\n  \
             </segment>\n</unit></file></xliff>"
        )
    }

    /// The sources of each segment as written.
    fn sources(unit: &UnitBuf) -> Vec<String> {
        view(unit)
            .segs
            .iter()
            .map(|s| {
                let el = s.source_el;
                unit.raw_span(el + 1, unit.events[el].end - 1).to_string()
            })
            .collect()
    }

    #[test]
    fn xliff12_sentences_get_marks_with_the_white_space_outside() {
        let units = split_all(&doc12("en", "Hello <x id=\"1\"/>world. How are you? Fine."));
        let (unit, text) = &units[0];
        assert_eq!(
            text,
            "<trans-unit id=\"1\">\n    <source>Hello <x id=\"1\"/>world. How are you? Fine.</source>\n    \
             <seg-source><mrk mtype=\"seg\" mid=\"1\">Hello <x id=\"1\"/>world.</mrk> <mrk mtype=\"seg\" \
             mid=\"2\">How are you?</mrk> <mrk mtype=\"seg\" mid=\"3\">Fine.</mrk></seg-source>\n  </trans-unit>"
        );
        let v = view(unit);
        assert!(v.segmented);
        let mids: Vec<_> = v.segs.iter().map(|s| s.id.clone().unwrap()).collect();
        assert_eq!(mids, ["1", "2", "3"]);
        assert_eq!(v.segs[0].source.segment.plain_text(), "Hello \u{E000}world.");
    }

    #[test]
    fn turkish_and_azerbaijani_abbreviations_do_not_split() {
        let units = split_all(&doc12(
            "tr",
            "Prof. Dr. Ayşe Kaya 5. maddeyi okudu. Toplantı 14.30&apos;da bitti.",
        ));
        assert_eq!(
            sources(&units[0].0),
            [
                "Prof. Dr. Ayşe Kaya 5. maddeyi okudu.",
                "Toplantı 14.30'da bitti."
            ]
        );
        let units = split_all(&doc12(
            "az",
            "Bakı, Gəncə və s. şəhərlərdə yağış yağdı. Sabah hava açılacaq.",
        ));
        assert_eq!(
            sources(&units[0].0),
            [
                "Bakı, Gəncə və s. şəhərlərdə yağış yağdı.",
                "Sabah hava açılacaq."
            ]
        );
    }

    #[test]
    fn codes_go_with_their_sentence_and_pairs_are_never_cut() {
        // A g inside one sentence; an x touching the end of the first; a bpt/ept pair in the second.
        let units = split_all(&doc12(
            "en",
            "Click <g id=\"1\">Save</g>.<x id=\"2\"/> Then <bpt id=\"3\">&lt;b></bpt>quit<ept id=\"3\">&lt;/b></ept>.",
        ));
        assert_eq!(
            sources(&units[0].0),
            [
                "Click <g id=\"1\">Save</g>.<x id=\"2\"/>",
                "Then <bpt id=\"3\">&lt;b></bpt>quit<ept id=\"3\">&lt;/b></ept>."
            ]
        );
        // A g spanning the boundary: one segment, the unit is left as it was.
        let doc = doc12(
            "en",
            "<g id=\"1\">First sentence. Second sentence.</g> Third one.",
        );
        assert_eq!(
            sources(&split_all(&doc)[0].0),
            ["<g id=\"1\">First sentence. Second sentence.</g>", "Third one."]
        );
        let doc = doc12("en", "<g id=\"1\">First sentence. Second sentence.</g>");
        assert_eq!(
            split_all(&doc)[0].1,
            doc[doc.find("<trans-unit").unwrap()..doc.find("\n</body>").unwrap()]
        );
        // bpt/ept around a boundary.
        let doc = doc12(
            "en",
            "<bpt id=\"1\">&lt;i></bpt>One. Two.<ept id=\"1\">&lt;/i></ept>",
        );
        assert!(!view(&split_all(&doc)[0].0).segmented);
        // An opening code after the gap goes with the next sentence.
        let doc = doc12("en", "One. <g id=\"1\">Two.</g>");
        assert_eq!(sources(&split_all(&doc)[0].0), ["One.", "<g id=\"1\">Two.</g>"]);
    }

    #[test]
    fn xliff2_segment_splits_with_ignorables_and_unique_ids() {
        let doc = doc20("Hello <pc id=\"1\">big</pc> world. <ph id=\"2\"/>Next one.");
        let (unit, text) = &split_all(&doc)[0];
        assert_eq!(
            text,
            "<unit id=\"u1\">\n  <segment id=\"s1\" state=\"initial\">\n    <source>Hello <pc id=\"1\">big</pc> \
             world.</source>\n  </segment>\n  <ignorable>\n    <source> </source>\n  </ignorable>\n  <segment \
             id=\"s1-2\" state=\"initial\">\n    <source><ph id=\"2\"/>Next one.</source>\n  </segment>\n</unit>"
        );
        let v = view(unit);
        assert_eq!(v.segs.len(), 2);
        assert_eq!(v.segs[1].id.as_deref(), Some("s1-2"));
        // sc/ec around the boundary stay together; so does pc.
        for source in [
            "<sc id=\"1\"/>One. Two.<ec startRef=\"1\"/>",
            "<pc id=\"1\">One. Two.</pc>",
        ] {
            assert_eq!(view(&split_all(&doc20(source))[0].0).segs.len(), 1, "{source}");
        }
        // An isolated sc does not hold sentences together.
        let doc = doc20("<sc id=\"1\" isolated=\"yes\"/>One. Two.");
        assert_eq!(view(&split_all(&doc)[0].0).segs.len(), 2);
    }

    #[test]
    fn segmented_translated_and_locked_units_are_left_alone() {
        let docs = [
            // Already segmented (1.2).
            "<xliff version=\"1.2\"><file source-language=\"en\" target-language=\"tr\" datatype=\"x\" original=\"a\">\
             <body><trans-unit id=\"1\"><source>One. Two.</source><seg-source><mrk mtype=\"seg\" mid=\"1\">One. \
             Two.</mrk></seg-source></trans-unit></body></file></xliff>",
            // A target with text.
            "<xliff version=\"1.2\"><file source-language=\"en\" target-language=\"tr\" datatype=\"x\" original=\"a\">\
             <body><trans-unit id=\"1\"><source>One. Two.</source><target>Bir. İki.</target></trans-unit></body>\
             </file></xliff>",
            // translate="no".
            "<xliff version=\"1.2\"><file source-language=\"en\" target-language=\"tr\" datatype=\"x\" original=\"a\">\
             <body><trans-unit id=\"1\" translate=\"no\"><source>One. Two.</source></trans-unit></body></file></xliff>",
            // Two segments already (2.x).
            "<xliff version=\"2.0\" xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" srcLang=\"en\"><file id=\"f\">\
             <unit id=\"u\"><segment><source>One. Two.</source></segment><segment><source>Three.</source></segment>\
             </unit></file></xliff>",
            // canResegment="no" inherited from the file.
            "<xliff version=\"2.0\" xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" srcLang=\"en\"><file id=\"f\" \
             canResegment=\"no\"><unit id=\"u\"><segment><source>One. Two.</source></segment></unit></file></xliff>",
            // No source language.
            "<xliff version=\"1.2\"><file datatype=\"x\" original=\"a\"><body><trans-unit id=\"1\"><source>One. \
             Two.</source></trans-unit></body></file></xliff>",
        ];
        for doc in docs {
            let mut engine = Engine::new(doc.as_bytes()).unwrap();
            let mut segmenters = Segmenters::default();
            loop {
                match engine.next_item().unwrap() {
                    Item::Unit(u) => {
                        let before = u.raw_span(0, u.events.len() - 1).to_string();
                        let after = split_unit(u, &mut segmenters);
                        assert_eq!(after.raw_span(0, after.events.len() - 1), before, "{doc}");
                    }
                    Item::Bytes(_) => {}
                    Item::End => break,
                }
            }
        }
    }

    /// Generated 1.2 source content: sentences with abbreviations and
    /// decimals, `x` codes, nested `g`s and `bpt`/`ept` pairs anywhere,
    /// sentence ends included.
    fn content() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just("Bir iki. ".to_string()),
            Just("Dr. Aydın ".to_string()),
            Just("Şuşa'da 5.30 ".to_string()),
            Just("gəldi. ".to_string()),
            Just("Yes! ".to_string()),
            Just("Bu ".to_string()),
            Just("&amp; ".to_string()),
            Just(".".to_string()),
            Just(" ".to_string()),
            (0u8..9).prop_map(|i| format!("<x id=\"{i}\"/>")),
            (0u8..9).prop_map(|i| format!("<bpt id=\"p{i}\">&lt;b></bpt>")),
            (0u8..9).prop_map(|i| format!("<ept id=\"p{i}\">&lt;/b></ept>")),
        ];
        leaf.prop_recursive(3, 40, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 1..6).prop_map(|v| v.concat()),
                (0u8..9, inner).prop_map(|(i, c)| format!("<g id=\"g{i}\">{c}</g>")),
            ]
        })
    }

    /// The codes of `flat` as written, marks left out (the generated content has none).
    fn code_texts(unit: &UnitBuf, flat: &Flat) -> Vec<String> {
        flat.codes
            .iter()
            .filter(|c| unit.events[c.first].name != "mrk")
            .map(|c| unit.raw_span(c.first, c.last).to_string())
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn split_keeps_text_and_codes_and_every_segment_is_balanced(content in content()) {
            let doc = doc12("tr", &content);
            let (unit, text) = split_all(&doc).pop().unwrap();
            // The split unit is well-formed XML that reads back the same.
            let again = doc.replace(
                &doc[doc.find("<trans-unit").unwrap()..doc.find("\n</body>").unwrap()],
                &text,
            );
            let reread = split_all(&again).pop().unwrap();
            proptest::prop_assert_eq!(&reread.1, &text);
            let v = view(&unit);
            let original = flatten(&unit, v.source_el.unwrap());
            if let Some(ss) = v.seg_source_el {
                // Same text, same codes in the same order.
                let split = flatten(&unit, ss);
                proptest::prop_assert_eq!(&split.text, &original.text);
                proptest::prop_assert_eq!(code_texts(&unit, &split), code_texts(&unit, &original));
                proptest::prop_assert!(v.segs.len() >= 2);
                for seg in &v.segs {
                    let plain = seg.source.segment.plain_text();
                    proptest::prop_assert!(super::super::inline::codes_nest(&plain, &seg.source.codes), "{}", text);
                    // bpt/ept halves that pair in the source pair inside one segment.
                    let inner = flatten(&unit, seg.source_el);
                    let opened = inner.codes.iter().filter(|c| c.pairing == Pairing::Open).count();
                    let closed = inner.codes.iter().filter(|c| c.pairing == Pairing::Close).count();
                    proptest::prop_assert_eq!(opened, closed, "{}", text);
                }
                let pairs = |f: &Flat| f.codes.iter().filter(|c| c.pairing != Pairing::Alone).count();
                let in_segments: usize = v.segs.iter().map(|s| pairs(&flatten(&unit, s.source_el))).sum();
                proptest::prop_assert_eq!(in_segments, pairs(&original), "{}", text);
            }
        }
    }
}
