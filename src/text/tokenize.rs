//! Tokens with byte spans; documented in [`text`](super).

use unicode_segmentation::UnicodeSegmentation;

use super::normalize::is_apostrophe;

/// First code point of the placeholder range for inline tags in plain text.
///
/// Tag *n* of a segment is written as `U+E000 + n` (Unicode private use area,
/// 6,400 code points), which never occurs in text korpu keys or matches.
pub const TAG_PLACEHOLDER_FIRST: char = '\u{E000}';
const TAG_PLACEHOLDER_LAST: char = '\u{F8FF}';

/// The placeholder character for inline tag number `n` (wrapping past 6,399).
pub fn tag_placeholder(n: usize) -> char {
    let span = TAG_PLACEHOLDER_LAST as u32 - TAG_PLACEHOLDER_FIRST as u32 + 1;
    char::from_u32(TAG_PLACEHOLDER_FIRST as u32 + (n as u32 % span)).unwrap_or(TAG_PLACEHOLDER_FIRST)
}

/// The tag number of a placeholder character, or `None` for any other char.
pub fn placeholder_index(c: char) -> Option<usize> {
    (TAG_PLACEHOLDER_FIRST..=TAG_PLACEHOLDER_LAST)
        .contains(&c)
        .then(|| (c as u32 - TAG_PLACEHOLDER_FIRST as u32) as usize)
}

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// Letters (and marks, and digits inside a word such as `G20`).
    Word,
    /// A number: digits with `.` `,` separators, possibly followed by a suffix
    /// (`2020'de`, `5th`).
    Number,
    /// Punctuation and symbols, one character (or grapheme) per token.
    Punct,
    /// An inline-tag placeholder (see [`tag_placeholder`]).
    Tag,
}

/// One token: its text, where it is, and where its stem ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token<'a> {
    /// The token as written, suffix included.
    pub text: &'a str,
    /// Byte offset of the token in the input.
    pub start: usize,
    /// What the token is.
    pub kind: TokenKind,
    stem_len: usize,
}

impl<'a> Token<'a> {
    /// Byte offset one past the token's end.
    pub fn end(&self) -> usize {
        self.start + self.text.len()
    }

    /// The token without an apostrophe suffix (`Şuşa` of `Şuşa'da`, `2020` of
    /// `2020'de`, `5` of `5th`); the whole token when there is none.
    pub fn stem(&self) -> &'a str {
        &self.text[..self.stem_len]
    }

    /// The suffix after the stem, apostrophe included (`'da`), or `""`.
    pub fn suffix(&self) -> &'a str {
        &self.text[self.stem_len..]
    }

    /// True when the token has a suffix after its stem.
    pub fn has_suffix(&self) -> bool {
        self.stem_len < self.text.len()
    }
}

/// Splits `text` into tokens; see [`text`](crate::text#tokens).
pub fn tokenize(text: &str) -> Tokens<'_> {
    Tokens {
        text,
        inner: WordPieces { text, pos: 0 }.peekable(),
    }
}

/// The iterator [`tokenize`] returns.
pub struct Tokens<'a> {
    text: &'a str,
    inner: std::iter::Peekable<WordPieces<'a>>,
}

/// UAX #29 word-bound pieces, as `unicode-segmentation` gives them, with a
/// fast path for the characters of Latin-script text (ASCII, Latin-1,
/// Latin Extended-A/B, IPA letters such as `ə`, and common typographic
/// punctuation). A piece that meets any other character is handed to
/// `unicode-segmentation` from the piece's start, which is always a word
/// boundary, so the result is the same as iterating `split_word_bound_indices`
/// over the whole text (property-tested) at several times the speed.
#[derive(Clone)]
struct WordPieces<'a> {
    text: &'a str,
    pos: usize,
}

/// The UAX #29 word-break classes of the fast path's characters.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Wb {
    ALetter,
    Numeric,
    MidLetter,
    MidNumLet,
    SingleQuote,
    MidNum,
    ExtendNumLet,
    WSegSpace,
    Cr,
    Lf,
    Newline,
    Other,
}

