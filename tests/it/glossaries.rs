//! The glossaries shipped in `glossaries/`: they load, agree with each other,
//! and hold the facts issue 4 mandates.

use std::path::PathBuf;

use korpu::formats::delimited::{DelimitedOptions, DelimitedReader};
use korpu::formats::tbx::TbxReader;
use korpu::model::{Concept, TermStatus};

fn path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("glossaries")
        .join(name)
}

fn tbx(name: &str) -> Vec<Concept> {
    TbxReader::from_path(path(name))
        .unwrap()
        .collect::<korpu::Result<_>>()
        .unwrap()
}

fn terms<'a>(c: &'a Concept, lang: &str) -> Vec<&'a str> {
    c.terms
        .iter()
        .filter(|t| t.lang.as_str() == lang)
        .map(|t| t.text.as_str())
        .collect()
}

/// The concept whose terms include every listed term in each language.
fn find<'a>(concepts: &'a [Concept], en: &[&str], tr: &[&str], az: &[&str]) -> &'a Concept {
    concepts
        .iter()
        .find(|c| {
            [("en", en), ("tr", tr), ("az", az)]
                .iter()
                .all(|(lang, want)| want.iter().all(|w| terms(c, lang).contains(w)))
        })
        .unwrap_or_else(|| panic!("no concept with {en:?} | {tr:?} | {az:?}"))
}

