//! What the translation memory stores besides the index: units, doc
//! records, counters, and how each is encoded and read back.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::TranslationMemory;
use super::index::TokenInfo;
use super::options::Stats;
use super::score::Sig;
use super::store::Snapshot;
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::model::TranslationUnit;

/// The stored form of a unit.
#[derive(Serialize, Deserialize)]
struct StoredUnit {
    unit: TranslationUnit,
}

/// [`StoredUnit`] by reference: the same bytes, without a copy of the unit.
#[derive(Serialize)]
pub(super) struct StoredUnitRef<'a> {
    pub(super) unit: &'a TranslationUnit,
}

/// A doc record: the variant's language tag and token signature.
pub(super) struct DocRecord {
    /// Inline (a tag fits): no allocation per record read.
    pub(super) lang: smol_str::SmolStr,
    pub(super) exact_hash: u64,
    pub(super) sig: Sig,
}

impl DocRecord {
    /// Appends the record of a doc in `lang` (the inverse of `decode`).
    pub(super) fn encode_parts(out: &mut Vec<u8>, lang: &str, exact_hash: u64, sig: &Sig) {
        out.extend_from_slice(&(lang.len() as u16).to_le_bytes());
        out.extend_from_slice(lang.as_bytes());
        out.extend_from_slice(&exact_hash.to_le_bytes());
        sig.encode(out);
    }

    fn decode(b: &[u8]) -> Option<DocRecord> {
        let l = u16::from_le_bytes(b.get(0..2)?.try_into().ok()?) as usize;
        let lang = smol_str::SmolStr::new(std::str::from_utf8(b.get(2..2 + l)?).ok()?);
        let exact_hash = u64::from_le_bytes(b.get(2 + l..10 + l)?.try_into().ok()?);
        let (sig, _) = Sig::decode(b.get(10 + l..)?)?;
        Some(DocRecord {
            lang,
            exact_hash,
            sig,
        })
    }
}

/// Counters kept in the meta table.
#[derive(Serialize, Deserialize, Default, Clone)]
pub(super) struct Counters {
    pub(super) next_unit: u64,
    pub(super) next_token: u64,
    /// The primary language subtags seen, by language id.
    pub(super) langs: Vec<String>,
    pub(super) stats: Stats,
}

/// `v` encoded (postcard), for the store at `path`.
pub(super) fn encode<T: Serialize>(path: &Path, v: &T) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    encode_into(path, v, &mut out)?;
    Ok(out)
}

/// [`encode`], appending to `out`.
pub(super) fn encode_into<T: Serialize>(path: &Path, v: &T, out: &mut Vec<u8>) -> Result<()> {
    postcard::to_io(v, out)
        .map(|_| ())
        .map_err(|e| Error::store(path, "cannot encode a record", e))
}

/// Reading records back from a snapshot; a record that does not decode is
/// a damaged memory.
impl TranslationMemory {
    /// The counters as `snap` holds them.
    pub(super) fn counters(&self, snap: &dyn Snapshot) -> Result<Counters> {
        let bytes = snap.meta("counters")?.ok_or_else(|| self.damaged("counters"))?;
        postcard::from_bytes(&bytes).map_err(|e| self.damaged_by("counters", e))
    }

    /// Unit `id` as `snap` holds it.
    pub(super) fn load_unit(&self, snap: &dyn Snapshot, id: u64) -> Result<Option<TranslationUnit>> {
        match snap.unit(id)? {
            None => Ok(None),
            Some(b) => Ok(Some(self.decode_unit(id, &b)?)),
        }
    }

    /// A unit record read from the store.
    pub(super) fn decode_unit(&self, id: u64, bytes: &[u8]) -> Result<TranslationUnit> {
        let s: StoredUnit =
            postcard::from_bytes(bytes).map_err(|e| self.damaged_by(&format!("unit {id}"), e))?;
        Ok(s.unit)
    }

    /// The doc record of `doc` (see [`index::doc_id`](super::index::doc_id)).
    pub(super) fn doc(&self, snap: &dyn Snapshot, doc: u64) -> Result<Option<DocRecord>> {
        // Decoded in place: a lookup reads hundreds of these.
        let mut rec = None;
        if !snap.doc_with(doc, &mut |b| rec = Some(DocRecord::decode(b)))? {
            return Ok(None);
        }
        match rec.flatten() {
            Some(rec) => Ok(Some(rec)),
            None => Err(self.damaged(&format!("index record {doc:#x}"))),
        }
    }

    /// The token record under `key` (see [`token_key`](super::index::token_key)).
    pub(super) fn token_info(&self, snap: &dyn Snapshot, key: &[u8]) -> Result<Option<TokenInfo>> {
        match snap.token(key)? {
            None => Ok(None),
            Some(b) => Ok(Some(
                TokenInfo::decode(&b).ok_or_else(|| self.damaged("token record"))?,
            )),
        }
    }

    /// The id of `lang`'s primary subtag in `counters`, or an error naming
    /// the languages the memory holds.
    pub(super) fn lang_id(&self, counters: &Counters, lang: &Lang) -> Result<u16> {
        counters
            .langs
            .iter()
            .position(|l| l == lang.primary())
            .map(|i| i as u16)
            .ok_or_else(|| {
                let have = if counters.langs.is_empty() {
                    "it is empty".to_string()
                } else {
                    format!("it has {}", counters.langs.join(", "))
                };
                Error::InvalidArgument(format!(
                    "unknown language \"{lang}\": the translation memory {} has no text in it ({have})",
                    self.path.display()
                ))
            })
    }
}
