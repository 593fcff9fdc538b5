//! The fast path against the streaming path: the same units, errors and
//! warnings, on chosen and generated input.

use proptest::prelude::*;

use crate::formats::tmx::{ReadOptions, TmxReader};

const HEAD: &str = concat!(
    "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\">\n",
    "<header creationtool=\"t\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"x\" ",
    "adminlang=\"en\" srclang=\"en\" datatype=\"plaintext\"/>\n<body>\n"
);

/// Everything a reader reports about `doc`, read with or without the
/// fast path, and how many units the fast path read.
fn read(doc: &str, lenient: bool, fast: bool) -> (String, u64) {
    let mut reader = match TmxReader::with_options(doc.as_bytes(), ReadOptions::lenient(lenient)) {
        Ok(r) => r,
        Err(e) => return (format!("header: {e}"), 0),
    };
    reader.fast = fast;
    let results: Vec<String> = reader
        .by_ref()
        .map(|r| match r {
            Ok(unit) => format!("{unit:?}"),
            Err(e) => format!("error: {e}"),
        })
        .collect();
    let report = format!(
        "{results:#?}\nwarnings: {:#?}\ndropped {} seen {}",
        reader.warnings(),
        reader.warnings_dropped(),
        reader.units_seen()
    );
    (report, reader.fast_units)
}

fn both(doc: &str, lenient: bool) -> u64 {
    let (fast, fast_units) = read(doc, lenient, true);
    let (slow, slow_units) = read(doc, lenient, false);
    assert_eq!(slow_units, 0);
    assert_same(&fast, &slow, doc);
    fast_units
}

/// Asserts equal reports, showing the first line that differs (reports
/// of big units are too long to print whole).
fn assert_same(fast: &str, slow: &str, doc: &str) {
    if let Some((f, s)) = fast.lines().zip(slow.lines()).find(|(f, s)| f != s) {
        let cut = |t: &str| t.chars().take(300).collect::<String>();
        panic!("fast: {}\nslow: {}\ndoc: {}", cut(f), cut(s), cut(doc));
    }
    assert_eq!(fast.lines().count(), slow.lines().count());
}

fn doc(body: &str) -> String {
    format!("{HEAD}{body}\n</body>\n</tmx>\n")
}

#[test]
fn plain_units_take_the_fast_path() {
    let body = concat!(
        "<tu tuid=\"1\" creationdate=\"20240101T000000Z\"><prop type=\"x-context\">c</prop>\n",
        "  <tuv xml:lang=\"en\"><seg>Press <ph x=\"1\">&lt;br/&gt;</ph> now\r\n</seg></tuv>\n",
        "  <tuv lang='AZ-latn' changedate=\"bad\"><note>n</note><seg>Şuşa <hi type=\"b\">qala<sub>s</sub></hi>&#x259;</seg></tuv>\n",
        "</tu>\n<tu><tuv xml:lang=\"tr\"><seg/></tuv></tu>"
    );
    assert_eq!(both(&doc(body), false), 2);
    assert_eq!(both(&doc(body), true), 2);
}

#[test]
fn unusual_units_take_the_streaming_path_and_the_rest_stay_fast() {
    let body = concat!(
        "<tu><tuv xml:lang=\"en\"><seg>a<![CDATA[</tu>]]>b</seg></tuv></tu>\n",
        "<tu><tuv xml:lang=\"en\"><seg>a<!-- </tu> --></seg></tuv></tu>\n",
        "<tu><tuv xml:lang=\"en\"><seg>ok</seg></tuv></tu>\n",
        "<tu><tuv xml:lang=\"en\"><seg>a&bogus;</seg></tuv></tu>\n",
        "<tu><tuv xml:lang=\"en\"><seg>ok</seg></tuv></tu >\n",
        "<tu><tuv xml:lang=\"en\"><seg>ok</seg></tuv></tu>\n",
    );
    assert_eq!(both(&doc(body), true), 2);
    assert_eq!(both(&doc(body), false), 1);
}

