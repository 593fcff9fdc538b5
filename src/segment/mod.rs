//! Sentence segmentation: built-in rules for English, Turkish and
//! Azerbaijani (generic rules for every other language), and SRX 2.0 rule
//! files.
//!
//! A [`Segmenter`] is built once per language and then splits any number of
//! texts. It yields byte spans ([`Segmenter::spans`]) or the segments
//! themselves ([`Segmenter::segments`]), lazily, in one forward pass.
//!
//! - Each line is a paragraph: no segment crosses a line break (`\n`, `\r`,
//!   U+2028, U+2029 …), and a blank line is just white space.
//! - A segment never starts or ends with white space; the segments and the
//!   white space between them give the input back exactly.
//!
//! ```
//! use korpu::Lang;
//! use korpu::segment::Segmenter;
//!
//! let tr = Segmenter::new(&Lang::parse("tr")?);
//! let text = "Prof. Dr. Ayşe Kaya 5. maddeyi okudu. Toplantı 14.30'da bitti.\nYeni paragraf.";
//! let segments: Vec<&str> = tr.segments(text).collect();
//! assert_eq!(segments, [
//!     "Prof. Dr. Ayşe Kaya 5. maddeyi okudu.",
//!     "Toplantı 14.30'da bitti.",
//!     "Yeni paragraf.",
//! ]);
//! let spans: Vec<_> = tr.spans(text).collect();
//! assert_eq!(spans[1], 39..64);
//! assert_eq!(&text[spans[1].clone()], "Toplantı 14.30'da bitti.");
//! # Ok::<(), korpu::Error>(())
//! ```
//!
//! # How the built-in rules decide
//!
//! The built-in segmenter is a candidate-driven scanner rather than a filter
//! over UAX #29 sentence boundaries. Measured side by side (`cargo bench
//! --bench segment`, groups `sample/en` and `uax29/en`), unicode-segmentation's
//! UAX #29 sentence iterator alone runs at less than half the speed of the
//! whole korpu scanner, before any rule is applied, and most of its
//! boundaries would have to be undone anyway (abbreviations, initials,
//! ordinals). The scanner uses UAX #29's terminator classes (STerm, ATerm,
//! closing punctuation) and then rules that UAX #29 lacks:
//!
//! - abbreviations per language, from lists users can extend
//!   ([`Abbreviations`]): titles (`Dr.`, `Doç.`) never end a sentence;
//!   `U.S.`, `Jan.`, `T.C.` end one only before a sentence starter (`The`,
//!   `Bu`); `etc.`, `vb.`, `və s.` end one before any capital; no
//!   abbreviation ends one before a number or a lowercase word;
//! - initials (`J. R. R. Tolkien`; in Turkish and Azerbaijani news two
//!   dotted initials stand for a whole name, `sürücü A.H.`, and may end a
//!   sentence), ordinals written with a period (`5. maddesi`, `2. Dünya
//!   Savaşı`, German `12. Juni`: Turkish, Azerbaijani, German, Nordic and
//!   Central European languages), numbers (`363.5`, `1.500`, `85,3`,
//!   `14.30`), URLs and e-mail addresses;
//! - an ellipsis, `?` or `!` followed by a lowercase word goes on; a `?` or
//!   `!` inside an open quotation followed by a capital goes on;
//! - closing quotes, brackets and citation marks (`[1]`) belong to the
//!   sentence they close;
//! - a period inside brackets that close later in the paragraph does not end
//!   the sentence;
//! - in English, Turkish and Azerbaijani an ordinary word, a period and a
//!   lowercase word is a sentence end (a missing capital is likelier than a
//!   missing abbreviation); in other languages it is not.
//! - list markers (`1. apples`, `• 9. …`) stay with their item, and an
//!   inline enumeration (`1) foo 2) bar`) splits at its next marker;
//! - Armenian text often types its full stop `։` as `:`; korpu reads it so.

mod abbrev;
mod rules;
mod srx;

use std::ops::Range;

pub use abbrev::{AbbrevKind, Abbreviations};
pub use srx::SrxRules;

use crate::lang::Lang;
use rules::{BuiltinSpans, Rules};
use srx::{SrxRuleSet, SrxSpans};

/// Splits text into sentences for one language.
///
/// Build it once ([`Segmenter::new`] for the built-in rules,
/// [`SrxRules::segmenter`] for an SRX file) and reuse it: building parses the
/// abbreviation list or compiles the SRX regular expressions; segmenting
/// allocates nothing with the built-in rules.
///
/// ```
/// use korpu::Lang;
/// use korpu::segment::Segmenter;
///
/// let en = Segmenter::new(&Lang::parse("en")?);
/// let text = "Mr. J. R. R. Tolkien lived in the U.K. for years. \"Why?\" she asked. It was 3.5 km away.";
/// assert_eq!(en.segments(text).collect::<Vec<_>>(), [
///     "Mr. J. R. R. Tolkien lived in the U.K. for years.",
///     "\"Why?\" she asked.",
///     "It was 3.5 km away.",
/// ]);
/// # Ok::<(), korpu::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Segmenter {
    lang: Lang,
    engine: Engine,
}