/// The word-break class of `c`, or `None` when `c` is outside the fast path
/// (other scripts, combining marks, format characters, emoji, …).
fn wb_class(c: char) -> Option<Wb> {
    Some(match c {
        'a'..='z' | 'A'..='Z' => Wb::ALetter,
        '0'..='9' => Wb::Numeric,
        ' ' => Wb::WSegSpace,
        '\r' => Wb::Cr,
        '\n' => Wb::Lf,
        '\u{B}' | '\u{C}' => Wb::Newline,
        '.' | '\u{2018}' | '\u{2019}' => Wb::MidNumLet,
        '\'' => Wb::SingleQuote,
        ':' | '\u{B7}' => Wb::MidLetter,
        ',' | ';' => Wb::MidNum,
        '_' => Wb::ExtendNumLet,
        '\u{0}'..='\u{7F}' => Wb::Other,
        '\u{AA}' | '\u{B5}' | '\u{BA}' => Wb::ALetter,
        '\u{AD}' => return None,
        '\u{D7}' | '\u{F7}' => Wb::Other,
        '\u{80}'..='\u{BF}' => {
            if ('\u{80}'..='\u{9F}').contains(&c) || c == '\u{85}' {
                return None;
            }
            Wb::Other
        }
        '\u{C0}'..='\u{2AF}' | '\u{2BC}' => Wb::ALetter,
        '\u{2013}' | '\u{2014}' | '\u{201C}' | '\u{201D}' | '\u{2026}' | '\u{2022}' => Wb::Other,
        _ => return None,
    })
}

/// [`wb_class`] of each ASCII character (all are in the fast path).
const ASCII_WB: [Wb; 128] = {
    let mut t = [Wb::Other; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = match b as u8 {
            b'a'..=b'z' | b'A'..=b'Z' => Wb::ALetter,
            b'0'..=b'9' => Wb::Numeric,
            b' ' => Wb::WSegSpace,
            b'\r' => Wb::Cr,
            b'\n' => Wb::Lf,
            0x0B | 0x0C => Wb::Newline,
            b'.' => Wb::MidNumLet,
            b'\'' => Wb::SingleQuote,
            b':' => Wb::MidLetter,
            b',' | b';' => Wb::MidNum,
            b'_' => Wb::ExtendNumLet,
            _ => Wb::Other,
        };
        b += 1;
    }
    t
};

/// The class and UTF-8 length of the character at byte `i` of `s`: outer
/// `None` at the end of the text, inner `None` outside the fast path.
#[inline]
fn class_at(s: &str, i: usize) -> Option<(Option<Wb>, usize)> {
    let b = *s.as_bytes().get(i)?;
    if b < 0x80 {
        return Some((Some(ASCII_WB[b as usize]), 1));
    }
    // Two-byte chars (Latin letters, the common non-ASCII case), decoded
    // from their bytes: `i` is a char boundary, so a continuation follows.
    if (0xC2..0xE0).contains(&b)
        && let Some(&b1) = s.as_bytes().get(i + 1)
        && let Some(c) = char::from_u32((u32::from(b & 0x1F) << 6) | u32::from(b1 & 0x3F))
    {
        return Some((wb_class(c), 2));
    }
    let c = s.get(i..)?.chars().next()?;
    Some((wb_class(c), c.len_utf8()))
}

impl WordPieces<'_> {
    /// The end of the piece starting at `start`, by the fast path, or `None`
    /// when a character outside it decides the piece.
    fn fast_end(&self, start: usize) -> Option<usize> {
        let s = self.text;
        let (first, len) = class_at(s, start)?;
        let mut prev = first?;
        let mut end = start + len;
        match prev {
            Wb::Cr => {
                return Some(if s.as_bytes().get(end) == Some(&b'\n') {
                    end + 1
                } else {
                    end
                });
            }
            Wb::Lf | Wb::Newline => return Some(end),
            Wb::ALetter | Wb::Numeric | Wb::ExtendNumLet | Wb::WSegSpace => {}
            _ => {
                // A single character; an Extend or Format after it would
                // join (WB4), so it must be in the fast path too.
                return match class_at(s, end) {
                    Some((None, _)) => None,
                    _ => Some(end),
                };
            }
        }
        loop {
            let Some((next, next_len)) = class_at(s, end) else {
                return Some(end);
            };
            let next = next?;
            let join = match (prev, next) {
                (Wb::WSegSpace, Wb::WSegSpace) => true,
                (Wb::WSegSpace, _) => false,
                (
                    Wb::ALetter | Wb::Numeric | Wb::ExtendNumLet,
                    Wb::ALetter | Wb::Numeric | Wb::ExtendNumLet,
                ) => {
                    prev = next;
                    true
                }
                (Wb::ALetter, Wb::MidLetter | Wb::MidNumLet | Wb::SingleQuote)
                | (Wb::Numeric, Wb::MidNum | Wb::MidNumLet | Wb::SingleQuote) => {
                    // WB6/7 and WB11/12: a middle character joins when the
                    // same kind of character follows it.
                    match class_at(s, end + next_len) {
                        None => false,
                        Some((None, _)) => return None,
                        Some((Some(after), after_len)) if after == prev => {
                            end += after_len;
                            true
                        }
                        Some(_) => false,
                    }
                }
                _ => false,
            };
            if !join {
                return Some(end);
            }
            end += next_len;
        }
    }
}

