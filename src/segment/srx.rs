//! SRX (Segmentation Rules eXchange) 2.0 rule files, and SRX 1.0.
//!
//! An SRX file holds named *language rules* (ordered lists of break and
//! no-break rules, each a pair of regular expressions: the text before a
//! break position and the text after it) and a *language map* (regular
//! expressions over language codes naming the rules to apply). With
//! `cascade="yes"` every matching language rule applies, in map order;
//! otherwise the first match does.
//!
//! ```
//! use korpu::Lang;
//! use korpu::segment::SrxRules;
//!
//! let srx = r#"<?xml version="1.0"?>
//! <srx version="2.0" xmlns="http://www.lisa.org/srx20">
//!   <header segmentsubflows="yes" cascade="yes"/>
//!   <body>
//!     <languagerules>
//!       <languagerule languagerulename="English">
//!         <rule break="no"><beforebreak>\bMr\.</beforebreak><afterbreak>\s</afterbreak></rule>
//!       </languagerule>
//!       <languagerule languagerulename="Default">
//!         <rule break="yes"><beforebreak>[.?!]+</beforebreak><afterbreak>\s+\p{Lu}</afterbreak></rule>
//!       </languagerule>
//!     </languagerules>
//!     <maprules>
//!       <languagemap languagepattern="[Ee][Nn].*" languagerulename="English"/>
//!       <languagemap languagepattern=".*" languagerulename="Default"/>
//!     </maprules>
//!   </body>
//! </srx>"#;
//! let rules = SrxRules::from_reader(srx.as_bytes())?;
//! let en = rules.segmenter(&Lang::parse("en-GB")?);
//! let text = "Mr. Brown is here. He waits.";
//! assert_eq!(en.segments(text).collect::<Vec<_>>(), ["Mr. Brown is here.", "He waits."]);
//! let de = rules.segmenter(&Lang::parse("de")?);
//! assert_eq!(de.segments(text).count(), 3);
//! # Ok::<(), korpu::Error>(())
//! ```
//!
//! # Regular expressions
//!
//! SRX expressions are ICU/Java regular expressions. korpu translates them to
//! the `regex` crate's syntax, and falls back to `fancy-regex` for what
//! `regex` lacks (look-around, back-references, atomic groups):
//! `\uXXXX`, `\0ooo`, `\Q…\E`, `\h`, `\v`, `\R`, `\e`, `\cX`, Java's
//! `\p{IsLatin}` / `\p{InGreek}` / `\p{javaLowerCase}` / POSIX `\p{Alpha}`
//! classes, and the inline flags Rust lacks. Possessive quantifiers (`a*+`)
//! become greedy ones. `\s`, `\w`, `\d` and `\b` are Unicode-aware (Java's
//! are ASCII-only unless `UNICODE_CHARACTER_CLASS` is set).
//!
//! # How breaks are found
//!
//! Like loomchild's *segment* library, each rule scans forward for its
//! `beforebreak` expression; at the end of each match the `afterbreak`
//! expression must match right there. At each such position the first rule
//! (in cascade order) that matches decides: `break="yes"` splits, `"no"`
//! keeps the text together. An empty `beforebreak` matches at every position.
//! Paragraphs (lines) are segmented separately, so no segment crosses a line
//! break, and the white space around each segment is left out of it.
//!
//! # Safety
//!
//! The XML is read with quick-xml; a DOCTYPE is accepted but never fetched,
//! entity declarations are refused, and only the predefined entities and
//! character references are expanded.

use std::borrow::Cow;
use std::io::Read;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use super::Segmenter;
use super::rules::is_line_break;
use crate::error::{Error, Location, Result};
use crate::lang::Lang;

/// A parsed SRX file: language rules and the language map.
///
/// Parse it once ([`from_reader`](Self::from_reader),
/// [`from_path`](Self::from_path), [`parse`](Self::parse)) and build a
/// [`Segmenter`] per language with [`segmenter`](Self::segmenter). Every
/// regular expression is compiled while parsing, so a bad one is reported
/// with its rule and line.
#[derive(Clone, Debug)]
pub struct SrxRules {
    version: String,
    cascade: bool,
    language_rules: Vec<LanguageRule>,
    maps: Vec<LanguageMap>,
}

