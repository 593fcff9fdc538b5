//! Fuzzes the TBX reader: any bytes must give concepts or an error, never a
//! panic, a hang or unbounded memory; whatever is read must survive
//! write_tbx → TbxReader unchanged.
#![no_main]

use korpu::formats::tbx::{TbxReader, write_tbx};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(reader) = TbxReader::new(data) else { return };
    let mut concepts = Vec::new();
    for item in reader.take(10_000) {
        match item {
            Ok(c) => concepts.push(c),
            Err(e) => {
                // Errors always say where.
                let _ = e.to_string();
                return;
            }
        }
    }
    // The writer may refuse a concept only for a reason the reader also checks
    // (it never produces one); so a readable file must round-trip.
    let mut out = Vec::new();
    write_tbx(&mut out, &concepts).expect("write_tbx of read concepts");
    let back: Vec<_> = TbxReader::new(&out[..])
        .expect("reader accepts writer output")
        .collect::<korpu::Result<_>>()
        .expect("reader accepts writer output");
    assert_eq!(back, concepts);
});
