//! Pretranslation: the document streamed through, untranslated segments
//! filled, everything else written back as it was read.

use std::collections::{BTreeMap, HashSet};
use std::io::{BufReader, Read, Write};

use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::text::placeholder_index;

use super::engine::{Engine, Item, UnitBuf};
use super::inline::{
    Role, codes_nest, escape_attr, escape_text, transfer_codes, write_segment, write_with_codes,
};
use super::output::Encoded;
use super::split::{Segmenters, split_unit};
use super::unit::{UnitView, has_text, indent_before, view};
use super::{
    NS_GLOSSARY, NS_MATCHES, PretranslateOptions, PretranslateSummary, SegmentQuery, Suggester, Suggestion,
    Suggestions, Version,
};

/// How good the match that filled a segment is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Fuzzy,
    Exact,
    Context,
}

/// A segment's fill.
struct Fill {
    /// Target text, placeholders naming the source's codes.
    text: Option<(String, Level)>,
    suggestions: Suggestions,
}

/// Streams an XLIFF 1.2 or 2.x document from `input` to `output`, filling
/// each untranslated segment from `suggester`.
///
/// - A 101 or 100 match whose codes all carry over becomes the target,
///   marked translated (1.2 `state="translated"`, or `signed-off` for 101
///   with [`PretranslateOptions::signed_off_context`]; 2.x
///   `state="translated"`).
/// - A fuzzy match (or an exact one whose codes do not carry over) becomes
///   the target marked for review (1.2 `needs-review-translation`; 2.x
///   `initial`) and is listed with the other candidates.
/// - Other candidates go in 1.2 `<alt-trans match-quality origin>` or the
///   2.x `<mtc:matches>` module; glossary terms in 1.2
///   `<note from="korpu-glossary">` or the 2.x `<gls:glossary>` module.
///
/// With [`PretranslateOptions::segment`], units that are one segment are
/// first split into sentences (see the option), and the summary counts
/// sentences.
///
/// Segments with a target are left alone (1.2 targets with state `new` or
/// `needs-translation` count as untranslated), as are units marked
/// `translate="no"`. Everything else is written byte for byte in the input's
/// encoding. Errors: [`Error::Parse`] with line and column for malformed
/// XML; output written before the error is incomplete, so write to a
/// temporary file (the CLI does).
pub fn pretranslate<R: Read, W: Write>(
    input: R,
    output: W,
    mut suggester: impl Suggester,
    options: &PretranslateOptions,
) -> Result<PretranslateSummary> {
    let mut engine = Engine::new(BufReader::with_capacity(64 * 1024, input))?;
    let mut out: Option<Encoded<W>> = None;
    let mut output = Some(output);
    let mut summary = PretranslateSummary::default();
    let mut held: Option<(Box<UnitBuf>, UnitView)> = None;
    let mut after_held: Vec<Vec<u8>> = Vec::new();
    let mut prev_text: Option<String> = None;
    let mut segmenters = options.segment.then(Segmenters::default);
    macro_rules! write_out {
        ($s:expr) => {{
            if out.is_none() {
                out = output.take().map(|w| Encoded::new(w, engine.source_encoding));
            }
            if let Some(o) = out.as_mut() {
                o.write_str($s).map_err(|e| Error::Io {
                    path: None,
                    source: e,
                })?;
            }
        }};
    }
    loop {
        let item = engine.next_item()?;
        let (next_unit, done) = match item {
            Item::Bytes(b) => {
                if held.is_some() {
                    after_held.push(b);
                } else {
                    write_out!(std::str::from_utf8(&b).unwrap_or_default());
                }
                continue;
            }
            Item::Unit(u) => {
                let u = match segmenters.as_mut() {
                    Some(s) => split_unit(u, s),
                    None => u,
                };
                let v = view(&u);
                (Some((u, v)), false)
            }
            Item::End => (None, true),
        };
        if let Some((hu, hv)) = held.take() {
            let next = next_unit
                .as_ref()
                .and_then(|(_, v)| v.segs.first())
                .map(|s| s.source.segment.plain_text());
            let text = process(
                &hu,
                &hv,
                next.as_deref(),
                &mut prev_text,
                &mut suggester,
                options,
                &mut summary,
            )?;
            write_out!(&text);
            for b in after_held.drain(..) {
                write_out!(std::str::from_utf8(&b).unwrap_or_default());
            }
        }
        held = next_unit;
        if done {
            break;
        }
    }
    if out.is_none() {
        out = output.take().map(|w| Encoded::new(w, engine.source_encoding));
    }
    if let Some(o) = out.as_mut() {
        o.flush().map_err(|e| Error::Io {
            path: None,
            source: e,
        })?;
    }
    Ok(summary)
}

