//! Applying SRX rules: paragraph by paragraph, each rule's cursor scans
//! forward and the first rule matching at a position decides.

use std::ops::Range;

use super::{Rule, SrxRuleSet};
use crate::segment::rules::is_line_break;

/// The SRX rules' span iterator: paragraph by paragraph, the breaks of one
/// paragraph computed in one pass per rule.
#[derive(Clone, Debug)]
pub(crate) struct SrxSpans<'r, 't> {
    rules: &'r SrxRuleSet,
    text: &'t str,
    /// Start of the next paragraph.
    next_para: usize,
    /// Pending segment spans of the current paragraph, in reverse.
    pending: Vec<Range<usize>>,
}

impl<'r, 't> SrxSpans<'r, 't> {
    pub(crate) fn new(rules: &'r SrxRuleSet, text: &'t str) -> SrxSpans<'r, 't> {
        SrxSpans {
            rules,
            text,
            next_para: 0,
            pending: Vec::new(),
        }
    }

    fn fill(&mut self) -> bool {
        while self.pending.is_empty() {
            if self.next_para >= self.text.len() {
                return false;
            }
            let start = self.next_para;
            let rest = &self.text[start..];
            let (len, brk_len) = rest
                .char_indices()
                .find(|&(_, c)| is_line_break(c))
                .map_or((rest.len(), 0), |(i, c)| (i, c.len_utf8()));
            self.next_para = start + len + brk_len;
            let para = &rest[..len];
            let breaks = self.rules.breaks(para);
            let mut from = 0;
            let mut spans = Vec::with_capacity(breaks.len() + 1);
            for b in breaks.into_iter().chain(std::iter::once(para.len())) {
                let piece = &para[from..b];
                let trimmed = piece.trim_start();
                let lead = piece.len() - trimmed.len();
                let trimmed = trimmed.trim_end();
                if !trimmed.is_empty() {
                    let s = start + from + lead;
                    spans.push(s..s + trimmed.len());
                }
                from = b;
            }
            spans.reverse();
            self.pending = spans;
        }
        true
    }
}

impl Iterator for SrxSpans<'_, '_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        if !self.fill() {
            return None;
        }
        self.pending.pop()
    }
}

/// One rule's forward cursor over a paragraph.
struct Cursor {
    /// Where the next `beforebreak` search starts.
    from: usize,
    /// The current candidate break position, if any.
    at: Option<usize>,
}

impl SrxRuleSet {
    /// The break positions inside `para` (not 0, not its end), ascending.
    fn breaks(&self, para: &str) -> Vec<usize> {
        let mut cursors: Vec<Cursor> = self.rules.iter().map(|_| Cursor { from: 0, at: None }).collect();
        for (r, c) in self.rules.iter().zip(cursors.iter_mut()) {
            c.at = advance(r, para, &mut c.from, 0);
        }
        let mut out = Vec::new();
        while let Some(pos) = cursors.iter().filter_map(|c| c.at).min() {
            // The first rule matching here decides.
            if let Some(i) = cursors.iter().position(|c| c.at == Some(pos))
                && self.rules[i].brk
                && pos > 0
                && pos < para.len()
            {
                out.push(pos);
            }
            for (r, c) in self.rules.iter().zip(cursors.iter_mut()) {
                if c.at == Some(pos) {
                    c.at = advance(r, para, &mut c.from, pos + 1);
                }
            }
        }
        out
    }
}

/// The next position ≥ `min` where `rule` matches, searching its
/// `beforebreak` forward from `from`.
fn advance(rule: &Rule, para: &str, from: &mut usize, min: usize) -> Option<usize> {
    loop {
        if *from > para.len() {
            return None;
        }
        let pos = match &rule.before {
            None => {
                // An empty expression matches at every position.
                let p = (*from).max(min);
                let p = next_boundary(para, p)?;
                *from = p + para[p..].chars().next().map_or(1, char::len_utf8);
                p
            }
            Some(re) => {
                let m = re.find_at(para, *from)?;
                *from = if m.end > m.start {
                    m.end
                } else {
                    m.end + para[m.end..].chars().next().map_or(1, char::len_utf8)
                };
                m.end
            }
        };
        if pos < min {
            continue;
        }
        let after_ok = rule.after.as_ref().is_none_or(|re| re.is_match(&para[pos..]));
        if after_ok {
            return Some(pos);
        }
    }
}

fn next_boundary(s: &str, mut p: usize) -> Option<usize> {
    while p <= s.len() {
        if s.is_char_boundary(p) {
            return Some(p);
        }
        p += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::lang::Lang;
    use crate::segment::srx::SrxRules;
    use crate::segment::srx::tests::SIMPLE;

    #[test]
    fn segments_never_cross_lines_and_are_trimmed() {
        let srx = SrxRules::parse(SIMPLE).unwrap();
        let text = "  One. Two  \n\n Three.";
        let seg = srx.segmenter(&Lang::parse("en").unwrap());
        let spans: Vec<_> = seg.spans(text).collect();
        assert_eq!(spans, [2..6, 7..10, 15..21]);
    }
}
