//! Throughput of the text layer: keys and tokenizer on Turkish, Azerbaijani and
//! English news-style text.
//!
//! Run: `cargo bench --bench text`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use korpu::Lang;
use korpu::text::{KeyLevel, tokenize};

const EN: &str = "On June 15, 2021, the presidents of Azerbaijan and Türkiye signed the Shusha Declaration in Shusha. \
The declaration sets out an alliance between the two countries. Dr. Aliyev said the region needs 1.5 billion dollars for reconstruction. ";
const TR: &str = "15 Haziran 2021'de Azerbaycan ve Türkiye cumhurbaşkanları Şuşa Beyannamesi'ni Şuşa'da imzaladı. \
Beyanname, iki ülke arasında bir ittifak kuruyor. KARABAĞ'DAKİ yeniden yapılanma için 1.500 milyon dolar gerekiyor. ";
const AZ: &str = "2021-ci il iyunun 15-də Azərbaycan və Türkiyə prezidentləri Şuşa Bəyannaməsini Şuşada imzaladılar. \
Bəyannamə iki ölkə arasında müttəfiqlik yaradır. Qarabağda yenidənqurma üçün 1,5 milyard dollar lazımdır. ";

fn corpus(unit: &str) -> String {
    unit.repeat(64 * 1024 / unit.len() + 1)
}

fn bench_text(c: &mut Criterion) {
    for (name, unit) in [("en", EN), ("tr", TR), ("az", AZ)] {
        let lang: Lang = name.parse().expect("valid tag");
        let text = corpus(unit);
        let words: Vec<&str> = text.split_whitespace().collect();
        let mut g = c.benchmark_group(format!("text/{name}"));
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function("tokenize", |b| b.iter(|| tokenize(&text).count()));
        for level in KeyLevel::ALL {
            g.bench_function(format!("{level}_key per word"), |b| {
                b.iter(|| words.iter().map(|w| level.key(w, &lang).len()).sum::<usize>())
            });
        }
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(2));
    targets = bench_text
}
criterion_main!(benches);
