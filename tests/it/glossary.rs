//! End-to-end tests of the glossary: build, open, lookup at every level,
//! prefix, fuzzy, translations, scan in tr/az/en text, bad input, damaged
//! files, and scan against a brute-force matcher.

use std::collections::BTreeSet;

use korpu::Lang;
use korpu::glossary::{Glossary, GlossaryBuilder, MatchLevel, ScanHit, term_key};
use korpu::model::{Concept, Term};
use korpu::text::{self, KeyLevel, TokenKind, stem};
use proptest::prelude::*;

fn l(s: &str) -> Lang {
    s.parse().unwrap()
}

/// The Karabakh glossary of issue 4 (EN | TR | AZ), synonyms with `|`.
const KARABAKH: &[(&str, &str, &str, &str)] = &[
    ("karabakh", "Karabakh", "Karabağ", "Qarabağ"),
    ("azerbaijan", "Azerbaijan", "Azerbaycan", "Azərbaycan"),
    ("armenia", "Armenia", "Ermenistan", "Ermənistan"),
    ("turkey", "Türkiye|Turkey", "Türkiye", "Türkiyə"),
    ("shusha", "Shusha", "Şuşa", "Şuşa"),
    (
        "shusha-declaration",
        "Shusha Declaration",
        "Şuşa Beyannamesi",
        "Şuşa Bəyannaməsi",
    ),
    (
        "deputy-fm",
        "Deputy Foreign Minister",
        "Dışişleri Bakan Yardımcısı",
        "xarici işlər nazirinin müavini",
    ),
    (
        "un",
        "United Nations|UN",
        "Birleşmiş Milletler|BM",
        "Birləşmiş Millətlər Təşkilatı|BMT",
    ),
    ("osce", "OSCE", "AGİT", "ATƏT"),
    (
        "osce-mg",
        "OSCE Minsk Group",
        "AGİT Minsk Grubu",
        "ATƏT-in Minsk qrupu",
    ),
    ("aliyev", "Ilham Aliyev", "İlham Aliyev", "İlham Əliyev"),
    ("baku", "Baku", "Bakü", "Bakı"),
    ("yerevan", "Yerevan", "Erivan", "İrəvan"),
    ("russia", "Russia", "Rusya", "Rusiya"),
    ("iran", "Iran", "İran", "İran"),
    ("georgia", "Georgia", "Gürcistan", "Gürcüstan"),
    ("caucasus", "Caucasus", "Kafkasya", "Qafqaz"),
    ("ceasefire", "cease-fire", "ateşkes", "atəşkəs"),
    ("peace", "peace", "barış", "sülh"),
    ("stability", "stability", "istikrar", "sabitlik"),
    ("occupation", "occupation", "işgal", "işğal"),
    (
        "reconstruction",
        "reconstruction",
        "yeniden yapılanma",
        "yenidənqurma",
    ),
    ("declaration", "declaration", "beyanname", "bəyannamə"),
    ("istanbul", "Istanbul", "İstanbul", "İstanbul"),
    ("kiran", "breaker", "kıran", "qıran"),
];

fn concepts() -> Vec<Concept> {
    KARABAKH
        .iter()
        .map(|(id, en, tr, az)| {
            let mut terms = Vec::new();
            for (lang, cell) in [("en", en), ("tr", tr), ("az", az)] {
                for t in cell.split('|') {
                    let mut term = Term::new(l(lang), t);
                    // Short all-caps acronyms are case-sensitive: `BM` is not `bm`.
                    term.case_sensitive = t.len() <= 3 && t.chars().all(|c| c.is_uppercase());
                    terms.push(term);
                }
            }
            Concept {
                id: id.to_string(),
                terms,
                ..Concept::default()
            }
        })
        .collect()
}

fn glossary() -> Glossary {
    let mut b = GlossaryBuilder::new();
    for c in concepts() {
        b.add(c).unwrap();
    }
    let mut bytes = Vec::new();
    b.write(&mut bytes).unwrap();
    Glossary::from_bytes(bytes).unwrap()
}

fn first(g: &Glossary, text: &str, lang: &str) -> Option<(String, String, MatchLevel)> {
    g.lookup(text, &l(lang))
        .unwrap()
        .into_iter()
        .next()
        .map(|h| (h.concept_id().to_string(), h.term().text.to_string(), h.level))
}

