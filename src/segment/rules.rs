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

use std::ops::Range;

use super::abbrev::{AbbrevKind, Abbreviations, has_builtin};

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

/// Bytes the scanner must look at. ASCII: line breaks, terminators, brackets,
/// quotes, colon. Non-ASCII: the lead bytes of the characters that matter
/// (the character is decoded and checked only then).
static INTEREST: [bool; 256] = {
    let mut t = [false; 256];
    let ascii = b"\n\r\x0B\x0C.!?()[]{}\"'`:*";
    let mut i = 0;
    while i < ascii.len() {
        t[ascii[i] as usize] = true;
        i += 1;
    }
    // U+0085 « »; ; Armenian ։; Arabic ؟ ۔; Devanagari । ॥; Ethiopic,
    // Myanmar; general punctuation (… “ ” ‘ ’ ‼ U+2028/9); CJK; fullwidth.
    let lead = [0xC2u8, 0xCD, 0xD6, 0xD8, 0xDB, 0xE0, 0xE1, 0xE2, 0xE3, 0xEF];
    let mut j = 0;
    while j < lead.len() {
        t[lead[j] as usize] = true;
        j += 1;
    }
    t
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Term {
    /// `.`
    Period,
    /// `!` `?` and their kin.
    Bang,
    /// `…`, `...`, `. . .`
    Ellipsis,
    /// CJK and other full stops that need no space after them.
    Strong,
}

fn terminator(c: char) -> Option<Term> {
    Some(match c {
        '.' => Term::Period,
        '!' | '?' | '‼' | '⁇' | '⁈' | '⁉' | '؟' | '\u{37E}' => Term::Bang,
        '…' => Term::Ellipsis,
        '。' | '！' | '？' | '｡' | '．' | '।' | '॥' | '።' | '፧' | '፨' | '۔' | '။' | '։' => {
            Term::Strong
        }
        _ => return None,
    })
}

pub(crate) fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\x0B' | '\x0C' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

fn is_hspace(c: char) -> bool {
    c.is_whitespace() && !is_line_break(c)
}

fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '`'
            | '”'
            | '’'
            | '“'
            | '‘'
            | '»'
            | '›'
            | ')'
            | ']'
            | '}'
            | '）'
            | '」'
            | '』'
            | '》'
            | '〉'
            | '】'
            | '〕'
            | '］'
            | '｝'
    )
}

/// Characters that may stand before the first word of a sentence.
fn is_opener(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '`'
            | '“'
            | '‘'
            | '„'
            | '«'
            | '‹'
            | '('
            | '['
            | '{'
            | '（'
            | '「'
            | '『'
            | '《'
            | '〈'
            | '【'
            | '¿'
            | '¡'
            | '-'
            | '–'
            | '—'
            | '*'
            | '•'
    )
}

fn is_quote_char(c: char) -> bool {
    matches!(c, '\'' | '`' | '"' | '‘' | '’' | '“' | '”')
}

fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|s| s.chars().next())
}

