//! End-to-end: the `korpu segment` binary, as the CLI contract describes it.

use std::process::Output;

use crate::support::korpu_stdin;

/// Runs `korpu segment` with `args` and `stdin` as its input.
fn segment(args: &[&str], stdin: &[u8]) -> Output {
    korpu_stdin(&[&["segment"], args].concat(), stdin)
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn text_output_is_one_trimmed_segment_per_line() {
    let input = "  Prof. Dr. Ayşe Kaya 5. maddeyi okudu.   Toplantı 14.30'da bitti. \n\nYeni paragraf";
    let o = segment(&["--lang", "tr"], input.as_bytes());
    assert!(o.status.success());
    assert_eq!(
        stdout(&o),
        "Prof. Dr. Ayşe Kaya 5. maddeyi okudu.\nToplantı 14.30'da bitti.\nYeni paragraf\n"
    );
}

#[test]
fn json_output_has_byte_offsets_into_the_input() {
    let input = "Şuşa gözəldir. Biz oraya getdik və s. Sonra qayıtdıq.";
    let o = segment(&["--lang", "az", "--json", "-"], input.as_bytes());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    for v in &lines {
        let (s, e) = (
            v["start"].as_u64().unwrap() as usize,
            v["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&input[s..e], v["text"].as_str().unwrap());
    }
    assert_eq!(lines[1]["text"], "Biz oraya getdik və s.");
}

#[test]
fn a_bom_is_skipped_but_counted_in_offsets() {
    let o = segment(&["--json"], b"\xEF\xBB\xBFOne. Two.");
    let first: serde_json::Value = serde_json::from_str(stdout(&o).lines().next().unwrap()).unwrap();
    assert_eq!(first["text"], "One.");
    assert_eq!(first["start"], 3);
    assert_eq!(first["end"], 7);
}

#[test]
fn a_file_argument_and_an_srx_file() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("in.txt");
    std::fs::write(&text, "Hello Mr. Smith. Bye.").unwrap();
    let srx = dir.path().join("rules.srx");
    std::fs::write(
        &srx,
        r#"<srx version="2.0"><header cascade="no"/><body><languagerules>
<languagerule languagerulename="All"><rule break="yes"><beforebreak>\.</beforebreak><afterbreak>\s</afterbreak></rule></languagerule>
</languagerules><maprules><languagemap languagepattern=".*" languagerulename="All"/></maprules></body></srx>"#,
    )
    .unwrap();
    let t = text.to_str().unwrap();
    assert_eq!(stdout(&segment(&[t], b"")), "Hello Mr. Smith.\nBye.\n");
    let o = segment(&["--srx", srx.to_str().unwrap(), t], b"");
    assert_eq!(stdout(&o), "Hello Mr.\nSmith.\nBye.\n");
}

#[test]
fn empty_input_gives_no_output() {
    let o = segment(&[], b"");
    assert!(o.status.success());
    assert!(o.stdout.is_empty());
    let o = segment(&[], b" \n\n  \n");
    assert!(o.stdout.is_empty());
}

#[test]
fn invalid_utf8_is_an_error_with_line_and_column() {
    let o = segment(&[], b"ok line\nab\xffcd");
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.starts_with("korpu: error: <stdin>:2:3: invalid UTF-8"),
        "{err}"
    );
}

#[test]
fn bad_srx_and_bad_language_fail_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let srx = dir.path().join("bad.srx");
    std::fs::write(&srx, "<?xml version=\"1.0\"?>\n<book/>").unwrap();
    let o = segment(&["--srx", srx.to_str().unwrap()], b"x");
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("bad.srx:2:1") && err.contains("not an SRX file"),
        "{err}"
    );
    let o = segment(&["--lang", "english"], b"x");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("did you mean \"en\""));
}
