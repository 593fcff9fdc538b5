//! End-to-end tests of `korpu pretranslate` and `korpu tm import` of XLIFF,
//! with the built binary.

use std::path::PathBuf;
use std::process::Output;

use crate::support::{self, korpu_in};

/// A file of `tests/data/xliff/`, as an argument.
fn data(name: &str) -> String {
    support::data("xliff").join(name).to_string_lossy().into_owned()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "status {:?}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

const TMX: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="test" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="en" datatype="plaintext"/><body>
<tu tuid="welcome"><tuv xml:lang="en"><seg>Welcome to <bpt i="1">&lt;b&gt;</bpt>Shusha<ept i="1">&lt;/b&gt;</ept></seg></tuv><tuv xml:lang="tr"><seg><bpt i="1">&lt;b&gt;</bpt>Şuşa<ept i="1">&lt;/b&gt;</ept>'ya hoş geldiniz</seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>Press <ph x="1">&lt;img/&gt;</ph> to continue.</seg></tuv><tuv xml:lang="tr"><seg>Devam etmek için <ph x="1">&lt;img/&gt;</ph> düğmesine basın.</seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>The conference starts at 9 o'clock &amp; ends at 12.</seg></tuv><tuv xml:lang="tr"><seg>Konferans saat 9'da başlar ve 12'de biter.</seg></tuv></tu>
</body></tmx>
"#;

fn setup() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("memory.tmx"), TMX).unwrap();
    ok(&korpu_in(
        dir.path(),
        &["tm", "import", "--tm", "tm.korpu", "memory.tmx"],
    ));
    let tm = dir.path().join("tm.korpu");
    (dir, tm)
}

#[test]
fn pretranslates_okapi_xliff_from_a_tmx_memory_with_codes_and_glossary() {
    let (dir, _) = setup();
    std::fs::write(dir.path().join("terms.tsv"), "en\ttr\nShusha\tŞuşa\n").unwrap();
    ok(&korpu_in(
        dir.path(),
        &["glossary", "build", "-o", "terms.kgl", "terms.tsv"],
    ));
    let input = data("okapi_rainbow.xlf");
    let out = ok(&korpu_in(
        dir.path(),
        &[
            "pretranslate",
            "--tm",
            "tm.korpu",
            "-g",
            "terms.kgl",
            "--json",
            &input,
            "-o",
            "out.xlf",
        ],
    ));
    let summary: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(summary["units"], 4);
    assert_eq!(summary["exact"], 2, "{summary}");
    assert_eq!(summary["fuzzy"], 1, "{summary}");
    assert_eq!(summary["untranslated"], 1, "{summary}");
    let xlf = std::fs::read_to_string(dir.path().join("out.xlf")).unwrap();
    assert!(
        xlf.contains(
            "<target xml:lang=\"tr\" state=\"translated\" state-qualifier=\"exact-match\"><g id=\"1\" \
         ctype=\"bold\">Şuşa</g>'ya hoş geldiniz</target>"
        ),
        "{xlf}"
    );
    assert!(
        xlf.contains(
            ">Devam etmek için <x id=\"1\" ctype=\"image\" equiv-text=\"[img]\"/> düğmesine basın.</target>"
        ),
        "{xlf}"
    );
    // The fuzzy match: the number adapted, the codes it lacks make it a review.
    assert!(xlf.contains(
        "state=\"needs-review-translation\" state-qualifier=\"fuzzy-match\">Konferans saat 10'da başlar ve 12'de biter.</target>"
    ), "{xlf}");
    assert!(
        xlf.contains("<note from=\"korpu-glossary\">Shusha → Şuşa</note>"),
        "{xlf}"
    );
    assert!(xlf.contains("origin=\"tm.korpu\""), "{xlf}");
    // The text summary.
    let out = ok(&korpu_in(
        dir.path(),
        &["pretranslate", "--tm", "tm.korpu", &input, "-o", "out2.xlf"],
    ));
    assert!(
        out.contains("4 units, 4 segments: 0 at 101, 2 at 100, 1 fuzzy, 1 untranslated"),
        "{out}"
    );
}

