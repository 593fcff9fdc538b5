//! Split a short Turkish text into sentences with korpu's built-in rules.
//!
//! `cargo run --example segment`

use korpu::Lang;
use korpu::segment::Segmenter;

fn main() -> Result<(), korpu::Error> {
    // A segmenter is built once per language and reused for every text.
    let tr = Segmenter::new(&Lang::parse("tr")?);

    // Abbreviations (Prof., Dr., vb.), ordinals (5. madde), times (14.30)
    // and numbers (1.500) do not end a sentence; each line is a paragraph.
    let text = "Prof. Dr. Ayşe Kaya, kanunun 5. maddesini okudu. Toplantı 14.30'da bitti.\n\
                Katılımcı sayısı 1.500'ü geçti; elma, armut vb. ikram edildi. Peki sonra ne oldu?";

    // `segments` yields &str slices of the input, `spans` their byte ranges.
    for (n, (span, sentence)) in tr.spans(text).map(|s| (s.clone(), &text[s])).enumerate() {
        println!("{:>2}. [{:>3}..{:>3}] {sentence}", n + 1, span.start, span.end);
    }
    Ok(())
}
