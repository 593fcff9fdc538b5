//! End-to-end tests of `korpu serve`: the real binary on 127.0.0.1 with an
//! ephemeral port, called over HTTP with a small raw HTTP/1.1 client.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{KORPU, korpu};

const TOKEN: &str = "test-token-Şuşa-42";

// ---------------------------------------------------------------- client

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> &str {
        std::str::from_utf8(&self.body).expect("UTF-8 body")
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every error is `{"error": "..."}` and nothing else.
    fn assert_error(&self, status: u16) {
        assert_eq!(self.status, status, "{}", self.text());
        let v = self.json();
        let o = v.as_object().expect("error object");
        assert_eq!(o.len(), 1, "{v}");
        assert!(!o["error"].as_str().expect("message").is_empty());
    }
}

fn request(addr: SocketAddr, method: &str, target: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(120)))
        .expect("timeout");
    let mut head = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).expect("send head");
    // A server may refuse before reading the whole body (401, 413): ignore a reset.
    let _ = s.write_all(body);
    let mut raw = Vec::new();
    let _ = BufReader::new(s).read_to_end(&mut raw);
    parse_reply(&raw)
}

fn parse_reply(raw: &[u8]) -> Reply {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no HTTP head in {:?}", String::from_utf8_lossy(raw)));
    let head = std::str::from_utf8(&raw[..end]).expect("head");
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .expect("status line")
        .split(' ')
        .nth(1)
        .expect("code")
        .parse()
        .expect("code");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Reply {
        status,
        headers,
        body,
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let nl = b.windows(2).position(|w| w == b"\r\n").expect("chunk size line");
        let size =
            usize::from_str_radix(std::str::from_utf8(&b[..nl]).expect("size").trim(), 16).expect("hex");
        b = &b[nl + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&b[..size]);
        b = &b[size + 2..];
    }
}

fn get(addr: SocketAddr, target: &str) -> Reply {
    request(addr, "GET", target, &[], b"")
}

fn authed(addr: SocketAddr, method: &str, target: &str, ctype: &str, body: &[u8]) -> Reply {
    let bearer = format!("Bearer {TOKEN}");
    request(
        addr,
        method,
        target,
        &[("Authorization", &bearer), ("Content-Type", ctype)],
        body,
    )
}

fn post_json(addr: SocketAddr, target: &str, body: &str) -> Reply {
    request(
        addr,
        "POST",
        target,
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    )
}

/// Percent-encodes everything but unreserved characters.
fn esc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

// ---------------------------------------------------------------- server

struct Serve {
    child: Child,
    addr: SocketAddr,
    stderr: mpsc::Receiver<String>,
}

impl Serve {
    fn start(dir: &Path, extra: &[&str]) -> Serve {
        let mut cmd = Command::new(KORPU);
        cmd.arg("serve")
            .arg("--tm")
            .arg(dir.join("tm.korpu"))
            .arg("-g")
            .arg(dir.join("places.kgl"))
            .args(["--listen", "127.0.0.1:0", "--token-file"])
            .arg(dir.join("token"))
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawn korpu serve");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the server prints its address");
        let addr: SocketAddr = line
            .strip_prefix("korpu: listening on http://")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .parse()
            .expect("address");
        assert!(addr.ip().is_loopback());
        Serve {
            child,
            addr,
            stderr: rx,
        }
    }

    /// SIGTERM, then the exit status (within `wait`) and what it printed.
    fn terminate(mut self, wait: Duration) -> (std::process::ExitStatus, Vec<String>) {
        let pid = self.child.id().to_string();
        let ok = Command::new("kill").args(["-TERM", &pid]).status().expect("kill");
        assert!(ok.success());
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                let lines = self.stderr.iter().collect();
                return (status, lines);
            }
            assert!(start.elapsed() < wait, "the server did not stop");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs korpu with `args`, which must succeed.
fn korpu_ok(args: &[&str]) {
    let out = korpu(args);
    assert!(
        out.status.success(),
        "korpu {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn tmx(units: &[(&str, &[(&str, &str)])]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\"><header srclang=\"en\" \
         datatype=\"plaintext\" segtype=\"sentence\" adminlang=\"en\" o-tmf=\"t\" creationtool=\"t\" \
         creationtoolversion=\"1\"/><body>\n",
    );
    for (tuid, variants) in units {
        s.push_str(&format!("<tu tuid=\"{tuid}\">"));
        for (lang, text) in *variants {
            s.push_str(&format!("<tuv xml:lang=\"{lang}\"><seg>{text}</seg></tuv>"));
        }
        s.push_str("</tu>\n");
    }
    s.push_str("</body></tmx>\n");
    s
}