#[test]
fn after_many_give_ups_the_fast_path_is_tried_now_and_then() {
    let odd = "<tu><tuv xml:lang=\"en\"><seg>a<!-- c --></seg></tuv></tu>\n".repeat(100);
    let plain = "<tu><tuv xml:lang=\"en\"><seg>b</seg></tuv></tu>\n".repeat(100);
    // 8 misses stop the attempts; the try before unit 129 (every 64th)
    // succeeds and resumes them: units 129 to 200 are read fast.
    assert_eq!(both(&doc(&format!("{odd}{plain}")), false), 72);
}

#[test]
fn units_bigger_than_the_buffer_are_read_fast() {
    let text = "Şuşa ə &amp; x ".repeat(20_000); // 300 KB, several refills
    // In the source language: the streaming path places warnings about a
    // unit this big at its last checkpoint, not at the unit's start.
    let unit = format!("<tu><tuv xml:lang=\"en\"><seg>{text}</seg></tuv></tu>\n");
    let body = unit.repeat(3);
    assert_eq!(both(&doc(&body), false), 3);
}

const TU_OPEN: &[&str] = &[
    "<tu>",
    "<tu tuid=\"1\">",
    "<tu tuid='a&amp;b' srclang=\"en\">",
    "<tu\n tuid=\"x\"\tcreationdate=\"20240101T000000Z\" >",
    "<tu creationdate=\"yesterday\" changeid=\"me\">",
    "<tu tuid=\"1\" tuid=\"2\">",
    "<tu tuid=1>",
    "<tu srclang=\"tr\" usagecount=\"3\" foo=\"bar\">",
    "<tu tuid=\"a<b\">",
    "<tu tuid=\"a\r\nb\tc\">",
    "<tu srclang=\"*all*\">",
    "<tu srclang=\"not a tag\">",
    "<tu tuid=\"a\"segtype=\"b\">",
    "<tu/>",
];
const TU_CHILD: &[&str] = &[
    "",
    "",
    "<note>n &amp; m</note>",
    "<prop type=\"x\" xml:lang=\"en\">v\r\n</prop>",
    "<prop type=\"x\"/>",
    "<note/>",
    "x",
    "<!-- c -->",
    "<bogus/>",
    "\n  ",
];
const TU_CLOSE: &[&str] = &["</tu>", "</tu>", "</tu>", "</tu >", "</tuv></tu>", ""];
const TUV_OPEN: &[&str] = &[
    "<tuv xml:lang=\"en\">",
    "<tuv xml:lang=\"en\">",
    "<tuv lang=\"TR-tr\">",
    "<tuv xml:lang=\"az-Latn\" changedate=\"20240101T000000Z\">",
    "<tuv xml:lang=\"en\" xml:lang=\"tr\">",
    "<tuv xml:lang=\"bad tag!\">",
    "<tuv>",
    "<tuv xml:lang='fr' creationdate=\"bad\">",
    "<tuv xml:lang=\"en\"/>",
    "<tuv xml:lang=\"en\" o-encoding=\"x&#x9;\">",
];
const TUV_CHILD: &[&str] = &[
    "",
    "",
    "<note>x</note>",
    "<prop type=\"t\">p</prop>",
    " ",
    "\n  ",
    "<seg>dup</seg>",
];
const SEG: &[&str] = &[
    "a",
    "Şuşa ə",
    "  ",
    "&amp;",
    "&lt;b&gt;",
    "&quot;&apos;&lt",
    "&#x259;",
    "&#601;",
    "&#x1F600;",
    "&bogus;",
    "&#1;",
    "&amp",
    "\r\n",
    "\r",
    "\r&#10;",
    "\u{1}",
    "\u{FFFE}",
    "ｆｕｌｌ",
    "<![CDATA[<x>]]>",
    "<!--c-->",
    "<?pi x?>",
    "<bpt i=\"1\">&lt;b></bpt>",
    "<ept i=\"1\">&lt;/b></ept>",
    "<ept i=\"2\"/>",
    "<ph x=\"1\" type='lb'/>",
    "<ph>a<sub type=\"x\">s<ph/></sub></ph>",
    "<hi type=\"em\">h<it pos=\"begin\">i</it></hi>",
    "<hi>",
    "</hi>",
    "<ut>{\\b}</ut>",
    "<bpt><ph/></bpt>",
    "<bold/>",
    "</seg>",
    "<ph x=\"1\">",
    "</ph>",
    ">",
    "<sub/>",
    "<ph x=\"1\" x=\"2\"/>",
    "<ph assoc=\"p\" / >",
];