#[derive(Clone, Debug)]
struct LanguageRule {
    name: String,
    rules: Vec<Arc<Rule>>,
}

#[derive(Clone, Debug)]
struct LanguageMap {
    pattern: Pattern,
    rule: String,
}

#[derive(Debug)]
struct Rule {
    brk: bool,
    /// `None`: an empty `beforebreak`, which matches everywhere.
    before: Option<Pattern>,
    /// Anchored at the start of the text after the position.
    after: Option<Pattern>,
}

/// A compiled expression: the `regex` crate where it can, `fancy-regex`
/// where the expression needs look-around or back-references.
#[derive(Clone, Debug)]
enum Pattern {
    Plain(regex::Regex),
    Fancy(Box<fancy_regex::Regex>),
}

impl Pattern {
    fn compile(java: &str, anchored: bool) -> std::result::Result<Pattern, String> {
        let translated = translate(java)?;
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
                    Err(if needs_fancy {
                        fancy_err.to_string()
                    } else {
                        plain_err.to_string()
                    })
                }
            },
        }
    }

    /// The first match at or after `start`, as a byte range.
    fn find_at(&self, text: &str, start: usize) -> Option<Range<usize>> {
        match self {
            Pattern::Plain(re) => re.find_at(text, start).map(|m| m.range()),
            // A match that hits the backtracking limit counts as no match.
            Pattern::Fancy(re) => re.find_from_pos(text, start).ok().flatten().map(|m| m.range()),
        }
    }

    fn is_match(&self, text: &str) -> bool {
        match self {
            Pattern::Plain(re) => re.is_match(text),
            Pattern::Fancy(re) => re.is_match(text).unwrap_or(false),
        }
    }
}

/// The rules one language uses: the concatenated rules of its language
/// rules.
#[derive(Clone, Debug)]
pub(crate) struct SrxRuleSet {
    rules: Vec<Arc<Rule>>,
}

impl SrxRules {
    /// Reads SRX from `reader` (UTF-8, or UTF-16 with a byte order mark).
    /// Errors give the line and column, or the rule, of the problem.
    pub fn from_reader<R: Read>(mut reader: R) -> Result<SrxRules> {
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).map_err(|e| Error::Io {
            path: None,
            source: e,
        })?;
        let text = decode(&bytes)?;
        SrxRules::parse(&text)
    }

    /// Reads the SRX file at `path`; errors name the file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<SrxRules> {
        let path = path.as_ref();
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        SrxRules::from_reader(std::io::BufReader::new(file)).map_err(|e| match e {
            Error::Io { path: None, source } => Error::io(path, source),
            e => e.in_file(path),
        })
    }

    /// Parses SRX from a string.
    pub fn parse(xml: &str) -> Result<SrxRules> {
        Parser::new(xml).run()
    }

    /// The SRX version of the file: `"2.0"` or `"1.0"`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// True when all matching language rules apply (`cascade="yes"`), not
    /// only the first.
    pub fn cascade(&self) -> bool {
        self.cascade
    }

    /// The names of the language rules, in file order.
    pub fn language_rule_names(&self) -> impl Iterator<Item = &str> {
        self.language_rules.iter().map(|r| r.name.as_str())
    }

    /// The names of the language rules that apply to `lang`, in the order
    /// they apply. The language map's patterns are matched against the tag
    /// in canonical case (`az-Latn-AZ`), lowercase and uppercase, and with `_`
    /// for `-`, since SRX files write codes in all these ways.
    pub fn rule_names_for(&self, lang: &Lang) -> Vec<&str> {
        let canonical = lang.as_str();
        let variants = [
            canonical.to_string(),
            canonical.to_ascii_lowercase(),
            canonical.to_ascii_uppercase(),
            canonical.replace('-', "_"),
        ];
        let mut names = Vec::new();
        for map in &self.maps {
            if variants.iter().any(|v| map.pattern.is_match(v)) {
                names.push(map.rule.as_str());
                if !self.cascade {
                    break;
                }
            }
        }
        names
    }

    /// A segmenter for `lang` with the rules the language map gives it. A
    /// language that no map entry matches gets no rules: its paragraphs are
    /// its segments.
    pub fn segmenter(&self, lang: &Lang) -> Segmenter {
        let mut rules = Vec::new();
        for name in self.rule_names_for(lang) {
            if let Some(lr) = self.language_rules.iter().find(|r| r.name == name) {
                rules.extend(lr.rules.iter().cloned());
            }
        }
        Segmenter::from_srx(lang, SrxRuleSet { rules })
    }
}