/// A TMX of `n` generated en/tr units, distinct sentences.
fn big_tmx(n: usize, tag: &str) -> String {
    let nouns = [
        "report", "meeting", "bridge", "school", "river", "city", "road", "museum",
    ];
    let verbs = ["opens", "closes", "starts", "ends", "changes", "grows"];
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\"><header srclang=\"en\" \
         datatype=\"plaintext\" segtype=\"sentence\" adminlang=\"en\" o-tmf=\"t\" creationtool=\"t\" \
         creationtoolversion=\"1\"/><body>\n",
    );
    for i in 0..n {
        let (a, b) = (nouns[i % nouns.len()], verbs[(i / nouns.len()) % verbs.len()]);
        s.push_str(&format!(
            "<tu><tuv xml:lang=\"en\"><seg>The {a} {b} on day {i} of batch {tag}.</seg></tuv>\
             <tuv xml:lang=\"tr\"><seg>{tag} partisinin {i}. gününde {a} {b}.</seg></tuv></tu>\n"
        ));
    }
    s.push_str("</body></tmx>\n");
    s
}

/// A directory with a TM, a glossary and a token file.
fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = |n: &str| dir.path().join(n);
    let units = tmx(&[
        (
            "meeting",
            &[
                ("en", "The meeting starts at 10 o'clock."),
                ("az-Latn", "Görüş saat 10-da başlayır."),
                ("tr", "Toplantı saat 10'da başlıyor."),
            ],
        ),
        ("computer", &[("en", "Computer"), ("tr", "Bilgisayar")]),
        ("computer-my", &[("en", "My Computer"), ("tr", "Bilgisayarım")]),
        (
            "shusha",
            &[
                ("en", "A meeting was held in Shusha."),
                ("tr", "Şuşa'da toplantı yapıldı."),
            ],
        ),
        (
            "slash",
            &[("en", "Save/Load the file"), ("tr", "Dosyayı kaydet/yükle")],
        ),
    ]);
    std::fs::write(p("seed.tmx"), units).expect("write tmx");
    korpu_ok(&[
        "tm",
        "import",
        "--tm",
        &p("tm.korpu").to_string_lossy(),
        &p("seed.tmx").to_string_lossy(),
    ]);
    std::fs::write(
        p("places.tsv"),
        "id\ten\ttr\taz\nshusha\tShusha\tŞuşa\tŞuşa\nkarabakh\tKarabakh\tKarabağ\tQarabağ\n",
    )
    .expect("write tsv");
    korpu_ok(&[
        "glossary",
        "build",
        "-o",
        &p("places.kgl").to_string_lossy(),
        &p("places.tsv").to_string_lossy(),
    ]);
    std::fs::write(p("token"), format!("{TOKEN}\n")).expect("write token");
    dir
}

fn path_of(dir: &Path, name: &str) -> PathBuf {
    dir.join(name)
}

// ---------------------------------------------------------------- amaGama

/// The keys of each object of a list, in the order written.
fn key_order(raw: &str) -> Vec<Vec<String>> {
    // Values are JSON strings or numbers; keys follow `{` or `,`.
    let v: Value = serde_json::from_str(raw).expect("json");
    let mut out = Vec::new();
    let mut at = 0;
    for item in v.as_array().expect("list") {
        let n = item.as_object().expect("object").len();
        let mut keys = Vec::new();
        while keys.len() < n {
            let rest = &raw[at..];
            let q = rest.find(['{', ',']).expect("key start") + 1;
            let start = at + q;
            if raw[start..].starts_with('"') {
                let end = raw[start + 1..].find('"').expect("key end") + start + 1;
                if raw[end + 1..].starts_with(':') {
                    keys.push(raw[start + 1..end].to_string());
                    at = end + 1;
                    continue;
                }
            }
            at = start;
        }
        out.push(keys);
    }
    out
}

