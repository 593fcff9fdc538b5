//! Unit tests of the built-in rules; end-to-end and fixture tests live in
//! `tests/`.

use proptest::prelude::*;

use super::*;

fn split(lang: &str, text: &str) -> Vec<String> {
    Segmenter::new(&Lang::parse(lang).unwrap())
        .segments(text)
        .map(str::to_string)
        .collect()
}

fn check(lang: &str, text: &str, want: &[&str]) {
    assert_eq!(split(lang, text), want, "{lang}: {text:?}");
}

#[test]
fn english_abbreviations_initials_and_numbers() {
    check(
        "en",
        "Mr. Smith met Dr. Jones. They talked.",
        &["Mr. Smith met Dr. Jones.", "They talked."],
    );
    check(
        "en",
        "J. R. R. Tolkien wrote it. He was English.",
        &["J. R. R. Tolkien wrote it.", "He was English."],
    );
    check(
        "en",
        "It cost $1.20, i.e. cheap. Prices rose 3.5% in the U.S. last year.",
        &[
            "It cost $1.20, i.e. cheap.",
            "Prices rose 3.5% in the U.S. last year.",
        ],
    );
    check(
        "en",
        "I live in the U.S. The weather is fine.",
        &["I live in the U.S.", "The weather is fine."],
    );
    check(
        "en",
        "Apples, pears etc. Then we left.",
        &["Apples, pears etc.", "Then we left."],
    );
    check(
        "en",
        "See p. 55 and Fig. 3 for details. Thanks.",
        &["See p. 55 and Fig. 3 for details.", "Thanks."],
    );
    check(
        "en",
        "The war began on Sept. 27, 2020. It ended on Nov. 10.",
        &["The war began on Sept. 27, 2020.", "It ended on Nov. 10."],
    );
    check(
        "en",
        "Mail jane.doe@example.com or see www.example.org/a.html. Bye.",
        &["Mail jane.doe@example.com or see www.example.org/a.html.", "Bye."],
    );
}

#[test]
fn english_units_times_and_letters() {
    // "in." is the unit only after a number.
    check("en", "The pipe is 2 in. wide.", &["The pipe is 2 in. wide."]);
    check(
        "en",
        "We got 3 in. The gauge overflowed.",
        &["We got 3 in.", "The gauge overflowed."],
    );
    check(
        "en",
        "Please come in. the door is open.",
        &["Please come in.", "the door is open."],
    );
    check(
        "en",
        "Several in. of snow fell.",
        &["Several in.", "of snow fell."],
    );
    // A time right after a time starts a sentence; one number does not.
    check(
        "en",
        "The shop opens at 9 a.m. 10 a.m. is too late for us.",
        &["The shop opens at 9 a.m.", "10 a.m. is too late for us."],
    );
    check(
        "en",
        "It closed at 5 p.m. 11:30 was when we left.",
        &["It closed at 5 p.m.", "11:30 was when we left."],
    );
    check(
        "en",
        "He left at 6 p.m. 4 of us stayed.",
        &["He left at 6 p.m. 4 of us stayed."],
    );
    // A lone lowercase letter is a list letter, not a sentence end.
    check(
        "en",
        "Choose a. The red box or b. The blue box.",
        &["Choose a. The red box or b. The blue box."],
    );
    check(
        "en",
        "a. Open the lid b. Pour the water",
        &["a. Open the lid b. Pour the water"],
    );
    // Roman list markers still stand alone before a sentence starter.
    check("en", "ii. The second point", &["ii.", "The second point"]);
    // "a. m." written with spaces is still the time.
    check(
        "en",
        "We met at 5 a. m. The sun rose.",
        &["We met at 5 a. m.", "The sun rose."],
    );
}

#[test]
fn quotes_brackets_and_ellipses() {
    check(
        "en",
        "He said \"Stop.\" Then he left.",
        &["He said \"Stop.\"", "Then he left."],
    );
    check(
        "en",
        "\"Why?\" she asked. \"Because!\"",
        &["\"Why?\" she asked.", "\"Because!\""],
    );
    check(
        "en",
        "It rained (a lot. really) all day. Fine.",
        &["It rained (a lot. really) all day.", "Fine."],
    );
    check(
        "en",
        "Wait... what happened? Nothing... Go home.",
        &["Wait... what happened?", "Nothing...", "Go home."],
    );
    check(
        "en",
        "It is a gas.[1] It burns.",
        &["It is a gas.[1]", "It burns."],
    );
    check(
        "tr",
        "\"Ne?\" dedi. Sonra gitti.",
        &["\"Ne?\" dedi.", "Sonra gitti."],
    );
    check(
        "tr",
        "Bekledik… ve bekledik… Sonunda geldi.",
        &["Bekledik… ve bekledik…", "Sonunda geldi."],
    );
    check(
        "az",
        "O dedi: «Gəlirəm!» Sonra getdi.",
        &["O dedi: «Gəlirəm!»", "Sonra getdi."],
    );
}

