//! Read a TMX file unit by unit and write it back as TMX 1.4b.
//!
//! `cargo run --example tmx_roundtrip [IN.tmx] [OUT.tmx]`
//!
//! The reader streams (memory is bounded by the largest unit, not the file),
//! takes UTF-8 or UTF-16 with or without a BOM and declared legacy encodings,
//! and keeps inline tags, props, notes and dates as structure; the writer gives
//! them all back, deterministically. Reading the output again gives the same
//! units.

use std::fs::File;
use std::io::{BufReader, BufWriter};
use std::path::PathBuf;

use korpu::Result;
use korpu::formats::tmx::{TmxReader, TmxWriter};

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let input = args.next().map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/data/karabakh.tmx"),
        PathBuf::from,
    );
    let output = args
        .next()
        .map_or_else(|| std::env::temp_dir().join("korpu-roundtrip.tmx"), PathBuf::from);

    // The header is read when the reader is made, before the first unit.
    let mut reader = TmxReader::from_path(&input)?;
    println!(
        "{}: TMX {} in {}, srclang {:?}",
        input.display(),
        reader.version(),
        reader.encoding(),
        reader.header().srclang
    );

    let out = File::create(&output).map_err(|e| korpu::Error::io(&output, e))?;
    let mut writer = TmxWriter::new(BufWriter::new(out), reader.header())?;
    let mut units = Vec::new();
    for unit in reader.by_ref() {
        // A malformed unit is an Err with file:line:column; `?` stops here.
        let unit = unit?;
        writer.write_unit(&unit)?;
        units.push(unit);
    }
    for warning in reader.warnings() {
        eprintln!("warning: {warning}");
    }
    writer.finish()?;

    // Read what we wrote: the same units come back.
    let again: Vec<_> = TmxReader::new(BufReader::new(
        File::open(&output).map_err(|e| korpu::Error::io(&output, e))?,
    ))?
    .collect::<Result<_>>()?;
    assert_eq!(again, units, "round trip changed a unit");
    println!(
        "{} units written to {} and read back unchanged",
        units.len(),
        output.display()
    );
    Ok(())
}