#[test]
fn lookup_levels_with_turkic_casing() {
    let g = glossary();
    let hit = |c: &str, t: &str, k| Some((c.to_string(), t.to_string(), k));
    assert_eq!(first(&g, "KIRAN", "tr"), hit("kiran", "kıran", MatchLevel::Case));
    assert_eq!(
        first(&g, "İstanbul", "tr"),
        hit("istanbul", "İstanbul", MatchLevel::Exact)
    );
    assert_eq!(
        first(&g, "İSTANBUL", "tr"),
        hit("istanbul", "İstanbul", MatchLevel::Case)
    );
    assert_eq!(
        first(&g, "istanbul", "tr"),
        hit("istanbul", "İstanbul", MatchLevel::Case)
    );
    // In Turkish, ISTANBUL lowercases to ıstanbul: equal only without diacritics.
    assert_eq!(
        first(&g, "ISTANBUL", "tr"),
        hit("istanbul", "İstanbul", MatchLevel::Loose)
    );
    assert_eq!(
        first(&g, "ISTANBUL", "en"),
        hit("istanbul", "Istanbul", MatchLevel::Case)
    );
    assert_eq!(
        first(&g, "karabag", "tr"),
        hit("karabakh", "Karabağ", MatchLevel::Loose)
    );
    assert_eq!(
        first(&g, "Shusha", "az"),
        hit("shusha", "Şuşa", MatchLevel::Translit)
    );
    assert_eq!(
        first(&g, "Garabagh", "az"),
        hit("karabakh", "Qarabağ", MatchLevel::Translit)
    );
    assert_eq!(
        first(&g, "cease fire", "en"),
        hit("ceasefire", "cease-fire", MatchLevel::Exact)
    );
    assert_eq!(
        first(&g, "Cease-Fire", "en"),
        hit("ceasefire", "cease-fire", MatchLevel::Case)
    );
    assert_eq!(first(&g, "Armenia", "de"), None);
    assert_eq!(first(&g, "Yerevan", "tr"), None);
}

#[test]
fn lookup_returns_every_level_best_first() {
    let g = glossary();
    // `Turkey` / `Türkiye` in English: the exact term, and Türkiye again is the
    // same concept, so one hit per term.
    let hits = g.lookup("Türkiye", &l("en")).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].level, MatchLevel::Exact);
    // `turkiye` matches Türkiye at the loose level.
    let hits = g.lookup("turkiye", &l("tr")).unwrap();
    assert_eq!(hits[0].level, MatchLevel::Loose);
    let kinds: Vec<MatchLevel> = hits.iter().map(|h| h.level).collect();
    let mut sorted = kinds.clone();
    sorted.sort();
    assert_eq!(kinds, sorted);
}

#[test]
fn case_sensitive_terms_match_exactly() {
    let g = glossary();
    assert_eq!(first(&g, "BM", "tr").unwrap().0, "un");
    assert_eq!(first(&g, "bm", "tr"), None);
    assert_eq!(first(&g, "Bm", "tr"), None);
    let hits = g.scan("bm ve BM'nin kararı", &l("tr")).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!((hits[0].start, hits[0].concept.id.as_str()), (6, "un"));
}

#[test]
fn regional_tags_find_primary_language_terms() {
    let g = glossary();
    assert_eq!(first(&g, "Bakı", "az-Latn-AZ").unwrap().0, "baku");
    assert_eq!(first(&g, "Baku", "en-GB").unwrap().0, "baku");
}

#[test]
fn translations_of_a_hit() {
    let g = glossary();
    let hit = &g.lookup("Shusha", &l("en")).unwrap()[0];
    // The hit decodes its concept on request, and it is the concept by id.
    let concept = hit.concept().unwrap();
    assert_eq!(Some(&concept), g.concept(hit.concept_id()).unwrap().as_ref());
    assert_eq!(concept.terms[hit.term_index], hit.term().to_term());
    let tr = l("tr");
    let az = l("az");
    let to_tr: Vec<&str> = g
        .translations(&concept, &tr)
        .iter()
        .map(|t| t.text.as_str())
        .collect();
    let to_az: Vec<&str> = g
        .translations(&concept, &az)
        .iter()
        .map(|t| t.text.as_str())
        .collect();
    assert_eq!((to_tr, to_az), (vec!["Şuşa"], vec!["Şuşa"]));
    let un = g.concept("un").unwrap().unwrap();
    let names: Vec<&str> = g.translations(&un, &az).iter().map(|t| t.text.as_str()).collect();
    assert_eq!(names, ["Birləşmiş Millətlər Təşkilatı", "BMT"]);
    assert!(g.concept("nope").unwrap().is_none());
}