fn pick(options: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
    proptest::sample::select(options)
}

fn variant() -> impl Strategy<Value = String> {
    (
        pick(TUV_OPEN),
        pick(TUV_CHILD),
        proptest::collection::vec(pick(SEG), 0..6),
        pick(TUV_CHILD),
    )
        .prop_map(|(open, before, seg, after)| {
            format!("{open}{before}<seg>{}</seg>{after}</tuv>", seg.concat())
        })
}

fn unit() -> impl Strategy<Value = String> {
    (
        pick(TU_OPEN),
        pick(TU_CHILD),
        proptest::collection::vec(variant(), 0..4),
        pick(TU_CLOSE),
    )
        .prop_map(|(open, child, variants, close)| format!("{open}{child}{}{close}", variants.concat()))
}

/// Every name TMX knows, and near misses.
const NAMES: &[&str] = &[
    "tmx",
    "header",
    "body",
    "tu",
    "tuv",
    "seg",
    "note",
    "prop",
    "ude",
    "map",
    "sub",
    "bpt",
    "ept",
    "it",
    "ph",
    "hi",
    "ut",
    "version",
    "creationtool",
    "creationtoolversion",
    "segtype",
    "o-tmf",
    "adminlang",
    "srclang",
    "datatype",
    "o-encoding",
    "creationdate",
    "creationid",
    "changedate",
    "changeid",
    "tuid",
    "usagecount",
    "lastusagedate",
    "xml:lang",
    "lang",
    "type",
    "name",
    "base",
    "unicode",
    "code",
    "ent",
    "subst",
    "i",
    "x",
    "pos",
    "assoc",
    "t",
    "xml",
    "creation",
    "p",
    "",
];

proptest! {
    /// `value_stop` finds what a byte-at-a-time scan finds.
    #[test]
    fn value_stops_as_scanned(
        text in "[a\"'<&\t\n\r ;=şə>-]{0,40}",
        from in 0usize..41,
    ) {
        let b = text.as_bytes();
        let from = from.min(b.len());
        let scanned = b[from..]
            .iter()
            .position(|&c| super::CLASS[c as usize] & super::VALUE != 0)
            .map_or(b.len(), |n| from + n);
        prop_assert_eq!(super::value_stop(b, from), scanned);
    }

    /// The name matchers agree with scanning the name and looking it up.
    #[test]
    fn names_match_as_scanned_and_looked_up(
        name in proptest::sample::select(NAMES),
        tail in "[a-z:._ =>/\"-]{0,3}",
    ) {
        let text = format!("{name}{tail}");
        let b = text.as_bytes();
        let end = super::skip_name(b, 0);
        let el = super::El::known(&b[..end]).filter(|el| {
            !matches!(el, super::El::Tmx | super::El::Header | super::El::Body | super::El::Ude | super::El::Map)
        });
        let name = super::element_at(b).map(|(name, n)| (name.el(), n));
        prop_assert_eq!(name, el.map(|el| (el, end)));
        prop_assert_eq!(super::attr_at(b), super::Attr::of(&b[..end]).map(|a| (a, end)));
    }

    /// On any input, valid or broken, the fast path and the streaming
    /// path report the same units, errors (with positions), warnings
    /// and counts, in strict and in lenient mode.
    #[test]
    fn fast_and_streaming_paths_agree(
        units in proptest::collection::vec(unit(), 0..6),
        lenient in any::<bool>(),
        sep in pick(&["\n", "", "  \r\n  "]),
    ) {
        let text = doc(&units.join(sep));
        let (fast, _) = read(&text, lenient, true);
        let (slow, _) = read(&text, lenient, false);
        assert_same(&fast, &slow, &text);
    }
}