fn char_before(text: &str, i: usize) -> Option<char> {
    text.get(..i).and_then(|s| s.chars().next_back())
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

/// If a run of quote characters at `i` stands alone between white space (the
/// tokenized `'' word ''` style), the end of the run.
fn standalone_quote(text: &str, i: usize) -> Option<usize> {
    let before_ok = char_before(text, i).is_none_or(|c| c.is_whitespace());
    if !before_ok {
        return None;
    }
    let mut j = i;
    let mut n = 0;
    while let Some(c) = char_at(text, j) {
        if !is_quote_char(c) || n >= 4 {
            break;
        }
        j += c.len_utf8();
        n += 1;
    }
    match char_at(text, j) {
        None => Some(j),
        Some(c) if c.is_whitespace() => Some(j),
        _ => None,
    }
}

/// `[12]`, `[2–11]`, `[a]`: a citation mark at `i`; returns its end.
fn citation(text: &str, i: usize) -> Option<usize> {
    let rest = text.get(i..)?;
    let mut chars = rest.char_indices();
    if chars.next()?.1 != '[' {
        return None;
    }
    let mut digit = false;
    for (k, c) in chars.take(12) {
        match c {
            ']' => return (digit || k == 2).then_some(i + k + 1),
            '0'..='9' => digit = true,
            '–' | '-' | ',' | ' ' => {}
            c if c.is_ascii_lowercase() && k == 1 => {}
            _ => return None,
        }
    }
    None
}

fn skip_hspace(text: &str, mut i: usize) -> usize {
    while let Some(c) = char_at(text, i) {
        if !is_hspace(c) {
            break;
        }
        i += c.len_utf8();
    }
    i
}

/// The word ending at `end` (exclusive), stopping at white space, `/` and
/// opening punctuation, at most 64 bytes back.
fn word_before(text: &str, end: usize) -> (usize, &str) {
    let bytes = text.as_bytes();
    let mut s = end;
    // ASCII bytes are decided without decoding.
    while let Some(&b) = s.checked_sub(1).and_then(|p| bytes.get(p)) {
        if b.is_ascii() {
            if b.is_ascii_whitespace() || matches!(b, b'/' | b'(' | b'[' | b'{' | b'"' | b'<') {
                break;
            }
            if end - s >= 64 {
                return (s, &text[s..end]);
            }
            s -= 1;
            continue;
        }
        let Some(c) = char_before(text, s) else { break };
        if c.is_whitespace() || matches!(c, '“' | '‘' | '«' | '„') {
            break;
        }
        if end - s >= 64 {
            // Too long to be an abbreviation; take it as an ordinary word.
            return (s, &text[s..end]);
        }
        s -= c.len_utf8();
    }
    // A leading quote or apostrophe is not part of the word.
    let w = &text[s..end];
    let t = w.trim_start_matches(['\'', '`', '’']);
    (end - t.len(), t)
}

/// The letters of the word starting at `i` (at most 32 bytes).
fn word_at(text: &str, i: usize) -> &str {
    let rest = text.get(i..).unwrap_or("");
    let mut e = 0;
    for (k, c) in rest.char_indices() {
        if !(c.is_alphanumeric() || c == '\'' || c == '’') || k >= 32 {
            break;
        }
        e = k + c.len_utf8();
    }
    &rest[..e]
}

fn is_number_like(w: &str) -> bool {
    let core = w.trim_start_matches(['$', '€', '£', '₺', '₼', '%', '#', '+', '-', '№']);
    let core = core.trim_end_matches('%');
    !core.is_empty()
        && core.starts_with(|c: char| c.is_ascii_digit())
        && core
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ':' | '/' | '-'))
}

fn is_roman(w: &str) -> bool {
    !w.is_empty() && w.len() <= 6 && w.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'C' | 'M'))
}

fn is_urlish(w: &str) -> bool {
    w.contains('@') || w.contains("://") || w.contains(",//") || w.starts_with("www.")
}

/// A lowercase letter that starts a word like `iPad` or `eBay` counts as a
/// capital: brand names start sentences.
fn starts_lower(text: &str, i: usize) -> bool {
    let mut cs = text.get(i..).unwrap_or("").chars();
    match cs.next() {
        Some(c) if c.is_lowercase() => !cs.next().is_some_and(char::is_uppercase),
        _ => false,
    }
}

/// A lowercase ASCII letter alone that is not a Roman numeral (i, v, x).
fn is_plain_letter(word: &str) -> bool {
    word.len() == 1
        && word
            .bytes()
            .all(|b| b.is_ascii_lowercase() && !b"ivx".contains(&b))
}

/// English units that are also words; they are units only after a number.
const EN_WORD_UNITS: &[&str] = &["in"];

/// `a.m.` / `p.m.` (any case, glued to a number or not: "7a.m."; the final
/// period may be left out).
fn is_clock_abbrev(word: &str) -> bool {
    let w = word
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .trim_end_matches('.')
        .as_bytes();
    w.len() == 3 && matches!(w[0] | 0x20, b'a' | b'p') && w[1] == b'.' && w[2] | 0x20 == b'm'
}