impl std::str::FromStr for SrxRules {
    type Err = Error;
    fn from_str(s: &str) -> Result<SrxRules> {
        SrxRules::parse(s)
    }
}

fn decode(bytes: &[u8]) -> Result<Cow<'_, str>> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes)
        && enc != encoding_rs::UTF_8
    {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom..]);
        if had_errors {
            return Err(Error::parse(
                Location::default(),
                format!("invalid {} in SRX", enc.name()),
            ));
        }
        return Ok(Cow::Owned(text.into_owned()));
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(s) => Ok(Cow::Borrowed(s)),
        Err(e) => {
            let valid = std::str::from_utf8(&body[..e.valid_up_to()]).unwrap_or("");
            Err(Error::parse(
                Location::of_offset(valid, valid.len()),
                "invalid UTF-8 in SRX file",
            ))
        }
    }
}

/// The SRX reader: a small state machine over quick-xml events.
struct Parser<'x> {
    xml: &'x str,
    reader: Reader<&'x [u8]>,
    version: Option<String>,
    cascade: bool,
    language_rules: Vec<LanguageRule>,
    maps: Vec<LanguageMap>,
    saw_maprules: bool,
    saw_body: bool,
    /// Element names from the root down.
    stack: Vec<String>,
    /// The rule being read: break, before text, after text, its position.
    rule: Option<RawRule>,
    /// Where text goes: 1 = beforebreak, 2 = afterbreak.
    text_target: u8,
}

struct RawRule {
    brk: bool,
    before: String,
    after: String,
    at: usize,
    index: usize,
}

