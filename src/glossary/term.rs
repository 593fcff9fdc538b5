//! [`TermRef`]: a glossary term whose strings borrow the glossary file.

use crate::lang::Lang;
use crate::model::{Term, TermStatus};

/// A term of a glossary, its strings borrowed from the file: [`Term`]'s
/// fields ([`to_term`](Self::to_term) makes the owned one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TermRef<'g> {
    /// The term's language.
    pub lang: Lang,
    /// The term as written (NFC).
    pub text: &'g str,
    /// Part of speech, as the source names it.
    pub part_of_speech: Option<&'g str>,
    /// Administrative status, when given.
    pub status: Option<TermStatus>,
    /// Term type, as the source names it.
    pub term_type: Option<&'g str>,
    /// Only the exact spelling matches (see [`Term::case_sensitive`]).
    pub case_sensitive: bool,
    /// A note on the term.
    pub note: Option<&'g str>,
}

impl<'g> TermRef<'g> {
    /// The owned [`Term`].
    #[inline]
    pub fn to_term(&self) -> Term {
        Term {
            lang: self.lang.clone(),
            text: self.text.to_string(),
            part_of_speech: self.part_of_speech.map(str::to_string),
            status: self.status,
            term_type: self.term_type.map(str::to_string),
            case_sensitive: self.case_sensitive,
            note: self.note.map(str::to_string),
        }
    }
}
