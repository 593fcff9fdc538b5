//! Fuzzes the TMX reader (strict and lenient) and the writer: any input must
//! give units or an error, never a panic, a hang or unbounded memory; every
//! unit read must write, and read back equal.
#![no_main]

use korpu::formats::tmx::{ReadOptions, TmxReader, TmxWriter};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for lenient in [false, true] {
        let Ok(reader) = TmxReader::with_options(data, ReadOptions::lenient(lenient)) else {
            continue;
        };
        let header = reader.header().clone();
        let units: Vec<_> = reader.take(1000).filter_map(Result::ok).collect();
        let mut writer = TmxWriter::new(Vec::new(), &header).expect("header written");
        let mut written = Vec::new();
        for unit in &units {
            // Units may hold a top-level <sub> (TMX 1.1); the writer keeps it.
            writer.write_unit(unit).expect("a unit read is writable");
            written.push(unit.clone());
        }
        let bytes = writer.finish().expect("finish");
        let back: Vec<_> = TmxReader::new(&bytes[..])
            .expect("own output reads")
            .collect::<Result<_, _>>()
            .expect("own output reads");
        assert_eq!(back, written);
    }
});
