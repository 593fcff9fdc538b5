//! Lookup: scores, kinds, languages, context matches, caches across writes.

use super::*;

#[test]
fn exact_case_number_tag_and_order() {
    let (_d, tm) = fresh();
    tm.add(unit(&[
        ("en", "The meeting starts at 10 o'clock."),
        ("tr", "Toplantı saat 10'da başlıyor."),
    ]))
    .unwrap();
    tm.add(unit(&[
        ("en", "red green blue white"),
        ("tr", "kırmızı yeşil mavi beyaz"),
    ]))
    .unwrap();
    let mut tagged = unit(&[("en", ""), ("tr", "Şimdi Tamam'a basın")]);
    tagged.variants[0].segment = Segment {
        content: vec![
            Inline::Text("Press ".into()),
            Inline::Tag(InlineTag::new(TagKind::Ph)),
            Inline::Text("OK now".into()),
        ],
    };
    tm.add(tagged).unwrap();
    let (en, tr) = (l("en"), l("tr"));

    let m = tm
        .lookup("The meeting starts at 10 o'clock.", &en, &tr, &opts(70, 5))
        .unwrap();
    assert_eq!((m[0].score, m[0].kind), (100, MatchKind::Exact));

    // Case only: "THE" → d = 0.1 over 7 tokens (o'clock is one) → floor(98.57) = 98.
    let m = tm
        .lookup("THE meeting starts at 10 o'clock.", &en, &tr, &opts(70, 5))
        .unwrap();
    assert_eq!(
        (m[0].score, m[0].breakdown.case, m[0].kind),
        (98, 1, MatchKind::Fuzzy)
    );

    // A changed number: 0.5 over 7 tokens → floor(92.86) = 92, and the target follows.
    let m = tm
        .lookup("The meeting starts at 11 o'clock.", &en, &tr, &opts(70, 5))
        .unwrap();
    assert_eq!((m[0].score, m[0].breakdown.number), (92, 1));
    assert_eq!(m[0].adapted_target, "Toplantı saat 11'da başlıyor.");

    // A missing tag: 0.5 over 4 tokens → 87.
    let m = tm.lookup("Press OK now", &en, &tr, &opts(70, 5)).unwrap();
    assert_eq!((m[0].score, m[0].breakdown.tag), (87, 1));

    // Word order: two substitutions over 4 → 50; below 70 nothing.
    assert!(
        tm.lookup("green red blue white", &en, &tr, &opts(70, 5))
            .unwrap()
            .is_empty()
    );
    let m = tm.lookup("green red blue white", &en, &tr, &opts(50, 5)).unwrap();
    assert_eq!((m[0].score, m[0].breakdown.word), (50, 2));
}

#[test]
fn context_match_is_101() {
    let (_d, tm) = fresh();
    let mut u = unit(&[("en", "Yes."), ("az", "Bəli.")]);
    u.props.push(Prop {
        prop_type: "prev".into(),
        value: "Do you agree?".into(),
        ..Default::default()
    });
    u.props.push(Prop {
        prop_type: "next".into(),
        value: "Thank you.".into(),
        ..Default::default()
    });
    tm.add(u).unwrap();
    tm.add(unit(&[("en", "Yes."), ("az", "Hə.")])).unwrap();
    let mut o = opts(70, 5);
    o.prev = Some("Do you agree?".into());
    o.next = Some("Thank you.".into());
    let m = tm.lookup("Yes.", &l("en"), &l("az"), &o).unwrap();
    assert_eq!(m.len(), 2);
    assert_eq!((m[0].score, m[0].kind), (101, MatchKind::Context));
    assert_eq!(m[0].target.segment.plain_text(), "Bəli.");
    assert_eq!((m[1].score, m[1].kind), (100, MatchKind::Exact));
    // Another context: both are 100.
    o.next = Some("No.".into());
    let m = tm.lookup("Yes.", &l("en"), &l("az"), &o).unwrap();
    assert!(m.iter().all(|m| m.score == 100));
}

