//! TMX writer → reader round trips, and the TMX samples korpu ships.

#[path = "support/tmx_strategy.rs"]
mod tmx_strategy;

use korpu::formats::tmx::{TmxReader, TmxWriter};
use korpu::model::{TmxHeader, TranslationUnit};
use proptest::prelude::*;

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