/// `text` (after white space) starts with a clock time: `7 a.m.`, `11:30`,
/// `7pm`.
fn starts_with_time(text: &str) -> bool {
    let b = text.trim_start_matches(|c: char| is_hspace(c)).as_bytes();
    let mut k = 0;
    while k < b.len() && k < 2 && b[k].is_ascii_digit() {
        k += 1;
    }
    if k == 0 || b.get(k).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    if b.get(k) == Some(&b':')
        && b.get(k + 1..k + 3)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    {
        return true;
    }
    while b.get(k) == Some(&b' ') {
        k += 1;
    }
    matches!(b.get(k).map(|c| c | 0x20), Some(b'a' | b'p'))
        && matches!(b.get(k + 1), Some(b'.' | b'm' | b'M'))
        && (b.get(k + 1).is_some_and(|c| c | 0x20 == b'm') || b.get(k + 2).is_some_and(|c| c | 0x20 == b'm'))
}

const EN_PREPOSITIONS: &[&str] = &[
    "at", "on", "in", "by", "around", "about", "after", "before", "during", "since", "until", "till", "from",
    "circa", "near", "through", "between", "toward", "towards",
];

impl Rules {
    fn is_starter(&self, word: &str) -> bool {
        !word.is_empty() && self.abbrevs.is_starter(word)
    }

