//! Deterministic data for korpu's tests, benches and measuring tools
//! (`benches/tools/`): the same seed gives the same bytes on every machine,
//! so that figures measured on different days compare.
//!
//! - [`corpus`]: news-like EN/TR/AZ translation units for TM imports and
//!   lookups, and a TMX writer for them;
//! - [`tmx_gen`]: big TMX files with every feature a reader must handle;
//! - [`tool`]: what the measuring tools share (their arguments, peak RSS).

pub mod corpus;
pub mod tmx_gen;
pub mod tool;
