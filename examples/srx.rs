//! Segment with the rules of an SRX 2.0 file (examples/data/custom.srx, or
//! the file given as the first argument).
//!
//! `cargo run --example srx [-- FILE.srx]`

use korpu::Lang;
use korpu::segment::SrxRules;

fn main() -> Result<(), korpu::Error> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/custom.srx").to_string());
    // Parsing compiles every rule; a bad regex is reported with its rule and line.
    let rules = SrxRules::from_path(&path)?;

    let text = "Dos. Dr. Elnur Quliyev 3. bölməni oxudu. Müdafiə, nəqliyyat və s. sahələr müzakirə olundu. \
                Növbəti iclas 27 sentyabrda keçiriləcək!";
    for tag in ["az", "en"] {
        let lang = Lang::parse(tag)?;
        // The language map decides which rules apply; with cascade="yes"
        // every matching language rule does, in map order.
        println!("{tag}: rules {:?}", rules.rule_names_for(&lang));
        for sentence in rules.segmenter(&lang).segments(text) {
            println!("  | {sentence}");
        }
    }
    Ok(())
}
