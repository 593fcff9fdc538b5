//! Glossary speed and memory (issue 4 targets):
//! - a synthetic glossary of 1M terms builds in ≤ 5 s and opens in ≤ 5 ms;
//! - exact lookup ≤ 2 µs; fuzzy (distance ≤ 2) ≤ 200 µs;
//! - scan ≥ 30 MB/s on Turkish and Azerbaijani news text with `places.tbx`.
//!
//! `cargo bench --bench glossary`. The 1M-term build is timed once (it is
//! seconds long) and printed, with the file size and the process RSS; the
//! criterion groups cover open, lookup, fuzzy and scan. Because the machines
//! this runs on are often shared, each figure is also printed as CPU time of
//! the bench thread (`cpu:` lines), which other processes do not inflate.
//! Scan uses `glossaries/places.tbx` when present (else a synthetic glossary
//! of 4,000 place-like names), the news samples in `benches/data/`, and,
//! when `KORPU_FIXTURES` is set, the Turkish news of the zemberek corpus.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput, black_box, criterion_group, criterion_main};
use korpu::Lang;
use korpu::glossary::{Glossary, GlossaryBuilder};
use korpu::model::{Concept, Term};

const SYLLABLES: &[&str] = &[
    "ka", "ra", "bağ", "şu", "şa", "ba", "kı", "az", "ər", "bay", "can", "is", "tan", "bul", "gən", "cə",
    "lan", "kən", "di", "ağ", "dam", "fü", "zu", "li", "qu", "ma", "dır", "er", "me", "ni", "gür", "cüs",
    "ri", "van", "na", "xç", "ıv", "an", "to", "vuz", "ləm", "çi", "öz", "ün", "sel", "ma", "tə", "yol",
    "su", "ay",
];

/// A deterministic pseudo-random word generator (xorshift).
struct Words(u64);

impl Words {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn word(&mut self) -> String {
        let n = 2 + (self.next() % 3) as usize;
        let mut w = String::new();
        for _ in 0..n {
            w.push_str(SYLLABLES[(self.next() % SYLLABLES.len() as u64) as usize]);
        }
        w
    }

    fn term(&mut self) -> String {
        let words = 1 + (self.next() % 100 < 30) as usize + (self.next() % 100 < 10) as usize;
        let mut t = String::new();
        for i in 0..words {
            if i > 0 {
                t.push(' ');
            }
            let w = self.word();
            let mut c = w.chars();
            if let Some(f) = c.next() {
                t.extend(korpu::text::uppercase(&f.to_string(), &"tr".parse().unwrap()).chars());
                t.push_str(c.as_str());
            }
        }
        t
    }
}

/// `terms` terms: concepts with a Turkish and an Azerbaijani term each.
fn synthetic(terms: usize, seed: u64) -> Vec<Concept> {
    let tr: Lang = "tr".parse().unwrap();
    let az: Lang = "az".parse().unwrap();
    let mut w = Words(seed);
    (0..terms / 2)
        .map(|i| Concept {
            id: format!("c{i}"),
            terms: vec![Term::new(tr.clone(), w.term()), Term::new(az.clone(), w.term())],
            ..Concept::default()
        })
        .collect()
}

fn rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .map(|s| {
            s.lines()
                .filter(|l| l.starts_with("VmRSS") || l.starts_with("VmHWM"))
                .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

/// CPU seconds this thread has run (Linux), or 0 elsewhere.
fn cpu() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|n| n.parse::<f64>().ok()))
        .map_or(0.0, |ns| ns / 1e9)
}

/// Runs `f` `n` times and prints its CPU time per call.
fn cpu_per_call(name: &str, n: usize, mut f: impl FnMut(usize)) {
    let t = cpu();
    for i in 0..n {
        f(i);
    }
    eprintln!("cpu: {name}: {:.2} µs per call", (cpu() - t) * 1e6 / n as f64);
}

