//! Build a small glossary, look terms up at every level, and find terms in
//! Turkish and Azerbaijani text, inflected forms included.
//!
//! `cargo run --example glossary`

use korpu::Lang;
use korpu::glossary::{Glossary, GlossaryBuilder};
use korpu::model::{Concept, Term};

fn main() -> korpu::Result<()> {
    let en: Lang = "en".parse()?;
    let tr: Lang = "tr".parse()?;
    let az: Lang = "az".parse()?;

    // 1. Build: concepts with terms in three languages, written to one file.
    let rows = [
        ("shusha", "Shusha", "Şuşa", "Şuşa"),
        ("karabakh", "Karabakh", "Karabağ", "Qarabağ"),
        ("azerbaijan", "Azerbaijan", "Azerbaycan", "Azərbaycan"),
        ("baku", "Baku", "Bakü", "Bakı"),
        ("istanbul", "Istanbul", "İstanbul", "İstanbul"),
        (
            "decl",
            "Shusha Declaration",
            "Şuşa Beyannamesi",
            "Şuşa Bəyannaməsi",
        ),
        (
            "osce-mg",
            "OSCE Minsk Group",
            "AGİT Minsk Grubu",
            "ATƏT-in Minsk qrupu",
        ),
    ];
    let mut builder = GlossaryBuilder::new();
    for (id, e, t, a) in rows {
        builder.add(Concept {
            id: id.into(),
            terms: vec![
                Term::new(en.clone(), e),
                Term::new(tr.clone(), t),
                Term::new(az.clone(), a),
            ],
            ..Concept::default()
        })?;
    }
    let dir = std::env::temp_dir().join(format!("korpu-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| korpu::Error::io(&dir, e))?;
    let path = dir.join("example.glossary");
    let stats = builder.build(&path)?;
    println!(
        "built {}: {} concepts, {} terms, {} bytes",
        path.display(),
        stats.concepts,
        stats.terms,
        stats.bytes
    );

    // 2. Open (a memory map; O(1)) and look up at every level.
    let g = Glossary::open(&path)?;
    for (query, lang) in [
        ("İstanbul", &tr),   // exact
        ("İSTANBUL", &tr),   // case (Turkic: İ → i)
        ("karabag", &tr),    // loose (no diacritics)
        ("Shusha", &az),     // translit
        ("Azerbaican", &tr), // nothing: try fuzzy below
    ] {
        let hits = g.lookup(query, lang)?;
        match hits.first() {
            Some(h) => println!(
                "lookup {query:>12} ({lang}): {} [{}] → en {:?}",
                h.term().text,
                h.level,
                // Hits decode their concept on request.
                g.translations(&h.concept()?, &en)
                    .iter()
                    .map(|t| t.text.clone())
                    .collect::<Vec<_>>()
            ),
            None => println!("lookup {query:>12} ({lang}): no match"),
        }
    }
    for h in g.fuzzy("Azerbaican", &tr, 2)? {
        println!(
            "fuzzy  {:>12} (tr): {} at distance {}",
            "Azerbaican",
            h.term().text,
            h.distance
        );
    }
    for h in g.prefix("şu", &tr, 5)? {
        println!("prefix {:>12} (tr): {} [{}]", "şu", h.term().text, h.level);
    }

    // 3. Scan running text.
    let texts = [
        (
            &tr,
            "Şuşa Beyannamesi'ni imzalayan liderler KARABAĞ'DAKİ projeleri, AGİT Minsk Grubu'nun rolünü ve Bakü'deki toplantıyı konuştu.",
        ),
        (
            &az,
            "Şuşa Bəyannaməsinin imzalanmasından sonra Qarabağda bərpa işləri sürətləndi; Bakıdan gələn nümayəndələr ATƏT-in Minsk qrupunun fəaliyyətini və Azərbaycanlı alimləri xatırlatdı.",
        ),
    ];
    for (lang, text) in texts {
        println!("\nscan ({lang}): {text}");
        for h in g.scan(text, lang)? {
            println!(
                "  {:>3}..{:<3} {:<24} → {:<20} {}",
                h.start,
                h.end,
                &text[h.start..h.end],
                h.term().text,
                h.match_name()
            );
        }
    }
    std::fs::remove_dir_all(&dir).map_err(|e| korpu::Error::io(&dir, e))?;
    Ok(())
}
