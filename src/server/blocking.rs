//! Store reads and writes (redb) and fst walks are synchronous: handlers run
//! them on tokio's blocking pool, so the async workers only parse requests
//! and write responses.

use axum::http::StatusCode;

use super::error::ApiError;

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
