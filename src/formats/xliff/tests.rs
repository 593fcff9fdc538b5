//! Unit tests of the XLIFF reader and writer.

use proptest::prelude::*;

use super::engine::{Engine, Item};
use super::inline::{Content, codes_nest, escape_text, transfer_codes, write_with_codes};
use super::unit::view;
use crate::model::{Inline, InlineTag, Segment, TagKind};
use crate::text::tag_placeholder;

/// The source content of the first unit of a 1.2 or 2.0 document holding `content`.
fn source_of(content: &str, v2: bool) -> Content {
    let doc = if v2 {
        format!(
            "<xliff version=\"2.0\" xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" srcLang=\"en\" \
             trgLang=\"tr\"><file id=\"f\"><unit id=\"1\"><segment><source>{content}</source></segment>\
             </unit></file></xliff>"
        )
    } else {
        format!(
            "<xliff version=\"1.2\"><file source-language=\"en\" target-language=\"tr\"><body>\
             <trans-unit id=\"1\"><source>{content}</source></trans-unit></body></file></xliff>"
        )
    };
    let mut engine = Engine::new(doc.as_bytes()).unwrap();
    loop {
        match engine.next_item().unwrap() {
            Item::Unit(u) => return view(&u).segs.remove(0).source,
            Item::Bytes(_) => {}
            Item::End => panic!("no unit"),
        }
    }
}

#[test]
fn codes_map_to_the_model_and_keep_their_bytes() {
    let c = source_of(
        "Go <g id=\"1\" ctype=\"bold\">to <x id=\"2\"/>Şuşa</g> &amp; <ph id=\"3\">&lt;br/&gt;</ph>",
        false,
    );
    assert_eq!(
        c.segment.plain_text(),
        "Go \u{E000}to \u{E001}Şuşa\u{E002} & \u{E003}"
    );
    let kinds: Vec<TagKind> = c
        .segment
        .content
        .iter()
        .filter_map(|i| match i {
            Inline::Tag(t) => Some(t.kind),
            _ => None,
        })
        .collect();
    assert_eq!(kinds, [TagKind::Bpt, TagKind::Ph, TagKind::Ept, TagKind::Ph]);
    let raws: Vec<&str> = c.codes.iter().map(|c| c.raw.as_str()).collect();
    assert_eq!(
        raws,
        [
            "<g id=\"1\" ctype=\"bold\">",
            "<x id=\"2\"/>",
            "</g>",
            "<ph id=\"3\">&lt;br/&gt;</ph>"
        ]
    );
    let Inline::Tag(ph) = &c.segment.content[7] else {
        panic!("{:?}", c.segment)
    };
    assert_eq!(ph.content, vec![Inline::Text("<br/>".into())]);

    let c = source_of(
        "A <pc id=\"1\">b <mrk id=\"m\" type=\"term\">c</mrk></pc><ph id=\"2\" disp=\"{0}\"/>",
        true,
    );
    assert_eq!(
        c.segment.plain_text(),
        "A \u{E000}b \u{E001}c\u{E002}\u{E003}\u{E004}"
    );
    assert_eq!(c.codes.len(), 5);
}

#[test]
fn transfer_maps_reordered_target_codes_by_id() {
    let tag = |kind, i: &str| {
        let mut t = InlineTag::new(kind);
        t.i = Some(i.into());
        Inline::Tag(t)
    };
    let text = |s: &str| Inline::Text(s.into());
    // Query: "a <bpt 1>b<ept 1> c <ph>"; TM source the same; TM target puts the ph first.
    let q = Segment {
        content: vec![
            text("a "),
            tag(TagKind::Bpt, "1"),
            text("b"),
            tag(TagKind::Ept, "1"),
            text(" c "),
            tag(TagKind::Ph, "9"),
        ],
    };
    let target = Segment {
        content: vec![
            tag(TagKind::Ph, "9"),
            text(" C "),
            tag(TagKind::Bpt, "1"),
            text("B"),
            tag(TagKind::Ept, "1"),
        ],
    };
    let (out, complete) = transfer_codes(&q, &q, &target, &target.plain_text());
    assert!(complete);
    let p = tag_placeholder;
    assert_eq!(out, format!("{} C {}B{}", p(2), p(0), p(1)));
    // A TM source without the codes: nothing to map, so incomplete.
    let plain = Segment::from_text("a b c");
    let (out, complete) = transfer_codes(&q, &plain, &Segment::from_text("A B C"), "A B C");
    assert_eq!((out.as_str(), complete), ("A B C", false));
}