#[test]
fn prefix_autocompletes() {
    let g = glossary();
    let hits = g.prefix("Kara", &l("tr"), 10).unwrap();
    let terms: Vec<&str> = hits.iter().map(|h| h.term().text).collect();
    assert_eq!(terms, ["Karabağ"]);
    assert_eq!(hits[0].level, MatchLevel::Prefix);
    let hits = g.prefix("şuşa", &l("tr"), 10).unwrap();
    let terms: BTreeSet<&str> = hits.iter().map(|h| h.term().text).collect();
    assert_eq!(terms, BTreeSet::from(["Şuşa", "Şuşa Beyannamesi"]));
    assert_eq!(hits[0].term().text, "Şuşa");
    assert_eq!(hits[0].level, MatchLevel::Case);
    // Loose prefix: no diacritics typed.
    let hits = g.prefix("azerb", &l("az"), 10).unwrap();
    assert_eq!(hits[0].term().text, "Azərbaycan");
    assert_eq!(g.prefix("", &l("tr"), 3).unwrap().len(), 3);
    assert!(g.prefix("zzz", &l("tr"), 3).unwrap().is_empty());
}

#[test]
fn fuzzy_finds_misspellings() {
    let g = glossary();
    let hits = g.fuzzy("Karabak", &l("tr"), 1).unwrap();
    assert_eq!(
        (hits[0].term().text, hits[0].level, hits[0].distance),
        ("Karabağ", MatchLevel::Fuzzy, 1)
    );
    let hits = g.fuzzy("Azerbaican", &l("tr"), 2).unwrap();
    assert_eq!(hits[0].term().text, "Azerbaycan");
    // Transposition counts as one edit.
    let hits = g.fuzzy("Ermensitan", &l("tr"), 1).unwrap();
    assert_eq!(hits[0].term().text, "Ermenistan");
    // Exact matches come first with distance 0 and their own level.
    let hits = g.fuzzy("Rusya", &l("tr"), 2).unwrap();
    assert_eq!(
        (hits[0].term().text, hits[0].level, hits[0].distance),
        ("Rusya", MatchLevel::Exact, 0)
    );
    assert!(g.fuzzy("Karabak", &l("tr"), 0).unwrap().is_empty());
    assert!(g.fuzzy("xyzzyq", &l("tr"), 2).unwrap().is_empty());
    assert!(g.fuzzy("Karabak", &l("tr"), 4).is_err());
    // A long word at distance 3 does not blow up.
    let long = "Dışişleri Bakan Yardımcısıı";
    let hits = g.fuzzy(long, &l("tr"), 3).unwrap();
    assert_eq!(hits[0].concept_id(), "deputy-fm");
}

fn spans<'t>(text: &'t str, hits: &[ScanHit]) -> Vec<(&'t str, String, &'static str)> {
    hits.iter()
        .map(|h| (&text[h.start..h.end], h.concept.id.clone(), h.match_name()))
        .collect()
}

