//! A tour of korpu: segment the bundled sample news texts (the Shusha
//! Declaration) in English, Turkish and Azerbaijani.
//!
//! `cargo run --release --example tour`
//!
//! Prints numbered segments with their byte spans, per language; colours and
//! headings only when standard output is a terminal.

use std::io::IsTerminal;

use korpu::Lang;
use korpu::segment::Segmenter;

const SAMPLES: [(&str, &str, &str); 3] = [
    ("en", "English", include_str!("data/sample.en.txt")),
    ("tr", "Türkçe", include_str!("data/sample.tr.txt")),
    ("az", "Azərbaycanca", include_str!("data/sample.az.txt")),
];

fn main() -> Result<(), korpu::Error> {
    let fancy = std::io::stdout().is_terminal();
    let (bold, dim, reset) = if fancy {
        ("\x1b[1m", "\x1b[2m", "\x1b[0m")
    } else {
        ("", "", "")
    };
    for (tag, name, text) in SAMPLES {
        let segmenter = Segmenter::new(&Lang::parse(tag)?);
        let spans: Vec<_> = segmenter.spans(text).collect();
        println!(
            "{bold}== {name} ({tag}): {} segments, {} bytes{reset}",
            spans.len(),
            text.len()
        );
        for (n, span) in spans.iter().enumerate() {
            println!(
                "{:>3} {dim}{:>5}..{:<5}{reset} {}",
                n + 1,
                span.start,
                span.end,
                &text[span.clone()]
            );
        }
        println!();
    }
    Ok(())
}
