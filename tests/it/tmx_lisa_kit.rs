//! The LISA TMX compliance kit: every file reads with the right units,
//! variants, languages and inline structure, and round-trips through
//! `TmxWriter` to DTD-valid TMX 1.4b with the same model.
//!
//! Needs `KORPU_FIXTURES` and `xmllint`:
//! `KORPU_FIXTURES=/work/shared/fixtures cargo test --test it tmx_lisa_kit:: -- --include-ignored`

use std::path::PathBuf;

use korpu::formats::tmx::{TmxReader, TmxWriter, WarningKind};
use korpu::model::{Inline, InlineTag, TagKind, TmxDate, TmxHeader, TranslationUnit};

use crate::support::{fixtures, xmllint};

fn kit(name: &str) -> PathBuf {
    fixtures().join("tmx/lisa-compliance-kit").join(name)
}

struct Read {
    header: TmxHeader,
    encoding: &'static str,
    units: Vec<TranslationUnit>,
    warnings: Vec<WarningKind>,
}

fn read(name: &str) -> Read {
    let mut reader = TmxReader::from_path(kit(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(reader.version(), "1.4", "{name}");
    let units = reader
        .by_ref()
        .collect::<Result<Vec<_>, _>>()
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    Read {
        header: reader.header().clone(),
        encoding: reader.encoding(),
        units,
        warnings: reader.warnings().iter().map(|w| w.kind).collect(),
    }
}

/// The text (tags left out) of the variant tagged exactly `lang`.
fn seg(unit: &TranslationUnit, lang: &str) -> String {
    let v = unit
        .variants
        .iter()
        .find(|v| v.lang.as_str() == lang)
        .unwrap_or_else(|| panic!("no {lang} variant in {unit:?}"));
    v.segment.text_only()
}

fn langs(unit: &TranslationUnit) -> Vec<&str> {
    unit.variants.iter().map(|v| v.lang.as_str()).collect()
}

fn tags(content: &[Inline]) -> Vec<&InlineTag> {
    content
        .iter()
        .filter_map(|i| match i {
            Inline::Tag(t) => Some(t),
            _ => None,
        })
        .collect()
}

fn code(tag: &InlineTag) -> String {
    tag.content
        .iter()
        .map(|i| match i {
            Inline::Text(t) => t.clone(),
            _ => "{sub}".into(),
        })
        .collect()
}

/// Writes the units, validates the output against the DTD, and reads it back.
fn round_trip(name: &str) {
    let r = read(name);
    let mut w = TmxWriter::new(Vec::new(), &r.header).unwrap();
    for u in &r.units {
        w.write_unit(u).unwrap();
    }
    let bytes = w.finish().unwrap();
    xmllint::assert_dtd_valid(&bytes, name);
    let mut back = TmxReader::new(&bytes[..]).unwrap();
    let units: Vec<_> = back.by_ref().collect::<Result<_, _>>().unwrap();
    assert_eq!(units, r.units, "{name}: units changed in the round trip");
    let mut header = r.header.clone();
    header.creation_tool = Some("korpu".into());
    header.creation_tool_version = Some(env!("CARGO_PKG_VERSION").into());
    assert_eq!(back.header(), &header, "{name}: header changed in the round trip");
}

#[test]
#[ignore = "needs KORPU_FIXTURES"]
fn every_kit_file_round_trips_to_valid_tmx14() {
    let mut names: Vec<String> = std::fs::read_dir(kit(""))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".tmx"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 23, "{names:?}");
    for name in &names {
        round_trip(name);
    }
}

#[test]
#[ignore = "needs KORPU_FIXTURES"]
fn import_1a_classic_whitespace_in_utf16() {
    let r = read("ImportTest1A.tmx");
    assert_eq!(r.encoding, "UTF-16LE");
    assert_eq!(r.units.len(), 2);
    assert_eq!(seg(&r.units[0], "en-US"), "First segment with [\t\t   ]");
    assert_eq!(seg(&r.units[0], "fr-CA"), "Premier segment avec [\t\t   ]");
    assert_eq!(seg(&r.units[1], "en-US"), "Second segment with [  \t\t]");
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

#[test]
#[ignore = "needs KORPU_FIXTURES"]
fn import_1b_syntax_variations_and_mixed_case_codes() {
    let r = read("ImportTest1B.tmx");
    assert_eq!(r.header.creation_tool_version.as_deref(), Some("1.0.0"));
    assert_eq!(r.header.datatype.as_deref(), Some("plaintext"));
    assert_eq!(r.units.len(), 1);
    assert_eq!(langs(&r.units[0]), ["en-US", "fr-CA"]);
    assert_eq!(seg(&r.units[0], "en-US"), "Text of the segment");
    assert_eq!(seg(&r.units[0], "fr-CA"), "Texte du segment");
}

#[test]
#[ignore = "needs KORPU_FIXTURES"]
fn import_1c_many_languages_in_a_unit() {
    let r = read("ImportTest1C.tmx");
    assert_eq!(r.units.len(), 3);
    assert_eq!(langs(&r.units[0]), ["en-US", "en-GB", "ja-JP", "fr-CA", "es-ES"]);
    assert_eq!(langs(&r.units[2]), ["fr-CA", "ja-JP", "es-ES", "en-US", "en-GB"]);
    assert_eq!(seg(&r.units[1], "ja-JP"), "Second entry in Japanese");
    assert_eq!(seg(&r.units[2], "en-GB"), "Third entry in UK English");
    // Language selection: en-US serves a request for en; en-GB does not serve en-US.
    let en_us: korpu::Lang = "en-us".parse().unwrap();
    assert_eq!(
        seg(&r.units[2], "en-US"),
        r.units[2].variant(&en_us).unwrap().segment.text_only()
    );
}

/// 1D–1G hold the same three units in UTF-8 with and without a BOM and in
/// UTF-16 both ways; 1H the same again in ASCII with character references.
#[test]
#[ignore = "needs KORPU_FIXTURES"]
fn import_1d_to_1h_encodings_and_character_references() {
    let expected = read("ImportTest1D.tmx").units;
    assert_eq!(expected.len(), 3);
    assert_eq!(seg(&expected[0], "en-US"), "à=agrave, é=eacute, æ=aelig");
    assert_eq!(seg(&expected[1], "en-US"), "ÿ=U+00FF, ™=U+2122, ’=U+2019");
    assert_eq!(seg(&expected[2], "en-GB"), "“=U+201C, –=U+2013, ¤=U+00A4");
    for (name, encoding) in [
        ("ImportTest1D.tmx", "UTF-8"),
        ("ImportTest1E.tmx", "UTF-8"),
        ("ImportTest1F.tmx", "UTF-16LE"),
        ("ImportTest1G.tmx", "UTF-16BE"),
    ] {
        let r = read(name);
        assert_eq!(r.encoding, encoding, "{name}");
        assert_eq!(r.units, expected, "{name}");
    }
    let h = read("ImportTest1H.tmx");
    assert_eq!(h.units.len(), 3);
    for (u, e) in h.units.iter().zip(&expected) {
        for lang in ["en-US", "en-GB"] {
            assert_eq!(seg(u, lang), seg(e, "en-US"), "1H {lang}");
        }
    }
}

#[test]
#[ignore = "needs KORPU_FIXTURES"]
fn import_1i_asian_whitespace() {
    let r = read("ImportTest1I.tmx");
    assert_eq!(seg(&r.units[0], "en-US"), "English segment with [  \u{20} ]");
    assert_eq!(
        seg(&r.units[0], "ja-JP"),
        "Japanese segment with [\u{3000}\u{3000}]"
    );
}

#[test]
#[ignore = "needs KORPU_FIXTURES"]
fn import_1j_1k_language_selection() {
    let en_us: korpu::Lang = "en-US".parse().unwrap();
    let en_gb: korpu::Lang = "en-GB".parse().unwrap();
    let pair = |u: &TranslationUnit, src: &korpu::Lang, tgt: &korpu::Lang| {
        let s = u.variants.iter().find(|v| v.lang == *src)?;
        let t = u.variants.iter().find(|v| v.lang == *tgt)?;
        Some((s.segment.text_only(), t.segment.text_only()))
    };
    let r = read("ImportTest1J.tmx");
    let pairs: Vec<_> = r.units.iter().filter_map(|u| pair(u, &en_us, &en_gb)).collect();
    assert_eq!(
        pairs,
        [
            (
                "First entry in US English".into(),
                "First entry in UK English".into()
            ),
            (
                "Second entry in US English".into(),
                "Second entry in UK English".into()
            ),
        ]
    );
    // Per-unit srclang overrides the header's (es-ES): only units whose source is en-US give en-US → en-GB.
    let r = read("ImportTest1J_many.tmx");
    assert_eq!(r.header.srclang.as_deref(), Some("es-es"));
    let srcs: Vec<_> = r.units.iter().map(|u| u.srclang.as_deref()).collect();
    assert_eq!(srcs, [Some("en-us"), Some("en-us"), None]);
    let imported: Vec<_> = r
        .units
        .iter()
        .filter(|u| {
            u.srclang
                .as_deref()
                .or(r.header.srclang.as_deref())
                .is_some_and(|s| s.parse::<korpu::Lang>().unwrap() == en_us)
        })
        .filter_map(|u| pair(u, &en_us, &en_gb))
        .collect();
    assert_eq!(imported.len(), 2);
    assert!(
        r.units[2]
            .variants
            .iter()
            .all(|v| v.segment.text_only().starts_with("[not to import]"))
    );
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    // 1K: nothing for en-US → fr-CA.
    let fr_ca: korpu::Lang = "fr-CA".parse().unwrap();
    let r = read("ImportTest1K.tmx");
    assert_eq!(r.units.len(), 2);
    assert!(r.units.iter().all(|u| pair(u, &en_us, &fr_ca).is_none()));
    assert_eq!(r.units[0].srclang.as_deref(), Some("de-de"));
    assert_eq!(langs(&r.units[1]), ["en-GB", "fr-CA"]);
}

#[test]
#[ignore = "needs KORPU_FIXTURES"]
fn import_1l_and_2c_every_element_and_attribute() {
    for name in ["ImportTest1L.tmx", "ImportTest2C.tmx"] {
        let r = read(name);
        let h = &r.header;
        assert_eq!(h.creation_tool.as_deref(), Some("myTool"), "{name}");
        assert_eq!(h.creation_tool_version.as_deref(), Some("v10"));
        assert_eq!(h.segtype.as_deref(), Some("block"));
        assert_eq!(h.o_tmf.as_deref(), Some("Text"));
        assert_eq!(h.adminlang.as_deref(), Some("en-us"));
        assert_eq!(h.datatype.as_deref(), Some("html"));
        assert_eq!(h.o_encoding.as_deref(), Some("iso-8859-1"));
        let date = TmxDate::parse("20020523T091200Z");
        assert!(date.is_valid());
        assert_eq!(h.creation_date.as_ref(), Some(&date));
        assert_eq!(h.change_date.as_ref(), Some(&date));
        assert_eq!(
            (h.creation_id.as_deref(), h.change_id.as_deref()),
            (Some("ys"), Some("ys"))
        );
        assert_eq!(h.udes.len(), 1);
        assert_eq!(
            (h.udes[0].name.as_str(), h.udes[0].base.as_deref()),
            ("MacRoman", Some("Macintosh"))
        );
        let map = &h.udes[0].maps[0];
        assert_eq!(
            (
                map.unicode.as_str(),
                map.code.as_deref(),
                map.ent.as_deref(),
                map.subst.as_deref()
            ),
            ("#xF8FF", Some("#xF0"), Some("AppleLogo"), Some("[Apple]"))
        );
        let notes: Vec<_> = h.notes.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(notes, ["Text of header note 1", "Text of header note 2"]);
        assert_eq!(h.notes[0].lang.as_deref(), Some("en-us"));
        assert_eq!(h.props[0].prop_type, "myPropeType");
        assert_eq!(h.props[0].value, "Data");
        assert_eq!(h.props[0].o_encoding.as_deref(), Some("iso-8859-1"));

        assert_eq!(r.units.len(), 1);
        let u = &r.units[0];
        assert_eq!(u.tuid.as_deref(), Some("tu001"));
        assert_eq!(u.srclang.as_deref(), Some("en-us"));
        assert_eq!(u.segtype.as_deref(), Some("block"));
        let a = &u.attrs;
        assert_eq!(a.o_encoding.as_deref(), Some("iso-8859-1"));
        assert_eq!(a.datatype.as_deref(), Some("plaintext"));
        assert_eq!(a.usage_count.as_deref(), Some("100"));
        assert_eq!(a.last_usage_date.as_ref(), Some(&date));
        assert_eq!(a.creation_tool.as_deref(), Some("myTool"));
        assert_eq!(a.creation_tool_version.as_deref(), Some("v10"));
        assert_eq!(a.o_tmf.as_deref(), Some("myTM"));
        assert_eq!(a.change_id.as_deref(), Some("ys"));
        assert_eq!(u.notes.len(), 2);
        assert_eq!(u.props.len(), 1);
        assert_eq!(langs(u), ["en-US", "fr", "en-GB"]);
        let fr = &u.variants[1];
        assert_eq!(fr.attrs, u.variants[0].attrs);
        assert_eq!(fr.attrs.usage_count.as_deref(), Some("100"));
        assert_eq!((fr.props.len(), fr.notes.len()), (2, 2));
        assert_eq!(fr.notes[1].text, "Text of tuv fr note 1");
        assert!(r.warnings.is_empty(), "{name}: {:?}", r.warnings);
    }
    assert_eq!(seg(&read("ImportTest1L.tmx").units[0], "fr"), "Texte du segment.");

    // 2C: every inline element with its attributes.
    let r = read("ImportTest2C.tmx");
    let en = &r.units[0].variants[0].segment;
    let t = tags(&en.content);
    let kinds: Vec<_> = t.iter().map(|t| t.kind).collect();
    assert_eq!(
        kinds,
        [TagKind::It, TagKind::Bpt, TagKind::Ph, TagKind::Hi, TagKind::Ept]
    );
    assert_eq!(
        (t[0].x.as_deref(), t[0].pos.as_deref(), t[0].tag_type.as_deref()),
        (Some("1"), Some("begin"), Some("italic"))
    );
    assert_eq!(
        (t[1].x.as_deref(), t[1].i.as_deref(), t[1].tag_type.as_deref()),
        (Some("2"), Some("1"), Some("bold"))
    );
    assert_eq!(
        (t[2].x.as_deref(), t[2].assoc.as_deref(), t[2].tag_type.as_deref()),
        (Some("3"), Some("b"), Some("image"))
    );
    assert_eq!(code(t[2]), "<IMG SRC=\"here.png\" ALT=\"{sub}\">");
    let Inline::Sub(sub) = &t[2].content[1] else {
        panic!("{:?}", t[2].content)
    };
    assert_eq!(sub.content, vec![Inline::Text("Start Here!".into())]);
    assert_eq!(
        (t[3].x.as_deref(), t[3].tag_type.as_deref()),
        (Some("4"), Some("verb"))
    );
    assert_eq!(t[3].content, vec![Inline::Text("start".into())]);
    assert_eq!(code(t[4]), "</B>");
    assert_eq!(en.text_only(), "Click  to start.");
    assert_eq!(
        en.plain_text(),
        "\u{E000}\u{E001}Click \u{E002} to \u{E003}start\u{E004}.\u{E005}"
    );
    assert_eq!(seg(&r.units[0], "fr"), "Cliquez  pour commencer.");
}

/// 2A (UTF-16) and 2B (RTF codes, UTF-16) carry paired, isolated and
/// placeholder codes and highlighting.
#[test]
#[ignore = "needs KORPU_FIXTURES"]
fn import_2a_2b_content_markup() {
    for (name, open_b) in [("ImportTest2A.tmx", "<b>"), ("ImportTest2B.tmx", "{\\b ")] {
        let r = read(name);
        assert_eq!(r.encoding, "UTF-16LE", "{name}");
        assert_eq!(r.units.len(), 7, "{name}");
        let u1 = &r.units[0];
        assert_eq!(seg(u1, "en-US"), "The big black cat sleeps.");
        assert_eq!(seg(u1, "fr-CA"), "Le gros chat noir dors.");
        let en = tags(&u1.variants[0].segment.content);
        assert_eq!(en.len(), 4);
        assert_eq!(
            (en[0].kind, en[0].i.as_deref(), en[0].tag_type.as_deref()),
            (TagKind::Bpt, Some("1"), Some("bold"))
        );
        assert_eq!(code(en[0]), open_b);
        // The French variant has the pairs in the other order.
        let fr = tags(&u1.variants[1].segment.content);
        assert_eq!(fr[0].i.as_deref(), Some("2"));
        // Special characters inside and around codes.
        assert_eq!(
            seg(&r.units[1], "en-US"),
            "Test for special characters = <=lt, >=gt, &=amp, \"=quot."
        );
        // Nested pairs.
        let nested = tags(&r.units[2].variants[1].segment.content);
        let order: Vec<_> = nested.iter().map(|t| (t.kind, t.i.clone().unwrap())).collect();
        assert_eq!(
            order[..3],
            [
                (TagKind::Bpt, "1".into()),
                (TagKind::Bpt, "2".into()),
                (TagKind::Bpt, "3".into())
            ]
        );
        // Isolated codes across units.
        let it = tags(&r.units[3].variants[0].segment.content);
        assert_eq!((it[0].kind, it[0].pos.as_deref()), (TagKind::It, Some("begin")));
        let it = tags(&r.units[4].variants[1].segment.content);
        assert_eq!((it[0].kind, it[0].pos.as_deref()), (TagKind::It, Some("end")));
        // Placeholder with assoc, in mixed-case language tags.
        let ph = tags(&r.units[5].variants[0].segment.content);
        assert_eq!(langs(&r.units[5]), ["en-US", "fr-CA"]);
        assert_eq!(
            (ph[0].kind, ph[0].assoc.as_deref(), ph[0].tag_type.as_deref()),
            (TagKind::Ph, Some("p"), Some("image"))
        );
        // Highlighted text, target before source.
        assert_eq!(langs(&r.units[6]), ["fr-CA", "en-US"]);
        let hi = tags(&r.units[6].variants[1].segment.content);
        assert_eq!(hi[0].kind, TagKind::Hi);
        assert_eq!(hi[0].content, vec![Inline::Text("a part highlighted".into())]);
        assert!(r.warnings.is_empty(), "{name}: {:?}", r.warnings);
    }
    // The OmegaT variant: UTF-8, same structure.
    let zero = read("ImportTest2A-0index.tmx");
    assert_eq!(zero.encoding, "UTF-8");
    assert_eq!(zero.units.len(), 7);
    assert_eq!(seg(&zero.units[0], "en-US"), "The big black cat sleeps.");
}

#[test]
#[ignore = "needs KORPU_FIXTURES"]
fn export_tests_keep_whitespace_and_specials() {
    let r = read("ExportTest1A.tmx");
    assert_eq!(r.header.srclang.as_deref(), Some("EN-US"));
    assert_eq!(r.units.len(), 4);
    assert_eq!(seg(&r.units[0], "en-US"), "Text with 3 spaces [   ] and 2 [  ]");
    assert_eq!(seg(&r.units[1], "fr-CA"), "Texte avec 1 tab [\t] et 2 [\t\t]");
    assert_eq!(seg(&r.units[2], "en-US"), "<=lt, >=gt, &=amp, {=obrace, }=cbrace");
    assert_eq!(
        seg(&r.units[3], "en-US"),
        "é=eacute, \u{A0}=nbsp, ¤=curr, ÿ=yumlaut, ©=copy, §=para"
    );
    let r = read("ExportTest2A.tmx");
    assert_eq!(r.units.len(), 6);
    assert_eq!(r.units[1].variants[0].segment.tag_count(), 6);
    assert_eq!(seg(&r.units[1], "fr-CA"), "Le gros chat noir dors.");
}
