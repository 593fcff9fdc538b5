//! The glossary file format: one file, little-endian throughout.
//!
//! ```text
//! offset  size  field
//!      0     8  magic "KORPUGLS"
//!      8     4  format version (1)
//!     12     4  flags (0)
//!     16   112  7 sections × (offset u64, length u64), in this order:
//!               terms fst, postings, ids fst, concept offsets, concepts,
//!               languages, start filter
//!    128     8  number of concepts
//!    136     8  number of terms
//!    144     4  the most words any term has
//!    148     4  reserved (0)
//!    152     4  CRC-32 of everything after the header (the payload)
//!    156     4  CRC-32 of bytes 0..156
//!    160        payload: the sections, back to back, ending at the end of the file
//! ```
//!
//! - **terms fst** (fst map): `primary-language-subtag \0 key` → offset of the
//!   key's posting list. One entry per distinct key, whatever its level; the
//!   posting says at which levels each term has that key (a mask of
//!   key levels in each posting).
//! - **postings**: per key `crc32(key) u32, body_len u32, crc32(body) u32,
//!   body`, body = `varint count, count × (varint concept, varint term, u8
//!   level mask)`. The key CRC ties a posting list to the key that points to
//!   it, so a damaged fst value cannot send a lookup to another key's terms.
//! - **ids fst**: concept id → concept index.
//! - **concept offsets**: `(concepts + 1) × u64`, where each concept record
//!   starts, relative to the concepts section.
//! - **concepts**: per concept `crc32 u32` + the [`Concept`]
//!   in postcard.
//! - **languages**: postcard `Vec<String>` of the term languages present.
//! - **start filter**: which letter classes begin a term (see `filter.rs`).
//!
//! Opening checks the header (magic, version, header CRC) and that the
//! sections tile the file exactly, which catches truncation; it reads nothing
//! else, so it is O(1). Every posting list and concept record is checked
//! against its own CRC when read. The payload CRC covers the rest (the fsts)
//! and is checked by [`Glossary::verify`](super::Glossary::verify).

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::model::{Concept, TermStatus};
use crate::varint::{get_varint, put_varint};

use super::term::TermRef;

pub(crate) const MAGIC: &[u8; 8] = b"KORPUGLS";
pub(crate) const VERSION: u32 = 1;
pub(crate) const SECTIONS: usize = 7;
pub(crate) const HEADER_LEN: usize = 16 + SECTIONS * 16 + 32;
const META: usize = 16 + SECTIONS * 16;

pub(crate) const S_TERMS: usize = 0;
pub(crate) const S_POSTINGS: usize = 1;
pub(crate) const S_IDS: usize = 2;
pub(crate) const S_OFFSETS: usize = 3;
pub(crate) const S_CONCEPTS: usize = 4;
pub(crate) const S_LANGS: usize = 5;
pub(crate) const S_FILTER: usize = 6;

/// The bytes of an open glossary: a memory map or an owned buffer.
pub(crate) enum Backing {
    Mmap(memmap2::Mmap),
    Owned(Vec<u8>),
}

impl AsRef<[u8]> for Backing {
    fn as_ref(&self) -> &[u8] {
        match self {
            Backing::Mmap(m) => m,
            Backing::Owned(v) => v,
        }
    }
}

/// A section of the backing bytes, shareable (fst maps own their data).
#[derive(Clone)]
pub(crate) struct SectionBytes {
    pub(crate) data: Arc<Backing>,
    pub(crate) range: Range<usize>,
}

impl AsRef<[u8]> for SectionBytes {
    fn as_ref(&self) -> &[u8] {
        &self.data.as_ref().as_ref()[self.range.clone()]
    }
}

/// The parsed header.
#[derive(Debug)]
pub(crate) struct Header {
    pub(crate) sections: [Range<usize>; SECTIONS],
    pub(crate) concepts: u64,
    pub(crate) terms: u64,
    pub(crate) max_words: u32,
    pub(crate) payload_crc: u32,
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    let mut a = [0u8; 4];
    a.copy_from_slice(&b[at..at + 4]);
    u32::from_le_bytes(a)
}