fn million(dir: &Path) -> (PathBuf, Vec<Concept>) {
    let path = dir.join("million.glossary");
    let concepts = synthetic(1_000_000, 0x9E37_79B9_7F4A_7C15);
    let (t, c) = (Instant::now(), cpu());
    let mut b = GlossaryBuilder::new();
    for c in concepts.iter().cloned() {
        b.add(c).unwrap();
    }
    let stats = b.build(&path).unwrap();
    eprintln!(
        "glossary: 1M-term build: {:.2} s wall, cpu: {:.2} s ({} concepts, {} terms, {} keys, {:.1} MB); {}",
        t.elapsed().as_secs_f64(),
        cpu() - c,
        stats.concepts,
        stats.terms,
        stats.keys,
        stats.bytes as f64 / 1e6,
        rss()
    );
    (path, concepts)
}

fn places(dir: &Path) -> Glossary {
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("glossaries/places.tbx");
    let path = dir.join("places.glossary");
    let mut b = GlossaryBuilder::new();
    if shipped.exists() {
        for c in korpu::formats::tbx::TbxReader::from_path(&shipped).unwrap() {
            b.add(c.unwrap()).unwrap();
        }
        eprintln!("glossary: scan uses {}", shipped.display());
    } else {
        for c in synthetic(8_000, 42) {
            b.add(c).unwrap();
        }
        eprintln!("glossary: scan uses a synthetic glossary of 8,000 terms (glossaries/places.tbx absent)");
    }
    let stats = b.build(&path).unwrap();
    eprintln!(
        "glossary: places: {} concepts, {} terms",
        stats.concepts, stats.terms
    );
    Glossary::open(&path).unwrap()
}

/// About 1 MB of text: the sample repeated.
fn corpus(sample: &str) -> String {
    let mut s = String::with_capacity(1 << 20);
    while s.len() < 1 << 20 {
        s.push_str(sample);
        s.push('\n');
    }
    s
}