#[test]
fn scan_turkish_news() {
    let g = glossary();
    let text = "Cumhurbaşkanı Şuşa'da Türkiye'nin desteğini vurguladı. Şuşa Beyannamesi'ni imzalayan \
                taraflar KARABAĞ'DAKİ yeniden yapılanmayı ve AGİT Minsk Grubu'nun rolünü konuştu; \
                beyannamenin metni Bakü'de yayımlandı. Ankaralı ve Türkiyeli değil.";
    let hits = g.scan(text, &l("tr")).unwrap();
    assert_eq!(
        spans(text, &hits),
        [
            ("Şuşa'da", "shusha".to_string(), "inflected"),
            ("Türkiye'nin", "turkey".to_string(), "inflected"),
            (
                "Şuşa Beyannamesi'ni",
                "shusha-declaration".to_string(),
                "inflected"
            ),
            ("KARABAĞ'DAKİ", "karabakh".to_string(), "inflected"),
            ("yeniden yapılanmayı", "reconstruction".to_string(), "inflected"),
            ("AGİT Minsk Grubu'nun", "osce-mg".to_string(), "inflected"),
            ("beyannamenin", "declaration".to_string(), "inflected"),
            ("Bakü'de", "baku".to_string(), "inflected"),
        ]
    );
    for h in &hits {
        assert!(text.is_char_boundary(h.start) && text.is_char_boundary(h.end));
    }
    assert_eq!(hits[3].level, KeyLevel::Case);
    assert_eq!(hits[0].level, KeyLevel::Exact);
}

#[test]
fn scan_azerbaijani_news() {
    let g = glossary();
    let text = "Azərbaycanın Şuşada keçirilən tədbirində Bakıdan gələn nümayəndələr işğala son \
                qoyulduğunu, ATƏT-in Minsk qrupunun fəaliyyətini və sülhün möhkəmləndirilməsini \
                müzakirə etdilər. Azərbaycanlı alimlər azərbaycanca danışdı. Shushada da oldular.";
    let hits = g.scan(text, &l("az")).unwrap();
    assert_eq!(
        spans(text, &hits),
        [
            ("Azərbaycanın", "azerbaijan".to_string(), "inflected"),
            ("Şuşada", "shusha".to_string(), "inflected"),
            ("Bakıdan", "baku".to_string(), "inflected"),
            ("işğala", "occupation".to_string(), "inflected"),
            ("ATƏT-in Minsk qrupunun", "osce-mg".to_string(), "inflected"),
            ("sülhün", "peace".to_string(), "inflected"),
            ("Shushada", "shusha".to_string(), "inflected"),
        ]
    );
    assert_eq!(hits.last().unwrap().level, KeyLevel::Translit);
}

#[test]
fn scan_english_multiword_and_hyphens() {
    let g = glossary();
    let text = "The OSCE Minsk Group's co-chairs welcomed the cease-fire; another cease fire, \
                then Baku's view. The United Nations' envoy met the Deputy Foreign Minister. Bakunin.";
    let hits = g.scan(text, &l("en")).unwrap();
    assert_eq!(
        spans(text, &hits),
        [
            ("OSCE Minsk Group's", "osce-mg".to_string(), "inflected"),
            ("cease-fire", "ceasefire".to_string(), "exact"),
            ("cease fire", "ceasefire".to_string(), "exact"),
            ("Baku's", "baku".to_string(), "inflected"),
            ("United Nations'", "un".to_string(), "inflected"),
            ("Deputy Foreign Minister", "deputy-fm".to_string(), "exact"),
        ]
    );
}

#[test]
fn scan_longest_match_wins_and_no_overlaps() {
    let g = glossary();
    let text = "Şuşa Beyannamesi Şuşa";
    let hits = g.scan(text, &l("tr")).unwrap();
    assert_eq!(
        spans(text, &hits),
        [
            ("Şuşa Beyannamesi", "shusha-declaration".to_string(), "exact"),
            ("Şuşa", "shusha".to_string(), "exact"),
        ]
    );
    assert!(g.scan("", &l("tr")).unwrap().is_empty());
    assert!(g.scan("Şuşa", &l("fr")).unwrap().is_empty());
}

#[test]
fn duplicate_ids_are_merged_and_listed() {
    let mut b = GlossaryBuilder::new();
    let c = |id: &str, lang: &str, t: &str| Concept {
        id: id.into(),
        terms: vec![Term::new(l(lang), t)],
        notes: vec![format!("from {t}")],
        ..Concept::default()
    };
    b.add(c("a", "en", "Baku")).unwrap();
    b.add(c("b", "en", "Ganja")).unwrap();
    b.add(c("a", "az", "Bakı")).unwrap();
    b.add(c("a", "az", "Bakı")).unwrap();
    b.add(c("b", "tr", "Gence")).unwrap();
    assert_eq!(b.duplicate_ids(), ["a", "b"]);
    let mut bytes = Vec::new();
    let stats = b.write(&mut bytes).unwrap();
    assert_eq!((stats.concepts, stats.terms), (2, 4));
    assert_eq!(stats.duplicate_ids, ["a", "b"]);
    let g = Glossary::from_bytes(bytes).unwrap();
    let a = g.concept("a").unwrap().unwrap();
    assert_eq!(a.terms.len(), 2);
    assert_eq!(a.notes, ["from Baku", "from Bakı"]);
    assert_eq!(g.concept_count(), 2);
    assert_eq!(g.term_count(), 4);
}

