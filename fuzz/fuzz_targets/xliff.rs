//! Fuzzes the XLIFF reader, rewriter and harvester: any input must give a
//! result or an error, never a panic or a hang; a document that reads
//! without error must come back byte for byte when nothing is filled, and
//! must still read after every segment is filled, also when units are split
//! into sentences first (`segment`), and splitting again changes nothing.
#![no_main]

use korpu::formats::xliff::{PretranslateOptions, SegmentQuery, Suggestion, Suggestions, XliffUnits, pretranslate};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let none = |_: &SegmentQuery<'_>| Ok(Suggestions::default());
    let mut out = Vec::new();
    if pretranslate(data, &mut out, none, &PretranslateOptions::default()).is_ok() {
        assert_eq!(out, data);
        // Fill every segment with its own source: the result must parse.
        let echo = |q: &SegmentQuery<'_>| {
            Ok(Suggestions {
                matches: vec![Suggestion {
                    score: 100,
                    origin: "fuzz".into(),
                    source: q.source.clone(),
                    target: q.source.clone(),
                    adapted_target: q.text.to_string(),
                }],
                terms: Vec::new(),
            })
        };
        let mut filled = Vec::new();
        if pretranslate(data, &mut filled, echo, &PretranslateOptions::default()).is_ok() {
            let mut again = Vec::new();
            assert!(pretranslate(&filled[..], &mut again, none, &PretranslateOptions::default()).is_ok());
        }
        let split = PretranslateOptions {
            segment: true,
            ..PretranslateOptions::default()
        };
        let mut segmented = Vec::new();
        if pretranslate(data, &mut segmented, none, &split).is_ok() {
            let mut again = Vec::new();
            assert!(pretranslate(&segmented[..], &mut again, none, &split).is_ok());
            assert_eq!(again, segmented);
        }
        let mut filled = Vec::new();
        if pretranslate(data, &mut filled, echo, &split).is_ok() {
            let mut again = Vec::new();
            assert!(pretranslate(&filled[..], &mut again, none, &PretranslateOptions::default()).is_ok());
        }
    }
    for unit in XliffUnits::new(data).into_iter().flatten() {
        if unit.is_err() {
            break;
        }
    }
});
