//! `TmxWriter` output validates against the TMX 1.4b DTD, for generated
//! units using every inline element and attribute.
//!
//! Needs `KORPU_FIXTURES` (for `../schemas/tmx14.dtd`) and `xmllint`.

use korpu::formats::tmx::TmxWriter;
use korpu::model::TmxHeader;
use proptest::prelude::*;

use crate::support::{tmx_strategy, xmllint};

#[test]
#[ignore = "needs KORPU_FIXTURES"]
fn written_tmx_is_dtd_valid() {
    let strategy = (
        tmx_strategy::header(),
        proptest::collection::vec(tmx_strategy::unit(), 1..12),
    );
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 24,
        ..ProptestConfig::default()
    });
    runner
        .run(&strategy, |(header, units)| {
            let mut w = TmxWriter::new(Vec::new(), &header).unwrap();
            for u in &units {
                w.write_unit(u).unwrap();
            }
            xmllint::assert_dtd_valid(&w.finish().unwrap(), "generated units");
            Ok(())
        })
        .unwrap();
}

#[test]
#[ignore = "needs KORPU_FIXTURES"]
fn an_empty_memory_is_dtd_valid() {
    let w = TmxWriter::new(Vec::new(), &TmxHeader::default()).unwrap();
    xmllint::assert_dtd_valid(&w.finish().unwrap(), "empty memory");
}