#[test]
fn amagama_unit_shape_both_mounts_and_both_forms() {
    let dir = setup();
    // The smallest lookup caches answer the same.
    let s = Serve::start(dir.path(), &["--tm-cache-mb", "16"]);
    let text = "The meeting starts at 11 o'clock.";
    let r = get(s.addr, &format!("/tmserver/en/az/unit/{}", esc(text)));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/json"));
    // Exactly amaGama's keys, in its (sorted) order; quality a number with a
    // fraction, rank an integer; the changed number substituted.
    assert_eq!(
        r.text(),
        "[{\"quality\":92.0,\"rank\":1,\"source\":\"The meeting starts at 10 o'clock.\",\
         \"target\":\"Görüş saat 11-da başlayır.\"}]"
    );
    // The other mount, `?source=`, `_` and upper case in codes: the same bytes.
    for target in [
        format!("/api/v1/en/az/unit/{}", esc(text)),
        format!("/tmserver/en/az/unit/?source={}", esc(text)),
        format!("/api/v1/EN/AZ/unit/?source={}", esc(text)),
        format!("/tmserver/en/az_Latn/unit/{}", esc(text)),
        format!("/tmserver/en/az-latn/unit/{}", esc(text)),
    ] {
        let again = get(s.addr, &target);
        assert_eq!((again.status, again.text()), (200, r.text()), "{target}");
    }
    // Several candidates: best first, ranks 1..n, each with exactly 4 keys.
    let r = get(
        s.addr,
        "/tmserver/en_US/tr/unit/Computer?min_similarity=30&max_candidates=10",
    );
    assert_eq!(r.status, 200);
    let list = r.json();
    let list = list.as_array().expect("list");
    assert_eq!(list.len(), 2, "{}", r.text());
    assert_eq!(list[0]["source"], "Computer");
    assert_eq!(list[0]["target"], "Bilgisayar");
    assert_eq!(list[0]["quality"].as_f64(), Some(100.0));
    assert!(list[0]["quality"].is_f64());
    assert_eq!(list[1]["source"], "My Computer");
    assert_eq!(list[1]["quality"].as_f64(), Some(50.0));
    for (i, item) in list.iter().enumerate() {
        assert!(item["rank"].is_u64());
        assert_eq!(item["rank"].as_u64(), Some(i as u64 + 1));
        assert!(item["source"].is_string() && item["target"].is_string());
    }
    for keys in key_order(r.text()) {
        assert_eq!(keys, ["quality", "rank", "source", "target"]);
    }
    // min_similarity (default 75) and max_candidates.
    let r = get(s.addr, "/tmserver/en/tr/unit/Computer");
    assert_eq!(r.json().as_array().map(Vec::len), Some(1));
    let r = get(
        s.addr,
        "/tmserver/en/tr/unit/Computer?min_similarity=30&max_candidates=1",
    );
    assert_eq!(r.json().as_array().map(Vec::len), Some(1));
    // A slash inside the text, escaped or not.
    for t in [
        "/tmserver/en/tr/unit/Save%2FLoad%20the%20file",
        "/tmserver/en/tr/unit/Save/Load%20the%20file",
    ] {
        let r = get(s.addr, t);
        assert_eq!(r.json()[0]["target"], "Dosyayı kaydet/yükle", "{t}");
    }
    // Unknown target language: no suggestion, not an error (amaGama).
    let r = get(s.addr, "/tmserver/en/fr/unit/Computer");
    assert_eq!((r.status, r.text()), (200, "[]"));
    // JSONP, as amaGama serves Pootle.
    let r = get(s.addr, "/tmserver/en/tr/unit/Computer?jsoncallback=cb_1");
    assert_eq!(r.header("content-type"), Some("application/javascript"));
    assert!(r.text().starts_with("cb_1([{\"quality\":100.0,") && r.text().ends_with("}])"));
    get(s.addr, "/tmserver/en/tr/unit/Computer?jsoncallback=alert(1)").assert_error(400);
}

