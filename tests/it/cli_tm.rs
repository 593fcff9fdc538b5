//! End-to-end tests of `korpu tm …` as the contract describes it.

use std::path::Path;

use crate::support::{json_lines, korpu, korpu_stdin};

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

const GOOD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
<header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="en" datatype="plaintext"/>
<body>
<tu tuid="t1" usagecount="2" changedate="20210101T000000Z">
  <prop type="prev">Welcome.</prop><prop type="next">Thank you.</prop>
  <note>checked</note>
  <tuv xml:lang="en"><seg>The meeting starts at 10 o'clock.</seg></tuv>
  <tuv xml:lang="tr-TR"><seg>Toplantı saat 10'da başlıyor.</seg></tuv>
  <tuv xml:lang="az-Latn"><seg>Görüş saat 10-da başlayır.</seg></tuv>
</tu>
<tu tuid="t2">
  <tuv xml:lang="en"><seg>Press <ph x="1">&lt;b/&gt;</ph>OK to continue.</seg></tuv>
  <tuv xml:lang="tr-TR"><seg>Devam etmek için <ph x="1">&lt;b/&gt;</ph>Tamam'a basın.</seg></tuv>
</tu>
<tu tuid="t3">
  <tuv xml:lang="az-Latn"><seg>Şuşada bayram keçirildi.</seg></tuv>
  <tuv xml:lang="en"><seg>A festival was held in Shusha.</seg></tuv>
</tu>
</body>
</tmx>
"#;

/// Unit 2 of 3 has an element TMX does not allow in <seg> (line 10).
const BAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
<header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="en" datatype="plaintext"/>
<body>
<tu tuid="b1">
  <tuv xml:lang="en"><seg>First good unit.</seg></tuv>
  <tuv xml:lang="tr"><seg>İlk iyi birim.</seg></tuv>
</tu>
<tu tuid="b2">
  <tuv xml:lang="en"><seg>Broken <foo>unit</foo></seg></tuv>
  <tuv xml:lang="tr"><seg>Bozuk birim.</seg></tuv>
</tu>
<tu tuid="b3">
  <tuv xml:lang="en"><seg>Last good unit.</seg></tuv>
  <tuv xml:lang="tr"><seg>Son iyi birim.</seg></tuv>
</tu>
</body>
</tmx>
"#;

