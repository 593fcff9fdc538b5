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
//! use korpu::glossary::{Glossary, GlossaryBuilder, MatchKind};
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
//! assert_eq!(hits[0].kind, MatchKind::Loose);
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

mod builder;
pub mod file;
mod filter;
mod scan;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use fst::{IntoStreamer, Streamer};
use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder};

use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::model::{Concept, Term, TermStatus};
use crate::text::{KeyLevel, TokenKind, tokenize};

pub use builder::{BuildStats, GlossaryBuilder, MAX_TERM_BYTES};
pub use scan::ScanHit;

use file::{Backing, Posting, SectionBytes, corrupt};

/// The key levels in the order they are tried (best first).
pub(crate) const LEVELS: [KeyLevel; 4] = KeyLevel::ALL;

pub(crate) fn level_bit(level: KeyLevel) -> u8 {
    match level {
        KeyLevel::Exact => 1,
        KeyLevel::Case => 2,
        KeyLevel::Loose => 4,
        KeyLevel::Translit => 8,
    }
}

/// How a glossary entry matched a query, best first; the `match` field of the
/// CLI's JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchKind {
    /// Same text (up to Unicode normal form).
    Exact,
    /// Same text ignoring case (Turkic-aware).
    Case,
    /// Same text ignoring case and diacritics.
    Loose,
    /// Same text once transliterated (`Shusha` / `Şuşa`).
    Translit,
    /// The query is a prefix of the term ([`Glossary::prefix`]).
    Prefix,
    /// Within an edit distance ([`Glossary::fuzzy`]).
    Fuzzy,
}

impl MatchKind {
    /// The name the CLI and JSON use: `exact`, `case`, `loose`, `translit`,
    /// `prefix`, `fuzzy`.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Exact => "exact",
            MatchKind::Case => "case",
            MatchKind::Loose => "loose",
            MatchKind::Translit => "translit",
            MatchKind::Prefix => "prefix",
            MatchKind::Fuzzy => "fuzzy",
        }
    }
}

impl From<KeyLevel> for MatchKind {
    fn from(l: KeyLevel) -> MatchKind {
        match l {
            KeyLevel::Exact => MatchKind::Exact,
            KeyLevel::Case => MatchKind::Case,
            KeyLevel::Loose => MatchKind::Loose,
            KeyLevel::Translit => MatchKind::Translit,
        }
    }
}

impl std::fmt::Display for MatchKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One result of [`Glossary::lookup`], [`prefix`](Glossary::prefix) or
/// [`fuzzy`](Glossary::fuzzy): a term of a concept and how it matched.
///
/// A hit borrows the glossary: its term ([`term`](Self::term)) and concept
/// id are slices of the file, read when the hit was made (after checking the
/// concept record's checksum), so making a hit allocates nothing. The whole
/// concept (its other terms, definition, notes) is decoded only on request,
/// by [`concept`](Self::concept).
#[derive(Clone, Debug)]
pub struct LookupHit<'g> {
    glossary: &'g Glossary,
    concept_index: u32,
    concept_id: &'g str,
    term: TermRef<'g>,
    /// Index of the matching term in the concept's terms.
    pub term_index: usize,
    /// How it matched.
    pub kind: MatchKind,
    /// Edit distance for [`MatchKind::Fuzzy`], else 0.
    pub distance: u32,
}

impl<'g> LookupHit<'g> {
    /// The matching term, borrowed from the file.
    pub fn term(&self) -> &TermRef<'g> {
        &self.term
    }

    /// The id of the term's concept.
    pub fn concept_id(&self) -> &'g str {
        self.concept_id
    }

    /// The index of the term's concept (see [`Glossary::concept_at`]).
    pub fn concept_index(&self) -> u64 {
        u64::from(self.concept_index)
    }

    /// Decodes the term's concept from the file (checking its record's
    /// checksum again): allocates its strings, so it costs a few hundred
    /// nanoseconds; call it for the hits whose concept is needed.
    /// [`Error::Corrupt`] when the record is damaged.
    pub fn concept(&self) -> Result<Concept> {
        self.glossary.concept_at(self.concept_index())
    }
}

impl PartialEq for LookupHit<'_> {
    /// Same glossary, concept, term, kind and distance.
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.glossary, other.glossary)
            && (self.concept_index, self.term_index, self.kind, self.distance)
                == (other.concept_index, other.term_index, other.kind, other.distance)
    }
}

impl Eq for LookupHit<'_> {}

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

impl TermRef<'_> {
    /// The owned [`Term`].
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