pub(crate) fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(a)
}

/// Encodes the header for sections of the given lengths (laid out back to
/// back after the header).
pub(crate) fn encode_header(
    lens: &[usize; SECTIONS],
    concepts: u64,
    terms: u64,
    max_words: u32,
    payload_crc: u32,
) -> Vec<u8> {
    let mut h = Vec::with_capacity(HEADER_LEN);
    h.extend_from_slice(MAGIC);
    h.extend_from_slice(&VERSION.to_le_bytes());
    h.extend_from_slice(&0u32.to_le_bytes());
    let mut at = HEADER_LEN as u64;
    for &len in lens {
        h.extend_from_slice(&at.to_le_bytes());
        h.extend_from_slice(&(len as u64).to_le_bytes());
        at += len as u64;
    }
    h.extend_from_slice(&concepts.to_le_bytes());
    h.extend_from_slice(&terms.to_le_bytes());
    h.extend_from_slice(&max_words.to_le_bytes());
    h.extend_from_slice(&0u32.to_le_bytes());
    h.extend_from_slice(&payload_crc.to_le_bytes());
    let crc = crc32fast::hash(&h);
    h.extend_from_slice(&crc.to_le_bytes());
    debug_assert_eq!(h.len(), HEADER_LEN);
    h
}

/// Parses and checks the header of `bytes` (the whole file).
pub(crate) fn decode_header(bytes: &[u8], path: &Path) -> Result<Header> {
    if bytes.len() < HEADER_LEN {
        if bytes.len() >= 8 && &bytes[..8] != MAGIC {
            return Err(Error::corrupt(path, "not a korpu glossary (bad magic number)"));
        }
        return Err(Error::corrupt(
            path,
            format!(
                "truncated glossary: {} bytes, shorter than its {HEADER_LEN}-byte header",
                bytes.len()
            ),
        ));
    }
    if &bytes[..8] != MAGIC {
        return Err(Error::corrupt(path, "not a korpu glossary (bad magic number)"));
    }
    let stored = u32_at(bytes, HEADER_LEN - 4);
    if crc32fast::hash(&bytes[..HEADER_LEN - 4]) != stored {
        return Err(Error::corrupt(
            path,
            "damaged glossary header (checksum mismatch)",
        ));
    }
    let version = u32_at(bytes, 8);
    if version != VERSION {
        return Err(Error::corrupt(
            path,
            format!(
                "glossary format version {version}; this korpu reads version {VERSION} (rebuild the glossary)"
            ),
        ));
    }
    let mut sections: [Range<usize>; SECTIONS] = Default::default();
    let mut expected = HEADER_LEN as u64;
    for (i, s) in sections.iter_mut().enumerate() {
        let off = u64_at(bytes, 16 + i * 16);
        let len = u64_at(bytes, 24 + i * 16);
        let end = off.checked_add(len);
        if off != expected || end.is_none_or(|e| e > bytes.len() as u64) {
            return Err(Error::corrupt(
                path,
                format!(
                    "truncated or damaged glossary: section {i} spans {off}+{len}, file has {} bytes",
                    bytes.len()
                ),
            ));
        }
        let end = end.unwrap_or(off);
        *s = off as usize..end as usize;
        expected = end;
    }
    if expected != bytes.len() as u64 {
        return Err(Error::corrupt(
            path,
            format!("glossary has {} bytes, its header says {expected}", bytes.len()),
        ));
    }
    let concepts = u64_at(bytes, META);
    let offsets_len = sections[S_OFFSETS].len() as u64;
    if concepts.checked_add(1).and_then(|n| n.checked_mul(8)) != Some(offsets_len) {
        return Err(Error::corrupt(
            path,
            "damaged glossary: concept count and offset table disagree",
        ));
    }
    Ok(Header {
        sections,
        concepts,
        terms: u64_at(bytes, META + 8),
        max_words: u32_at(bytes, META + 16),
        payload_crc: u32_at(bytes, META + 24),
    })
}

