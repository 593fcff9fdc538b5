//! The checks of a complete unit, which warn and never refuse: variants
//! in the same language, none in the source language, `<bpt>`/`<ept>`
//! without their pair.

use std::io::BufRead;

use super::{LANG_CACHE, TmxReader};
use crate::formats::tmx::WarningKind;
use crate::lang::Lang;
use crate::model::{Inline, TagKind, TranslationUnit};

impl<R: BufRead> TmxReader<R> {
    /// The warnings a complete unit can raise.
    pub(super) fn check_unit(&mut self, unit: &TranslationUnit, at: u64) {
        let tuid = unit.tuid.as_deref();
        // Several variants in one language.
        for (n, v) in unit.variants.iter().enumerate() {
            // Warn once per language: at its second variant.
            if unit.variants[..n].iter().filter(|w| w.lang == v.lang).count() == 1 {
                self.warn(
                    WarningKind::DuplicateLanguage,
                    at,
                    Some(self.record_name(tuid)),
                    format!("several variants in {}", v.lang),
                );
            }
        }
        // No variant in the source language (the header's is borrowed, not
        // cloned: this runs for every unit).
        let parsed;
        let src = match unit.srclang.as_deref() {
            Some(s) if s.eq_ignore_ascii_case("*all*") => None,
            Some(s) => match self.lang(s) {
                Ok(l) => {
                    parsed = l;
                    Some(&parsed)
                }
                Err(_) => {
                    self.warn(
                        WarningKind::InvalidLanguage,
                        at,
                        Some(self.record_name(tuid)),
                        format!("srclang {s:?} is not a language tag"),
                    );
                    None
                }
            },
            None => self.header_srclang.as_ref(),
        };
        let memo = &mut self.match_memo;
        let missing = src
            .filter(|src| !unit.variants.iter().any(|v| memo_matches(memo, &v.lang, src)))
            .map(Lang::to_string);
        if let Some(src) = missing {
            self.warn(
                WarningKind::NoSourceVariant,
                at,
                Some(self.record_name(tuid)),
                format!("no variant in the source language {src}"),
            );
        }
        // Unpaired bpt/ept, per flow (a <sub> is a flow of its own).
        for v in &unit.variants {
            if !v
                .segment
                .content
                .iter()
                .any(|i| matches!(i, Inline::Tag(_) | Inline::Sub(_)))
            {
                continue; // Plain text: nothing to pair (and nothing to allocate).
            }
            let mut problems = Vec::new();
            check_pairs(&v.segment.content, &mut self.pairs, &mut problems);
            for p in problems {
                self.warn(
                    WarningKind::UnpairedTag,
                    at,
                    Some(self.record_name(tuid)),
                    format!("{} variant: {p}", v.lang),
                );
            }
        }
    }
}

/// `lang.matches(src)`, remembered: it looks at subtags, and a file uses a
/// handful of languages, so the answer for each pair is computed once.
fn memo_matches(memo: &mut Vec<(Lang, Lang, bool)>, lang: &Lang, src: &Lang) -> bool {
    if let Some(&(_, _, m)) = memo.iter().find(|(l, s, _)| l == lang && s == src) {
        return m;
    }
    let m = lang.matches(src);
    if memo.len() < LANG_CACHE {
        memo.push((lang.clone(), src.clone(), m));
    }
    m
}

/// Scratch for [`check_pairs`]: the `i` values of the open `<bpt>`s and
/// of the stray `<ept>`s of the flows being checked, copied into one
/// buffer, so that checking a unit allocates nothing once these have grown.
#[derive(Default)]
pub(super) struct PairScratch {
    ids: String,
    /// Spans in `ids`.
    open: Vec<(usize, usize)>,
    closed: Vec<(usize, usize)>,
}

impl PairScratch {
    fn push_id(&mut self, i: &str) -> (usize, usize) {
        let from = self.ids.len();
        self.ids.push_str(i);
        (from, self.ids.len())
    }
}