/// Start filters made per language: (key prefix, filter; `None` when the
/// file's serves).
type LangFilters = Vec<(Vec<u8>, Option<Arc<[u8]>>)>;

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
                .map_err(|e| corrupt(path, format!("damaged glossary {what} index: {e}")))
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
            return Err(corrupt(&self.path, "damaged glossary (checksum mismatch)"));
        }
        for (m, what) in [(&self.terms, "term"), (&self.ids, "id")] {
            m.as_fst()
                .verify()
                .map_err(|e| corrupt(&self.path, format!("damaged glossary {what} index: {e}")))?;
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
        let tags: Vec<String> = postcard::from_bytes(&self.bytes()[self.langs.clone()])
            .map_err(|e| corrupt(&self.path, format!("damaged glossary language list: {e}")))?;
        tags.iter()
            .map(|t| Lang::parse(t).map_err(|_| corrupt(&self.path, format!("bad language tag {t:?}"))))
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
            .unwrap_or_else(|_| Err(corrupt(&self.path, "damaged glossary index (run verify)")))
    }

    /// The concept at `index` (0-based, in build order).
    pub fn concept_at(&self, index: u64) -> Result<Concept> {
        let body = self.checked_record(index)?;
        file::decode_concept(body, self.lang_cache()).map_err(|e| self.damaged_concept(index, &e))
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
        corrupt(&self.path, format!("damaged glossary: concept {index}: {what}"))
    }

    /// The id of concept `concept` and its term `term`, borrowed from its
    /// record after checking the record's checksum; nothing else of the
    /// record is kept (see [`LookupHit`]).
    fn term_at(&self, concept: u32, term: u32) -> Result<(&str, TermRef<'_>)> {
        let bad = |what: &str| self.damaged_concept(u64::from(concept), what);
        let body = self.checked_record(u64::from(concept))?;
        let (id, t) = file::decode_term(body, term as usize)
            .map_err(|e| bad(&e))?
            .ok_or_else(|| bad(&format!("no term {term}")))?;
        let lang = file::lang_of(self.lang_cache(), t.lang).ok_or_else(|| bad("bad language tag"))?;
        Ok((
            id,
            TermRef {
                lang,
                text: t.text,
                part_of_speech: t.part_of_speech,
                status: t.status,
                term_type: t.term_type,
                case_sensitive: t.case_sensitive,
                note: t.note,
            },
        ))
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

    /// Reads the head of each posting list at `offsets` before any is
    /// decoded (see [`prefetch_records`](Self::prefetch_records)).
    fn prefetch_postings(&self, offsets: impl Iterator<Item = u64>) {
        let section = &self.bytes()[self.postings.clone()];
        let mut touched = 0u8;
        for at in offsets {
            if let Some(b) = usize::try_from(at).ok().and_then(|at| section.get(at)) {
                touched ^= b;
            }
        }
        std::hint::black_box(touched);
    }

    /// Reads a byte of each record of `concepts` (and so its offsets) before
    /// any is decoded: the records lie far apart in a large file, and
    /// touching them in one tight loop lets the processor fetch them in
    /// parallel, where decoding them one by one would wait for each in turn.
    fn prefetch_records(&self, concepts: impl Iterator<Item = u32>) {
        let mut touched = 0u8;
        for c in concepts {
            if let Some(r) = self.record(u64::from(c)) {
                touched ^= r[0] ^ r[r.len() - 1];
            }
        }
        std::hint::black_box(touched);
    }

    /// The concept with id `id`, if any.
    pub fn concept(&self, id: &str) -> Result<Option<Concept>> {
        let Some(i) = self.guarded(|| Ok(self.ids.get(id)))? else {
            return Ok(None);
        };
        let c = self.concept_at(i)?;
        if c.id != id {
            return Err(corrupt(
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

    /// Turns postings into hits for `lang`, deduplicating by (concept, term)
    /// with the best kind.
    fn collect_hits(
        &self,
        found: Vec<(Posting, MatchKind, u32)>,
        lang: &Lang,
        limit: usize,
    ) -> Result<Vec<LookupHit<'_>>> {
        // Keep each (concept, term) once, with its best (kind, distance), in
        // the order it was first found (sorting, not hashing: lists are short).
        let mut all: Vec<(Posting, MatchKind, u32, usize)> = found
            .into_iter()
            .enumerate()
            .map(|(i, (p, k, d))| (p, k, d, i))
            .collect();
        all.sort_unstable_by_key(|(p, k, d, i)| (p.concept, p.term, *k, *d, *i));
        let mut best: Vec<(Posting, MatchKind, u32, usize)> = Vec::with_capacity(all.len());
        for e in all {
            match best.last_mut() {
                Some(b) if (b.0.concept, b.0.term) == (e.0.concept, e.0.term) => b.3 = b.3.min(e.3),
                _ => best.push(e),
            }
        }
        best.sort_unstable_by_key(|e| e.3);
        let best: Vec<(Posting, MatchKind, u32)> = best.into_iter().map(|(p, k, d, _)| (p, k, d)).collect();
        self.nearest_hits(best, lang, limit)
    }

    /// The hits for `lang` among distinct (concept, term) postings: at most
    /// `limit`, the nearest (kind, then distance) first.
    fn nearest_hits(
        &self,
        mut best: Vec<(Posting, MatchKind, u32)>,
        lang: &Lang,
        limit: usize,
    ) -> Result<Vec<LookupHit<'_>>> {
        if best.len() > limit {
            // Decode only what can be returned: the nearest `limit` (keys are
            // distinct after deduplication, so selecting then sorting the
            // head equals sorting all).
            let key = |(p, kind, d): &(Posting, MatchKind, u32)| (*kind, *d, p.concept, p.term);
            if limit > 0 {
                best.select_nth_unstable_by_key(limit - 1, key);
            }
            best.truncate(limit);
            best.sort_unstable_by_key(key);
        }
        self.decode_hits(best, lang, limit)
    }

    /// Decodes the concepts of `found` (distinct (concept, term) postings)
    /// into hits for `lang`, best first: by kind, distance, how well the
    /// term's language serves `lang`, term status, concept id, then the
    /// order of `found`. At most `limit`.
    fn decode_hits(
        &self,
        found: Vec<(Posting, MatchKind, u32)>,
        lang: &Lang,
        limit: usize,
    ) -> Result<Vec<LookupHit<'_>>> {
        // The sort key of each kept hit: its first fields, the first 8 bytes
        // of the concept id (big-endian, zero-padded: a tie falls through
        // to the whole id), and its place in `hits` (last, so that an
        // unstable sort is stable).
        type Key = (
            MatchKind,
            u32,
            std::cmp::Reverse<crate::lang::LangMatch>,
            u8,
            u64,
            u32,
        );
        let mut keys: Vec<Key> = Vec::with_capacity(found.len());
        let mut hits: Vec<LookupHit<'_>> = Vec::with_capacity(found.len());
        self.prefetch_records(found.iter().map(|(p, ..)| p.concept));
        for (p, kind, distance) in found {
            let (concept_id, term) = self.term_at(p.concept, p.term)?;
            let Some(q) = term.lang.match_quality(lang) else {
                continue;
            };
            let rank = term.status.map_or(1, |s| s.rank());
            let mut head = [0u8; 8];
            let id = concept_id.as_bytes();
            head[..id.len().min(8)].copy_from_slice(&id[..id.len().min(8)]);
            let head = u64::from_be_bytes(head);
            keys.push((
                kind,
                distance,
                std::cmp::Reverse(q),
                rank,
                head,
                hits.len() as u32,
            ));
            hits.push(LookupHit {
                glossary: self,
                concept_index: p.concept,
                concept_id,
                term,
                term_index: p.term as usize,
                kind,
                distance,
            });
        }
        if hits.len() < 2 {
            hits.truncate(limit);
            return Ok(hits);
        }
        let id = |k: &Key| hits[k.5 as usize].concept_id;
        keys.sort_unstable_by(|a, b| {
            (a.0, a.1, a.2, a.3, a.4)
                .cmp(&(b.0, b.1, b.2, b.3, b.4))
                .then_with(|| id(a).cmp(id(b)))
                .then(a.5.cmp(&b.5))
        });
        // Put the hits in key order in place, one cycle of the permutation
        // at a time (`from[i]`: where the hit that goes to `i` is now).
        let mut from: Vec<usize> = keys.iter().map(|k| k.5 as usize).collect();
        for i in 0..from.len() {
            let mut j = i;
            while from[j] != usize::MAX {
                let k = std::mem::replace(&mut from[j], usize::MAX);
                if k == i {
                    break;
                }
                hits.swap(j, k);
                j = k;
            }
        }
        hits.truncate(limit);
        Ok(hits)
    }

    /// Finds the terms in `lang` that equal `text` at some key level, best
    /// level first (exact > case > loose > translit); a term appears once, at
    /// its best level. Terms in other regional variants of the language
    /// (`en-GB` for `en-US`) come after those that match the tag.
    ///
    /// Cost: the query's keys, up to four fst lookups (fewer when levels
    /// give the same key) walked in lockstep, and per hit a checksum and a
    /// borrowing read of its concept record (nothing is allocated per hit;
    /// the records of all hits are fetched together): about 2.3 µs plus
    /// 0.2 µs per hit on a dense 1M-term glossary (see the `glossary`
    /// bench).
    /// [`LookupHit::concept`] decodes a hit's whole concept (a few hundred
    /// nanoseconds more each).
    ///
    /// ```
    /// # use korpu::glossary::{Glossary, GlossaryBuilder, MatchKind};
    /// # use korpu::model::{Concept, Term};
    /// let tr: korpu::Lang = "tr".parse()?;
    /// let mut b = GlossaryBuilder::new();
    /// b.add(Concept { id: "ist".into(), terms: vec![Term::new(tr.clone(), "İstanbul")], ..Default::default() })?;
    /// let mut bytes = Vec::new();
    /// b.write(&mut bytes)?;
    /// let g = Glossary::from_bytes(bytes)?;
    /// assert_eq!(g.lookup("İstanbul", &tr)?[0].kind, MatchKind::Exact);
    /// assert_eq!(g.lookup("İSTANBUL", &tr)?[0].kind, MatchKind::Case);
    /// assert_eq!(g.lookup("istanbul", &tr)?[0].kind, MatchKind::Case);
    /// assert_eq!(g.lookup("Istanbul", &tr)?[0].kind, MatchKind::Loose); // I is ı in Turkish
    /// assert!(g.lookup("Ankara", &tr)?.is_empty());
    /// # Ok::<(), korpu::Error>(())
    /// ```
    pub fn lookup(&self, text: &str, lang: &Lang) -> Result<Vec<LookupHit<'_>>> {
        let keys = term_keys(text, lang);
        // Levels often share a key (`karabag` is its own case, loose and
        // translit key): each distinct key is looked up once, for all the
        // levels at which the query has it. The full keys (language prefix
        // and key) lie back to back in one buffer.
        let prefix = lookup_key_prefix(lang);
        let mut buf: Vec<u8> =
            Vec::with_capacity(4 * prefix.len() + keys.iter().map(String::len).sum::<usize>());
        let mut distinct: [(std::ops::Range<usize>, u8); 4] = Default::default();
        let mut n = 0;
        for (i, key) in keys.iter().enumerate() {
            if key.is_empty() || keys[..i].contains(key) {
                continue;
            }
            let query_levels = LEVELS
                .iter()
                .zip(&keys)
                .skip(i)
                .filter(|(_, k)| *k == key)
                .fold(0u8, |m, (l, _)| m | level_bit(*l));
            let start = buf.len();
            buf.extend_from_slice(&prefix);
            buf.extend_from_slice(key.as_bytes());
            distinct[n] = (start..buf.len(), query_levels);
            n += 1;
        }
        let distinct = &distinct[..n];
        let mut full: [&[u8]; 4] = [&[]; 4];
        for (f, (r, _)) in full.iter_mut().zip(distinct) {
            *f = &buf[r.clone()];
        }
        let full = &full[..n];
        let mut offsets = [None; 4];
        self.guarded(|| {
            get_sharing_prefixes(self.terms.as_fst(), full, &mut offsets);
            Ok(())
        })?;
        self.prefetch_postings(offsets.iter().flatten().copied());
        // Each (concept, term) once, at its best level; the postings of each
        // distinct key are appended as one run, in (concept, term) order
        // (the order of a posting list), so earlier runs are searched by
        // bisection instead of sorting everything.
        let mut found: Vec<(Posting, MatchKind, u32)> = Vec::new();
        let mut runs: [std::ops::Range<usize>; 4] = Default::default();
        let section = &self.bytes()[self.postings.clone()];
        for (k, ((_, query_levels), offset)) in distinct.iter().zip(offsets).enumerate() {
            let Some(offset) = offset else { continue };
            let start = found.len();
            file::for_each_posting(section, offset, full[k], &self.path, |p| {
                let both = p.levels & query_levels;
                if both == 0 {
                    return;
                }
                let level = LEVELS[both.trailing_zeros() as usize];
                let kind = MatchKind::from(level);
                let earlier = runs[..k].iter().find_map(|r| {
                    let run = &found[r.clone()];
                    run.binary_search_by_key(&(p.concept, p.term), |(q, ..)| (q.concept, q.term))
                        .ok()
                        .map(|j| r.start + j)
                });
                match earlier {
                    Some(j) => found[j].1 = found[j].1.min(kind),
                    None => found.push((p, kind, 0)),
                }
            })?;
            runs[k] = start..found.len();
        }
        self.decode_hits(found, lang, usize::MAX)
    }

    /// Autocomplete: terms in `lang` whose case key (then loose key) starts
    /// with that of `text`, at most `limit`, shortest first. Each hit has kind
    /// [`MatchKind::Prefix`], or a better kind when the term equals `text`.
    pub fn prefix(&self, text: &str, lang: &Lang, limit: usize) -> Result<Vec<LookupHit<'_>>> {
        let mut found: Vec<(Posting, MatchKind, u32)> = Vec::new();
        for level in [KeyLevel::Case, KeyLevel::Loose] {
            let key = term_key(text, lang, level);
            let mut full = lookup_key_prefix(lang);
            full.extend_from_slice(key.as_bytes());
            let full_str = String::from_utf8_lossy(&full).into_owned();
            let more: Vec<(Posting, MatchKind)> = self.guarded(|| {
                let mut out: Vec<(Posting, MatchKind)> = Vec::new();
                let auto = fst::automaton::Str::new(&full_str);
                let mut stream = self.terms.search(fst::Automaton::starts_with(auto)).into_stream();
                let mut scanned = 0usize;
                // Keys of other levels share the range (exact keys with
                // capitals, translit keys): count only postings at this
                // level, and give up after a bounded number of keys.
                while let Some((k, v)) = stream.next() {
                    scanned += 1;
                    if found.len() + out.len() >= limit || scanned > 100_000 {
                        break;
                    }
                    let kind = if k == full.as_slice() {
                        MatchKind::from(level)
                    } else {
                        MatchKind::Prefix
                    };
                    for p in self.postings_of(k, v)? {
                        let new = !found
                            .iter()
                            .any(|(q, ..)| (q.concept, q.term) == (p.concept, p.term))
                            && !out
                                .iter()
                                .any(|(q, _)| (q.concept, q.term) == (p.concept, p.term));
                        if p.levels & level_bit(level) != 0 && new {
                            out.push((p, kind));
                        }
                    }
                }
                Ok(out)
            })?;
            found.extend(more.into_iter().map(|(p, k)| (p, k, 0)));
            if found.len() >= limit {
                break;
            }
        }
        let mut hits = self.collect_hits(found, lang, usize::MAX)?;
        // Completions: the exact one first, then the shortest.
        hits.sort_by_cached_key(|h| (h.kind, h.term().text.chars().count()));
        hits.truncate(limit);
        Ok(hits)
    }

    /// Terms in `lang` within `max_distance` edits (Levenshtein, a
    /// transposition counting one) of `text`, compared on loose keys (case
    /// and diacritics ignored), nearest first. Exact-level equals are
    /// reported at their level with distance 0; others as
    /// [`MatchKind::Fuzzy`] with their distance.
    ///
    /// A Levenshtein DFA (`levenshtein_automata`) runs over the fst, so the
    /// cost depends on the distance and the glossary's shape, not its size:
    /// from tens of microseconds to a few tenths of a millisecond at distance 2
    /// (dense 1M-term glossary; see the `glossary` bench). `max_distance` above 3 is refused.
    /// At most [`FUZZY_MAX_HITS`] hits are returned, the nearest first.
    pub fn fuzzy(&self, text: &str, lang: &Lang, max_distance: u32) -> Result<Vec<LookupHit<'_>>> {
        if max_distance > 3 {
            return Err(Error::InvalidArgument(format!(
                "fuzzy distance {max_distance} is too large (at most 3)"
            )));
        }
        let key = term_key(text, lang, KeyLevel::Loose);
        if key.is_empty() {
            return Ok(Vec::new());
        }
        let dfa = lev_builder(max_distance as u8).build_dfa(&key);
        let prefix = lookup_key_prefix(lang);
        let keys = self.guarded(|| Ok(fuzzy_keys(self.terms.as_fst(), &prefix, &dfa, 100_000)))?;
        // A term has one loose key, so each (concept, term) occurs once here:
        // no deduplication is needed.
        let mut found = Vec::new();
        for k in &keys.found {
            let key = &keys.bytes[k.key.clone()];
            for p in self.postings_of(key, k.value)? {
                if p.levels & level_bit(KeyLevel::Loose) != 0 {
                    found.push((p, MatchKind::Fuzzy, k.distance));
                }
            }
        }
        let mut hits = self.nearest_hits(found, lang, FUZZY_MAX_HITS)?;
        // A distance-0 hit is a plain lookup hit; report its real level.
        for h in &mut hits {
            if h.distance == 0 {
                let t = h.term();
                h.kind = LEVELS
                    .iter()
                    .find(|l| term_key(text, lang, **l) == term_key(t.text, &t.lang, **l))
                    .map_or(MatchKind::Loose, |l| MatchKind::from(*l));
            }
        }
        hits.sort_by_key(|h| (h.distance, h.kind));
        Ok(hits)
    }

    /// The most words any term has (bounds how far [`scan`](Self::scan)
    /// looks ahead).
    pub fn max_words(&self) -> u32 {
        self.max_words
    }

    /// The start filter for the terms under key prefix `prefix` (one
    /// language; see `filter.rs`): the file's filter covers every language,
    /// so in a glossary of at most [`LANG_FILTER_TERMS`] terms a filter of
    /// the language's own is made from its keys on first use (the first
    /// words of its keys, as the builder records them; about 0.05–0.2 µs
    /// per key, once) and kept. It passes fewer words of running text, so a
    /// scan keys fewer. A larger glossary's filter passes most words anyway.
    pub(crate) fn start_filter(&self, prefix: &[u8]) -> Arc<[u8]> {
        let file = || Arc::from(&self.bytes()[self.filter.clone()]);
        let known = |filters: &LangFilters| {
            filters
                .iter()
                .find(|(p, _)| p == prefix)
                .map(|(_, f)| f.clone().unwrap_or_else(file))
        };
        if self.term_count > LANG_FILTER_TERMS {
            return file();
        }
        if let Some(f) = self.lang_filters.lock().ok().and_then(|l| known(&l)) {
            return f;
        }
        // Made outside the lock: a damaged fst may panic here.
        let mut upper = prefix.to_vec();
        if let Some(last) = upper.last_mut() {
            *last = last.wrapping_add(1);
        }
        let mut stream = self.terms.range().ge(prefix).lt(&upper).into_stream();
        let mut builder = filter::FilterBuilder::new();
        let mut made = Some(());
        let mut n = 0usize;
        while let Some((key, _)) = stream.next() {
            n += 1;
            let rest = key.get(prefix.len()..).unwrap_or_default();
            let first = rest.split(|&b| b == b' ').next().unwrap_or_default();
            match std::str::from_utf8(first) {
                Ok(w) if n <= 4 * LANG_FILTER_TERMS as usize => builder.insert(w),
                _ => {
                    made = None;
                    break;
                }
            }
        }
        let made: Option<Arc<[u8]>> = made.map(|()| Arc::from(builder.into_bytes()));
        if let Ok(mut l) = self.lang_filters.lock()
            && known(&l).is_none()
        {
            l.push((prefix.to_vec(), made.clone()));
        }
        made.unwrap_or_else(file)
    }

    pub(crate) fn terms_fst(&self) -> &fst::Map<SectionBytes> {
        &self.terms
    }
}