#[test]
fn bad_terms_are_refused_with_the_concept_named() {
    let mut b = GlossaryBuilder::new();
    let c = |t: String| Concept {
        id: "c7".into(),
        terms: vec![Term::new(l("en"), t)],
        ..Concept::default()
    };
    let e = b.add(c("  ".into())).unwrap_err().to_string();
    assert!(e.contains("concept \"c7\"") && e.contains("empty term"), "{e}");
    let e = b.add(c("x".repeat(10 * 1024))).unwrap_err().to_string();
    assert!(
        e.contains("10240 bytes") && e.contains("limit of 1024 bytes"),
        "{e}"
    );
    let e = b.add(c("a\0b".into())).unwrap_err().to_string();
    assert!(e.contains("U+0000"), "{e}");
    let e = b.add(c("--".into())).unwrap_err().to_string();
    assert!(e.contains("no words"), "{e}");
    assert!(b.is_empty());
}

#[test]
fn build_writes_a_file_that_opens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.glossary");
    let mut b = GlossaryBuilder::new();
    for c in concepts() {
        b.add(c).unwrap();
    }
    let stats = b.build(&path).unwrap();
    assert_eq!(stats.bytes, std::fs::metadata(&path).unwrap().len());
    let g = Glossary::open(&path).unwrap();
    g.verify().unwrap();
    assert_eq!(g.concept_count(), KARABAKH.len() as u64);
    let langs: Vec<String> = g.languages().unwrap().iter().map(|l| l.to_string()).collect();
    assert_eq!(langs, ["az", "en", "tr"]);
    assert_eq!(first(&g, "Qarabağ", "az").unwrap().0, "karabakh");
    // Only the file is left in the directory (no temporary).
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    let e = Glossary::open(dir.path().join("missing"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("missing"), "{e}");
}

fn bytes_of_karabakh() -> Vec<u8> {
    let mut b = GlossaryBuilder::new();
    for c in concepts() {
        b.add(c).unwrap();
    }
    let mut bytes = Vec::new();
    b.write(&mut bytes).unwrap();
    bytes
}

#[test]
fn truncated_and_foreign_files_are_errors() {
    let bytes = bytes_of_karabakh();
    let dir = tempfile::tempdir().unwrap();
    for cut in [0, 1, 8, 100, 143, 144, 145, bytes.len() / 2, bytes.len() - 1] {
        let p = dir.path().join(format!("cut{cut}"));
        std::fs::write(&p, &bytes[..cut]).unwrap();
        match Glossary::open(&p) {
            Err(korpu::Error::Corrupt { path, message, .. }) => {
                assert_eq!(path, p);
                assert!(!message.is_empty());
            }
            other => panic!("cut at {cut}: {other:?}"),
        }
    }
    let p = dir.path().join("foreign");
    std::fs::write(&p, b"<?xml version=\"1.0\"?><martif>not a glossary at all, but long enough to hold a header of 144 bytes ........................................</martif>").unwrap();
    let e = Glossary::open(&p).unwrap_err().to_string();
    assert!(e.contains("not a korpu glossary"), "{e}");
}