/// One entry of a posting list: a term of a concept, and the levels at which
/// the term has the key the list belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Posting {
    pub(crate) concept: u32,
    pub(crate) term: u32,
    /// Bit `i` set: the term has this key at level `LEVELS[i]`.
    pub(crate) levels: u8,
}

/// Encodes one posting list for `key`.
pub(crate) fn encode_postings(out: &mut Vec<u8>, key: &[u8], list: &[Posting]) {
    // The body is written in place after a 12-byte head filled in last.
    let head = out.len();
    out.extend_from_slice(&crc32fast::hash(key).to_le_bytes());
    out.extend_from_slice(&[0; 8]);
    let body = out.len();
    put_varint(out, list.len() as u64);
    for p in list {
        put_varint(out, u64::from(p.concept));
        put_varint(out, u64::from(p.term));
        out.push(p.levels);
    }
    let len = (out.len() - body) as u32;
    let crc = crc32fast::hash(&out[body..]);
    out[head + 4..head + 8].copy_from_slice(&len.to_le_bytes());
    out[head + 8..head + 12].copy_from_slice(&crc.to_le_bytes());
}

/// Decodes the posting list at `offset` of `section` and checks it belongs
/// to `key`.
pub(crate) fn decode_postings(section: &[u8], offset: u64, key: &[u8], path: &Path) -> Result<Vec<Posting>> {
    let mut out = Vec::new();
    for_each_posting(section, offset, key, path, |p| out.push(p))?;
    Ok(out)
}

/// [`decode_postings`], handing each posting to `f` instead of collecting
/// them (after the list's checksum is checked; on a bad entry, an error
/// after the postings before it).
pub(crate) fn for_each_posting(
    section: &[u8],
    offset: u64,
    key: &[u8],
    path: &Path,
    mut f: impl FnMut(Posting),
) -> Result<()> {
    let bad = |what: &str| {
        Error::corrupt(
            path,
            format!("damaged glossary: posting list at {offset}: {what}"),
        )
    };
    let at = usize::try_from(offset).map_err(|_| bad("offset out of range"))?;
    let head = section
        .get(at..at.checked_add(12).ok_or_else(|| bad("offset out of range"))?)
        .ok_or_else(|| bad("offset out of range"))?;
    if u32_at(head, 0) != crc32fast::hash(key) {
        return Err(bad("does not belong to its key"));
    }
    let len = u32_at(head, 4) as usize;
    let body = section
        .get(at + 12..(at + 12).saturating_add(len))
        .filter(|b| b.len() == len)
        .ok_or_else(|| bad("runs past the end"))?;
    if crc32fast::hash(body) != u32_at(head, 8) {
        return Err(bad("checksum mismatch"));
    }
    let mut i = 0;
    let count = get_varint(body, &mut i).ok_or_else(|| bad("bad count"))?;
    if count > body.len() as u64 {
        return Err(bad("bad count"));
    }
    for _ in 0..count {
        let concept = get_varint(body, &mut i).and_then(|v| u32::try_from(v).ok());
        let term = get_varint(body, &mut i).and_then(|v| u32::try_from(v).ok());
        let levels = body.get(i).copied();
        i += 1;
        match (concept, term, levels) {
            (Some(concept), Some(term), Some(levels)) => f(Posting {
                concept,
                term,
                levels,
            }),
            _ => return Err(bad("bad entry")),
        }
    }
    Ok(())
}

/// The languages of a glossary's terms, parsed once: the stored tag and its
/// [`Lang`]. Decoding a term looks its tag up here instead of parsing it.
pub(crate) type LangCache = Vec<(String, Lang)>;

