//! TBX reading speed on the shipped CLDR glossary (`glossaries/places.tbx`,
//! ~0.8 MB, 1,384 concepts) and writing speed of the same concepts.
//!
//! `cargo bench --bench tbx`

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use korpu::formats::tbx::{TbxReader, write_tbx};
use korpu::model::Concept;

fn places() -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("glossaries/places.tbx");
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read(bytes: &[u8]) -> Vec<Concept> {
    TbxReader::new(bytes)
        .unwrap()
        .collect::<korpu::Result<_>>()
        .unwrap()
}

fn bench(c: &mut Criterion) {
    let bytes = places();
    let concepts = read(&bytes);
    let mut g = c.benchmark_group("tbx");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1));
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_function("read places.tbx (bytes)", |b| b.iter(|| read(black_box(&bytes))));
    // Baseline: quick-xml's event loop alone, no tree, checks or model.
    g.bench_function("quick-xml events only (bytes)", |b| {
        b.iter(|| {
            let mut r = quick_xml::Reader::from_reader(black_box(&bytes[..]));
            let mut buf = Vec::new();
            let mut n = 0u64;
            while !matches!(
                r.read_event_into(&mut buf).unwrap(),
                quick_xml::events::Event::Eof
            ) {
                n += 1;
                buf.clear();
            }
            n
        })
    });
    g.throughput(Throughput::Elements(concepts.len() as u64));
    g.bench_function("read places.tbx (concepts)", |b| {
        b.iter(|| read(black_box(&bytes)))
    });
    g.bench_function("write places.tbx (concepts)", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(bytes.len());
            write_tbx(&mut out, black_box(&concepts)).unwrap();
            out
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
