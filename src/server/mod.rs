//! The HTTP server behind `korpu serve` (cargo feature `server`): a
//! translation memory and terminology service on axum and tokio.
//!
//! Three groups of routes:
//!
//! - **amaGama-compatible** reads, mounted under both `/tmserver` and
//!   `/api/v1`, so that Weblate, Pootle and Virtaal use korpu by changing one
//!   URL: `GET /{slang}/{tlang}/unit/{text}`, `GET /{slang}/{tlang}/unit/?source=TEXT`
//!   and `GET /languages/`. See [`amagama`](self#amagama-compatibility).
//! - `GET /health`: 200 with the unit count while the store is open.
//! - korpu's own JSON API under `/v1/`: segmentation, glossary lookup and
//!   scan, TM lookup (with the score breakdown), concordance and stats
//!   (reads); unit add, TMX upload and TMX export (writes). Every route is
//!   described in the OpenAPI 3 document [`OPENAPI`], served at
//!   `/v1/openapi.json`.
//!
//! ```no_run
//! use std::sync::Arc;
//! use korpu::server::{Server, ServerOptions, Tokens};
//! use korpu::tm::TranslationMemory;
//!
//! # async fn run() -> korpu::Result<()> {
//! let tm = Arc::new(TranslationMemory::open("memory.korpu")?);
//! let server = Server::new(tm, None, Tokens::from_lines("s3cret")?, ServerOptions::default());
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! server.serve(listener, async { let _ = tokio::signal::ctrl_c().await; }).await
//! # }
//! ```
//!
//! # Work on the blocking pool
//!
//! Store reads and writes (redb) and fst walks are synchronous; every handler
//! runs them with [`tokio::task::spawn_blocking`], so the async workers only
//! parse requests and write responses. Lookups read an MVCC snapshot: they
//! are answered while an upload imports, and see its batches as they commit.
//!
//! # Security and limits
//!
//! - Write routes (unit add, TMX upload, TMX export) need
//!   `Authorization: Bearer TOKEN` with a token from [`Tokens`] (compared in
//!   constant time); without one they answer 401. With
//!   [`ServerOptions::auth_reads`] every route but `/health` and
//!   `/v1/openapi.json` needs it.
//! - A JSON body may be at most [`ServerOptions::max_body`] bytes, an upload
//!   [`ServerOptions::max_upload`] (413 past it); a request line's URI at most
//!   [`ServerOptions::max_uri`] bytes (414); a read request may take
//!   [`ServerOptions::request_timeout`] (503 past it).
//! - Bad JSON and bad parameters answer 400 with `{"error": "..."}`; so does
//!   every other error, with its status. A panic in a handler is caught and
//!   answered with a 500 `{"error": ...}`; the server goes on.
//!
//! # Shutdown
//!
//! [`Server::serve`] stops accepting connections when its `shutdown` future
//! completes (the CLI passes SIGTERM and Ctrl-C) and returns once the
//! requests in flight are answered. An upload in flight is therefore imported
//! to its end and committed; a malformed upload is refused before anything is
//! written (it is validated completely first), so nothing is half-imported
//! and nothing committed is lost.
//!
//! # amaGama compatibility
//!
//! The shapes follow amaGama's `amagama/views/api.py` and `docs/api.rst`
//! (translate/amagama): a unit query answers a JSON list, best first, of
//! objects with exactly the keys `quality`, `rank`, `source` and `target`
//! (amaGama writes them with sorted keys, and so does korpu). `quality` is the
//! korpu score as a JSON number with a fraction (`87.0`), as amaGama's
//! Levenshtein percentage is; `rank` is the 1-based position in the list (an
//! integer; amaGama's own is a full-text relevance with no korpu
//! equivalent, and its clients read only `source`, `target` and `quality`).
//! `min_similarity` defaults to 75 and is raised to 30 when lower (amaGama's
//! floor), `max_candidates` defaults to 5 (at most 100). `jsoncallback=NAME`
//! wraps the list for JSONP, as amaGama does for Pootle. An unknown source
//! language, the same source and target language, or an empty `?source=`
//! answer 404; an unknown target language answers `[]`.

mod amagama;
mod api;
mod cache;
mod transfer;

use std::collections::HashMap;
use std::future::Future;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;
use subtle::ConstantTimeEq;

use crate::error::{Error, Result};
use crate::glossary::Glossary;
use crate::lang::Lang;
use crate::segment::Segmenter;
use crate::tm::TranslationMemory;

/// The OpenAPI 3 description of every route, as served at `/v1/openapi.json`.
pub const OPENAPI: &str = include_str!("openapi.json");

