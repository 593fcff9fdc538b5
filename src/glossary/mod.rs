//! Glossaries (termbases): build once, memory-map, look up, and find terms in
//! running text, inflected forms included.
//!
//! A [`Glossary`] is one file written by a [`GlossaryBuilder`] (format in
//! [`file`](mod@file)): an fst map from term keys to posting lists, and the
//! [`Concept`]s in postcard. Opening it maps the file and checks only the
//! header, so opening is O(1) whatever the size; queries touch the pages they
//! need.
//!
//! # Keys and levels
//! Each term is keyed at the four levels of [`text`](crate::text) (exact,
//! case, loose, translit) with the rules of its own language, per word: a
//! term's key is the keys of its words joined by one space, where hyphens
//! count as spaces, so `cease-fire` and `cease fire` meet. A case-sensitive
//! term (`BM`) is keyed at the exact level only. The fst key is
//! `primary-subtag \0 key`: the primary subtag (`az` of `az-Latn-AZ`), so a
//! query for `az` finds `az-Latn` terms; the posting then filters on
//! [`Lang::matches`]. One fst entry serves every level that yields the same
//! key (an ASCII term has one key, not four), and its posting records which
//! levels those are.
//!
//! ```
//! use korpu::glossary::{Glossary, GlossaryBuilder, MatchLevel};
//! use korpu::model::{Concept, Term};
//! use korpu::Lang;
//!
//! let tr: Lang = "tr".parse()?;
//! let az: Lang = "az".parse()?;
//! let mut b = GlossaryBuilder::new();
//! b.add(Concept { id: "karabakh".into(), terms: vec![
//!     Term::new("en".parse()?, "Karabakh"),
//!     Term::new(tr.clone(), "Karabağ"),
//!     Term::new(az.clone(), "Qarabağ"),
//! ], ..Concept::default() })?;
//! let mut bytes = Vec::new();
//! b.write(&mut bytes)?;
//! let g = Glossary::from_bytes(bytes)?;
//!
//! let hits = g.lookup("karabag", &tr)?;
//! assert_eq!(hits[0].level, MatchLevel::Loose);
//! assert_eq!(hits[0].term().text, "Karabağ");
//! // A hit borrows its term from the file; its concept is decoded on request.
//! let concept = hits[0].concept()?;
//! let az_terms = g.translations(&concept, &az);
//! assert_eq!(az_terms[0].text, "Qarabağ");
//!
//! let found = g.scan("KARABAĞ'DAKİ durum", &tr)?;
//! assert_eq!((found[0].start, found[0].end, found[0].inflected), (0, 14, true));
//! # Ok::<(), korpu::Error>(())
//! ```

// Here: `Glossary`'s face and its access to the file's records. Beside it:
// the shared keys (`keys`), lookup and prefix (`lookup`), fuzzy lookup
// (`fuzzy`), hits and their ranking (`hit`), the borrowed term (`term`), scan (`scan`, with its start
// filter in `filter`), the builder and the file format.
mod builder;
pub mod file;
mod filter;
mod fuzzy;
mod hit;
mod keys;
mod lookup;
mod scan;
mod term;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::model::{Concept, Term};

pub use builder::{BuildStats, GlossaryBuilder, MAX_TERM_BYTES};
pub use fuzzy::FUZZY_MAX_HITS;
pub use hit::{LookupHit, MatchLevel};
pub use keys::term_key;
pub use scan::ScanHit;
pub use term::TermRef;

use file::{Backing, BadConcept, Posting, SectionBytes};
use filter::LangFilters;

/// A read-only glossary, memory-mapped from a file written by
/// [`GlossaryBuilder`]. Cheap to share by reference across threads.
///
/// Every query returns `Result`: a file damaged after [`open`](Self::open)
/// gives [`Error::Corrupt`], never a panic or another term's data (posting
/// lists and concept records carry their own checksums; the fsts are covered
/// by [`verify`](Self::verify)).
pub struct Glossary {
    path: PathBuf,
    data: Arc<Backing>,
    terms: fst::Map<SectionBytes>,
    ids: fst::Map<SectionBytes>,
    postings: std::ops::Range<usize>,
    offsets: std::ops::Range<usize>,
    concepts_at: std::ops::Range<usize>,
    langs: std::ops::Range<usize>,
    filter: std::ops::Range<usize>,
    concept_count: u64,
    term_count: u64,
    max_words: u32,
    payload_crc: u32,
    /// The parsed language tags of the languages section, filled on first
    /// use: concept decoding takes term languages from here.
    lang_cache: OnceLock<file::LangCache>,
    /// Start filters of single languages (by key prefix), made on first
    /// [`scan`](Self::scan) in the language; `None`: the language has too
    /// many keys, the file's filter serves.
    lang_filters: std::sync::Mutex<LangFilters>,
}