    /// Decides the terminator `kind` at byte `i`.
    fn decide(&self, text: &str, st: &mut State, para_quotes: u32, i: usize, kind: Term) -> Decision {
        let first = char_at(text, i).map_or(1, char::len_utf8);
        // 1. The run of terminators: "?!", "...", "!!!", ". . .".
        let mut j = i + first;
        let mut kind = kind;
        let mut dots = usize::from(kind == Term::Period);
        let mut n = 0;
        while let Some(c) = char_at(text, j) {
            let Some(k) = terminator(c) else { break };
            n += 1;
            if n > 64 {
                break;
            }
            match k {
                Term::Period => dots += 1,
                Term::Ellipsis => kind = Term::Ellipsis,
                Term::Strong => kind = Term::Strong,
                Term::Bang if kind == Term::Period && dots == 1 => kind = Term::Bang,
                Term::Bang => {}
            }
            j += c.len_utf8();
        }
        // Spaced runs: ". . ." and "! ! !".
        for _ in 0..16 {
            if char_at(text, j) != Some(' ') {
                break;
            }
            let Some(c) = char_at(text, j + 1) else { break };
            let follows = char_at(text, j + 1 + c.len_utf8());
            let spaced = matches!(c, '.' | '!' | '?' | '…')
                && follows.is_none_or(|f| f.is_whitespace() || is_closer(f) || terminator(f).is_some());
            if !spaced {
                break;
            }
            if c == '.' {
                dots += 1;
            }
            j += 1 + c.len_utf8();
        }
        if kind != Term::Strong && (dots >= 2 || kind == Term::Ellipsis) {
            kind = Term::Ellipsis;
        }
        let run_end = j;

        // 2. What belongs to the sentence after its terminator: closing
        // quotes and brackets, citation marks, more terminators.
        let mut end = run_end;
        let mut closed_quote = false;
        let mut quotes = 0;
        for _ in 0..32 {
            let Some(c) = char_at(text, end) else { break };
            if terminator(c).is_some() || is_closer(c) {
                closed_quote |= matches!(c, '"' | '”' | '»' | '\'' | '’' | '“');
                end += c.len_utf8();
                continue;
            }
            if c == '[' {
                if let Some(e) = citation(text, end) {
                    end = e;
                    continue;
                }
                break;
            }
            if !is_hspace(c) {
                break;
            }
            let k = skip_hspace(text, end);
            if k - end > 64 {
                break;
            }
            if let Some(e) = citation(text, k) {
                end = e;
                continue;
            }
            match char_at(text, k) {
                Some(t @ ('.' | '!' | '?')) => {
                    let f = char_at(text, k + 1);
                    if f.is_none_or(|f| f.is_whitespace() || is_closer(f)) {
                        if t == '.' {
                            dots += 1;
                        }
                        end = k + 1;
                        continue;
                    }
                }
                // A quote standing alone after the terminator: closing or
                // opening? Never a second closing one.
                Some(q) if is_quote_char(q) && !closed_quote => {
                    if let Some(e) = standalone_quote(text, k)
                        && closing_quote(text, e, para_quotes + quotes)
                    {
                        closed_quote = true;
                        quotes += 1;
                        end = e;
                        continue;
                    }
                }
                _ => {}
            }
            break;
        }
        let _ = dots;

        // 3. What follows.
        let Some(next) = char_at(text, end) else {
            return Decision::Break(end, quotes);
        };
        if is_line_break(next) {
            return Decision::Break(end, quotes);
        }
        if !is_hspace(next) {
            if kind == Term::Strong || self.glued_break(text, i, end) {
                return Decision::Break(end, quotes);
            }
            return Decision::Continue(run_end);
        }
        let k = skip_hspace(text, end);
        let Some(n) = char_at(text, k) else {
            return Decision::Break(end, quotes);
        };
        if is_line_break(n) {
            return Decision::Break(end, quotes);
        }
        if matches!(n, ',' | ';' | ':' | '،') {
            return Decision::Continue(run_end);
        }
        // The first letter or digit of what follows, past opening quotes,
        // brackets and dashes.
        let mut f = k;
        for _ in 0..8 {
            match char_at(text, f) {
                Some(c) if is_opener(c) || is_hspace(c) => f += c.len_utf8(),
                _ => break,
            }
        }
        let fc = char_at(text, f).unwrap_or(' ');
        let lower = starts_lower(text, f);
        let next_word = word_at(text, f);
        let brk = match kind {
            Term::Strong => true,
            Term::Ellipsis => {
                let bracketed = matches!(char_before(text, i), Some('[' | '('))
                    && matches!(char_at(text, run_end), Some(']' | ')'));
                !(bracketed || lower || (self.english && next_word == "I"))
            }
            Term::Bang => {
                // "?" or "!" inside an open quotation that goes on with a
                // capital ("How many? I don't know.") stays in the sentence.
                let in_quote = (st.straight_dq || st.curly > 0) && !closed_quote;
                !(lower || (in_quote && fc.is_uppercase()))
            }
            Term::Period => {
                if st.brackets > 0 && closer_ahead(text, st, end) {
                    false
                } else {
                    let closed = end > run_end;
                    let next_dotted = char_at(text, f + next_word.len()) == Some('.');
                    self.period_breaks(text, st, i, fc, lower, next_word, next_dotted, closed)
                }
            }
        };
        if brk {
            Decision::Break(end, quotes)
        } else {
            Decision::Continue(run_end)
        }
    }