/// Finds `bpt` without `ept` (and the reverse) in one flow: an `<ept>`
/// closes the first open `<bpt>` with its `i`. Problems are added in
/// order: those of nested flows (`<sub>`) as they are met, then the flow's
/// open `<bpt>`s, then its stray `<ept>`s.
fn check_pairs(content: &[Inline], scratch: &mut PairScratch, problems: &mut Vec<String>) {
    let (ids, open, closed) = (scratch.ids.len(), scratch.open.len(), scratch.closed.len());
    fn walk(items: &[Inline], s: &mut PairScratch, open: usize, problems: &mut Vec<String>) {
        for item in items {
            match item {
                Inline::Tag(t) => match t.kind {
                    TagKind::Bpt => {
                        let span = s.push_id(t.i.as_deref().unwrap_or(""));
                        s.open.push(span);
                    }
                    TagKind::Ept => {
                        let i = t.i.as_deref().unwrap_or("");
                        let ids = &s.ids;
                        match s.open[open..].iter().position(|&(a, b)| &ids[a..b] == i) {
                            Some(n) => {
                                s.open.remove(open + n);
                            }
                            None => {
                                let span = s.push_id(i);
                                s.closed.push(span);
                            }
                        }
                    }
                    TagKind::Hi => walk(&t.content, s, open, problems),
                    _ => {
                        for inner in &t.content {
                            if let Inline::Sub(sub) = inner {
                                check_pairs(&sub.content, s, problems);
                            }
                        }
                    }
                },
                Inline::Sub(sub) => check_pairs(&sub.content, s, problems),
                Inline::Text(_) => {}
            }
        }
    }
    walk(content, scratch, open, problems);
    for &(a, b) in &scratch.open[open..] {
        problems.push(format!(
            "<bpt i=\"{}\"> has no matching <ept>",
            &scratch.ids[a..b]
        ));
    }
    for &(a, b) in &scratch.closed[closed..] {
        problems.push(format!(
            "<ept i=\"{}\"> has no matching <bpt>",
            &scratch.ids[a..b]
        ));
    }
    scratch.ids.truncate(ids);
    scratch.open.truncate(open);
    scratch.closed.truncate(closed);
}

#[cfg(test)]
mod tests {
    use super::super::test_docs::doc;
    use super::*;
    use crate::error::Result;
    use crate::formats::tmx::TmxReader;
    use crate::model::{InlineTag, Sub, TmxDate};

    #[test]
    fn warnings_for_suspicious_units() {
        let text = doc(concat!(
            "<tu creationdate=\"yesterday\"><tuv xml:lang=\"fr\"><seg><bpt i=\"1\">&lt;b></bpt>x</seg></tuv>",
            "<tuv xml:lang=\"fr\"><seg>y<ept i=\"2\">&lt;/b></ept></seg></tuv></tu>",
        ));
        let mut reader = TmxReader::new(text.as_bytes()).unwrap();
        let units: Vec<_> = reader.by_ref().collect::<Result<_>>().unwrap();
        assert_eq!(
            units[0].attrs.creation_date,
            Some(TmxDate::Invalid("yesterday".into()))
        );
        let kinds: Vec<_> = reader.warnings().iter().map(|w| w.kind).collect();
        assert_eq!(
            kinds,
            [
                WarningKind::InvalidDate,
                WarningKind::DuplicateLanguage,
                WarningKind::NoSourceVariant,
                WarningKind::UnpairedTag,
                WarningKind::UnpairedTag,
            ]
        );
        assert_eq!(
            reader.warnings()[3].to_string(),
            "<input>:5:1: unit 1: fr variant: <bpt i=\"1\"> has no matching <ept>"
        );
        assert_eq!(reader.drain_warnings().len(), 5);
        assert!(reader.warnings().is_empty());
    }

    #[test]
    fn pairs_are_checked_per_flow_in_order() {
        let tag = |kind, i: &str, content| {
            let mut t = InlineTag::new(kind);
            t.i = Some(i.to_string());
            t.content = content;
            Inline::Tag(t)
        };
        let sub = |content| {
            Inline::Sub(Sub {
                datatype: None,
                sub_type: None,
                content,
            })
        };
        let content = vec![
            tag(TagKind::Bpt, "1", vec![]),
            tag(TagKind::Bpt, "1", vec![]),
            tag(TagKind::Ept, "2", vec![]),
            tag(
                TagKind::Ph,
                "",
                vec![sub(vec![
                    tag(TagKind::Ept, "3", vec![]),
                    tag(TagKind::Bpt, "1", vec![]),
                ])],
            ),
            tag(TagKind::Hi, "", vec![tag(TagKind::Ept, "1", vec![])]),
            tag(TagKind::Ept, "1", vec![]),
            tag(TagKind::Ept, "1", vec![]),
        ];
        let mut scratch = PairScratch::default();
        let mut problems = Vec::new();
        check_pairs(&content, &mut scratch, &mut problems);
        assert_eq!(
            problems,
            [
                "<bpt i=\"1\"> has no matching <ept>",
                "<ept i=\"3\"> has no matching <bpt>",
                "<ept i=\"2\"> has no matching <bpt>",
                "<ept i=\"1\"> has no matching <bpt>",
            ]
        );
        assert!(scratch.ids.is_empty() && scratch.open.is_empty() && scratch.closed.is_empty());
        problems.clear();
        check_pairs(&content[..2], &mut scratch, &mut problems);
        assert_eq!(problems.len(), 2);
    }
}
