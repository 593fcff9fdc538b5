//! What the test modules share: where the test data and the shared fixtures
//! are, running the built `korpu` binary, DTD validation with `xmllint`, and
//! proptest strategies for TMX units.

use std::path::{Path, PathBuf};

#[cfg(feature = "cli")]
mod run;
pub mod tmx_strategy;
pub mod xmllint;

#[cfg(feature = "cli")]
pub use run::{KORPU, json_lines, korpu, korpu_in, korpu_stdin, korpu_with};

/// A file or folder of the test data, `tests/data/{rel}`.
pub fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(rel)
}

/// The shared fixtures folder, from `KORPU_FIXTURES`. The tests that read it
/// are `#[ignore = "needs KORPU_FIXTURES"]`, so a plain `cargo test` passes
/// without it.
pub fn fixtures() -> PathBuf {
    PathBuf::from(std::env::var_os("KORPU_FIXTURES").expect("set KORPU_FIXTURES to the fixtures directory"))
}