    /// The period at `i` is followed by white space; does it end a sentence?
    #[allow(clippy::too_many_arguments)]
    fn period_breaks(
        &self,
        text: &str,
        st: &State,
        i: usize,
        fc: char,
        lower: bool,
        next_word: &str,
        next_dotted: bool,
        closed: bool,
    ) -> bool {
        // A detached period ("Mr . Smith", "filming .") belongs to the word
        // before the space.
        let mut wend = i;
        if char_before(text, i) == Some(' ') && !char_before(text, i - 1).is_some_and(char::is_whitespace) {
            wend = i - 1;
        }
        let (wstart, word) = word_before(text, wend);
        let digit = fc.is_ascii_digit() || fc.is_numeric();
        let upper = fc.is_uppercase() || (fc.is_alphabetic() && !lower);
        // "O.G.G." after a period is initials, not the pronoun "O".
        // Looked up only where a rule needs it.
        let starter = || upper && !next_dotted && self.is_starter(next_word);

        if word.is_empty() {
            return !lower || (self.listed && !closed);
        }
        // A list marker opening the segment: "1. apples", "ii. First",
        // "• 9. The first item", "1.) The first item".
        if is_list_marker(word) {
            let head = &text[st.start..wstart];
            let bulleted = !head.is_empty()
                && head
                    .chars()
                    .all(|c| matches!(c, '•' | '*' | '·' | '▪' | '-') || c == ' ');
            if (head.is_empty() || bulleted) && self.english && is_plain_letter(word) {
                // See the lone-letter rule below.
                return false;
            }
            if head.is_empty() || bulleted {
                return !(bulleted || closed || lower || digit || self.turkic) && starter();
            }
        }
        if is_number_like(word) {
            if lower {
                return false;
            }
            if self.ordinal_dot && (is_ordinal(word) || is_roman(word)) && (digit || upper && !starter()) {
                return false;
            }
            return true;
        }
        if self.turkic && upper && is_roman(word) && word.len() > 1 && !starter() {
            return false;
        }

        // The abbreviation, if any: two words first ("və s.", "a. m."), then
        // the word, then the word without a leading number ("7a.m"), then
        // its last dotted part ("Yrd.Doç.Dr").
        let mut abbrev_start = wstart;
        let mut kind = None;
        if wstart > 0 && char_before(text, wstart) == Some(' ') && self.abbrevs.ends_multiword(word) {
            let (pstart, prev) = word_before(text, wstart - 1);
            if !prev.is_empty() && prev.len() <= 12 {
                let two = &text[pstart..wend];
                kind = self.abbrevs.lookup(two);
                if kind.is_some() {
                    abbrev_start = pstart;
                }
            }
        }
        let mut number_glued = false;
        if kind.is_none() {
            kind = self.abbrevs.lookup(word);
            // A unit that is also an English word ("in.") is the unit only
            // after a number: "6 in. tall" but "several in. of rain" and
            // "Come in." are the word.
            if kind.is_some() && self.english && EN_WORD_UNITS.iter().any(|u| word.eq_ignore_ascii_case(u)) {
                let p = text[..wstart].trim_end_matches(' ');
                let (_, pw) = word_before(text, p.len());
                if !is_number_like(pw) {
                    kind = None;
                }
            }
        }
        if kind.is_none() {
            let stripped = word.trim_start_matches(|c: char| c.is_ascii_digit());
            if stripped.len() < word.len() && !stripped.is_empty() {
                kind = self.abbrevs.lookup(stripped);
                number_glued = kind.is_some();
            }
        }
        let dotted = word.contains('.');
        if kind.is_none()
            && dotted
            && !is_urlish(word)
            && let Some(last) = word.rsplit('.').next().filter(|s| !s.is_empty())
            && self.abbrevs.lookup(last) == Some(AbbrevKind::Title)
        {
            kind = Some(AbbrevKind::Title);
        }
        let single_letter = {
            let mut cs = word.chars();
            cs.next().is_some_and(char::is_alphabetic) && cs.next().is_none()
        };
        // Initials: "J.", "J.P.", "E.A.T." (a listed meaning of a capital
        // letter, like Turkish "S." for "sayfa", gives way to the name).
        let initials = word.split('.').all(|p| {
            let mut cs = p.chars();
            cs.next().is_some_and(char::is_uppercase) && cs.next().is_none()
        });
        if initials && kind != Some(AbbrevKind::Title) && !(dotted && kind.is_some()) {
            // Turkish and Azerbaijani news write a whole name as initials
            // ("sürücü A.H. Mimar Sinan Caddesi'nde…"): after two or more
            // initials a capital starts a new sentence.
            kind = Some(if self.turkic && dotted {
                AbbrevKind::Final
            } else {
                AbbrevKind::Inner
            });
        }
        let kind = match kind {
            Some(k) => k,
            // English has no one-letter word that ends a sentence in
            // lowercase: an unlisted lone "a." / "b." is a list letter or a
            // variable inside the sentence ("a. The first item b. The second
            // item"). i, v and x are Roman list markers.
            None if self.english && is_plain_letter(word) => {
                return false;
            }
            // Without a list, a lone lowercase letter is an abbreviation too
            // (German "z. B.").
            None if single_letter && (!self.listed || word.chars().all(char::is_uppercase)) => {
                AbbrevKind::Inner
            }
            // "U.S.A.", "e.g.", "Ph.D." not in the list: like a final
            // abbreviation; without a list ("u.a.", "z.B.") like an inner one.
            None if dotted && !is_urlish(word) => {
                if self.listed {
                    AbbrevKind::Final
                } else {
                    AbbrevKind::Inner
                }
            }
            None => {
                // An ordinary word. Before a lowercase word it ends a
                // sentence only in a listed language, not after a closing
                // quote or bracket ("'Great.' she said"), and not if it is
                // in capitals (an unlisted abbreviation: "NE.").
                if lower {
                    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
                    return self.listed && !closed && letters >= 2 && word.chars().any(char::is_lowercase);
                }
                return true;
            }
        };
        // "7 a.m. is before 7 p.m. 7 a.m. is …": a time right after a time
        // starts a new sentence; nothing joins two times without a word.
        if self.english && digit && is_clock_abbrev(word) && starts_with_time(&text[i + 1..]) {
            return true;
        }
        // A number (or a Roman numeral: "Vol. II") after an abbreviation
        // belongs to it.
        if lower || digit || (next_word.len() >= 2 && is_roman(next_word)) {
            return false;
        }
        match kind {
            AbbrevKind::Title => false,
            AbbrevKind::Inner => !upper || starter(),
            AbbrevKind::Final => {
                if self.english && upper && !starter() {
                    // "At 6 a.m. Mr. Smith arrived": a time or era after a
                    // number, in a clause that began with a preposition.
                    let prev_number = number_glued || {
                        let p = text[..abbrev_start].trim_end_matches(' ');
                        let (_, pw) = word_before(text, p.len());
                        p.len() < abbrev_start && is_number_like(pw)
                    };
                    if prev_number && self.clause_has_preposition(text, st) {
                        return false;
                    }
                }
                true
            }
        }
    }

