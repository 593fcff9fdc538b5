//! korpu: translation memory, terminology and sentence segmentation, correct
//! for Turkish and Azerbaijani.
//!
//! # The model
//!
//! - **Text keys** ([`text`]). Every comparison in korpu goes through four keys
//!   of a string in a language: *exact* (NFC), *case* (lowercased with the
//!   language's rules: Turkish and Azerbaijani map `I`→`ı`, `İ`→`i`), *loose*
//!   (diacritics off, `ı`→`i`, `ə`→`e`) and *translit* (Turkic letters spelt the
//!   English way, so `Şuşa` meets `Shusha`). A match reports the level it was
//!   found at, so callers can trust `exact` more than `translit`.
//! - **Segments** ([`segment`]). A [`segment::Segmenter`] splits text into
//!   sentences and keeps each one's byte span; it never crosses a line break.
//!   Built-in rules for en, tr and az, generic rules for any other language, or
//!   an SRX 2.0 file.
//! - **Units and variants** ([`model`]). A [`model::TranslationUnit`] holds the
//!   same content in any number of languages, one [`model::Variant`] each; a
//!   variant's [`model::Segment`] is text plus inline tags, kept as structure.
//!   Any two languages of a unit make a direction (en→az, tr→az, az→en).
//! - **Concepts and terms** ([`model`], [`glossary`]). A [`model::Concept`] has
//!   [`model::Term`]s in several languages. A [`glossary::Glossary`] is built
//!   once ([`glossary::GlossaryBuilder`]) into one memory-mapped file, then
//!   looked up at the four key levels, by prefix, with typos, or scanned over
//!   running text, where inflected forms (`Şuşa'da`, `Azərbaycanın`) count.
//! - **The score** ([`tm`]). [`tm::TranslationMemory::lookup`] scores a stored
//!   segment against a query as `floor(100 × (1 − d / max(n, m)))` over tokens,
//!   where `d` is a weighted edit distance (case-only 0.1, diacritics-only 0.5,
//!   a changed number or tag 0.5, anything else 1). 100 is exact, 101 exact with
//!   the same neighbouring segments; every match carries a breakdown of its
//!   edits and a target with changed numbers substituted.
//!
//! The layers, bottom up: [`text`] → [`segment`] → [`model`] → [`formats`],
//! [`glossary`], [`tm`] → `present` (what the edges show; cargo feature `cli`
//! or `server`) → `server` (cargo feature `server`). The `korpu` binary
//! (cargo feature `cli`) is a client of this public API; the library alone
//! (no features, the default) pulls in no CLI.
//!
//! # Example
//!
//! ```
//! use korpu::glossary::{Glossary, GlossaryBuilder};
//! use korpu::model::{Concept, Term, TranslationUnit, Variant};
//! use korpu::segment::Segmenter;
//! use korpu::tm::{LookupOptions, MatchKind, TranslationMemory};
//! use korpu::Lang;
//!
//! let (en, az): (Lang, Lang) = ("en".parse()?, "az".parse()?);
//! let dir = tempfile::tempdir().map_err(korpu::Error::from)?;
//!
//! // Sentences, with their spans.
//! let text = "Dr. Əliyev Şuşada idi. Sonra Bakıya qayıtdı.";
//! let sentences: Vec<&str> = Segmenter::new(&az).segments(text).collect();
//! assert_eq!(sentences, ["Dr. Əliyev Şuşada idi.", "Sonra Bakıya qayıtdı."]);
//!
//! // A glossary: build once, open (memory-mapped), find inflected terms.
//! let mut builder = GlossaryBuilder::new();
//! builder.add(Concept {
//!     id: "shusha".into(),
//!     terms: vec![Term::new(en.clone(), "Shusha"), Term::new(az.clone(), "Şuşa")],
//!     ..Concept::default()
//! })?;
//! builder.build(dir.path().join("terms.kgl"))?;
//! let glossary = Glossary::open(dir.path().join("terms.kgl"))?;
//! let hits = glossary.scan(sentences[0], &az)?;
//! assert_eq!(&sentences[0][hits[0].start..hits[0].end], "Şuşada");
//! assert!(hits[0].inflected);
//!
//! // A translation memory: add a unit, look up a changed sentence.
//! let tm = TranslationMemory::open(dir.path().join("memory.korpu"))?;
//! tm.add(TranslationUnit {
//!     variants: vec![
//!         Variant::new(en.clone(), "The talks start on 15 June."),
//!         Variant::new(az.clone(), "Danışıqlar iyunun 15-də başlayır."),
//!     ],
//!     ..TranslationUnit::default()
//! })?;
//! let matches = tm.lookup("The talks start on 16 June.", &en, &az, &LookupOptions::default())?;
//! assert_eq!(matches[0].kind, MatchKind::Fuzzy);
//! assert_eq!(matches[0].score, 92); // one number changed: floor(100 × (1 − 0.5 / 7))
//! assert_eq!(matches[0].breakdown.number, 1);
//! assert_eq!(matches[0].adapted_target, "Danışıqlar iyunun 16-də başlayır.");
//! # Ok::<(), korpu::Error>(())
//! ```
#![deny(missing_docs)]

mod error;
pub mod formats;
pub mod glossary;
mod lang;
pub mod model;
pub mod segment;
pub mod text;
pub mod tm;
mod varint;

// `error` and `lang` are private: their items have one path each, at the root.
pub use error::{Error, Location, Result};
pub use lang::{Casing, Lang, LangMatch};

#[cfg(any(feature = "cli", feature = "server"))]
pub mod present;
#[cfg(feature = "server")]
pub mod server;
