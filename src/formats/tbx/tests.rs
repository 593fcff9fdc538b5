//! Unit tests of the TBX reader and writer on small inputs written here.

use proptest::prelude::*;

use super::*;
use crate::Lang;
use crate::model::{Concept, Term, TermStatus};

fn read(text: &str) -> crate::Result<Vec<Concept>> {
    TbxReader::new(text.as_bytes())?.collect()
}

fn err(text: &str) -> String {
    read(text).expect_err("must be refused").to_string()
}

/// A TBX v3 file of `dialect` whose body is `body`.
fn v3(dialect: &str, body: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?>\n<tbx type=\"{dialect}\" style=\"dca\" xmlns=\"urn:iso:std:iso:30042:ed-2\">\n\
         <tbxHeader><fileDesc><sourceDesc><p>t</p></sourceDesc></fileDesc></tbxHeader>\n\
         <text><body>\n{body}\n</body></text></tbx>\n"
    )
}

/// One concept with one English term section holding `term_sec` (after the term).
fn entry(concept_level: &str, term_sec: &str) -> String {
    format!(
        "<conceptEntry id=\"c1\">{concept_level}<langSec xml:lang=\"en\"><termSec><term>UN</term>{term_sec}</termSec></langSec></conceptEntry>"
    )
}

#[test]
fn reads_tbx_v2_martif_with_tig_and_ntig() {
    let text = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">
<martif type="TBX" xml:lang="en">
<martifHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc></martifHeader>
<text><body>
<termEntry id="e1">
  <descripGrp><descrip type="subjectField">politics</descrip></descripGrp>
  <langSet xml:lang="tr">
    <tig><term>Birleşmiş Milletler</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
    <ntig><termGrp><term>BM</term><termNote type="termType">acronym</termNote></termGrp><note>kısaltma</note></ntig>
  </langSet>
</termEntry>
<termEntry><langSet lang="az"><tig><term>BMT</term></tig></langSet></termEntry>
</body></text></martif>"#;
    let mut r = TbxReader::new(text.as_bytes()).unwrap();
    assert_eq!(r.format().version, TbxVersion::V2);
    let c: Vec<Concept> = r.by_ref().collect::<crate::Result<_>>().unwrap();
    assert_eq!(c.len(), 2);
    assert_eq!(c[0].subject.as_deref(), Some("politics"));
    assert_eq!(c[0].terms[0].status, Some(TermStatus::Preferred));
    let bm = &c[0].terms[1];
    assert_eq!(
        (bm.text.as_str(), bm.term_type.as_deref(), bm.case_sensitive),
        ("BM", Some("acronym"), true)
    );
    assert_eq!(bm.note.as_deref(), Some("kısaltma"));
    // v2 ids are optional: generated from the position.
    assert_eq!(c[1].id, "entry-2");
    assert_eq!(c[1].terms[0].lang.as_str(), "az");
}

#[test]
fn utf16_and_bom_inputs_read_the_same() {
    let text = v3("TBX-Core", &entry("", ""));
    let want = read(&text).unwrap();
    let mut bom8 = vec![0xEF, 0xBB, 0xBF];
    bom8.extend_from_slice(text.as_bytes());
    let mut le = vec![0xFF, 0xFE];
    let mut be = vec![0xFE, 0xFF];
    for u in text
        .replace(
            "<?xml version=\"1.0\"?>",
            "<?xml version=\"1.0\" encoding=\"UTF-16\"?>",
        )
        .encode_utf16()
    {
        le.extend_from_slice(&u.to_le_bytes());
        be.extend_from_slice(&u.to_be_bytes());
    }
    for bytes in [bom8, le, be] {
        let got: Vec<Concept> = TbxReader::new(&bytes[..])
            .unwrap()
            .collect::<crate::Result<_>>()
            .unwrap();
        assert_eq!(got, want);
    }
}

