//! Segmentation speed: `cargo bench --bench segment`.
//!
//! - `sample/{en,tr,az}`: the bundled sample texts (examples/data), each
//!   repeated to about 10 MB, with the language's own rules;
//! - `mixed-10MB/{en,tr,az}`: a generated 10 MB text mixing the three
//!   languages' paragraphs, segmented with each language's rules;
//! - `one-line/{1,10,100}MB`: a single paragraph (no line break) of English
//!   sentences, to show linear time;
//! - `uax29/en`: unicode-segmentation's UAX #29 sentence iterator on the same
//!   English text, for comparison (no korpu rules applied).
//!
//! - `oncpu/…`: the sample and mixed texts again, timed by the thread's
//!   on-CPU time (`/proc/thread-self/schedstat`, Linux) instead of the wall
//!   clock: the speed on one core even when the machine is shared. Elsewhere
//!   it falls back to the wall clock.
//!
//! Throughput is reported in bytes per second (criterion's MiB/s).

use criterion::measurement::{Measurement, ValueFormatter};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

use korpu::Lang;
use korpu::segment::Segmenter;
use unicode_segmentation::UnicodeSegmentation;

const EN: &str = include_str!("../examples/data/sample.en.txt");
const TR: &str = include_str!("../examples/data/sample.tr.txt");
const AZ: &str = include_str!("../examples/data/sample.az.txt");

/// `text` repeated up to about `bytes`, numbers varied so that the text is
/// not one block over and over.
fn repeat(text: &str, bytes: usize, sep: &str) -> String {
    let mut out = String::with_capacity(bytes + text.len());
    let mut n = 0u32;
    while out.len() < bytes {
        n += 1;
        for line in text.lines() {
            out.push_str(&line.replace("44", &format!("{}", 40 + n % 9)));
            out.push_str(sep);
        }
    }
    out
}

fn mixed(bytes: usize) -> String {
    let paras: Vec<&str> = [EN, TR, AZ].iter().flat_map(|t| t.lines()).collect();
    let mut out = String::with_capacity(bytes + 4096);
    let mut i = 0usize;
    while out.len() < bytes {
        // A fixed pseudo-random walk over the paragraphs.
        i = (i * 7 + 3) % paras.len();
        out.push_str(paras[i]);
        out.push_str(if i.is_multiple_of(5) { "\n\n" } else { "\n" });
    }
    out
}

fn count(seg: &Segmenter, text: &str) -> usize {
    seg.spans(text).count()
}

fn bench(c: &mut Criterion) {
    let langs = [("en", EN), ("tr", TR), ("az", AZ)];
    let mut g = c.benchmark_group("sample");
    g.sample_size(10);
    for (lang, text) in langs {
        let seg = Segmenter::new(&Lang::parse(lang).unwrap());
        let big = repeat(text, 10 << 20, "\n");
        g.throughput(Throughput::Bytes(big.len() as u64));
        g.bench_function(lang, |b| b.iter(|| count(&seg, black_box(&big))));
    }
    g.finish();

    let mix = mixed(10 << 20);
    let mut g = c.benchmark_group("mixed-10MB");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(mix.len() as u64));
    for (lang, _) in langs {
        let seg = Segmenter::new(&Lang::parse(lang).unwrap());
        g.bench_function(lang, |b| b.iter(|| count(&seg, black_box(&mix))));
    }
    g.finish();

    let en = Segmenter::new(&Lang::parse("en").unwrap());
    let mut g = c.benchmark_group("one-line");
    g.sample_size(10);
    for mb in [1usize, 10, 100] {
        let line = repeat(EN, mb << 20, " ");
        g.throughput(Throughput::Bytes(line.len() as u64));
        g.bench_with_input(
            BenchmarkId::from_parameter(format!("{mb}MB")),
            &line,
            |b, line| b.iter(|| count(&en, black_box(line))),
        );
    }
    g.finish();

    let big = repeat(EN, 10 << 20, "\n");
    let mut g = c.benchmark_group("uax29");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(big.len() as u64));
    g.bench_function("en", |b| b.iter(|| black_box(&big).unicode_sentences().count()));
    g.finish();
}

/// Time the thread spent on a CPU, in nanoseconds.
struct OnCpu;

fn oncpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

impl Measurement for OnCpu {
    type Intermediate = (Option<u64>, std::time::Instant);
    type Value = f64;
    fn start(&self) -> Self::Intermediate {
        (oncpu_ns(), std::time::Instant::now())
    }
    fn end(&self, (cpu, wall): Self::Intermediate) -> f64 {
        match (cpu, oncpu_ns()) {
            (Some(a), Some(b)) => (b - a) as f64,
            _ => wall.elapsed().as_nanos() as f64,
        }
    }
    fn add(&self, a: &f64, b: &f64) -> f64 {
        a + b
    }
    fn zero(&self) -> f64 {
        0.0
    }
    fn to_f64(&self, v: &f64) -> f64 {
        *v
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        &NanosFormatter
    }
}

struct NanosFormatter;

impl ValueFormatter for NanosFormatter {
    fn scale_values(&self, _typical: f64, values: &mut [f64]) -> &'static str {
        values.iter_mut().for_each(|v| *v /= 1e6);
        "ms"
    }
    fn scale_throughputs(&self, _typical: f64, throughput: &Throughput, values: &mut [f64]) -> &'static str {
        let bytes = match throughput {
            Throughput::Bytes(b) | Throughput::BytesDecimal(b) => *b as f64,
            Throughput::Elements(e) => *e as f64,
        };
        values
            .iter_mut()
            .for_each(|v| *v = bytes / (*v / 1e9) / (1024.0 * 1024.0));
        "MiB/s"
    }
    fn scale_for_machines(&self, _values: &mut [f64]) -> &'static str {
        "ns"
    }
}

fn bench_oncpu(c: &mut Criterion<OnCpu>) {
    let mix = mixed(10 << 20);
    let mut g = c.benchmark_group("oncpu");
    g.sample_size(10);
    for (lang, text) in [("en", EN), ("tr", TR), ("az", AZ)] {
        let seg = Segmenter::new(&Lang::parse(lang).unwrap());
        let big = repeat(text, 10 << 20, "\n");
        g.throughput(Throughput::Bytes(big.len() as u64));
        g.bench_function(format!("sample/{lang}"), |b| {
            b.iter(|| count(&seg, black_box(&big)))
        });
        g.throughput(Throughput::Bytes(mix.len() as u64));
        g.bench_function(format!("mixed/{lang}"), |b| {
            b.iter(|| count(&seg, black_box(&mix)))
        });
    }
    g.finish();
}

criterion_group! {
    name = oncpu;
    config = Criterion::default().with_measurement(OnCpu).warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(3));
    targets = bench_oncpu
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches, oncpu);