/// A concept record as stored: [`Concept`]'s layout, with each term's
/// language left as its tag (borrowed) so that decoding can take the
/// parsed [`Lang`] from the glossary's cache instead of parsing it again.
#[derive(serde::Deserialize)]
struct StoredConcept<'a> {
    id: String,
    subject: Option<String>,
    definition: Option<String>,
    notes: Vec<String>,
    #[serde(borrow)]
    terms: Vec<StoredTermRef<'a>>,
}

/// Why a concept record did not decode.
#[derive(Debug)]
pub(crate) enum BadConcept {
    /// The bytes are not an encoded concept (kept as the error's source).
    Encoding(postcard::Error),
    /// A term's stored language tag does not parse.
    Language,
}

impl std::fmt::Display for BadConcept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BadConcept::Encoding(e) => e.fmt(f),
            BadConcept::Language => f.write_str("bad language tag"),
        }
    }
}

/// Decodes a concept record body: what `postcard::from_bytes::<Concept>`
/// returns (the same value, and an error on the same inputs), taking term
/// languages from `langs` when their stored tag is there.
pub(crate) fn decode_concept(
    body: &[u8],
    langs: &[(String, Lang)],
) -> std::result::Result<Concept, BadConcept> {
    let stored: StoredConcept<'_> = postcard::from_bytes(body).map_err(BadConcept::Encoding)?;
    let mut terms = Vec::with_capacity(stored.terms.len());
    for t in stored.terms {
        let lang = lang_of(langs, t.lang).ok_or(BadConcept::Language)?;
        terms.push(t.into_term_ref(lang).to_term());
    }
    Ok(Concept {
        id: stored.id,
        subject: stored.subject,
        definition: stored.definition,
        notes: stored.notes,
        terms,
    })
}

/// The language of a stored tag: from `langs` when the tag is there, else
/// parsed; `None` for a tag that does not parse.
pub(crate) fn lang_of(langs: &[(String, Lang)], tag: &str) -> Option<Lang> {
    match langs.iter().find(|(t, _)| t == tag) {
        Some((_, l)) => Some(l.clone()),
        None => Lang::parse(tag).ok(),
    }
}

/// One term of a concept record, borrowed from the record: [`Term`](crate::model::Term)'s
/// layout with every string a slice of the file.
#[derive(serde::Deserialize)]
pub(crate) struct StoredTermRef<'a> {
    pub(crate) lang: &'a str,
    pub(crate) text: &'a str,
    #[serde(borrow)]
    pub(crate) part_of_speech: Option<&'a str>,
    pub(crate) status: Option<TermStatus>,
    #[serde(borrow)]
    pub(crate) term_type: Option<&'a str>,
    pub(crate) case_sensitive: bool,
    #[serde(borrow)]
    pub(crate) note: Option<&'a str>,
}

impl<'a> StoredTermRef<'a> {
    /// The term as [`TermRef`], in `lang` (its stored tag, resolved): the
    /// one mapping from the file's term layout, for hits and for
    /// [`decode_concept`] alike.
    #[inline]
    pub(crate) fn into_term_ref(self, lang: Lang) -> TermRef<'a> {
        TermRef {
            lang,
            text: self.text,
            part_of_speech: self.part_of_speech,
            status: self.status,
            term_type: self.term_type,
            case_sensitive: self.case_sensitive,
            note: self.note,
        }
    }
}

/// The fields of a term that [`decode_term`] passes over: the same layout,
/// strings read as bytes (not checked as UTF-8).
#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct SkippedTerm<'a> {
    lang: &'a [u8],
    text: &'a [u8],
    #[serde(borrow)]
    part_of_speech: Option<&'a [u8]>,
    status: Option<TermStatus>,
    #[serde(borrow)]
    term_type: Option<&'a [u8]>,
    case_sensitive: bool,
    #[serde(borrow)]
    note: Option<&'a [u8]>,
}

