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
//! floor), `max_candidates` defaults to 5 (at most 100); these numbers are
//! [`present::defaults`](crate::present::defaults). `jsoncallback=NAME`
//! wraps the list for JSONP, as amaGama does for Pootle. An unknown source
//! language, the same source and target language, or an empty `?source=`
//! answer 404; an unknown target language answers `[]`.

mod amagama;
mod api;
mod blocking;
mod cache;
mod error;
mod extract;
mod options;
mod routes;
mod state;
mod tokens;
mod transfer;

use std::future::Future;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;

use crate::error::{Error, Result};
use crate::glossary::Glossary;
use crate::tm::TranslationMemory;
use error::{ApiError, json_error};
use routes::{Access, Built, Routes};
use state::AppState;

pub use api::OPENAPI;
pub use options::ServerOptions;
pub use tokens::Tokens;

/// A configured server: a translation memory, an optional glossary, tokens
/// and limits. Build it with [`Server::new`], run it with [`Server::serve`].
pub struct Server {
    state: Arc<AppState>,
}

impl Server {
    /// A server over `tm` (and `glossary`, for the glossary routes).
    pub fn new(
        tm: Arc<TranslationMemory>,
        glossary: Option<Arc<Glossary>>,
        tokens: Tokens,
        options: ServerOptions,
    ) -> Server {
        Server {
            state: Arc::new(AppState::new(tm, glossary, tokens, options)),
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

/// Builds every route over `state`.
pub(crate) fn router(state: Arc<AppState>) -> Built {
    let mut routes = Routes::new(state.clone());
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
    let (router, table) = routes.finish();
    let router = router
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(state.options.max_body))
        .layer(middleware::from_fn_with_state(state.clone(), limit_uri))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(panic_response))
        .with_state(state);
    Built { router, table }
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

#[cfg(test)]
mod tests;
