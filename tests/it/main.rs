//! korpu's integration tests, one binary: a module per subject. The modules
//! that run the `korpu` binary need the `cli` feature (it builds the binary),
//! those that run `korpu serve` the `server` feature as well; the rest test
//! the library and run with no features at all.
//!
//! Tests marked `#[ignore = "needs KORPU_FIXTURES"]` read the shared
//! fixtures: `KORPU_FIXTURES=/path/to/fixtures cargo test --all-features -- --include-ignored`.

#[cfg(feature = "cli")]
mod cli_console;
#[cfg(feature = "cli")]
mod cli_glossary;
#[cfg(feature = "cli")]
mod cli_help;
#[cfg(feature = "cli")]
mod cli_pretranslate;
#[cfg(feature = "cli")]
mod cli_segment;
#[cfg(feature = "cli")]
mod cli_tm;
#[cfg(feature = "cli")]
mod cli_tmx;
mod glossaries;
mod glossary;
mod layers;
mod segment_fixtures;
mod segment_sets;
// The server tests run `korpu serve`: the binary (`cli`) with `server`.
#[cfg(all(feature = "cli", feature = "server"))]
mod server;
mod suffix_analyser;
mod support;
mod tbx_fixtures;
#[cfg(feature = "cli")]
mod tm_crash;
mod tmx_dtd;
mod tmx_lisa_kit;
mod tmx_roundtrip;
mod tmx_samples;
mod xliff;