/// The values of `keys` in `fst`, as [`fst::raw::Fst::get`] gives them,
/// into `out` (as long as `keys`).
///
/// The keys are walked in lockstep, up to four at a time, one node of each
/// per step, so that the processor fetches the nodes of the different walks
/// in parallel (in a large glossary each node is a cache miss); the bytes a
/// key shares with the key before it are walked once (a query's keys at
/// successive levels often share a long head: `karabağ`, `karabag`).
fn get_sharing_prefixes(fst: &fst::raw::Fst<SectionBytes>, keys: &[&[u8]], out: &mut [Option<u64>]) {
    use fst::raw::Output;
    for (keys, out) in keys.chunks(4).zip(out.chunks_mut(4)) {
        let root = Some((fst.root(), Output::zero()));
        // The state of each walk; `None` once a byte had no transition.
        let mut states = [root; 4];
        let mut common = [0usize; 4];
        for k in 1..keys.len() {
            common[k] = keys[k - 1]
                .iter()
                .zip(keys[k])
                .take_while(|(a, b)| a == b)
                .count();
        }
        let longest = keys.iter().map(|k| k.len()).max().unwrap_or(0);
        for d in 0..longest {
            for k in 0..keys.len() {
                let Some(&b) = keys[k].get(d) else { continue };
                if d < common[k] {
                    // Walk `k - 1` took the same byte from the same state.
                    states[k] = states[k - 1];
                    continue;
                }
                states[k] = states[k].and_then(|(node, out)| {
                    let t = node.transition(node.find_input(b)?);
                    Some((fst.node(t.addr), out.cat(t.out)))
                });
            }
        }
        for (o, s) in out.iter_mut().zip(states) {
            *o = s.and_then(|(node, out)| node.is_final().then(|| out.cat(node.final_output()).value()));
        }
    }
}