#[derive(Clone, Debug)]
enum Engine {
    Builtin(Box<Rules>),
    Srx(Box<SrxRuleSet>),
}

impl Segmenter {
    /// The built-in rules for `lang`: English, Turkish and Azerbaijani have
    /// their own abbreviations and rules; any other language gets the generic
    /// rules.
    pub fn new(lang: &Lang) -> Segmenter {
        Segmenter::with_abbreviations(Abbreviations::for_lang(lang))
    }

    /// The built-in rules with a custom abbreviation list (for instance the
    /// built-in one, extended by [`Abbreviations::extend_from_path`]). The
    /// language is the list's.
    ///
    /// ```
    /// use korpu::Lang;
    /// use korpu::segment::{AbbrevKind, Abbreviations, Segmenter};
    ///
    /// let az = Lang::parse("az")?;
    /// let mut abbrevs = Abbreviations::for_lang(&az);
    /// abbrevs.insert("Baş.", AbbrevKind::Title);
    /// let seg = Segmenter::with_abbreviations(abbrevs);
    /// assert_eq!(seg.segments("Baş. Həkim gəldi.").count(), 1);
    /// # Ok::<(), korpu::Error>(())
    /// ```
    pub fn with_abbreviations(abbrevs: Abbreviations) -> Segmenter {
        Segmenter {
            lang: abbrevs.lang().clone(),
            engine: Engine::Builtin(Box::new(Rules::new(abbrevs))),
        }
    }

    pub(crate) fn from_srx(lang: &Lang, rules: SrxRuleSet) -> Segmenter {
        Segmenter {
            lang: lang.clone(),
            engine: Engine::Srx(Box::new(rules)),
        }
    }

    /// The language this segmenter was built for.
    pub fn lang(&self) -> &Lang {
        &self.lang
    }

    /// The abbreviation list of the built-in rules; `None` for SRX rules.
    pub fn abbreviations(&self) -> Option<&Abbreviations> {
        match &self.engine {
            Engine::Builtin(r) => Some(&r.abbrevs),
            Engine::Srx(_) => None,
        }
    }

    /// The byte spans of the segments of `text`, in order. Each span starts
    /// and ends on a non-white-space character; what lies between spans is
    /// white space only.
    ///
    /// Linear in `text`: one forward pass with bounded look-around per
    /// sentence terminator (built-in rules), or one pass per SRX rule.
    pub fn spans<'s, 't>(&'s self, text: &'t str) -> Spans<'s, 't> {
        Spans {
            inner: match &self.engine {
                Engine::Builtin(r) => SpansInner::Builtin(BuiltinSpans::new(r, text)),
                Engine::Srx(s) => SpansInner::Srx(SrxSpans::new(s, text)),
            },
        }
    }

    /// The segments of `text` as slices of it, in order.
    pub fn segments<'s, 't>(&'s self, text: &'t str) -> Segments<'s, 't> {
        Segments {
            text,
            spans: self.spans(text),
        }
    }
}

/// An iterator over the byte spans of the segments of a text; see
/// [`Segmenter::spans`].
#[derive(Clone, Debug)]
pub struct Spans<'s, 't> {
    inner: SpansInner<'s, 't>,
}

#[derive(Clone, Debug)]
enum SpansInner<'s, 't> {
    Builtin(BuiltinSpans<'s, 't>),
    Srx(SrxSpans<'s, 't>),
}

impl Iterator for Spans<'_, '_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        match &mut self.inner {
            SpansInner::Builtin(b) => b.next(),
            SpansInner::Srx(s) => s.next(),
        }
    }
}

/// An iterator over the segments of a text as `&str`; see
/// [`Segmenter::segments`].
#[derive(Clone, Debug)]
pub struct Segments<'s, 't> {
    text: &'t str,
    spans: Spans<'s, 't>,
}

impl<'t> Segments<'_, 't> {
    /// The next segment with its byte span.
    pub fn next_with_span(&mut self) -> Option<(Range<usize>, &'t str)> {
        let span = self.spans.next()?;
        Some((span.clone(), &self.text[span]))
    }
}

impl<'t> Iterator for Segments<'_, 't> {
    type Item = &'t str;

    fn next(&mut self) -> Option<&'t str> {
        self.spans.next().map(|span| &self.text[span])
    }
}

#[cfg(test)]
mod tests;
