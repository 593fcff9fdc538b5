//! The built-in segmentation rules: a candidate-driven scanner.
//!
//! Rather than asking UAX #29 for every sentence boundary and then undoing
//! the wrong ones, the scanner walks the bytes with a 256-entry table and
//! stops only at bytes that can matter: line breaks, sentence terminators
//! (UAX #29's STerm and ATerm: `. ! ? …` and the CJK, Indic, Arabic,
//! Ethiopic, Armenian and Myanmar full stops), brackets, quotes and colons.
//! Everything else (more than 95% of a text) is skipped at memory speed.
//! At a terminator it looks a bounded distance back (the word before the
//! period, the word before that) and forward (closing quotes and brackets,
//! citation marks, the next word) and decides. Each decision does O(1) work
//! (the look-around is capped), and the scan never goes back, so a
//! segmentation is linear in the input, also for one 100 MB line.
//!
//! The rooms: this file holds the scanner ([`BuiltinSpans`]) and the
//! language's switches ([`Rules`]); `decide.rs` decides a terminator,
//! `chars.rs` has the character classes, `words.rs` the look-around at
//! words, numbers, quotes and citations, and `lists.rs` list markers and
//! inline enumerations.

use std::ops::Range;

mod chars;
mod decide;
mod lists;
mod words;

pub(crate) use self::chars::is_line_break;
use self::chars::{INTEREST, Term, char_at, terminator};
use self::lists::{enum_marker_before, next_markers};
use self::words::standalone_quote;
use super::abbrev::{Abbreviations, has_builtin};

/// The rules of one language.
#[derive(Clone, Debug)]
pub(crate) struct Rules {
    pub(crate) abbrevs: Abbreviations,
    /// English-only heuristics ("At 6 a.m. Mr. Smith arrived").
    english: bool,
    /// Turkish/Azerbaijani list markers and Roman ordinals ("II. Abdülhamit").
    turkic: bool,
    /// The language writes ordinals with a period ("2. Dünya Savaşı", "12.
    /// Juni"): Turkish, Azerbaijani, German, the Nordic and most Central
    /// European languages.
    ordinal_dot: bool,
    /// Armenian: ":" is typed for the full stop "։".
    colon_stop: bool,
    /// The language has an abbreviation list, so an unknown word, a period and
    /// a lowercase word is a sentence end (a lowercase start is then likelier
    /// than a missing abbreviation).
    listed: bool,
}

impl Rules {
    pub(crate) fn new(abbrevs: Abbreviations) -> Rules {
        let lang = abbrevs.lang().clone();
        Rules {
            english: lang.primary() == "en",
            turkic: lang.is_turkic(),
            ordinal_dot: matches!(
                lang.primary(),
                "tr" | "az"
                    | "de"
                    | "da"
                    | "nb"
                    | "nn"
                    | "no"
                    | "fi"
                    | "is"
                    | "fo"
                    | "cs"
                    | "sk"
                    | "pl"
                    | "hu"
                    | "hr"
                    | "sr"
                    | "bs"
                    | "sl"
                    | "et"
                    | "lv"
                    | "lt"
            ),
            colon_stop: lang.primary() == "hy",
            listed: has_builtin(&lang) || !abbrevs.is_empty(),
            abbrevs,
        }
    }
}

/// Per-segment state, updated by the forward scan only.
#[derive(Clone, Debug, Default)]
struct State {
    start: usize,
    brackets: u32,
    straight_dq: bool,
    curly: u32,
    /// Start of the clause: after the last colon.
    clause: usize,
    /// Cache for "does a closing bracket follow in this paragraph":
    /// (searched from, found at).
    closer: Option<(usize, Option<usize>)>,
    /// The markers that would start the next item of an inline enumeration
    /// ("1) foo 2) bar"), when the segment starts with one.
    enum_next: Vec<String>,
}

enum Decision {
    /// A sentence ends at this offset; the number of standalone quote tokens
    /// taken into it.
    Break(usize, u32),
    Continue(usize),
}

/// The built-in rules' span iterator; see [`super::Spans`].
#[derive(Clone, Debug)]
pub(crate) struct BuiltinSpans<'r, 't> {
    rules: &'r Rules,
    text: &'t str,
    pos: usize,
    in_segment: bool,
    st: State,
    /// Standalone quote tokens (`''`, ` ' `) seen in this paragraph.
    para_quotes: u32,
}