    fn clause_has_preposition(&self, text: &str, st: &State) -> bool {
        let mut s = st.clause.max(st.start);
        s = skip_hspace(text, s);
        while let Some(c) = char_at(text, s) {
            if !is_opener(c) {
                break;
            }
            s += c.len_utf8();
        }
        let w = word_at(text, s);
        EN_PREPOSITIONS.iter().any(|p| w.eq_ignore_ascii_case(p))
    }

    /// No space after the terminator: "world.Today", "1,000.That" end a
    /// sentence; "e.g.", "1.500", "example.com", "7.Bg5" do not.
    fn glued_break(&self, text: &str, i: usize, end: usize) -> bool {
        let Some(p) = char_before(text, i) else {
            return false;
        };
        if !(p.is_lowercase() || p.is_ascii_digit()) {
            return false;
        }
        let (_, word) = word_before(text, i);
        if word.contains('.') || is_urlish(word) || self.abbrevs.lookup(word).is_some() {
            return false;
        }
        if self.ordinal_dot && is_ordinal(word) {
            // "1.Dünya Savaşı"
            return false;
        }
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        if letters == 1 || (letters == 0 && !is_number_like(word)) {
            return false;
        }
        // The next word: a capital, then lowercase letters, then no digit.
        let rest = text.get(end..).unwrap_or("");
        let mut cs = rest.chars();
        if !cs.next().is_some_and(char::is_uppercase) {
            return false;
        }
        let mut lowers = 0;
        for c in cs.take(40) {
            if c.is_lowercase() {
                lowers += 1;
            } else {
                return lowers >= 1 && !c.is_alphanumeric() && c != '@';
            }
        }
        lowers >= 1
    }
}

fn is_list_marker(w: &str) -> bool {
    let lower_roman = !w.is_empty() && w.len() <= 4 && w.chars().all(|c| matches!(c, 'i' | 'v' | 'x'));
    let mut cs = w.chars();
    let single_letter = cs.next().is_some_and(char::is_alphabetic) && cs.next().is_none();
    (1..=3).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_digit())
        || single_letter
        || lower_roman
        || is_roman(w)
}

