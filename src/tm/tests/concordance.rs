//! Concordance: phrases and inflected forms.

use super::*;

#[test]
fn concordance_finds_inflected_forms() {
    let (_d, tm) = fresh();
    tm.add(unit(&[
        ("az", "Şuşada bayram keçirildi."),
        ("en", "A festival was held in Shusha."),
    ]))
    .unwrap();
    tm.add(unit(&[
        ("tr", "Şuşa'da bayram yapıldı."),
        ("en", "A festival in Shusha."),
    ]))
    .unwrap();
    tm.add(unit(&[("az", "Şuşa gözəldir."), ("en", "Shusha is beautiful.")]))
        .unwrap();
    tm.add(unit(&[("az", "Şəki gözəldir."), ("en", "Sheki is beautiful.")]))
        .unwrap();
    let hits = tm.concordance("Şuşa", &l("az"), 10).unwrap();
    let texts: Vec<_> = hits.iter().map(|h| h.text.as_str()).collect();
    assert_eq!(texts, ["Şuşa gözəldir.", "Şuşada bayram keçirildi."]);
    assert_eq!(hits[1].spans, vec![(0, "Şuşada".len())]);
    let hits = tm.concordance("şuşa", &l("tr"), 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].spans, vec![(0, "Şuşa'da".len())]);
    assert_eq!(
        hits[0].translations[0].segment.plain_text(),
        "A festival in Shusha."
    );
    let hits = tm.concordance("is beautiful", &l("en"), 10).unwrap();
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[0].spans, vec![(6, 18)]);
    assert!(tm.concordance("", &l("en"), 10).unwrap().is_empty());
    // The suffix analyser decides: inflections yes, derivations no, and a
    // stem whose last consonant alternates is found.
    tm.add(unit(&[
        ("az", "Azərbaycanın paytaxtı Bakıdır."),
        ("en", "The capital of Azerbaijan is Baku."),
    ]))
    .unwrap();
    tm.add(unit(&[
        ("az", "O, azərbaycanlı yazıçıdır."),
        ("en", "He is an Azerbaijani writer."),
    ]))
    .unwrap();
    tm.add(unit(&[
        ("tr", "Kitabı masaya koydu."),
        ("en", "He put the book on the table."),
    ]))
    .unwrap();
    tm.add(unit(&[
        ("en", "Two meetings were held."),
        ("tr", "İki toplantı yapıldı."),
    ]))
    .unwrap();
    let hits = tm.concordance("Azərbaycan", &l("az"), 10).unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].spans, vec![(0, "Azərbaycanın".len())]);
    let hits = tm.concordance("kitap", &l("tr"), 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].text, "Kitabı masaya koydu.");
    let hits = tm.concordance("meeting", &l("en"), 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].spans, vec![(4, 12)]);
}
