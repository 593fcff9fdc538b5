//! SRX expressions: Java/ICU regular expressions translated to the `regex`
//! crate's syntax and compiled, with `fancy-regex` for what `regex` lacks.

use std::ops::Range;

/// A compiled expression: the `regex` crate where it can, `fancy-regex`
/// where the expression needs look-around or back-references.
#[derive(Clone, Debug)]
pub(super) enum Pattern {
    Plain(regex::Regex),
    Fancy(Box<fancy_regex::Regex>),
}

/// Why an expression was refused: in words, and with the regex engine's
/// own error when the engine refused it (not the translation).
pub(super) struct BadPattern {
    pub(super) message: String,
    pub(super) source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl Pattern {
    pub(super) fn compile(java: &str, anchored: bool) -> std::result::Result<Pattern, BadPattern> {
        let translated = translate(java).map_err(|message| BadPattern {
            message,
            source: None,
        })?;
        let src = if anchored {
            format!("^(?:{translated})")
        } else {
            translated
        };
        match regex::RegexBuilder::new(&src).size_limit(1 << 22).build() {
            Ok(re) => Ok(Pattern::Plain(re)),
            Err(plain_err) => match fancy_regex::RegexBuilder::new(&src)
                .backtrack_limit(100_000)
                .delegate_size_limit(1 << 22)
                .build()
            {
                Ok(re) => Ok(Pattern::Fancy(Box::new(re))),
                Err(fancy_err) => {
                    let needs_fancy = ["(?=", "(?!", "(?<=", "(?<!", "(?>"]
                        .iter()
                        .any(|s| src.contains(s));
                    let (message, source): (String, Box<dyn std::error::Error + Send + Sync>) = if needs_fancy
                    {
                        (fancy_err.to_string(), Box::new(fancy_err))
                    } else {
                        (plain_err.to_string(), Box::new(plain_err))
                    };
                    Err(BadPattern {
                        message,
                        source: Some(source),
                    })
                }
            },
        }
    }

    /// The first match at or after `start`, as a byte range.
    #[inline]
    pub(super) fn find_at(&self, text: &str, start: usize) -> Option<Range<usize>> {
        match self {
            Pattern::Plain(re) => re.find_at(text, start).map(|m| m.range()),
            // A match that hits the backtracking limit counts as no match.
            Pattern::Fancy(re) => re.find_from_pos(text, start).ok().flatten().map(|m| m.range()),
        }
    }

    #[inline]
    pub(super) fn is_match(&self, text: &str) -> bool {
        match self {
            Pattern::Plain(re) => re.is_match(text),
            Pattern::Fancy(re) => re.is_match(text).unwrap_or(false),
        }
    }
}

/// Translates a Java/ICU regular expression to `regex` / `fancy-regex`
/// syntax; see the module docs for what is covered.
fn translate(java: &str) -> std::result::Result<String, String> {
    let mut out = String::with_capacity(java.len() + 8);
    let chars: Vec<char> = java.chars().collect();
    let mut i = 0;
    let mut class_depth = 0usize;
    // True right after a quantifier, where Java's `+` makes it possessive.
    let mut after_quantifier = false;
    while i < chars.len() {
        let c = chars[i];
        let quantifier_before = after_quantifier;
        after_quantifier = false;
        match c {
            '\\' => {
                let Some(&e) = chars.get(i + 1) else {
                    return Err("trailing backslash".into());
                };
                i += 2;
                match e {
                    'u' => {
                        let hex: String = chars.iter().skip(i).take(4).collect();
                        if hex.len() != 4 || !hex.chars().all(|h| h.is_ascii_hexdigit()) {
                            return Err(format!("bad \\u escape \\u{hex}"));
                        }
                        out.push_str(&format!("\\x{{{hex}}}"));
                        i += 4;
                    }
                    '0' => {
                        let oct: String = chars
                            .iter()
                            .skip(i)
                            .take(3)
                            .take_while(|d| d.is_digit(8))
                            .collect();
                        let v =
                            u32::from_str_radix(&oct, 8).map_err(|_| "bad octal escape \\0".to_string())?;
                        i += oct.len();
                        out.push_str(&format!("\\x{{{v:X}}}"));
                    }
                    'Q' => {
                        let mut lit = String::new();
                        while i < chars.len() {
                            if chars[i] == '\\' && chars.get(i + 1) == Some(&'E') {
                                i += 2;
                                break;
                            }
                            lit.push(chars[i]);
                            i += 1;
                        }
                        out.push_str(&regex::escape(&lit));
                    }
                    'h' => out.push_str(if class_depth > 0 { H_SPACE_INNER } else { H_SPACE }),
                    'H' => out.push_str(&format!("[^{H_SPACE_INNER}]")),
                    'v' => out.push_str(if class_depth > 0 { V_SPACE_INNER } else { V_SPACE }),
                    'V' => out.push_str(&format!("[^{V_SPACE_INNER}]")),
                    'R' => out.push_str("(?:\\r\\n|[\\n\\x0B\\f\\r\\x{85}\\x{2028}\\x{2029}])"),
                    'Z' => out.push('$'),
                    'e' => out.push_str("\\x1B"),
                    'a' => out.push_str("\\x07"),
                    'c' => {
                        let Some(&x) = chars.get(i) else {
                            return Err("bad \\c escape".into());
                        };
                        i += 1;
                        out.push_str(&format!("\\x{{{:X}}}", (x as u32) ^ 0x40));
                    }
                    'p' | 'P' => {
                        let (name, used) = if chars.get(i) == Some(&'{') {
                            let close = chars[i..].iter().position(|&x| x == '}').ok_or("unclosed \\p{")?;
                            (chars[i + 1..i + close].iter().collect::<String>(), close + 1)
                        } else {
                            (chars.get(i).map(|c| c.to_string()).unwrap_or_default(), 1)
                        };
                        i += used;
                        out.push_str(&property(&name, e == 'P', class_depth > 0));
                    }
                    'G' => return Err("\\G is not supported".into()),
                    e if e.is_ascii_alphanumeric() => {
                        out.push('\\');
                        out.push(e);
                    }
                    // Java lets any other character be escaped; `regex` only
                    // meta characters.
                    e => out.push_str(&regex::escape(e.encode_utf8(&mut [0; 4]))),
                }
                continue;
            }
            '[' => {
                class_depth += 1;
                out.push('[');
                if chars.get(i + 1) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                // A `]` first in a class is a literal in Java.
                if chars.get(i + 1) == Some(&']') {
                    out.push_str("\\]");
                    i += 1;
                }
            }
            ']' if class_depth > 0 => {
                class_depth -= 1;
                out.push(']');
                after_quantifier = false;
            }
            '(' if class_depth == 0 && chars.get(i + 1) == Some(&'?') => {
                // Inline flags: keep those Rust knows (i m s x u), drop Java's
                // d and U (U means Unicode classes in Java, ungreedy in Rust).
                let mut j = i + 2;
                let mut flags = String::new();
                while let Some(&f) = chars.get(j) {
                    if f.is_ascii_alphabetic() || f == '-' {
                        flags.push(f);
                        j += 1;
                    } else {
                        break;
                    }
                }
                if !flags.is_empty() && matches!(chars.get(j), Some(')' | ':')) {
                    let kept: String = flags.chars().filter(|f| !matches!(f, 'd' | 'U')).collect();
                    let kept = kept.trim_end_matches('-');
                    if kept.is_empty() || kept == "-" {
                        if chars[j] == ':' {
                            out.push_str("(?:");
                        }
                    } else {
                        out.push_str("(?");
                        out.push_str(kept);
                        out.push(chars[j]);
                    }
                    i = j + 1;
                    continue;
                }
                out.push_str("(?");
                i += 2;
                continue;
            }
            '*' | '+' | '?' if class_depth == 0 => {
                if c == '+' && quantifier_before {
                    // Possessive: keep it greedy.
                    i += 1;
                    continue;
                }
                out.push(c);
                after_quantifier = c != '?' || !quantifier_before;
            }
            '}' if class_depth == 0 => {
                out.push('}');
                after_quantifier = true;
            }
            c => out.push(c),
        }
        i += 1;
    }
    Ok(out)
}

const H_SPACE_INNER: &str = "\\t \\x{A0}\\x{1680}\\x{180E}\\x{2000}-\\x{200A}\\x{202F}\\x{205F}\\x{3000}";
const H_SPACE: &str = "[\\t \\x{A0}\\x{1680}\\x{180E}\\x{2000}-\\x{200A}\\x{202F}\\x{205F}\\x{3000}]";
const V_SPACE_INNER: &str = "\\n\\x0B\\f\\r\\x{85}\\x{2028}\\x{2029}";
const V_SPACE: &str = "[\\n\\x0B\\f\\r\\x{85}\\x{2028}\\x{2029}]";

/// A Java `\p{…}` class in `regex` syntax.
fn property(name: &str, negated: bool, in_class: bool) -> String {
    let p = if negated { "P" } else { "p" };
    let simple = |n: &str| format!("\\{p}{{{n}}}");
    let set = |body: &str| {
        let neg = if negated { "^" } else { "" };
        format!("[{neg}{body}]")
    };
    let _ = in_class;
    let stripped = name
        .strip_prefix("Is")
        .or_else(|| name.strip_prefix("In"))
        .filter(|s| !s.is_empty())
        .unwrap_or(name);
    match stripped {
        "Lower" | "javaLowerCase" | "LowerCase" | "Lowercase" => simple("Lowercase"),
        "Upper" | "javaUpperCase" | "UpperCase" | "Uppercase" => simple("Uppercase"),
        "Alpha" | "Alphabetic" | "javaLetter" | "Letter" => simple("Alphabetic"),
        "Digit" | "javaDigit" => simple("Nd"),
        "Alnum" | "javaLetterOrDigit" => set("\\p{Alphabetic}\\p{Nd}"),
        "Punct" | "Punctuation" => simple("P"),
        "Space" | "javaWhitespace" | "White_Space" | "WhiteSpace" => simple("White_Space"),
        "Blank" => set(" \\t"),
        "XDigit" => set("0-9a-fA-F"),
        "Cntrl" => simple("Cc"),
        "ASCII" => set("\\x00-\\x7F"),
        "Graph" => set("\\x21-\\x7E"),
        "Print" => set("\\x20-\\x7E"),
        other => simple(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_syntax_is_translated() {
        assert_eq!(translate(r"\u0002").unwrap(), r"\x{0002}");
        assert_eq!(translate(r"a*+b++").unwrap(), "a*b+");
        assert_eq!(translate(r"\Q.*\E").unwrap(), r"\.\*");
        assert_eq!(
            translate(r"\p{IsLatin}\p{javaLowerCase}").unwrap(),
            r"\p{Latin}\p{Lowercase}"
        );
        assert_eq!(translate(r"(?U)\w").unwrap(), r"\w");
        assert_eq!(translate(r"[\»\<]").unwrap(), r"[»<]");
        assert_eq!(translate(r"x{2}+").unwrap(), "x{2}");
        for p in [
            r"\p{Lu}",
            r"(?<=\s)Mr\.",
            r"[\xff61\x3002]+",
            r"(?i)etc\.",
            r"[a-z&&[^aeiou]]",
            r"\h+\R",
        ] {
            assert!(Pattern::compile(p, false).is_ok(), "{p}");
        }
    }
}
