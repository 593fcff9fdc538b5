//! `korpu glossary build|lookup|scan|export` end to end, with the built binary.

use std::path::{Path, PathBuf};

use serde_json::json;

use crate::support::{json_lines, korpu, korpu_stdin};

const TSV: &str = "id\ten\ttr\taz\tnote\n\
shusha\tShusha\tŞuşa\tŞuşa\tcity in Karabakh\n\
karabakh\tKarabakh\tKarabağ\tQarabağ\t\n\
decl\tShusha Declaration\tŞuşa Beyannamesi\tŞuşa Bəyannaməsi\t\n\
un\tUnited Nations | UN\tBirleşmiş Milletler | BM\tBirləşmiş Millətlər Təşkilatı | BMT\t\n\
baku\tBaku\tBakü\tBakı\t\n\
shusha\tShusha city\t\t\tduplicate id\n";

fn built(dir: &Path) -> PathBuf {
    let tsv = dir.join("k.tsv");
    std::fs::write(&tsv, TSV).unwrap();
    let out = dir.join("k.glossary");
    let o = korpu(&[
        "glossary",
        "build",
        "-o",
        out.to_str().unwrap(),
        "--json",
        tsv.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(json_lines(&o), [json!({"concepts": 5, "terms": 19})]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("warning: merged 1 duplicate concept id(s): shusha"),
        "{err}"
    );
    out
}

#[test]
fn build_then_lookup_at_every_level() {
    let dir = tempfile::tempdir().unwrap();
    let g = built(dir.path());
    let g = g.to_str().unwrap();
    let o = korpu(&["glossary", "lookup", "-g", g, "--lang", "az", "--json", "Shusha"]);
    assert!(o.status.success());
    assert_eq!(
        json_lines(&o),
        [
            json!({"concept": "shusha", "lang": "az", "term": "Şuşa", "match": "translit", "distance": 0,
                "translations": {"en": ["Shusha", "Shusha city"], "tr": ["Şuşa"]}})
        ]
    );
    let o = korpu(&[
        "glossary", "lookup", "-g", g, "--lang", "tr", "--to", "en", "--json", "karabag",
    ]);
    assert_eq!(
        json_lines(&o),
        [
            json!({"concept": "karabakh", "lang": "tr", "term": "Karabağ", "match": "loose", "distance": 0,
                "translations": {"en": ["Karabakh"]}})
        ]
    );
    let o = korpu(&[
        "glossary", "lookup", "-g", g, "--lang", "tr", "--fuzzy", "1", "--json", "Karabak",
    ]);
    let v = json_lines(&o);
    assert_eq!(
        (
            v[0]["term"].as_str(),
            v[0]["match"].as_str(),
            v[0]["distance"].as_u64()
        ),
        (Some("Karabağ"), Some("fuzzy"), Some(1))
    );
    let o = korpu(&[
        "glossary", "lookup", "-g", g, "--lang", "tr", "--prefix", "--json", "şuşa",
    ]);
    let v = json_lines(&o);
    let terms: Vec<&str> = v.iter().map(|v| v["term"].as_str().unwrap()).collect();
    assert_eq!(terms, ["Şuşa", "Şuşa Beyannamesi"]);
    let o = korpu(&["glossary", "lookup", "-g", g, "--lang", "tr", "Ankara"]);
    assert!(o.status.success() && o.stdout.is_empty());
}

#[test]
fn scan_reports_inflected_spans() {
    let dir = tempfile::tempdir().unwrap();
    let g = built(dir.path());
    let g = g.to_str().unwrap();
    let text = "Şuşa Beyannamesi'ni Bakü'de imzaladılar.\n";
    let o = korpu_stdin(
        &[
            "glossary", "scan", "-g", g, "--lang", "tr", "--to", "az", "--json", "-",
        ],
        text,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        json_lines(&o),
        [
            json!({"start": 0, "end": 21, "text": "Şuşa Beyannamesi'ni", "concept": "decl", "term": "Şuşa Beyannamesi",
                   "match": "inflected", "level": "exact", "translations": {"az": ["Şuşa Bəyannaməsi"]}}),
            json!({"start": 22, "end": 30, "text": "Bakü'de", "concept": "baku", "term": "Bakü",
                   "match": "inflected", "level": "exact", "translations": {"az": ["Bakı"]}}),
        ]
    );
    let file = dir.path().join("az.txt");
    std::fs::write(&file, "\u{feff}Qarabağda və Bakıda").unwrap();
    let o = korpu(&[
        "glossary",
        "scan",
        "-g",
        g,
        "--lang",
        "az",
        file.to_str().unwrap(),
    ]);
    let out = String::from_utf8(o.stdout).unwrap();
    assert_eq!(out.lines().count(), 2, "{out}");
    // Offsets point into the input as given: the 3-byte BOM counts.
    assert!(out.starts_with("3-13\tQarabağda\tQarabağ\tinflected"), "{out}");
}

#[test]
fn export_round_trips_through_tsv_and_tbx() {
    let dir = tempfile::tempdir().unwrap();
    let g = built(dir.path());
    for (format, ext) in [("tsv", "tsv"), ("tbx", "tbx")] {
        let out = dir.path().join(format!("out.{ext}"));
        let o = korpu(&[
            "glossary",
            "export",
            "-g",
            g.to_str().unwrap(),
            "--to-format",
            format,
            "-o",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let again = dir.path().join(format!("again-{ext}.glossary"));
        let o = korpu(&[
            "glossary",
            "build",
            "-o",
            again.to_str().unwrap(),
            "--json",
            out.to_str().unwrap(),
        ]);
        assert!(
            o.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(json_lines(&o), [json!({"concepts": 5, "terms": 19})], "{format}");
        let a = korpu::glossary::Glossary::open(&g).unwrap();
        let b = korpu::glossary::Glossary::open(&again).unwrap();
        let ca: Vec<_> = a.concepts().map(|c| c.unwrap()).collect();
        let cb: Vec<_> = b.concepts().map(|c| c.unwrap()).collect();
        assert_eq!(ca.len(), cb.len());
        for (x, y) in ca.iter().zip(&cb) {
            assert_eq!(x.id, y.id, "{format}");
            let tx: Vec<(&str, &str)> = x
                .terms
                .iter()
                .map(|t| (t.lang.as_str(), t.text.as_str()))
                .collect();
            let ty: Vec<(&str, &str)> = y
                .terms
                .iter()
                .map(|t| (t.lang.as_str(), t.text.as_str()))
                .collect();
            let (mut tx, mut ty) = (tx, ty);
            tx.sort();
            ty.sort();
            assert_eq!(tx, ty, "{format}");
        }
    }
}

#[test]
fn omegat_input_from_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o.glossary");
    let o = korpu_stdin(
        &[
            "glossary",
            "build",
            "-o",
            out.to_str().unwrap(),
            "--src",
            "en",
            "--tgt",
            "az",
            "--json",
            "-",
        ],
        "# comment\nShusha\tŞuşa\tcity\nBaku\tBakı\t\n",
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(json_lines(&o), [json!({"concepts": 2, "terms": 4})]);
}

#[test]
fn errors_name_the_file_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.tbx");
    std::fs::write(&bad, "<?xml version=\"1.0\"?>\n<martif type=\"TBX-Basic\">\n<text><body><termEntry id=\"a\">\n</body></text></martif>\n").unwrap();
    let out = dir.path().join("x.glossary");
    let o = korpu(&[
        "glossary",
        "build",
        "-o",
        out.to_str().unwrap(),
        bad.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.starts_with("korpu: error: ") && err.contains("bad.tbx:"),
        "{err}"
    );
    assert!(!out.exists());

    let not_glossary = dir.path().join("bad.tbx");
    let o = korpu(&[
        "glossary",
        "lookup",
        "-g",
        not_glossary.to_str().unwrap(),
        "--lang",
        "tr",
        "x",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("bad.tbx: not a korpu glossary"), "{err}");

    let g = built(dir.path());
    let mut bytes = std::fs::read(&g).unwrap();
    let n = bytes.len();
    bytes[n - 10] ^= 0x20;
    std::fs::write(&g, &bytes).unwrap();
    let o = korpu(&[
        "glossary",
        "lookup",
        "-g",
        g.to_str().unwrap(),
        "--lang",
        "tr",
        "Şuşa",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("checksum"));

    let o = korpu(&["glossary", "lookup", "--lang", "tr", "x"]);
    assert_eq!(o.status.code(), Some(2));
    let o = korpu(&["glossary", "lookup", "-g", "x", "--lang", "english!", "x"]);
    assert_eq!(o.status.code(), Some(1));
}
