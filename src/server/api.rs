//! korpu's own JSON API under `/v1/` (see `openapi.json` beside this file).

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};

use super::blocking::blocking;
use super::error::ApiError;
use super::extract::{JsonBody, QueryArgs};
use super::routes::{Access, Routes};
use super::state::AppState;
use super::transfer;
use crate::glossary::Glossary;
use crate::lang::Lang;
use crate::model::{Note, Prop, TranslationUnit, Variant};
use crate::present::{ConcordanceRecord, LookupRecord, ScanHitRecord, TermHitRecord, defaults};
use crate::tm::{LookupOptions, Stats};

/// The OpenAPI 3 description of every route, as served at `/v1/openapi.json`.
pub const OPENAPI: &str = include_str!("openapi.json");

pub(super) fn routes(mut r: Routes) -> Routes {
    use Access::{Read, Write};
    r = r.add(Method::POST, "/v1/segment", Read, post(segment));
    r = r.add(Method::GET, "/v1/glossary/lookup", Read, get(glossary_lookup));
    r = r.add(Method::POST, "/v1/glossary/scan", Read, post(glossary_scan));
    r = r.add(Method::GET, "/v1/tm/lookup", Read, get(tm_lookup));
    r = r.add(Method::GET, "/v1/tm/concordance", Read, get(tm_concordance));
    r = r.add(Method::GET, "/v1/tm/stats", Read, get(tm_stats));
    r = r.add(Method::POST, "/v1/tm/units", Write, post(add_unit));
    r = r.add(Method::POST, "/v1/tm/import", Write, post(transfer::import));
    r.add(Method::GET, "/v1/tm/export", Write, get(transfer::export))
}

fn lang(name: &str, tag: &str) -> Result<Lang, ApiError> {
    Lang::parse(tag).map_err(|e| ApiError::bad_request(format!("{name}: {e}")))
}

/// What a glossary lookup and a scan start from: the glossary, the
/// language of the query (`lang`) and of the translations wanted (`to`).
fn glossary_query(
    state: &AppState,
    lang_tag: &str,
    to: Option<&str>,
) -> Result<(Arc<Glossary>, Lang, Option<Lang>), ApiError> {
    let g = state
        .glossary
        .clone()
        .ok_or_else(|| ApiError::not_found("no glossary is loaded (korpu serve -g GLOSSARY)"))?;
    let l = lang("lang", lang_tag)?;
    let to = to.map(|t| lang("to", t)).transpose()?;
    Ok((g, l, to))
}

#[derive(Serialize)]
pub(super) struct Health {
    status: &'static str,
    units: u64,
}

pub(super) async fn health(State(state): State<Arc<AppState>>) -> Result<Json<Health>, ApiError> {
    let units = blocking(move || Ok(state.tm.stats()?.units)).await?;
    Ok(Json(Health { status: "ok", units }))
}

pub(super) async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        OPENAPI,
    )
        .into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SegmentRequest {
    lang: String,
    text: String,
}

#[derive(Serialize)]
struct SegmentOut {
    text: String,
    start: usize,
    end: usize,
}

