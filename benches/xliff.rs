//! XLIFF reader/rewriter throughput: a generated 1.2 document of 5,000
//! trans-units with inline codes, streamed through `pretranslate` with no
//! suggestions (read + byte-faithful write) and with every segment filled
//! (read + target written with the source's codes), and harvested with
//! `XliffUnits`; and a document of two-sentence units split into sentences
//! (`segment`) and filled sentence by sentence.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use korpu::formats::xliff::{
    PretranslateOptions, SegmentQuery, Suggestion, Suggestions, XliffUnits, pretranslate,
};

fn document(n: usize) -> Vec<u8> {
    document_with(n, "")
}

/// `more` is added to every source (more sentences).
fn document_with(n: usize, more: &str) -> Vec<u8> {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff version=\"1.2\" \
         xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">\n<file original=\"a\" source-language=\"en\" \
         target-language=\"az\" datatype=\"html\"><body>\n",
    );
    for i in 0..n {
        s.push_str(&format!(
            "  <trans-unit id=\"{i}\">\n    <source>Unit {i}: the <g id=\"1\" ctype=\"bold\">Shusha</g> \
             declaration was signed on <x id=\"2\"/>{} May &amp; read aloud.{more}</source>\n{}  </trans-unit>\n",
            i % 31 + 1,
            if i % 2 == 0 {
                "    <target state=\"translated\">Şuşa bəyannaməsi imzalandı.</target>\n"
            } else {
                ""
            }
        ));
    }
    s.push_str("</body></file></xliff>\n");
    s.into_bytes()
}

fn bench(c: &mut Criterion) {
    let doc = document(5_000);
    let mut g = c.benchmark_group("xliff");
    g.sample_size(10);
    g.measurement_time(std::time::Duration::from_secs(3));
    g.throughput(Throughput::Bytes(doc.len() as u64));
    g.bench_function("pass_through", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(doc.len());
            let none = |_: &SegmentQuery<'_>| Ok(Suggestions::default());
            pretranslate(&doc[..], &mut out, none, &PretranslateOptions::default()).unwrap();
            assert_eq!(out.len(), doc.len());
        })
    });
    g.bench_function("fill_every_segment", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(doc.len() * 2);
            let echo = |q: &SegmentQuery<'_>| {
                Ok(Suggestions {
                    matches: vec![Suggestion {
                        score: 100,
                        origin: "bench".into(),
                        source: q.source.clone(),
                        target: q.source.clone(),
                        adapted_target: q.text.to_string(),
                    }],
                    terms: Vec::new(),
                })
            };
            let s = pretranslate(&doc[..], &mut out, echo, &PretranslateOptions::default()).unwrap();
            assert_eq!(s.exact, 2_500);
        })
    });
    g.bench_function("harvest", |b| {
        b.iter(|| {
            let n = XliffUnits::new(&doc[..]).unwrap().count();
            assert_eq!(n, 2_500);
        })
    });
    let two = document_with(5_000, " Dr. Aliyev read it at 10.30 today.");
    g.throughput(Throughput::Bytes(two.len() as u64));
    g.bench_function("segment_and_fill_every_sentence", |b| {
        let split = PretranslateOptions {
            segment: true,
            ..PretranslateOptions::default()
        };
        b.iter(|| {
            let mut out = Vec::with_capacity(two.len() * 3);
            let echo = |q: &SegmentQuery<'_>| {
                Ok(Suggestions {
                    matches: vec![Suggestion {
                        score: 100,
                        origin: "bench".into(),
                        source: q.source.clone(),
                        target: q.source.clone(),
                        adapted_target: q.text.to_string(),
                    }],
                    terms: Vec::new(),
                })
            };
            let s = pretranslate(&two[..], &mut out, echo, &split).unwrap();
            // The untranslated units are split in two; the translated ones are left alone.
            assert_eq!((s.segments, s.exact), (7_500, 5_000));
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