/// The most terms a glossary may have for [`Glossary::scan`] to make each
/// language a start filter of its own (a term has at most four keys).
const LANG_FILTER_TERMS: u64 = 20_000;

/// The most hits [`Glossary::fuzzy`] returns (the nearest ones).
pub const FUZZY_MAX_HITS: usize = 100;

/// The Levenshtein automaton builders, built once per distance (building one
/// takes milliseconds; building a DFA from it, microseconds).
fn lev_builder(d: u8) -> &'static LevenshteinAutomatonBuilder {
    static B: [OnceLock<LevenshteinAutomatonBuilder>; 4] =
        [OnceLock::new(), OnceLock::new(), OnceLock::new(), OnceLock::new()];
    B[d as usize].get_or_init(|| LevenshteinAutomatonBuilder::new(d, true))
}

/// One key found by [`fuzzy_keys`].
struct FuzzyKey {
    /// Where the whole key (prefix included) is in [`FuzzyKeys::bytes`].
    key: std::ops::Range<usize>,
    /// Its fst value (the offset of its posting list).
    value: u64,
    /// Its edit distance from the query.
    distance: u32,
}

/// The keys [`fuzzy_keys`] found, their bytes back to back in one buffer.
#[derive(Default)]
struct FuzzyKeys {
    bytes: Vec<u8>,
    found: Vec<FuzzyKey>,
}