fn exercise(g: &Glossary) -> Result<(), korpu::Error> {
    for (text, lang) in [("Karabağ", "tr"), ("Shusha", "az"), ("BM", "tr"), ("kara", "tr")] {
        g.lookup(text, &l(lang))?;
        g.prefix(text, &l(lang), 5)?;
        g.fuzzy(text, &l(lang), 2)?;
    }
    g.scan("Şuşa'da Türkiye'nin AGİT Minsk Grubu'nun Bakü'de", &l("tr"))?;
    g.scan("Azərbaycanın Şuşada Bakıdan", &l("az"))?;
    g.concept("un")?;
    for c in g.concepts() {
        c?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// A flipped byte anywhere: open fails, or verify fails; queries never
    /// panic, and those that succeed without verify give the right answer
    /// or an error, unless the flip hit an fst (covered by verify only).
    #[test]
    fn damaged_files_never_panic(pos in any::<prop::sample::Index>(), bit in 0u8..8) {
        let good = bytes_of_karabakh();
        let mut bytes = good.clone();
        let i = pos.index(bytes.len());
        bytes[i] ^= 1 << bit;
        match Glossary::from_bytes(bytes) {
            Err(e) => {
                let corrupt = matches!(e, korpu::Error::Corrupt { .. });
                prop_assert!(corrupt, "{}", e);
            }
            Ok(g) => {
                prop_assert!(g.verify().is_err());
                let _ = exercise(&g);
            }
        }
    }

    #[test]
    fn truncated_files_fail_to_open(cut in any::<prop::sample::Index>()) {
        let good = bytes_of_karabakh();
        let n = cut.index(good.len());
        prop_assert!(Glossary::from_bytes(good[..n].to_vec()).is_err());
    }

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(g) = Glossary::from_bytes(bytes) {
            let _ = g.verify();
            let _ = exercise(&g);
        }
    }
}

// ---------------------------------------------------------------------------
// Scan against a brute-force matcher over the same key rules.

/// The words of a text as scan sees them: tokens without hyphens, and in
/// English a plural's possessive apostrophe (`nations'`) joined to its word.
fn words<'t>(text: &'t str, lang: &Lang) -> Vec<(usize, usize, &'t str)> {
    let mut out: Vec<(usize, usize, &str)> = Vec::new();
    for t in text::tokenize(text) {
        if t.kind == TokenKind::Punct && matches!(t.text, "-" | "\u{2010}" | "\u{2011}") {
            continue;
        }
        if lang.primary() == "en"
            && t.kind == TokenKind::Punct
            && t.text.chars().all(text::is_apostrophe)
            && let Some(last) = out.last_mut()
            && last.1 == t.start
            && last.2.ends_with(['s', 'S'])
        {
            *last = (last.0, t.end(), &text[last.0..t.end()]);
            continue;
        }
        out.push((t.start, t.end(), t.text));
    }
    out
}

/// Keys of the readings of a surface word at a level: (key, inflected).
fn word_readings(w: &str, lang: &Lang, level: KeyLevel) -> Vec<(String, bool)> {
    let mut out = vec![(level.key(w, lang).into_owned(), false)];
    let exact = text::nfc(w);
    for a in stem::analyses(&exact, lang) {
        let key = if level == KeyLevel::Exact {
            if a.alternated {
                continue;
            }
            let end = exact
                .char_indices()
                .nth(a.stem_chars)
                .map_or(exact.len(), |(i, _)| i);
            let stem_text = &exact[..end];
            if text::case_key(stem_text, lang) != a.base.as_str() {
                continue;
            }
            stem_text.to_string()
        } else {
            level.key(&a.base, lang).into_owned()
        };
        out.push((key, true));
    }
    out
}

