//! List markers opening a segment (`1. apples`) and inline enumerations
//! (`1) foo 2) bar`), whose next marker starts the next segment.

use super::chars::{char_before, is_hspace};
use super::words::is_roman;

#[inline]
pub(super) fn is_list_marker(w: &str) -> bool {
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
#[inline]
pub(super) fn next_markers(text: &str, start: usize) -> Vec<String> {
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
#[inline]
pub(super) fn enum_marker_before(text: &str, start: usize, after: usize, next: &[String]) -> Option<usize> {
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