/// The keys under `prefix` whose rest the DFA accepts, with their values and
/// distances, in key order, at most `limit` (then `limit + 1`, like a capped
/// stream).
///
/// A depth-first walk over the fst's nodes, pruning on the DFA's sink state
/// and on characters that never occur in a loose key (capitals, `ş`, `ı`,
/// …): keys of the other levels share the fst, and following them would
/// cost most of the walk. Depth is bounded by an explicit stack, whose
/// frames keep their decoded node.
fn fuzzy_keys(
    fst: &fst::raw::Fst<SectionBytes>,
    prefix: &[u8],
    dfa: &levenshtein_automata::DFA,
    limit: usize,
) -> FuzzyKeys {
    use fst::raw::{Node, Output};
    struct Frame<'f> {
        node: Node<'f>,
        out: Output,
        state: u32,
        next: usize,
        len: usize,
    }
    let mut out = FuzzyKeys::default();
    let (mut node, mut output) = (fst.root(), Output::zero());
    for &b in prefix {
        let Some(i) = node.find_input(b) else { return out };
        let t = node.transition(i);
        output = output.cat(t.out);
        node = fst.node(t.addr);
    }
    let mut key = prefix.to_vec();
    let mut stack = vec![Frame {
        node,
        out: output,
        state: dfa.initial_state(),
        next: 0,
        len: key.len(),
    }];
    while let Some(top) = stack.last_mut() {
        if top.next >= top.node.len() {
            stack.pop();
            continue;
        }
        let t = top.node.transition(top.next);
        top.next += 1;
        let state = dfa.transition(top.state, t.inp);
        if state == levenshtein_automata::SINK_STATE {
            continue;
        }
        key.truncate(top.len);
        key.push(t.inp);
        let output = top.out.cat(t.out);
        if !last_char_may_be_loose(&key[prefix.len()..]) {
            continue;
        }
        let child = fst.node(t.addr);
        if child.is_final()
            && let Distance::Exact(d) = dfa.distance(state)
        {
            let start = out.bytes.len();
            out.bytes.extend_from_slice(&key);
            out.found.push(FuzzyKey {
                key: start..out.bytes.len(),
                value: output.cat(child.final_output()).value(),
                distance: u32::from(d),
            });
            if out.found.len() > limit {
                break;
            }
        }
        stack.push(Frame {
            node: child,
            out: output,
            state,
            next: 0,
            len: key.len(),
        });
    }
    out
}

