//! TMX read and write speed on a generated file (see `korpu_testkit::tmx_gen`).
//!
//! `cargo bench --bench tmx`. Read speed is reported in bytes/s of TMX
//! (the target is 200 MB/s of UTF-8 on one core, every unit read into the
//! model and dropped), write speed in units/s. UTF-16 input is transcoded
//! first and read by the same code.

use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use korpu::formats::tmx::{TmxReader, TmxWriter};
use korpu_testkit::tmx_gen;

/// 10 MB keeps a run short on a small machine; the speed per byte is the
/// same as on 100 MB (the reader streams), which the `tmx_read_rss` tool
/// measures on a file.
const SIZE: u64 = 10_000_000;

fn bench(c: &mut Criterion) {
    let mut tmx = Vec::new();
    tmx_gen::write_tmx(&mut tmx, SIZE, 42).unwrap();
    let units: Vec<_> = TmxReader::new(&tmx[..])
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();

    let mut utf16 = vec![0xFF, 0xFE];
    for u in String::from_utf8(tmx.clone()).unwrap().encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }

    let mut g = c.benchmark_group("tmx");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(4))
        .warm_up_time(Duration::from_secs(1));
    g.throughput(Throughput::Bytes(tmx.len() as u64));
    // A reference point: quick-xml's events alone, streamed from a `BufRead`
    // with no model built. Units the reader's fast path can read do not go
    // through quick-xml at all, so reading can beat this.
    g.bench_function("quick_xml_events_only", |b| {
        b.iter(|| {
            let mut reader = quick_xml::Reader::from_reader(&tmx[..]);
            let mut buf = Vec::new();
            let mut events = 0usize;
            loop {
                buf.clear();
                match reader.read_event_into(&mut buf).unwrap() {
                    quick_xml::events::Event::Eof => break events,
                    _ => events += 1,
                }
            }
        })
    });
    g.bench_function("read_utf8", |b| {
        b.iter(|| {
            TmxReader::new(&tmx[..])
                .unwrap()
                .map(|u| u.unwrap().variants.len())
                .sum::<usize>()
        })
    });
    g.throughput(Throughput::Bytes(utf16.len() as u64));
    g.bench_function("read_utf16", |b| {
        b.iter(|| {
            TmxReader::new(&utf16[..])
                .unwrap()
                .map(|u| u.unwrap().variants.len())
                .sum::<usize>()
        })
    });
    g.throughput(Throughput::Elements(units.len() as u64));
    let header = korpu::model::TmxHeader::default();
    g.bench_function("write_units", |b| {
        b.iter(|| {
            let mut w = TmxWriter::new(std::io::sink(), &header).unwrap();
            for u in &units {
                w.write_unit(u).unwrap();
            }
            w.finish().unwrap();
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
