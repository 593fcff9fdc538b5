//! Scale measurements of a translation memory built from a generated TMX
//! (see `benches/tools/gen_corpus.rs`): cold open plus first lookup, lookup
//! latency percentiles, disk bytes per unit and peak RSS.
//!
//! ```text
//! cargo bench --bench gen_corpus -- 1000000 /tmp/c1m.tmx
//! korpu tm import --tm /tmp/c1m.korpu /tmp/c1m.tmx          # import speed
//! cargo bench --bench tm_scale -- /tmp/c1m.korpu 1000000 [queries] [templated]
//! ```
//! Lookup latency is measured twice over the same queries: right after
//! opening (the caches fill as they come), then in a steady state, on a
//! fresh instance after as many other lookups (`STEADY_ONLY=1` skips the
//! first).
//!
//! The second argument is the number of units the TMX was generated with
//! (seed 1), so that the queries can be near-misses of stored sentences;
//! `templated` when it was generated with `templated`. `KORPU_CACHE_MB` sets
//! the size of each cache (default 256). Without arguments it prints its
//! usage.

use std::time::Instant;

use korpu::Lang;
use korpu::tm::{LookupOptions, TranslationMemory};
use korpu_testkit::corpus;
use korpu_testkit::tool::{self, peak_rss_kb};

/// CPU time of this thread: on a shared machine, wall clock measures the
/// other processes too.
fn thread_cpu_ms() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec through a valid pointer.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 * 1e3 + ts.tv_nsec as f64 / 1e6
}

fn main() -> korpu::Result<()> {
    let Some(args) = tool::args("cargo bench --bench tm_scale -- STORE UNITS [QUERIES] [templated]") else {
        return Ok(());
    };
    let mut args = args.into_iter();
    let Some(path) = args.next() else {
        return Ok(());
    };
    let units: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let nq: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1_000);
    let templated = args.next().is_some_and(|a| a == "templated");
    let corpus = |seed| {
        if templated {
            corpus::Corpus::templated(seed)
        } else {
            corpus::Corpus::new(seed)
        }
    };
    let (en, tr): (Lang, Lang) = ("en".parse()?, "tr".parse()?);
    let options = LookupOptions {
        min_score: 70,
        limit: 5,
        ..Default::default()
    };

    // Queries: half are stored sentences with one word or number changed,
    // half are new sentences of the same generator (another seed). Both
    // kinds mostly have fuzzy matches: the vocabulary is shared.
    // The stored sentences queried, from one pass over the corpus: every
    // `step`-th unit for the measured queries, those half-way between for
    // the warm-up.
    let step = (units / nq.max(1)).max(1);
    let (mut measured, mut other) = (Vec::new(), Vec::new());
    for (i, (en, _, _)) in corpus(1).take(units).enumerate() {
        if i % step == 0 {
            measured.push(en);
        } else if i % step == step / 2 {
            other.push(en);
        }
    }
    let make_queries = |stored: &[String], seed: u64, other_seed: u64| {
        let mut rng = corpus::Rng::new(seed);
        let mut queries = Vec::with_capacity(nq);
        for (i, (other, _, _)) in corpus(other_seed).take(nq).enumerate() {
            if i % 2 == 0 {
                let s = &stored[rng.below(stored.len())];
                let mut words: Vec<&str> = s.split(' ').collect();
                let k = rng.below(words.len());
                words[k] = "changed";
                queries.push(words.join(" "));
            } else {
                queries.push(other);
            }
        }
        queries
    };
    let queries = make_queries(&measured, 42, 99);
    // Another set from other stored units and another seed: it brings the
    // caches to a steady state without holding the measured queries' docs.
    let warm_up = make_queries(if other.is_empty() { &measured } else { &other }, 7, 98);

    let t = Instant::now();
    // The lookup caches (see `TranslationMemory::open_with_cache`), 256 MiB
    // each unless KORPU_CACHE_MB says otherwise.
    let cache_mb: usize = std::env::var("KORPU_CACHE_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    let tm = TranslationMemory::open_with_cache(&path, cache_mb << 20)?;
    let first = tm.lookup(&queries[0], &en, &tr, &options)?;
    let cold = t.elapsed();
    println!(
        "cold open + first lookup: {:.1} ms ({} matches)",
        cold.as_secs_f64() * 1e3,
        first.len()
    );

    // Lookup latency, twice: right after opening (the caches fill as the
    // queries come), then in a steady state, after as many other lookups.
    let measure = |tm: &TranslationMemory, what: &str, queries: &[String]| -> korpu::Result<()> {
        let mut times = Vec::with_capacity(queries.len());
        let mut cpu = Vec::with_capacity(queries.len());
        let mut found = 0usize;
        for q in queries {
            let (t, c) = (Instant::now(), thread_cpu_ms());
            let m = tm.lookup(q, &en, &tr, &options)?;
            times.push(t.elapsed().as_secs_f64() * 1e3);
            cpu.push(thread_cpu_ms() - c);
            found += usize::from(!m.is_empty());
        }
        for (clock, v) in [("wall", &mut times), ("cpu", &mut cpu)] {
            v.sort_by(|a, b| a.total_cmp(b));
            let pct = |p: f64| v[((v.len() as f64 - 1.0) * p) as usize];
            println!(
                "lookup {clock} {what} (min 70, limit 5), {} queries, {found} with matches: p50 {:.3} ms, p90 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
                queries.len(),
                pct(0.5),
                pct(0.9),
                pct(0.99),
                pct(1.0)
            );
        }
        Ok(())
    };
    if std::env::var_os("STEADY_ONLY").is_none() {
        measure(&tm, "after open", &queries)?;
    }
    // A fresh instance, so that its caches hold none of the measured docs.
    drop(tm);
    let tm = TranslationMemory::open_with_cache(&path, cache_mb << 20)?;
    for q in &warm_up {
        tm.lookup(q, &en, &tr, &options)?;
    }
    measure(&tm, "steady", &queries)?;
    let stats = tm.stats()?;
    println!(
        "units {}, disk {} bytes ({:.0} bytes/unit), peak RSS {} MB",
        stats.units,
        stats.size_on_disk,
        stats.size_on_disk as f64 / stats.units.max(1) as f64,
        peak_rss_kb().unwrap_or(0) / 1024
    );
    Ok(())
}
