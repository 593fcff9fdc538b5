//! [`GlossaryBuilder`]: collects concepts, then writes one glossary file.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};
use crate::model::{Concept, Term};
use crate::text::{KeyLevel, nfc};

use super::file::{self, Posting};
use super::filter::FilterBuilder;
use super::keys::{LEVELS, level_bit, lookup_key_prefix, term_keys, word_count};

/// The longest term accepted, in bytes ([`Term::MAX_BYTES`]). Longer
/// "terms" are almost always a definition or a sentence in the wrong column.
pub const MAX_TERM_BYTES: usize = Term::MAX_BYTES;

/// Builds a glossary file from concepts.
///
/// Add concepts with [`add`](Self::add) (or [`extend`](Self::extend)), then
/// [`build`](Self::build) a file or [`write`](Self::write) to any writer.
/// Concepts with the same id are merged (terms, notes); the ids merged are
/// listed in [`BuildStats::duplicate_ids`] so a caller can warn about them.
/// Terms are checked on `add`: an empty term, a term with control
/// characters, or one longer than [`MAX_TERM_BYTES`] is refused with an
/// [`Error::InvalidRecord`] naming the concept.
///
/// Cost: keys are computed at `write` (four per term, fewer when levels
/// coincide), then sorted; memory is proportional to the glossary. A
/// million terms (2.6 million keys) take about 10 s of CPU, most of it
/// building the fst and keying terms (see the `glossary` bench).
///
/// ```
/// use korpu::glossary::{Glossary, GlossaryBuilder};
/// use korpu::model::{Concept, Term};
///
/// let mut b = GlossaryBuilder::new();
/// b.add(Concept {
///     id: "shusha".into(),
///     terms: vec![
///         Term::new("en".parse()?, "Shusha"),
///         Term::new("tr".parse()?, "Şuşa"),
///         Term::new("az".parse()?, "Şuşa"),
///     ],
///     ..Concept::default()
/// })?;
/// let mut bytes = Vec::new();
/// let stats = b.write(&mut bytes)?;
/// assert_eq!((stats.concepts, stats.terms), (1, 3));
/// let g = Glossary::from_bytes(bytes)?;
/// assert_eq!(g.concept("shusha")?.unwrap().terms.len(), 3);
/// # Ok::<(), korpu::Error>(())
/// ```
#[derive(Debug, Default)]
pub struct GlossaryBuilder {
    concepts: Vec<Concept>,
    by_id: HashMap<String, usize>,
    duplicates: Vec<String>,
    terms: usize,
    next_auto_id: usize,
}

/// What [`GlossaryBuilder::write`] wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildStats {
    /// Concepts written (after merging duplicates).
    pub concepts: usize,
    /// Terms written.
    pub terms: usize,
    /// Distinct keys in the fst.
    pub keys: usize,
    /// Ids that occurred more than once and were merged, in first-seen order.
    pub duplicate_ids: Vec<String>,
    /// Bytes written.
    pub bytes: u64,
}

impl GlossaryBuilder {
    /// An empty builder.
    pub fn new() -> GlossaryBuilder {
        GlossaryBuilder::default()
    }

    /// Concepts added so far (after merging).
    pub fn len(&self) -> usize {
        self.concepts.len()
    }

    /// True when no concept was added.
    pub fn is_empty(&self) -> bool {
        self.concepts.is_empty()
    }

    /// Ids seen more than once so far.
    pub fn duplicate_ids(&self) -> &[String] {
        &self.duplicates
    }

    /// Adds a concept. Its terms are checked and NFC-normalized. A concept
    /// whose id was seen before is merged into the first with
    /// [`Concept::merge`] (new terms and notes appended, nothing lost). An
    /// empty id gets a generated one (`auto-N`).
    pub fn add(&mut self, mut concept: Concept) -> Result<()> {
        if concept.id.trim().is_empty() {
            loop {
                self.next_auto_id += 1;
                let id = format!("auto-{}", self.next_auto_id);
                if !self.by_id.contains_key(&id) {
                    concept.id = id;
                    break;
                }
            }
        }
        for term in &mut concept.terms {
            check_term(&concept.id, &term.text)?;
            let n = nfc(&term.text);
            if n != term.text.as_str() {
                term.text = n.into_owned();
            }
        }
        if concept.terms.len() > u32::MAX as usize / 2 {
            return Err(invalid(&concept.id, "too many terms in one concept".into()));
        }
        match self.by_id.get(&concept.id) {
            Some(&i) => {
                if !self.duplicates.contains(&concept.id) {
                    self.duplicates.push(concept.id.clone());
                }
                let first = &mut self.concepts[i];
                let before = first.terms.len();
                first.merge(concept);
                self.terms += first.terms.len() - before;
            }
            None => {
                self.terms += concept.terms.len();
                self.by_id.insert(concept.id.clone(), self.concepts.len());
                self.concepts.push(concept);
            }
        }
        Ok(())
    }

