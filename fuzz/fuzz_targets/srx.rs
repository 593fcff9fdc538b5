//! Fuzz the SRX reader: parse arbitrary bytes as SRX; when they parse,
//! segment a fixed text with the rules for a few languages. Errors are fine;
//! panics, hangs and unbounded memory are not.
#![no_main]

use libfuzzer_sys::fuzz_target;

use korpu::Lang;
use korpu::segment::SrxRules;

const TEXT: &str = "Mr. Smith went to Washington. He met Dr. Ayşe Kaya!\n5. madde… Şuşa'da? Evet. 14.30'da.";

fuzz_target!(|data: &[u8]| {
    let Ok(rules) = SrxRules::from_reader(data) else { return };
    for tag in ["en", "tr-TR", "az-Latn-AZ", "ja"] {
        let lang = Lang::parse(tag).unwrap();
        let seg = rules.segmenter(&lang);
        let mut at = 0;
        for span in seg.spans(TEXT) {
            assert!(span.start >= at && span.start < span.end && span.end <= TEXT.len());
            at = span.end;
        }
    }
});