/// Limits and switches of a [`Server`].
#[derive(Clone, Debug)]
pub struct ServerOptions {
    /// Require a token for reads too (default false: only writes need one).
    pub auth_reads: bool,
    /// Largest JSON request body, in bytes (default 1 MiB).
    pub max_body: usize,
    /// Largest TMX upload, in bytes (default 512 MiB).
    pub max_upload: u64,
    /// Longest request URI (path and query), in bytes (default 16 KiB).
    pub max_uri: usize,
    /// Longest time a read request may take (default 10 s). Uploads and
    /// exports are bounded by size instead, and their upload by
    /// [`upload_timeout`](Self::upload_timeout).
    pub request_timeout: Duration,
    /// Longest time receiving one upload may take (default 10 min).
    pub upload_timeout: Duration,
    /// Where uploads are spooled before import (default the system's
    /// temporary directory).
    pub spool_dir: Option<PathBuf>,
    /// Units per committed transaction of an upload (default 10,000).
    pub import_batch: usize,
    /// Bytes of amaGama answers kept for repeated queries (default 64 MiB;
    /// 0 disables). Every committed write empties it, so it never answers
    /// from before a write.
    pub cache_bytes: usize,
}

impl Default for ServerOptions {
    fn default() -> ServerOptions {
        ServerOptions {
            auth_reads: false,
            max_body: 1 << 20,
            max_upload: 512 << 20,
            max_uri: 16 << 10,
            request_timeout: Duration::from_secs(10),
            upload_timeout: Duration::from_secs(600),
            spool_dir: None,
            import_batch: 10_000,
            cache_bytes: 64 << 20,
        }
    }
}

/// The bearer tokens a [`Server`] accepts. Empty means writes are refused.
#[derive(Clone, Default)]
pub struct Tokens(Vec<Vec<u8>>);

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Tokens({} configured)", self.0.len()) // never the secrets
    }
}

impl Tokens {
    /// No token: every route that needs one answers 401.
    pub fn none() -> Tokens {
        Tokens(Vec::new())
    }

    /// One token per non-blank line of `text`, trimmed (several lines allow
    /// rotating a token). An error when there is none, or a token holds
    /// white space or control characters.
    pub fn from_lines(text: &str) -> Result<Tokens> {
        let mut tokens = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let t = line.trim();
            if t.is_empty() {
                continue;
            }
            if t.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(Error::InvalidArgument(format!(
                    "token file line {}: a token may not contain white space",
                    i + 1
                )));
            }
            tokens.push(t.as_bytes().to_vec());
        }
        if tokens.is_empty() {
            return Err(Error::InvalidArgument("the token file holds no token".into()));
        }
        Ok(Tokens(tokens))
    }

    /// Reads [`from_lines`](Self::from_lines) from a file.
    pub fn from_file(path: impl AsRef<std::path::Path>) -> Result<Tokens> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Tokens::from_lines(&text).map_err(|e| Error::InvalidArgument(format!("{}: {e}", path.display())))
    }

    /// Whether `presented` is one of the tokens. Each comparison takes time
    /// independent of where the bytes differ (`subtle`); only a length
    /// mismatch is cheaper, which tells nothing of the content.
    pub fn accepts(&self, presented: &[u8]) -> bool {
        let mut ok = subtle::Choice::from(0);
        for t in &self.0 {
            ok |= t.as_slice().ct_eq(presented);
        }
        bool::from(ok)
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A configured server: a translation memory, an optional glossary, tokens
/// and limits. Build it with [`Server::new`], run it with [`Server::serve`].
pub struct Server {
    state: Arc<AppState>,
}

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
    pub(crate) cache: cache::AnswerCache,
    segmenters: Mutex<HashMap<String, Arc<Segmenter>>>,
}

/// At most this many segmenters are cached (one per language asked for).
const SEGMENTER_CACHE: usize = 64;