    /// Adds every concept of an iterator (such as a TBX reader), stopping at
    /// the first error.
    pub fn extend<I: IntoIterator<Item = Result<Concept>>>(&mut self, concepts: I) -> Result<()> {
        for c in concepts {
            self.add(c?)?;
        }
        Ok(())
    }

    /// Writes the glossary to `path` (through a temporary file in the same
    /// directory, renamed into place, so a failed build never leaves a half
    /// file under the final name).
    pub fn build(self, path: impl AsRef<Path>) -> Result<BuildStats> {
        let path = path.as_ref();
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let result = (|| {
            let f = std::fs::File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
            let mut w = std::io::BufWriter::new(f);
            let stats = self.write(&mut w).map_err(|e| e.in_file(&tmp))?;
            let f = w.into_inner().map_err(|e| Error::io(&tmp, e.into_error()))?;
            f.sync_all().map_err(|e| Error::io(&tmp, e))?;
            std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))?;
            Ok(stats)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }

    /// Writes the glossary file to `w`.
    pub fn write<W: Write>(self, mut w: W) -> Result<BuildStats> {
        // 1. Keys, in one byte arena: (key range, concept, term, level mask).
        let mut arena: Vec<u8> = Vec::with_capacity(self.terms * 24);
        let mut entries: Vec<(u32, u32, u32, u32, u8)> = Vec::with_capacity(self.terms + self.terms / 2);
        let mut max_words = 1u32;
        let mut filter = FilterBuilder::new();
        let mut langs: Vec<String> = Vec::new();
        let too_big = || Error::InvalidArgument("glossary too large (keys exceed 4 GiB)".into());
        for (ci, concept) in self.concepts.iter().enumerate() {
            for (ti, term) in concept.terms.iter().enumerate() {
                if !langs.iter().any(|l| l == term.lang.as_str()) {
                    langs.push(term.lang.as_str().to_string());
                }
                let keys = term_keys(&term.text, &term.lang);
                max_words = max_words.max(keys[0].split(' ').count() as u32);
                let prefix = lookup_key_prefix(&term.lang);
                let first = entries.len();
                let mut last_first_word: Option<&str> = None;
                for (level, key) in LEVELS.into_iter().zip(&keys) {
                    if term.case_sensitive && level != KeyLevel::Exact {
                        continue;
                    }
                    if key.is_empty() {
                        continue;
                    }
                    let first_word = key.split(' ').next().unwrap_or("");
                    if last_first_word != Some(first_word) {
                        filter.insert(first_word);
                        last_first_word = Some(first_word);
                    }
                    // Levels often share a key: one entry, several level bits.
                    let same = entries[first..].iter_mut().find(|e| {
                        let k = &arena[e.0 as usize..e.1 as usize];
                        k.len() == prefix.len() + key.len() && k.ends_with(key.as_bytes())
                    });
                    match same {
                        Some(e) => e.4 |= level_bit(level),
                        None => {
                            let start = u32::try_from(arena.len()).map_err(|_| too_big())?;
                            arena.extend_from_slice(&prefix);
                            arena.extend_from_slice(key.as_bytes());
                            let end = u32::try_from(arena.len()).map_err(|_| too_big())?;
                            entries.push((start, end, ci as u32, ti as u32, level_bit(level)));
                        }
                    }
                }
            }
        }
        langs.sort();
        let key_of = |e: &(u32, u32, u32, u32, u8)| &arena[e.0 as usize..e.1 as usize];
        // Sort by key, then (concept, term): the order entries were made in.
        // The first 8 key bytes, big-endian, decide most comparisons without
        // touching the arena (zero padding is safe: a tie falls through to
        // the full comparison).
        let head = |e: &(u32, u32, u32, u32, u8)| {
            let k = key_of(e);
            let mut b = [0u8; 8];
            let n = k.len().min(8);
            b[..n].copy_from_slice(&k[..n]);
            u64::from_be_bytes(b)
        };
        let mut order: Vec<(u64, u32)> = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (head(e), i as u32))
            .collect();
        order.sort_unstable_by(|a, b| {
            a.0.cmp(&b.0).then_with(|| {
                let (ea, eb) = (&entries[a.1 as usize], &entries[b.1 as usize]);
                key_of(ea).cmp(key_of(eb)).then((ea.2, ea.3).cmp(&(eb.2, eb.3)))
            })
        });
        let entries: Vec<(u32, u32, u32, u32, u8)> =
            order.into_iter().map(|(_, i)| entries[i as usize]).collect();

