//! XML character data, for every reader and writer of an XML format: which
//! characters XML 1.0 allows ([`is_xml_char`], [`first_non_xml_char`]), and
//! escaping text and attribute values ([`escape`], [`try_escape`]) in a
//! writer's [`Escape`] style.
//!
//! The writers escape differently (whether `"` or whitespace become
//! references, what becomes of a character XML cannot carry) and their
//! output is compared byte for byte, so each declares its own [`Escape`]
//! styles; the scan is the same for all.

/// True for characters XML 1.0 allows in a document.
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The first character of `text` that XML 1.0 does not allow (a C0 control
/// other than tab, line feed and carriage return, or U+FFFE/U+FFFF), if any.
#[inline]
pub(crate) fn first_non_xml_char(text: &str) -> Option<char> {
    // One branch-free pass (it vectorises: one lane of `acc` per byte of a
    // 32-byte block, reduced once at the end); the exact check runs only
    // when a control character or a possible U+FFFE/U+FFFF lead byte shows
    // up.
    #[inline]
    fn flag(b: u8) -> u8 {
        u8::from((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r')) | u8::from(b == 0xEF)
    }
    let mut blocks = text.as_bytes().chunks_exact(32);
    let mut acc = [0u8; 32];
    for block in &mut blocks {
        for (a, &b) in acc.iter_mut().zip(block) {
            *a |= flag(b);
        }
    }
    let tail = blocks.remainder().iter().fold(0, |t, &b| t | flag(b));
    let suspicious = acc.iter().fold(tail, |s, &a| s | a) != 0;
    if suspicious {
        text.chars().find(|&c| !is_xml_char(c))
    } else {
        None
    }
}

/// What an [`Escape`] does with a character XML 1.0 cannot carry (not even
/// as a reference): a C0 control other than tab, line feed and carriage
/// return, or U+FFFE/U+FFFF.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NonXml {
    /// Written as it is (the output is then not well-formed XML).
    Keep,
    /// Left out.
    Drop,
    /// [`try_escape`] stops and returns it.
    Refuse,
}

/// How a writer escapes one kind of output (element content, or attribute
/// values in double quotes): `&`, `<` and `>` always become `&amp;`, `&lt;`
/// and `&gt;`; whether `"`, tab, line feed and carriage return become
/// references is the style's, and so is what becomes of a character XML
/// cannot carry ([`NonXml`]).
///
/// Built in constants by [`Escape::new`] and the methods after it.
pub(crate) struct Escape {
    /// For each byte: [`COPY`], [`REF`], [`CONTROL`] or [`EF`].
    class: [u8; 256],
    /// The reference each [`REF`] byte (all ASCII) is written as.
    refs: [&'static str; 128],
    non_xml: NonXml,
}

/// Bytes written as they are.
const COPY: u8 = 0;
/// Bytes written as a reference.
const REF: u8 = 1;
/// A C0 control XML 1.0 does not allow.
const CONTROL: u8 = 2;
/// The lead byte of U+FFFE and U+FFFF (EF BF BE, EF BF BF), and of others.
const EF: u8 = 3;

impl Escape {
    /// `&`, `<` and `>` as references, everything else as it is, and what
    /// XML cannot carry as `non_xml` says.
    pub(crate) const fn new(non_xml: NonXml) -> Escape {
        let mut style = Escape {
            class: [COPY; 256],
            refs: [""; 128],
            non_xml,
        };
        if !matches!(non_xml, NonXml::Keep) {
            let mut b = 0;
            while b < 0x20 {
                if !matches!(b, b'\t' | b'\n' | b'\r') {
                    style.class[b as usize] = CONTROL;
                }
                b += 1;
            }
            style.class[0xEF] = EF;
        }
        style.with(b'&', "&amp;").with(b'<', "&lt;").with(b'>', "&gt;")
    }

    /// The same style with the ASCII byte `b` written as `reference`.
    pub(crate) const fn with(mut self, b: u8, reference: &'static str) -> Escape {
        assert!(b < 0x80);
        self.class[b as usize] = REF;
        self.refs[b as usize] = reference;
        self
    }
}

/// Where [`escape`] writes: a `String` or bytes.
pub(crate) trait XmlOut {
    /// Appends `s`.
    fn push_str(&mut self, s: &str);
}

impl XmlOut for String {
    #[inline]
    fn push_str(&mut self, s: &str) {
        String::push_str(self, s);
    }
}

impl XmlOut for Vec<u8> {
    #[inline]
    fn push_str(&mut self, s: &str) {
        self.extend_from_slice(s.as_bytes());
    }
}

/// Appends `s` to `out` escaped in `style`, which does not refuse (its
/// [`NonXml`] is `Keep` or `Drop`; see [`try_escape`] for `Refuse`).
#[inline]
pub(crate) fn escape(out: &mut impl XmlOut, s: &str, style: &Escape) {
    debug_assert!(style.non_xml != NonXml::Refuse);
    // Only `Refuse` returns an error.
    let _ = try_escape(out, s, style);
}

/// Appends `s` to `out` escaped in `style`. With [`NonXml::Refuse`], the
/// first character XML cannot carry ends it, as `Err`, with part of what
/// came before it appended (the caller drops the output); the other styles
/// never fail.
#[inline]
pub(crate) fn try_escape(out: &mut impl XmlOut, s: &str, style: &Escape) -> Result<(), char> {
    let bytes = s.as_bytes();
    // `start..i` is the run not yet appended; `i` is always at an ASCII
    // byte or a lead byte, so every slice is on a char boundary.
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let width = match style.class[usize::from(b)] {
            COPY => continue,
            REF => {
                out.push_str(&s[start..i]);
                out.push_str(style.refs[usize::from(b & 0x7F)]);
                start = i + 1;
                continue;
            }
            CONTROL => 1,
            // U+FFFE and U+FFFF are EF BF BE / EF BF BF.
            _ if bytes.get(i + 1) == Some(&0xBF) && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)) => 3,
            _ => continue,
        };
        match style.non_xml {
            NonXml::Keep => {}
            NonXml::Drop => {
                out.push_str(&s[start..i]);
                start = i + width;
            }
            NonXml::Refuse => return Err(s[i..].chars().next().unwrap_or('\u{FFFE}')),
        }
    }
    out.push_str(&s[start..]);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: Escape = Escape::new(NonXml::Refuse).with(b'\r', "&#xD;");
    const ATTR: Escape = Escape::new(NonXml::Drop)
        .with(b'"', "&quot;")
        .with(b'\t', "&#9;")
        .with(b'\n', "&#10;");

    fn escaped(s: &str, style: &Escape) -> Result<String, char> {
        let mut out = String::new();
        try_escape(&mut out, s, style)?;
        Ok(out)
    }

    #[test]
    fn escapes_what_the_style_names() {
        assert_eq!(
            escaped("a<b>&\"c\"\r\n\t", &TEXT).unwrap(),
            "a&lt;b&gt;&amp;\"c\"&#xD;\n\t"
        );
        assert_eq!(escaped("a\"b\tc\nd\r", &ATTR).unwrap(), "a&quot;b&#9;c&#10;d\r");
        let mut bytes = Vec::new();
        try_escape(&mut bytes, "Şuşa & Xankəndi", &TEXT).unwrap();
        assert_eq!(bytes, "Şuşa &amp; Xankəndi".as_bytes());
    }

    #[test]
    fn characters_xml_cannot_carry() {
        assert_eq!(escaped("a\u{1}b", &TEXT), Err('\u{1}'));
        assert_eq!(escaped("a\u{FFFF}", &TEXT), Err('\u{FFFF}'));
        assert_eq!(
            escaped("\u{FFFD}\u{EFBF}", &TEXT).as_deref(),
            Ok("\u{FFFD}\u{EFBF}")
        );
        assert_eq!(escaped("a\u{1}b\u{FFFE}c<\u{FFFF}", &ATTR).unwrap(), "abc&lt;");
        let mut kept = String::new();
        escape(&mut kept, "a\u{1}\u{FFFE}<", &Escape::new(NonXml::Keep));
        assert_eq!(kept, "a\u{1}\u{FFFE}&lt;");
    }

    #[test]
    fn finds_the_first_character_xml_does_not_allow() {
        assert_eq!(first_non_xml_char("plain text, Şuşa\t\r\n"), None);
        assert_eq!(
            first_non_xml_char(&format!("{}\u{FFFE}x\u{1}", "a".repeat(40))),
            Some('\u{FFFE}')
        );
        assert_eq!(first_non_xml_char("\u{EFBF}\u{FFFD}"), None);
        assert!(!is_xml_char('\u{B}') && is_xml_char('\u{10000}'));
    }
}