impl<'x> Parser<'x> {
    fn new(xml: &'x str) -> Parser<'x> {
        let mut reader = Reader::from_str(xml);
        reader.config_mut().trim_text(false);
        Parser {
            xml,
            reader,
            version: None,
            cascade: false,
            language_rules: Vec::new(),
            maps: Vec::new(),
            saw_maprules: false,
            saw_body: false,
            stack: Vec::new(),
            rule: None,
            text_target: 0,
        }
    }

    fn err_at(&self, pos: usize, msg: impl Into<String>) -> Error {
        Error::parse(Location::of_offset(self.xml, pos), msg)
    }

    fn run(mut self) -> Result<SrxRules> {
        loop {
            let pos = self.reader.buffer_position() as usize;
            let event = match self.reader.read_event() {
                Ok(e) => e,
                Err(e) => {
                    let at = self.reader.error_position() as usize;
                    return Err(self.err_at(at, format!("malformed XML: {e}")));
                }
            };
            match event {
                Event::Start(e) => {
                    self.start(&e, pos)?;
                    self.stack
                        .push(String::from_utf8_lossy(e.local_name().as_ref()).into_owned());
                }
                Event::Empty(e) => {
                    self.start(&e, pos)?;
                    let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                    self.end(&name, pos)?;
                }
                Event::End(e) => {
                    let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                    self.stack.pop();
                    self.end(&name, pos)?;
                }
                Event::Text(t) => {
                    let s = t.decode().map_err(|e| self.err_at(pos, e.to_string()))?;
                    self.push_text(&s);
                }
                Event::CData(t) => {
                    let s = t.decode().map_err(|e| self.err_at(pos, e.to_string()))?;
                    self.push_text(&s);
                }
                Event::GeneralRef(r) => {
                    let c = if r.is_char_ref() {
                        r.resolve_char_ref().ok().flatten()
                    } else {
                        match r.as_ref() {
                            b"lt" => Some('<'),
                            b"gt" => Some('>'),
                            b"amp" => Some('&'),
                            b"apos" => Some('\''),
                            b"quot" => Some('"'),
                            _ => None,
                        }
                    };
                    match c {
                        Some(c) => self.push_text(c.encode_utf8(&mut [0; 4])),
                        None => {
                            let name = String::from_utf8_lossy(r.as_ref()).into_owned();
                            return Err(self.err_at(pos, format!("unknown entity &{name};")));
                        }
                    }
                }
                Event::DocType(d) => {
                    let body = String::from_utf8_lossy(d.as_ref()).into_owned();
                    if body.contains("<!ENTITY") {
                        return Err(self.err_at(pos, "entity declarations are not allowed in SRX"));
                    }
                }
                Event::Eof => break,
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            }
        }
        let Some(version) = self.version.take() else {
            return Err(self.err_at(0, "not an SRX file: no <srx> element"));
        };
        if !self.saw_body {
            return Err(self.err_at(self.xml.len(), "SRX file has no <body>"));
        }
        if !self.saw_maprules {
            return Err(self.err_at(self.xml.len(), "SRX file has no <maprules>"));
        }
        Ok(SrxRules {
            version,
            cascade: self.cascade,
            language_rules: self.language_rules,
            maps: self.maps,
        })
    }

    fn attr(&self, e: &BytesStart<'_>, name: &str, pos: usize) -> Result<Option<String>> {
        for a in e.attributes() {
            let a = a.map_err(|err| self.err_at(pos, format!("malformed attribute: {err}")))?;
            if a.key.local_name().as_ref() == name.as_bytes() {
                let v = a
                    .unescape_value()
                    .map_err(|err| self.err_at(pos, format!("bad attribute {name}: {err}")))?;
                return Ok(Some(v.into_owned()));
            }
        }
        Ok(None)
    }

    fn start(&mut self, e: &BytesStart<'_>, pos: usize) -> Result<()> {
        let name = e.local_name();
        let name = name.as_ref();
        if self.stack.is_empty() && self.version.is_none() {
            if name != b"srx" {
                return Err(self.err_at(
                    pos,
                    format!(
                        "not an SRX file: the root element is <{}>, expected <srx>",
                        String::from_utf8_lossy(name)
                    ),
                ));
            }
            let version = self.attr(e, "version", pos)?.unwrap_or_default();
            if version != "2.0" && version != "1.0" {
                return Err(self.err_at(
                    pos,
                    format!("unsupported SRX version {version:?}; expected \"2.0\" or \"1.0\""),
                ));
            }
            self.version = Some(version);
            return Ok(());
        }
        match name {
            b"header" => {
                let cascade = self.attr(e, "cascade", pos)?;
                self.cascade = matches!(cascade.as_deref(), Some("yes" | "true"));
            }
            b"body" => self.saw_body = true,
            b"maprules" => self.saw_maprules = true,
            b"languagerule" => {
                let Some(rule_name) = self.attr(e, "languagerulename", pos)? else {
                    return Err(self.err_at(pos, "<languagerule> without languagerulename"));
                };
                self.language_rules.push(LanguageRule {
                    name: rule_name,
                    rules: Vec::new(),
                });
            }
            b"rule" => {
                if self.language_rules.is_empty() {
                    return Err(self.err_at(pos, "<rule> outside a <languagerule>"));
                }
                let brk = match self.attr(e, "break", pos)?.as_deref() {
                    None | Some("yes") => true,
                    Some("no") => false,
                    Some(other) => {
                        return Err(self.err_at(pos, format!("break={other:?}; expected \"yes\" or \"no\"")));
                    }
                };
                let index = self.language_rules.last().map_or(0, |r| r.rules.len()) + 1;
                self.rule = Some(RawRule {
                    brk,
                    before: String::new(),
                    after: String::new(),
                    at: pos,
                    index,
                });
            }
            b"beforebreak" => self.text_target = 1,
            b"afterbreak" => self.text_target = 2,
            b"languagemap" => {
                let pattern = self.attr(e, "languagepattern", pos)?;
                let rule = self.attr(e, "languagerulename", pos)?;
                let (Some(pattern), Some(rule)) = (pattern, rule) else {
                    return Err(self.err_at(pos, "<languagemap> needs languagepattern and languagerulename"));
                };
                if !self.language_rules.iter().any(|r| r.name == rule) {
                    return Err(self.err_at(
                        pos,
                        format!("<languagemap> names an unknown languagerule {rule:?}"),
                    ));
                }
                let compiled = Pattern::compile(&format!("(?:{pattern})$"), true)
                    .map_err(|m| self.err_at(pos, format!("invalid languagepattern {pattern:?}: {m}")))?;
                self.maps.push(LanguageMap {
                    pattern: compiled,
                    rule,
                });
            }
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, name: &str, _pos: usize) -> Result<()> {
        match name {
            "beforebreak" | "afterbreak" => self.text_target = 0,
            "rule" => {
                if let Some(raw) = self.rule.take() {
                    let lr_name = self
                        .language_rules
                        .last()
                        .map(|r| r.name.clone())
                        .unwrap_or_default();
                    let what = |which: &str, m: String| {
                        self.err_at(
                            raw.at,
                            format!(
                                "rule {} of languagerule {lr_name:?}: invalid {which} expression: {m}",
                                raw.index
                            ),
                        )
                    };
                    let before = if raw.before.is_empty() {
                        None
                    } else {
                        Some(Pattern::compile(&raw.before, false).map_err(|m| what("beforebreak", m))?)
                    };
                    let after = if raw.after.is_empty() {
                        None
                    } else {
                        Some(Pattern::compile(&raw.after, true).map_err(|m| what("afterbreak", m))?)
                    };
                    if let Some(lr) = self.language_rules.last_mut() {
                        lr.rules.push(Arc::new(Rule {
                            brk: raw.brk,
                            before,
                            after,
                        }));
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn push_text(&mut self, s: &str) {
        if let Some(rule) = &mut self.rule {
            match self.text_target {
                1 => rule.before.push_str(s),
                2 => rule.after.push_str(s),
                _ => {}
            }
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

/// The SRX rules' span iterator: paragraph by paragraph, the breaks of one
/// paragraph computed in one pass per rule.
#[derive(Clone, Debug)]
pub(crate) struct SrxSpans<'r, 't> {
    rules: &'r SrxRuleSet,
    text: &'t str,
    /// Start of the next paragraph.
    next_para: usize,
    /// Pending segment spans of the current paragraph, in reverse.
    pending: Vec<Range<usize>>,
}

impl<'r, 't> SrxSpans<'r, 't> {
    pub(crate) fn new(rules: &'r SrxRuleSet, text: &'t str) -> SrxSpans<'r, 't> {
        SrxSpans {
            rules,
            text,
            next_para: 0,
            pending: Vec::new(),
        }
    }

    fn fill(&mut self) -> bool {
        while self.pending.is_empty() {
            if self.next_para >= self.text.len() {
                return false;
            }
            let start = self.next_para;
            let rest = &self.text[start..];
            let (len, brk_len) = rest
                .char_indices()
                .find(|&(_, c)| is_line_break(c))
                .map_or((rest.len(), 0), |(i, c)| (i, c.len_utf8()));
            self.next_para = start + len + brk_len;
            let para = &rest[..len];
            let breaks = self.rules.breaks(para);
            let mut from = 0;
            let mut spans = Vec::with_capacity(breaks.len() + 1);
            for b in breaks.into_iter().chain(std::iter::once(para.len())) {
                let piece = &para[from..b];
                let trimmed = piece.trim_start();
                let lead = piece.len() - trimmed.len();
                let trimmed = trimmed.trim_end();
                if !trimmed.is_empty() {
                    let s = start + from + lead;
                    spans.push(s..s + trimmed.len());
                }
                from = b;
            }
            spans.reverse();
            self.pending = spans;
        }
        true
    }
}

impl Iterator for SrxSpans<'_, '_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        if !self.fill() {
            return None;
        }
        self.pending.pop()
    }
}

/// One rule's forward cursor over a paragraph.
struct Cursor {
    /// Where the next `beforebreak` search starts.
    from: usize,
    /// The current candidate break position, if any.
    at: Option<usize>,
}

impl SrxRuleSet {
    /// The break positions inside `para` (not 0, not its end), ascending.
    fn breaks(&self, para: &str) -> Vec<usize> {
        let mut cursors: Vec<Cursor> = self.rules.iter().map(|_| Cursor { from: 0, at: None }).collect();
        for (r, c) in self.rules.iter().zip(cursors.iter_mut()) {
            c.at = advance(r, para, &mut c.from, 0);
        }
        let mut out = Vec::new();
        while let Some(pos) = cursors.iter().filter_map(|c| c.at).min() {
            // The first rule matching here decides.
            if let Some(i) = cursors.iter().position(|c| c.at == Some(pos))
                && self.rules[i].brk
                && pos > 0
                && pos < para.len()
            {
                out.push(pos);
            }
            for (r, c) in self.rules.iter().zip(cursors.iter_mut()) {
                if c.at == Some(pos) {
                    c.at = advance(r, para, &mut c.from, pos + 1);
                }
            }
        }
        out
    }
}

/// The next position ≥ `min` where `rule` matches, searching its
/// `beforebreak` forward from `from`.
fn advance(rule: &Rule, para: &str, from: &mut usize, min: usize) -> Option<usize> {
    loop {
        if *from > para.len() {
            return None;
        }
        let pos = match &rule.before {
            None => {
                // An empty expression matches at every position.
                let p = (*from).max(min);
                let p = next_boundary(para, p)?;
                *from = p + para[p..].chars().next().map_or(1, char::len_utf8);
                p
            }
            Some(re) => {
                let m = re.find_at(para, *from)?;
                *from = if m.end > m.start {
                    m.end
                } else {
                    m.end + para[m.end..].chars().next().map_or(1, char::len_utf8)
                };
                m.end
            }
        };
        if pos < min {
            continue;
        }
        let after_ok = rule.after.as_ref().is_none_or(|re| re.is_match(&para[pos..]));
        if after_ok {
            return Some(pos);
        }
    }
}

fn next_boundary(s: &str, mut p: usize) -> Option<usize> {
    while p <= s.len() {
        if s.is_char_boundary(p) {
            return Some(p);
        }
        p += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segs(srx: &SrxRules, lang: &str, text: &str) -> Vec<String> {
        let seg = srx.segmenter(&Lang::parse(lang).unwrap());
        seg.segments(text).map(str::to_string).collect()
    }

    const SIMPLE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<srx version="2.0" xmlns="http://www.lisa.org/srx20">
  <header segmentsubflows="yes" cascade="yes"/>
  <body>
    <languagerules>
      <languagerule languagerulename="Turkish">
        <rule break="no"><beforebreak>\b(?:Dr|Prof|Doç)\.</beforebreak><afterbreak>\s</afterbreak></rule>
        <rule break="no"><beforebreak>\b\d+\.</beforebreak><afterbreak>\s+\p{Ll}</afterbreak></rule>
      </languagerule>
      <languagerule languagerulename="Default">
        <rule break="yes"><beforebreak>[\.\?!\u2026]+['"”\)]*</beforebreak><afterbreak>\s</afterbreak></rule>
      </languagerule>
    </languagerules>
    <maprules>
      <languagemap languagepattern="(tr|TR).*" languagerulename="Turkish"/>
      <languagemap languagepattern=".*" languagerulename="Default"/>
    </maprules>
  </body>
</srx>"#;

    #[test]
    fn cascade_applies_every_matching_rule_in_order() {
        let srx = SrxRules::parse(SIMPLE).unwrap();
        assert!(srx.cascade());
        assert_eq!(srx.version(), "2.0");
        let tr = Lang::parse("tr-TR").unwrap();
        assert_eq!(srx.rule_names_for(&tr), ["Turkish", "Default"]);
        assert_eq!(
            segs(&srx, "tr", "Doç. Dr. Ali 5. maddeyi okudu. Sonra çıktı… Bitti."),
            ["Doç. Dr. Ali 5. maddeyi okudu.", "Sonra çıktı…", "Bitti."]
        );
        // English only gets the default rules.
        assert_eq!(segs(&srx, "en", "Dr. Who. Yes.").len(), 3);
    }

    #[test]
    fn without_cascade_the_first_match_wins() {
        let srx = SrxRules::parse(&SIMPLE.replace("cascade=\"yes\"", "cascade=\"no\"")).unwrap();
        let tr = Lang::parse("tr").unwrap();
        assert_eq!(srx.rule_names_for(&tr), ["Turkish"]);
        // Turkish has only no-break rules: each paragraph is one segment.
        assert_eq!(segs(&srx, "tr", "Bir. İki.\nÜç."), ["Bir. İki.", "Üç."]);
    }

    #[test]
    fn segments_never_cross_lines_and_are_trimmed() {
        let srx = SrxRules::parse(SIMPLE).unwrap();
        let text = "  One. Two  \n\n Three.";
        let seg = srx.segmenter(&Lang::parse("en").unwrap());
        let spans: Vec<_> = seg.spans(text).collect();
        assert_eq!(spans, [2..6, 7..10, 15..21]);
    }

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

    #[test]
    fn lookaround_uses_fancy_regex() {
        let srx = SIMPLE.replace(r"\b(?:Dr|Prof|Doç)\.", r"(?&lt;=\s|^)(?:Dr|Prof|Doç)\.");
        let srx = SrxRules::parse(&srx).unwrap();
        assert_eq!(
            segs(&srx, "tr", "Prof. Ali geldi. Gitti."),
            ["Prof. Ali geldi.", "Gitti."]
        );
    }

    #[test]
    fn errors_name_the_place() {
        let e = SrxRules::parse("<book/>").unwrap_err().to_string();
        assert!(e.contains("not an SRX file") && e.contains("<book>"), "{e}");
        let e = SrxRules::parse("<srx version=\"3.0\"/>").unwrap_err().to_string();
        assert!(e.contains("unsupported SRX version"), "{e}");
        let bad = SIMPLE.replace(r"[\.\?!\u2026]+", r"[\.\?!+");
        let e = SrxRules::parse(&bad).unwrap_err().to_string();
        assert!(
            e.contains("rule 1 of languagerule \"Default\"") && e.contains("<input>:11:"),
            "{e}"
        );
        let e = SrxRules::parse(&SIMPLE.replace("</body>", ""))
            .unwrap_err()
            .to_string();
        assert!(e.contains("malformed XML"), "{e}");
        let e =
            SrxRules::parse(&SIMPLE.replace("languagerulename=\"Default\"/>", "languagerulename=\"Nope\"/>"))
                .unwrap_err()
                .to_string();
        assert!(e.contains("unknown languagerule \"Nope\""), "{e}");
    }

    #[test]
    fn entity_declarations_are_refused() {
        let xml = r#"<?xml version="1.0"?>
<!DOCTYPE srx [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<srx version="2.0"><body><maprules/></body></srx>"#;
        let e = SrxRules::parse(xml).unwrap_err().to_string();
        assert!(e.contains("entity declarations"), "{e}");
        let e = SrxRules::parse(&SIMPLE.replace("[\\.", "&ext;[\\."))
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown entity &ext;"), "{e}");
        // Predefined entities and character references are fine.
        let ok = SIMPLE.replace(r"['&quot;”\)]*", r"[&apos;&quot;&#x201D;\)]*");
        assert!(SrxRules::parse(&ok).is_ok());
    }

    #[test]
    fn srx_1_0_maprule_is_read() {
        let xml = r#"<srx version="1.0"><body><languagerules>
<languagerule languagerulename="D"><rule break="yes"><beforebreak>\.</beforebreak><afterbreak>\s+\p{Lu}</afterbreak></rule></languagerule>
</languagerules><maprules><maprule maprulename="x"><languagemap languagepattern=".*" languagerulename="D"/></maprule></maprules></body></srx>"#;
        let srx = SrxRules::parse(xml).unwrap();
        assert!(!srx.cascade());
        assert_eq!(
            segs(&srx, "pl", "Ala ma kota. Kot ma ale. a b"),
            ["Ala ma kota.", "Kot ma ale. a b"]
        );
    }
}
