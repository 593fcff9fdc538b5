//! A tour of korpu's main job, on bundled data only:
//!
//! 1. segment a news text (`examples/data/sample.en.txt`, and its Turkish and
//!    Azerbaijani companions);
//! 2. find the glossary terms of each segment (`glossaries/karabakh.tbx`) and show
//!    their Turkish and Azerbaijani equivalents — inflected forms included;
//! 3. load an EN–TR–AZ memory (`examples/data/karabakh.tmx`);
//! 4. look each segment up en→tr and en→az: exact and in-context matches, then
//!    fuzzy matches for altered sentences, with the score breakdown and the
//!    numbers substituted in the target;
//! 5. export the memory as TMX and say where it went.
//!
//! `cargo run --release --example tour`
//!
//! Colour only when standard output is a terminal. Everything it writes goes to
//! a fresh folder under the system's temporary directory.

use std::fs::File;
use std::io::{BufReader, IsTerminal};
use std::path::{Path, PathBuf};

use korpu::formats::tbx::TbxReader;
use korpu::formats::tmx::{TmxReader, TmxWriter};
use korpu::glossary::{Glossary, GlossaryBuilder};
use korpu::model::TmxHeader;
use korpu::segment::Segmenter;
use korpu::tm::{ImportOptions, LookupOptions, Match, TranslationMemory};
use korpu::{Lang, Result};

const SAMPLE_EN: &str = include_str!("data/sample.en.txt");
const SAMPLE_TR: &str = include_str!("data/sample.tr.txt");
const SAMPLE_AZ: &str = include_str!("data/sample.az.txt");

/// Sentences of the sample, changed the way a new version of a text changes:
/// another date, other figures, another city. The memory has only the originals.
const ALTERED: [&str; 4] = [
    "Shusha was retaken on Nov. 9, 2020, during the 44-day war.",
    "She noted that trade between the two countries grew 18.5% in 2021, to 5.2 billion dollars.",
    "The next round of talks is planned for Oct. 12 in Baku.",
    "Details will be published at www.mfa.gov.az next week.",
];

struct Style {
    bold: &'static str,
    dim: &'static str,
    green: &'static str,
    yellow: &'static str,
    cyan: &'static str,
    reset: &'static str,
}

impl Style {
    fn new() -> Style {
        if std::io::stdout().is_terminal() {
            Style {
                bold: "\x1b[1m",
                dim: "\x1b[2m",
                green: "\x1b[32m",
                yellow: "\x1b[33m",
                cyan: "\x1b[36m",
                reset: "\x1b[0m",
            }
        } else {
            Style {
                bold: "",
                dim: "",
                green: "",
                yellow: "",
                cyan: "",
                reset: "",
            }
        }
    }

    fn heading(&self, text: &str) {
        println!("\n{}== {text}{}", self.bold, self.reset);
    }
}