fn setup(dir: &Path) -> String {
    let good = dir.join("good.tmx");
    std::fs::write(&good, GOOD).unwrap();
    let store = dir.join("tm.korpu").display().to_string();
    let o = korpu(&["tm", "import", "--tm", &store, "--json", good.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let s = &json_lines(&o)[0];
    assert_eq!(s["read"], 3);
    assert_eq!(s["added"], 3);
    assert_eq!(s["merged"], 0);
    assert_eq!(s["skipped"], 0);
    assert_eq!(s["errors"], 0);
    store
}

#[test]
fn import_twice_merges() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(dir.path());
    let good = dir.path().join("good.tmx");
    let o = korpu(&["tm", "import", "--tm", &store, "--json", good.to_str().unwrap()]);
    let s = &json_lines(&o)[0];
    assert_eq!((s["added"].as_u64(), s["merged"].as_u64()), (Some(0), Some(3)));
    let o = korpu(&["tm", "stats", "--tm", &store, "--json"]);
    let s = &json_lines(&o)[0];
    assert_eq!(s["units"], 3);
    assert_eq!(s["languages"]["az-Latn"], 2);
    assert_eq!(s["pairs"]["en|tr-TR"], 2);
    assert!(s["size_on_disk"].as_u64().unwrap() > 0);
}

#[test]
fn lookup_json_fields_and_number_substitution() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(dir.path());
    let o = korpu(&[
        "tm",
        "lookup",
        "--tm",
        &store,
        "--from",
        "en",
        "--to",
        "tr",
        "--json",
        "The meeting starts at 11 o'clock.",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let q = &json_lines(&o)[0];
    assert_eq!(q["query"], "The meeting starts at 11 o'clock.");
    let m = &q["matches"][0];
    assert_eq!(m["score"], 92);
    assert_eq!(m["kind"], "fuzzy");
    assert_eq!(m["tuid"], "t1");
    assert_eq!(m["source"], "The meeting starts at 10 o'clock.");
    assert_eq!(m["target"], "Toplantı saat 10'da başlıyor.");
    assert_eq!(m["adapted_target"], "Toplantı saat 11'da başlıyor.");
    assert_eq!(m["breakdown"]["number"], 1);

    // 101 in context; `az` finds `az-Latn`.
    let o = korpu(&[
        "tm",
        "lookup",
        "--tm",
        &store,
        "--from",
        "en",
        "--to",
        "az",
        "--json",
        "--prev",
        "Welcome.",
        "--next",
        "Thank you.",
        "The meeting starts at 10 o'clock.",
    ]);
    let m = &json_lines(&o)[0]["matches"][0];
    assert_eq!(
        (m["score"].as_u64(), m["kind"].as_str()),
        (Some(101), Some("context"))
    );
    assert_eq!(m["target"], "Görüş saat 10-da başlayır.");

    // Reverse direction, one query per line of a file, tags shown without placeholders.
    let o = korpu_stdin(
        &[
            "tm", "lookup", "--tm", &store, "--from", "tr", "--to", "en", "--json", "--file", "-",
        ],
        "Devam etmek için Tamam'a basın.\n\nBambaşka bir cümle.\n",
    );
    let lines = json_lines(&o);
    assert_eq!(lines.len(), 3);
    let m = &lines[0]["matches"][0];
    assert_eq!(m["score"], 92); // a missing tag: 1 − 0.5/7
    assert_eq!(m["target"], "Press OK to continue.");
    assert_eq!(lines[1]["matches"].as_array().unwrap().len(), 0);
    assert_eq!(lines[2]["matches"].as_array().unwrap().len(), 0);
}

#[test]
fn bad_language_and_missing_store_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(dir.path());
    let o = korpu(&[
        "tm", "lookup", "--tm", &store, "--from", "english!", "--to", "tr", "x",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).starts_with("korpu: error: invalid language tag"),
        "{}",
        text(&o.stderr)
    );
    let o = korpu(&["tm", "lookup", "--tm", &store, "--from", "de", "--to", "tr", "x"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("unknown language \"de\""),
        "{}",
        text(&o.stderr)
    );
    let missing = dir.path().join("none.korpu");
    let o = korpu(&["tm", "stats", "--tm", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!missing.exists());
    let o = korpu(&["tm", "lookup", "--tm", &store, "--from", "en"]);
    assert_eq!(o.status.code(), Some(2));
    // Random bytes as a store.
    let junk = dir.path().join("junk.korpu");
    std::fs::write(&junk, vec![0x5a; 10_000]).unwrap();
    let o = korpu(&["tm", "stats", "--tm", junk.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("not a korpu translation memory"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn strict_import_of_a_bad_file_changes_nothing_and_lenient_skips() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(dir.path());
    let bad = dir.path().join("bad.tmx");
    std::fs::write(&bad, BAD).unwrap();
    let before = std::fs::read(dir.path().join("tm.korpu")).unwrap();
    let o = korpu(&["tm", "import", "--tm", &store, bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(
        err.starts_with("korpu: error: ") && err.contains("bad.tmx:10:"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(dir.path().join("tm.korpu")).unwrap(),
        before,
        "store unchanged"
    );

    let o = korpu(&[
        "tm",
        "import",
        "--tm",
        &store,
        "--lenient",
        "--json",
        bad.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let s = &json_lines(&o)[0];
    assert_eq!(
        (s["read"].as_u64(), s["added"].as_u64(), s["errors"].as_u64()),
        (Some(2), Some(2), Some(1))
    );
    assert!(text(&o.stderr).contains("bad.tmx:"), "{}", text(&o.stderr));
    let o = korpu(&["tm", "stats", "--tm", &store, "--json"]);
    assert_eq!(json_lines(&o)[0]["units"], 5);
}

#[test]
fn export_round_trips_and_filters_languages() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(dir.path());
    let out = dir.path().join("out.tmx");
    let o = korpu(&["tm", "export", "--tm", &store, "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let xml = std::fs::read_to_string(&out).unwrap();
    assert!(xml.contains(r#"<prop type="prev">Welcome.</prop>"#), "{xml}");
    assert!(xml.contains(r#"usagecount="2""#));
    assert!(xml.contains("<note>checked</note>"));
    assert!(xml.contains(r#"<ph x="1">&lt;b/&gt;</ph>"#));
    // Import the export into a new store: the same units.
    let store2 = dir.path().join("tm2.korpu");
    let o = korpu(&[
        "tm",
        "import",
        "--tm",
        store2.to_str().unwrap(),
        "--json",
        out.to_str().unwrap(),
    ]);
    assert_eq!(json_lines(&o)[0]["added"], 3);
    let a = korpu(&["tm", "stats", "--tm", &store, "--json"]);
    let b = korpu(&["tm", "stats", "--tm", store2.to_str().unwrap(), "--json"]);
    assert_eq!(json_lines(&a)[0]["languages"], json_lines(&b)[0]["languages"]);
    // Only en and az.
    let o = korpu(&[
        "tm",
        "export",
        "--tm",
        &store,
        "-o",
        "-",
        "--langs",
        "en,az",
        "--srclang",
        "en",
    ]);
    let xml = text(&o.stdout);
    assert!(!xml.contains("tr-TR"));
    assert!(xml.contains(r#"srclang="en""#));
    assert_eq!(xml.matches("<tu ").count() + xml.matches("<tu>").count(), 3);
}

#[test]
fn concordance_finds_inflections() {
    let dir = tempfile::tempdir().unwrap();
    let store = setup(dir.path());
    let o = korpu(&[
        "tm",
        "concordance",
        "--tm",
        &store,
        "--lang",
        "az",
        "--json",
        "Şuşa",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let hits = json_lines(&o);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["text"], "Şuşada bayram keçirildi.");
    assert_eq!(hits[0]["spans"][0], serde_json::json!([0, "Şuşada".len()]));
    assert_eq!(hits[0]["translations"]["en"], "A festival was held in Shusha.");
}
