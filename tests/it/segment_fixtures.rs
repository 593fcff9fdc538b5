//! Accuracy of the built-in segmenter on the shared fixtures (found through
//! `KORPU_FIXTURES`). Run with
//! `KORPU_FIXTURES=/path/to/fixtures cargo test --test it segment_fixtures:: -- --include-ignored --nocapture`.
//! Set `KORPU_SHOW_ERRORS=1` to print every wrong record.

use std::collections::{BTreeMap, HashSet};

use korpu::Lang;
use korpu::segment::{Segmenter, SrxRules};

use crate::support::fixtures;

fn show_errors() -> bool {
    std::env::var_os("KORPU_SHOW_ERRORS").is_some()
}

/// White space collapsed, as the records' `"compare": "ws"` asks.
fn ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

struct Record {
    lang: String,
    text: String,
    sentences: Vec<String>,
}

fn records(name: &str) -> Vec<Record> {
    let path = fixtures().join("segmentation").join(name);
    let data = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    data.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            Record {
                lang: v["lang"].as_str().unwrap().to_string(),
                text: v["text"].as_str().unwrap().to_string(),
                sentences: v["sentences"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s.as_str().unwrap().to_string())
                    .collect(),
            }
        })
        .collect()
}

#[test]
#[ignore = "needs KORPU_FIXTURES"]
fn seed_article_gives_its_14_segments() {
    let text = std::fs::read_to_string(fixtures().join("seed-article.en.txt")).unwrap();
    let gold = std::fs::read_to_string(fixtures().join("seed-article.en.segments.txt")).unwrap();
    let gold: Vec<&str> = gold.lines().filter(|l| !l.trim().is_empty()).collect();
    let en = Segmenter::new(&Lang::parse("en").unwrap());
    let got: Vec<&str> = en.segments(&text).collect();
    assert_eq!(got, gold);
    assert_eq!(got.len(), 14);
}

#[test]
#[ignore = "needs KORPU_FIXTURES"]
fn sentencex_english_records_fully_right() {
    let mut per_lang: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut segmenters: BTreeMap<String, Segmenter> = BTreeMap::new();
    for r in records("sentencex.jsonl") {
        let seg = segmenters
            .entry(r.lang.clone())
            .or_insert_with(|| Segmenter::new(&Lang::parse(&r.lang).unwrap()));
        let got: Vec<String> = seg.segments(&r.text).map(ws).collect();
        let want: Vec<String> = r.sentences.iter().map(|s| ws(s)).collect();
        let e = per_lang.entry(r.lang.clone()).or_default();
        e.1 += 1;
        if got == want {
            e.0 += 1;
        } else if show_errors() {
            eprintln!("[{}] {:?}\n   got  {got:?}\n   want {want:?}", r.lang, r.text);
        }
    }
    let (mut all_ok, mut all_n) = (0, 0);
    for (lang, (ok, n)) in &per_lang {
        eprintln!(
            "sentencex {lang}: {ok}/{n} records fully right ({:.1}%)",
            100.0 * *ok as f64 / *n as f64
        );
        all_ok += ok;
        all_n += n;
    }
    eprintln!(
        "sentencex all: {all_ok}/{all_n} ({:.1}%)",
        100.0 * all_ok as f64 / all_n as f64
    );
    // Issue 2 asks for 98% (257/262); korpu reaches 252/262 (96.2%). The
    // 10 records it gets wrong, and why they stay wrong:
    // - 2 expect a sentence across a line break ("Multi line sentence\nWe
    //   should not split…", "(1). foo\n(2). bar" → "foo (2)."); the CLI
    //   contract makes every line a paragraph.
    // - 6 keep multi-sentence single-quoted speech whole ("' No, they'll not
    //   catch you again.  If they try, …'", the two "saying '' … wrong . It
    //   should …" records, and three novel excerpts with spaced ` ' ` quotes,
    //   whose gold follows sentencex's quote pairing, e.g. "back doors. '
    //   Guess" puts the quote in the next sentence but "went through. ' The"
    //   in the previous one). The seed article, which must stay 14/14,
    //   splits a three-sentence double-quoted speech, so korpu splits inside
    //   quotations of both kinds.
    // - "Something like U. A. E. Start of another sentence." wants a break
    //   that "J. R. R. Tolkien wrote it." must not have: "Start" is not a
    //   sentence starter, so spaced initials before it stay joined.
    // - "* The report is final. Send it tomorrow." wants two sentences kept
    //   as one because they form one bullet; everywhere else in the set an
    //   ordinary word + period + space + capital is a break.
    // This floor guards against regressions.
    let (ok, n) = per_lang["en"];
    let rate = ok as f64 / n as f64;
    assert!(
        rate >= 0.96,
        "English: {ok}/{n} = {:.2}% < 96% (target 98%)",
        rate * 100.0
    );
}

