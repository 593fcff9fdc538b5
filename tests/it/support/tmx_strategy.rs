//! proptest strategies for TMX-valid translation units: every inline kind
//! with the attributes TMX 1.4b allows it, nested `<hi>`/`<sub>`, every unit
//! and variant attribute, props and notes, Turkish and Azerbaijani letters,
//! astral-plane characters, XML specials and whitespace at the edges.

use korpu::model::{
    Attributes, Inline, InlineTag, Note, Prop, Segment, Sub, TagKind, TmxDate, TmxHeader, TranslationUnit,
    Variant,
};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

/// Text with the characters that break naive TMX code.
pub fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 ığüşöçİĞÜŞÖÇəƏxqXQ<>&\"'\t\n\r😀𝄞𠜎\u{E000}\u{FFFD}]{0,12}"
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    option::of(text())
}

fn date() -> impl Strategy<Value = TmxDate> {
    prop_oneof![
        (1990u16..2040, 1u8..=12, 1u8..=28, 0u8..24, 0u8..60, 0u8..60).prop_map(
            |(year, month, day, hour, minute, second)| TmxDate::Valid {
                year,
                month,
                day,
                hour,
                minute,
                second
            }
        ),
        "[a-z :-]{0,10}".prop_map(TmxDate::Invalid),
    ]
}

pub fn attributes() -> impl Strategy<Value = Attributes> {
    (
        (opt_text(), opt_text(), opt_text(), option::of(date())),
        (opt_text(), opt_text(), option::of(date()), opt_text()),
        (option::of(date()), opt_text(), opt_text()),
    )
        .prop_map(
            |(
                (o_encoding, datatype, usage_count, last_usage_date),
                (creation_tool, creation_tool_version, creation_date, creation_id),
                (change_date, change_id, o_tmf),
            )| Attributes {
                o_encoding,
                datatype,
                usage_count,
                last_usage_date,
                creation_tool,
                creation_tool_version,
                creation_date,
                creation_id,
                change_date,
                change_id,
                o_tmf,
            },
        )
}

fn prop() -> impl Strategy<Value = Prop> {
    ("[a-z-]{1,10}", text(), option::of(lang_text()), opt_text()).prop_map(
        |(prop_type, value, lang, o_encoding)| Prop {
            prop_type,
            value,
            lang,
            o_encoding,
        },
    )
}

fn note() -> impl Strategy<Value = Note> {
    (text(), option::of(lang_text()), opt_text()).prop_map(|(text, lang, o_encoding)| Note {
        text,
        lang,
        o_encoding,
    })
}

fn lang_text() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "en",
        "en-US",
        "tr",
        "tr-TR",
        "az",
        "az-Latn-AZ",
        "az-Cyrl",
        "fr-CA",
        "ja",
        "zh-Hant-TW",
    ])
    .prop_map(str::to_string)
}

fn id() -> impl Strategy<Value = String> {
    "[0-9a-z]{1,3}"
}

/// A tag of `kind` with the attributes the DTD allows it (required ones set).
fn tag(kind: TagKind, content: Vec<Inline>) -> impl Strategy<Value = InlineTag> {
    (
        id(),
        option::of(id()),
        opt_text(),
        prop::bool::ANY,
        option::of(prop::sample::select(vec!["p", "f", "b"])),
    )
        .prop_map(move |(i, x, tag_type, begin, assoc)| {
            let mut t = InlineTag::new(kind);
            match kind {
                TagKind::Bpt => {
                    t.i = Some(i);
                    t.x = x;
                    t.tag_type = tag_type;
                }
                TagKind::Ept => t.i = Some(i),
                TagKind::It => {
                    t.pos = Some(if begin { "begin" } else { "end" }.into());
                    t.x = x;
                    t.tag_type = tag_type;
                }
                TagKind::Ph => {
                    t.x = x;
                    t.assoc = assoc.map(str::to_string);
                    t.tag_type = tag_type;
                }
                TagKind::Hi => {
                    t.x = x;
                    t.tag_type = tag_type;
                }
                TagKind::Ut => t.x = x,
            }
            t.content = content.clone();
            t
        })
}