fn lang_of(unit: &UnitBuf, tag: Option<&str>, what: &str) -> Result<Option<Lang>> {
    match tag {
        None => Ok(None),
        Some(t) => t
            .parse::<Lang>()
            .map(Some)
            .map_err(|e| Error::parse_with(unit.location.clone(), format!("{what} {t:?}: {e}"), e)),
    }
}

#[allow(clippy::too_many_arguments)]
fn process(
    unit: &UnitBuf,
    v: &UnitView,
    next_unit_text: Option<&str>,
    prev_text: &mut Option<String>,
    suggester: &mut impl Suggester,
    options: &PretranslateOptions,
    summary: &mut PretranslateSummary,
) -> Result<String> {
    summary.units += 1;
    summary.segments += v.segs.len() as u64;
    let texts: Vec<String> = v.segs.iter().map(|s| s.source.segment.plain_text()).collect();
    let src = lang_of(unit, unit.src_lang.as_deref(), "source language")?;
    let trg = lang_of(unit, unit.trg_lang.as_deref(), "target language")?;
    let mut fills: Vec<Option<Fill>> = Vec::with_capacity(v.segs.len());
    if !unit.translate {
        summary.not_translatable += 1;
    }
    for (k, seg) in v.segs.iter().enumerate() {
        if !seg.untranslated(unit.version) {
            summary.translated_before += 1;
            fills.push(None);
            continue;
        }
        let (Some(src), Some(trg), true, true) = (&src, &trg, unit.translate, has_text(&texts[k])) else {
            summary.untranslated += 1;
            fills.push(None);
            continue;
        };
        let prev = if k > 0 {
            Some(texts[k - 1].as_str())
        } else {
            prev_text.as_deref()
        };
        let next = texts.get(k + 1).map(String::as_str).or(next_unit_text);
        let query = SegmentQuery {
            source: &seg.source.segment,
            text: &texts[k],
            source_lang: src,
            target_lang: trg,
            prev,
            next,
            unit_id: unit.attr("id"),
        };
        let suggestions = suggester.suggest(&query)?;
        let text = suggestions.matches.first().map(|best| {
            let (mut text, mut complete) = transfer_codes(
                &seg.source.segment,
                &best.source,
                &best.target,
                &best.adapted_target,
            );
            if !codes_nest(&text, &seg.source.codes) {
                // Keep the self-contained codes; paired ones cannot be placed.
                text = text
                    .chars()
                    .filter(|&c| {
                        placeholder_index(c)
                            .and_then(|n| seg.source.codes.get(n))
                            .is_none_or(|code| code.role == Role::Standalone)
                    })
                    .collect();
                complete = false;
            }
            let level = match best.score {
                s if s >= 101 && complete => Level::Context,
                100.. if complete => Level::Exact,
                _ => Level::Fuzzy,
            };
            (text, level)
        });
        match &text {
            Some((_, Level::Context)) => summary.context += 1,
            Some((_, Level::Exact)) => summary.exact += 1,
            Some((_, Level::Fuzzy)) => summary.fuzzy += 1,
            None => summary.untranslated += 1,
        }
        if !suggestions.terms.is_empty() {
            summary.with_terms += 1;
        }
        fills.push(Some(Fill { text, suggestions }));
    }
    *prev_text = texts.last().cloned().or(prev_text.take());
    if fills.iter().all(|f| {
        f.as_ref()
            .is_none_or(|f| f.text.is_none() && f.suggestions.terms.is_empty())
    }) {
        return Ok(unit.raw_span(0, unit.events.len() - 1).to_string());
    }
    let mut edits = Edits::default();
    match unit.version {
        Version::V1_2 => edit_12(unit, v, &fills, options, &mut edits),
        Version::V2 => edit_20(unit, v, &fills, &mut edits),
    }
    Ok(edits.apply(unit))
}