/// Brute force: at each start, try every term at every level.
fn brute_scan(
    concepts: &[Concept],
    text: &str,
    lang: &Lang,
) -> Vec<(usize, usize, KeyLevel, bool, BTreeSet<String>)> {
    let ws = words(text, lang);
    let terms: Vec<(&Concept, &Term)> = concepts
        .iter()
        .flat_map(|c| c.terms.iter().map(move |t| (c, t)))
        .filter(|(_, t)| t.lang.match_quality(lang).is_some())
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        // (last word, uninflected?, level) → concepts
        let mut best: Option<(usize, bool, KeyLevel, BTreeSet<String>)> = None;
        for (c, t) in &terms {
            for level in KeyLevel::ALL {
                if t.case_sensitive && level != KeyLevel::Exact {
                    continue;
                }
                let key = term_key(&t.text, &t.lang, level);
                let tw: Vec<&str> = key.split(' ').collect();
                let j = i + tw.len() - 1;
                if j >= ws.len() {
                    continue;
                }
                let prefix_ok = (0..tw.len() - 1).all(|k| level.key(ws[i + k].2, lang) == tw[k]);
                if !prefix_ok {
                    continue;
                }
                for (rk, inflected) in word_readings(ws[j].2, lang, level) {
                    if rk != tw[tw.len() - 1] {
                        continue;
                    }
                    let cand = (j, !inflected, level);
                    let better = match &best {
                        None => true,
                        Some((bj, bu, bl, _)) => {
                            // KeyLevel orders Exact highest.
                            cand > (*bj, *bu, *bl)
                        }
                    };
                    let same = matches!(&best, Some((bj, bu, bl, _)) if (*bj, *bu, *bl) == cand);
                    if better {
                        best = Some((j, !inflected, level, BTreeSet::from([c.id.clone()])));
                    } else if same && let Some((.., set)) = &mut best {
                        set.insert(c.id.clone());
                    }
                }
            }
        }
        match best {
            Some((j, uninflected, level, ids)) => {
                out.push((ws[i].0, ws[j].1, level, !uninflected, ids));
                i = j + 1;
            }
            None => i += 1,
        }
    }
    out
}

const VOCAB_TR: &[&str] = &[
    "Şuşa",
    "şuşa",
    "ŞUŞA",
    "Shusha",
    "Susa",
    "Bakü",
    "Baku",
    "Karabağ",
    "karabag",
    "Kitap",
    "kitab",
    "İstanbul",
    "Istanbul",
    "istanbul",
    "Kıran",
    "kiran",
    "Minsk",
    "Grubu",
    "AGİT",
    "agit",
    "BM",
    "bm",
    "beyanname",
    "Işık",
];
const SUFFIXES: &[&str] = &[
    "", "", "", "'da", "'nın", "da", "nın", "ı", "ler", "lı", "'s", "s", "ya", "'ya",
];
const SEPS: &[&str] = &[" ", " ", "-", ", ", "\n"];

