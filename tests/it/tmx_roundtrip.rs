//! TMX writer → reader round trips, and the TMX samples korpu ships.

use korpu::formats::tmx::{TmxReader, TmxWriter};
use korpu::model::{TmxHeader, TranslationUnit};
use proptest::prelude::*;

use crate::support::{self, tmx_strategy};

fn write(header: &TmxHeader, units: &[TranslationUnit]) -> Vec<u8> {
    let mut w = TmxWriter::new(Vec::new(), header).unwrap();
    for u in units {
        w.write_unit(u).unwrap();
    }
    w.finish().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn read_of_write_gives_the_units_back(
        header in tmx_strategy::header(),
        units in proptest::collection::vec(tmx_strategy::unit(), 0..6),
    ) {
        let bytes = write(&header, &units);
        let mut reader = TmxReader::new(&bytes[..]).unwrap();
        let back: Vec<_> = reader.by_ref().collect::<Result<_, _>>().unwrap();
        prop_assert_eq!(&back, &units);
        let mut expected = header.clone();
        expected.creation_tool = Some("korpu".into());
        expected.creation_tool_version = Some(env!("CARGO_PKG_VERSION").into());
        expected.adminlang.get_or_insert_with(|| "en".into());
        expected.srclang.get_or_insert_with(|| "*all*".into());
        expected.datatype.get_or_insert_with(|| "unknown".into());
        prop_assert_eq!(reader.header(), &expected);
        prop_assert_eq!(reader.version(), "1.4");
        // Stable output: the same units give the same bytes.
        prop_assert_eq!(write(&header, &units), bytes);
    }
}

/// Damaged input (bytes changed, inserted, cut) gives units or errors,
/// never a panic; whatever is read writes and reads back equal.
fn check_damaged(data: &[u8]) {
    for lenient in [false, true] {
        let Ok(reader) = TmxReader::with_options(data, korpu::formats::tmx::ReadOptions::lenient(lenient))
        else {
            continue;
        };
        let header = reader.header().clone();
        let units: Vec<_> = reader.filter_map(Result::ok).collect();
        let bytes = write(&header, &units);
        let back: Vec<_> = TmxReader::new(&bytes[..])
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(back, units);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn damaged_files_never_panic(
        file in proptest::sample::select(vec![
            "omegat-project_save-1.1.tmx",
            "omegat-level2-1.4.tmx",
            "po2tmx.tmx",
            "legacy-iso-8859-9.tmx",
        ]),
        edits in proptest::collection::vec((any::<proptest::sample::Index>(), any::<u8>(), 0u8..3), 1..6),
        cut in proptest::option::of(any::<proptest::sample::Index>()),
    ) {
        let path = support::data(file);
        let mut data = std::fs::read(path).unwrap();
        for (at, byte, op) in edits {
            let i = at.index(data.len());
            match op {
                0 => data[i] = byte,
                1 => data.insert(i, byte),
                _ => {
                    // Insert markup-significant characters.
                    let s: &[u8] = [b"<".as_slice(), b"&", b"</seg>", b"<hi>", b"<!--", b"]]>", b"&#0;", b"\"", b"<tu>"]
                        [usize::from(byte) % 9];
                    data.splice(i..i, s.iter().copied());
                }
            }
        }
        if let Some(c) = cut {
            data.truncate(c.index(data.len()));
        }
        check_damaged(&data);
    }
}