/// Boundary precision, recall and F1 of the segmenter on records whose
/// text is their sentences joined by one space.
fn boundary_f1(lang: &str, recs: &[Record]) -> (f64, f64, f64) {
    let seg = Segmenter::new(&Lang::parse(lang).unwrap());
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    for r in recs {
        let mut gold = HashSet::new();
        let mut at = 0;
        for (i, s) in r.sentences.iter().enumerate() {
            at += s.len();
            if i + 1 < r.sentences.len() {
                gold.insert(at);
            }
            at += 1;
        }
        let ours: HashSet<usize> = seg
            .spans(&r.text)
            .map(|s| s.end)
            .filter(|&e| e < r.text.trim_end().len())
            .collect();
        let t = ours.intersection(&gold).count();
        tp += t;
        fp += ours.len() - t;
        fn_ += gold.len() - t;
        if show_errors() && ours != gold {
            for &b in ours.difference(&gold) {
                eprintln!("FP …{}|{}…", tail(&r.text[..b], 40), head(&r.text[b..], 30));
            }
            for &b in gold.difference(&ours) {
                eprintln!("FN …{}|{}…", tail(&r.text[..b], 40), head(&r.text[b..], 30));
            }
        }
    }
    let p = tp as f64 / (tp + fp).max(1) as f64;
    let r = tp as f64 / (tp + fn_).max(1) as f64;
    (p, r, 2.0 * p * r / (p + r).max(f64::MIN_POSITIVE))
}

fn tail(s: &str, n: usize) -> &str {
    let mut i = s.len().saturating_sub(n);
    while !s.is_char_boundary(i) {
        i += 1;
    }
    &s[i..]
}

fn head(s: &str, n: usize) -> &str {
    let mut i = n.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    &s[..i]
}

#[test]
#[ignore = "needs KORPU_FIXTURES"]
fn zemberek_turkish_boundary_f1_is_at_least_0_99() {
    let recs = records("zemberek-tr-train.jsonl");
    for r in &recs {
        assert_eq!(
            r.sentences.join(" "),
            r.text,
            "record text is not its sentences joined"
        );
    }
    let (p, r, f1) = boundary_f1("tr", &recs);
    eprintln!(
        "zemberek tr: precision {p:.4} recall {r:.4} F1 {f1:.4} ({} records)",
        recs.len()
    );
    assert!(f1 >= 0.99, "F1 {f1:.4} < 0.99");
}

#[test]
#[ignore = "needs KORPU_FIXTURES"]
fn loomchild_srx_files_load_or_fail_clearly() {
    let dir = fixtures().join("srx").join("loomchild-segment");
    let en = Lang::parse("en").unwrap();
    let ja = Lang::parse("ja").unwrap();
    let pl = Lang::parse("pl").unwrap();
    for name in [
        "default.srx",
        "example.srx",
        "example1.srx",
        "example2.srx",
        "simple.srx",
        "simple-1.0.srx",
        "ticket1.srx",
    ] {
        let rules = SrxRules::from_path(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let seg = rules.segmenter(&en);
        let got: Vec<&str> = seg
            .segments("Mr. Smith arrived. He left!  Then he came back.")
            .collect();
        assert!(!got.is_empty(), "{name}");
        let _ = rules
            .segmenter(&ja)
            .segments("これはペンです。あれは本です。")
            .count();
        let _ = rules
            .segmenter(&pl)
            .segments("To jest np. kot. A to pies.")
            .count();
    }
    // example.srx: English no-break rules cascade into the default ones.
    let ex = SrxRules::from_path(dir.join("example.srx")).unwrap();
    assert!(ex.cascade());
    assert_eq!(ex.rule_names_for(&en), ["English", "Default"]);
    let got: Vec<&str> = ex
        .segmenter(&en)
        .segments("Hi Mr. Smith. We met in the U.K. yesterday. Ok.")
        .collect();
    assert_eq!(got, ["Hi Mr. Smith.", "We met in the U.K. yesterday.", "Ok."]);
    let fr = Lang::parse("fr").unwrap();
    assert_eq!(
        ex.segmenter(&fr)
            .segments("Voici Mme. Dupont. Elle part.")
            .count(),
        2
    );
    assert_eq!(
        ex.segmenter(&fr)
            .segments("Voici Mlle. Dupont. Elle part.")
            .count(),
        2
    );
    // Its Mlle rule starts with a literal space, so it does not fire at the
    // start of a paragraph.
    assert_eq!(ex.segmenter(&fr).segments("Mlle. Dupont. Elle part.").count(), 3);
    // simple-1.0.srx: SRX 1.0, Polish no-break after "p.".
    let s1 = SrxRules::from_path(dir.join("simple-1.0.srx")).unwrap();
    assert_eq!(s1.version(), "1.0");
    let got: Vec<&str> = s1
        .segmenter(&pl)
        .segments("Ala zob. p. Kowalski. Dobrze.")
        .collect();
    assert_eq!(got, ["Ala zob. p. Kowalski.", "Dobrze."]);
    let got: Vec<&str> = s1.segmenter(&pl).segments("To p. Kowalski. Tak.").collect();
    assert_eq!(got, ["To p. Kowalski.", "Tak."]);
    // ticket1.srx: closing quotes and the \u0002 placeholder in beforebreak.
    let t1 = SrxRules::from_path(dir.join("ticket1.srx")).unwrap();
    let got: Vec<&str> = t1
        .segmenter(&en)
        .segments("He said \"Go.\" Then he left.\u{2} Next.")
        .collect();
    assert_eq!(got, ["He said \"Go.\"", "Then he left.\u{2}", "Next."]);

    for (name, want) in [
        ("invalid.srx", "unsupported SRX version"),
        ("some.xml", "not an SRX file"),
    ] {
        let e = SrxRules::from_path(dir.join(name)).unwrap_err().to_string();
        assert!(e.contains(want) && e.contains(name), "{name}: {e}");
        assert!(e.contains(":2:"), "{name}: error should carry line 2: {e}");
    }
}
