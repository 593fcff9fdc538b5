//! The amaGama-compatible read API (see the [module docs](super)).

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderValue, Method, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};

use super::blocking::blocking;
use super::cache::AnswerKey;
use super::error::ApiError;
use super::extract::{PathArgs, QueryArgs};
use super::routes::{Access, Routes};
use super::state::AppState;
use crate::lang::Lang;
use crate::present::defaults::{
    AMAGAMA_MAX_CANDIDATES, AMAGAMA_MIN_SIMILARITY, AMAGAMA_MIN_SIMILARITY_FLOOR, HTTP_MAX_MATCHES,
};
use crate::present::{display_text, variant_text};
use crate::tm::LookupOptions;

pub(super) fn routes(mut r: Routes, prefix: &str) -> Routes {
    r = r.add(
        Method::GET,
        &format!("{prefix}/{{slang}}/{{tlang}}/unit/{{*text}}"),
        Access::Read,
        get(unit_in_path),
    );
    r = r.add(
        Method::GET,
        &format!("{prefix}/{{slang}}/{{tlang}}/unit/"),
        Access::Read,
        get(unit_in_query),
    );
    r.add(
        Method::GET,
        &format!("{prefix}/languages/"),
        Access::Read,
        get(languages),
    )
}

#[derive(Deserialize)]
pub(super) struct UnitQuery {
    source: Option<String>,
    min_similarity: Option<String>,
    max_candidates: Option<String>,
    jsoncallback: Option<String>,
}

/// One suggestion, keys in amaGama's (sorted) order.
#[derive(Serialize)]
struct Suggestion {
    quality: f64,
    rank: u32,
    source: String,
    target: String,
}

async fn unit_in_path(
    State(state): State<Arc<AppState>>,
    PathArgs((slang, tlang, text)): PathArgs<(String, String, String)>,
    QueryArgs(q): QueryArgs<UnitQuery>,
) -> Result<Response, ApiError> {
    translate_unit(state, slang, tlang, text, q).await
}

async fn unit_in_query(
    State(state): State<Arc<AppState>>,
    PathArgs((slang, tlang)): PathArgs<(String, String)>,
    QueryArgs(q): QueryArgs<UnitQuery>,
) -> Result<Response, ApiError> {
    // amaGama answers 404 when `source` is missing or empty.
    let text =
        q.source.clone().filter(|s| !s.is_empty()).ok_or_else(|| {
            ApiError::not_found("no text to look up: give it in the path or as ?source=TEXT")
        })?;
    translate_unit(state, slang, tlang, text, q).await
}

/// A language code of the path: `en`, `en_GB`, `pt-BR`. A code that is not
/// a language is unknown, hence 404 (as amaGama answers).
fn path_lang(code: &str) -> Result<Lang, ApiError> {
    Lang::parse(code).map_err(|_| ApiError::not_found(format!("unknown language {code:?}")))
}

fn int_param<T: std::str::FromStr>(name: &str, value: Option<&str>, default: T) -> Result<T, ApiError> {
    match value {
        None | Some("") => Ok(default),
        Some(v) => v
            .trim()
            .parse()
            .map_err(|_| ApiError::bad_request(format!("{name} must be a non-negative integer, not {v:?}"))),
    }
}

/// A JSONP callback name: a JavaScript identifier path, nothing that could
/// inject script.
fn callback_name(name: &str) -> Result<&str, ApiError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && !name.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | '.'));
    if ok {
        Ok(name)
    } else {
        Err(ApiError::bad_request(
            "jsoncallback must be a JavaScript identifier",
        ))
    }
}

