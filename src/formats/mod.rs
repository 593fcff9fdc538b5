//! Readers and writers between files and the [`model`](crate::model).
//!
//! Every reader streams: memory is bounded by the largest record, not the
//! file. No type from a format leaks into `glossary` or `tm`.

pub mod delimited;
pub mod tbx;
pub mod tmx;
pub(crate) mod transcode;
pub mod xliff;
pub(crate) mod xml;

/// One step of a record reader that ends after its last record or its first
/// error: `Ok(None)` and `Err` both set `done`, and an error is named with the
/// reader's file when it has one.
pub(crate) fn fuse_record<T>(
    done: &mut bool,
    path: Option<&std::path::Path>,
    step: crate::Result<Option<T>>,
) -> Option<crate::Result<T>> {
    match step {
        Ok(Some(record)) => Some(Ok(record)),
        Ok(None) => {
            *done = true;
            None
        }
        Err(e) => {
            *done = true;
            Some(Err(match path {
                Some(p) => e.in_file(p),
                None => e,
            }))
        }
    }
}