#[test]
fn amagama_404s_and_languages() {
    let dir = setup();
    let s = Serve::start(dir.path(), &[]);
    for target in [
        "/tmserver/en/en/unit/Computer",     // same language
        "/api/v1/en_US/en-us/unit/Computer", // same language, other spelling
        "/tmserver/fr/tr/unit/Computer",     // unknown source language
        "/tmserver/not%20a%20tag/tr/unit/Computer",
        "/tmserver/en/tr/unit/", // no source text
        "/tmserver/en/tr/unit/?source=",
        "/tmserver/en/tr/nothing/Computer",
    ] {
        get(s.addr, target).assert_error(404);
    }
    let r = get(s.addr, "/tmserver/languages/");
    assert_eq!(r.status, 200);
    assert_eq!(
        r.text(),
        "{\"sourceLanguages\":[\"az\",\"az_latn\",\"en\",\"tr\"],\"targetLanguages\":[\"az\",\"az_latn\",\"en\",\"tr\"]}"
    );
    assert_eq!(get(s.addr, "/api/v1/languages/").text(), r.text());
    let h = get(s.addr, "/health");
    assert_eq!((h.status, h.json()["units"].as_u64()), (200, Some(5)));
}

// ---------------------------------------------------------------- security and errors

#[test]
fn writes_need_the_token_and_reads_may() {
    let dir = setup();
    let s = Serve::start(dir.path(), &[]);
    let unit = r#"{"variants":[{"lang":"en","text":"Good night."},{"lang":"tr","text":"İyi geceler."}]}"#;
    let tmx_doc = big_tmx(3, "auth");
    for (method, target, body) in [
        ("POST", "/v1/tm/units", unit.as_bytes()),
        ("POST", "/v1/tm/import", tmx_doc.as_bytes()),
        ("GET", "/v1/tm/export", &b""[..]),
    ] {
        let none = request(
            s.addr,
            method,
            target,
            &[("Content-Type", "application/json")],
            body,
        );
        none.assert_error(401);
        assert_eq!(none.header("www-authenticate"), Some("Bearer realm=\"korpu\""));
        let wrong = request(
            s.addr,
            method,
            target,
            &[
                ("Authorization", "Bearer test-token-Şuşa-43"),
                ("Content-Type", "application/json"),
            ],
            body,
        );
        wrong.assert_error(401);
        let prefix = request(
            s.addr,
            method,
            target,
            &[("Authorization", "Bearer test-token")],
            body,
        );
        prefix.assert_error(401);
    }
    assert_eq!(get(s.addr, "/health").json()["units"], 5, "nothing was written");
    // An answer cached before a write is not served after it.
    let ask = "/tmserver/en/tr/unit/Good%20night.";
    assert_eq!(get(s.addr, ask).text(), "[]");
    assert_eq!(get(s.addr, ask).text(), "[]");
    let r = authed(
        s.addr,
        "POST",
        "/v1/tm/units",
        "application/json",
        unit.as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["units"], 6);
    assert_eq!(get(s.addr, ask).json()[0]["target"], "İyi geceler.");
    let r = authed(
        s.addr,
        "POST",
        "/v1/tm/units",
        "application/json",
        unit.as_bytes(),
    );
    assert_eq!(
        (r.status, r.json()["units"].as_u64()),
        (200, Some(6)),
        "a duplicate merges"
    );
    assert_eq!(
        get(s.addr, "/v1/tm/lookup?from=en&to=tr&q=Good%20night.").status,
        200
    );
    drop(s);

    // --auth-reads: every route but /health and the OpenAPI document.
    let s = Serve::start(dir.path(), &["--auth-reads"]);
    for target in [
        "/tmserver/en/tr/unit/Computer",
        "/api/v1/languages/",
        "/v1/tm/lookup?from=en&to=tr&q=Computer",
        "/v1/tm/stats",
    ] {
        get(s.addr, target).assert_error(401);
        assert_eq!(
            authed(s.addr, "GET", target, "text/plain", b"").status,
            200,
            "{target}"
        );
    }
    assert_eq!(get(s.addr, "/health").status, 200);
    assert_eq!(get(s.addr, "/v1/openapi.json").status, 200);
}

