//! Translation memory benches: import, exact and fuzzy lookup on a generated
//! memory (`korpu_testkit::corpus`). Small sizes so that they run in seconds;
//! `tools/tm_scale.rs` measures at 100k–1M units.
//!
//! ```text
//! cargo bench --bench tm
//! ```

use criterion::{Criterion, criterion_group, criterion_main};
use korpu::Lang;
use korpu::model::{TranslationUnit, Variant};
use korpu::tm::{ImportOptions, LookupOptions, TranslationMemory};
use korpu_testkit::corpus;

const UNITS: usize = 5_000;

fn units(n: usize, seed: u64) -> Vec<TranslationUnit> {
    let (en, tr, az): (Lang, Lang, Lang) = (
        "en".parse().unwrap(),
        "tr".parse().unwrap(),
        "az-Latn".parse().unwrap(),
    );
    corpus::Corpus::new(seed)
        .take(n)
        .map(|(e, t, a)| TranslationUnit {
            variants: vec![
                Variant::new(en.clone(), e),
                Variant::new(tr.clone(), t),
                Variant::new(az.clone(), a),
            ],
            ..Default::default()
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let tm = TranslationMemory::open(dir.path().join("bench.korpu")).unwrap();
    let data = units(UNITS, 1);
    tm.import(
        data.clone().into_iter().map(Ok),
        &ImportOptions::default(),
        |_| {},
    )
    .unwrap();
    let (en, tr): (Lang, Lang) = ("en".parse().unwrap(), "tr".parse().unwrap());
    let options = LookupOptions::default();
    let stored: Vec<String> = data
        .iter()
        .step_by(50)
        .map(|u| u.variants[0].segment.plain_text())
        .collect();
    let near: Vec<String> = stored
        .iter()
        .map(|s| {
            let mut w: Vec<&str> = s.split(' ').collect();
            let k = w.len() / 2;
            w[k] = "changed";
            w.join(" ")
        })
        .collect();
    let foreign: Vec<String> = corpus::Corpus::new(99).take(100).map(|t| t.0).collect();

    let mut g = c.benchmark_group("tm");
    g.sample_size(10)
        .measurement_time(std::time::Duration::from_secs(3));
    let mut i = 0;
    g.bench_function("lookup_exact_5k", |b| {
        b.iter(|| {
            i += 1;
            tm.lookup(&stored[i % stored.len()], &en, &tr, &options).unwrap()
        })
    });
    g.bench_function("lookup_fuzzy_5k", |b| {
        b.iter(|| {
            i += 1;
            tm.lookup(&near[i % near.len()], &en, &tr, &options).unwrap()
        })
    });
    g.bench_function("lookup_no_match_5k", |b| {
        b.iter(|| {
            i += 1;
            tm.lookup(&foreign[i % foreign.len()], &en, &tr, &options)
                .unwrap()
        })
    });
    let batch = units(1_000, 7);
    g.bench_function("import_1k_units", |b| {
        b.iter_batched(
            || {
                let d = tempfile::tempdir().unwrap();
                let t = TranslationMemory::open(d.path().join("i.korpu")).unwrap();
                (d, t)
            },
            |(_d, t)| {
                t.import(
                    batch.clone().into_iter().map(Ok),
                    &ImportOptions::default(),
                    |_| {},
                )
                .unwrap()
            },
            criterion::BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
