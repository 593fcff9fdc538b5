//! The global flags and the error hints, on every command, with the built
//! binary: `--quiet` leaves stderr empty on success (and only there: the same
//! runs warn without it), `--json` output parses, `--progress` reports every
//! long operation, and each kind of error ends with its `  hint:` line.

use std::process::Output;

use crate::support::{json_lines, korpu_in, korpu_with};

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn ok(o: Output) -> Output {
    assert!(
        o.status.success(),
        "status {:?}\nstderr: {}",
        o.status,
        stderr(&o)
    );
    o
}

/// Unit 2 has two English variants (a warning for `tmx check`), unit 3 an
/// element TMX does not allow (skipped, with a warning, by `--lenient`).
const TMX: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
<header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="en" datatype="plaintext"/>
<body>
<tu tuid="t1">
  <tuv xml:lang="en"><seg>The festival was held in Shusha.</seg></tuv>
  <tuv xml:lang="tr"><seg>Festival Şuşa'da düzenlendi.</seg></tuv>
</tu>
<tu tuid="t2">
  <tuv xml:lang="en"><seg>Baku is the capital.</seg></tuv>
  <tuv xml:lang="en"><seg>Baku is the capital city.</seg></tuv>
  <tuv xml:lang="tr"><seg>Bakü başkenttir.</seg></tuv>
</tu>
<tu tuid="t3">
  <tuv xml:lang="en"><seg>Broken <foo>unit</foo></seg></tuv>
  <tuv xml:lang="tr"><seg>Bozuk birim.</seg></tuv>
</tu>
</body>
</tmx>
"#;

/// A valid TMX (the strict import of `TMX` would fail on unit 3).
const GOOD_TMX: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
<header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="en" datatype="plaintext"/>
<body>
<tu tuid="g1">
  <tuv xml:lang="en"><seg>The festival was held in Shusha.</seg></tuv>
  <tuv xml:lang="tr"><seg>Festival Şuşa'da düzenlendi.</seg></tuv>
</tu>
</body>
</tmx>
"#;

/// Two rows share the id `shusha`: a warning for `glossary build`.
const TSV: &str = "id\ten\ttr\n\
shusha\tShusha\tŞuşa\n\
baku\tBaku\tBakü\n\
shusha\tShusha city\tŞuşa şehri\n";

/// English to Azerbaijani: the memory has no Azerbaijani, which
/// `pretranslate` warns about.
const XLIFF: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file original="a.txt" source-language="en" target-language="az" datatype="plaintext">
<body>
<trans-unit id="1"><source>The festival was held in Shusha.</source></trans-unit>
<trans-unit id="2"><source>Baku is the capital.</source></trans-unit>
</body>
</file>
</xliff>
"#;

/// A folder with the inputs, a memory imported leniently and a glossary.
fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("mixed.tmx"), TMX).unwrap();
    // Without unit 3: a good file with one warning.
    let cut = TMX.find("<tu tuid=\"t3\">").unwrap()..TMX.find("</body>").unwrap();
    let warn = format!("{}{}", &TMX[..cut.start], &TMX[cut.end..]);
    std::fs::write(d.join("warn.tmx"), warn).unwrap();
    std::fs::write(d.join("good.tmx"), GOOD_TMX).unwrap();
    std::fs::write(d.join("terms.tsv"), TSV).unwrap();
    std::fs::write(d.join("new.xlf"), XLIFF).unwrap();
    std::fs::write(
        d.join("text.txt"),
        "Dr. Aliyev came to Shusha. Then he left for Baku.\n",
    )
    .unwrap();
    ok(korpu_in(d, &["tm", "import", "--tm", "tm.korpu", "good.tmx"]));
    ok(korpu_in(
        d,
        &["glossary", "build", "-o", "terms.kgl", "terms.tsv"],
    ));
    dir
}

