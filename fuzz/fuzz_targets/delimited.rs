//! Fuzzes the delimited (TSV/CSV/OmegaT) glossary reader: any bytes give
//! concepts or an error, never a panic; what is read as TSV or OmegaT is
//! written back with write_tsv and read again to the same concepts.
#![no_main]

use korpu::Lang;
use korpu::formats::delimited::{DelimitedOptions, read_delimited, write_tsv};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, data)) = data.split_first() else { return };
    let options = match mode % 3 {
        0 => DelimitedOptions::tsv(),
        1 => DelimitedOptions::csv(),
        _ => DelimitedOptions::omegat(Lang::parse("en").unwrap(), Lang::parse("tr").unwrap()),
    };
    let Ok(reader) = read_delimited(data, &options) else { return };
    let langs = reader.languages();
    let mut concepts = Vec::new();
    for item in reader.take(10_000) {
        match item {
            Ok(c) => concepts.push(c),
            Err(_) => return,
        }
    }
    // CSV cells may hold tabs and line breaks, which TSV cannot.
    if mode % 3 != 1 {
        let mut out = Vec::new();
        write_tsv(&mut out, &concepts, &langs).expect("write_tsv of read concepts");
        let back: Vec<_> = read_delimited(&out[..], &DelimitedOptions::tsv())
            .expect("reader accepts writer output")
            .collect::<korpu::Result<_>>()
            .expect("reader accepts writer output");
        assert_eq!(back, concepts);
    }
});