/// Decodes from a concept record body its id and its term `index`, without
/// allocating: every field of the record is read in [`decode_concept`]'s
/// layout (so a body it refuses for its shape is refused here too), but
/// strings are borrowed, only the id and the wanted term are checked as
/// UTF-8, and only they are kept. `Ok(None)` when the concept has no term
/// `index`. The record's checksum is the caller's to check.
pub(crate) fn decode_term(
    body: &[u8],
    index: usize,
) -> std::result::Result<Option<(&str, StoredTermRef<'_>)>, String> {
    use serde::de::{self, DeserializeSeed, Deserializer, SeqAccess, Visitor};

    /// Reads a sequence of strings as bytes, keeping none.
    struct SkipStrs;
    impl<'de> DeserializeSeed<'de> for SkipStrs {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
            d.deserialize_seq(self)
        }
    }
    impl<'de> Visitor<'de> for SkipStrs {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a sequence of strings")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
            while seq.next_element::<&'de [u8]>()?.is_some() {}
            Ok(())
        }
    }

    /// Reads the terms, keeping term `.0`.
    struct PickTerm(usize);
    impl<'de> DeserializeSeed<'de> for PickTerm {
        type Value = Option<StoredTermRef<'de>>;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Self::Value, D::Error> {
            d.deserialize_seq(self)
        }
    }
    impl<'de> Visitor<'de> for PickTerm {
        type Value = Option<StoredTermRef<'de>>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a sequence of terms")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Self::Value, A::Error> {
            let mut kept = None;
            let mut i = 0;
            loop {
                if i == self.0 {
                    match seq.next_element::<StoredTermRef<'de>>()? {
                        Some(t) => kept = Some(t),
                        None => break,
                    }
                } else if seq.next_element::<SkippedTerm<'de>>()?.is_none() {
                    break;
                }
                i += 1;
            }
            Ok(kept)
        }
    }

    /// Reads a concept record (a struct is a tuple in postcard).
    struct Record(usize);
    impl<'de> Visitor<'de> for Record {
        type Value = Option<(&'de str, StoredTermRef<'de>)>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a concept record")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Self::Value, A::Error> {
            let short = |i| de::Error::invalid_length(i, &"a concept record of 5 fields");
            let id: &'de str = seq.next_element()?.ok_or_else(|| short(0))?;
            seq.next_element::<Option<&'de [u8]>>()?.ok_or_else(|| short(1))?;
            seq.next_element::<Option<&'de [u8]>>()?.ok_or_else(|| short(2))?;
            seq.next_element_seed(SkipStrs)?.ok_or_else(|| short(3))?;
            let term = seq.next_element_seed(PickTerm(self.0))?.ok_or_else(|| short(4))?;
            Ok(term.map(|t| (id, t)))
        }
    }

    let mut d = postcard::Deserializer::from_bytes(body);
    (&mut d)
        .deserialize_struct(
            "StoredConcept",
            &["id", "subject", "definition", "notes", "terms"],
            Record(index),
        )
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Term;
    use proptest::prelude::*;

    #[test]
    fn postings_round_trip_and_check_their_key() {
        let list = vec![
            Posting {
                concept: 3,
                term: 1,
                levels: 0b1111,
            },
            Posting {
                concept: 70000,
                term: 0,
                levels: 0b0100,
            },
        ];
        let mut b = vec![9, 9];
        encode_postings(&mut b, "tr\0şuşa".as_bytes(), &list);
        let p = Path::new("x");
        assert_eq!(decode_postings(&b, 2, "tr\0şuşa".as_bytes(), p).unwrap(), list);
        assert!(decode_postings(&b, 2, b"tr\0baku", p).is_err());
        assert!(decode_postings(&b, 3, "tr\0şuşa".as_bytes(), p).is_err());
        assert!(decode_postings(&b[..b.len() - 1], 2, "tr\0şuşa".as_bytes(), p).is_err());
        let mut flipped = b.clone();
        let n = flipped.len();
        flipped[n - 2] ^= 1;
        assert!(decode_postings(&flipped, 2, "tr\0şuşa".as_bytes(), p).is_err());
    }

    fn arb_text() -> impl Strategy<Value = String> {
        "[a-zA-ZçğıİöşüəƏ \\-]{0,12}"
    }

    fn arb_term() -> impl Strategy<Value = Term> {
        (
            prop::sample::select(vec!["tr", "az", "en-GB", "az-Latn-AZ", "TR", "es-419", "az-Cyrl"]),
            arb_text(),
            prop::option::of(arb_text()),
            prop::option::of(0u8..4),
            prop::option::of(arb_text()),
            any::<bool>(),
            prop::option::of(arb_text()),
        )
            .prop_map(
                |(lang, text, pos, status, term_type, case_sensitive, note)| Term {
                    lang: Lang::parse(lang).unwrap(),
                    text,
                    part_of_speech: pos,
                    status: status.map(|s| match s {
                        0 => TermStatus::Preferred,
                        1 => TermStatus::Admitted,
                        2 => TermStatus::Deprecated,
                        _ => TermStatus::Forbidden,
                    }),
                    term_type,
                    case_sensitive,
                    note,
                },
            )
    }

    fn arb_concept() -> impl Strategy<Value = Concept> {
        (
            arb_text(),
            prop::option::of(arb_text()),
            prop::option::of(arb_text()),
            prop::collection::vec(arb_text(), 0..3),
            prop::collection::vec(arb_term(), 0..5),
        )
            .prop_map(|(id, subject, definition, notes, terms)| Concept {
                id,
                subject,
                definition,
                notes,
                terms,
            })
    }

    /// What serde's postcard decoder gives (the reference).
    fn by_serde(b: &[u8]) -> Option<Concept> {
        postcard::from_bytes(b).ok()
    }

    fn cache() -> LangCache {
        ["az", "tr", "en-GB"]
            .into_iter()
            .map(|t| (t.to_string(), Lang::parse(t).unwrap()))
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        /// The hand-written decoder equals postcard's on every record, with
        /// or without the language cache.
        #[test]
        fn concept_decoder_equals_postcard(c in arb_concept()) {
            let b = postcard::to_allocvec(&c).unwrap();
            prop_assert_eq!(decode_concept(&b, &cache()).ok(), Some(c.clone()));
            prop_assert_eq!(decode_concept(&b, &[]).ok(), Some(c));
        }

        /// On damaged records (truncated, a byte changed, bytes appended) it
        /// fails exactly when postcard fails, and otherwise agrees.
        #[test]
        fn concept_decoder_fails_like_postcard(
            c in arb_concept(),
            at in any::<prop::sample::Index>(),
            byte in prop_oneof![0u8..=4, Just(0x80), Just(0xff), any::<u8>()],
            cut in any::<prop::sample::Index>(),
        ) {
            let mut b = postcard::to_allocvec(&c).unwrap();
            let i = at.index(b.len());
            b[i] = byte;
            prop_assert_eq!(decode_concept(&b, &cache()).ok(), by_serde(&b));
            let cut = cut.index(b.len() + 1);
            prop_assert_eq!(decode_concept(&b[..cut], &cache()).ok(), by_serde(&b[..cut]));
            b.extend_from_slice(&[1, 2, 3]);
            prop_assert_eq!(decode_concept(&b, &cache()).ok(), by_serde(&b));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        /// The borrowing term decoder gives the id and the term of the full
        /// decode, and on damaged records fails when the full decode fails
        /// for the record's shape (the full decode also parses every
        /// language tag and checks every string as UTF-8).
        #[test]
        fn term_decoder_agrees_with_concept_decoder(
            c in arb_concept(),
            at in any::<prop::sample::Index>(),
            byte in prop_oneof![0u8..=4, Just(0x80), Just(0xff), any::<u8>()],
            cut in any::<prop::sample::Index>(),
            want in 0usize..6,
        ) {
            let good = postcard::to_allocvec(&c).unwrap();
            let mut bad = good.clone();
            let i = at.index(bad.len());
            bad[i] = byte;
            let cut = cut.index(good.len() + 1);
            for b in [&good[..], &bad[..], &good[..cut]] {
                let full = decode_concept(b, &cache());
                let part = decode_term(b, want);
                match (&full, &part) {
                    (Ok(c), Ok(p)) => {
                        let p = p.as_ref().map(|(id, t)| (id.to_string(), t.text.to_string(), t.lang.to_string(), t.status, t.case_sensitive, t.note.map(str::to_string), t.part_of_speech.map(str::to_string), t.term_type.map(str::to_string)));
                        let f = c.terms.get(want).map(|t| (c.id.clone(), t.text.clone(), t.lang.as_str().to_string(), t.status, t.case_sensitive, t.note.clone(), t.part_of_speech.clone(), t.term_type.clone()));
                        // Tags are compared as parsed: the record stores them as given.
                        prop_assert_eq!(p.map(|mut p| { p.2 = Lang::parse(&p.2).unwrap().as_str().to_string(); p }), f);
                    }
                    (Err(_), Ok(_)) => {
                        // Only a language tag the full decode could not parse,
                        // or a string of a part the term decoder skips.
                        let e = full.as_ref().unwrap_err().to_string();
                        prop_assert!(e.contains("language tag") || e.contains("utf-8"), "{}", e);
                    }
                    (Ok(_), Err(e)) => prop_assert!(false, "term decoder refused a good record: {}", e),
                    (Err(_), Err(_)) => {}
                }
            }
        }
    }

    #[test]
    fn concept_decoder_refuses_what_postcard_refuses() {
        // A 10-byte length whose last byte carries more than the 64th bit;
        // a status index past the last variant; a bool that is 2.
        for b in [
            vec![0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02],
            vec![0x80, 0x00, 0, 0, 0, 0],
            vec![0, 2, 0, 0, 0, 0],
            vec![0, 0, 0, 0, 1, 2, b't', b'r', 0, 0, 1, 4, 0, 0, 0],
            vec![0, 0, 0, 0, 1, 2, b't', b'r', 0, 0, 0, 0, 2, 0],
            vec![
                0, 0, 0, 0, 1, 2, b't', b'r', 0, 0, 1, 0x80, 0x80, 0x80, 0x80, 0x10, 0, 0, 0,
            ],
        ] {
            assert_eq!(decode_concept(&b, &cache()).ok(), by_serde(&b), "{b:?}");
        }
        let ok = vec![
            0, 0, 0, 0, 1, 2, b't', b'r', 0, 0, 1, 0x83, 0x80, 0x80, 0x80, 0x00, 0, 0, 0,
        ];
        assert_eq!(
            decode_concept(&ok, &cache()).unwrap().terms[0].status,
            Some(TermStatus::Forbidden)
        );
        assert_eq!(
            by_serde(&ok).unwrap().terms[0].status,
            Some(TermStatus::Forbidden)
        );
    }

    #[test]
    fn header_round_trip_and_truncation() {
        let lens = [36, 0, 36, 8, 0, 1, 0];
        let mut file = encode_header(&lens, 0, 0, 1, 7);
        file.resize(HEADER_LEN + 81, 0);
        let h = decode_header(&file, Path::new("g")).unwrap();
        assert_eq!(h.sections[S_IDS], HEADER_LEN + 36..HEADER_LEN + 72);
        assert_eq!(h.payload_crc, 7);
        assert!(decode_header(&file[..file.len() - 1], Path::new("g")).is_err());
        assert!(decode_header(&file[..100], Path::new("g")).is_err());
        file[20] ^= 1;
        let e = decode_header(&file, Path::new("g")).unwrap_err().to_string();
        assert!(e.contains("g: damaged glossary header"), "{e}");
    }
}
