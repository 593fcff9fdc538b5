//! XLIFF 1.2 and 2.x: byte-faithful round trips of tool-style fixtures
//! (written for korpu the way Okapi Rainbow, OmegaT, Translate Toolkit and
//! Weblate write XLIFF), inline codes through pretranslation, candidates and
//! glossary modules, harvesting, and malformed input.

use std::path::{Path, PathBuf};

use korpu::formats::xliff::{
    PretranslateOptions, PretranslateSummary, SegmentQuery, Suggestion, Suggestions, TermSuggestion,
    XliffUnits, pretranslate,
};
use korpu::model::{Inline, Segment, TranslationUnit};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/xliff")
        .join(name)
}

fn fixtures() -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<_> = std::fs::read_dir(data(""))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xlf"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    assert!(out.len() >= 6, "fixtures missing");
    out
}

fn none(_: &SegmentQuery<'_>) -> korpu::Result<Suggestions> {
    Ok(Suggestions::default())
}

fn run(input: &[u8], suggester: impl korpu::formats::xliff::Suggester) -> (String, PretranslateSummary) {
    let mut out = Vec::new();
    let summary = pretranslate(input, &mut out, suggester, &PretranslateOptions::default()).unwrap();
    (String::from_utf8(out).unwrap(), summary)
}

fn utf16(text: &str, le: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(if le { b"\xFF\xFE" } else { b"\xFE\xFF" });
    }
    for u in text.encode_utf16() {
        out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    out
}

#[test]
fn every_fixture_round_trips_byte_for_byte_without_suggestions() {
    for (name, bytes) in fixtures() {
        let mut out = Vec::new();
        pretranslate(&bytes[..], &mut out, none, &PretranslateOptions::default()).unwrap();
        assert!(out == bytes, "{name} changed:\n{}", String::from_utf8_lossy(&out));
    }
}

#[test]
fn other_encodings_round_trip_byte_for_byte() {
    let text = String::from_utf8(std::fs::read(data("omegat.xlf")).unwrap()).unwrap();
    let text16 = text.replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"");
    let mut inputs = vec![
        utf16(&text16, true, true),
        utf16(&text16, false, true),
        utf16(&text16, true, false),
        [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
    ];
    // A declared legacy encoding: Turkish letters in ISO-8859-9.
    let latin5 = "<?xml version=\"1.0\" encoding=\"ISO-8859-9\"?>\n<xliff version=\"1.2\"><file \
                  source-language=\"tr\" target-language=\"en\" original=\"a\" datatype=\"plaintext\"><body>\n\
                  <trans-unit id=\"1\"><source>Şişli'de ığdır</source></trans-unit>\n</body></file></xliff>\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1254.encode(latin5);
    inputs.push(bytes.into_owned());
    for input in inputs {
        let mut out = Vec::new();
        pretranslate(&input[..], &mut out, none, &PretranslateOptions::default()).unwrap();
        assert_eq!(out, input);
    }
}

/// A "translation" of a segment that keeps every tag where it is.
fn bracketed(seg: &Segment) -> Segment {
    fn walk(items: &[Inline]) -> Vec<Inline> {
        items
            .iter()
            .map(|i| match i {
                Inline::Text(t) if t.trim().is_empty() => Inline::Text(t.clone()),
                Inline::Text(t) => Inline::Text(format!("«{t}»")),
                Inline::Tag(t) => {
                    let mut t = t.clone();
                    if t.kind == korpu::model::TagKind::Hi {
                        t.content = walk(&t.content);
                    }
                    Inline::Tag(t)
                }
                other => other.clone(),
            })
            .collect()
    }
    Segment {
        content: walk(&seg.content),
    }
}

fn exact_bracketed(q: &SegmentQuery<'_>) -> korpu::Result<Suggestions> {
    let target = bracketed(q.source);
    Ok(Suggestions {
        matches: vec![Suggestion {
            score: 100,
            origin: "test".into(),
            source: q.source.clone(),
            adapted_target: target.plain_text(),
            target,
        }],
        terms: Vec::new(),
    })
}

fn tags(seg: &Segment) -> Vec<String> {
    let plain = seg.plain_text();
    let mut out = Vec::new();
    fn walk(items: &[Inline], out: &mut Vec<String>) {
        for i in items {
            if let Inline::Tag(t) = i {
                out.push(format!("{:?}/{:?}/{:?}", t.kind, t.i, t.x));
                walk(&t.content, out);
            }
        }
    }
    walk(&seg.content, &mut out);
    let _ = plain;
    out
}