#[test]
fn declared_single_byte_encoding_is_decoded() {
    let text = v3("TBX-Core", "<conceptEntry id=\"c\"><langSec xml:lang=\"de\"><termSec><term>Grüße</term></termSec></langSec></conceptEntry>")
        .replace("<?xml version=\"1.0\"?>", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>");
    let bytes: Vec<u8> = text.chars().map(|c| c as u32 as u8).collect();
    let got: Vec<Concept> = TbxReader::new(&bytes[..])
        .unwrap()
        .collect::<crate::Result<_>>()
        .unwrap();
    assert_eq!(got[0].terms[0].text, "Grüße");
}

#[test]
fn entity_declarations_are_refused_and_undefined_entities_too() {
    let evil = "<?xml version=\"1.0\"?>\n<!DOCTYPE tbx [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<tbx type=\"TBX-Core\"><text><body/></text></tbx>";
    let e = TbxReader::new(evil.as_bytes())
        .err()
        .expect("refused")
        .to_string();
    assert!(
        e.starts_with("<input>:2:1: entity declarations are refused"),
        "{e}"
    );
    let e = err(&v3("TBX-Core", &entry("<note>&x;</note>", "")));
    assert!(e.contains("undefined entity &x;"), "{e}");
    // The five XML entities and character references are fine.
    let c = read(&v3(
        "TBX-Core",
        &entry("<note>a &lt;&amp;&gt; &#x15F;&#351;</note>", ""),
    ))
    .unwrap();
    assert_eq!(c[0].notes, ["a <&> şş"]);
}

#[test]
fn control_characters_are_refused() {
    let e = err(&v3("TBX-Core", &entry("<note>a\u{1}b</note>", "")));
    assert!(e.contains("character U+0001 is not allowed in XML"), "{e}");
    let e = err(&v3("TBX-Core", &entry("<note>&#1;</note>", "")));
    assert!(e.contains("U+0001"), "{e}");
}

#[test]
fn not_tbx_and_not_xml_are_refused() {
    let e = TbxReader::new(&b"<tmx version=\"1.4\"/>"[..])
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("the root element is <tmx>"), "{e}");
    let e = TbxReader::new(&b""[..]).err().unwrap().to_string();
    assert!(e.contains("no root element"), "{e}");
    let e = err("<tbx type=\"TBX-Core\"><text><body><conceptEntry id=\"a\">");
    assert!(e.contains("unexpected end of file"), "{e}");
}

#[test]
fn empty_term_is_refused_naming_the_concept() {
    let e = err(&v3(
        "TBX-Core",
        "<conceptEntry id=\"k9\"><langSec xml:lang=\"az\"><termSec><term> </term></termSec></langSec></conceptEntry>",
    ));
    assert!(e.contains("concept \"k9\": empty term (az)"), "{e}");
    assert!(e.starts_with("<input>:5:55:"), "{e}");
}

#[test]
fn ten_kilobyte_term_is_refused_with_a_clear_message() {
    let big = "Qarabağ ".repeat(1300);
    let e = err(&v3(
        "TBX-Core",
        &format!(
            "<conceptEntry id=\"big\"><langSec xml:lang=\"az\"><termSec><term>{big}</term></termSec></langSec></conceptEntry>"
        ),
    ));
    assert!(e.contains("concept \"big\""), "{e}");
    assert!(e.contains("longer than the limit of 1024 bytes"), "{e}");
}

#[test]
fn duplicate_ids_are_yielded_for_the_caller_to_merge() {
    let body = format!("{}{}", entry("", ""), entry("", ""));
    let c = read(&v3("TBX-Core", &body)).unwrap();
    assert_eq!(c.len(), 2);
    let (merged, dups) = crate::model::merge_duplicate_concepts(c);
    assert_eq!((merged.len(), dups), (1, vec!["c1".to_string()]));
}