#[derive(Default)]
struct Edits {
    /// start event → (last event replaced, replacement).
    replace: BTreeMap<usize, (usize, String)>,
    before: BTreeMap<usize, String>,
    after: BTreeMap<usize, String>,
}

impl Edits {
    fn apply(&self, unit: &UnitBuf) -> String {
        let mut out = String::with_capacity(unit.bytes.len() * 2);
        let mut i = 0;
        while i < unit.events.len() {
            if let Some(b) = self.before.get(&i) {
                out.push_str(b);
            }
            let j = match self.replace.get(&i) {
                Some((end, s)) => {
                    out.push_str(s);
                    *end
                }
                None => {
                    out.push_str(unit.raw(i));
                    i
                }
            };
            if let Some(a) = self.after.get(&j) {
                out.push_str(a);
            }
            i = j + 1;
        }
        out
    }
}

/// `<qname attr…>` for event `i` with `set` attributes replaced (None
/// removes) or appended.
fn start_tag(unit: &UnitBuf, i: usize, set: &[(&str, Option<&str>)]) -> String {
    let raw = unit.raw(i);
    let qname: String = raw[1..]
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
        .collect();
    let mut out = format!("<{qname}");
    let mut done = HashSet::new();
    for (k, val) in &unit.events[i].attrs {
        let value = match set.iter().find(|(n, _)| n == k) {
            Some((n, v)) => {
                done.insert(*n);
                match v {
                    Some(v) => *v,
                    None => continue,
                }
            }
            None => val.as_str(),
        };
        push_attr(&mut out, k, value);
    }
    for (n, v) in set {
        if let (false, Some(v)) = (done.contains(n), v) {
            push_attr(&mut out, n, v);
        }
    }
    out.push('>');
    out
}

fn push_attr(out: &mut String, k: &str, v: &str) {
    out.push(' ');
    out.push_str(k);
    out.push_str("=\"");
    escape_attr(v, out);
    out.push('"');
}

/// One indentation step deeper than `indent` (nothing when the file has none).
fn deeper(indent: &str) -> String {
    if indent.is_empty() {
        String::new()
    } else {
        format!("{indent}  ")
    }
}

fn end_name(unit: &UnitBuf, i: usize) -> String {
    let raw = unit.raw(i);
    raw[1..]
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
        .collect()
}

/// The candidates to list: all but an exact match that became the target.
fn candidates(fill: &Fill) -> &[Suggestion] {
    match (&fill.text, fill.suggestions.matches.split_first()) {
        (Some((_, Level::Exact | Level::Context)), Some((_, rest))) => rest,
        _ => &fill.suggestions.matches,
    }
}

fn candidate_target(seg: &super::unit::SegView, s: &Suggestion, version: Version) -> String {
    let (text, complete) = transfer_codes(&seg.source.segment, &s.source, &s.target, &s.adapted_target);
    let mut out = String::new();
    if complete && codes_nest(&text, &seg.source.codes) {
        write_with_codes(&text, &seg.source.codes, &mut out);
    } else {
        write_segment(&s.target, version, &mut out);
    }
    out
}

