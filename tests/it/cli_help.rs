//! The CLI helps a newcomer: help without arguments, completions, a man page.

use crate::support::korpu;

#[test]
fn no_arguments_prints_help_with_every_command() {
    let out = korpu::<&str>(&[]);
    let help = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    for cmd in [
        "segment",
        "tmx",
        "glossary",
        "tm",
        "pretranslate",
        "completions",
        "man",
    ] {
        assert!(help.contains(cmd), "help lacks {cmd}: {help}");
    }
}

#[test]
fn completions_and_man_page() {
    let bash = korpu(&["completions", "bash"]);
    assert!(bash.status.success());
    let script = String::from_utf8_lossy(&bash.stdout);
    assert!(
        script.contains("_korpu") && script.contains("glossary"),
        "{script}"
    );
    let man = korpu(&["man"]);
    assert!(man.status.success());
    let page = String::from_utf8_lossy(&man.stdout);
    assert!(page.contains(".TH korpu 1"), "{page}");
    assert_eq!(korpu(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn every_command_help_has_an_example() {
    let commands: &[&[&str]] = &[
        &["segment"],
        &["tmx", "check"],
        &["glossary", "build"],
        &["glossary", "lookup"],
        &["glossary", "scan"],
        &["glossary", "export"],
        &["tm", "import"],
        &["tm", "export"],
        &["tm", "lookup"],
        &["tm", "concordance"],
        &["tm", "stats"],
        &["pretranslate"],
    ];
    for cmd in commands {
        let mut args = cmd.to_vec();
        args.push("--help");
        let out = korpu(&args);
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{cmd:?}");
        // Help text wraps, so look for the command anywhere after the heading.
        let examples = help.split_once("Examples:\n").map(|(_, e)| e).unwrap_or_default();
        let want = format!("korpu {}", cmd.join(" "));
        assert!(examples.contains(&want), "{cmd:?} --help has no example:\n{help}");
    }
}