/// Every run that warns without `--quiet` is silent on stderr with it, and
/// its stdout and exit status do not change.
#[test]
fn quiet_silences_warnings_and_nothing_else() {
    let dir = setup();
    let d = dir.path();
    let warning_runs: &[&[&'static str]] = &[
        &["tmx", "check", "warn.tmx"],
        &["glossary", "build", "-o", "again.kgl", "terms.tsv"],
        &["glossary", "lookup", "-g", "terms.kgl", "--lang", "az", "Şuşa"],
        &[
            "glossary",
            "scan",
            "-g",
            "terms.kgl",
            "--lang",
            "en",
            "--to",
            "az",
            "text.txt",
        ],
        &["tm", "import", "--tm", "STORE", "--lenient", "mixed.tmx"],
        &["pretranslate", "--tm", "tm.korpu", "new.xlf", "-o", "new.pre.xlf"],
    ];
    // STORE: a new store for each run, so that both start from nothing.
    let with_store = |args: &[&'static str], store: &'static str| -> Vec<&'static str> {
        args.iter()
            .map(|&a| if a == "STORE" { store } else { a })
            .collect()
    };
    for args in warning_runs {
        let loud = korpu_in(d, &with_store(args, "loud.korpu"));
        let mut q = vec!["--quiet"];
        q.extend(with_store(args, "quiet.korpu"));
        let quiet = korpu_in(d, &q);
        assert!(
            stderr(&loud).contains("korpu: warning:"),
            "{args:?} does not warn: {}",
            stderr(&loud)
        );
        assert_eq!(quiet.status.code(), loud.status.code(), "{args:?}");
        assert_eq!(stderr(&quiet), "", "{args:?}");
        assert_eq!(quiet.stdout, loud.stdout, "{args:?}");
    }
    // -q after the command too, and on commands that never warn.
    let quiet_runs: &[&[&str]] = &[
        &["segment", "-q", "text.txt"],
        &["tmx", "check", "-q", "good.tmx"],
        &[
            "glossary",
            "export",
            "-q",
            "-g",
            "terms.kgl",
            "--to-format",
            "tbx",
            "-o",
            "out.tbx",
        ],
        &["tm", "export", "-q", "--tm", "tm.korpu", "-o", "out.tmx"],
        &[
            "tm",
            "lookup",
            "-q",
            "--tm",
            "tm.korpu",
            "--from",
            "en",
            "--to",
            "tr",
            "The festival was held.",
        ],
        &[
            "tm",
            "concordance",
            "-q",
            "--tm",
            "tm.korpu",
            "--lang",
            "tr",
            "Şuşa",
        ],
        &["tm", "stats", "-q", "--tm", "tm.korpu"],
    ];
    for args in quiet_runs {
        let o = ok(korpu_in(d, args));
        assert_eq!(stderr(&o), "", "{args:?}");
    }
    // Errors still print, with the same exit status.
    let o = korpu_in(d, &["-q", "tmx", "check", "missing.tmx"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("korpu: error: missing.tmx"),
        "{}",
        stderr(&o)
    );
    // --quiet and --progress contradict each other: a usage error.
    assert_eq!(
        korpu_in(d, &["-q", "--progress", "tm", "stats", "--tm", "tm.korpu"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn json_everywhere_output_is_data() {
    let dir = setup();
    let d = dir.path();
    // Before or after the command: one global flag.
    let before = ok(korpu_in(d, &["--json", "segment", "text.txt"]));
    let after = ok(korpu_in(d, &["segment", "--json", "text.txt"]));
    assert_eq!(before.stdout, after.stdout);
    let segs = json_lines(&before);
    assert_eq!(segs.len(), 2, "{segs:?}");
    assert_eq!(segs[0]["text"], "Dr. Aliyev came to Shusha.");

    let check = json_lines(&ok(korpu_in(d, &["tmx", "check", "--json", "good.tmx"])));
    assert_eq!(check[0]["units"], 1);
    assert_eq!(check[0]["ok"], true);

    let built = json_lines(&ok(korpu_in(
        d,
        &["glossary", "build", "--json", "-o", "g2.kgl", "terms.tsv"],
    )));
    assert_eq!(built[0]["concepts"], 2, "{built:?}");

    let hits = json_lines(&ok(korpu_in(
        d,
        &[
            "glossary",
            "lookup",
            "--json",
            "-g",
            "terms.kgl",
            "--lang",
            "tr",
            "bakü",
        ],
    )));
    assert_eq!(hits[0]["concept"], "baku");

    let scan = json_lines(&ok(korpu_in(
        d,
        &[
            "glossary",
            "scan",
            "--json",
            "-g",
            "terms.kgl",
            "--lang",
            "en",
            "text.txt",
        ],
    )));
    let terms: Vec<&str> = scan.iter().map(|h| h["term"].as_str().unwrap()).collect();
    assert_eq!(terms, ["Shusha", "Baku"]);

    let exported = json_lines(&ok(korpu_in(
        d,
        &[
            "glossary",
            "export",
            "--json",
            "-g",
            "terms.kgl",
            "--to-format",
            "tsv",
            "-o",
            "out.tsv",
        ],
    )));
    assert_eq!(exported[0]["concepts"], 2);
    assert_eq!(exported[0]["output"], "out.tsv");
    assert!(
        std::fs::read_to_string(d.join("out.tsv"))
            .unwrap()
            .contains("Bakü")
    );

    let imported = json_lines(&ok(korpu_in(
        d,
        &["tm", "import", "--json", "--tm", "tm.korpu", "good.tmx"],
    )));
    assert_eq!(imported[0]["read"], 1);
    assert_eq!(imported[0]["merged"], 1);

    let tmx = json_lines(&ok(korpu_in(
        d,
        &["tm", "export", "--json", "--tm", "tm.korpu", "-o", "all.tmx"],
    )));
    assert_eq!(tmx[0]["units"], 1);
    assert_eq!(tmx[0]["output"], "all.tmx");
    // With `-o -` the TMX is the output; no summary follows it.
    let piped = ok(korpu_in(
        d,
        &["tm", "export", "--json", "--tm", "tm.korpu", "-o", "-"],
    ));
    assert_eq!(piped.stdout, std::fs::read(d.join("all.tmx")).unwrap());

    let q = json_lines(&ok(korpu_in(
        d,
        &[
            "tm",
            "lookup",
            "--json",
            "--tm",
            "tm.korpu",
            "--from",
            "en",
            "--to",
            "tr",
            "The festival was held in Shusha.",
        ],
    )));
    assert_eq!(q[0]["matches"][0]["score"], 100);

    let c = json_lines(&ok(korpu_in(
        d,
        &[
            "tm",
            "concordance",
            "--json",
            "--tm",
            "tm.korpu",
            "--lang",
            "en",
            "festival",
        ],
    )));
    assert_eq!(c.len(), 1);

    let s = json_lines(&ok(korpu_in(d, &["tm", "stats", "--json", "--tm", "tm.korpu"])));
    assert_eq!(s[0]["units"], 1);

    let p = json_lines(&ok(korpu_in(
        d,
        &[
            "pretranslate",
            "--json",
            "--tm",
            "tm.korpu",
            "new.xlf",
            "-o",
            "p.xlf",
        ],
    )));
    assert_eq!(p[0]["segments"], 2, "{p:?}");

    // Not data: --json is a usage error, not ignored.
    for args in [&["man", "--json"][..], &["--json", "completions", "bash"]] {
        let o = korpu_in(d, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains("--json does not apply"), "{}", stderr(&o));
    }
}

/// Off a terminal, `--progress` reports each long operation in plain lines
/// (a terminal gets a bar instead; pipes and tests get nothing).
#[test]
fn progress_reports_every_long_operation() {
    let dir = setup();
    let d = dir.path();
    let runs: &[(&[&str], &str)] = &[
        (
            &["tm", "import", "--tm", "tm.korpu", "good.tmx"],
            "korpu: committed 1 units",
        ),
        (
            &["tm", "export", "--tm", "tm.korpu", "-o", "all.tmx"],
            "korpu: 1 of 1 units",
        ),
        (
            &["glossary", "build", "-o", "g.kgl", "terms.tsv"],
            "korpu: 6 terms",
        ),
        (
            &["tmx", "check", "good.tmx"],
            &format!("korpu: {0} of {0} bytes", GOOD_TMX.len()),
        ),
        (
            &["pretranslate", "--tm", "tm.korpu", "new.xlf", "-o", "p.xlf"],
            "korpu: 2 of 2 segments",
        ),
        (
            &[
                "tm", "lookup", "--tm", "tm.korpu", "--from", "en", "--to", "tr", "--file", "text.txt",
            ],
            "korpu: 1 of 1 queries",
        ),
    ];
    for (args, line) in runs {
        let plain = ok(korpu_in(d, args));
        assert!(!stderr(&plain).contains(line), "{args:?}: {}", stderr(&plain));
        let mut with = vec!["--progress"];
        with.extend_from_slice(args);
        let o = ok(korpu_in(d, &with));
        assert!(
            stderr(&o).contains(line),
            "{args:?}: no {line:?} in {}",
            stderr(&o)
        );
    }
    // One query is not a long operation: no report.
    let one = ok(korpu_in(
        d,
        &[
            "--progress",
            "tm",
            "lookup",
            "--tm",
            "tm.korpu",
            "--from",
            "en",
            "--to",
            "tr",
            "x",
        ],
    ));
    assert_eq!(stderr(&one), "");
}

/// The error's message, and its hint line.
fn error_and_hint(o: &Output) -> (String, String) {
    assert_eq!(o.status.code(), Some(1), "stderr: {}", stderr(o));
    let err = stderr(o);
    let mut lines = err.lines();
    let first = lines.next().unwrap_or_default();
    assert!(first.starts_with("korpu: error: "), "{err}");
    let hint = lines
        .find_map(|l| l.strip_prefix("  hint: "))
        .unwrap_or_else(|| panic!("no hint in {err}"));
    (first.to_string(), hint.to_string())
}

#[test]
fn missing_files_hint_at_the_path_or_the_command_that_makes_them() {
    let dir = setup();
    let d = dir.path();
    // Inputs where `-` means standard input.
    let stdin_inputs: &[&[&str]] = &[
        &["segment", "nope.txt"],
        &["tmx", "check", "nope.tmx"],
        &["glossary", "build", "-o", "x.kgl", "nope.tsv"],
        &["glossary", "scan", "-g", "terms.kgl", "--lang", "en", "nope.txt"],
        &["tm", "import", "--tm", "tm.korpu", "nope.tmx"],
        &[
            "tm", "lookup", "--tm", "tm.korpu", "--from", "en", "--to", "tr", "--file", "nope.txt",
        ],
    ];
    for args in stdin_inputs {
        let (err, hint) = error_and_hint(&korpu_in(d, args));
        assert!(err.contains("nope."), "{args:?}: {err}");
        assert_eq!(hint, "check the path; use - to read standard input", "{args:?}");
    }
    // pretranslate reads its input twice: no standard input.
    let (_, hint) = error_and_hint(&korpu_in(
        d,
        &["pretranslate", "--tm", "tm.korpu", "nope.xlf", "-o", "o.xlf"],
    ));
    assert_eq!(hint, "check the path");

    let no_memory: &[&[&str]] = &[
        &[
            "tm",
            "lookup",
            "--tm",
            "none.korpu",
            "--from",
            "en",
            "--to",
            "tr",
            "x",
        ],
        &["tm", "concordance", "--tm", "none.korpu", "--lang", "en", "x"],
        &["tm", "stats", "--tm", "none.korpu"],
        &["tm", "export", "--tm", "none.korpu", "-o", "x.tmx"],
        &["pretranslate", "--tm", "none.korpu", "new.xlf", "-o", "o.xlf"],
    ];
    for args in no_memory {
        let (err, hint) = error_and_hint(&korpu_in(d, args));
        assert!(err.contains("none.korpu"), "{args:?}: {err}");
        assert_eq!(
            hint,
            "create the translation memory first: korpu tm import --tm none.korpu FILE.tmx"
        );
        assert!(!d.join("none.korpu").exists(), "{args:?} created the store");
    }

    let no_glossary: &[&[&str]] = &[
        &["glossary", "lookup", "-g", "my terms.kgl", "--lang", "en", "x"],
        &[
            "glossary",
            "scan",
            "-g",
            "my terms.kgl",
            "--lang",
            "en",
            "text.txt",
        ],
        &[
            "glossary",
            "export",
            "-g",
            "my terms.kgl",
            "--to-format",
            "tbx",
            "-o",
            "x.tbx",
        ],
        &[
            "pretranslate",
            "--tm",
            "tm.korpu",
            "-g",
            "my terms.kgl",
            "new.xlf",
            "-o",
            "o.xlf",
        ],
    ];
    for args in no_glossary {
        let (_, hint) = error_and_hint(&korpu_in(d, args));
        assert!(
            hint.starts_with("build the glossary first: korpu glossary build -o 'my terms.kgl' TERMS.tbx"),
            "{args:?}: {hint}"
        );
    }
}

#[test]
fn folders_where_files_belong() {
    let dir = setup();
    let d = dir.path();
    std::fs::create_dir(d.join("sub")).unwrap();
    let (_, hint) = error_and_hint(&korpu_in(d, &["tm", "stats", "--tm", "sub"]));
    assert_eq!(
        hint,
        "sub is a folder; --tm names the store file in it, such as sub/memory.korpu"
    );
    for args in [
        &["glossary", "lookup", "-g", "sub", "--lang", "en", "x"][..],
        &["segment", "sub"],
        &["tmx", "check", "sub"],
    ] {
        let (_, hint) = error_and_hint(&korpu_in(d, args));
        assert_eq!(hint, "sub is a folder; give a file", "{args:?}");
    }
    let (_, hint) = error_and_hint(&korpu_in(
        d,
        &["tm", "import", "--tm", "no/such/m.korpu", "good.tmx"],
    ));
    assert_eq!(
        hint,
        "the folder no/such does not exist; create it first (mkdir -p no/such)"
    );
}

#[test]
fn a_locked_memory_hints_at_the_other_process_and_the_server_api() {
    let dir = setup();
    let d = dir.path();
    // This process holds the store open, as `korpu serve` would.
    let held = korpu::tm::TranslationMemory::open(d.join("tm.korpu")).unwrap();
    for args in [
        &["tm", "stats", "--tm", "tm.korpu"][..],
        &["tm", "import", "--tm", "tm.korpu", "good.tmx"],
        &["pretranslate", "--tm", "tm.korpu", "new.xlf", "-o", "o.xlf"],
    ] {
        let (err, hint) = error_and_hint(&korpu_in(d, args));
        assert!(err.contains("open in another process"), "{err}");
        assert!(
            hint.starts_with("stop the other korpu process that has tm.korpu open"),
            "{hint}"
        );
        assert!(
            hint.contains("korpu serve --tm tm.korpu") && hint.contains("/v1/tm/lookup"),
            "{hint}"
        );
    }
    drop(held);
    ok(korpu_in(d, &["tm", "stats", "--tm", "tm.korpu"]));
}

#[test]
fn wrong_formats_name_the_supported_ones() {
    let dir = setup();
    let d = dir.path();
    std::fs::write(d.join("notes.csv"), "en,tr\nhello,merhaba\n").unwrap();
    std::fs::write(d.join("notes.txt"), "just text\n").unwrap();

    let (err, hint) = error_and_hint(&korpu_in(d, &["glossary", "build", "-o", "x.kgl", "good.tmx"]));
    assert!(err.contains("cannot build a glossary from a .tmx file"), "{err}");
    assert!(
        hint.contains("TBX (.tbx, .xml), TSV (.tsv, .txt), CSV (.csv)"),
        "{hint}"
    );
    assert!(hint.contains("korpu tm import --tm STORE FILE.tmx"), "{hint}");
    assert!(!d.join("x.kgl").exists());

    let (err, hint) = error_and_hint(&korpu_in(d, &["tm", "import", "--tm", "tm.korpu", "notes.csv"]));
    assert!(err.contains("notes.csv:1:1"), "{err}");
    assert!(
        hint.contains("TMX (.tmx, any version) and XLIFF 1.2/2.x"),
        "{hint}"
    );

    let (_, hint) = error_and_hint(&korpu_in(d, &["tmx", "check", "notes.txt"]));
    assert!(hint.contains("TMX files (.tmx"), "{hint}");
    let o = korpu_in(d, &["tmx", "check", "--json", "notes.txt", "good.tmx"]);
    assert_eq!(o.status.code(), Some(1));
    let reports = json_lines(&o);
    assert_eq!(reports[0]["ok"], false);
    assert!(
        reports[0]["hint"].as_str().unwrap().contains("TMX files"),
        "{reports:?}"
    );
    assert_eq!(reports[1]["ok"], true);
    assert!(reports[1].get("hint").is_none());

    let (_, hint) = error_and_hint(&korpu_in(
        d,
        &["pretranslate", "--tm", "tm.korpu", "notes.txt", "-o", "o.xlf"],
    ));
    assert!(hint.contains("XLIFF 1.2 and 2.x"), "{hint}");

    let (_, hint) = error_and_hint(&korpu_with(
        Some(d),
        &["segment", "--srx", "notes.txt", "-"],
        "Hi. There.\n".as_bytes(),
    ));
    assert!(hint.contains("SRX 2.0 or 1.0"), "{hint}");
    let (_, hint) = error_and_hint(&korpu_with(
        Some(d),
        &["glossary", "build", "-o", "s.kgl", "-"],
        TSV.as_bytes(),
    ));
    assert!(hint.contains("--from tsv"), "{hint}");

    // A malformed file with the right extension is not a format mistake: no hint.
    let o = korpu_in(d, &["tm", "import", "--tm", "tm.korpu", "mixed.tmx"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!stderr(&o).contains("hint:"), "{}", stderr(&o));

    // A TMX where the store goes, a TSV where the glossary goes.
    let (_, hint) = error_and_hint(&korpu_in(d, &["tm", "stats", "--tm", "good.tmx"]));
    assert!(
        hint.contains("not a TMX file") && hint.contains("korpu tm import"),
        "{hint}"
    );
    let (_, hint) = error_and_hint(&korpu_in(
        d,
        &["glossary", "lookup", "-g", "terms.tsv", "--lang", "en", "Baku"],
    ));
    assert!(
        hint.contains("korpu glossary build -o terms.kgl TERMS.tbx"),
        "{hint}"
    );
}

#[test]
fn outputs_never_overwrite_their_own_inputs() {
    let dir = setup();
    let d = dir.path();
    let before = std::fs::read(d.join("tm.korpu")).unwrap();
    let (err, hint) = error_and_hint(&korpu_in(
        d,
        &["tm", "export", "--tm", "tm.korpu", "-o", "./tm.korpu"],
    ));
    assert!(
        err.contains("refusing to write the TMX over the translation memory"),
        "{err}"
    );
    assert_eq!(hint, "choose another output file: -o ./tm.tmx");
    assert_eq!(std::fs::read(d.join("tm.korpu")).unwrap(), before);
    ok(korpu_in(d, &["tm", "stats", "--tm", "tm.korpu"]));

    let (_, hint) = error_and_hint(&korpu_in(
        d,
        &["glossary", "build", "-o", "terms.tsv", "terms.tsv"],
    ));
    assert_eq!(hint, "choose another output file: -o terms.kgl");
    assert_eq!(std::fs::read_to_string(d.join("terms.tsv")).unwrap(), TSV);

    let glossary = std::fs::read(d.join("terms.kgl")).unwrap();
    let (_, hint) = error_and_hint(&korpu_in(
        d,
        &[
            "glossary",
            "export",
            "-g",
            "terms.kgl",
            "--to-format",
            "tsv",
            "-o",
            "terms.kgl",
        ],
    ));
    assert_eq!(hint, "choose another output file: -o terms.tsv");
    assert_eq!(std::fs::read(d.join("terms.kgl")).unwrap(), glossary);
}

#[test]
fn every_language_argument_suggests_a_code() {
    let dir = setup();
    let d = dir.path();
    let runs: &[&[&str]] = &[
        &[
            "glossary",
            "build",
            "-o",
            "x.kgl",
            "--src",
            "english",
            "--tgt",
            "tr",
            "terms.tsv",
        ],
        &["glossary", "lookup", "-g", "terms.kgl", "--lang", "english", "x"],
        &[
            "glossary",
            "scan",
            "-g",
            "terms.kgl",
            "--lang",
            "en",
            "--to",
            "turkish",
            "text.txt",
        ],
        &[
            "tm", "lookup", "--tm", "tm.korpu", "--from", "english", "--to", "tr", "x",
        ],
        &["tm", "concordance", "--tm", "tm.korpu", "--lang", "english", "x"],
        &[
            "tm",
            "export",
            "--tm",
            "tm.korpu",
            "-o",
            "x.tmx",
            "--langs",
            "en,turkish",
        ],
        &[
            "tm",
            "export",
            "--tm",
            "tm.korpu",
            "-o",
            "x.tmx",
            "--srclang",
            "english",
        ],
    ];
    for args in runs {
        let o = korpu_in(d, args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let err = stderr(&o);
        assert!(
            err.contains("did you mean \"en\"") || err.contains("did you mean \"tr\""),
            "{args:?}: {err}"
        );
    }
    // segment parses --lang as an argument: a usage error, same suggestion.
    let o = korpu_in(d, &["segment", "--lang", "azeri", "text.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("did you mean \"az\""), "{}", stderr(&o));
    // A well-formed code the memory does not hold names the ones it does.
    let o = korpu_in(
        d,
        &[
            "tm", "lookup", "--tm", "tm.korpu", "--from", "en", "--to", "az", "x",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("it has en, tr"), "{}", stderr(&o));
}

#[cfg(feature = "server")]
#[test]
fn serve_json_gives_the_address_and_quiet_keeps_stderr_empty() {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::process::{Command, Stdio};

    use serde_json::Value;

    use crate::support::KORPU;

    let dir = setup();
    let mut child = Command::new(KORPU)
        .current_dir(dir.path())
        .args([
            "serve",
            "--quiet",
            "--json",
            "--tm",
            "tm.korpu",
            "--listen",
            "127.0.0.1:0",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let v: Value = serde_json::from_str(&line).unwrap();
    let url = v["listening"].as_str().unwrap();
    assert!(
        url.starts_with("http://127.0.0.1:") && !url.ends_with(":0"),
        "{url}"
    );
    // Once it answers, SIGTERM is a clean stop, still without a word on stderr.
    let addr = url.trim_start_matches("http://");
    let mut conn = std::net::TcpStream::connect(addr).unwrap();
    conn.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    Command::new("kill").arg(child.id().to_string()).status().unwrap();
    let status = child.wait().unwrap();
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert!(status.success(), "{status:?} {err}");
    assert_eq!(err, "");
}
