//! Concordance: the stored segments that contain a phrase, inflected
//! forms of its last word included.

use std::collections::HashSet;

use super::TranslationMemory;
use super::index::{self, TokenInfo, token_key};
use super::options::ConcordanceHit;
use super::score::{self, MAX_TOKENS};
use crate::error::Result;
use crate::lang::Lang;
use crate::text::{nfc, tokenize};

impl TranslationMemory {
    /// Finds `phrase` (in language `lang`) in stored segments, at most
    /// `limit` units, newest first.
    ///
    /// The phrase's words must appear in order and adjacent (punctuation
    /// between them is not skipped), each compared by its loose key (case and
    /// diacritics ignored). The last word may carry an inflection: an
    /// apostrophe suffix in any language (`Şuşa'da`), and whatever the suffix
    /// analyser ([`crate::text::stem`]) reads as an inflection: Turkish and
    /// Azerbaijani suffixes written on directly (`Şuşada`, `Azərbaycanın`,
    /// `kitabı` for `kitap`), English plurals. Derivations (`azərbaycanlı`) are
    /// not inflections and are not found.
    ///
    /// Cost: the posting lists of the phrase's words (for the last word,
    /// of every indexed word that begins like it), then a re-tokenization of
    /// each candidate.
    pub fn concordance(&self, phrase: &str, lang: &Lang, limit: usize) -> Result<Vec<ConcordanceHit>> {
        let snap = self.store.snapshot()?;
        let counters = self.counters(&*snap)?;
        let lang_id = self.lang_id(&counters, lang)?;
        let phrase = nfc(phrase);
        let words: Vec<(score::Kind, String)> = tokenize(&phrase)
            .take(MAX_TOKENS)
            .map(|t| {
                let (sig, key) = score::token_sig(t.kind, t.text, lang);
                (sig.kind, key.into_owned())
            })
            .collect();
        let Some(((last_kind, last_key), head)) = words.split_last() else {
            return Ok(Vec::new());
        };
        if limit == 0 {
            return Ok(Vec::new());
        }
        let damaged = || self.damaged("posting list");
        // Candidate units: the rarest head word's list, or for a one-word
        // phrase, every class the last word begins.
        let mut units: Option<HashSet<u64>> = None;
        let mut rarest: Option<TokenInfo> = None;
        for (kind, key) in head {
            let Some(info) = self.token_info(&*snap, &token_key(lang_id, *kind as u8, key))? else {
                return Ok(Vec::new());
            };
            if rarest.is_none_or(|r| info.df < r.df) {
                rarest = Some(info);
            }
        }
        if let Some(info) = rarest {
            let mut set = HashSet::new();
            index::read_postings(
                &*snap,
                &info,
                &mut |p| {
                    set.insert(p.unit);
                },
                &damaged,
            )?;
            units = Some(set);
        }
        let mut infos = Vec::new();
        if *last_kind == score::Kind::Word && !last_key.is_empty() {
            // A stem may alternate its last consonant (kitap → kitabı): scan
            // the classes that begin with the key minus its last letter.
            let mut prefix = last_key.clone();
            if prefix.chars().count() > 2 {
                prefix.pop();
            }
            snap.tokens_with_prefix(&token_key(lang_id, *last_kind as u8, &prefix), &mut |_, v| {
                if let Some(i) = TokenInfo::decode(v) {
                    infos.push(i);
                }
                true
            })?;
        } else if let Some(info) = self.token_info(&*snap, &token_key(lang_id, *last_kind as u8, last_key))? {
            infos.push(info);
        }
        let mut last_units: HashSet<u64> = HashSet::new();
        for info in infos {
            index::read_postings(
                &*snap,
                &info,
                &mut |p| {
                    last_units.insert(p.unit);
                },
                &damaged,
            )?;
        }
        let mut cands: Vec<u64> = match units {
            Some(u) => u.intersection(&last_units).copied().collect(),
            None => last_units.into_iter().collect(),
        };
        cands.sort_unstable_by(|a, b| b.cmp(a));
        let mut hits = Vec::new();
        for id in cands {
            let Some(unit) = self.load_unit(&*snap, id)? else {
                continue;
            };
            for (vi, v) in unit.variants.iter().enumerate() {
                if !v.lang.matches(lang) {
                    continue;
                }
                let text = v.segment.plain_text();
                let spans = find_phrase(&text, &v.lang, head, last_key, *last_kind);
                if spans.is_empty() {
                    continue;
                }
                let translations = unit
                    .variants
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != vi)
                    .map(|(_, v)| v.clone())
                    .collect();
                hits.push(ConcordanceHit {
                    unit_id: id,
                    tuid: unit.tuid.clone(),
                    variant: v.clone(),
                    text,
                    spans,
                    translations,
                });
                break;
            }
            if hits.len() >= limit {
                break;
            }
        }
        Ok(hits)
    }
}

/// Byte spans of the phrase in `text`.
fn find_phrase(
    text: &str,
    lang: &Lang,
    head: &[(score::Kind, String)],
    last_key: &str,
    last_kind: score::Kind,
) -> Vec<(usize, usize)> {
    let toks: Vec<_> = tokenize(text).collect();
    let keys: Vec<(score::Kind, String, &str, usize, usize, &str)> = toks
        .iter()
        .map(|t| {
            let (sig, key) = score::token_sig(t.kind, t.text, lang);
            (sig.kind, key.into_owned(), t.stem(), t.start, t.end(), t.text)
        })
        .collect();
    let mut spans = Vec::new();
    let k = head.len();
    let mut i = 0;
    while i + k < keys.len() {
        let head_ok = head
            .iter()
            .zip(&keys[i..i + k])
            .all(|((hk, hkey), (tk, tkey, ..))| hk == tk && hkey == tkey);
        let last = &keys[i + k];
        let last_ok = head_ok && last.0 == last_kind && {
            if last.1 == last_key {
                true
            } else if last_kind == score::Kind::Word {
                let stem_key = crate::text::loose_key(last.2, lang);
                stem_key == last_key || inflects(last.5, last_key, lang)
            } else {
                false
            }
        };
        if last_ok {
            spans.push((keys[i].3, last.4));
            i += k + 1;
        } else {
            i += 1;
        }
    }
    spans
}

/// True when `surface` (a word as written) is an inflection of a word whose
/// loose key is `base_key`: some reading of it by the suffix analyser
/// ([`crate::text::stem`]: Turkish and Azerbaijani case, number and
/// possession, English plurals and possessives) has that base.
fn inflects(surface: &str, base_key: &str, lang: &Lang) -> bool {
    crate::text::stem::analyses(surface, lang)
        .iter()
        .any(|a| crate::text::loose_key(&a.base, lang) == base_key)
}
