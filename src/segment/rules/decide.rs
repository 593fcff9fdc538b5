//! What a terminator means: the run of terminators, what belongs to the
//! sentence after it, and whether what follows starts a new one (per
//! language, with abbreviations, initials, ordinals and numbers).

use super::chars::{
    Term, char_at, char_before, is_closer, is_hspace, is_line_break, is_opener, is_quote_char, terminator,
};
use super::lists::is_list_marker;
use super::words::{
    citation, is_clock_abbrev, is_number_like, is_ordinal, is_plain_letter, is_roman, is_urlish, skip_hspace,
    standalone_quote, starts_lower, starts_with_time, word_at, word_before,
};
use super::{Decision, Rules, State};
use crate::segment::abbrev::AbbrevKind;

/// English units that are also words; they are units only after a number.
const EN_WORD_UNITS: &[&str] = &["in"];

const EN_PREPOSITIONS: &[&str] = &[
    "at", "on", "in", "by", "around", "about", "after", "before", "during", "since", "until", "till", "from",
    "circa", "near", "through", "between", "toward", "towards",
];

impl Rules {
    fn is_starter(&self, word: &str) -> bool {
        !word.is_empty() && self.abbrevs.is_starter(word)
    }

    /// Decides the terminator `kind` at byte `i`.
    #[inline]
    pub(super) fn decide(
        &self,
        text: &str,
        st: &mut State,
        para_quotes: u32,
        i: usize,
        kind: Term,
    ) -> Decision {
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