#[test]
fn bad_input_answers_400_with_a_message_never_500() {
    let dir = setup();
    let s = Serve::start(dir.path(), &["--max-body", "2000", "--max-uri", "3000"]);
    for target in [
        "/tmserver/en/tr/unit/Computer?min_similarity=abc",
        "/tmserver/en/tr/unit/Computer?min_similarity=101",
        "/tmserver/en/tr/unit/Computer?max_candidates=-1",
        "/v1/tm/lookup?from=en&to=tr",           // q missing
        "/v1/tm/lookup?from=english!&to=tr&q=x", // bad tag
        "/v1/tm/lookup?from=en&to=tr&q=x&min_score=200",
        "/v1/tm/lookup?from=en&to=tr&q=x&bogus=1", // unknown parameter
        "/v1/tm/lookup?from=fr&to=tr&q=x",         // a language the memory lacks
        "/v1/tm/concordance?lang=en",
        "/v1/glossary/lookup?lang=tr&term=x&fuzzy=9",
        "/v1/glossary/lookup?lang=tr&term=x&prefix=true&fuzzy=1",
        "/v1/glossary/lookup?lang=tr&term=x&prefix=maybe",
        "/tmserver/en/tr/unit/%FF%FE", // not UTF-8
    ] {
        get(s.addr, target).assert_error(400);
    }
    for body in [
        "",
        "{",
        "[]",
        r#"{"lang":"tr"}"#,
        r#"{"lang":"tr","text":5}"#,
        r#"{"lang":"tr","text":"x","extra":1}"#,
        r#"{"lang":"??","text":"x"}"#,
    ] {
        post_json(s.addr, "/v1/segment", body).assert_error(400);
        post_json(s.addr, "/v1/glossary/scan", body).assert_error(400);
    }
    // Not JSON at all.
    request(
        s.addr,
        "POST",
        "/v1/segment",
        &[("Content-Type", "text/plain")],
        b"hello",
    )
    .assert_error(400);
    for body in [
        r#"{"variants":[{"lang":"en","text":"x"}]}"#,
        r#"{"variants":[{"lang":"en","text":"x"},{"lang":"tr","text":"  "}]}"#,
        r#"{"variants":[{"lang":"en","text":"x"},{"lang":"t r","text":"y"}]}"#,
        r#"{"variants":"no"}"#,
    ] {
        authed(
            s.addr,
            "POST",
            "/v1/tm/units",
            "application/json",
            body.as_bytes(),
        )
        .assert_error(400);
    }
    // Limits: body, URI.
    let big = format!(r#"{{"lang":"en","text":"{}"}}"#, "a".repeat(3000));
    post_json(s.addr, "/v1/segment", &big).assert_error(413);
    get(s.addr, &format!("/tmserver/en/tr/unit/{}", "a".repeat(3100))).assert_error(414);
    // Bad uploads: not TMX, malformed in the middle (strict: nothing written).
    authed(s.addr, "POST", "/v1/tm/import", "application/xml", b"hello").assert_error(400);
    authed(s.addr, "POST", "/v1/tm/import", "application/xml", b"").assert_error(400);
    let mut broken = big_tmx(50, "broken");
    let day30 = broken.find("day 30 ").expect("unit 30");
    let lang = broken[..day30].rfind("xml:lang=\"en\"").expect("its variant");
    broken.replace_range(lang..lang + 13, "xml:lang=\"!!\"");
    let r = authed(
        s.addr,
        "POST",
        "/v1/tm/import",
        "application/xml",
        broken.as_bytes(),
    );
    r.assert_error(400);
    assert!(
        r.json()["error"]
            .as_str()
            .is_some_and(|m| m.starts_with("<upload>:") && m.contains(':'))
    );
    assert_eq!(
        get(s.addr, "/health").json()["units"],
        5,
        "a refused upload writes nothing"
    );
    // Lenient: the same document imports what it can.
    let r = authed(
        s.addr,
        "POST",
        "/v1/tm/import?lenient=true",
        "application/xml",
        broken.as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    // Unknown routes and methods.
    get(s.addr, "/v2/nothing").assert_error(404);
    request(s.addr, "DELETE", "/v1/tm/stats", &[], b"").assert_error(405);
    // The server lived through all of it.
    assert_eq!(get(s.addr, "/health").status, 200);
}

#[test]
fn upload_over_the_limit_is_refused_whole() {
    let dir = setup();
    let s = Serve::start(dir.path(), &["--max-upload", "5000"]);
    let doc = big_tmx(200, "big");
    assert!(doc.len() > 5000);
    authed(s.addr, "POST", "/v1/tm/import", "application/xml", doc.as_bytes()).assert_error(413);
    // Chunked (no Content-Length): counted as it arrives.
    let mut st = TcpStream::connect(s.addr).expect("connect");
    let head = format!(
        "POST /v1/tm/import HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer {TOKEN}\r\n\
         Transfer-Encoding: chunked\r\n\r\n"
    );
    st.write_all(head.as_bytes()).expect("head");
    for chunk in doc.as_bytes().chunks(1000) {
        if st.write_all(format!("{:x}\r\n", chunk.len()).as_bytes()).is_err()
            || st.write_all(chunk).is_err()
            || st.write_all(b"\r\n").is_err()
        {
            break;
        }
    }
    let _ = st.write_all(b"0\r\n\r\n");
    let mut raw = Vec::new();
    let _ = st.read_to_end(&mut raw);
    parse_reply(&raw).assert_error(413);
    assert_eq!(get(s.addr, "/health").json()["units"], 5);
}

// ---------------------------------------------------------------- OpenAPI agreement

/// Checks `v` against the subset of JSON Schema the document uses.
fn check(v: &Value, schema: &Value, spec: &Value, at: &str) {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().expect("ref name");
        return check(v, &spec["components"]["schemas"][name], spec, at);
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    if !types.is_empty() {
        let ok = types.iter().any(|t| match *t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "integer" => v.is_u64() || v.is_i64(),
            "number" => v.is_number(),
            "boolean" => v.is_boolean(),
            "null" => v.is_null(),
            _ => panic!("unknown type {t}"),
        });
        assert!(ok, "{at}: {v} is not {types:?}");
    }
    if let Some(e) = schema["enum"].as_array() {
        assert!(e.contains(v), "{at}: {v} not in {e:?}");
    }
    if let (Some(min), Some(n)) = (schema["minimum"].as_f64(), v.as_f64()) {
        assert!(n >= min, "{at}: {n} < {min}");
    }
    if let (Some(max), Some(n)) = (schema["maximum"].as_f64(), v.as_f64()) {
        assert!(n <= max, "{at}: {n} > {max}");
    }
    if let Some(o) = v.as_object() {
        for r in schema["required"].as_array().into_iter().flatten() {
            let k = r.as_str().expect("key");
            assert!(o.contains_key(k), "{at}: missing {k} in {v}");
        }
        let props = schema["properties"].as_object();
        for (k, val) in o {
            match props.and_then(|p| p.get(k)) {
                Some(ps) => check(val, ps, spec, &format!("{at}.{k}")),
                None => match &schema["additionalProperties"] {
                    Value::Bool(false) => panic!("{at}: undocumented key {k}"),
                    Value::Object(_) => {
                        check(val, &schema["additionalProperties"], spec, &format!("{at}.{k}"))
                    }
                    _ => {}
                },
            }
        }
    }
    if let Some(a) = v.as_array() {
        if let Some(min) = schema["minItems"].as_u64() {
            assert!(a.len() as u64 >= min, "{at}");
        }
        for (i, item) in a.iter().enumerate() {
            if schema.get("items").is_some() {
                check(item, &schema["items"], spec, &format!("{at}[{i}]"));
            }
        }
    }
}

#[test]
fn every_documented_route_answers_as_documented() {
    let dir = setup();
    let s = Serve::start(dir.path(), &[]);
    let served = get(s.addr, "/v1/openapi.json");
    assert_eq!(served.status, 200);
    let spec = served.json();
    let file: Value = serde_json::from_str(include_str!("../../src/server/openapi.json")).expect("file");
    assert_eq!(spec, file, "the server serves the document in the repository");
    let mut calls = 0;
    for (path, ops) in spec["paths"].as_object().expect("paths") {
        for (method, op) in ops.as_object().expect("ops") {
            let id = op["operationId"].as_str().expect("operationId");
            let mut target = path.clone();
            let mut query = Vec::new();
            for p in op["parameters"].as_array().into_iter().flatten() {
                let name = p["name"].as_str().expect("name");
                let Some(ex) = p.get("example") else {
                    assert_ne!(
                        p["required"], true,
                        "{id}: required parameter {name} has no example"
                    );
                    continue;
                };
                let ex = match ex {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                match p["in"].as_str() {
                    Some("path") => target = target.replace(&format!("{{{name}}}"), &esc(&ex)),
                    Some("query") => query.push(format!("{name}={}", esc(&ex))),
                    other => panic!("{id}: parameter in {other:?}"),
                }
            }
            if !query.is_empty() {
                target = format!("{target}?{}", query.join("&"));
            }
            let (ctype, body) = match op["requestBody"]["content"]
                .as_object()
                .and_then(|c| c.iter().next())
            {
                Some((ctype, media)) => {
                    let ex = &media["example"];
                    let body = match ex {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    assert!(!ex.is_null(), "{id}: request body has no example");
                    (ctype.clone(), body)
                }
                None => ("application/json".to_string(), String::new()),
            };
            let needs_token = op["security"]
                .as_array()
                .is_some_and(|s| !s.is_empty() && s.iter().all(|x| x.get("bearerAuth").is_some()));
            let m = method.to_ascii_uppercase();
            if needs_token {
                let r = request(s.addr, &m, &target, &[("Content-Type", &ctype)], body.as_bytes());
                r.assert_error(401);
                assert!(op["responses"].get("401").is_some());
            }
            let r = authed(s.addr, &m, &target, &ctype, body.as_bytes());
            let code = r.status.to_string();
            let documented = &op["responses"][&code];
            assert!(
                r.status < 300 && documented.is_object(),
                "{id}: {m} {target} answered {code}, which is not a documented success: {}",
                String::from_utf8_lossy(&r.body)
            );
            let (mime, media) = documented["content"]
                .as_object()
                .and_then(|c| c.iter().next())
                .expect("documented content");
            assert_eq!(r.header("content-type"), Some(mime.as_str()), "{id}");
            if mime == "application/json" {
                let v = r.json();
                check(&v, &media["schema"], &spec, id);
                // The examples are chosen to find something.
                if let Some(a) = v.as_array() {
                    assert!(
                        !a.is_empty() || id.starts_with("amagama_languages"),
                        "{id}: empty answer"
                    );
                }
            } else {
                assert!(r.text().starts_with("<?xml"), "{id}");
            }
            calls += 1;
        }
    }
    assert!(calls >= 17, "{calls} operations");
}

// ---------------------------------------------------------------- /v1 behaviour

#[test]
fn v1_reads_and_export_round_trip() {
    let dir = setup();
    let s = Serve::start(dir.path(), &[]);
    let r = get(
        s.addr,
        "/v1/tm/lookup?from=tr&to=en&q=%C5%9EU%C5%9EA'DA%20toplant%C4%B1%20yap%C4%B1ld%C4%B1.",
    );
    let m = &r.json()["matches"][0];
    assert_eq!(
        (m["score"].as_u64(), m["breakdown"]["case"].as_u64()),
        (Some(97), Some(1))
    );
    assert_eq!(m["target"], "A meeting was held in Shusha.");
    assert_eq!(m["tuid"], "shusha");
    let r = get(s.addr, "/v1/glossary/lookup?lang=tr&term=SUSA&to=az");
    let hit = &r.json()[0];
    assert_eq!(
        (hit["concept"].as_str(), hit["match"].as_str()),
        (Some("shusha"), Some("loose"))
    );
    assert_eq!(hit["translations"], serde_json::json!({"az": ["Şuşa"]}));
    let r = post_json(
        s.addr,
        "/v1/glossary/scan",
        r#"{"lang":"az","text":"Biz Qarabağda və Şuşada olduq."}"#,
    );
    let hits = r.json();
    let found: Vec<(&str, &str)> = hits
        .as_array()
        .expect("list")
        .iter()
        .map(|h| {
            (
                h["text"].as_str().unwrap_or(""),
                h["match"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(found, [("Qarabağda", "inflected"), ("Şuşada", "inflected")]);
    let r = post_json(
        s.addr,
        "/v1/segment",
        r#"{"lang":"tr","text":"Dr. Ali geldi. Sonra gitti.\nYeni satır"}"#,
    );
    let texts: Vec<String> = r
        .json()
        .as_array()
        .expect("list")
        .iter()
        .map(|x| x["text"].to_string())
        .collect();
    assert_eq!(
        texts,
        ["\"Dr. Ali geldi.\"", "\"Sonra gitti.\"", "\"Yeni satır\""]
    );
    let r = get(s.addr, "/v1/tm/concordance?lang=tr&q=%C5%9Eu%C5%9Fa");
    assert_eq!(
        r.json()[0]["spans"],
        serde_json::json!([[0, 9]]),
        "Şuşa'da is found for Şuşa"
    );
    // Export, streamed, then imported elsewhere: the same units.
    let r = authed(s.addr, "GET", "/v1/tm/export?langs=en,tr", "text/plain", b"");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("transfer-encoding"), Some("chunked"));
    let exported = path_of(dir.path(), "exported.tmx");
    std::fs::write(&exported, &r.body).expect("write");
    let copy = path_of(dir.path(), "copy.korpu");
    korpu_ok(&[
        "tm",
        "import",
        "--tm",
        &copy.to_string_lossy(),
        &exported.to_string_lossy(),
    ]);
    let out = Command::new(KORPU)
        .args(["tm", "stats", "--json", "--tm", &copy.to_string_lossy()])
        .output()
        .expect("stats");
    let stats: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(stats["units"], 5);
    assert_eq!(
        stats["languages"].as_object().map(|o| o.len()),
        Some(2),
        "only en and tr: {stats}"
    );
}

// ---------------------------------------------------------------- concurrency and shutdown

#[test]
fn lookups_are_answered_while_an_upload_imports() {
    let dir = setup();
    let s = Serve::start(dir.path(), &[]);
    let addr = s.addr;
    let doc = big_tmx(6000, "bulk");
    let uploading = Arc::new(AtomicBool::new(true));
    let during = Arc::new(AtomicUsize::new(0));
    let mut readers = Vec::new();
    for t in 0..3 {
        let (uploading, during) = (uploading.clone(), during.clone());
        readers.push(std::thread::spawn(move || {
            let mut n = 0;
            while uploading.load(Ordering::SeqCst) || n < 5 {
                let r = get(addr, &format!("/tmserver/en/tr/unit/Computer?t={t}"));
                assert_eq!(r.status, 200, "{}", r.text());
                assert_eq!(r.json()[0]["target"], "Bilgisayar");
                if uploading.load(Ordering::SeqCst) {
                    during.fetch_add(1, Ordering::SeqCst);
                }
                n += 1;
            }
        }));
    }
    let start = Instant::now();
    let r = authed(
        addr,
        "POST",
        "/v1/tm/import?lenient=false",
        "application/xml",
        doc.as_bytes(),
    );
    let took = start.elapsed();
    uploading.store(false, Ordering::SeqCst);
    for r in readers {
        r.join().expect("reader");
    }
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["added"], 6000);
    let answered = during.load(Ordering::SeqCst);
    assert!(
        answered >= 10,
        "only {answered} lookups answered during a {took:?} upload"
    );
    // The new units are found.
    let r = get(
        addr,
        &format!(
            "/tmserver/en/tr/unit/{}",
            esc("The bridge opens on day 2 of batch bulk.")
        ),
    );
    assert_eq!(r.json()[0]["quality"].as_f64(), Some(100.0));
    assert_eq!(get(addr, "/health").json()["units"], 6005);
}

#[test]
fn sigterm_during_an_upload_commits_it_whole() {
    let dir = setup();
    let s = Serve::start(dir.path(), &["--import-batch", "500"]);
    let addr = s.addr;
    let doc = big_tmx(8000, "term");
    let upload =
        std::thread::spawn(move || authed(addr, "POST", "/v1/tm/import", "application/xml", doc.as_bytes()));
    // Wait until the upload is being imported (the unit count moves), then stop.
    let start = Instant::now();
    loop {
        let n = get(addr, "/health").json()["units"].as_u64().unwrap_or(0);
        if n > 5 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the import never started"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let (status, said) = s.terminate(Duration::from_secs(300));
    assert!(status.success(), "{status:?}");
    assert_eq!(
        said,
        [
            "korpu: shutting down: finishing the requests in flight",
            "korpu: stopped"
        ]
    );
    let r = upload.join().expect("upload thread");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["added"], 8000);
    let out = Command::new(KORPU)
        .args([
            "tm",
            "stats",
            "--json",
            "--tm",
            &dir.path().join("tm.korpu").to_string_lossy(),
        ])
        .output()
        .expect("stats");
    let stats: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(stats["units"], 8005, "every unit of the upload is stored");
}
