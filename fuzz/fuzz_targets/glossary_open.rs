//! Opens arbitrary bytes as a glossary file. `from_bytes`, `verify`, and the
//! reads that do not walk an fst must return `Ok` or `Err`, never panic, hang
//! or allocate without bound; after a successful `verify`, every query too.
//!
//! (The fst crate trusts its bytes and may panic on damaged ones; korpu
//! catches that and returns `Error::Corrupt`, but libFuzzer's panic hook
//! aborts before the catch, so fst-walking queries run on verified input
//! only, which is the contract `Glossary::verify` documents.)
#![no_main]

use korpu::Lang;
use korpu::glossary::Glossary;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(g) = Glossary::from_bytes(data.to_vec()) else {
        return;
    };
    let _ = g.languages();
    for c in g.concepts().take(100) {
        let _ = c;
    }
    if g.verify().is_err() {
        return;
    }
    for lang in ["tr", "az", "en"] {
        let lang: Lang = lang.parse().unwrap();
        let _ = g.lookup("Şuşa", &lang);
        let _ = g.prefix("ka", &lang, 10);
        let _ = g.fuzzy("Karabak", &lang, 2);
        let _ = g.scan("Şuşa'da Bakıdan KARABAĞ'DAKİ OSCE Minsk Group's", &lang);
    }
    let _ = g.concept("shusha");
});