/// False when `key` ends with a complete character that never occurs in a
/// loose key; true while the last character is incomplete.
fn last_char_may_be_loose(key: &[u8]) -> bool {
    let Some(&last) = key.last() else { return true };
    if last < 0x80 {
        return crate::text::normalize::may_occur_in_loose_key(last as char);
    }
    let start = key.len().saturating_sub(4);
    let Some(lead) = key[start..]
        .iter()
        .rposition(|b| b & 0xC0 != 0x80)
        .map(|i| start + i)
    else {
        return true;
    };
    let need = match key[lead] {
        b if b >= 0xF0 => 4,
        b if b >= 0xE0 => 3,
        b if b >= 0xC0 => 2,
        _ => return true,
    };
    if key.len() - lead != need {
        return true;
    }
    match std::str::from_utf8(&key[lead..])
        .ok()
        .and_then(|s| s.chars().next())
    {
        Some(c) => crate::text::normalize::may_occur_in_loose_key(c),
        None => true,
    }
}

/// A Levenshtein DFA over the keys that start with a language prefix.
#[cfg(test)]
struct PrefixedDfa<'a> {
    prefix: &'a [u8],
    dfa: &'a levenshtein_automata::DFA,
}

#[cfg(test)]
impl fst::Automaton for PrefixedDfa<'_> {
    /// `Err(i)`: `i` bytes of the prefix matched; `Ok(s)`: DFA state `s`.
    type State = std::result::Result<u32, usize>;

    fn start(&self) -> Self::State {
        if self.prefix.is_empty() {
            Ok(self.dfa.initial_state())
        } else {
            Err(0)
        }
    }

    fn is_match(&self, state: &Self::State) -> bool {
        matches!(state, Ok(s) if matches!(self.dfa.distance(*s), Distance::Exact(_)))
    }

    fn can_match(&self, state: &Self::State) -> bool {
        match state {
            // State 0 of levenshtein_automata's DFA is its sink.
            Ok(s) => *s != 0,
            Err(i) => *i != usize::MAX,
        }
    }

    fn accept(&self, state: &Self::State, byte: u8) -> Self::State {
        match *state {
            Ok(s) => Ok(self.dfa.transition(s, byte)),
            Err(usize::MAX) => Err(usize::MAX),
            Err(i) => {
                if self.prefix.get(i) == Some(&byte) {
                    if i + 1 == self.prefix.len() {
                        Ok(self.dfa.initial_state())
                    } else {
                        Err(i + 1)
                    }
                } else {
                    Err(usize::MAX)
                }
            }
        }
    }
}