#[test]
fn inline_codes_survive_pretranslation_in_every_fixture() {
    for (name, bytes) in fixtures() {
        let (out, summary) = run(&bytes, exact_bracketed);
        assert_eq!(summary.fuzzy, 0, "{name}");
        assert_eq!(
            summary.exact + summary.translated_before + summary.untranslated,
            summary.segments,
            "{name}"
        );
        // What the output holds as finished translations: every filled target
        // has the source's codes, in order, and the bracketed text.
        let units: Vec<TranslationUnit> = XliffUnits::new(out.as_bytes())
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let mut filled = 0;
        for u in &units {
            let (s, t) = (&u.variants[0].segment, &u.variants[1].segment);
            if t.plain_text() == bracketed(s).plain_text() {
                assert_eq!(tags(s), tags(t), "{name}");
                filled += 1;
            }
        }
        assert_eq!(filled as u64, summary.exact, "{name}:\n{out}");
        // And the output is itself well-formed XLIFF that round trips.
        let (again, _) = run(out.as_bytes(), none);
        assert_eq!(again, out, "{name}");
    }
}

#[test]
fn okapi_codes_are_copied_byte_for_byte() {
    let bytes = std::fs::read(data("okapi_rainbow.xlf")).unwrap();
    let (out, summary) = run(&bytes, exact_bracketed);
    assert_eq!(
        (summary.units, summary.exact, summary.not_translatable),
        (4, 3, 1)
    );
    assert!(
        out.contains(
            "<source xml:lang=\"en\">Welcome to <g id=\"1\" ctype=\"bold\">Shusha</g></source>\
         <target xml:lang=\"tr\" state=\"translated\" state-qualifier=\"exact-match\">«Welcome to »\
         <g id=\"1\" ctype=\"bold\">«Shusha»</g></target></trans-unit>"
        ),
        "{out}"
    );
    // An existing empty target is filled in place, its attributes kept.
    assert!(
        out.contains(
            "<target xml:lang=\"tr\" state=\"translated\" state-qualifier=\"exact-match\">«Press »\
         <x id=\"1\" ctype=\"image\" equiv-text=\"[img]\"/>« to continue.»</target>"
        ),
        "{out}"
    );
    assert!(out.contains(
        "<bx id=\"1\" ctype=\"x-a\"/>«conference»<ex id=\"1\"/>« starts at 10 o'clock &amp; ends at 12.»"
    ));
    // The extension element stays after the new target.
    assert!(
        out.contains("</target>\n<okp:extra okp:kind=\"metrics\">words=9</okp:extra>"),
        "{out}"
    );
    assert!(out.contains("<source xml:lang=\"en\">Do not translate</source></trans-unit>"));
}

#[test]
fn xliff2_codes_and_ids_are_kept() {
    let bytes = std::fs::read(data("xliff21_codes.xlf")).unwrap();
    let (out, summary) = run(&bytes, exact_bracketed);
    assert_eq!((summary.exact, summary.not_translatable), (2, 1));
    assert!(out.contains(
        "<segment id=\"s1\" state=\"translated\">\n        <source>Visit <pc id=\"1\" dataRefStart=\"d1\" \
         dataRefEnd=\"d2\">Shusha</pc> today.<ph id=\"2\" dataRef=\"d3\"/></source>\n        <target>«Visit »<pc \
         id=\"1\" dataRefStart=\"d1\" dataRefEnd=\"d2\">«Shusha»</pc>« today.»<ph id=\"2\" dataRef=\"d3\"/></target>"
    ), "{out}");
    assert!(
        out.contains(
            "<target>«Read »<sc id=\"3\" type=\"fmt\"/>«the»<ec startRef=\"3\"/> <mrk id=\"m1\" \
         type=\"term\">«declaration»</mrk>«.»</target>"
        ),
        "{out}"
    );
    assert!(out.contains("<segment><source>Code sample</source></segment>"));
}

fn tm_match(score: u8, source: &str, target: &str) -> Suggestion {
    Suggestion {
        score,
        origin: "memory.korpu".into(),
        source: Segment::from_text(source),
        target: Segment::from_text(target),
        adapted_target: target.into(),
    }
}