        // 2. Terms fst and postings.
        let mut postings = Vec::new();
        let mut terms_fst = fst::MapBuilder::memory();
        let mut keys = 0usize;
        let mut i = 0;
        let fst_err = |e: fst::Error| Error::InvalidArgument(format!("building the glossary index: {e}"));
        let mut list = Vec::new();
        while i < entries.len() {
            let key = key_of(&entries[i]);
            let mut j = i;
            list.clear();
            while j < entries.len() && key_of(&entries[j]) == key {
                list.push(Posting {
                    concept: entries[j].2,
                    term: entries[j].3,
                    levels: entries[j].4,
                });
                j += 1;
            }
            let offset = postings.len() as u64;
            file::encode_postings(&mut postings, key, &list);
            terms_fst.insert(key, offset).map_err(fst_err)?;
            keys += 1;
            i = j;
        }
        drop(entries);
        drop(arena);
        let terms_fst = terms_fst.into_inner().map_err(fst_err)?;

        // 3. Ids fst.
        let mut ids: Vec<(&str, u64)> = self
            .concepts
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i as u64))
            .collect();
        ids.sort_unstable();
        let mut ids_fst = fst::MapBuilder::memory();
        for (id, i) in ids {
            ids_fst.insert(id, i).map_err(fst_err)?;
        }
        let ids_fst = ids_fst.into_inner().map_err(fst_err)?;

        // 4. Concepts.
        let mut offsets = Vec::with_capacity((self.concepts.len() + 1) * 8);
        let mut records = Vec::new();
        for c in &self.concepts {
            offsets.extend_from_slice(&(records.len() as u64).to_le_bytes());
            let bytes = postcard::to_allocvec(c)
                .map_err(|e| invalid(&c.id, format!("cannot serialize the concept: {e}")))?;
            records.extend_from_slice(&crc32fast::hash(&bytes).to_le_bytes());
            records.extend_from_slice(&bytes);
        }
        offsets.extend_from_slice(&(records.len() as u64).to_le_bytes());
        let langs_bytes =
            postcard::to_allocvec(&langs).map_err(|e| Error::InvalidArgument(format!("languages: {e}")))?;

        // 5. Header and payload.
        let filter = filter.into_bytes();
        let sections: [&[u8]; file::SECTIONS] = [
            &terms_fst,
            &postings,
            &ids_fst,
            &offsets,
            &records,
            &langs_bytes,
            &filter,
        ];
        let mut crc = crc32fast::Hasher::new();
        for s in sections {
            crc.update(s);
        }
        let lens = sections.map(<[u8]>::len);
        let header = file::encode_header(
            &lens,
            self.concepts.len() as u64,
            self.terms as u64,
            max_words,
            crc.finalize(),
        );
        w.write_all(&header)?;
        for s in sections {
            w.write_all(s)?;
        }
        w.flush()?;
        Ok(BuildStats {
            concepts: self.concepts.len(),
            terms: self.terms,
            keys,
            duplicate_ids: self.duplicates,
            bytes: (header.len() + lens.iter().sum::<usize>()) as u64,
        })
    }
}

fn invalid(id: &str, message: String) -> Error {
    Error::InvalidRecord {
        location: None,
        record: format!("concept {id:?}"),
        message,
    }
}

fn check_term(id: &str, text: &str) -> Result<()> {
    Term::check_text(text).map_err(|m| invalid(id, m))?;
    if word_count(text) == 0 {
        return Err(invalid(id, format!("term {text:?} has no words")));
    }
    if let Some(c) = text.chars().find(|c| c.is_control()) {
        return Err(invalid(
            id,
            format!("term {text:?} holds the control character U+{:04X}", c as u32),
        ));
    }
    Ok(())
}
