//! The defaults of the CLI's and the server's parameters, where the
//! library's option types do not carry them: each spelled once, here. The
//! TM lookup's own defaults are [`LookupOptions::DEFAULT_MIN_SCORE`] and
//! [`LookupOptions::DEFAULT_LIMIT`] (`korpu tm lookup`, `/v1/tm/lookup`).
//!
//! [`LookupOptions::DEFAULT_MIN_SCORE`]: crate::tm::LookupOptions::DEFAULT_MIN_SCORE
//! [`LookupOptions::DEFAULT_LIMIT`]: crate::tm::LookupOptions::DEFAULT_LIMIT

/// The most units a concordance lists: `korpu tm concordance --limit`,
/// `/v1/tm/concordance`'s `limit`.
pub const CONCORDANCE_LIMIT: usize = 20;

/// The lowest score a pretranslation uses (`korpu pretranslate
/// --min-score`): above the lookup's 70, since a match written into the
/// target is trusted more than one shown to a translator.
pub const PRETRANSLATE_MIN_SCORE: u8 = 75;

/// amaGama's `min_similarity` when a client gives none.
pub const AMAGAMA_MIN_SIMILARITY: u8 = 75;

/// amaGama's lowest `min_similarity`: a lower one is raised to this.
pub const AMAGAMA_MIN_SIMILARITY_FLOOR: u8 = 30;

/// amaGama's `max_candidates` when a client gives none.
pub const AMAGAMA_MAX_CANDIDATES: usize = 5;

/// The most matches one HTTP lookup returns (`/v1/tm/lookup`'s `limit`,
/// amaGama's `max_candidates`), whatever the client asks.
pub const HTTP_MAX_MATCHES: usize = 100;

/// The most hits one HTTP concordance or glossary lookup returns.
pub const HTTP_MAX_HITS: usize = 1000;

/// The most glossary hits `/v1/glossary/lookup` returns when the client
/// gives no `limit`.
pub const HTTP_GLOSSARY_LIMIT: usize = 20;