/// `primary \0`: where a language's keys start in the fst.
pub(crate) fn lookup_key_prefix(lang: &Lang) -> Vec<u8> {
    let mut k = Vec::with_capacity(24);
    k.extend_from_slice(lang.primary().as_bytes());
    k.push(0);
    k
}

/// True for the tokens that separate the words of a term like a space does.
pub(crate) fn is_hyphen(text: &str) -> bool {
    matches!(text, "-" | "\u{2010}" | "\u{2011}")
}

/// The words of a term as they are keyed: the tokens of `text`, hyphens
/// dropped (they separate words like spaces).
pub(crate) fn term_words(text: &str) -> impl Iterator<Item = &str> {
    tokenize(text)
        .filter(|t| !(t.kind == TokenKind::Punct && is_hyphen(t.text)))
        .map(|t| t.text)
}

pub(crate) fn word_count(text: &str) -> usize {
    term_words(text).count()
}

/// The key of a term (or a query) at `level`: each word keyed with
/// `lang`'s rules, joined by one space. `Cease-Fire` and `cease fire` have the
/// same case key, `cease fire`. This is the key the glossary stores and
/// matches; exposed so tools can reproduce a match.
pub fn term_key(text: &str, lang: &Lang, level: KeyLevel) -> String {
    if level != KeyLevel::Exact {
        // One tokenization and one case key per word serve every coarser level.
        let [_, case, loose, translit] = term_keys(text, lang);
        return match level {
            KeyLevel::Case => case,
            KeyLevel::Loose => loose,
            _ => translit,
        };
    }
    term_key_at(text, lang, level)
}

/// The keys of a term at the four levels, in [`LEVELS`] order, tokenizing
/// once and deriving the loose and translit keys from the case key (each key
/// is a function of the case key).
pub(crate) fn term_keys(text: &str, lang: &Lang) -> [String; 4] {
    // Sized for the usual keys (a translit key may grow: `ş` → `sh`).
    let mut out: [String; 4] = std::array::from_fn(|i| String::with_capacity(text.len() + 4 * (i / 3)));
    for w in term_words(text) {
        with_word_keys(w, lang, |keys| {
            for (o, k) in out.iter_mut().zip(keys) {
                if !o.is_empty() {
                    o.push(' ');
                }
                o.push_str(k);
            }
        });
    }
    out
}

/// Calls `f` with the keys of one word at the four levels, in [`LEVELS`]
/// order: the case key computed once, the loose and translit keys derived
/// from it (each is a function of the case key). The builder, lookups and
/// scan key words through here, so their keys cannot differ.
pub(crate) fn with_word_keys<R>(word: &str, lang: &Lang, f: impl FnOnce([&str; 4]) -> R) -> R {
    let exact = crate::text::nfc(word);
    let case = crate::text::case_key(&exact, lang);
    let loose = crate::text::normalize::loose_key_of_case(&case);
    let translit = crate::text::normalize::translit_key_of_case(&case, lang);
    f([&*exact, &*case, &*loose, &*translit])
}