fn main() -> Result<()> {
    let started = std::time::Instant::now();
    let s = Style::new();
    let (en, tr, az): (Lang, Lang, Lang) = ("en".parse()?, "tr".parse()?, "az".parse()?);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = fresh_dir()?;

    // 1. Segment.
    s.heading("1. Segment (built-in rules for en, tr, az)");
    let segments: Vec<&str> = Segmenter::new(&en).segments(SAMPLE_EN).collect();
    for (n, seg) in segments.iter().enumerate() {
        println!("{:>3}  {seg}", n + 1);
    }
    for (lang, text) in [(&tr, SAMPLE_TR), (&az, SAMPLE_AZ)] {
        let count = Segmenter::new(lang).segments(text).count();
        println!(
            "{}     {lang}: {count} segments in the {lang} sample{}",
            s.dim, s.reset
        );
    }

    // 2. Glossary terms, with their equivalents.
    s.heading("2. Glossary terms (glossaries/karabakh.tbx)");
    let glossary_path = work.join("karabakh.glossary");
    let mut builder = GlossaryBuilder::new();
    builder.extend(TbxReader::from_path(root.join("glossaries/karabakh.tbx"))?)?;
    builder.build(&glossary_path)?;
    let glossary = Glossary::open(&glossary_path)?;
    println!(
        "{}{} concepts, {} terms{}",
        s.dim,
        glossary.concept_count(),
        glossary.term_count(),
        s.reset
    );
    for (n, seg) in segments.iter().enumerate() {
        let hits = glossary.scan(seg, &en)?;
        if hits.is_empty() {
            continue;
        }
        let found: Vec<String> = hits
            .iter()
            .map(|h| {
                let eq = |lang: &Lang| {
                    glossary
                        .translations(&h.concept, lang)
                        .first()
                        .map_or_else(|| "—".to_string(), |t| t.text.clone())
                };
                format!(
                    "{}{}{} → tr {} · az {}",
                    s.cyan,
                    &seg[h.start..h.end],
                    s.reset,
                    eq(&tr),
                    eq(&az)
                )
            })
            .collect();
        println!("{:>3}  {}", n + 1, found.join("; "));
    }
    println!(
        "\n{}Inflected forms in the Turkish and Azerbaijani samples:{}",
        s.bold, s.reset
    );
    for (lang, text) in [(&tr, SAMPLE_TR), (&az, SAMPLE_AZ)] {
        let forms: Vec<String> = glossary
            .scan(text, lang)?
            .into_iter()
            .filter(|h| h.inflected)
            .map(|h| format!("{} ({})", &text[h.start..h.end], h.term().text))
            .collect();
        println!("  {lang}: {}", forms.join(", "));
    }

    // 3. Load the memory.
    s.heading("3. Translation memory (examples/data/karabakh.tmx)");
    let tm_path = work.join("karabakh.korpu");
    let tm = TranslationMemory::open(&tm_path)?;
    let tmx = root.join("examples/data/karabakh.tmx");
    let reader = TmxReader::new(BufReader::new(
        File::open(&tmx).map_err(|e| korpu::Error::io(&tmx, e))?,
    ))
    .map_err(|e| e.in_file(&tmx))?;
    let summary = tm.import(reader, &ImportOptions::default(), |_| {})?;
    println!(
        "read {} units, added {}, merged {}",
        summary.read, summary.added, summary.merged
    );

    // 4. Look up each segment, in context, then the altered sentences.
    s.heading("4a. Lookup of the sample's segments (en→tr, en→az), in context");
    for (n, seg) in segments.iter().enumerate() {
        let options = LookupOptions {
            min_score: 70,
            limit: 1,
            prev: Some(if n > 0 {
                segments[n - 1].to_string()
            } else {
                String::new()
            }),
            next: Some(segments.get(n + 1).map_or_else(String::new, |s| s.to_string())),
        };
        for lang in [&tr, &az] {
            match tm.lookup(seg, &en, lang, &options)?.first() {
                Some(m) => println!(
                    "{:>3} {lang} {}  {}",
                    n + 1,
                    score(&s, m),
                    m.target.segment.plain_text()
                ),
                None => println!("{:>3} {lang} {}  no match{}", n + 1, s.dim, s.reset),
            }
        }
    }

    s.heading("4b. Fuzzy matches for altered sentences");
    let options = LookupOptions {
        min_score: 60,
        limit: 1,
        ..LookupOptions::default()
    };
    for query in ALTERED {
        println!("{}query{}  {query}", s.bold, s.reset);
        for lang in [&tr, &az] {
            let Some(m) = tm.lookup(query, &en, lang, &options)?.into_iter().next() else {
                println!("  {lang}  no match");
                continue;
            };
            let b = &m.breakdown;
            println!(
                "  {lang} {}  source  {}",
                score(&s, &m),
                m.source.segment.plain_text()
            );
            println!(
                "  {}         why: {} word, {} number, {} punctuation, {} case, {} diacritics, {} tag edit(s); distance {:.1}{}",
                s.dim,
                b.word,
                b.number,
                b.punctuation,
                b.case,
                b.diacritics,
                b.tag,
                b.distance(),
                s.reset
            );
            println!("          target  {}", m.target.segment.plain_text());
            if m.adapted_target != m.target.segment.plain_text() {
                println!("         {}adapted{}  {}", s.green, s.reset, m.adapted_target);
            }
        }
    }

    // 5. Export.
    s.heading("5. Export");
    let out = work.join("karabakh-export.tmx");
    let file = File::create(&out).map_err(|e| korpu::Error::io(&out, e))?;
    let header = TmxHeader {
        srclang: Some(en.to_string()),
        datatype: Some("plaintext".into()),
        ..TmxHeader::default()
    };
    let mut tmx = TmxWriter::new(std::io::BufWriter::new(file), &header)?;
    let units = tm.units()?.in_languages(&[en.clone(), tr.clone(), az.clone()]);
    let written = tmx.write_units(units.map(|u| u.map(|(_, unit)| unit)), |_| {})?;
    tmx.finish()?;
    println!("exported {written} units (TMX 1.4b) to {}", out.display());
    println!("{}done in {} ms{}", s.dim, started.elapsed().as_millis(), s.reset);
    Ok(())
}

fn score(s: &Style, m: &Match) -> String {
    let colour = if m.score >= 100 { s.green } else { s.yellow };
    format!("{colour}{:>3} {:<7}{}", m.score, m.kind.as_str(), s.reset)
}

/// A new, empty working folder for this run.
fn fresh_dir() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("korpu-tour-{}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| korpu::Error::io(&dir, e))?;
    }
    std::fs::create_dir_all(&dir).map_err(|e| korpu::Error::io(&dir, e))?;
    Ok(dir)
}
