//! The suffix analyser against real inflected forms (that must match) and
//! derivations, wrong harmonies and look-alike words (that must not), per
//! language. Data: `tests/data/suffix_{tr,az,en}.tsv`, lines of
//! `yes|no <TAB> base <TAB> surface`.

use korpu::Lang;
use korpu::text::stem;

fn check(lang: &str, min_yes: usize, min_no: usize) {
    let path = crate::support::data(&format!("suffix_{lang}.tsv"))
        .display()
        .to_string();
    let data = std::fs::read_to_string(&path).unwrap();
    let lang: Lang = lang.parse().unwrap();
    let (mut yes, mut no) = (0, 0);
    let mut failures = Vec::new();
    for (i, line) in data.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 3, "{path}:{}: {line:?}", i + 1);
        let got = stem::inflection(f[1], f[2], &lang);
        match f[0] {
            "yes" => {
                yes += 1;
                match &got {
                    None => failures.push(format!(
                        "{}:{}: {} should be an inflection of {}",
                        path,
                        i + 1,
                        f[2],
                        f[1]
                    )),
                    // The surface is the stem plus the suffix, char for char.
                    Some(a) => {
                        let key = korpu::text::case_key(f[2], &lang);
                        let stem_part: String = key.chars().take(a.stem_chars).collect();
                        assert_eq!(format!("{stem_part}{}", a.suffix), key);
                    }
                }
            }
            "no" => {
                no += 1;
                if let Some(a) = got {
                    failures.push(format!(
                        "{}:{}: {} should not be an inflection of {}: {a:?}",
                        path,
                        i + 1,
                        f[2],
                        f[1]
                    ));
                }
            }
            other => panic!("{path}:{}: bad kind {other}", i + 1),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(yes >= min_yes && no >= min_no, "{yes} yes, {no} no");
}

#[test]
fn turkish_forms() {
    check("tr", 100, 40);
}

#[test]
fn azerbaijani_forms() {
    check("az", 100, 40);
}

#[test]
fn english_forms() {
    check("en", 100, 30);
}

/// A region subtag changes nothing: `tr-TR` analyses like `tr`.
#[test]
fn regional_tags_use_the_language_grammar() {
    let tr_tr: Lang = "tr-TR".parse().unwrap();
    assert!(stem::inflection("Şuşa", "Şuşa'da", &tr_tr).is_some());
    let az: Lang = "az-Latn-AZ".parse().unwrap();
    assert!(stem::inflection("Bakı", "Bakıdan", &az).is_some());
}
