//! Fuzz the built-in segmenter: any UTF-8 text, in en, tr, az and a generic
//! language, must be partitioned into trimmed segments that never cross a
//! line break and whose gaps are white space (no panic, no hang).
#![no_main]

use libfuzzer_sys::fuzz_target;

use korpu::Lang;
use korpu::segment::Segmenter;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let tag = ["en", "tr", "az", "de"][usize::from(pick) % 4];
    let seg = Segmenter::new(&Lang::parse(tag).unwrap());
    let mut at = 0;
    for span in seg.spans(text) {
        assert!(span.start >= at && span.start < span.end && span.end <= text.len());
        assert!(text[at..span.start].chars().all(char::is_whitespace));
        let s = &text[span.clone()];
        assert_eq!(s.trim(), s);
        assert!(!s.contains(['\n', '\r']));
        at = span.end;
    }
    assert!(text[at..].chars().all(char::is_whitespace));
});