#[test]
fn empty_memory_gives_every_fixture_back_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    // An empty store: created by importing a file without finished segments.
    std::fs::write(
        dir.path().join("empty.xlf"),
        "<xliff version=\"2.0\" xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" srcLang=\"en\" trgLang=\"tr\"><file id=\"f\"/></xliff>",
    )
    .unwrap();
    ok(&korpu_in(
        dir.path(),
        &["tm", "import", "--tm", "tm.korpu", "empty.xlf"],
    ));
    for name in [
        "okapi_rainbow.xlf",
        "okapi_20.xlf",
        "omegat.xlf",
        "translate_toolkit_po2xliff.xlf",
        "weblate_12.xlf",
        "weblate_20.xlf",
        "xliff21_codes.xlf",
    ] {
        let input = data(name);
        ok(&korpu_in(
            dir.path(),
            &["pretranslate", "--tm", "tm.korpu", &input, "-o", "out.xlf"],
        ));
        assert_eq!(
            std::fs::read(dir.path().join("out.xlf")).unwrap(),
            std::fs::read(&input).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn malformed_input_is_reported_with_line_and_column_and_writes_nothing() {
    let (dir, _) = setup();
    let bad = "<xliff version=\"1.2\"><file source-language=\"en\" target-language=\"tr\" original=\"a\" \
               datatype=\"plaintext\"><body>\n<trans-unit id=\"1\"><source>Press <x id=\"1\"/> to continue.</source></trans-unit>\n\
               <trans-unit id=\"2\">\n  <source>Hi</target>\n</trans-unit></body></file></xliff>\n";
    std::fs::write(dir.path().join("bad.xlf"), bad).unwrap();
    let out = korpu_in(
        dir.path(),
        &["pretranslate", "--tm", "tm.korpu", "bad.xlf", "-o", "out.xlf"],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("korpu: error: bad.xlf:4:13: malformed XML"),
        "{err}"
    );
    // No output and no temporary file left behind.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("out"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
    // A missing memory is a clear error too, and creates nothing.
    let out = korpu_in(
        dir.path(),
        &[
            "pretranslate",
            "--tm",
            "nope.korpu",
            &data("omegat.xlf"),
            "-o",
            "out.xlf",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(!dir.path().join("nope.korpu").exists());
}

#[test]
fn finished_xliff_feeds_the_memory_and_gives_context_matches() {
    let dir = tempfile::tempdir().unwrap();
    let out = ok(&korpu_in(
        dir.path(),
        &[
            "tm",
            "import",
            "--tm",
            "tm.korpu",
            "--json",
            &data("translate_toolkit_po2xliff.xlf"),
            &data("omegat.xlf"),
            &data("weblate_20.xlf"),
        ],
    ));
    let summary: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(summary["read"], 3, "{summary}");
    // The memory now answers lookups in the files' languages.
    let out = ok(&korpu_in(
        dir.path(),
        &[
            "tm",
            "lookup",
            "--tm",
            "tm.korpu",
            "--from",
            "en",
            "--to",
            "tr",
            "--json",
            "Save file",
        ],
    ));
    assert!(out.contains("Dosyayı kaydet"), "{out}");
    // A file like the OmegaT one, before translation: the first segment has
    // the same neighbours as the stored one, so it is a 101.
    let fresh = std::fs::read_to_string(data("omegat.xlf")).unwrap().replace(
        "        <target state=\"translated\">Şuşa Qarabağda bir şəhərdir.</target>\n",
        "",
    );
    std::fs::write(dir.path().join("fresh.xlf"), &fresh).unwrap();
    let out = ok(&korpu_in(
        dir.path(),
        &[
            "pretranslate",
            "--tm",
            "tm.korpu",
            "--signed-off-exact",
            "--json",
            "fresh.xlf",
            "-o",
            "done.xlf",
        ],
    ));
    let summary: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(summary["context"], 1, "{summary}");
    let xlf = std::fs::read_to_string(dir.path().join("done.xlf")).unwrap();
    assert!(xlf.contains(
        "<target xml:lang=\"az\" state=\"signed-off\" state-qualifier=\"exact-match\">Şuşa Qarabağda bir şəhərdir.</target>"
    ), "{xlf}");
}

#[test]
fn segment_splits_units_into_sentences_and_counts_them() {
    let (dir, _) = setup();
    // One Okapi-style unit of three sentences: two are in the memory on their own.
    let doc = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff version=\"1.2\" \
               xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">\n<file original=\"a.html\" source-language=\"en\" \
               target-language=\"tr\" datatype=\"x-text/html\">\n<body>\n<trans-unit id=\"1\" \
               xml:space=\"preserve\"><source xml:lang=\"en\">Press <x id=\"1\" ctype=\"image\"/> to continue. The \
               conference starts at 9 o'clock &amp; ends at 12. Mr. Smith was not there.</source><target \
               xml:lang=\"tr\"></target></trans-unit>\n</body>\n</file>\n</xliff>\n";
    std::fs::write(dir.path().join("in.xlf"), doc).unwrap();
    let plain = ok(&korpu_in(
        dir.path(),
        &["pretranslate", "--tm", "tm.korpu", "in.xlf", "-o", "plain.xlf"],
    ));
    assert!(
        plain.contains("1 units, 1 segments: 0 at 101, 0 at 100, 0 fuzzy, 1 untranslated"),
        "{plain}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("plain.xlf")).unwrap(),
        doc
    );
    let out = ok(&korpu_in(
        dir.path(),
        &[
            "pretranslate",
            "--tm",
            "tm.korpu",
            "--segment",
            "--json",
            "in.xlf",
            "-o",
            "out.xlf",
        ],
    ));
    let summary: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(summary["units"], 1, "{summary}");
    assert_eq!(summary["segments"], 3, "{summary}");
    assert_eq!(summary["exact"], 2, "{summary}");
    assert_eq!(summary["untranslated"], 1, "{summary}");
    let xlf = std::fs::read_to_string(dir.path().join("out.xlf")).unwrap();
    assert!(
        xlf.contains(
            "<seg-source xml:lang=\"en\"><mrk mtype=\"seg\" mid=\"1\">Press <x id=\"1\" ctype=\"image\"/> to \
             continue.</mrk> <mrk mtype=\"seg\" mid=\"2\">The conference starts at 9 o'clock &amp; ends at \
             12.</mrk> <mrk mtype=\"seg\" mid=\"3\">Mr. Smith was not there.</mrk></seg-source><target \
             xml:lang=\"tr\" state=\"needs-translation\"><mrk mtype=\"seg\" mid=\"1\">Devam etmek için <x id=\"1\" \
             ctype=\"image\"/> düğmesine basın.</mrk> <mrk mtype=\"seg\" mid=\"2\">Konferans saat 9'da başlar ve \
             12'de biter.</mrk> <mrk mtype=\"seg\" mid=\"3\"/></target>"
        ),
        "{xlf}"
    );
}
