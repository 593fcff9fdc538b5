//! Segmentation test sets korpu ships (tests/data/segment-{az,tr,en}.txt):
//! realistic news text written for korpu, one gold sentence a line.

use korpu::Lang;
use korpu::segment::Segmenter;

/// Paragraphs of gold sentences: blank lines separate paragraphs, `#` lines
/// are comments.
fn paragraphs(data: &str) -> Vec<Vec<&str>> {
    let mut out = vec![Vec::new()];
    for line in data.lines() {
        if line.starts_with('#') {
            continue;
        }
        if line.trim().is_empty() {
            if out.last().is_some_and(|p| !p.is_empty()) {
                out.push(Vec::new());
            }
        } else {
            out.last_mut().unwrap().push(line.trim());
        }
    }
    out.retain(|p| !p.is_empty());
    out
}

/// Joins each paragraph's sentences with one space, segments, and counts
/// the sentences that come back exactly. Returns (right, total, failures).
fn run(lang: &str, data: &str) -> (usize, usize, Vec<String>) {
    let seg = Segmenter::new(&Lang::parse(lang).unwrap());
    let (mut right, mut total, mut fails) = (0, 0, Vec::new());
    for para in paragraphs(data) {
        let text = para.join(" ");
        let got: Vec<&str> = seg.segments(&text).collect();
        total += para.len();
        right += para.iter().filter(|s| got.contains(s)).count();
        if got != para {
            fails.push(format!("got {got:#?}\nwant {para:#?}"));
        }
    }
    (right, total, fails)
}

#[test]
fn azerbaijani_news_set() {
    let (right, total, fails) = run("az", include_str!("../data/segment-az.txt"));
    assert!(
        total >= 60,
        "the AZ set must hold at least 60 sentences, has {total}"
    );
    assert!(fails.is_empty(), "{right}/{total}\n{}", fails.join("\n"));
}

#[test]
fn turkish_edge_case_set() {
    let (right, total, fails) = run("tr", include_str!("../data/segment-tr.txt"));
    assert!(fails.is_empty(), "{right}/{total}\n{}", fails.join("\n"));
}

#[test]
fn english_edge_case_set() {
    let (right, total, fails) = run("en", include_str!("../data/segment-en.txt"));
    assert!(fails.is_empty(), "{right}/{total}\n{}", fails.join("\n"));
}

/// Inputs built to trip a segmenter that looks back or ahead without bound:
/// each is about 256 KB on one line. A quadratic segmenter would not finish
/// (the benches time 1, 10 and 100 MB lines: `one-line/*`).
#[test]
fn pathological_long_lines_finish() {
    let mb = 1 << 18;
    let cases: Vec<String> = vec![
        "(".to_string() + &"a. b. ".repeat(mb / 6),
        ".'".repeat(mb / 2),
        "x.".to_string() + &" ".repeat(mb) + "Y",
        "Dr. ".repeat(mb / 4),
        "'' a . ".repeat(mb / 7),
        "[1]".repeat(mb / 3) + ". Next.",
        ". . ".repeat(mb / 4),
        "1) a ".repeat(mb / 5),
        "word".repeat(mb / 4) + ". Next.",
    ];
    for lang in ["en", "tr", "de"] {
        let seg = Segmenter::new(&Lang::parse(lang).unwrap());
        for text in &cases {
            let n = seg.spans(text).count();
            assert!(n >= 1, "{lang}: no segment in {:?}…", &text[..20]);
        }
    }
}
