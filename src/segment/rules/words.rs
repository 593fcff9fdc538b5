//! Look-around at words: the word before a period and after it, numbers,
//! Roman numerals, URLs, clock times, standalone quotes and citation marks.

use super::chars::{char_at, char_before, is_hspace, is_quote_char};

/// If a run of quote characters at `i` stands alone between white space (the
/// tokenized `'' word ''` style), the end of the run.
#[inline]
pub(super) fn standalone_quote(text: &str, i: usize) -> Option<usize> {
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
#[inline]
pub(super) fn citation(text: &str, i: usize) -> Option<usize> {
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

#[inline]
pub(super) fn skip_hspace(text: &str, mut i: usize) -> usize {
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
#[inline]
pub(super) fn word_before(text: &str, end: usize) -> (usize, &str) {
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
#[inline]
pub(super) fn word_at(text: &str, i: usize) -> &str {
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

#[inline]
pub(super) fn is_number_like(w: &str) -> bool {
    let core = w.trim_start_matches(['$', '€', '£', '₺', '₼', '%', '#', '+', '-', '№']);
    let core = core.trim_end_matches('%');
    !core.is_empty()
        && core.starts_with(|c: char| c.is_ascii_digit())
        && core
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ':' | '/' | '-'))
}

#[inline]
pub(super) fn is_roman(w: &str) -> bool {
    !w.is_empty() && w.len() <= 6 && w.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'C' | 'M'))
}

#[inline]
pub(super) fn is_urlish(w: &str) -> bool {
    w.contains('@') || w.contains("://") || w.contains(",//") || w.starts_with("www.")
}

/// A lowercase letter that starts a word like `iPad` or `eBay` counts as a
/// capital: brand names start sentences.
#[inline]
pub(super) fn starts_lower(text: &str, i: usize) -> bool {
    let mut cs = text.get(i..).unwrap_or("").chars();
    match cs.next() {
        Some(c) if c.is_lowercase() => !cs.next().is_some_and(char::is_uppercase),
        _ => false,
    }
}

/// A lowercase ASCII letter alone that is not a Roman numeral (i, v, x).
#[inline]
pub(super) fn is_plain_letter(word: &str) -> bool {
    word.len() == 1
        && word
            .bytes()
            .all(|b| b.is_ascii_lowercase() && !b"ivx".contains(&b))
}

/// `a.m.` / `p.m.` (any case, glued to a number or not: "7a.m."; the final
/// period may be left out).
#[inline]
pub(super) fn is_clock_abbrev(word: &str) -> bool {
    let w = word
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .trim_end_matches('.')
        .as_bytes();
    w.len() == 3 && matches!(w[0] | 0x20, b'a' | b'p') && w[1] == b'.' && w[2] | 0x20 == b'm'
}

/// `text` (after white space) starts with a clock time: `7 a.m.`, `11:30`,
/// `7pm`.
#[inline]
pub(super) fn starts_with_time(text: &str) -> bool {
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

/// A Turkish/Azerbaijani ordinal: 1–3 digits ("5. maddesi", "19. yüzyıl").
#[inline]
pub(super) fn is_ordinal(w: &str) -> bool {
    (1..=3).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_digit())
}