fn zemberek() -> Option<String> {
    let dir = std::env::var_os("KORPU_FIXTURES")?;
    let data = std::fs::read_to_string(Path::new(&dir).join("segmentation/zemberek-tr-train.jsonl")).ok()?;
    let mut s = String::new();
    for line in data.lines() {
        let v: serde_json::Value = serde_json::from_str(line).ok()?;
        s.push_str(v["text"].as_str()?);
        s.push('\n');
    }
    Some(s)
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let tr: Lang = "tr".parse().unwrap();
    let az: Lang = "az".parse().unwrap();

    let (path, concepts) = million(dir.path());
    let mut g = c.benchmark_group("glossary_1m");
    g.sample_size(10).measurement_time(Duration::from_secs(2));
    g.bench_function("open", |b| b.iter(|| Glossary::open(black_box(&path)).unwrap()));
    cpu_per_call("open 1M", 200, |_| {
        black_box(Glossary::open(&path).unwrap());
    });
    let gl = Glossary::open(&path).unwrap();
    let t = Instant::now();
    gl.verify().unwrap();
    eprintln!(
        "glossary: verify (full checksum) of the 1M-term file: {:?}",
        t.elapsed()
    );
    let queries: Vec<&str> = concepts
        .iter()
        .step_by(997)
        .map(|c| c.terms[0].text.as_str())
        .collect();
    // Hits borrow their term from the file and decode their concept on
    // request: "lookup_exact" reads each hit's term text and kind (what a
    // term list shows), "lookup_exact_concepts" also decodes each hit's
    // concept (what translations need).
    let touch = |hits: &[korpu::glossary::LookupHit<'_>]| -> usize {
        hits.iter().map(|h| h.term().text.len() + h.level as usize).sum()
    };
    let decode = |hits: &[korpu::glossary::LookupHit<'_>]| -> usize {
        hits.iter().map(|h| h.concept().unwrap().terms.len()).sum()
    };
    let mut i = 0;
    g.bench_function("lookup_exact", |b| {
        b.iter(|| {
            i = (i + 1) % queries.len();
            let hits = gl.lookup(black_box(queries[i]), &tr).unwrap();
            debug_assert!(!hits.is_empty());
            touch(&hits)
        })
    });
    let mut i = 0;
    g.bench_function("lookup_exact_concepts", |b| {
        b.iter(|| {
            i = (i + 1) % queries.len();
            let hits = gl.lookup(black_box(queries[i]), &tr).unwrap();
            touch(&hits) + decode(&hits)
        })
    });
    cpu_per_call("lookup_exact 1M", 20_000, |i| {
        black_box(touch(&gl.lookup(queries[i % queries.len()], &tr).unwrap()));
    });
    cpu_per_call("lookup_exact 1M, concepts decoded", 20_000, |i| {
        let hits = gl.lookup(queries[i % queries.len()], &tr).unwrap();
        black_box(touch(&hits) + decode(&hits));
    });
    // The queries that name one term only (no homonyms).
    let single: Vec<&str> = queries
        .iter()
        .copied()
        .filter(|q| gl.lookup(q, &tr).unwrap().len() == 1)
        .collect();
    cpu_per_call(
        &format!("lookup_exact 1M, {} single-hit queries", single.len()),
        20_000,
        |i| {
            black_box(touch(&gl.lookup(single[i % single.len()], &tr).unwrap()));
        },
    );
    // The synthetic glossary is dense (50 syllables): many queries name
    // several homonyms.
    let hits: usize = queries.iter().map(|q| gl.lookup(q, &tr).unwrap().len()).sum();
    eprintln!(
        "glossary: lookup_exact 1M: {:.1} hits per lookup on average",
        hits as f64 / queries.len() as f64
    );
    // The loop above asks each of its ~500 queries 40 times, so the
    // processor's caches hold their part of the file. Each query once, over
    // the whole glossary, is closer to a user's first lookups.
    let spread: Vec<&str> = concepts
        .iter()
        .step_by(25)
        .map(|c| c.terms[0].text.as_str())
        .collect();
    cpu_per_call("lookup_exact 1M, 20k distinct queries", spread.len(), |i| {
        black_box(touch(&gl.lookup(spread[i], &tr).unwrap()));
    });
    // Misspelled queries: one substitution and one deletion.
    let typos: Vec<String> = queries
        .iter()
        .map(|q| {
            let mut cs: Vec<char> = q.chars().collect();
            let n = cs.len();
            cs[n / 2] = 'x';
            cs.remove(n / 3);
            cs.into_iter().collect()
        })
        .collect();
    for d in [1u32, 2] {
        let mut i = 0;
        g.bench_with_input(BenchmarkId::new("fuzzy", d), &d, |b, &d| {
            b.iter(|| {
                i = (i + 1) % typos.len();
                gl.fuzzy(black_box(&typos[i]), &tr, d).unwrap().len()
            })
        });
    }
    for d in [1u32, 2] {
        cpu_per_call(&format!("fuzzy d={d} 1M"), 200, |i| {
            black_box(gl.fuzzy(&typos[i % typos.len()], &tr, d).unwrap());
        });
    }
    g.finish();
    eprintln!("glossary: after 1M-term queries: {}", rss());
    drop(gl);
    drop(concepts);

    let places = places(dir.path());
    let mut g = c.benchmark_group("glossary_scan");
    g.sample_size(10).measurement_time(Duration::from_secs(3));
    let mut texts = vec![
        ("tr_news", tr.clone(), corpus(include_str!("data/news.tr.txt"))),
        ("az_news", az.clone(), corpus(include_str!("data/news.az.txt"))),
    ];
    if let Some(z) = zemberek() {
        texts.push(("tr_zemberek", tr.clone(), z));
    }
    for (name, lang, text) in &texts {
        let c = cpu();
        let hits = places.scan(text, lang).unwrap();
        eprintln!(
            "glossary: scan {name}: {} bytes, {} hits; cpu: {:.1} MB/s",
            text.len(),
            hits.len(),
            text.len() as f64 / 1e6 / (cpu() - c)
        );
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function(*name, |b| {
            b.iter(|| places.scan(black_box(text), lang).unwrap().len())
        });
    }
    g.finish();
    eprintln!("glossary: end: {}", rss());
}

criterion_group!(glossary, benches);
criterion_main!(glossary);
