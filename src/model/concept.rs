//! Concepts and terms: what a glossary (termbase) holds.

use serde::{Deserialize, Serialize};

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
    /// The terms in languages that serve `lang` (see [`Lang::matches`]),
    /// preferred ones first, forbidden and deprecated ones last.
    pub fn terms_in<'a>(&'a self, lang: &'a Lang) -> impl Iterator<Item = &'a Term> + 'a {
        let mut v: Vec<&Term> = self.terms.iter().filter(|t| t.lang.matches(lang)).collect();
        v.sort_by_key(|t| t.status.map_or(1, TermStatus::rank));
        v.into_iter()
    }
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