#[test]
fn turkish_rules() {
    check(
        "tr",
        "Prof. Dr. Ali Yılmaz ve Doç. Dr. Ayşe Kaya geldi. Toplantı başladı.",
        &[
            "Prof. Dr. Ali Yılmaz ve Doç. Dr. Ayşe Kaya geldi.",
            "Toplantı başladı.",
        ],
    );
    check(
        "tr",
        "Kanunun 5. maddesi açıktır. 2. Dünya Savaşı 1945'te bitti.",
        &["Kanunun 5. maddesi açıktır.", "2. Dünya Savaşı 1945'te bitti."],
    );
    check(
        "tr",
        "Nüfus 1.500 kişi arttı, oran %85,3 oldu. Saat 14.30'da açıklandı.",
        &[
            "Nüfus 1.500 kişi arttı, oran %85,3 oldu.",
            "Saat 14.30'da açıklandı.",
        ],
    );
    check(
        "tr",
        "T.C. Dışişleri Bakanlığı açıklama yaptı. Elma, armut vb. Sonra eve döndük.",
        &[
            "T.C. Dışişleri Bakanlığı açıklama yaptı.",
            "Elma, armut vb.",
            "Sonra eve döndük.",
        ],
    );
    check(
        "tr",
        "Adres: Atatürk Cad. No. 5 Kızılay Mah. Ankara. Tel. 312 555 00 00.",
        &[
            "Adres: Atatürk Cad. No. 5 Kızılay Mah. Ankara.",
            "Tel. 312 555 00 00.",
        ],
    );
    // Turkic case: "İST." is the abbreviation "İst." (İstanbul).
    check(
        "tr",
        "Yayınevi İST. Kitabevi. Bitti.",
        &["Yayınevi İST. Kitabevi.", "Bitti."],
    );
}

#[test]
fn azerbaijani_rules() {
    check(
        "az",
        "Alma, armud və s. Bu meyvələr ucuzdur.",
        &["Alma, armud və s.", "Bu meyvələr ucuzdur."],
    );
    check(
        "az",
        "Prof. Əliyev Nizami küç. 5 ünvanında yaşayır. O, müəllimdir.",
        &["Prof. Əliyev Nizami küç. 5 ünvanında yaşayır.", "O, müəllimdir."],
    );
    check(
        "az",
        "Görüş 2021-ci il noyabrın 15-də saat 10.30-da başladı. İclas uzun çəkdi.",
        &[
            "Görüş 2021-ci il noyabrın 15-də saat 10.30-da başladı.",
            "İclas uzun çəkdi.",
        ],
    );
}

#[test]
fn generic_rules_for_other_languages() {
    check(
        "de",
        "Das ist z.B. gut. Wir gehen um 5 Uhr.",
        &["Das ist z.B. gut.", "Wir gehen um 5 Uhr."],
    );
    check("ru", "Он пришёл. Она ушла.", &["Он пришёл.", "Она ушла."]);
    check(
        "ja",
        "これはペンです。あれは本です。",
        &["これはペンです。", "あれは本です。"],
    );
    check("hi", "यह एक वाक्य है। यह दूसरा है।", &["यह एक वाक्य है।", "यह दूसरा है।"]);
    check(
        "de",
        "Die Wahl vom 12. Juni war knapp. Meyer, z. B. Herr Kurz, sah es so.",
        &[
            "Die Wahl vom 12. Juni war knapp.",
            "Meyer, z. B. Herr Kurz, sah es so.",
        ],
    );
    check(
        "hy",
        "Այսօր երկուշաբթի է: Ես գնում եմ աշխատանքի:",
        &["Այսօր երկուշաբթի է:", "Ես գնում եմ աշխատանքի:"],
    );
    // In English a colon is not a full stop.
    check("en", "Note: This is one.", &["Note: This is one."]);
}

#[test]
fn paragraphs_and_white_space() {
    let text = "  One. Two\r\nThree\n\n\n   \nFour.  ";
    let seg = Segmenter::new(&Lang::parse("en").unwrap());
    let spans: Vec<_> = seg.spans(text).collect();
    assert_eq!(spans.len(), 4);
    assert_eq!(&text[spans[0].clone()], "One.");
    assert_eq!(&text[spans[1].clone()], "Two");
    assert_eq!(&text[spans[2].clone()], "Three");
    assert_eq!(&text[spans[3].clone()], "Four.");
    assert_eq!(seg.spans("").count(), 0);
    assert_eq!(seg.spans(" \n\t ").count(), 0);
    // Unicode line and paragraph separators end paragraphs too.
    check("en", "a\u{2028}b\u{2029}c\u{85}d", &["a", "b", "c", "d"]);
}

