//! Concepts and terms: what a glossary (termbase) holds.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::lang::Lang;

/// A concept: one meaning, with its terms in any number of languages.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Concept {
    /// The concept's id, unique within a glossary (TBX `id`, a TSV `id` column,
    /// or generated).
    pub id: String,
    /// The subject field (`subjectField`), e.g. `politics`.
    pub subject: Option<String>,
    /// A definition, when the source gives one.
    pub definition: Option<String>,
    /// Free-text notes on the concept.
    pub notes: Vec<String>,
    /// The terms, in source order.
    pub terms: Vec<Term>,
}

impl Concept {
    /// The concept's terms grouped by language tag, preferred terms first:
    /// the `translations` object of the CLI's and the server's JSON
    /// (`{"tr": ["Şuşa"], "az": ["Şuşa"]}`). With `to`, only the languages that
    /// serve `to`; without, every language whose primary subtag differs from
    /// `from`'s.
    pub fn translations_by_lang(
        &self,
        from: &Lang,
        to: Option<&Lang>,
    ) -> std::collections::BTreeMap<String, Vec<String>> {
        let mut out: std::collections::BTreeMap<String, Vec<String>> = std::collections::BTreeMap::new();
        let mut terms: Vec<&Term> = self.terms.iter().collect();
        terms.sort_by_key(|t| t.status.map_or(1, TermStatus::rank));
        for t in terms {
            let keep = match to {
                Some(to) => t.lang.match_quality(to).is_some(),
                None => t.lang.primary() != from.primary(),
            };
            if keep {
                out.entry(t.lang.as_str().to_string())
                    .or_default()
                    .push(t.text.clone());
            }
        }
        out
    }

    /// Checks what every glossary needs: a non-empty id and terms that pass
    /// [`Term::check_text`]. The error names the concept.
    pub fn validate(&self) -> Result<()> {
        let record = format!("concept {:?}", self.id);
        if self.id.trim().is_empty() {
            return Err(Error::InvalidRecord {
                location: None,
                record,
                message: "empty concept id".into(),
            });
        }
        for term in &self.terms {
            Term::check_text(&term.text).map_err(|message| Error::InvalidRecord {
                location: None,
                record: record.clone(),
                message: format!("{message} ({})", term.lang),
            })?;
        }
        Ok(())
    }

    /// Merges `other` (a concept with the same id) into `self`: terms not yet
    /// present (same language and text) are appended, and a term present in
    /// both gets the metadata it lacked; notes are appended unless already
    /// present; a subject or definition that differs from `self`'s is kept as
    /// a note, so nothing is lost.
    pub fn merge(&mut self, other: Concept) {
        for (field, mine, theirs) in [
            ("subject", &mut self.subject, other.subject),
            ("definition", &mut self.definition, other.definition),
        ] {
            match (mine.as_ref(), theirs) {
                (None, t) => *mine = t,
                (Some(m), Some(t)) if *m != t => {
                    let note = format!("{field}: {t}");
                    if !self.notes.contains(&note) {
                        self.notes.push(note);
                    }
                }
                _ => {}
            }
        }
        for note in other.notes {
            if !self.notes.contains(&note) {
                self.notes.push(note);
            }
        }
        for term in other.terms {
            match self
                .terms
                .iter_mut()
                .find(|t| t.lang == term.lang && t.text == term.text)
            {
                Some(t) => {
                    t.part_of_speech = t.part_of_speech.take().or(term.part_of_speech);
                    t.status = t.status.or(term.status);
                    t.term_type = t.term_type.take().or(term.term_type);
                    t.case_sensitive |= term.case_sensitive;
                    t.note = t.note.take().or(term.note);
                }
                None => self.terms.push(term),
            }
        }
    }

    /// The terms in languages that serve `lang` (see [`Lang::matches`]),
    /// preferred ones first, forbidden and deprecated ones last.
    pub fn terms_in<'a>(&'a self, lang: &'a Lang) -> impl Iterator<Item = &'a Term> + 'a {
        let mut v: Vec<&Term> = self.terms.iter().filter(|t| t.lang.matches(lang)).collect();
        v.sort_by_key(|t| t.status.map_or(1, TermStatus::rank));
        v.into_iter()
    }
}

/// Merges concepts that share an id (see [`Concept::merge`]), keeping the
/// position of each id's first occurrence. Returns the merged concepts and the
/// ids that occurred more than once (each once, in order of first duplicate),
/// for a warning. O(n) with a hash map.
///
/// ```
/// use korpu::model::{merge_duplicate_concepts, Concept, Term};
/// use korpu::Lang;
/// let az = Lang::parse("az").unwrap();
/// let a = Concept { id: "c1".into(), terms: vec![Term::new(az.clone(), "Şuşa")], ..Concept::default() };
/// let b = Concept { id: "c1".into(), terms: vec![Term::new(az, "Şuşa şəhəri")], ..Concept::default() };
/// let (merged, dups) = merge_duplicate_concepts(vec![a, b]);
/// assert_eq!(merged.len(), 1);
/// assert_eq!(merged[0].terms.len(), 2);
/// assert_eq!(dups, ["c1"]);
/// ```
pub fn merge_duplicate_concepts(concepts: Vec<Concept>) -> (Vec<Concept>, Vec<String>) {
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut out: Vec<Concept> = Vec::with_capacity(concepts.len());
    let mut dups = Vec::new();
    for c in concepts {
        match index.get(&c.id) {
            Some(&i) => {
                if !dups.contains(&c.id) {
                    dups.push(c.id.clone());
                }
                out[i].merge(c);
            }
            None => {
                index.insert(c.id.clone(), out.len());
                out.push(c);
            }
        }
    }
    (out, dups)
}