#[test]
fn xliff2_candidates_and_glossary_modules() {
    let bytes = std::fs::read(data("weblate_20.xlf")).unwrap();
    let suggest = |q: &SegmentQuery<'_>| -> korpu::Result<Suggestions> {
        assert_eq!((q.source_lang.as_str(), q.target_lang.as_str()), ("en", "az"));
        Ok(match q.text {
            "Shusha is a city in Karabakh." => Suggestions {
                matches: vec![
                    tm_match(100, q.text, "Şuşa Qarabağda bir şəhərdir."),
                    tm_match(
                        80,
                        "Shusha is a town in Karabakh.",
                        "Şuşa Qarabağda bir qəsəbədir.",
                    ),
                ],
                terms: vec![TermSuggestion {
                    source: "Shusha".into(),
                    translations: vec!["Şuşa".into()],
                    definition: None,
                }],
            },
            "It is famous for music." => Suggestions {
                matches: vec![tm_match(
                    80,
                    "It is famous for its music.",
                    "O, musiqisi ilə məşhurdur.",
                )],
                terms: Vec::new(),
            },
            other => panic!("unexpected query {other:?}"),
        })
    };
    let (out, summary) = run(&bytes, suggest);
    assert_eq!((summary.exact, summary.fuzzy, summary.with_terms), (1, 1, 1));
    let expected = r##"    <unit id="city">
      <mtc:matches xmlns:mtc="urn:oasis:names:tc:xliff:matches:2.0">
        <mtc:match ref="#s1" similarity="80" type="tm" origin="memory.korpu">
          <source>Shusha is a town in Karabakh.</source>
          <target>Şuşa Qarabağda bir qəsəbədir.</target>
        </mtc:match>
        <mtc:match ref="#s2" similarity="80" type="tm" origin="memory.korpu">
          <source>It is famous for its music.</source>
          <target>O, musiqisi ilə məşhurdur.</target>
        </mtc:match>
      </mtc:matches>
      <gls:glossary xmlns:gls="urn:oasis:names:tc:xliff:glossary:2.0">
        <gls:glossEntry>
          <gls:term source="korpu">Shusha</gls:term>
          <gls:translation source="korpu">Şuşa</gls:translation>
        </gls:glossEntry>
      </gls:glossary>
      <segment id="s1" state="translated">
        <source>Shusha is a city in Karabakh.</source>
        <target>Şuşa Qarabağda bir şəhərdir.</target>
      </segment>
      <segment id="s2" state="initial">
        <source>It is famous for music.</source>
        <target>O, musiqisi ilə məşhurdur.</target>
      </segment>
    </unit>
"##;
    assert!(out.contains(expected), "{out}");
    // The untouched unit is as it was.
    assert!(out.contains(
        "<segment state=\"translated\">\n        <source>Hello</source>\n        <target>Salam</target>"
    ));
}

#[test]
fn xliff12_fuzzy_alt_trans_notes_and_signed_off() {
    let bytes = std::fs::read(data("omegat.xlf")).unwrap();
    let suggest = |q: &SegmentQuery<'_>| -> korpu::Result<Suggestions> {
        Ok(match q.text {
            "The Declaration was signed in Shusha." => {
                // The previous segment is the translated one before it.
                assert_eq!(q.prev, Some("Shusha is a city in Karabakh."));
                assert_eq!(q.next, Some("Baku is the capital."));
                Suggestions {
                    matches: vec![tm_match(101, q.text, "Bəyannamə Şuşada imzalandı.")],
                    terms: vec![TermSuggestion {
                        source: "Shusha".into(),
                        translations: vec!["Şuşa".into()],
                        definition: None,
                    }],
                }
            }
            _ => Suggestions {
                matches: vec![
                    tm_match(87, "Baku is a capital.", "Bakı paytaxtdır."),
                    tm_match(76, "Baku is the capital city.", "Bakı paytaxt şəhərdir."),
                ],
                terms: Vec::new(),
            },
        })
    };
    let mut out = Vec::new();
    let options = PretranslateOptions {
        signed_off_context: true,
        ..PretranslateOptions::default()
    };
    let summary = pretranslate(
        &std::fs::read(data("omegat.xlf")).unwrap()[..],
        &mut out,
        suggest,
        &options,
    )
    .unwrap();
    let out = String::from_utf8(out).unwrap();
    let _ = bytes;
    assert_eq!(
        (summary.context, summary.fuzzy, summary.translated_before),
        (1, 1, 1)
    );
    let expected = r#"      <trans-unit id="1">
        <source>The Declaration was signed in Shusha.</source>
        <target state="signed-off" state-qualifier="exact-match">Bəyannamə Şuşada imzalandı.</target>
        <note from="korpu-glossary">Shusha → Şuşa</note>
      </trans-unit>
      <trans-unit id="2">
        <source>Baku is the capital.</source>
        <target xml:lang="az" state="needs-review-translation" state-qualifier="fuzzy-match">Bakı paytaxtdır.</target>
        <alt-trans match-quality="87" origin="memory.korpu">
          <source xml:lang="en">Baku is a capital.</source>
          <target xml:lang="az">Bakı paytaxtdır.</target>
        </alt-trans>
        <alt-trans match-quality="76" origin="memory.korpu">
          <source xml:lang="en">Baku is the capital city.</source>
          <target xml:lang="az">Bakı paytaxt şəhərdir.</target>
        </alt-trans>
      </trans-unit>