const ROMAN: [&str; 12] = [
    "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii",
];

/// If the segment at `start` opens with an enumeration marker ("1)", "a)",
/// "i.)", "•"), the markers that would start its next item.
fn next_markers(text: &str, start: usize) -> Vec<String> {
    let rest = &text[start..];
    let first = rest.chars().next().unwrap_or(' ');
    // Most segments start with a word: look no further.
    if first.is_alphanumeric() && !rest.as_bytes().iter().take(5).any(|&b| b == b')') {
        return Vec::new();
    }
    if matches!(first, '•' | '·' | '▪') || (first == '*' && rest[1..].starts_with(' ')) {
        return vec![first.to_string()];
    }
    let label: String = rest.chars().take_while(|c| c.is_alphanumeric()).take(4).collect();
    let after = &rest[label.len()..];
    let suffix = if after.starts_with(".)") {
        ".)"
    } else if after.starts_with(')') {
        ")"
    } else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Ok(n) = label.parse::<u32>()
        && label.len() <= 3
    {
        out.push(format!("{}{suffix}", n + 1));
    }
    let lower = label.to_ascii_lowercase();
    if let Some(p) = ROMAN.iter().position(|r| *r == lower)
        && let Some(next) = ROMAN.get(p + 1)
    {
        let next = if label.chars().all(|c| c.is_ascii_uppercase()) {
            next.to_ascii_uppercase()
        } else {
            next.to_string()
        };
        out.push(format!("{next}{suffix}"));
    }
    let mut cs = label.chars();
    if let (Some(c), None) = (cs.next(), cs.next())
        && c.is_ascii_alphabetic()
        && c != 'z'
        && c != 'Z'
    {
        out.push(format!("{}{suffix}", (c as u8 + 1) as char));
    }
    out
}

/// At the marker character ending at `after`: if one of the `next` markers
/// ends here and stands after white space, the offset where it starts.
fn enum_marker_before(text: &str, start: usize, after: usize, next: &[String]) -> Option<usize> {
    for m in next {
        if after >= start + m.len() && text[..after].ends_with(m.as_str()) {
            let s = after - m.len();
            if s > start && char_before(text, s).is_some_and(is_hspace) {
                return Some(s);
            }
        }
    }
    None
}

/// A Turkish/Azerbaijani ordinal: 1–3 digits ("5. maddesi", "19. yüzyıl").
fn is_ordinal(w: &str) -> bool {
    (1..=3).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_digit())
}

/// Is the quote token ending at `e` (after a terminator and a space) the
/// closing one? Odd quotes so far in the paragraph: yes. Balanced quotes:
/// no, it opens the next sentence. None yet: it closes unless the same kind
/// of quote comes again before the next terminator.
fn closing_quote(text: &str, e: usize, para_quotes: u32) -> bool {
    if para_quotes % 2 == 1 {
        return true;
    }
    if para_quotes > 0 {
        return false;
    }
    let mut i = e;
    let mut seen = 0;
    while let Some(c) = char_at(text, i) {
        if is_line_break(c) || terminator(c).is_some() || seen > 256 {
            return true;
        }
        if is_quote_char(c) && standalone_quote(text, i).is_some() {
            return false;
        }
        i += c.len_utf8();
        seen += 1;
    }
    true
}

/// Does a closing bracket follow `pos` in this paragraph? Cached per segment
/// so that a long bracketed run is searched once.
fn closer_ahead(text: &str, st: &mut State, pos: usize) -> bool {
    if let Some((from, found)) = st.closer {
        match found {
            Some(at) if at >= pos => return true,
            None if from <= pos => return false,
            _ => {}
        }
    }
    let bytes = text.as_bytes();
    let mut i = pos;
    let mut found = None;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' | b'\r' => break,
            b')' | b']' | b'}' => {
                found = Some(i);
                break;
            }
            0xEF if text.get(i..).is_some_and(|s| s.starts_with('）')) => {
                found = Some(i);
                break;
            }
            _ => i += 1,
        }
    }
    st.closer = Some((pos, found));
    found.is_some()
}
