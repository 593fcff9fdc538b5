//! The character classes the scanner and its decisions look at:
//! terminators, line breaks, closing and opening punctuation, quotes.

/// Bytes the scanner must look at. ASCII: line breaks, terminators, brackets,
/// quotes, colon. Non-ASCII: the lead bytes of the characters that matter
/// (the character is decoded and checked only then).
pub(super) static INTEREST: [bool; 256] = {
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
pub(super) enum Term {
    /// `.`
    Period,
    /// `!` `?` and their kin.
    Bang,
    /// `…`, `...`, `. . .`
    Ellipsis,
    /// CJK and other full stops that need no space after them.
    Strong,
}

#[inline]
pub(super) fn terminator(c: char) -> Option<Term> {
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

#[inline]
pub(crate) fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\x0B' | '\x0C' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

#[inline]
pub(super) fn is_hspace(c: char) -> bool {
    c.is_whitespace() && !is_line_break(c)
}

#[inline]
pub(super) fn is_closer(c: char) -> bool {
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
#[inline]
pub(super) fn is_opener(c: char) -> bool {
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

#[inline]
pub(super) fn is_quote_char(c: char) -> bool {
    matches!(c, '\'' | '`' | '"' | '‘' | '’' | '“' | '”')
}

#[inline]
pub(super) fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|s| s.chars().next())
}

#[inline]
pub(super) fn char_before(text: &str, i: usize) -> Option<char> {
    text.get(..i).and_then(|s| s.chars().next_back())
}