/// One term of a concept in one language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    /// The term's language.
    pub lang: Lang,
    /// The term as written (NFC).
    pub text: String,
    /// Part of speech (`noun`, `properNoun`, `verb`, …), as the source names it.
    pub part_of_speech: Option<String>,
    /// Administrative status, when given.
    pub status: Option<TermStatus>,
    /// Term type (`fullForm`, `acronym`, `abbreviation`, …), as the source names it.
    pub term_type: Option<String>,
    /// When true, only the exact spelling (case included) matches: the term
    /// `BM` does not match the word `bm`.
    pub case_sensitive: bool,
    /// A note on this term.
    pub note: Option<String>,
}

impl Term {
    /// The longest term text accepted, in UTF-8 bytes. Longer "terms" are
    /// almost always a definition or a note pasted into the wrong field.
    pub const MAX_BYTES: usize = 1024;

    /// Checks a term text: not empty (after trimming), at most
    /// [`MAX_BYTES`](Term::MAX_BYTES). The message names the problem, not the
    /// concept; callers add that.
    pub fn check_text(text: &str) -> std::result::Result<(), String> {
        if text.trim().is_empty() {
            return Err("empty term".to_string());
        }
        if text.len() > Term::MAX_BYTES {
            let start: String = text.chars().take(40).collect();
            return Err(format!(
                "term of {} bytes is longer than the limit of {} bytes (starts {start:?}); \
                 is a definition or note in the term field?",
                text.len(),
                Term::MAX_BYTES
            ));
        }
        Ok(())
    }

    /// A term with no metadata.
    pub fn new(lang: Lang, text: impl Into<String>) -> Term {
        Term {
            lang,
            text: text.into(),
            part_of_speech: None,
            status: None,
            term_type: None,
            case_sensitive: false,
            note: None,
        }
    }
}

/// A term's administrative status (TBX `administrativeStatus`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TermStatus {
    /// The term to use.
    Preferred,
    /// Acceptable.
    Admitted,
    /// To be avoided; superseded.
    Deprecated,
    /// Must not be used.
    Forbidden,
}

impl TermStatus {
    /// Sort rank: preferred 0, admitted (and unspecified) 1, deprecated 2, forbidden 3.
    pub fn rank(self) -> u8 {
        match self {
            TermStatus::Preferred => 0,
            TermStatus::Admitted => 1,
            TermStatus::Deprecated => 2,
            TermStatus::Forbidden => 3,
        }
    }

    /// The name used in JSON and TSV: `preferred`, `admitted`, `deprecated`, `forbidden`.
    pub fn as_str(self) -> &'static str {
        match self {
            TermStatus::Preferred => "preferred",
            TermStatus::Admitted => "admitted",
            TermStatus::Deprecated => "deprecated",
            TermStatus::Forbidden => "forbidden",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(t: &str) -> Lang {
        Lang::parse(t).unwrap()
    }

    #[test]
    fn validate_refuses_empty_and_huge_terms_naming_the_concept() {
        let mut c = Concept {
            id: "c7".into(),
            terms: vec![Term::new(lang("tr"), "  ")],
            ..Concept::default()
        };
        let e = c.validate().unwrap_err().to_string();
        assert!(e.contains("concept \"c7\"") && e.contains("empty term"), "{e}");
        c.terms[0].text = "ş".repeat(5 * 1024);
        let e = c.validate().unwrap_err().to_string();
        assert!(e.contains("10240 bytes") && e.contains("limit of 1024"), "{e}");
        c.terms[0].text = "Şuşa".into();
        c.validate().unwrap();
    }

    #[test]
    fn merge_keeps_everything() {
        let mut t = Term::new(lang("az"), "Şuşa");
        t.status = Some(TermStatus::Preferred);
        let mut a = Concept {
            id: "x".into(),
            subject: Some("geography".into()),
            terms: vec![Term::new(lang("az"), "Şuşa")],
            ..Concept::default()
        };
        let b = Concept {
            id: "x".into(),
            subject: Some("politics".into()),
            notes: vec!["n".into()],
            terms: vec![t, Term::new(lang("tr"), "Şuşa")],
            ..Concept::default()
        };
        a.merge(b);
        assert_eq!(a.subject.as_deref(), Some("geography"));
        assert_eq!(a.notes, ["subject: politics", "n"]);
        assert_eq!(a.terms.len(), 2);
        assert_eq!(a.terms[0].status, Some(TermStatus::Preferred));
    }
}
