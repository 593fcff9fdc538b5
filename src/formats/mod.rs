//! Readers and writers between files and the [`model`](crate::model).
//!
//! Every reader streams: memory is bounded by the largest record, not the
//! file. No type from a format leaks into `glossary` or `tm`.

pub mod delimited;
pub mod tbx;
pub mod tmx;
pub(crate) mod transcode;
pub mod xliff;
