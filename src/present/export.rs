//! The TMX export that `korpu tm export` and the server's
//! `GET /v1/tm/export` both write: a memory's units as TMX 1.4b.
//!
//! `tm` does not know TMX and `formats::tmx` does not know the memory; this
//! is where the two meet, so that both edges write the same header.

use std::io::Write;

use crate::error::Result;
use crate::formats::tmx::TmxWriter;
use crate::lang::Lang;
use crate::model::TmxHeader;
use crate::tm::TranslationMemory;

/// Writes the units of `tm`, with their variants in `langs` (all when
/// empty), as TMX 1.4b to `out`, and finishes the document; the number of
/// units written. `srclang` is the header's source language (`*all*` when
/// `None`); `progress` gets the number written after each unit.
///
/// ```
/// use korpu::model::{TranslationUnit, Variant};
/// # let dir = tempfile::tempdir()?;
/// let tm = korpu::tm::TranslationMemory::open(dir.path().join("tm.korpu"))?;
/// tm.add(TranslationUnit {
///     variants: vec![Variant::new("en".parse()?, "Peace"), Variant::new("az".parse()?, "Sülh")],
///     ..Default::default()
/// })?;
/// let mut out = Vec::new();
/// let written = korpu::present::export_tmx(&mut out, &tm, &[], None, |_| {})?;
/// assert_eq!(written, 1);
/// assert!(String::from_utf8_lossy(&out).contains("<seg>Sülh</seg>"));
/// # Ok::<(), korpu::Error>(())
/// ```
pub fn export_tmx(
    out: impl Write,
    tm: &TranslationMemory,
    langs: &[Lang],
    srclang: Option<&Lang>,
    progress: impl FnMut(u64),
) -> Result<u64> {
    let header = TmxHeader {
        srclang: srclang.map(Lang::to_string),
        datatype: Some("plaintext".into()),
        ..TmxHeader::default()
    };
    let mut writer = TmxWriter::new(out, &header)?;
    let units = tm.units()?.in_languages(langs).map(|u| u.map(|(_, unit)| unit));
    let written = writer.write_units(units, progress)?;
    writer.finish()?;
    Ok(written)
}