async fn translate_unit(
    state: Arc<AppState>,
    slang: String,
    tlang: String,
    text: String,
    q: UnitQuery,
) -> Result<Response, ApiError> {
    let min_similarity: u8 = int_param(
        "min_similarity",
        q.min_similarity.as_deref(),
        AMAGAMA_MIN_SIMILARITY,
    )?;
    if min_similarity > 100 {
        return Err(ApiError::bad_request("min_similarity must be at most 100"));
    }
    let max_candidates: usize = int_param(
        "max_candidates",
        q.max_candidates.as_deref(),
        AMAGAMA_MAX_CANDIDATES,
    )?;
    let callback = q.jsoncallback.as_deref().map(callback_name).transpose()?;
    let (from, to) = (path_lang(&slang)?, path_lang(&tlang)?);
    if from == to {
        return Err(ApiError::not_found(format!(
            "source and target language are the same ({from})"
        )));
    }
    let langs = state.languages();
    if !langs.iter().any(|l| l.matches(&from)) {
        return Err(ApiError::not_found(format!("unknown source language {from}")));
    }
    if !langs.iter().any(|l| l.matches(&to)) || max_candidates == 0 {
        return wrap("[]".to_string(), callback);
    }
    let options = LookupOptions {
        min_score: min_similarity.max(AMAGAMA_MIN_SIMILARITY_FLOOR),
        limit: max_candidates.min(HTTP_MAX_MATCHES),
        ..LookupOptions::default()
    };
    let key = AnswerKey {
        from: from.as_str().to_string(),
        to: to.as_str().to_string(),
        min_score: options.min_score,
        limit: options.limit,
        text,
    };
    let epoch = match state.cache.get(&key) {
        Ok(json) => return wrap(json, callback),
        Err(epoch) => epoch,
    };
    let json = blocking(move || {
        let matches = state.tm.lookup(&key.text, &from, &to, &options)?;
        let list: Vec<Suggestion> = matches
            .into_iter()
            .enumerate()
            .map(|(i, m)| Suggestion {
                quality: f64::from(m.score.min(100)),
                rank: i as u32 + 1,
                source: variant_text(&m.source),
                target: display_text(&m.adapted_target),
            })
            .collect();
        let json = serde_json::to_string(&list).map_err(|e| ApiError::bad_request(e.to_string()))?;
        state.cache.put(key, json.clone(), epoch);
        Ok(json)
    })
    .await?;
    wrap(json, callback)
}

/// A JSON body, or with `callback` its JSONP form.
fn wrap(json: String, callback: Option<&str>) -> Result<Response, ApiError> {
    let (body, mime) = match callback {
        Some(c) => (format!("{c}({json})"), "application/javascript"),
        None => (json, "application/json"),
    };
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static(mime))], body).into_response())
}

#[derive(Deserialize)]
pub(super) struct LanguagesQuery {
    jsoncallback: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Languages {
    source_languages: Vec<String>,
    target_languages: Vec<String>,
}

/// The memory's languages in amaGama's spelling (lowercase, `_`): each tag,
/// and its primary subtag alone (a query for `az` finds `az-Latn` text), so
/// that clients that check a pair against this list (Weblate lowercases and
/// joins with `_`) find it.
async fn languages(
    State(state): State<Arc<AppState>>,
    QueryArgs(q): QueryArgs<LanguagesQuery>,
) -> Result<Response, ApiError> {
    let callback = q.jsoncallback.as_deref().map(callback_name).transpose()?;
    let mut codes: Vec<String> = Vec::new();
    for l in state.languages().iter() {
        codes.push(l.primary().to_string());
        codes.push(l.as_str().replace('-', "_").to_ascii_lowercase());
    }
    codes.sort();
    codes.dedup();
    let body = Languages {
        source_languages: codes.clone(),
        target_languages: codes,
    };
    let json = serde_json::to_string(&body).map_err(|e| ApiError::bad_request(e.to_string()))?;
    wrap(json, callback)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonp_names_are_identifiers() {
        assert!(callback_name("cb").is_ok());
        assert!(callback_name("jQuery1_2.cb$").is_ok());
        for bad in ["", "1a", "alert(1)", "a;b", "a b", ".a", &"x".repeat(65)] {
            assert!(callback_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn integer_parameters() {
        assert_eq!(int_param::<u8>("m", None, 75).ok(), Some(75));
        assert_eq!(int_param::<u8>("m", Some(""), 75).ok(), Some(75));
        assert_eq!(int_param::<u8>("m", Some("40"), 75).ok(), Some(40));
        assert!(int_param::<u8>("m", Some("-1"), 75).is_err());
        assert!(int_param::<u8>("m", Some("abc"), 75).is_err());
        assert!(int_param::<u8>("m", Some("300"), 75).is_err());
    }
}