#[test]
fn inline_enumerations_split() {
    check(
        "en",
        "1) The first item 2) The second item",
        &["1) The first item", "2) The second item"],
    );
    check("en", "a) foo b) bar", &["a) foo", "b) bar"]);
    check("en", "1) one 3) three", &["1) one 3) three"]);
}

#[test]
fn custom_abbreviations_extend_the_list() {
    let en = Lang::parse("en").unwrap();
    assert_eq!(split("en", "We met Insp.-Gen. Holmes. Fine.").len(), 3);
    let mut abbrevs = Abbreviations::for_lang(&en);
    abbrevs.extend_from_str("[title]\nInsp.-Gen.\n").unwrap();
    let seg = Segmenter::with_abbreviations(abbrevs);
    assert_eq!(seg.segments("We met Insp.-Gen. Holmes. Fine.").count(), 2);
}

/// Spans are ordered, non-empty, trimmed, inside one line, and the gaps
/// between them are white space: segments plus gaps give the input back.
fn assert_partition(seg: &Segmenter, text: &str) {
    let mut at = 0;
    let mut rebuilt = String::new();
    for span in seg.spans(text) {
        assert!(
            span.start >= at && span.start < span.end,
            "{span:?} after {at} in {text:?}"
        );
        let gap = &text[at..span.start];
        assert!(gap.chars().all(char::is_whitespace), "gap {gap:?} in {text:?}");
        let s = &text[span.clone()];
        assert_eq!(s.trim(), s, "untrimmed {s:?}");
        assert!(
            !s.contains(['\n', '\r', '\u{2028}', '\u{2029}', '\u{85}']),
            "line break in {s:?}"
        );
        rebuilt.push_str(gap);
        rebuilt.push_str(s);
        at = span.end;
    }
    assert!(text[at..].chars().all(char::is_whitespace));
    rebuilt.push_str(&text[at..]);
    assert_eq!(rebuilt, text);
}

fn texty() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "Dr.",
        "Mr.",
        "U.S.",
        "və s.",
        "vb.",
        "Doç.",
        "5.",
        "1.500",
        "14.30",
        "e.g.",
        "J.",
        "...",
        "…",
        ".",
        "!",
        "?",
        "?!",
        "\"",
        "'",
        "''",
        "(",
        ")",
        "[1]",
        "«",
        "»",
        "“",
        "”",
        " ",
        " ",
        " ",
        "  ",
        "\n",
        "\r\n",
        "\n\n",
        "Şuşa",
        "İstanbul",
        "ırmak",
        "word",
        "The",
        "Bu",
        "x@y.com",
        "1)",
        "2)",
        "•",
        ":",
        ",",
        "\u{2028}",
        "。",
        "a",
        "I",
        "İ",
        "ı",
        "ə",
        "\t",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn builtin_segments_and_gaps_rebuild_the_input(text in texty(), lang in prop::sample::select(vec!["en", "tr", "az", "de"])) {
        let seg = Segmenter::new(&Lang::parse(lang).unwrap());
        assert_partition(&seg, &text);
    }

    #[test]
    fn arbitrary_unicode_is_partitioned_too(text in "\\PC{0,200}") {
        for lang in ["en", "tr"] {
            assert_partition(&Segmenter::new(&Lang::parse(lang).unwrap()), &text);
        }
    }

    #[test]
    fn srx_segments_and_gaps_rebuild_the_input(text in texty()) {
        let srx = SrxRules::parse(SRX).unwrap();
        assert_partition(&srx.segmenter(&Lang::parse("en").unwrap()), &text);
    }
}

const SRX: &str = r#"<srx version="2.0"><header cascade="yes"/><body><languagerules>
<languagerule languagerulename="D">
<rule break="no"><beforebreak>\bMr\.</beforebreak><afterbreak>\s</afterbreak></rule>
<rule break="yes"><beforebreak>[.?!…]+["'»”)]*</beforebreak><afterbreak>\s</afterbreak></rule>
<rule break="yes"><beforebreak></beforebreak><afterbreak>•</afterbreak></rule>
</languagerule></languagerules>
<maprules><languagemap languagepattern=".*" languagerulename="D"/></maprules></body></srx>"#;