#[test]
fn core_structure_rules() {
    let cases: &[(&str, &str)] = &[
        (
            "<conceptEntry id=\"c1\"><langSec xml:lang=\"en\"><termSec><note>n</note><term>x</term></termSec></langSec></conceptEntry>",
            "<term> must be the first element in <termSec>, not <note>",
        ),
        (
            "<conceptEntry id=\"c1\"><langSec xml:lang=\"en\"><termSec><term>x</term><term>y</term></termSec></langSec></conceptEntry>",
            "only one <term> is allowed per <termSec>",
        ),
        (&entry("<admin>x</admin>", ""), "<admin> needs a type attribute"),
        (
            &entry(
                "<descripGrp><descrip type=\"a\">1</descrip><descrip type=\"b\">2</descrip></descripGrp>",
                "",
            ),
            "only one <descrip> is allowed per <descripGrp>",
        ),
        (
            &entry("<descripGrp><note>n</note></descripGrp>", ""),
            "<descripGrp> has no <descrip>",
        ),
        (
            &entry("", "").replace(" id=\"c1\"", ""),
            "<conceptEntry> has no id attribute",
        ),
        (
            "<conceptEntry id=\"c\"><langSec><termSec><term>x</term></termSec></langSec></conceptEntry>",
            "has no xml:lang",
        ),
        (
            "<conceptEntry id=\"c\"><langSec xml:lang=\"en\"></langSec></conceptEntry>",
            "<langSec> has no <termSec>",
        ),
        (
            "<conceptEntry id=\"c\"></conceptEntry>",
            "<conceptEntry> has no <langSec>",
        ),
        (
            "<conceptEntry id=\"c\">stray<langSec xml:lang=\"en\"><termSec><term>x</term></termSec></langSec></conceptEntry>",
            "text is not allowed directly in <conceptEntry>",
        ),
        (
            &entry("<termNote type=\"partOfSpeech\">noun</termNote>", ""),
            "termNote \"partOfSpeech\" is only allowed at term level",
        ),
        (
            "<bogus/>",
            "<bogus> is not allowed in <body>; expected <conceptEntry>",
        ),
        (
            "<conceptEntry id=\"c\"><langSec xml:lang=\"english language\"><termSec><term>x</term></termSec></langSec></conceptEntry>",
            "invalid language tag",
        ),
    ];
    for (body, want) in cases {
        let e = err(&v3("TBX-Core", body));
        assert!(e.contains(want), "want {want:?}, got {e}");
        assert!(e.starts_with("<input>:5:"), "no line/column: {e}");
    }
    let e = err(&v3("TBX-Core", "").replace("<body>", "<admin type=\"x\">a</admin><body>"));
    assert!(
        e.contains("<admin> is not allowed in <text>; only <body> and <back> are"),
        "{e}"
    );
    let e = err(&v3("TBX-Core", "").replace("<p>t</p>", "t"));
    assert!(
        e.contains("text is not allowed directly in <sourceDesc>; wrap it in <p>"),
        "{e}"
    );
}

#[test]
fn basic_dialect_rules() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "<admin type=\"source\">s</admin>",
            "",
            "admin \"source\" must be grouped",
        ),
        (
            "",
            "<descrip type=\"definition\">d</descrip>",
            "descrip \"definition\" is not allowed in termSec",
        ),
        (
            "",
            "<termNote type=\"partOfSpeech\">nominal</termNote>",
            "partOfSpeech \"nominal\" is not one of the permitted values",
        ),
        (
            "<transacGrp><transac type=\"theWrongType\">creation</transac></transacGrp>",
            "",
            "transac \"theWrongType\" is not a data category of TBX-Basic",
        ),
        (
            "<transacGrp><transac type=\"transactionType\">creation</transac><transacNote type=\"wrongType\">T</transacNote></transacGrp>",
            "",
            "transacNote \"wrongType\" is not a data category",
        ),
        (
            "",
            "<termNote type=\"administrativeStatus\">best</termNote>",
            "administrativeStatus \"best\" is not one of",
        ),
        (
            "<descrip type=\"context\">c</descrip>",
            "",
            "descrip \"context\" is not allowed in conceptEntry",
        ),
        (
            "",
            "<min:partOfSpeech xmlns:min=\"http://www.tbxinfo.net/ns/min\">noun</min:partOfSpeech>",
            "(DCT style) in a file declared style=\"dca\"",
        ),
    ];
    for (concept, term, want) in cases {
        let e = err(&v3("TBX-Basic", &entry(concept, term)));
        assert!(e.contains(want), "want {want:?}, got {e}");
    }
    // The same content is fine in the core dialect, which has no picklists.
    for (concept, term, _) in &cases[1..3] {
        read(&v3("TBX-Core", &entry(concept, term))).unwrap();
    }
    // And grouped with its definition, a source is fine in TBX-Basic.
    read(&v3(
        "TBX-Basic",
        &entry("<descripGrp><descrip type=\"definition\">d</descrip><admin type=\"source\">s</admin></descripGrp>", ""),
    ))
    .unwrap();
}

#[test]
fn min_dialect_rules() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "<admin type=\"source\">s</admin>",
            "",
            "admin \"source\" is not a data category of TBX-Min",
        ),
        (
            "",
            "<termNote type=\"usageStatus\">not an allowed value</termNote>",
            "usageStatus \"not an allowed value\" is not one of",
        ),
        (
            "",
            "<xref type=\"error\" target=\"https://example.com\">x</xref>",
            "xref \"error\" is not a data category of TBX-Min",
        ),
    ];
    for (concept, term, want) in cases {
        let e = err(&v3("TBX-Min", &entry(concept, term)));
        assert!(e.contains(want), "want {want:?}, got {e}");
    }
    let ok = read(&v3(
        "TBX-Min",
        &entry(
            "<descrip type=\"subjectField\">politics</descrip>",
            "<termNote type=\"usageStatus\">notRecommended</termNote>",
        ),
    ))
    .unwrap();
    assert_eq!(ok[0].terms[0].status, Some(TermStatus::Deprecated));
}