async fn segment(
    State(state): State<Arc<AppState>>,
    JsonBody(req): JsonBody<SegmentRequest>,
) -> Result<Json<Vec<SegmentOut>>, ApiError> {
    let l = lang("lang", &req.lang)?;
    blocking(move || {
        let segmenter = state.segmenter(&l);
        let mut segments = segmenter.segments(&req.text);
        let mut out = Vec::new();
        while let Some((span, text)) = segments.next_with_span() {
            out.push(SegmentOut {
                text: text.to_string(),
                start: span.start,
                end: span.end,
            });
        }
        Ok(Json(out))
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GlossaryLookupQuery {
    lang: String,
    term: String,
    to: Option<String>,
    #[serde(default)]
    prefix: bool,
    fuzzy: Option<u32>,
    limit: Option<usize>,
}

async fn glossary_lookup(
    State(state): State<Arc<AppState>>,
    QueryArgs(q): QueryArgs<GlossaryLookupQuery>,
) -> Result<Json<Vec<TermHitRecord>>, ApiError> {
    let (g, l, to) = glossary_query(&state, &q.lang, q.to.as_deref())?;
    if q.prefix && q.fuzzy.is_some() {
        return Err(ApiError::bad_request("prefix and fuzzy exclude each other"));
    }
    let limit = q
        .limit
        .unwrap_or(defaults::HTTP_GLOSSARY_LIMIT)
        .min(defaults::HTTP_MAX_HITS);
    blocking(move || {
        let mut hits = if q.prefix {
            g.prefix(&q.term, &l, limit)?
        } else if let Some(d) = q.fuzzy {
            g.fuzzy(&q.term, &l, d)?
        } else {
            g.lookup(&q.term, &l)?
        };
        hits.truncate(limit);
        Ok(Json(
            hits.iter()
                .map(|h| TermHitRecord::new(h, to.as_ref()))
                .collect::<crate::Result<Vec<_>>>()?,
        ))
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScanRequest {
    lang: String,
    to: Option<String>,
    text: String,
}

async fn glossary_scan(
    State(state): State<Arc<AppState>>,
    JsonBody(req): JsonBody<ScanRequest>,
) -> Result<Json<Vec<ScanHitRecord>>, ApiError> {
    let (g, l, to) = glossary_query(&state, &req.lang, req.to.as_deref())?;
    blocking(move || {
        let hits = g.scan(&req.text, &l)?;
        Ok(Json(
            hits.iter()
                .map(|h| ScanHitRecord::new(h, &req.text, 0, to.as_ref()))
                .collect(),
        ))
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TmLookupQuery {
    from: String,
    to: String,
    q: String,
    min_score: Option<u8>,
    limit: Option<usize>,
    prev: Option<String>,
    next: Option<String>,
}

async fn tm_lookup(
    State(state): State<Arc<AppState>>,
    QueryArgs(q): QueryArgs<TmLookupQuery>,
) -> Result<Json<LookupRecord>, ApiError> {
    let (from, to) = (lang("from", &q.from)?, lang("to", &q.to)?);
    let min_score = q.min_score.unwrap_or(LookupOptions::DEFAULT_MIN_SCORE);
    if min_score > 100 {
        return Err(ApiError::bad_request("min_score must be at most 100"));
    }
    let options = LookupOptions {
        min_score,
        limit: q
            .limit
            .unwrap_or(LookupOptions::DEFAULT_LIMIT)
            .min(defaults::HTTP_MAX_MATCHES),
        prev: q.prev,
        next: q.next,
    };
    let query = q.q;
    blocking(move || {
        let matches = state.tm.lookup(&query, &from, &to, &options)?;
        Ok(Json(LookupRecord::new(query, &matches)))
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConcordanceQuery {
    lang: String,
    q: String,
    limit: Option<usize>,
}

async fn tm_concordance(
    State(state): State<Arc<AppState>>,
    QueryArgs(q): QueryArgs<ConcordanceQuery>,
) -> Result<Json<Vec<ConcordanceRecord>>, ApiError> {
    let l = lang("lang", &q.lang)?;
    let limit = q
        .limit
        .unwrap_or(defaults::CONCORDANCE_LIMIT)
        .min(defaults::HTTP_MAX_HITS);
    blocking(move || {
        let hits = state.tm.concordance(&q.q, &l, limit)?;
        Ok(Json(hits.iter().map(ConcordanceRecord::from).collect()))
    })
    .await
}

async fn tm_stats(State(state): State<Arc<AppState>>) -> Result<Json<Stats>, ApiError> {
    blocking(move || Ok(Json(state.tm.stats()?))).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewVariant {
    lang: String,
    text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewProp {
    #[serde(rename = "type")]
    prop_type: String,
    value: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewUnit {
    tuid: Option<String>,
    variants: Vec<NewVariant>,
    #[serde(default)]
    props: Vec<NewProp>,
    #[serde(default)]
    notes: Vec<String>,
}

#[derive(Serialize)]
struct Added {
    unit_id: u64,
    units: u64,
}

async fn add_unit(
    State(state): State<Arc<AppState>>,
    JsonBody(req): JsonBody<NewUnit>,
) -> Result<(StatusCode, Json<Added>), ApiError> {
    if req.variants.len() < 2 {
        return Err(ApiError::bad_request("a unit needs at least two variants"));
    }
    let mut variants = Vec::with_capacity(req.variants.len());
    for (i, v) in req.variants.into_iter().enumerate() {
        if v.text.trim().is_empty() {
            return Err(ApiError::bad_request(format!("variants[{i}]: empty text")));
        }
        variants.push(Variant::new(
            lang(&format!("variants[{i}].lang"), &v.lang)?,
            v.text,
        ));
    }
    let unit = TranslationUnit {
        tuid: req.tuid,
        variants,
        props: req
            .props
            .into_iter()
            .map(|p| Prop {
                prop_type: p.prop_type,
                value: p.value,
                ..Prop::default()
            })
            .collect(),
        notes: req
            .notes
            .into_iter()
            .map(|text| Note {
                text,
                ..Note::default()
            })
            .collect(),
        ..TranslationUnit::default()
    };
    blocking(move || {
        let _write = state.writes.lock().unwrap_or_else(|p| p.into_inner());
        let before = state.tm.stats()?.units;
        let added = state.tm.add(unit);
        state.cache.invalidate();
        let unit_id = added?;
        let units = state.tm.stats()?.units;
        state.refresh_languages()?;
        let status = if units > before {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        };
        Ok((status, Json(Added { unit_id, units })))
    })
    .await
}
