//! A translation memory in a few lines: store two units, then ask for a
//! sentence that was never translated exactly.
//!
//! ```text
//! cargo run --example tm_lookup
//! ```

use korpu::Lang;
use korpu::model::{TranslationUnit, Variant};
use korpu::tm::{LookupOptions, TranslationMemory};

fn main() -> korpu::Result<()> {
    let dir = std::env::temp_dir().join(format!("korpu-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    // One file holds the units and their index; it is created on first open.
    let tm = TranslationMemory::open(dir.join("example.korpu"))?;

    let (en, tr, az): (Lang, Lang, Lang) = ("en".parse()?, "tr".parse()?, "az-Latn".parse()?);
    // A unit may hold any number of languages; every pair is a direction.
    tm.add(TranslationUnit {
        variants: vec![
            Variant::new(en.clone(), "The conference in Shusha starts on 12 May."),
            Variant::new(tr.clone(), "Şuşa'daki konferans 12 Mayıs'ta başlıyor."),
            Variant::new(az.clone(), "Şuşadakı konfrans 12 mayda başlayır."),
        ],
        ..Default::default()
    })?;

    // A different date: a fuzzy match whose target has the number replaced.
    // `az` finds the `az-Latn` variant.
    let options = LookupOptions {
        min_score: 70,
        limit: 3,
        ..Default::default()
    };
    for m in tm.lookup(
        "The conference in Shusha starts on 14 May.",
        &en,
        &"az".parse()?,
        &options,
    )? {
        println!("{} ({:?}): {}", m.score, m.kind, m.adapted_target);
        // Why not 100: one number changed, 0.5 of an edit.
        println!("  edits: {:?}", m.breakdown);
    }

    // Concordance: the Turkish phrase is found inside an inflected word.
    for hit in tm.concordance("Şuşa", &tr, 10)? {
        println!("concordance: {} at {:?}", hit.text, hit.spans);
    }
    drop(tm);
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
