//! `korpu tmx check`, end to end.

use crate::support::{data, json_lines, korpu, korpu_stdin};

#[test]
fn check_json_reports_each_file() {
    let a = data("omegat-project_save-1.1.tmx");
    let b = data("po2tmx.tmx");
    let out = korpu(&[
        "tmx".as_ref(),
        "check".as_ref(),
        "--json".as_ref(),
        a.as_os_str(),
        b.as_os_str(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 2);
    let first = &lines[0];
    assert_eq!(first["file"], a.display().to_string());
    assert_eq!(first["version"], "1.1");
    assert_eq!(first["srclang"], "en");
    assert_eq!(first["units"], 4);
    assert_eq!(first["variants"], 8);
    assert_eq!(first["languages"], serde_json::json!(["az", "en"]));
    assert_eq!(first["ok"], true);
    assert!(first.get("error").is_none());
    assert_eq!(lines[1]["languages"], serde_json::json!(["en", "tr"]));
    assert_eq!(lines[1]["units"], 3);
}

#[test]
fn a_bad_file_gives_its_line_and_column_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.tmx");
    std::fs::write(
        &bad,
        "<tmx version=\"1.4\"><header srclang=\"en\"/><body>\n<tu tuid=\"x1\">\n  <tuv xml:lang=\"en\"><seg>a &amp b</seg></tuv></tu></body></tmx>",
    )
    .unwrap();
    let good = data("po2tmx.tmx");
    let out = korpu(&[
        "tmx".as_ref(),
        "check".as_ref(),
        "--json".as_ref(),
        good.as_os_str(),
        bad.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let lines = json_lines(&out);
    assert_eq!(lines[0]["ok"], true);
    assert_eq!(lines[1]["ok"], false);
    let error = lines[1]["error"].as_str().unwrap();
    assert!(error.starts_with(&format!("{}:3:", bad.display())), "{error}");
    assert!(error.contains("unit 1 (tuid \"x1\")"), "{error}");

    // Human output: the error on stderr in the contract's shape.
    let out = korpu(&["tmx".as_ref(), "check".as_ref(), bad.as_os_str()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with(&format!("korpu: error: {}:3:", bad.display())),
        "{stderr}"
    );
}

#[test]
fn human_output_and_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("warn.tmx");
    std::fs::write(
        &f,
        "<tmx version=\"1.4\"><header srclang=\"tr\"/><body><tu><tuv xml:lang=\"az\"><seg>Şuşa</seg></tuv></tu></body></tmx>",
    )
    .unwrap();
    let out = korpu(&["tmx".as_ref(), "check".as_ref(), f.as_os_str()]);
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("TMX 1.4") && stdout.contains("1 units") && stdout.contains("languages az"),
        "{stdout}"
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("korpu: warning:") && stderr.contains("no variant in the source language tr"),
        "{stderr}"
    );
}

#[test]
fn missing_file_and_usage_errors() {
    let out = korpu(&["tmx", "check", "--json", "/nonexistent/x.tmx"]);
    assert_eq!(out.status.code(), Some(1));
    let lines = json_lines(&out);
    assert_eq!(lines[0]["ok"], false);
    assert!(lines[0]["error"].as_str().unwrap().contains("/nonexistent/x.tmx"));
    let out = korpu(&["tmx", "check"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn standard_input() {
    let tmx = std::fs::read(data("legacy-iso-8859-9.tmx")).unwrap();
    let out = korpu_stdin(&["tmx", "check", "--json", "-"], tmx);
    assert!(out.status.success());
    let lines = json_lines(&out);
    assert_eq!(lines[0]["file"], "-");
    assert_eq!(lines[0]["languages"], serde_json::json!(["en", "tr"]));
}