"#;
    assert!(out.contains(expected), "{out}");
}

#[test]
fn segmented_xliff12_gets_a_segmented_target() {
    let doc = "<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\"><file original=\"a\" \
               datatype=\"plaintext\" source-language=\"en\" target-language=\"tr\"><body>\n\
               <trans-unit id=\"1\"><source>One. Two.</source>\n\
               <seg-source><mrk mtype=\"seg\" mid=\"1\">One.</mrk> <mrk mtype=\"seg\" mid=\"2\">Two.</mrk></seg-source>\n\
               </trans-unit>\n</body></file></xliff>";
    let suggest = |q: &SegmentQuery<'_>| -> korpu::Result<Suggestions> {
        Ok(match q.text {
            "One." => Suggestions {
                matches: vec![tm_match(100, "One.", "Bir.")],
                terms: Vec::new(),
            },
            _ => Suggestions::default(),
        })
    };
    let (out, summary) = run(doc.as_bytes(), suggest);
    assert_eq!((summary.segments, summary.exact, summary.untranslated), (2, 1, 1));
    assert!(out.contains(
        "</seg-source>\n<target xml:lang=\"tr\" state=\"needs-translation\"><mrk mtype=\"seg\" mid=\"1\">Bir.</mrk> \
         <mrk mtype=\"seg\" mid=\"2\"/></target>\n</trans-unit>"
    ), "{out}");
    // Harvest pairs segments by mid; the unfinished state keeps it out.
    assert_eq!(XliffUnits::new(out.as_bytes()).unwrap().count(), 0);
}

#[test]
fn harvest_keeps_languages_notes_and_context_as_props() {
    let units: Vec<TranslationUnit> = XliffUnits::from_path(data("translate_toolkit_po2xliff.xlf"))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(units.len(), 1);
    let u = &units[0];
    assert_eq!(u.tuid.as_deref(), Some("1"));
    assert_eq!(u.variants[0].lang.as_str(), "en-US");
    assert_eq!(u.variants[1].lang.as_str(), "tr");
    assert_eq!(u.variants[1].segment.plain_text(), "Dosyayı kaydet");
    assert_eq!(u.prop("x-context-sourcefile"), Some("src/main.c"));
    assert_eq!(u.prop("x-context-linenumber"), Some("42"));
    assert_eq!(u.prop("x-note"), Some("Menu item"));
    assert_eq!(u.prop("x-xliff-file"), Some("messages.po"));
    assert_eq!(u.prop("next"), Some("Open file"));
    assert_eq!(u.prop("prev"), None);
    // Weblate 1.2: `needs-review-translation` and empty targets are not finished work.
    let n = XliffUnits::from_path(data("weblate_12.xlf")).unwrap().count();
    assert_eq!(n, 1);
}

fn error_of(doc: &str) -> String {
    let mut out = Vec::new();
    match pretranslate(doc.as_bytes(), &mut out, none, &PretranslateOptions::default()) {
        Ok(_) => panic!("accepted: {doc}"),
        Err(e) => {
            assert!(matches!(e, korpu::Error::Parse { .. }), "{e:?}");
            e.to_string()
        }
    }
}

#[test]
fn malformed_xliff_is_an_error_with_line_and_column() {
    let head = "<xliff version=\"1.2\"><file source-language=\"en\" target-language=\"tr\" original=\"a\" \
                datatype=\"plaintext\"><body>\n";
    let e = error_of(&format!(
        "{head}<trans-unit id=\"1\">\n  <source>Hi</target>\n</trans-unit></body></file></xliff>"
    ));
    assert!(e.starts_with("<input>:3:13:"), "{e}");
    let e = error_of(&format!(
        "{head}<trans-unit id=\"1\"><source>a &nbsp; b</source></trans-unit></body></file></xliff>"
    ));
    assert!(e.contains(":2:") && e.contains("undefined entity &nbsp;"), "{e}");
    let e = error_of(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE xliff [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<xliff/>",
    );
    assert!(
        e.contains(":2:1:") && e.contains("entity declarations are refused"),
        "{e}"
    );
    let e = error_of(&format!("{head}<trans-unit id=\"1\"><source>cut"));
    assert!(e.contains("not closed"), "{e}");
    let e = error_of("<tmx version=\"1.4\"/>");
    assert!(e.contains("1:1:") && e.contains("not an XLIFF document"), "{e}");
    let e = error_of(&format!(
        "{head}<trans-unit id=\"1\" id=\"2\"><source/></trans-unit></body></file></xliff>"
    ));
    assert!(e.contains(":2:"), "{e}");
}