impl AppState {
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

impl Server {
    /// A server over `tm` (and `glossary`, for the glossary routes).
    pub fn new(
        tm: Arc<TranslationMemory>,
        glossary: Option<Arc<Glossary>>,
        tokens: Tokens,
        options: ServerOptions,
    ) -> Server {
        let languages = read_languages(&tm).unwrap_or_default();
        let cache = cache::AnswerCache::new(options.cache_bytes);
        Server {
            state: Arc::new(AppState {
                tm,
                glossary,
                tokens,
                options,
                languages: RwLock::new(Arc::new(languages)),
                writes: Mutex::new(()),
                cache,
                segmenters: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// Answers requests on `listener` until `shutdown` completes, then waits
    /// for the requests in flight (an upload imports to its end) and returns.
    pub async fn serve(
        self,
        listener: tokio::net::TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<()> {
        let app = router(self.state).router;
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown)
            .await
            .map_err(|e| Error::io("<server>", e))
    }
}

/// Who may call a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Access {
    /// Anyone, always (`/health`, the OpenAPI document).
    Open,
    /// Anyone, unless [`ServerOptions::auth_reads`].
    Read,
    /// Token holders.
    Write,
}

/// The routes being built, and the table of those added (for the test that
/// checks the OpenAPI document against the router).
pub(crate) struct Routes {
    router: Router<Arc<AppState>>,
    table: Vec<(Method, String, Access)>,
    state: Arc<AppState>,
}

impl Routes {
    /// Adds `handler` for `method` at `path`, behind the checks `access` asks.
    pub(crate) fn add(
        mut self,
        method: Method,
        path: &str,
        access: Access,
        handler: MethodRouter<Arc<AppState>>,
    ) -> Routes {
        self.table.push((method, path.to_string(), access));
        let state = self.state.clone();
        // Layers run outside in: authentication first, then the time limit.
        let handler = if access == Access::Write {
            handler // bounded by size, not time (an import may take minutes)
        } else {
            handler.route_layer(middleware::from_fn_with_state(state.clone(), time_limit))
        };
        let handler = match access {
            Access::Open => handler,
            Access::Read => handler.route_layer(middleware::from_fn_with_state(state, require_read)),
            Access::Write => handler.route_layer(middleware::from_fn_with_state(state, require_write)),
        };
        self.router = self.router.route(path, handler);
        self
    }
}

/// The finished router and its route table.
pub(crate) struct Built {
    pub(crate) router: Router,
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) table: Vec<(Method, String, Access)>,
}

/// Builds every route over `state`.
pub(crate) fn router(state: Arc<AppState>) -> Built {
    let mut routes = Routes {
        router: Router::new(),
        table: Vec::new(),
        state: state.clone(),
    };
    routes = routes.add(
        Method::GET,
        "/health",
        Access::Open,
        axum::routing::get(api::health),
    );
    routes = routes.add(
        Method::GET,
        "/v1/openapi.json",
        Access::Open,
        axum::routing::get(api::openapi),
    );
    for prefix in ["/tmserver", "/api/v1"] {
        routes = amagama::routes(routes, prefix);
    }
    routes = api::routes(routes);
    let Routes { router, table, .. } = routes;
    let router = router
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(state.options.max_body))
        .layer(middleware::from_fn_with_state(state.clone(), limit_uri))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(panic_response))
        .with_state(state);
    Built { router, table }
}

/// An error answered as `{"error": MESSAGE}` with its status.
#[derive(Debug)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) message: String,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    pub(crate) fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        let status = match &e {
            Error::Parse { .. }
            | Error::InvalidRecord { .. }
            | Error::InvalidLanguage { .. }
            | Error::UnknownLanguage(_)
            | Error::InvalidArgument(_) => StatusCode::BAD_REQUEST,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            eprintln!("korpu: error: {e}");
        }
        ApiError::new(status, e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json_error(self.status, &self.message)
    }
}

pub(crate) fn json_error(status: StatusCode, message: &str) -> Response {
    let body = serde_json::json!({ "error": message }).to_string();
    (
        status,
        [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        body,
    )
        .into_response()
}

/// Runs blocking store or fst work on the blocking pool.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> std::result::Result<T, ApiError> + Send + 'static,
) -> std::result::Result<T, ApiError> {
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("korpu: error: a request's work failed: {e}");
            Err(ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error"))
        }
    }
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such route (see /v1/openapi.json)")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method not allowed on this route")
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    eprintln!("korpu: error: a request handler panicked");
    json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
}

async fn limit_uri(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let len = req.uri().path_and_query().map_or(0, |pq| pq.as_str().len());
    if len > state.options.max_uri {
        return json_error(
            StatusCode::URI_TOO_LONG,
            &format!(
                "the request URI is {len} bytes; at most {} are allowed",
                state.options.max_uri
            ),
        );
    }
    next.run(req).await
}

async fn time_limit(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let limit = state.options.request_timeout;
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(r) => r,
        Err(_) => json_error(
            StatusCode::SERVICE_UNAVAILABLE,
            &format!("the request took longer than {} ms", limit.as_millis()),
        ),
    }
}

/// Whether the request carries an accepted token; else why not.
fn authorized(state: &AppState, req: &Request) -> std::result::Result<(), &'static str> {
    if state.tokens.is_empty() {
        return Err("this route needs a token, and none is configured (korpu serve --token-file)");
    }
    let presented = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.as_bytes().strip_prefix(b"Bearer "))
        .map(|t| t.trim_ascii());
    match presented {
        Some(t) if state.tokens.accepts(t) => Ok(()),
        Some(_) => Err("invalid token"),
        None => Err("this route needs \"Authorization: Bearer TOKEN\""),
    }
}

fn unauthorized(message: &str) -> Response {
    let mut r = json_error(StatusCode::UNAUTHORIZED, message);
    r.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"korpu\""),
    );
    r
}

async fn require_read(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    if state.options.auth_reads
        && let Err(why) = authorized(&state, &req)
    {
        return unauthorized(why);
    }
    next.run(req).await
}

async fn require_write(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    if let Err(why) = authorized(&state, &req) {
        return unauthorized(why);
    }
    next.run(req).await
}

#[cfg(test)]
mod tests;
