//! XLIFF 1.2 and 2.x: byte-faithful round trips of tool-style fixtures
//! (written for korpu the way Okapi Rainbow, OmegaT, Translate Toolkit and
//! Weblate write XLIFF), inline codes through pretranslation, candidates and
//! glossary modules, harvesting, and malformed input.

use std::path::PathBuf;

use korpu::formats::xliff::{
    PretranslateOptions, PretranslateSummary, SegmentQuery, Suggestion, Suggestions, TermSuggestion,
    XliffUnits, pretranslate,
};
use korpu::model::{Inline, Segment, TranslationUnit};

/// A file of `tests/data/xliff/`.
fn data(name: &str) -> PathBuf {
    crate::support::data("xliff").join(name)
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

// --- `--segment` (PretranslateOptions::segment) ---

fn run_segmented(
    input: &[u8],
    suggester: impl korpu::formats::xliff::Suggester,
) -> (String, PretranslateSummary) {
    let mut out = Vec::new();
    let options = PretranslateOptions {
        segment: true,
        ..PretranslateOptions::default()
    };
    let summary = pretranslate(input, &mut out, suggester, &options).unwrap();
    (String::from_utf8(out).unwrap(), summary)
}

/// A fixture with two more sentences after every source that has words
/// (the abbreviation and the decimal must not split).
fn with_more_sentences(doc: &str) -> String {
    const MORE: &str = " Dr. Smith came at 5.30 today. He left.";
    let mut out = String::with_capacity(doc.len() * 2);
    let mut rest = doc;
    while let Some(end) = rest.find("</source>") {
        let (before, after) = rest.split_at(end);
        let content_start = before
            .rfind("<source")
            .and_then(|s| before[s..].find('>').map(|g| s + g + 1));
        out.push_str(before);
        if content_start.is_some_and(|s| before[s..].chars().any(char::is_alphabetic)) {
            out.push_str(MORE);
        }
        out.push_str("</source>");
        rest = &after["</source>".len()..];
    }
    out.push_str(rest);
    out
}

/// Checks well-formedness with xmllint when it is installed (CI installs libxml2-utils).
fn xmllint_ok(name: &str, xml: &str) {
    let Ok(mut child) = std::process::Command::new("xmllint")
        .args(["--noout", "-"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    else {
        eprintln!("xmllint not found: well-formedness checked by korpu's reader only");
        return;
    };
    use std::io::Write;
    child.stdin.take().unwrap().write_all(xml.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{name}: xmllint: {}\n{xml}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Per 1.2 trans-unit: the mids of `<seg-source>` and of `<target>` marks.
fn unit_mids(xml: &str) -> Vec<(Vec<String>, Option<Vec<String>>)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let mut current: Option<(Vec<String>, Option<Vec<String>>)> = None;
    let mut inside = "";
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) => {
                let name = e.local_name();
                match name.as_ref() {
                    b"trans-unit" => current = Some((Vec::new(), None)),
                    b"seg-source" => inside = "seg-source",
                    b"target" if inside.is_empty() => {
                        inside = "target";
                        if let Some(c) = current.as_mut() {
                            c.1 = Some(Vec::new());
                        }
                    }
                    b"alt-trans" => inside = "alt-trans",
                    b"mrk" => {
                        let mtype = e
                            .try_get_attribute("mtype")
                            .unwrap()
                            .map(|a| a.value.into_owned());
                        let mid = e.try_get_attribute("mid").unwrap().map(|a| a.value.into_owned());
                        if let (Some(c), Some(b"seg"), Some(mid)) = (current.as_mut(), mtype.as_deref(), mid)
                        {
                            let mid = String::from_utf8(mid).unwrap();
                            match inside {
                                "seg-source" => c.0.push(mid),
                                "target" => c.1.get_or_insert_with(Vec::new).push(mid),
                                _ => {}
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"trans-unit" => out.extend(current.take()),
                b"seg-source" | b"target" | b"alt-trans" if inside.as_bytes() == e.local_name().as_ref() => {
                    inside = ""
                }
                _ => {}
            },
            Event::Eof => return out,
            _ => {}
        }
    }
}

#[test]
fn segment_splits_every_fixture_into_well_formed_segmented_xliff() {
    for (name, bytes) in fixtures() {
        let doc = with_more_sentences(&String::from_utf8(bytes).unwrap());
        let asked = std::cell::RefCell::new(Vec::new());
        let suggest = |q: &SegmentQuery<'_>| {
            asked.borrow_mut().push(q.text.to_string());
            exact_bracketed(q)
        };
        let (out, summary) = run_segmented(doc.as_bytes(), suggest);
        let asked = asked.into_inner();
        if ["weblate_20.xlf", "xliff21_codes.xlf"].contains(&name.as_str()) {
            // Their units to fill are already segmented: left as they are.
            assert!(
                asked.iter().all(|t| t.ends_with("today. He left.")),
                "{name}: {asked:?}"
            );
            assert_eq!(out.matches("<segment").count(), doc.matches("<segment").count());
        } else {
            // Every lookup is one sentence: "He left." on its own, never glued to the one before.
            assert!(asked.iter().any(|t| t == "He left."), "{name}: {asked:?}");
            assert!(
                asked.iter().all(|t| !t.contains("today. He")),
                "{name}: {asked:?}"
            );
        }
        assert!(
            asked.iter().all(|t| !t.ends_with("Dr.")),
            "{name}: split after an abbreviation: {asked:?}"
        );
        assert!(summary.segments > summary.units, "{name}: {summary:?}");
        assert_eq!(
            summary.exact + summary.translated_before + summary.untranslated,
            summary.segments,
            "{name}: {summary:?}"
        );
        // The output parses again with korpu's reader and is a fixed point:
        // nothing left to split, nothing left to fill.
        let (again, summary2) = run_segmented(out.as_bytes(), none);
        assert_eq!(again, out, "{name}");
        assert_eq!(summary2.segments, summary.segments, "{name}");
        assert_eq!(summary2.untranslated, summary.untranslated, "{name}");
        xmllint_ok(&name, &out);
        // The filled sentences are finished work, harvested one by one.
        let units: Vec<TranslationUnit> = XliffUnits::new(out.as_bytes())
            .unwrap()
            .map(Result::unwrap)
            .collect();
        if out.contains("version=\"1.2\"") || out.contains("version=\"1.1\"") {
            assert!(out.contains("<seg-source"), "{name}:\n{out}");
            for (source_mids, target_mids) in unit_mids(&out) {
                if let Some(t) = target_mids
                    && !source_mids.is_empty()
                {
                    assert_eq!(source_mids, t, "{name}:\n{out}");
                }
            }
        } else if !["weblate_20.xlf", "xliff21_codes.xlf"].contains(&name.as_str()) {
            assert!(
                out.matches("<segment").count() > doc.matches("<segment").count(),
                "{name}:\n{out}"
            );
            assert!(
                units
                    .iter()
                    .any(|u| u.variants[0].segment.plain_text() == "He left."),
                "{name}:\n{out}"
            );
        }
    }
}

#[test]
fn segment_fills_sentences_one_by_one_and_counts_segments() {
    // Turkish source: "Prof. Dr." and "5." must not end a sentence; an x code
    // inside the first sentence, a g spanning the second and third keeps them together.
    let doc = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff version=\"1.2\" \
               xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">\n<file original=\"a.txt\" source-language=\"tr\" \
               target-language=\"en\" datatype=\"plaintext\">\n<body>\n<trans-unit id=\"1\">\n<source>Prof. Dr. \
               Ayşe Kaya 5. maddeyi <x id=\"1\"/>okudu. <g id=\"2\">Toplantı bitti. Herkes gitti.</g> Sonra \
               yağmur yağdı.</source>\n</trans-unit>\n<trans-unit id=\"2\">\n<source>Tek cümle.</source>\n\
               </trans-unit>\n</body>\n</file>\n</xliff>\n";
    let suggest = |q: &SegmentQuery<'_>| -> korpu::Result<Suggestions> {
        Ok(match q.text {
            "Prof. Dr. Ayşe Kaya 5. maddeyi \u{E000}okudu." => {
                let ph = || {
                    let mut t = korpu::model::InlineTag::new(korpu::model::TagKind::Ph);
                    t.x = Some("1".into());
                    Inline::Tag(t)
                };
                let text = |s: &str| Inline::Text(s.into());
                let target = Segment {
                    content: vec![text("Prof. Dr. Ayşe Kaya "), ph(), text("read article 5.")],
                };
                Suggestions {
                    matches: vec![Suggestion {
                        score: 100,
                        origin: "memory.korpu".into(),
                        source: Segment {
                            content: vec![text("Prof. Dr. Ayşe Kaya 5. maddeyi "), ph(), text("okudu.")],
                        },
                        adapted_target: target.plain_text(),
                        target,
                    }],
                    terms: Vec::new(),
                }
            }
            "Sonra yağmur yağdı." => Suggestions {
                matches: vec![tm_match(80, "Sonra yağmur yağdı", "Then it rained.")],
                terms: Vec::new(),
            },
            _ => Suggestions::default(),
        })
    };
    let (out, summary) = run_segmented(doc.as_bytes(), suggest);
    assert_eq!(
        (
            summary.units,
            summary.segments,
            summary.exact,
            summary.fuzzy,
            summary.untranslated
        ),
        (2, 4, 1, 1, 2),
        "{out}"
    );
    let expected = "<source>Prof. Dr. Ayşe Kaya 5. maddeyi <x id=\"1\"/>okudu. <g id=\"2\">Toplantı bitti. Herkes \
                    gitti.</g> Sonra yağmur yağdı.</source>\n<seg-source><mrk mtype=\"seg\" mid=\"1\">Prof. Dr. Ayşe \
                    Kaya 5. maddeyi <x id=\"1\"/>okudu.</mrk> <mrk mtype=\"seg\" mid=\"2\"><g id=\"2\">Toplantı \
                    bitti. Herkes gitti.</g></mrk> <mrk mtype=\"seg\" mid=\"3\">Sonra yağmur yağdı.</mrk></seg-source>\
                    \n<target xml:lang=\"en\" state=\"needs-translation\"><mrk mtype=\"seg\" mid=\"1\">Prof. Dr. \
                    Ayşe Kaya <x id=\"1\"/>read article 5.</mrk> <mrk mtype=\"seg\" mid=\"2\"/> <mrk mtype=\"seg\" mid=\"3\">Then \
                    it rained.</mrk></target>";
    assert!(out.contains(expected), "{out}");
    // The fuzzy candidate is listed for its segment.
    assert!(out.contains("<alt-trans mid=\"3\" match-quality=\"80\""), "{out}");
    // The one-sentence unit is left as it was.
    assert!(
        out.contains("<trans-unit id=\"2\">\n<source>Tek cümle.</source>\n</trans-unit>"),
        "{out}"
    );
    xmllint_ok("tr", &out);
    // Without --segment: one query per unit, and the output is the input.
    let (plain, summary) = run(doc.as_bytes(), none);
    assert_eq!(plain, doc);
    assert_eq!((summary.units, summary.segments), (2, 2));
}

#[test]
fn segment_splits_xliff2_with_ignorables_and_fills_each_segment() {
    let doc = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" \
               version=\"2.0\" srcLang=\"az\" trgLang=\"en\">\n  <file id=\"f1\">\n    <unit id=\"u1\">\n      \
               <segment id=\"s1\">\n        <source>Bakı, Gəncə və s. şəhərlərdə <pc id=\"1\">yağış</pc> yağdı. \
               <sc id=\"2\"/>Sabah hava açılacaq.<ec startRef=\"2\"/></source>\n      </segment>\n    </unit>\n  \
               </file>\n</xliff>\n";
    let suggest = |q: &SegmentQuery<'_>| -> korpu::Result<Suggestions> {
        Ok(match q.text {
            "Sabah hava açılacaq.\u{E001}" | "\u{E000}Sabah hava açılacaq.\u{E001}" => Suggestions {
                matches: vec![tm_match(
                    100,
                    "Sabah hava açılacaq.",
                    "The weather will clear tomorrow.",
                )],
                terms: Vec::new(),
            },
            _ => Suggestions::default(),
        })
    };
    let (out, summary) = run_segmented(doc.as_bytes(), suggest);
    assert_eq!((summary.units, summary.segments), (1, 2), "{out}");
    assert!(
        out.contains(
            "<segment id=\"s1\">\n        <source>Bakı, Gəncə və s. şəhərlərdə <pc id=\"1\">yağış</pc> \
             yağdı.</source>\n      </segment>\n      <ignorable>\n        <source> </source>\n      </ignorable>\n      \
             <segment id=\"s1-2\""
        ),
        "{out}"
    );
    assert!(
        out.contains("<source><sc id=\"2\"/>Sabah hava açılacaq.<ec startRef=\"2\"/></source>"),
        "{out}"
    );
    xmllint_ok("az", &out);
    let units: Vec<TranslationUnit> = XliffUnits::new(out.as_bytes())
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(units.len(), summary.exact as usize, "{out}");
}

#[test]
fn segmenting_asks_the_same_queries_as_one_sentence_per_unit() {
    // The same sentences, two per unit (split by --segment) and one per unit:
    // the lookups (text and context) and the summary counts must agree.
    let sentences = [
        "Prof. Dr. Ayşe Kaya 5. maddeyi okudu.",
        "Toplantı 14.30'da bitti.",
        "Doç. Dr. Kaya Şuşa'ya 3. kez gitti.",
        "Yeni yol 2026'da açılacak.",
        "Ne zaman?",
        "Yarın!",
    ];
    let doc = |per_unit: usize| {
        let mut s = String::from(
            "<xliff version=\"1.2\"><file source-language=\"tr\" target-language=\"en\" datatype=\"plaintext\" \
             original=\"a\"><body>\n",
        );
        for (i, unit) in sentences.chunks(per_unit).enumerate() {
            s.push_str(&format!(
                "<trans-unit id=\"{i}\"><source>{}</source></trans-unit>\n",
                unit.join(" ")
            ));
        }
        s.push_str("</body></file></xliff>\n");
        s
    };
    let ask = |segment: bool, doc: &str| {
        let asked = std::cell::RefCell::new(Vec::new());
        let suggest = |q: &SegmentQuery<'_>| -> korpu::Result<Suggestions> {
            asked.borrow_mut().push((
                q.text.to_string(),
                q.prev.map(str::to_string),
                q.next.map(str::to_string),
            ));
            // Every other sentence is in the "memory".
            Ok(if asked.borrow().len() % 2 == 1 {
                Suggestions {
                    matches: vec![tm_match(100, q.text, "ok")],
                    terms: Vec::new(),
                }
            } else {
                Suggestions::default()
            })
        };
        let mut out = Vec::new();
        let options = PretranslateOptions {
            segment,
            ..PretranslateOptions::default()
        };
        let summary = pretranslate(doc.as_bytes(), &mut out, suggest, &options).unwrap();
        (asked.into_inner(), summary)
    };
    let (one_per_unit, s1) = ask(false, &doc(1));
    let (split, s2) = ask(true, &doc(2));
    assert_eq!(one_per_unit.len(), sentences.len());
    assert_eq!(split, one_per_unit);
    assert_eq!((s2.units, s1.units), (3, 6));
    assert_eq!(
        (s2.segments, s2.exact, s2.untranslated),
        (s1.segments, s1.exact, s1.untranslated)
    );
}