fn state_12(level: Level, options: &PretranslateOptions) -> (&'static str, &'static str) {
    match level {
        Level::Context if options.signed_off_context => ("signed-off", "exact-match"),
        Level::Context | Level::Exact => ("translated", "exact-match"),
        Level::Fuzzy => ("needs-review-translation", "fuzzy-match"),
    }
}

fn edit_12(
    unit: &UnitBuf,
    v: &UnitView,
    fills: &[Option<Fill>],
    options: &PretranslateOptions,
    edits: &mut Edits,
) {
    let ev = &unit.events;
    // New elements get the whitespace found before their neighbours.
    let indent = v
        .last_core_start
        .map(|i| indent_before(unit, i))
        .unwrap_or_else(|| v.indent.clone());
    let target_indent = |anchor: usize| indent_before(unit, anchor);
    let ind2 = deeper(&indent);
    let src_tag = unit.src_lang.clone().unwrap_or_default();
    let trg_tag = unit.trg_lang.clone().unwrap_or_default();
    // The target.
    if !v.segmented {
        if let (Some(seg), Some(Some(fill))) = (v.segs.first(), fills.first())
            && let Some((text, level)) = &fill.text
        {
            let (state, qualifier) = state_12(*level, options);
            let mut content = String::new();
            write_with_codes(text, &seg.source.codes, &mut content);
            match v.target_el {
                Some(t) => {
                    let tag = start_tag(
                        unit,
                        t,
                        &[("state", Some(state)), ("state-qualifier", Some(qualifier))],
                    );
                    let name = end_name(unit, t);
                    edits
                        .replace
                        .insert(t, (ev[t].end, format!("{tag}{content}</{name}>")));
                }
                None => {
                    if let Some(s) = v.source_el {
                        let name = end_name(unit, s).replace("source", "target");
                        let mut tag = format!("<{name}");
                        push_attr(&mut tag, "xml:lang", &trg_tag);
                        push_attr(&mut tag, "state", state);
                        push_attr(&mut tag, "state-qualifier", qualifier);
                        let text = format!("{}{tag}>{content}</{name}>", target_indent(s));
                        edits.after.entry(ev[s].end).or_default().push_str(&text);
                    }
                }
            }
        }
    } else if v.target_el.is_none() || v.segs.iter().all(|s| s.untranslated(Version::V1_2)) {
        // Build the whole target from the seg-source's structure.
        if let Some(ss) = v.seg_source_el {
            let mut content = String::new();
            let mut worst: Option<Level> = Some(Level::Context);
            let mut i = ss + 1;
            let mut k = 0;
            while i < ev[ss].end {
                if k < v.segs.len() && v.segs[k].source_el == i {
                    let seg = &v.segs[k];
                    let tag = unit.raw(i);
                    match fills
                        .get(k)
                        .and_then(|f| f.as_ref())
                        .and_then(|f| f.text.as_ref())
                    {
                        Some((text, level)) => {
                            worst = worst.map(|w| w.min(*level));
                            content.push_str(tag.trim_end_matches("/>"));
                            if tag.ends_with("/>") {
                                content.push('>');
                            }
                            write_with_codes(text, &seg.source.codes, &mut content);
                            content.push_str("</");
                            content.push_str(&end_name(unit, i));
                            content.push('>');
                        }
                        None => {
                            worst = None;
                            content.push_str(&start_tag(unit, i, &[]).replace('>', "/>"));
                        }
                    }
                    i = ev[i].end + 1;
                    k += 1;
                } else {
                    content.push_str(unit.raw(i));
                    i += 1;
                }
            }
            let (state, qualifier) = match worst {
                Some(level) => state_12(level, options),
                None => ("needs-translation", ""),
            };
            let mut set = vec![("state", Some(state))];
            if !qualifier.is_empty() {
                set.push(("state-qualifier", Some(qualifier)));
            }
            match v.target_el {
                Some(t) => {
                    let tag = start_tag(unit, t, &set);
                    let name = end_name(unit, t);
                    edits
                        .replace
                        .insert(t, (ev[t].end, format!("{tag}{content}</{name}>")));
                }
                None => {
                    let name = end_name(unit, ss).replace("seg-source", "target");
                    let mut tag = format!("<{name}");
                    push_attr(&mut tag, "xml:lang", &trg_tag);
                    for (k, val) in set.iter() {
                        if let Some(val) = val {
                            push_attr(&mut tag, k, val);
                        }
                    }
                    let text = format!("{}{tag}>{content}</{name}>", target_indent(ss));
                    edits.after.entry(ev[ss].end).or_default().push_str(&text);
                }
            }
        }
    } else {
        // Fill the empty target marks one by one.
        for (seg, fill) in v.segs.iter().zip(fills) {
            if let (Some(t), Some(Some((text, _)))) = (seg.target_el, fill.as_ref().map(|f| f.text.as_ref()))
            {
                let mut content = start_tag(unit, t, &[]);
                write_with_codes(text, &seg.source.codes, &mut content);
                content.push_str("</");
                content.push_str(&end_name(unit, t));
                content.push('>');
                edits.replace.insert(t, (ev[t].end, content));
            }
        }
    }
    // Candidates and glossary notes, after the last XLIFF child.
    let Some(at) = v.last_core_end else { return };
    let mut extra = String::new();
    let mut seen_terms = HashSet::new();
    for (seg, fill) in v.segs.iter().zip(fills) {
        let Some(fill) = fill else { continue };
        for c in candidates(fill) {
            extra.push_str(&indent);
            extra.push_str("<alt-trans");
            if v.segmented
                && let Some(mid) = &seg.id
            {
                push_attr(&mut extra, "mid", mid);
            }
            push_attr(&mut extra, "match-quality", &c.score.to_string());
            push_attr(&mut extra, "origin", &c.origin);
            extra.push('>');
            extra.push_str(&ind2);
            extra.push_str("<source");
            push_attr(&mut extra, "xml:lang", &src_tag);
            extra.push('>');
            write_segment(&c.source, Version::V1_2, &mut extra);
            extra.push_str("</source>");
            extra.push_str(&ind2);
            extra.push_str("<target");
            push_attr(&mut extra, "xml:lang", &trg_tag);
            extra.push('>');
            extra.push_str(&candidate_target(seg, c, Version::V1_2));
            extra.push_str("</target>");
            extra.push_str(&indent);
            extra.push_str("</alt-trans>");
        }
        for t in &fill.suggestions.terms {
            if !seen_terms.insert(t.source.clone()) {
                continue;
            }
            extra.push_str(&indent);
            extra.push_str("<note from=\"korpu-glossary\">");
            escape_text(
                &format!("{} → {}", t.source, t.translations.join(", ")),
                &mut extra,
            );
            extra.push_str("</note>");
        }
    }
    edits.after.entry(at).or_default().push_str(&extra);
}