impl<'r, 't> BuiltinSpans<'r, 't> {
    pub(crate) fn new(rules: &'r Rules, text: &'t str) -> BuiltinSpans<'r, 't> {
        BuiltinSpans {
            rules,
            text,
            pos: 0,
            in_segment: false,
            st: State::default(),
            para_quotes: 0,
        }
    }

    fn emit(&mut self, end: usize, next: usize) -> Range<usize> {
        self.in_segment = false;
        self.pos = next;
        let start = self.st.start;
        let trimmed = self.text[start..end].trim_end();
        start..start + trimmed.len()
    }
}

impl Iterator for BuiltinSpans<'_, '_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        let text = self.text;
        let bytes = text.as_bytes();
        loop {
            if !self.in_segment {
                // Skip white space up to the next segment; a line break
                // starts a new paragraph.
                let mut i = self.pos;
                while i < bytes.len() {
                    if bytes[i] < 0x80 {
                        if !bytes[i].is_ascii_whitespace() && bytes[i] != 0x0B {
                            break;
                        }
                        if matches!(bytes[i], b'\n' | b'\r' | 0x0B | 0x0C) {
                            self.para_quotes = 0;
                        }
                        i += 1;
                    } else {
                        let c = char_at(text, i)?;
                        if !c.is_whitespace() {
                            break;
                        }
                        if is_line_break(c) {
                            self.para_quotes = 0;
                        }
                        i += c.len_utf8();
                    }
                }
                if i >= bytes.len() {
                    self.pos = bytes.len();
                    return None;
                }
                self.st = State {
                    start: i,
                    clause: i,
                    enum_next: next_markers(text, i),
                    ..State::default()
                };
                self.in_segment = true;
                self.pos = i;
            }
            let mut i = self.pos;
            while i < bytes.len() && !INTEREST[bytes[i] as usize] {
                i += 1;
            }
            if i >= bytes.len() {
                return Some(self.emit(bytes.len(), bytes.len()));
            }
            let Some(c) = char_at(text, i) else {
                return Some(self.emit(bytes.len(), bytes.len()));
            };
            let after = i + c.len_utf8();
            if is_line_break(c) {
                self.para_quotes = 0;
                return Some(self.emit(i, after));
            }
            self.pos = after;
            if !self.st.enum_next.is_empty() && matches!(c, ')' | '.' | '•' | '*' | '·' | '▪') {
                // "b.)" is checked at its period, before the period is taken
                // for a sentence end.
                let marker_end = if c == '.' && bytes.get(after) == Some(&b')') {
                    after + 1
                } else {
                    after
                };
                if let Some(m) = enum_marker_before(text, self.st.start, marker_end, &self.st.enum_next) {
                    return Some(self.emit(m, m));
                }
            }
            match c {
                '(' | '[' | '{' | '（' => self.st.brackets += 1,
                ')' | ']' | '}' | '）' => self.st.brackets = self.st.brackets.saturating_sub(1),
                '“' | '„' | '«' => self.st.curly += 1,
                '”' | '»' => self.st.curly = self.st.curly.saturating_sub(1),
                ':' if self.rules.colon_stop => {
                    // Armenian text often types its full stop "։" as ":".
                    match self
                        .rules
                        .decide(text, &mut self.st, self.para_quotes, i, Term::Bang)
                    {
                        Decision::Break(end, quotes) => {
                            self.para_quotes += quotes;
                            return Some(self.emit(end, end));
                        }
                        Decision::Continue(resume) => self.pos = resume.max(after),
                    }
                }
                ':' if char_at(text, after).is_none_or(char::is_whitespace) => self.st.clause = after,
                '"' | '\'' | '`' | '‘' | '’' => {
                    if let Some(end) = standalone_quote(text, i) {
                        self.para_quotes += 1;
                        self.pos = end;
                    } else if c == '"' {
                        self.st.straight_dq = !self.st.straight_dq;
                    }
                }
                _ => {
                    if let Some(kind) = terminator(c) {
                        match self.rules.decide(text, &mut self.st, self.para_quotes, i, kind) {
                            Decision::Break(end, quotes) => {
                                self.para_quotes += quotes;
                                return Some(self.emit(end, end));
                            }
                            Decision::Continue(resume) => self.pos = resume.max(after),
                        }
                    }
                }
            }
        }
    }
}