fn random_glossary(words: &[(usize, usize, bool)], lang: &str) -> Vec<Concept> {
    words
        .iter()
        .enumerate()
        .map(|(n, &(a, b, cs))| {
            let text = if b % 3 == 0 {
                VOCAB_TR[a].to_string()
            } else {
                format!("{} {}", VOCAB_TR[a], VOCAB_TR[b])
            };
            let mut t = Term::new(l(lang), text);
            t.case_sensitive = cs;
            Concept {
                id: format!("c{n}"),
                terms: vec![t],
                ..Concept::default()
            }
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn scan_equals_brute_force(
        terms in prop::collection::vec((0..VOCAB_TR.len(), 0..VOCAB_TR.len(), prop::bool::weighted(0.2)), 1..12),
        text in prop::collection::vec((0..VOCAB_TR.len(), 0..SUFFIXES.len(), 0..SEPS.len()), 0..14),
        lang in prop::sample::select(vec!["tr", "az", "en"]),
    ) {
        let lang = l(lang);
        let concepts = random_glossary(&terms, lang.as_str());
        let mut b = GlossaryBuilder::new();
        for c in concepts.clone() {
            b.add(c).unwrap();
        }
        let mut bytes = Vec::new();
        b.write(&mut bytes).unwrap();
        let g = Glossary::from_bytes(bytes).unwrap();
        let mut s = String::new();
        for (w, suf, sep) in text {
            s.push_str(VOCAB_TR[w]);
            s.push_str(SUFFIXES[suf]);
            s.push_str(SEPS[sep]);
        }
        let got: Vec<(usize, usize, KeyLevel, bool, BTreeSet<String>)> = {
            let hits = g.scan(&s, &lang).unwrap();
            let mut v: Vec<(usize, usize, KeyLevel, bool, BTreeSet<String>)> = Vec::new();
            for h in hits {
                match v.last_mut() {
                    Some(last) if (last.0, last.1) == (h.start, h.end) => {
                        last.4.insert(h.concept.id.clone());
                    }
                    _ => v.push((h.start, h.end, h.level, h.inflected, BTreeSet::from([h.concept.id.clone()]))),
                }
            }
            v
        };
        let want = brute_scan(&concepts, &s, &lang);
        prop_assert_eq!(got, want, "text {:?}", s);
    }
}

/// The shipped `glossaries/karabakh.tbx`, built and scanned as a user would.
#[test]
fn shipped_karabakh_glossary_scans_tr_and_az() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("glossaries/karabakh.tbx");
    let mut b = GlossaryBuilder::new();
    b.extend(korpu::formats::tbx::TbxReader::from_path(&path).unwrap())
        .unwrap();
    let mut bytes = Vec::new();
    let stats = b.write(&mut bytes).unwrap();
    assert!(stats.duplicate_ids.is_empty());
    let g = Glossary::from_bytes(bytes).unwrap();
    let tr = "Şuşa Beyannamesi'ni imzalayan liderler KARABAĞ'DAKİ işgalin bittiğini, \
              AGİT Minsk Grubu'nun rolünü ve BM'nin kararlarını konuştu.";
    let found: Vec<String> = g
        .scan(tr, &l("tr"))
        .unwrap()
        .iter()
        .map(|h| format!("{}={}", &tr[h.start..h.end], h.term().text))
        .collect();
    for want in [
        "Şuşa Beyannamesi'ni=Şuşa Beyannamesi",
        "KARABAĞ'DAKİ=Karabağ",
        "işgalin=işgal",
        "AGİT Minsk Grubu'nun=AGİT Minsk Grubu",
        "BM'nin=BM",
    ] {
        assert!(found.iter().any(|f| f == want), "{want} not in {found:?}");
    }
    let az = "Azərbaycanın paytaxtı Bakıda ATƏT-in Minsk qrupunun nümayəndələri Şuşada görüşdü.";
    let found: Vec<String> = g
        .scan(az, &l("az"))
        .unwrap()
        .iter()
        .map(|h| format!("{}={}", &az[h.start..h.end], h.term().text))
        .collect();
    for want in [
        "Azərbaycanın=Azərbaycan",
        "Bakıda=Bakı",
        "ATƏT-in Minsk qrupunun=ATƏT-in Minsk qrupu",
        "Şuşada=Şuşa",
    ] {
        assert!(found.iter().any(|f| f == want), "{want} not in {found:?}");
    }
    // `bm` is not the case-sensitive acronym `BM`.
    assert!(g.scan("bm", &l("tr")).unwrap().is_empty());
}

/// A glossary is shared across threads (the server holds one).
#[test]
fn glossary_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Glossary>();
    let g = std::sync::Arc::new(glossary());
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let g = g.clone();
            std::thread::spawn(move || g.scan("Şuşa'da", &l("tr")).unwrap().len())
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), 1);
    }
}

/// Every inflected form of the suffix analyser's data (`tests/data/suffix_*.tsv`,
/// the `yes` lines) is found by scan as an inflection of its base, the base
/// alone in a glossary: the scanner's shortcuts (start filter, stem bounds,
/// alternated stems looked up first) never hide a reading the analyser
/// accepts.
#[test]
fn scan_finds_every_inflected_form_of_the_analyser_data() {
    for lang in ["tr", "az", "en"] {
        let path = crate::support::data(&format!("suffix_{lang}.tsv"));
        let data = std::fs::read_to_string(&path).unwrap();
        let lang = l(lang);
        let mut failures = Vec::new();
        let mut checked = 0;
        for line in data.lines() {
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() != 3 || f[0] != "yes" {
                continue;
            }
            let (base, surface) = (f[1], f[2]);
            let mut b = GlossaryBuilder::new();
            b.add(Concept {
                id: "base".into(),
                terms: vec![Term::new(lang.clone(), base)],
                ..Concept::default()
            })
            .unwrap();
            let mut bytes = Vec::new();
            b.write(&mut bytes).unwrap();
            let g = Glossary::from_bytes(bytes).unwrap();
            let text = format!("— {surface} —");
            let hits = g.scan(&text, &lang).unwrap();
            let whole = hits
                .iter()
                .any(|h| &text[h.start..h.end] == surface && h.inflected);
            if !whole {
                failures.push(format!("{lang}: {surface} ({base}): {:?}", spans(&text, &hits)));
            }
            checked += 1;
        }
        assert!(checked >= 100, "{lang}: only {checked} forms");
        assert!(
            failures.is_empty(),
            "{} of {checked}:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
}
