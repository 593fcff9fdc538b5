//! DTD validation of written TMX with `xmllint` (libxml2-utils), against
//! `$KORPU_FIXTURES/../schemas/tmx14.dtd`.

use std::path::PathBuf;
use std::process::Command;

use super::fixtures;

/// The TMX 1.4b DTD.
pub fn tmx14_dtd() -> PathBuf {
    let dtd = fixtures().join("../schemas/tmx14.dtd");
    assert!(dtd.is_file(), "no DTD at {}", dtd.display());
    dtd
}

/// Validates `bytes` against the TMX 1.4b DTD; panics with xmllint's
/// complaint when it is not valid, or when xmllint is missing.
pub fn assert_dtd_valid(bytes: &[u8], what: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.tmx");
    std::fs::write(&file, bytes).unwrap();
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--nonet")
        .arg("--dtdvalid")
        .arg(tmx14_dtd())
        .arg(&file)
        .output()
        .expect("xmllint must be installed (apt-get install libxml2-utils)");
    assert!(
        out.status.success(),
        "{what}: not valid TMX 1.4b:\n{}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(bytes)
            .chars()
            .take(3000)
            .collect::<String>()
    );
}