#[test]
fn crossed_or_repeated_codes_do_not_nest() {
    let c = source_of("<g id=\"1\">a<g id=\"2\">b</g></g><x id=\"3\"/>", false);
    let p = tag_placeholder;
    assert!(codes_nest(
        &format!("{}a{}b{}{}{}", p(0), p(1), p(2), p(3), p(4)),
        &c.codes
    ));
    assert!(!codes_nest(
        &format!("{}a{}b{}{}", p(0), p(1), p(3), p(2)),
        &c.codes
    ));
    assert!(!codes_nest(&format!("{}a{}", p(0), p(1)), &c.codes));
    assert!(!codes_nest(&format!("{}{}", p(4), p(4)), &c.codes));
}

#[test]
fn errors_deep_in_a_big_file_have_the_right_line() {
    let mut doc =
        String::from("<xliff version=\"1.2\"><file source-language=\"en\" target-language=\"tr\"><body>\n");
    for i in 0..20_000 {
        doc.push_str(&format!(
            "<trans-unit id=\"{i}\"><source>Şuşa {i}</source></trans-unit>\n"
        ));
    }
    doc.push_str("<trans-unit id=\"x\"><source>bad</sourc></trans-unit>\n</body></file></xliff>\n");
    let mut engine = Engine::new(doc.as_bytes()).unwrap();
    let err = loop {
        match engine.next_item() {
            Ok(Item::End) => panic!("accepted"),
            Ok(_) => {}
            Err(e) => break e.to_string(),
        }
    };
    assert!(err.starts_with("<input>:20002:31:"), "{err}");
}

fn first_error(bytes: &[u8]) -> String {
    let mut engine = Engine::new(bytes).unwrap();
    loop {
        match engine.next_item() {
            Ok(Item::End) => panic!("accepted"),
            Ok(_) => {}
            Err(e) => return e.to_string(),
        }
    }
}

#[test]
fn error_positions_come_from_the_transcoder_in_every_encoding() {
    let doc = "<xliff version=\"1.2\"><file source-language=\"en\" target-language=\"tr\"><body>\n\
               <trans-unit id=\"1\"><source>Şuşa</source></trans-unit>\n<trans-unit id=\"x\"><source>ə</sourc>";
    assert!(
        first_error(doc.as_bytes()).starts_with("<input>:3:29:"),
        "{}",
        first_error(doc.as_bytes())
    );
    // Old Mac line ends (CR only) and CR LF count as one line each.
    let cr = doc.replace('\n', "\r");
    assert!(
        first_error(cr.as_bytes()).starts_with("<input>:3:29:"),
        "{}",
        first_error(cr.as_bytes())
    );
    let crlf = doc.replace('\n', "\r\n");
    assert!(first_error(crlf.as_bytes()).starts_with("<input>:3:29:"));
    // UTF-16 with a BOM: positions count characters of the decoded text.
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(doc.encode_utf16().flat_map(u16::to_le_bytes));
    assert!(first_error(&utf16).starts_with("<input>:3:29:"));
    // Invalid UTF-8 inside a unit: where the bad byte is.
    let mut bad = doc
        .replace("</sourc>", "</source></trans-unit></body></file></xliff>")
        .into_bytes();
    let at = bad.iter().position(|&b| b == 0xC9).unwrap(); // the ə on line 3
    bad[at] = 0xFF;
    let err = first_error(&bad);
    assert!(err.starts_with("<input>:3:28:") && err.contains("UTF-8"), "{err}");
}

/// Generated source content: text (Turkic letters and XML specials), `x`,
/// `ph` and nested `g` codes.
fn content() -> impl Strategy<Value = String> {
    let text = "[a-zçğıöşüəqx <>&\"']{1,8}".prop_map(|t| {
        let mut s = String::new();
        escape_text(&t, &mut s);
        s
    });
    let leaf = prop_oneof![
        text,
        (0u8..50).prop_map(|i| format!("<x id=\"{i}\"/>")),
        (0u8..50).prop_map(|i| format!("<ph id=\"{i}\" ctype=\"x-br\">&lt;br/&gt;</ph>")),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..4).prop_map(|v| v.concat()),
            (0u8..50, prop::collection::vec(inner, 1..3))
                .prop_map(|(i, v)| format!("<g id=\"{i}\">{}</g>", v.concat())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Writing a source's plain text back with its codes gives the source's bytes.
    #[test]
    fn read_then_write_with_codes_is_identity(c in content()) {
        let read = source_of(&c, false);
        let mut out = String::new();
        write_with_codes(&read.segment.plain_text(), &read.codes, &mut out);
        prop_assert_eq!(&out, &c);
        prop_assert!(codes_nest(&read.segment.plain_text(), &read.codes));
        prop_assert_eq!(read.codes.len(), read.segment.tag_count());
    }
}