#[test]
fn memory_stays_bounded_while_streaming() {
    let one = entry(
        "<note>Qarabağ bölgəsi</note>",
        "<termNote type=\"partOfSpeech\">noun</termNote>",
    );
    let text = v3("TBX-Core", &one.repeat(5_000));
    assert!(text.len() > 800_000);
    let mut r = TbxReader::new(text.as_bytes()).unwrap();
    let mut n = 0;
    for c in r.by_ref().take(4_999) {
        c.unwrap();
        n += 1;
    }
    assert_eq!(n, 4_999);
    assert!(r.buffered() < 64 * 1024, "{} bytes buffered", r.buffered());
}

#[test]
fn nested_groups_are_read() {
    let body = entry(
        "<descripGrp><descrip type=\"definition\">d</descrip><admin type=\"source\">s</admin>\
         <transacGrp><transac type=\"transactionType\">origination</transac><date>2024-01-01</date></transacGrp>\
         </descripGrp>",
        "",
    );
    for dialect in ["TBX-Core", "TBX-Basic"] {
        let c = read(&v3(dialect, &body)).unwrap();
        assert_eq!(c[0].definition.as_deref(), Some("d"));
    }
    // A group still has to begin with its primary element.
    let e = err(&v3(
        "TBX-Core",
        &entry(
            "<descripGrp><transacGrp><transac type=\"t\">x</transac></transacGrp></descripGrp>",
            "",
        ),
    ));
    assert!(e.contains("<descripGrp> must begin with its <descrip>"), "{e}");
}

#[test]
fn content_after_the_root_is_refused() {
    let e = err(&format!("{}<tbx/>", v3("TBX-Core", "")));
    assert!(e.contains("<tbx> after the end of the root element"), "{e}");
}

#[test]
fn dct_style_is_read() {
    let text = r#"<tbx type="TBX-Basic" style="dct" xmlns="urn:iso:std:iso:30042:ed-2" xmlns:min="http://www.tbxinfo.net/ns/min" xmlns:basic="http://www.tbxinfo.net/ns/basic">
<text><body><conceptEntry id="c"><min:subjectField>politics</min:subjectField>
<langSec xml:lang="tr"><termSec><term>AGİT</term><min:partOfSpeech>noun</min:partOfSpeech><basic:termType>acronym</basic:termType>
<min:administrativeStatus>admittedTerm-admn-sts</min:administrativeStatus></termSec></langSec></conceptEntry></body></text></tbx>"#;
    let c = read(text).unwrap();
    assert_eq!(c[0].subject.as_deref(), Some("politics"));
    let t = &c[0].terms[0];
    assert_eq!(
        (t.part_of_speech.as_deref(), t.term_type.as_deref()),
        (Some("noun"), Some("acronym"))
    );
    assert_eq!(t.status, Some(TermStatus::Admitted));
    assert!(t.case_sensitive);
}

#[test]
fn whitespace_is_collapsed_and_text_is_nfc() {
    let c = read(&v3("TBX-Core", "<conceptEntry id=\"c\"><langSec xml:lang=\"az\"><termSec><term>\n  Qarabag\u{306}\n\t bölgəsi </term></termSec></langSec></conceptEntry>")).unwrap();
    assert_eq!(c[0].terms[0].text, "Qarabağ bölgəsi");
}

#[test]
fn writer_declares_core_when_content_leaves_basic() {
    let az = Lang::parse("az").unwrap();
    let mut c = Concept {
        id: "x".into(),
        terms: vec![Term::new(az, "Şuşa")],
        ..Concept::default()
    };
    let write = |c: &Concept| {
        let mut out = Vec::new();
        write_tbx(&mut out, std::slice::from_ref(c)).unwrap();
        let r = TbxReader::new(&out[..]).unwrap();
        let dialect = r.format().dialect.clone();
        let back: Vec<Concept> = r.collect::<crate::Result<_>>().unwrap();
        assert_eq!(back, std::slice::from_ref(c));
        dialect
    };
    assert_eq!(write(&c), "TBX-Basic");
    c.terms[0].part_of_speech = Some("properNoun".into());
    assert_eq!(write(&c), "TBX-Core");
    c.terms[0].part_of_speech = Some("noun".into());
    c.terms[0].status = Some(TermStatus::Forbidden);
    assert_eq!(write(&c), "TBX-Core");
    c.terms[0].status = None;
    c.terms[0].case_sensitive = true;
    assert_eq!(write(&c), "TBX-Core");
}