impl std::fmt::Debug for Glossary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Glossary")
            .field("path", &self.path)
            .field("concepts", &self.concept_count)
            .field("terms", &self.term_count)
            .finish()
    }
}

impl Glossary {
    /// Opens a glossary file by memory-mapping it.
    ///
    /// O(1): checks the header (magic, version, checksum) and that the
    /// sections tile the file, which catches truncation; it does not read the
    /// rest. Call [`verify`](Self::verify) to check the whole file's checksum
    /// (a full read).
    ///
    /// The file must not be modified while it is open (a memory map shows
    /// changes made by others); [`GlossaryBuilder::build`] replaces files by
    /// renaming, which is safe.
    pub fn open(path: impl AsRef<Path>) -> Result<Glossary> {
        let path = path.as_ref();
        let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let len = f.metadata().map_err(|e| Error::io(path, e))?.len();
        if len < file::HEADER_LEN as u64 {
            // Too short to map usefully (and zero-length maps fail on some systems).
            let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
            return Glossary::from_backing(Backing::Owned(bytes), path);
        }
        // SAFETY: the map is read-only; the documented contract is that the
        // file is not modified while open. Every read through it is bounds-
        // checked against the header, so a shorter file is an error, not UB.
        let mmap = unsafe { memmap2::Mmap::map(&f) }.map_err(|e| Error::io(path, e))?;
        Glossary::from_backing(Backing::Mmap(mmap), path)
    }

    /// Opens a glossary held in memory (for tests, embedding, fuzzing).
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Glossary> {
        Glossary::from_backing(Backing::Owned(bytes), Path::new("<memory>"))
    }

    fn from_backing(backing: Backing, path: &Path) -> Result<Glossary> {
        let data = Arc::new(backing);
        let header = file::decode_header(data.as_ref().as_ref(), path)?;
        let section = |i: usize| SectionBytes {
            data: data.clone(),
            range: header.sections[i].clone(),
        };
        let map = |i: usize, what: &str| {
            fst::Map::new(section(i))
                .map_err(|e| Error::corrupt_with(path, format!("damaged glossary {what} index: {e}"), e))
        };
        let terms = map(file::S_TERMS, "term")?;
        let ids = map(file::S_IDS, "id")?;
        Ok(Glossary {
            path: path.to_path_buf(),
            terms,
            ids,
            postings: header.sections[file::S_POSTINGS].clone(),
            offsets: header.sections[file::S_OFFSETS].clone(),
            concepts_at: header.sections[file::S_CONCEPTS].clone(),
            langs: header.sections[file::S_LANGS].clone(),
            filter: header.sections[file::S_FILTER].clone(),
            concept_count: header.concepts,
            term_count: header.terms,
            max_words: header.max_words,
            payload_crc: header.payload_crc,
            lang_cache: OnceLock::new(),
            lang_filters: std::sync::Mutex::new(Vec::new()),
            data,
        })
    }

    /// Checks the checksum of the whole file (reads every byte). `open` plus
    /// `verify` guarantees every later answer comes from intact data.
    pub fn verify(&self) -> Result<()> {
        let bytes = self.bytes();
        if crc32fast::hash(&bytes[file::HEADER_LEN..]) != self.payload_crc {
            return Err(Error::corrupt(&self.path, "damaged glossary (checksum mismatch)"));
        }
        for (m, what) in [(&self.terms, "term"), (&self.ids, "id")] {
            m.as_fst().verify().map_err(|e| {
                Error::corrupt_with(&self.path, format!("damaged glossary {what} index: {e}"), e)
            })?;
        }
        Ok(())
    }

    fn bytes(&self) -> &[u8] {
        self.data.as_ref().as_ref()
    }

    /// The file this glossary was opened from (`<memory>` for
    /// [`from_bytes`](Self::from_bytes)).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Number of concepts.
    pub fn concept_count(&self) -> u64 {
        self.concept_count
    }

    /// Number of terms.
    pub fn term_count(&self) -> u64 {
        self.term_count
    }

    /// The language tags of the terms, sorted.
    pub fn languages(&self) -> Result<Vec<Lang>> {
        let tags: Vec<String> = postcard::from_bytes(&self.bytes()[self.langs.clone()]).map_err(|e| {
            Error::corrupt_with(&self.path, format!("damaged glossary language list: {e}"), e)
        })?;
        tags.iter()
            .map(|t| {
                Lang::parse(t)
                    .map_err(|e| Error::corrupt_with(&self.path, format!("bad language tag {t:?}"), e))
            })
            .collect()
    }

    /// The stored language tags that parse, with their [`Lang`] (parsed once
    /// per glossary; a damaged list only makes the cache smaller, since
    /// decoding parses a tag it does not find here).
    fn lang_cache(&self) -> &file::LangCache {
        self.lang_cache.get_or_init(|| {
            let tags: Vec<String> =
                postcard::from_bytes(&self.bytes()[self.langs.clone()]).unwrap_or_default();
            tags.into_iter()
                .filter_map(|t| Lang::parse(&t).ok().map(|l| (t, l)))
                .collect()
        })
    }

