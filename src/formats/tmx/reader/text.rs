//! XML character data as the streaming path reads it: text runs checked
//! and line ends normalised, references resolved, attribute values decoded.
//! The fast path uses the same checks and resolution.

use crate::formats::xml::{first_non_xml_char, is_xml_char};

/// Checks and appends character data, with XML's line-end normalisation
/// (which applies to CDATA sections too: it happens before parsing).
pub(super) fn push_text(out: &mut String, raw: &[u8]) -> std::result::Result<(), String> {
    let text = std::str::from_utf8(raw).map_err(|e| {
        format!(
            "invalid UTF-8 in text (byte {:#04x})",
            raw.get(e.valid_up_to()).copied().unwrap_or(0)
        )
    })?;
    check_chars(text)?;
    if memchr::memchr(b'\r', raw).is_none() {
        out.push_str(text);
    } else {
        push_normalized_eols(out, text);
    }
    Ok(())
}

/// `\r\n` and a lone `\r` become `\n`, as XML requires.
fn push_normalized_eols(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(i) = rest.find('\r') {
        out.push_str(&rest[..i]);
        out.push('\n');
        rest = &rest[i + 1..];
        if let Some(r) = rest.strip_prefix('\n') {
            rest = r;
        }
    }
    out.push_str(rest);
}

/// Refuses characters XML 1.0 does not allow: C0 controls other than tab,
/// line feed and carriage return, and U+FFFE/U+FFFF.
pub(super) fn check_chars(text: &str) -> std::result::Result<(), String> {
    match first_non_xml_char(text) {
        Some(c) => Err(format!(
            "character U+{:04X} is not allowed in XML 1.0",
            u32::from(c)
        )),
        None => Ok(()),
    }
}

/// Resolves `&name;` (the five predefined entities and character references).
pub(super) fn resolve_ref(name: &[u8]) -> std::result::Result<char, String> {
    Ok(match name {
        b"lt" => '<',
        b"gt" => '>',
        b"amp" => '&',
        b"apos" => '\'',
        b"quot" => '"',
        _ => {
            let shown = String::from_utf8_lossy(name);
            let Some(num) = name.strip_prefix(b"#") else {
                return Err(format!(
                    "undefined entity &{shown}; (only the five XML entities and character references are read)"
                ));
            };
            let value = match num.strip_prefix(b"x") {
                Some(hex) => std::str::from_utf8(hex)
                    .ok()
                    .filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit()))
                    .and_then(|h| u32::from_str_radix(h, 16).ok()),
                None => std::str::from_utf8(num)
                    .ok()
                    .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
                    .and_then(|d| d.parse::<u32>().ok()),
            };
            match value.and_then(char::from_u32) {
                Some(c) if is_xml_char(c) => c,
                Some(c) => {
                    return Err(format!(
                        "character reference &{shown}; names U+{:04X}, which XML 1.0 does not allow",
                        u32::from(c)
                    ));
                }
                None => return Err(format!("invalid character reference &{shown};")),
            }
        }
    })
}

/// Decodes an attribute value: references resolved, and tab, line feed and
/// carriage return (literal ones, not references) turned into spaces as XML's
/// attribute-value normalisation requires.
pub(super) fn push_attr_value(out: &mut String, raw: &[u8]) -> std::result::Result<(), String> {
    let text = std::str::from_utf8(raw).map_err(|_| "invalid UTF-8".to_string())?;
    check_chars(text)?;
    if memchr::memchr(b'<', raw).is_some() {
        return Err("'<' is not allowed in an attribute value".into());
    }
    if !raw.iter().any(|&b| matches!(b, b'&' | b'\t' | b'\n' | b'\r')) {
        out.push_str(text);
        return Ok(());
    }
    let mut rest = text;
    while !rest.is_empty() {
        let stop = rest.find(['&', '\t', '\n', '\r']).unwrap_or(rest.len());
        out.push_str(&rest[..stop]);
        rest = &rest[stop..];
        let Some(c) = rest.chars().next() else { break };
        match c {
            '&' => {
                let end = rest.find(';').ok_or_else(|| "'&' without ';'".to_string())?;
                out.push(resolve_ref(&rest.as_bytes()[1..end])?);
                rest = &rest[end + 1..];
            }
            '\r' => {
                out.push(' ');
                rest = rest.strip_prefix("\r\n").unwrap_or(&rest[1..]);
            }
            _ => {
                out.push(' ');
                rest = &rest[1..];
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::test_docs::{doc, read, seg_text};
    use crate::model::Inline;

    #[test]
    fn segment_text_is_kept_exactly() {
        let units = read(&doc(
            "<tu><tuv xml:lang=\"en\"><seg>  two  spaces\tand\r\nlines \n</seg></tuv></tu>",
        ))
        .unwrap();
        assert_eq!(seg_text(&units[0], 0), "  two  spaces\tand\nlines \n");
    }

    #[test]
    fn references_cdata_comments_and_pis() {
        let units = read(&doc(
            "<tu><tuv xml:lang=\"az\"><seg>&#x259;&#601;&lt;&amp;<![CDATA[<b>&x;]]>a<!-- c -->b<?pi x?>&#x1F600;</seg></tuv></tu>",
        ))
        .unwrap();
        assert_eq!(
            units[0].variants[0].segment.content,
            vec![Inline::Text("əə<&<b>&x;ab😀".into())]
        );
    }

    #[test]
    fn invalid_characters_are_refused() {
        let err = read(&doc("<tu><tuv xml:lang=\"en\"><seg>a&#x1;</seg></tuv></tu>")).unwrap_err();
        assert!(err.to_string().contains("U+0001"), "{err}");
        let err = read(&doc("<tu><tuv xml:lang=\"en\"><seg>a\u{2}</seg></tuv></tu>")).unwrap_err();
        assert!(err.to_string().contains("U+0002"), "{err}");
    }

    #[test]
    fn attribute_values_are_normalised() {
        let units = read(&doc(
            "<tu tuid=\"a&#x9;b\tc\r\nd&amp;&quot;\"><tuv xml:lang=\"en\"><seg>x</seg></tuv></tu>",
        ))
        .unwrap();
        assert_eq!(units[0].tuid.as_deref(), Some("a\tb c d&\""));
    }
}
