//! The TBX writer.

use std::io::Write;

use super::rules::{self, BASIC_TERM_TYPE, STRICT_BASIC_PART_OF_SPEECH};
use crate::error::{Error, Result};
use crate::formats::xml::{self, Escape, NonXml};
use crate::model::{Concept, TermStatus};

/// Options for [`write_tbx_with`].
#[derive(Clone, Debug, Default)]
pub struct TbxWriteOptions {
    /// Paragraphs for the header's `sourceDesc` (where the data comes from, its
    /// licence). Empty: one paragraph naming korpu.
    pub source: Vec<String>,
}

/// Writes `concepts` as TBX v3 (ISO 30042:2019), DCA style, UTF-8.
///
/// The file is declared `TBX-Basic` when every value fits TBX-Basic's v3
/// picklists, and `TBX-Core` otherwise: when a part of speech or term type is
/// outside them (`properNoun`), a term is [`TermStatus::Forbidden`] (written
/// `forbiddenTerm-admn-sts`, which no TBX picklist has), or a term's
/// case-sensitivity differs from korpu's default (acronyms are case-sensitive)
/// and needs korpu's `caseSensitive` termNote. Every concept is checked with
/// [`Concept::validate`] first; nothing is written for a bad one.
///
/// [`TbxReader`](super::TbxReader) reads the output back to equal concepts
/// when texts are NFC with single spaces (what the reader yields); a term
/// note's lines become separate `<note>`s and are joined back with `\n`.
///
/// ```
/// use korpu::formats::tbx::{write_tbx, TbxReader};
/// use korpu::model::{Concept, Term};
/// use korpu::Lang;
///
/// let c = Concept {
///     id: "baku".into(),
///     terms: vec![Term::new(Lang::parse("az")?, "Bakı"), Term::new(Lang::parse("tr")?, "Bakü")],
///     ..Concept::default()
/// };
/// let mut out = Vec::new();
/// write_tbx(&mut out, std::slice::from_ref(&c))?;
/// let back: Vec<Concept> = TbxReader::new(&out[..])?.collect::<korpu::Result<_>>()?;
/// assert_eq!(back, [c]);
/// # Ok::<(), korpu::Error>(())
/// ```
pub fn write_tbx<W: Write>(w: W, concepts: &[Concept]) -> Result<()> {
    write_tbx_with(w, concepts, &TbxWriteOptions::default())
}

/// [`write_tbx`] with header options.
pub fn write_tbx_with<W: Write>(mut w: W, concepts: &[Concept], options: &TbxWriteOptions) -> Result<()> {
    for c in concepts {
        c.validate()?;
    }
    let basic = concepts.iter().all(fits_basic);
    let lang = concepts
        .iter()
        .flat_map(|c| c.terms.first())
        .map(|t| t.lang.primary().to_string())
        .next()
        .unwrap_or_else(|| "en".into());
    let mut s = String::with_capacity(4096);
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str(&format!(
        "<tbx type=\"{}\" style=\"dca\" xml:lang=\"{}\" xmlns=\"urn:iso:std:iso:30042:ed-2\">\n",
        if basic { "TBX-Basic" } else { "TBX-Core" },
        esc(&lang)
    ));
    s.push_str("  <tbxHeader>\n    <fileDesc>\n      <sourceDesc>\n");
    if options.source.is_empty() {
        s.push_str(&format!(
            "        <p>Written by korpu {}</p>\n",
            env!("CARGO_PKG_VERSION")
        ));
    }
    for p in &options.source {
        s.push_str(&format!("        <p>{}</p>\n", esc(p)));
    }
    s.push_str("      </sourceDesc>\n    </fileDesc>\n  </tbxHeader>\n  <text>\n    <body>\n");
    w.write_all(s.as_bytes())?;
    for c in concepts {
        s.clear();
        concept(&mut s, c);
        w.write_all(s.as_bytes())?;
    }
    w.write_all(b"    </body>\n  </text>\n</tbx>\n")?;
    w.flush().map_err(Error::from)
}

fn fits_basic(c: &Concept) -> bool {
    c.terms.iter().all(|t| {
        t.part_of_speech
            .as_deref()
            .is_none_or(|p| STRICT_BASIC_PART_OF_SPEECH.contains(&p))
            && t.term_type
                .as_deref()
                .is_none_or(|p| BASIC_TERM_TYPE.contains(&p))
            && t.status != Some(TermStatus::Forbidden)
            && t.case_sensitive == rules::case_sensitive_by_default(t.term_type.as_deref())
    })
}

fn concept(s: &mut String, c: &Concept) {
    s.push_str(&format!("      <conceptEntry id=\"{}\">\n", esc(&c.id)));
    if let Some(subject) = &c.subject {
        s.push_str(&format!(
            "        <descrip type=\"subjectField\">{}</descrip>\n",
            esc(subject)
        ));
    }
    if let Some(def) = &c.definition {
        s.push_str(&format!(
            "        <descrip type=\"definition\">{}</descrip>\n",
            esc(def)
        ));
    }
    for note in &c.notes {
        s.push_str(&format!("        <note>{}</note>\n", esc(note)));
    }
    // Terms are grouped by language in order of first appearance, so the
    // reader's order (language sections in sequence) equals the model's order
    // whenever a concept's terms are already grouped.
    let mut langs: Vec<&crate::Lang> = Vec::new();
    for t in &c.terms {
        if !langs.contains(&&t.lang) {
            langs.push(&t.lang);
        }
    }
    for lang in langs {
        s.push_str(&format!(
            "        <langSec xml:lang=\"{}\">\n",
            esc(lang.as_str())
        ));
        for t in c.terms.iter().filter(|t| &t.lang == lang) {
            s.push_str(&format!(
                "          <termSec>\n            <term>{}</term>\n",
                esc(&t.text)
            ));
            let mut note = |kind: &str, value: &str| {
                s.push_str(&format!(
                    "            <termNote type=\"{kind}\">{}</termNote>\n",
                    esc(value)
                ));
            };
            if let Some(p) = &t.part_of_speech {
                note("partOfSpeech", p);
            }
            if let Some(tt) = &t.term_type {
                note("termType", tt);
            }
            if let Some(st) = t.status {
                note("administrativeStatus", rules::admin_status_value(st));
            }
            if t.case_sensitive != rules::case_sensitive_by_default(t.term_type.as_deref()) {
                note("caseSensitive", if t.case_sensitive { "yes" } else { "no" });
            }
            if let Some(n) = &t.note {
                for line in n.split('\n') {
                    s.push_str(&format!("            <note>{}</note>\n", esc(line)));
                }
            }
            s.push_str("          </termSec>\n");
        }
        s.push_str("        </langSec>\n");
    }
    s.push_str("      </conceptEntry>\n");
}

/// Text and attribute values alike: `"` as a reference too. A character
/// XML 1.0 cannot carry is dropped (not even a reference can carry it).
const ESCAPE: Escape = Escape::new(NonXml::Drop).with(b'"', "&quot;");

/// Escapes text and attribute values (see [`ESCAPE`]).
pub(super) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    xml::escape(&mut out, text, &ESCAPE);
    out
}