    /// Runs `f` over the fsts, turning a panic inside the fst crate (which
    /// trusts its bytes) into [`Error::Corrupt`].
    pub(crate) fn guarded<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        catch_unwind(AssertUnwindSafe(f))
            .unwrap_or_else(|_| Err(Error::corrupt(&self.path, "damaged glossary index (run verify)")))
    }

    /// The concept at `index` (0-based, in build order).
    pub fn concept_at(&self, index: u64) -> Result<Concept> {
        let body = self.checked_record(index)?;
        file::decode_concept(body, self.lang_cache()).map_err(|e| match e {
            BadConcept::Encoding(source) => {
                let message = format!("damaged glossary: concept {index}: {source}");
                Error::corrupt_with(&self.path, message, source)
            }
            BadConcept::Language => self.damaged_concept(index, "bad language tag"),
        })
    }

    /// The body of concept record `index` after checking its checksum.
    fn checked_record(&self, index: u64) -> Result<&[u8]> {
        let bad = |what: &str| self.damaged_concept(index, what);
        if index >= self.concept_count {
            return Err(bad("index out of range"));
        }
        let rec = self.record(index).ok_or_else(|| bad("record out of range"))?;
        let (crc, body) = rec.split_at(4);
        if crc32fast::hash(body).to_le_bytes() != crc {
            return Err(bad("checksum mismatch"));
        }
        Ok(body)
    }

    fn damaged_concept(&self, index: u64, what: &str) -> Error {
        Error::corrupt(&self.path, format!("damaged glossary: concept {index}: {what}"))
    }

    /// The bytes of record `index` (checksum and body), if the offset table
    /// gives a range inside the concepts section.
    fn record(&self, index: u64) -> Option<&[u8]> {
        let offsets = &self.bytes()[self.offsets.clone()];
        let at = usize::try_from(index).ok()?.checked_mul(8)?;
        let (start, end) = (offsets.get(at..at + 8)?, offsets.get(at + 8..at + 16)?);
        let start = usize::try_from(u64::from_le_bytes(start.try_into().ok()?)).ok()?;
        let end = usize::try_from(u64::from_le_bytes(end.try_into().ok()?)).ok()?;
        let records = &self.bytes()[self.concepts_at.clone()];
        records.get(start..end).filter(|r| r.len() >= 4)
    }

    /// The concept with id `id`, if any.
    pub fn concept(&self, id: &str) -> Result<Option<Concept>> {
        let Some(i) = self.guarded(|| Ok(self.ids.get(id)))? else {
            return Ok(None);
        };
        let c = self.concept_at(i)?;
        if c.id != id {
            return Err(Error::corrupt(
                &self.path,
                format!("damaged glossary: id {id:?} leads to {:?}", c.id),
            ));
        }
        Ok(Some(c))
    }

    /// Every concept, in build order (decoded one at a time).
    pub fn concepts(&self) -> impl Iterator<Item = Result<Concept>> + '_ {
        (0..self.concept_count).map(|i| self.concept_at(i))
    }

    /// The terms of `concept` in `to` (any tag that [`Lang::matches`] it),
    /// preferred first, forbidden and deprecated last.
    pub fn translations<'c>(&self, concept: &'c Concept, to: &'c Lang) -> Vec<&'c Term> {
        concept.terms_in(to).collect()
    }

    fn postings_of(&self, key: &[u8], offset: u64) -> Result<Vec<Posting>> {
        file::decode_postings(&self.bytes()[self.postings.clone()], offset, key, &self.path)
    }

    /// The most words any term has (bounds how far [`scan`](Self::scan)
    /// looks ahead).
    pub fn max_words(&self) -> u32 {
        self.max_words
    }

    pub(crate) fn terms_fst(&self) -> &fst::Map<SectionBytes> {
        &self.terms
    }
}

/// A glossary of one Turkish term per concept (blank terms skipped), for
/// the tests.
#[cfg(test)]
mod test_glossary {
    use super::{Glossary, GlossaryBuilder};
    use crate::lang::Lang;
    use crate::model::{Concept, Term};

    pub(crate) fn turkish_glossary(terms: &[String]) -> Glossary {
        let tr: Lang = "tr".parse().unwrap();
        let mut b = GlossaryBuilder::new();
        for (i, t) in terms.iter().enumerate() {
            if t.trim().is_empty() {
                continue;
            }
            let term = Term::new(tr.clone(), t.as_str());
            b.add(Concept {
                id: format!("c{i}"),
                terms: vec![term],
                ..Concept::default()
            })
            .unwrap();
        }
        let mut bytes = Vec::new();
        b.write(&mut bytes).unwrap();
        Glossary::from_bytes(bytes).unwrap()
    }
}
