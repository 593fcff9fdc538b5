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

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

// This file holds `SrxRules`' face and the rules it holds; `parse` reads the
// XML, `java_regex` translates and compiles the expressions, and `apply`
// finds the breaks of a paragraph.
mod apply;
mod java_regex;
mod parse;

pub(crate) use self::apply::SrxSpans;
use self::java_regex::Pattern;
use self::parse::{Parser, decode};
use super::Segmenter;
use crate::error::{Error, Result};
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

#[cfg(test)]
#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn segs(srx: &SrxRules, lang: &str, text: &str) -> Vec<String> {
        let seg = srx.segmenter(&Lang::parse(lang).unwrap());
        seg.segments(text).map(str::to_string).collect()
    }

    pub(super) const SIMPLE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
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
    fn lookaround_uses_fancy_regex() {
        let srx = SIMPLE.replace(r"\b(?:Dr|Prof|Doç)\.", r"(?&lt;=\s|^)(?:Dr|Prof|Doç)\.");
        let srx = SrxRules::parse(&srx).unwrap();
        assert_eq!(
            segs(&srx, "tr", "Prof. Ali geldi. Gitti."),
            ["Prof. Ali geldi.", "Gitti."]
        );
    }
}
