//! [`AppState`]: what every handler shares (the memory, the glossary, the
//! tokens and limits, the memory's languages, the write lock, the answer
//! cache and the segmenters).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use super::cache::AnswerCache;
use super::options::ServerOptions;
use super::tokens::Tokens;
use crate::error::Result;
use crate::glossary::Glossary;
use crate::lang::Lang;
use crate::segment::Segmenter;
use crate::tm::TranslationMemory;

/// What every handler shares.
pub(crate) struct AppState {
    pub(crate) tm: Arc<TranslationMemory>,
    pub(crate) glossary: Option<Arc<Glossary>>,
    pub(crate) tokens: Tokens,
    pub(crate) options: ServerOptions,
    /// The languages the memory holds text in, refreshed after each write
    /// (only this process writes: redb locks the file).
    languages: RwLock<Arc<Vec<Lang>>>,
    /// Held by every write, so that a write's before/after counts are its own.
    pub(crate) writes: Mutex<()>,
    pub(crate) cache: AnswerCache,
    segmenters: Mutex<HashMap<String, Arc<Segmenter>>>,
}

/// At most this many segmenters are cached (one per language asked for).
const SEGMENTER_CACHE: usize = 64;

impl AppState {
    /// The state of a server over `tm` (and `glossary`).
    pub(crate) fn new(
        tm: Arc<TranslationMemory>,
        glossary: Option<Arc<Glossary>>,
        tokens: Tokens,
        options: ServerOptions,
    ) -> AppState {
        let languages = read_languages(&tm).unwrap_or_default();
        let cache = AnswerCache::new(options.cache_bytes);
        AppState {
            tm,
            glossary,
            tokens,
            options,
            languages: RwLock::new(Arc::new(languages)),
            writes: Mutex::new(()),
            cache,
            segmenters: Mutex::new(HashMap::new()),
        }
    }

    pub(crate) fn languages(&self) -> Arc<Vec<Lang>> {
        self.languages.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Re-reads the memory's languages (after a write). Blocking.
    pub(crate) fn refresh_languages(&self) -> Result<()> {
        let langs = read_languages(&self.tm)?;
        *self.languages.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(langs);
        Ok(())
    }

    pub(crate) fn segmenter(&self, lang: &Lang) -> Arc<Segmenter> {
        let mut cache = self.segmenters.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(s) = cache.get(lang.as_str()) {
            return s.clone();
        }
        let s = Arc::new(Segmenter::new(lang));
        if cache.len() < SEGMENTER_CACHE {
            cache.insert(lang.as_str().to_string(), s.clone());
        }
        s
    }
}

fn read_languages(tm: &TranslationMemory) -> Result<Vec<Lang>> {
    let stats = tm.stats()?;
    // Tags were parsed on the way in; one that no longer parses is skipped.
    Ok(stats
        .languages
        .keys()
        .filter_map(|t| Lang::parse(t).ok())
        .collect())
}