fn edit_20(unit: &UnitBuf, v: &UnitView, fills: &[Option<Fill>], edits: &mut Edits) {
    let ev = &unit.events;
    let indent = v
        .first_segment
        .map(|f| indent_before(unit, f))
        .unwrap_or_default();
    let ind2 = deeper(&indent);
    let ind3 = deeper(&ind2);
    let ids: HashSet<&str> = ev.iter().filter_map(|e| e.attr("id")).collect();
    let mut matches = String::new();
    let mut glossary = String::new();
    let mut seen_terms = HashSet::new();
    for (k, (seg, fill)) in v.segs.iter().zip(fills).enumerate() {
        let Some(fill) = fill else { continue };
        let Some(seg_el) = seg.segment_el else { continue };
        let cands = candidates(fill);
        let mut seg_id = seg.id.clone();
        let mut set: Vec<(&str, Option<String>)> = Vec::new();
        if seg_id.is_none() && !cands.is_empty() {
            let mut id = format!("s{}", k + 1);
            if ids.contains(id.as_str()) {
                id = format!("korpu-s{}", k + 1);
            }
            set.push(("id", Some(id.clone())));
            seg_id = Some(id);
        }
        if let Some((text, level)) = &fill.text {
            let state = if *level == Level::Fuzzy {
                "initial"
            } else {
                "translated"
            };
            set.push(("state", Some(state.to_string())));
            let mut content = String::new();
            write_with_codes(text, &seg.source.codes, &mut content);
            match seg.target_el {
                Some(t) => {
                    let tag = start_tag(unit, t, &[]);
                    let name = end_name(unit, t);
                    edits
                        .replace
                        .insert(t, (ev[t].end, format!("{tag}{content}</{name}>")));
                }
                None => {
                    let name = end_name(unit, seg.source_el).replace("source", "target");
                    let text = format!("{}<{name}>{content}</{name}>", indent_before(unit, seg.source_el));
                    edits
                        .after
                        .entry(ev[seg.source_el].end)
                        .or_default()
                        .push_str(&text);
                }
            }
        }
        if !set.is_empty() {
            let set: Vec<(&str, Option<&str>)> = set.iter().map(|(k, v)| (*k, v.as_deref())).collect();
            edits
                .replace
                .insert(seg_el, (seg_el, start_tag(unit, seg_el, &set)));
        }
        for c in cands {
            matches.push_str(&ind2);
            matches.push_str("<mtc:match");
            push_attr(
                &mut matches,
                "ref",
                &format!("#{}", seg_id.as_deref().unwrap_or_default()),
            );
            push_attr(&mut matches, "similarity", &c.score.min(100).to_string());
            push_attr(&mut matches, "type", "tm");
            push_attr(&mut matches, "origin", &c.origin);
            matches.push('>');
            matches.push_str(&ind3);
            matches.push_str("<source>");
            write_segment(&c.source, Version::V2, &mut matches);
            matches.push_str("</source>");
            matches.push_str(&ind3);
            matches.push_str("<target>");
            matches.push_str(&candidate_target(seg, c, Version::V2));
            matches.push_str("</target>");
            matches.push_str(&ind2);
            matches.push_str("</mtc:match>");
        }
        for t in &fill.suggestions.terms {
            if !seen_terms.insert(t.source.clone()) {
                continue;
            }
            glossary.push_str(&ind2);
            glossary.push_str("<gls:glossEntry>");
            glossary.push_str(&ind3);
            glossary.push_str("<gls:term source=\"korpu\">");
            escape_text(&t.source, &mut glossary);
            glossary.push_str("</gls:term>");
            for tr in &t.translations {
                glossary.push_str(&ind3);
                glossary.push_str("<gls:translation source=\"korpu\">");
                escape_text(tr, &mut glossary);
                glossary.push_str("</gls:translation>");
            }
            if let Some(d) = &t.definition {
                glossary.push_str(&ind3);
                glossary.push_str("<gls:definition source=\"korpu\">");
                escape_text(d, &mut glossary);
                glossary.push_str("</gls:definition>");
            }
            glossary.push_str(&ind2);
            glossary.push_str("</gls:glossEntry>");
        }
    }
    let mut modules = String::new();
    if !matches.is_empty() {
        modules.push_str(&format!(
            "<mtc:matches xmlns:mtc=\"{NS_MATCHES}\">{matches}{indent}</mtc:matches>{indent}"
        ));
    }
    if !glossary.is_empty() {
        modules.push_str(&format!(
            "<gls:glossary xmlns:gls=\"{NS_GLOSSARY}\">{glossary}{indent}</gls:glossary>{indent}"
        ));
    }
    if !modules.is_empty()
        && let Some(f) = v.first_segment
    {
        edits.before.entry(f).or_default().push_str(&modules);
    }
}