/// Lookups cache doc records and posting lists: an update or a delete
/// between two lookups must show in the second.
#[test]
fn caches_follow_updates_and_deletes() {
    let (_d, tm) = fresh();
    let id = tm
        .add(unit(&[
            ("en", "The road to Shusha opens in May."),
            ("tr", "Şuşa yolu Mayısta açılıyor."),
        ]))
        .unwrap();
    tm.add(unit(&[
        ("en", "The road to Lachin opens in June."),
        ("tr", "Laçın yolu Haziranda açılıyor."),
    ]))
    .unwrap();
    let q = "The road to Shusha opens in June.";
    let first = tm.lookup(q, &l("en"), &l("tr"), &opts(70, 5)).unwrap();
    assert_eq!(first.len(), 2);
    let mut u = tm.get(id).unwrap().unwrap();
    u.variants[0] = Variant::new(l("en"), "Nothing about roads here at all today.");
    tm.update(id, u).unwrap();
    let second = tm.lookup(q, &l("en"), &l("tr"), &opts(70, 5)).unwrap();
    assert_eq!(second.len(), 1);
    assert_ne!(second[0].unit_id, id);
    tm.delete(second[0].unit_id).unwrap();
    assert!(tm.lookup(q, &l("en"), &l("tr"), &opts(70, 5)).unwrap().is_empty());
    let back = tm.lookup(
        "Nothing about roads here at all today.",
        &l("en"),
        &l("tr"),
        &opts(70, 5),
    );
    assert_eq!(back.unwrap()[0].unit_id, id);
}

#[test]
fn languages_match_by_subtag_and_exact_region_ranks_first() {
    let (_d, tm) = fresh();
    let first = tm
        .add(unit(&[
            ("en", "Welcome to Baku."),
            ("az-Latn", "Bakıya xoş gəlmisiniz!"),
        ]))
        .unwrap();
    let second = tm
        .add(unit(&[
            ("en-US", "Welcome to Baku."),
            ("az", "Bakıya xoş gəlmisiniz."),
        ]))
        .unwrap();
    // Any pair is a direction.
    let m = tm
        .lookup("Bakıya xoş gəlmisiniz.", &l("az"), &l("en"), &opts(70, 5))
        .unwrap();
    assert_eq!(m[0].unit_id, second);
    assert_eq!(m[0].score, 100);
    let m = tm
        .lookup("Welcome to Baku.", &l("en"), &l("az"), &opts(70, 5))
        .unwrap();
    assert_eq!(m.len(), 2);
    // Both are 100; `en` is an exact tag match for the first unit.
    assert_eq!(m[0].unit_id, first);
    let m = tm
        .lookup("Welcome to Baku.", &l("en-US"), &l("az"), &opts(70, 5))
        .unwrap();
    assert_eq!(m[0].unit_id, second);
    // A conflicting script does not match: only the unit tagged plain `az`.
    let m = tm
        .lookup("Welcome to Baku.", &l("en"), &l("az-Cyrl"), &opts(70, 5))
        .unwrap();
    assert_eq!(m.iter().map(|m| m.unit_id).collect::<Vec<_>>(), [second]);
}

#[test]
fn bad_queries() {
    let (_d, tm) = fresh();
    tm.add(unit(&[("en", "Hello world."), ("tr", "Merhaba dünya.")]))
        .unwrap();
    assert!(tm.lookup("", &l("en"), &l("tr"), &opts(0, 5)).unwrap().is_empty());
    assert!(
        tm.lookup("   ", &l("en"), &l("tr"), &opts(0, 5))
            .unwrap()
            .is_empty()
    );
    let e = tm.lookup("Hello", &l("de"), &l("tr"), &opts(70, 5)).unwrap_err();
    assert!(e.to_string().contains("unknown language \"de\""), "{e}");
    assert!(e.to_string().contains("en, tr"), "{e}");
    // A huge query is cut to MAX_TOKENS tokens and answers quickly.
    let long = "Hello world. ".repeat(5_000);
    let t = std::time::Instant::now();
    let m = tm.lookup(&long, &l("en"), &l("tr"), &opts(1, 5)).unwrap();
    assert!(t.elapsed().as_secs() < 10);
    assert!(m.iter().all(|m| m.score < 10));
}