fn term_key_at(text: &str, lang: &Lang, level: KeyLevel) -> String {
    let mut out = String::with_capacity(text.len());
    for w in term_words(text) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&level.key(w, lang));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The keys the generic fst stream finds with the same DFA, minus those
    /// holding a character no loose key has.
    fn by_stream(g: &Glossary, prefix: &[u8], dfa: &levenshtein_automata::DFA) -> Vec<(Vec<u8>, u64)> {
        let auto = PrefixedDfa { prefix, dfa };
        let mut stream = g.terms.search(auto).into_stream();
        let mut out = Vec::new();
        while let Some((k, v)) = stream.next() {
            let rest = std::str::from_utf8(&k[prefix.len()..]).unwrap();
            if rest.chars().all(crate::text::normalize::may_occur_in_loose_key) {
                out.push((k.to_vec(), v));
            }
        }
        out
    }

    /// A glossary of one Turkish term per concept (blank terms skipped).
    fn turkish_glossary(terms: &[String]) -> Glossary {
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

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// The pruned depth-first walk finds exactly the loose-able keys the
        /// fst's own automaton stream finds.
        #[test]
        fn fuzzy_walk_equals_stream(
            terms in prop::collection::vec("[a-zA-ZçÇğĞıIİöÖşŞüÜəƏ ]{1,10}", 1..40),
            query in "[a-zçğıöşüə]{1,8}",
            d in 0u8..3,
        ) {
            let tr: Lang = "tr".parse().unwrap();
            let g = turkish_glossary(&terms);
            let key = term_key(&query, &tr, KeyLevel::Loose);
            let dfa = lev_builder(d).build_dfa(&key);
            let prefix = lookup_key_prefix(&tr);
            let walk = fuzzy_keys(g.terms.as_fst(), &prefix, &dfa, 100_000);
            let walked: Vec<(Vec<u8>, u64)> = walk.found.iter().map(|k| (walk.bytes[k.key.clone()].to_vec(), k.value)).collect();
            prop_assert_eq!(walked, by_stream(&g, &prefix, &dfa));
            // Each key's distance is the DFA's.
            for k in &walk.found {
                let d = dfa.eval(&walk.bytes[k.key.start + prefix.len()..k.key.end]);
                prop_assert_eq!(Distance::Exact(k.distance as u8), d);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// The lockstep, prefix-sharing lookup of several keys equals one
        /// `get` each.
        #[test]
        fn shared_prefix_get_equals_get(
            terms in prop::collection::vec("[abcçğ ]{1,6}", 1..30),
            queries in prop::collection::vec("[abcçğ ]{0,7}", 1..6),
        ) {
            let tr: Lang = "tr".parse().unwrap();
            let g = turkish_glossary(&terms);
            // Keys as lookups make them: the prefix and a key, some present.
            let mut keys: Vec<Vec<u8>> = Vec::new();
            for (q, t) in queries.iter().zip(terms.iter().cycle()) {
                for text in [q, t] {
                    let mut k = lookup_key_prefix(&tr);
                    k.extend_from_slice(term_key(text, &tr, KeyLevel::Case).as_bytes());
                    keys.push(k);
                }
            }
            keys.push(b"t".to_vec());
            keys.push(Vec::new());
            let refs: Vec<&[u8]> = keys.iter().map(|k| &k[..]).collect();
            let mut shared = vec![Some(u64::MAX); refs.len()];
            get_sharing_prefixes(g.terms.as_fst(), &refs, &mut shared);
            let each: Vec<Option<u64>> = keys.iter().map(|k| g.terms.get(k)).collect();
            prop_assert_eq!(shared, each);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// A language's own start filter, made from the fst, is the filter
        /// the builder writes for a glossary of that language's terms alone.
        #[test]
        fn language_filter_equals_the_filter_of_its_terms(
            terms in prop::collection::vec(("[a-zA-ZçğıİöşüəƏ' -]{1,12}", 0usize..3, any::<bool>()), 1..30),
        ) {
            let langs = ["tr", "en", "az"];
            let build = |only: Option<&str>| {
                let mut b = GlossaryBuilder::new();
                for (i, (text, l, cs)) in terms.iter().enumerate() {
                    if text.trim_matches([' ', '-']).is_empty() || only.is_some_and(|o| o != langs[*l]) {
                        continue;
                    }
                    let mut t = Term::new(langs[*l].parse().unwrap(), text.as_str());
                    t.case_sensitive = *cs;
                    b.add(Concept { id: format!("c{i}"), terms: vec![t], ..Concept::default() }).unwrap();
                }
                let mut bytes = Vec::new();
                b.write(&mut bytes).unwrap();
                Glossary::from_bytes(bytes).unwrap()
            };
            let all = build(None);
            for lang in langs {
                let alone = build(Some(lang));
                let prefix = lookup_key_prefix(&lang.parse().unwrap());
                prop_assert_eq!(&all.start_filter(&prefix)[..], &alone.bytes()[alone.filter.clone()]);
                // Made once, then kept.
                prop_assert_eq!(&all.start_filter(&prefix)[..], &alone.bytes()[alone.filter.clone()]);
            }
        }
    }

    #[test]
    fn last_char_test_waits_for_whole_chars() {
        assert!(!last_char_may_be_loose(b"kA"));
        assert!(last_char_may_be_loose(b"ka"));
        assert!(last_char_may_be_loose(&"kş".as_bytes()[..2]));
        assert!(!last_char_may_be_loose("kş".as_bytes()));
        assert!(last_char_may_be_loose("kж".as_bytes()));
    }
}
