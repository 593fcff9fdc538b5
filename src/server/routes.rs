//! [`Routes`]: the routes being built, each behind the checks its
//! [`Access`] asks (a token, a time limit), and those checks.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::MethodRouter;

use super::error::json_error;
use super::state::AppState;

/// Who may call a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Access {
    /// Anyone, always (`/health`, the OpenAPI document).
    Open,
    /// Anyone, unless [`ServerOptions::auth_reads`](super::ServerOptions::auth_reads).
    Read,
    /// Token holders.
    Write,
}

/// Every route added: method, path and access.
pub(crate) type RouteTable = Vec<(Method, String, Access)>;

/// The routes being built, and the table of those added (for the test that
/// checks the OpenAPI document against the router).
pub(crate) struct Routes {
    router: Router<Arc<AppState>>,
    table: RouteTable,
    state: Arc<AppState>,
}

impl Routes {
    /// No routes yet; each added one gets its checks over `state`.
    pub(crate) fn new(state: Arc<AppState>) -> Routes {
        Routes {
            router: Router::new(),
            table: Vec::new(),
            state,
        }
    }

    /// The routes added, and their table.
    pub(crate) fn finish(self) -> (Router<Arc<AppState>>, RouteTable) {
        (self.router, self.table)
    }

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
    pub(crate) table: RouteTable,
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
