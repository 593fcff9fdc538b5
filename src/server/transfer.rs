//! TMX upload (streamed to a spool file, validated, imported) and TMX export
//! (streamed from a snapshot).

use std::io::{BufReader, Seek, Write};
use std::sync::Arc;

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use serde::Deserialize;
use tokio::io::AsyncWriteExt;

use super::blocking::blocking;
use super::error::ApiError;
use super::extract::QueryArgs;
use super::state::AppState;
use crate::error::Error;
use crate::formats::tmx::{ReadOptions, TmxReader, WarningKind};
use crate::lang::Lang;
use crate::present::export_tmx;
use crate::tm::{ImportOptions, ImportSummary};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ImportQuery {
    #[serde(default)]
    lenient: bool,
}

/// Names the upload in messages instead of the spool file.
fn upload_error(e: Error) -> ApiError {
    let status = match e {
        Error::Io { .. } | Error::Store { .. } | Error::Corrupt { .. } | Error::OtherVersion { .. } => {
            StatusCode::INTERNAL_SERVER_ERROR
        }
        _ => StatusCode::BAD_REQUEST,
    };
    if status == StatusCode::INTERNAL_SERVER_ERROR {
        eprintln!("korpu: error: upload: {e}");
    }
    ApiError::new(status, format!("<upload>: {e}"))
}

/// `POST /v1/tm/import`: the body is a TMX document.
///
/// The body is written to a spool file as it arrives (memory stays bounded
/// whatever its size), counting bytes against `max_upload`. Then, on the
/// blocking pool: unless `lenient`, a first pass reads the whole file and
/// refuses it (400, nothing written) at the first error; a second pass
/// streams the units into the store in batches.
pub(super) async fn import(
    State(state): State<Arc<AppState>>,
    QueryArgs(q): QueryArgs<ImportQuery>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<ImportSummary>, ApiError> {
    let max = state.options.max_upload;
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the upload is larger than {max} bytes (korpu serve --max-upload)"),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max) {
        return Err(too_large());
    }
    let dir = state.options.spool_dir.clone().unwrap_or_else(std::env::temp_dir);
    let spool = tempfile::Builder::new()
        .prefix("korpu-upload-")
        .suffix(".tmx")
        .tempfile_in(&dir)
        .map_err(|e| ApiError::from(Error::io(&dir, e)))?;
    let file = spool
        .reopen()
        .map_err(|e| ApiError::from(Error::io(spool.path(), e)))?;
    let mut out = tokio::io::BufWriter::with_capacity(1 << 16, tokio::fs::File::from_std(file));
    let receive = async {
        let mut stream = body.into_data_stream();
        let mut total = 0u64;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| ApiError::bad_request(format!("reading the upload: {e}")))?;
            total += chunk.len() as u64;
            if total > max {
                return Err(too_large());
            }
            out.write_all(&chunk)
                .await
                .map_err(|e| ApiError::from(Error::io(spool.path(), e)))?;
        }
        out.flush()
            .await
            .map_err(|e| ApiError::from(Error::io(spool.path(), e)))?;
        Ok(total)
    };
    let limit = state.options.upload_timeout;
    let total = tokio::time::timeout(limit, receive).await.map_err(|_| {
        ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            format!("the upload took longer than {} s to arrive", limit.as_secs()),
        )
    })??;
    if total == 0 {
        return Err(ApiError::bad_request(
            "the upload is empty: send a TMX document as the body",
        ));
    }
    let lenient = q.lenient;
    blocking(move || {
        let mut file = spool
            .reopen()
            .map_err(|e| upload_error(Error::io(spool.path(), e)))?;
        if !lenient {
            // Pass 1: validate everything before touching the store.
            let reader = TmxReader::with_options(BufReader::new(&mut file), ReadOptions::lenient(false))
                .map_err(upload_error)?;
            for unit in reader {
                unit.map_err(upload_error)?;
            }
            file.rewind()
                .map_err(|e| upload_error(Error::io(spool.path(), e)))?;
        }
        let mut reader = TmxReader::with_options(BufReader::new(file), ReadOptions::lenient(lenient))
            .map_err(upload_error)?;
        let mut errors = 0u64;
        let units = std::iter::from_fn(|| {
            let next = reader.next();
            for w in reader.drain_warnings() {
                if w.kind == WarningKind::SkippedUnit {
                    errors += 1;
                }
            }
            next
        });
        let options = ImportOptions {
            batch_size: state.options.import_batch.max(1),
        };
        let _write = state.writes.lock().unwrap_or_else(|p| p.into_inner());
        let result = state.tm.import(units, &options, |_| state.cache.invalidate());
        state.cache.invalidate();
        // Batches committed before a failure stay: the languages may have grown.
        state.refresh_languages().map_err(upload_error)?;
        let mut summary = result.map_err(upload_error)?;
        summary.errors += errors;
        drop(spool); // removes the spool file
        Ok(Json(summary))
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ExportQuery {
    langs: Option<String>,
    srclang: Option<String>,
}

/// A `Write` that hands 64 KiB chunks to the response body through a bounded
/// channel: the export runs at the pace the client reads, in bounded memory.
struct ChannelWriter {
    buf: Vec<u8>,
    tx: tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>,
}

const CHUNK: usize = 64 << 10;

impl ChannelWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client went away"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

/// `GET /v1/tm/export`: the memory as TMX 1.4b, streamed from one snapshot.
/// An error after the first bytes cuts the response short (the client sees
/// an incomplete chunked body, never a well-formed partial file).
pub(super) async fn export(
    State(state): State<Arc<AppState>>,
    QueryArgs(q): QueryArgs<ExportQuery>,
) -> Result<Response, ApiError> {
    let mut langs = Vec::new();
    for tag in q
        .langs
        .as_deref()
        .unwrap_or("")
        .split(',')
        .filter(|t| !t.trim().is_empty())
    {
        langs.push(Lang::parse(tag).map_err(|e| ApiError::bad_request(format!("langs: {e}")))?);
    }
    let srclang = q
        .srclang
        .as_deref()
        .map(|t| Lang::parse(t).map_err(|e| ApiError::bad_request(format!("srclang: {e}"))))
        .transpose()?;
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    tokio::task::spawn_blocking(move || {
        let mut w = ChannelWriter {
            buf: Vec::with_capacity(CHUNK),
            tx: tx.clone(),
        };
        let result = (|| {
            export_tmx(&mut w, &state.tm, &langs, srclang.as_ref(), |_| {})?;
            w.flush().map_err(|e| Error::io("<response>", e))
        })();
        if let Err(e) = result {
            eprintln!("korpu: error: export: {e}");
            let _ = tx.blocking_send(Err(std::io::Error::other(e.to_string())));
        }
    });
    let stream = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx));
    let mut response = Body::from_stream(stream).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-tmx+xml"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"korpu.tmx\""),
    );
    Ok(response)
}
