//! `korpu serve`: the HTTP server (cargo feature `server`); see
//! [`korpu::server`].

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;

use korpu::glossary::Glossary;
use korpu::server::{Server, ServerOptions, Tokens};
use korpu::tm::TranslationMemory;
use korpu::{Error, Result};

use super::console::{Console, Role};

/// Serve a translation memory (and a glossary) over HTTP.
///
/// Reads: the amaGama API under /tmserver and /api/v1, and korpu's JSON API
/// under /v1 (described at /v1/openapi.json). Writes (unit add, TMX upload,
/// TMX export) need `Authorization: Bearer TOKEN` with a token from
/// --token-file. SIGTERM or Ctrl-C stops accepting connections and waits for
/// the requests in flight, so an upload being imported is committed whole.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  korpu serve --tm memory.korpu -g karabakh.kgl --token-file token.txt\n  curl http://127.0.0.1:8080/tmserver/en/az/unit/Shusha%20was%20retaken   # amaGama API"
)]
pub(crate) struct ServeArgs {
    /// The translation memory store (created if missing).
    #[arg(long, value_name = "PATH")]
    tm: PathBuf,
    /// A glossary built by `korpu glossary build`, for the /v1/glossary routes.
    #[arg(short = 'g', long, value_name = "GLOSSARY")]
    glossary: Option<PathBuf>,
    /// The address to listen on (port 0 picks a free port; the address bound
    /// is printed on stderr as `korpu: listening on http://ADDR`).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// A file with the bearer token(s) write routes need, one per line.
    /// Without it, write routes answer 401.
    #[arg(long, value_name = "F")]
    token_file: Option<PathBuf>,
    /// Require the token for reads too (all but /health and /v1/openapi.json).
    #[arg(long, requires = "token_file")]
    auth_reads: bool,
    /// Largest JSON request body, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = ServerOptions::DEFAULT_MAX_BODY)]
    max_body: usize,
    /// Largest TMX upload, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = ServerOptions::DEFAULT_MAX_UPLOAD)]
    max_upload: u64,
    /// Longest request URI (path and query), in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = ServerOptions::DEFAULT_MAX_URI)]
    max_uri: usize,
    /// Longest time a read request may take, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = ServerOptions::DEFAULT_REQUEST_TIMEOUT.as_millis() as u64)]
    request_timeout: u64,
    /// Where uploads are spooled before import (default: the temporary directory).
    #[arg(long, value_name = "DIR")]
    spool_dir: Option<PathBuf>,
    /// MiB of amaGama answers kept for repeated queries (0: no cache). Every
    /// write empties it.
    #[arg(long, value_name = "MIB", default_value_t = ServerOptions::DEFAULT_CACHE_BYTES >> 20)]
    cache_mb: usize,
    /// MiB for each of the memory's lookup caches (store pages, decoded
    /// posting lists, segment records). A memory of millions of units needs
    /// its frequent words' lists in memory: at 10M units 2048 gives lookups
    /// of 10 ms at p50 where 256 gives 286 ms.
    #[arg(long, value_name = "MIB", default_value_t = 256)]
    tm_cache_mb: usize,
    /// Units per committed transaction of an upload.
    #[arg(long, value_name = "N", default_value_t = ServerOptions::DEFAULT_IMPORT_BATCH)]
    import_batch: usize,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
}

pub(crate) fn run(a: ServeArgs, console: &Console) -> Result<ExitCode> {
    console.role(&a.tm, Role::NewMemory);
    console.role_opt(a.glossary.as_deref(), Role::Glossary);
    let tokens = match &a.token_file {
        Some(f) => Tokens::from_file(f)?,
        None => Tokens::none(),
    };
    let tm = Arc::new(TranslationMemory::open_with_cache(
        &a.tm,
        a.tm_cache_mb.saturating_mul(1 << 20),
    )?);
    let glossary = match &a.glossary {
        Some(g) => {
            let g = Glossary::open(g)?;
            // Check the whole file once, so that no answer comes from damaged bytes.
            g.verify()?;
            Some(Arc::new(g))
        }
        None => None,
    };
    let options = ServerOptions {
        auth_reads: a.auth_reads,
        max_body: a.max_body,
        max_upload: a.max_upload,
        max_uri: a.max_uri,
        request_timeout: Duration::from_millis(a.request_timeout.max(1)),
        spool_dir: a.spool_dir.clone(),
        import_batch: a.import_batch.max(1),
        cache_bytes: a.cache_mb.saturating_mul(1 << 20),
        ..ServerOptions::default()
    };
    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    runtime.enable_all();
    if let Some(n) = a.threads {
        runtime.worker_threads(n.max(1));
    }
    let runtime = runtime.build().map_err(|e| Error::io("<runtime>", e))?;
    let server = Server::new(tm, glossary, tokens, options);
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(a.listen)
            .await
            .map_err(|e| Error::io(a.listen.to_string(), e))?;
        let bound = listener
            .local_addr()
            .map_err(|e| Error::io(a.listen.to_string(), e))?;
        if !bound.ip().is_loopback() && a.token_file.is_none() {
            console.warn(format_args!(
                "listening on {bound}, not loopback, with no --token-file"
            ));
        }
        if console.json {
            // For scripts that let the system pick the port (--listen 127.0.0.1:0).
            let mut out = std::io::stdout().lock();
            super::io::json_line(
                &mut out,
                &serde_json::json!({ "listening": format!("http://{bound}") }),
            )?;
            std::io::Write::flush(&mut out)?;
        }
        if !console.quiet {
            eprintln!("korpu: listening on http://{bound}");
        }
        server.serve(listener, shutdown_signal(console.quiet)).await
    })?;
    if !console.quiet {
        eprintln!("korpu: stopped");
    }
    Ok(ExitCode::SUCCESS)
}

/// Completes on SIGTERM or Ctrl-C (SIGINT).
async fn shutdown_signal(quiet: bool) {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    if !quiet {
        eprintln!("korpu: shutting down: finishing the requests in flight");
    }
}
