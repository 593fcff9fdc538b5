//! Running the built `korpu` binary (the `cli` feature builds it) as a user
//! would, and reading what it prints.

use std::ffi::OsStr;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// The built binary.
pub const KORPU: &str = env!("CARGO_BIN_EXE_korpu");

/// Runs korpu with `args` and no input.
pub fn korpu<S: AsRef<OsStr>>(args: &[S]) -> Output {
    korpu_with(None, args, b"")
}

/// Runs korpu with `args` and `stdin` as its standard input.
pub fn korpu_stdin<S: AsRef<OsStr>>(args: &[S], stdin: impl AsRef<[u8]>) -> Output {
    korpu_with(None, args, stdin.as_ref())
}

/// Runs korpu in `dir` with `args` and no input.
pub fn korpu_in<S: AsRef<OsStr>>(dir: &Path, args: &[S]) -> Output {
    korpu_with(Some(dir), args, b"")
}

/// Runs korpu in `dir` (or here) with `args` and `stdin` as its standard
/// input, and waits for it.
pub fn korpu_with<S: AsRef<OsStr>>(dir: Option<&Path>, args: &[S], stdin: &[u8]) -> Output {
    let mut cmd = Command::new(KORPU);
    if let Some(dir) = dir {
        cmd.current_dir(dir);
    }
    let mut child = cmd
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run korpu");
    let mut input = child.stdin.take().expect("piped stdin");
    // A command that fails early (bad arguments, a wrong format) may exit
    // before it reads its input: the pipe is then closed, which is not the
    // test's failure.
    if let Err(e) = input.write_all(stdin) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    drop(input);
    child.wait_with_output().expect("wait for korpu")
}

/// Standard output as JSON lines, one value each.
pub fn json_lines(o: &Output) -> Vec<Value> {
    let text = String::from_utf8(o.stdout.clone()).expect("UTF-8 output");
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l:?}")))
        .collect()
}
