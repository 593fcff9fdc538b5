//! [`ServerOptions`]: the limits and switches of a [`Server`](super::Server).

use std::path::PathBuf;
use std::time::Duration;

/// Limits and switches of a [`Server`](super::Server).
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

impl ServerOptions {
    /// The default [`max_body`](Self::max_body): 1 MiB (`korpu serve --max-body`).
    pub const DEFAULT_MAX_BODY: usize = 1 << 20;
    /// The default [`max_upload`](Self::max_upload): 512 MiB.
    pub const DEFAULT_MAX_UPLOAD: u64 = 512 << 20;
    /// The default [`max_uri`](Self::max_uri): 16 KiB.
    pub const DEFAULT_MAX_URI: usize = 16 << 10;
    /// The default [`request_timeout`](Self::request_timeout): 10 s.
    pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
    /// The default [`import_batch`](Self::import_batch): 10,000 units.
    pub const DEFAULT_IMPORT_BATCH: usize = 10_000;
    /// The default [`cache_bytes`](Self::cache_bytes): 64 MiB.
    pub const DEFAULT_CACHE_BYTES: usize = 64 << 20;
}

impl Default for ServerOptions {
    fn default() -> ServerOptions {
        ServerOptions {
            auth_reads: false,
            max_body: ServerOptions::DEFAULT_MAX_BODY,
            max_upload: ServerOptions::DEFAULT_MAX_UPLOAD,
            max_uri: ServerOptions::DEFAULT_MAX_URI,
            request_timeout: ServerOptions::DEFAULT_REQUEST_TIMEOUT,
            upload_timeout: Duration::from_secs(600),
            spool_dir: None,
            import_batch: ServerOptions::DEFAULT_IMPORT_BATCH,
            cache_bytes: ServerOptions::DEFAULT_CACHE_BYTES,
        }
    }
}