/// Content of `seg`, `hi` and `sub`: text and inline elements.
fn flow(depth: u32) -> BoxedStrategy<Vec<Inline>> {
    let leaf = text().prop_map(Inline::Text).boxed();
    if depth == 0 {
        return vec(leaf, 0..3).prop_map(normalize).boxed();
    }
    let code_kind = prop::sample::select(vec![
        TagKind::Bpt,
        TagKind::Ept,
        TagKind::It,
        TagKind::Ph,
        TagKind::Ut,
    ]);
    let code_tag = (code_kind, code(depth - 1))
        .prop_flat_map(|(kind, content)| tag(kind, content))
        .prop_map(Inline::Tag);
    let hi = flow(depth - 1)
        .prop_flat_map(|content| tag(TagKind::Hi, content))
        .prop_map(Inline::Tag);
    vec(prop_oneof![3 => leaf, 2 => code_tag, 1 => hi], 0..5)
        .prop_map(normalize)
        .boxed()
}

/// Content of native-code elements: text and `<sub>`.
fn code(depth: u32) -> BoxedStrategy<Vec<Inline>> {
    let leaf = text().prop_map(Inline::Text).boxed();
    if depth == 0 {
        return vec(leaf, 0..2).prop_map(normalize).boxed();
    }
    let sub = (opt_text(), opt_text(), flow(depth - 1)).prop_map(|(datatype, sub_type, content)| {
        Inline::Sub(Sub {
            datatype,
            sub_type,
            content,
        })
    });
    vec(prop_oneof![3 => leaf, 1 => sub], 0..3)
        .prop_map(normalize)
        .boxed()
}

/// Merges adjacent text runs and drops empty ones, as a reader does.
pub fn normalize(items: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    for item in items {
        match item {
            Inline::Text(t) if t.is_empty() => {}
            Inline::Text(t) => match out.last_mut() {
                Some(Inline::Text(prev)) => prev.push_str(&t),
                _ => out.push(Inline::Text(t)),
            },
            other => out.push(other),
        }
    }
    out
}

pub fn variant() -> impl Strategy<Value = Variant> {
    (
        lang_text(),
        attributes(),
        vec(prop(), 0..2),
        vec(note(), 0..2),
        flow(3),
    )
        .prop_map(|(lang, attrs, props, notes, content)| Variant {
            lang: lang.parse().expect("valid tag"),
            attrs,
            props,
            notes,
            segment: Segment { content },
        })
}

pub fn unit() -> impl Strategy<Value = TranslationUnit> {
    (
        option::of(text()),
        option::of(lang_text()),
        option::of(prop::sample::select(vec![
            "block",
            "paragraph",
            "sentence",
            "phrase",
        ])),
        attributes(),
        vec(prop(), 0..3),
        vec(note(), 0..2),
        vec(variant(), 1..4),
    )
        .prop_map(
            |(tuid, srclang, segtype, attrs, props, notes, variants)| TranslationUnit {
                tuid,
                srclang,
                segtype: segtype.map(str::to_string),
                attrs,
                props,
                notes,
                variants,
            },
        )
}

pub fn header() -> impl Strategy<Value = TmxHeader> {
    (
        (
            option::of(lang_text()),
            option::of(lang_text()),
            opt_text(),
            opt_text(),
        ),
        (option::of(date()), opt_text(), option::of(date()), opt_text()),
        (vec(prop(), 0..2), vec(note(), 0..2)),
    )
        .prop_map(
            |(
                (srclang, adminlang, datatype, o_encoding),
                (creation_date, creation_id, change_date, change_id),
                (props, notes),
            )| {
                TmxHeader {
                    segtype: Some("sentence".into()),
                    o_tmf: Some("korpu".into()),
                    srclang,
                    adminlang,
                    datatype,
                    o_encoding,
                    creation_date,
                    creation_id,
                    change_date,
                    change_id,
                    props,
                    notes,
                    ..TmxHeader::default()
                }
            },
        )
}