#[test]
fn writer_refuses_an_empty_term() {
    let c = Concept {
        id: "e".into(),
        terms: vec![Term::new(Lang::parse("tr").unwrap(), "")],
        ..Concept::default()
    };
    let e = write_tbx(Vec::new(), &[c]).unwrap_err().to_string();
    assert!(e.contains("concept \"e\": empty term"), "{e}");
}

/// Text as the reader yields it: NFC, words of tr/az/en letters and XML
/// specials separated by single spaces.
fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec("[a-zA-ZçğıöşüÇĞİÖŞÜəƏqxQX0-9'&<>\"’-]{1,8}", 1..4)
        .prop_map(|w| crate::text::nfc(&w.join(" ")).into_owned())
}

fn term() -> impl Strategy<Value = Term> {
    (
        prop::sample::select(vec!["tr", "az", "en", "az-Cyrl", "tr-TR"]),
        text(),
        prop::option::of(prop::sample::select(vec![
            "noun",
            "verb",
            "properNoun",
            "adjective",
        ])),
        prop::option::of(prop::sample::select(vec![
            TermStatus::Preferred,
            TermStatus::Admitted,
            TermStatus::Deprecated,
            TermStatus::Forbidden,
        ])),
        prop::option::of(prop::sample::select(vec!["acronym", "fullForm", "abbreviation"])),
        any::<bool>(),
        prop::option::of(proptest::collection::vec(text(), 1..3).prop_map(|v| v.join("\n"))),
    )
        .prop_map(|(lang, text, pos, status, tt, cs, note)| Term {
            lang: Lang::parse(lang).unwrap(),
            text,
            part_of_speech: pos.map(String::from),
            status,
            term_type: tt.map(String::from),
            case_sensitive: cs,
            note,
        })
}

fn concept() -> impl Strategy<Value = Concept> {
    (
        "[a-zA-Z0-9çşə/._-]{1,12}",
        prop::option::of(text()),
        prop::option::of(text()),
        proptest::collection::vec(text(), 0..3),
        proptest::collection::vec(term(), 1..6),
    )
        .prop_map(|(id, subject, definition, notes, mut terms)| {
            // The reader yields terms grouped by language section.
            let mut order: Vec<Lang> = Vec::new();
            for t in &terms {
                if !order.contains(&t.lang) {
                    order.push(t.lang.clone());
                }
            }
            terms.sort_by_key(|t| order.iter().position(|l| *l == t.lang));
            Concept {
                id,
                subject,
                definition,
                notes,
                terms,
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn read_of_write_is_identity(concepts in proptest::collection::vec(concept(), 0..5)) {
        let mut out = Vec::new();
        write_tbx(&mut out, &concepts).unwrap();
        let back: Vec<Concept> = TbxReader::new(&out[..]).unwrap().collect::<crate::Result<_>>().unwrap();
        prop_assert_eq!(back, concepts);
    }

    /// What the fuzz target checks, on mutations of a valid file: no panic,
    /// and whatever is read survives write → read.
    #[test]
    fn mutated_files_error_or_round_trip(
        concepts in proptest::collection::vec(concept(), 1..3),
        at in any::<prop::sample::Index>(),
        len in 0usize..8,
        insert in proptest::collection::vec(any::<u8>(), 0..8),
    ) {
        let mut out = Vec::new();
        write_tbx(&mut out, &concepts).unwrap();
        let start = at.index(out.len());
        let end = (start + len).min(out.len());
        out.splice(start..end, insert);
        let Ok(reader) = TbxReader::new(&out[..]) else { return Ok(()) };
        let Ok(read) = reader.collect::<crate::Result<Vec<Concept>>>() else { return Ok(()) };
        let mut again = Vec::new();
        write_tbx(&mut again, &read).unwrap();
        let back: Vec<Concept> = TbxReader::new(&again[..]).unwrap().collect::<crate::Result<_>>().unwrap();
        prop_assert_eq!(back, read);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(r) = TbxReader::new(&bytes[..]) {
            for item in r.take(100) {
                let _ = item;
            }
        }
    }
}