impl<'a> Iterator for WordPieces<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<(usize, &'a str)> {
        let start = self.pos;
        if start >= self.text.len() {
            return None;
        }
        let end = match self.fast_end(start) {
            Some(end) => end,
            None => {
                let piece = self.text[start..].split_word_bounds().next()?;
                start + piece.len()
            }
        };
        self.pos = end;
        Some((start, &self.text[start..end]))
    }
}

fn classify(piece: &str) -> Option<TokenKind> {
    let mut chars = piece.chars();
    let first = chars.next()?;
    if first.is_whitespace() {
        return None;
    }
    if placeholder_index(first).is_some() {
        return Some(TokenKind::Tag);
    }
    if first.is_numeric() {
        return Some(TokenKind::Number);
    }
    if piece.chars().any(|c| c.is_alphanumeric()) {
        return Some(TokenKind::Word);
    }
    Some(TokenKind::Punct)
}

/// Length of the leading number (digits and inner separators) in `piece`.
fn number_len(piece: &str) -> usize {
    let mut end = 0;
    let bytes = piece.as_bytes();
    for (i, c) in piece.char_indices() {
        if c.is_numeric() {
            end = i + c.len_utf8();
        } else if matches!(c, '.' | ',') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
            continue;
        } else {
            break;
        }
    }
    end
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        loop {
            let (start, piece) = self.inner.next()?;
            let Some(kind) = classify(piece) else { continue };
            match kind {
                TokenKind::Word => {
                    let stem_len = piece
                        .char_indices()
                        .skip(1)
                        .find(|&(_, c)| is_apostrophe(c))
                        .map_or(piece.len(), |(i, _)| i);
                    return Some(Token {
                        text: piece,
                        start,
                        kind,
                        stem_len,
                    });
                }
                TokenKind::Number => {
                    let stem_len = number_len(piece);
                    let mut end = start + piece.len();
                    // `2020'de`: UAX #29 splits a number from an apostrophe
                    // suffix; join them back.
                    if stem_len == piece.len()
                        && let Some(&(apos_at, apos)) = self.inner.peek()
                        && apos_at == end
                        && apos.chars().next().is_some_and(is_apostrophe)
                        && apos.chars().count() == 1
                    {
                        let mut look = self.inner.clone();
                        look.next();
                        if let Some(&(suf_at, suf)) = look.peek()
                            && suf_at == apos_at + apos.len()
                            && suf.chars().all(char::is_alphabetic)
                        {
                            self.inner.next();
                            self.inner.next();
                            end = suf_at + suf.len();
                        }
                    }
                    let text = self.text.get(start..end).unwrap_or(piece);
                    return Some(Token {
                        text,
                        start,
                        kind,
                        stem_len,
                    });
                }
                TokenKind::Punct | TokenKind::Tag => {
                    return Some(Token {
                        text: piece,
                        start,
                        kind,
                        stem_len: piece.len(),
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn class_at_decodes_every_char_below_u0800() {
        for cp in 0..0x800 {
            let Some(c) = char::from_u32(cp) else { continue };
            let s = format!("a{c}b");
            assert_eq!(
                super::class_at(&s, 1),
                Some((super::wb_class(c), c.len_utf8())),
                "U+{cp:04X}"
            );
        }
    }

    #[test]
    fn ascii_table_is_wb_class() {
        for b in 0u8..128 {
            assert_eq!(
                Some(super::ASCII_WB[b as usize]),
                super::wb_class(b as char),
                "{b}"
            );
        }
    }

    use super::*;
    use proptest::prelude::*;

    fn kinds(s: &str) -> Vec<(&str, TokenKind)> {
        tokenize(s).map(|t| (t.text, t.kind)).collect()
    }

    #[test]
    fn numbers_keep_their_separators() {
        use TokenKind::*;
        for n in ["1.500", "85,3", "14.30", "363.5", "2021", "1,000,000"] {
            assert_eq!(kinds(n), vec![(n, Number)], "{n}");
        }
        assert_eq!(
            kinds("10.30-da"),
            vec![("10.30", Number), ("-", Punct), ("da", Word)]
        );
        assert_eq!(kinds("5."), vec![("5", Number), (".", Punct)]);
    }

    #[test]
    fn apostrophe_suffixes() {
        let t: Vec<_> = tokenize("2020'de Şuşa'da Türkiye’nin KARABAĞ'DAKİ").collect();
        assert_eq!(t.len(), 4);
        assert_eq!(
            (t[0].kind, t[0].stem(), t[0].suffix()),
            (TokenKind::Number, "2020", "'de")
        );
        assert_eq!((t[1].stem(), t[1].suffix()), ("Şuşa", "'da"));
        assert_eq!((t[2].stem(), t[2].suffix()), ("Türkiye", "’nin"));
        assert_eq!((t[3].stem(), t[3].suffix()), ("KARABAĞ", "'DAKİ"));
        assert!(!tokenize("Şuşa").next().unwrap().has_suffix());
    }

    #[test]
    fn punctuation_and_tags() {
        use TokenKind::*;
        let s = format!("Click {}here{}!", tag_placeholder(0), tag_placeholder(1));
        assert_eq!(
            kinds(&s),
            vec![
                ("Click", Word),
                ("\u{E000}", Tag),
                ("here", Word),
                ("\u{E001}", Tag),
                ("!", Punct)
            ]
        );
        assert_eq!(placeholder_index('\u{E001}'), Some(1));
        assert_eq!(placeholder_index('a'), None);
    }

    #[test]
    fn spans_are_byte_offsets() {
        let s = "Bakı, 14.30-da.";
        for t in tokenize(s) {
            assert_eq!(&s[t.start..t.end()], t.text);
        }
    }

    /// Characters the fast path knows, and some it must hand over.
    const PIECE_ALPHABET: &[char] = &[
        'a', 'Z', 'ş', 'İ', 'ı', 'ə', 'Ə', 'ğ', 'ü', 'ç', 'ö', 'é', 'ß', 'ª', 'µ', '0', '7', ' ', ' ', '\t',
        '\r', '\n', '\u{B}', '.', ',', ';', ':', '\'', '’', '‘', 'ʼ', '_', '-', '!', '?', '(', '"', '“', '”',
        '…', '–', '·', '\u{A0}', '\u{AD}', '²', '×', '«', '\u{301}', '\u{200D}', '😀', 'ж', '٣', 'א', 'ア',
        '\u{85}', '\u{2028}', '🇦', '🇿', '\u{E000}', '\u{2024}', '\u{2BC}', '\u{2C2}',
    ];

    proptest! {
        #[test]
        fn fast_pieces_equal_uax29(idx in prop::collection::vec(0..PIECE_ALPHABET.len(), 0..40)) {
            let s: String = idx.into_iter().map(|i| PIECE_ALPHABET[i]).collect();
            let fast: Vec<(usize, &str)> = WordPieces { text: &s, pos: 0 }.collect();
            let uax: Vec<(usize, &str)> = s.split_word_bound_indices().collect();
            prop_assert_eq!(fast, uax, "{:?}", s);
        }

        #[test]
        fn tokens_cover_all_non_whitespace_in_order(s in "[a-zA-ZçğıİöşüəƏ0-9.,'’ !?\\-]{0,40}") {
            let mut pos = 0;
            let mut rebuilt = String::new();
            for t in tokenize(&s) {
                prop_assert!(t.start >= pos);
                prop_assert!(s[pos..t.start].chars().all(char::is_whitespace));
                prop_assert_eq!(&s[t.start..t.end()], t.text);
                prop_assert!(t.stem().len() <= t.text.len() && !t.stem().is_empty());
                rebuilt.push_str(t.text);
                pos = t.end();
            }
            prop_assert!(s[pos..].chars().all(char::is_whitespace));
            let nonspace: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            prop_assert_eq!(rebuilt, nonspace);
        }
    }
}