#[test]
fn karabakh_tbx_and_tsv_hold_the_same_content() {
    let tbx = tbx("karabakh.tbx");
    let tsv: Vec<Concept> = DelimitedReader::from_path(path("karabakh.tsv"), &DelimitedOptions::tsv())
        .unwrap()
        .collect::<korpu::Result<_>>()
        .unwrap();
    assert_eq!(tbx.len(), tsv.len());
    assert!((80..=150).contains(&tbx.len()), "{} concepts", tbx.len());
    for (a, b) in tbx.iter().zip(&tsv) {
        assert_eq!(a.id, b.id);
        assert_eq!(a.notes, b.notes, "{}", a.id);
        let pairs = |c: &Concept| {
            c.terms
                .iter()
                .map(|t| (t.lang.clone(), t.text.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(pairs(a), pairs(b), "{}", a.id);
    }
    let (_, dups) = korpu::model::merge_duplicate_concepts(tbx);
    assert!(dups.is_empty(), "duplicate ids {dups:?}");
}

#[test]
fn karabakh_holds_the_mandated_facts() {
    let c = tbx("karabakh.tbx");
    let facts: &[(&[&str], &[&str], &[&str])] = &[
        (&["Karabakh"], &["Karabağ"], &["Qarabağ"]),
        (&["Azerbaijan"], &["Azerbaycan"], &["Azərbaycan"]),
        (&["Armenia"], &["Ermenistan"], &["Ermənistan"]),
        (&["Türkiye", "Turkey"], &["Türkiye"], &["Türkiyə"]),
        (&["Shusha"], &["Şuşa"], &["Şuşa"]),
        (
            &["Shusha Declaration"],
            &["Şuşa Beyannamesi"],
            &["Şuşa Bəyannaməsi"],
        ),
        (
            &["Deputy Foreign Minister"],
            &["Dışişleri Bakan Yardımcısı"],
            &["xarici işlər nazirinin müavini"],
        ),
        (
            &["United Nations", "UN"],
            &["Birleşmiş Milletler", "BM"],
            &["Birləşmiş Millətlər Təşkilatı", "BMT"],
        ),
        (&["OSCE"], &["AGİT"], &["ATƏT"]),
        (
            &["OSCE Minsk Group"],
            &["AGİT Minsk Grubu"],
            &["ATƏT-in Minsk qrupu"],
        ),
        (&["Ilham Aliyev"], &["İlham Aliyev"], &["İlham Əliyev"]),
        (&["Baku"], &["Bakü"], &["Bakı"]),
        (&["Yerevan"], &["Erivan"], &["İrəvan"]),
        (&["Russia"], &["Rusya"], &["Rusiya"]),
        (&["Iran"], &["İran"], &["İran"]),
        (&["Georgia"], &["Gürcistan"], &["Gürcüstan"]),
        (&["Caucasus"], &["Kafkasya"], &["Qafqaz"]),
        (&["cease-fire"], &["ateşkes"], &["atəşkəs"]),
        (&["peace"], &["barış"], &["sülh"]),
        (&["stability"], &["istikrar"], &["sabitlik"]),
        (&["occupation"], &["işgal"], &["işğal"]),
        (&["reconstruction"], &["yeniden yapılanma"], &["yenidənqurma"]),
        (&["declaration"], &["beyanname"], &["bəyannamə"]),
    ];
    for (en, tr, az) in facts {
        find(&c, en, tr, az);
    }
    // Acronyms are case-sensitive terms typed `acronym`; full forms are preferred.
    let un = find(&c, &["UN"], &[], &[]);
    for t in un
        .terms
        .iter()
        .filter(|t| ["UN", "BM", "BMT"].contains(&t.text.as_str()))
    {
        assert_eq!(t.term_type.as_deref(), Some("acronym"), "{}", t.text);
        assert!(t.case_sensitive, "{}", t.text);
        assert_eq!(t.status, Some(TermStatus::Admitted), "{}", t.text);
    }
    let osce = find(&c, &["OSCE"], &["AGİT"], &["ATƏT"]);
    assert!(
        osce.terms
            .iter()
            .filter(|t| t.term_type.as_deref() == Some("acronym"))
            .all(|t| t.case_sensitive)
    );
    let shusha = find(&c, &["Shusha"], &[], &[]);
    assert_eq!(shusha.subject.as_deref(), Some("geography"));
    assert!(
        shusha
            .terms
            .iter()
            .all(|t| t.part_of_speech.as_deref() == Some("properNoun"))
    );
    let turkiye = find(&c, &["Türkiye"], &[], &[]);
    assert_eq!(turkiye.terms[0].status, Some(TermStatus::Preferred));
    assert_eq!(turkiye.terms[1].text, "Turkey");
    assert_eq!(turkiye.terms[1].status, Some(TermStatus::Admitted));
}

#[test]
fn karabakh_spelling_fits_each_alphabet() {
    // Letters Turkish does not write (ə q x w) and letters Azerbaijani does not
    // write (w and the circumflex vowels) betray a term in the wrong column.
    for c in tbx("karabakh.tbx") {
        assert!(
            ["en", "tr", "az"].iter().all(|l| !terms(&c, l).is_empty()),
            "{} lacks a language",
            c.id
        );
        for t in &c.terms {
            let bad: &[char] = match t.lang.as_str() {
                "tr" => &['ə', 'Ə', 'q', 'x', 'w'],
                "az" => &['w', 'â', 'î', 'û'],
                _ => &['ə'],
            };
            assert!(!t.text.contains(bad), "{}: {} {:?}", c.id, t.lang, t.text);
        }
    }
}

#[test]
fn places_loads_and_holds_cldr_names() {
    let c = tbx("places.tbx");
    let by_id = |id: &str| c.iter().find(|c| c.id == id).unwrap_or_else(|| panic!("no {id}"));
    let az = by_id("territory-AZ");
    assert_eq!(
        (terms(az, "en"), terms(az, "tr"), terms(az, "az")),
        (vec!["Azerbaijan"], vec!["Azerbaycan"], vec!["Azərbaycan"])
    );
    assert_eq!(az.terms[0].part_of_speech.as_deref(), Some("properNoun"));
    let tr = by_id("language-tr");
    assert_eq!(
        (terms(tr, "en"), terms(tr, "tr"), terms(tr, "az")),
        (vec!["Turkish"], vec!["Türkçe"], vec!["türk"])
    );
    let baku = by_id("city-Asia/Baku");
    assert_eq!(
        (terms(baku, "en"), terms(baku, "tr"), terms(baku, "az")),
        (vec!["Baku"], vec!["Bakü"], vec!["Bakı"])
    );
    assert_eq!(terms(by_id("territory-001"), "en"), ["world"]);
    // Every ISO country code CLDR knows is there, in all three languages.
    let territories: Vec<&Concept> = c.iter().filter(|c| c.id.starts_with("territory-")).collect();
    assert!(territories.len() > 250, "{}", territories.len());
    for t in territories.iter().filter(|t| t.id.len() == "territory-XX".len()) {
        assert!(
            ["en", "tr", "az"].iter().all(|l| !terms(t, l).is_empty()),
            "{}",
            t.id
        );
    }
    assert!(c.iter().filter(|c| c.id.starts_with("city-")).count() > 400);
    assert!(c.iter().filter(|c| c.id.starts_with("language-")).count() > 600);
    let (_, dups) = korpu::model::merge_duplicate_concepts(c.clone());
    assert!(dups.is_empty(), "{dups:?}");
}
