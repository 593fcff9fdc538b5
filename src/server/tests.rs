//! The router against its OpenAPI document: the same routes, methods and
//! access. (`tests/server.rs` calls each documented route over HTTP.)

use std::collections::BTreeSet;
use std::sync::Arc;

use super::*;

fn spec() -> serde_json::Value {
    serde_json::from_str(OPENAPI).expect("openapi.json is JSON")
}

fn table() -> Vec<(Method, String, Access)> {
    let dir = tempfile::tempdir().expect("tempdir");
    let tm = Arc::new(TranslationMemory::open(dir.path().join("tm.korpu")).expect("open"));
    let server = Server::new(tm, None, Tokens::none(), ServerOptions::default());
    router(server.state).table
}

/// `{*text}` (axum's catch-all) is `{text}` in OpenAPI.
fn openapi_path(path: &str) -> String {
    path.replace("{*", "{")
}

#[test]
fn every_route_is_documented_and_every_documented_route_exists() {
    let spec = spec();
    let mut documented = BTreeSet::new();
    for (path, ops) in spec["paths"].as_object().expect("paths") {
        for method in ops.as_object().expect("operations").keys() {
            documented.insert((method.to_ascii_uppercase(), path.clone()));
        }
    }
    let routed: BTreeSet<(String, String)> = table()
        .into_iter()
        .map(|(m, p, _)| (m.as_str().to_string(), openapi_path(&p)))
        .collect();
    assert_eq!(routed, documented);
    assert!(routed.len() >= 17, "{routed:?}");
}

#[test]
fn documented_security_matches_access() {
    let spec = spec();
    for (method, path, access) in table() {
        let op = &spec["paths"][openapi_path(&path)][method.as_str().to_ascii_lowercase()];
        let security = op["security"]
            .as_array()
            .expect("every operation states its security");
        let anonymous = security
            .iter()
            .any(|s| s.as_object().is_some_and(|o| o.is_empty()));
        let bearer = security.iter().any(|s| s.get("bearerAuth").is_some());
        let expected = match access {
            Access::Open => (false, false), // `security: []`
            Access::Read => (true, true),
            Access::Write => (false, true),
        };
        assert_eq!((anonymous, bearer), expected, "{method} {path}");
        let responses = op["responses"].as_object().expect("responses");
        if access != Access::Open {
            assert!(responses.contains_key("401"), "{method} {path} documents 401");
        }
    }
}

#[test]
fn every_schema_reference_resolves() {
    let spec = spec();
    fn walk(v: &serde_json::Value, spec: &serde_json::Value) {
        match v {
            serde_json::Value::Object(o) => {
                if let Some(r) = o.get("$ref").and_then(|r| r.as_str()) {
                    let name = r.strip_prefix("#/components/schemas/").expect("local ref");
                    assert!(spec["components"]["schemas"].get(name).is_some(), "{r}");
                }
                o.values().for_each(|v| walk(v, spec));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, spec)),
            _ => {}
        }
    }
    walk(&spec, &spec);
}

#[test]
fn tokens_compare_whole() {
    let t = Tokens::from_lines("alpha\n\n  beta  \n").expect("tokens");
    assert!(t.accepts(b"alpha"));
    assert!(t.accepts(b"beta"));
    for bad in [&b""[..], b"alph", b"alphaa", b"Alpha", b"beta ", b"gamma"] {
        assert!(!t.accepts(bad), "{bad:?}");
    }
    assert!(Tokens::from_lines(" \n\n").is_err());
    assert!(Tokens::from_lines("a b").is_err());
    assert!(!Tokens::none().accepts(b""));
    assert_eq!(format!("{t:?}"), "Tokens(2 configured)");
}

/// The defaults `openapi.json` states are the ones the code uses.
#[test]
fn documented_defaults_are_the_constants() {
    use crate::present::defaults::*;
    use crate::tm::LookupOptions;
    let spec = spec();
    let described = |path: &str, name: &str| -> String {
        let params = spec["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap_or_else(|| panic!("{path}: parameters"));
        let param = params
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{path}: no {name}"));
        param["description"].as_str().unwrap_or_default().to_string()
    };
    let expect = [
        (
            "/v1/tm/lookup",
            "min_score",
            format!("default {}", LookupOptions::DEFAULT_MIN_SCORE),
        ),
        (
            "/v1/tm/lookup",
            "limit",
            format!(
                "default {}, at most {HTTP_MAX_MATCHES}",
                LookupOptions::DEFAULT_LIMIT
            ),
        ),
        (
            "/v1/tm/concordance",
            "limit",
            format!("default {CONCORDANCE_LIMIT}"),
        ),
        (
            "/v1/glossary/lookup",
            "limit",
            format!("default {HTTP_GLOSSARY_LIMIT}"),
        ),
        (
            "/tmserver/{slang}/{tlang}/unit/",
            "min_similarity",
            format!(
                "default {AMAGAMA_MIN_SIMILARITY}; values below {AMAGAMA_MIN_SIMILARITY_FLOOR} count as {AMAGAMA_MIN_SIMILARITY_FLOOR}"
            ),
        ),
        (
            "/tmserver/{slang}/{tlang}/unit/",
            "max_candidates",
            format!("default {AMAGAMA_MAX_CANDIDATES}, at most {HTTP_MAX_MATCHES}"),
        ),
    ];
    for (path, name, text) in expect {
        let d = described(path, name);
        assert!(d.contains(&text), "{path} {name}: {d:?} should say {text:?}");
    }
}
