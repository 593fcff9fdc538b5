use proptest::prelude::*;

use super::*;
use crate::model::Concept;

fn read(text: &str, options: &DelimitedOptions) -> crate::Result<Vec<Concept>> {
    read_delimited(text.as_bytes(), options)?.collect()
}

fn texts(c: &Concept) -> Vec<(String, String)> {
    c.terms
        .iter()
        .map(|t| (t.lang.to_string(), t.text.clone()))
        .collect()
}

#[test]
fn header_names_are_case_insensitive_and_languages_are_parsed() {
    let c = read(
        "Id\tEN\taz_latn\tNOTES\nx\tShusha\tŞuşa\tcity\n",
        &DelimitedOptions::tsv(),
    )
    .unwrap();
    assert_eq!(c[0].id, "x");
    assert_eq!(
        texts(&c[0]),
        [("en".into(), "Shusha".into()), ("az-Latn".into(), "Şuşa".into())]
    );
    assert_eq!(c[0].notes, ["city"]);
}

#[test]
fn missing_ids_are_generated_from_the_prefix_and_row() {
    let mut o = DelimitedOptions::tsv();
    o.id_prefix = "karabakh".into();
    let c = read("en\ttr\n\nA\tB\n\nC\t\n", &o).unwrap();
    assert_eq!(
        c.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        ["karabakh-1", "karabakh-2"]
    );
    assert_eq!(c[1].terms.len(), 1);
}

#[test]
fn csv_quoting_follows_rfc_4180() {
    let text = "en,tr,note\r\n\"Baku, the capital\",\"Bakü, \"\"başkent\"\"\",\"two\r\nlines\"\r\n";
    let c = read(text, &DelimitedOptions::csv()).unwrap();
    assert_eq!(texts(&c[0])[0].1, "Baku, the capital");
    assert_eq!(texts(&c[0])[1].1, "Bakü, \"başkent\"");
    assert_eq!(c[0].notes, ["two\r\nlines"]);
}

#[test]
fn tsv_keeps_quotes_as_data() {
    let c = read(
        "tr\taz\n\"Vatan\" Savaşı\t\"Vətən\" müharibəsi\n",
        &DelimitedOptions::tsv(),
    )
    .unwrap();
    assert_eq!(texts(&c[0])[1].1, "\"Vətən\" müharibəsi");
}

#[test]
fn omegat_headerless_with_comments() {
    let o = DelimitedOptions::omegat(Lang::parse("en").unwrap(), Lang::parse("tr").unwrap());
    let c = read(
        "# OmegaT glossary\nceasefire\tateşkes\tmilitary\nBaku\tBakü\n",
        &o,
    )
    .unwrap();
    assert_eq!(c.len(), 2);
    assert_eq!(
        texts(&c[0]),
        [("en".into(), "ceasefire".into()), ("tr".into(), "ateşkes".into())]
    );
    assert_eq!(c[0].notes, ["military"]);
    assert!(c[1].notes.is_empty());
    let e = read("a\tb\tc\td\n", &o).unwrap_err().to_string();
    assert_eq!(e, "<input>:1:7: row has 4 fields; expected at most 3");
}

#[test]
fn utf16_and_bom_inputs_read_the_same() {
    let text = "en\taz\nAzerbaijan\tAzərbaycan\n";
    let want = read(text, &DelimitedOptions::tsv()).unwrap();
    let mut bom8 = vec![0xEF, 0xBB, 0xBF];
    bom8.extend_from_slice(text.as_bytes());
    let mut le = vec![0xFF, 0xFE];
    let mut be = vec![0xFE, 0xFF];
    for u in text.encode_utf16() {
        le.extend_from_slice(&u.to_le_bytes());
        be.extend_from_slice(&u.to_be_bytes());
    }
    for bytes in [bom8, le, be] {
        let got: Vec<Concept> = read_delimited(&bytes[..], &DelimitedOptions::tsv())
            .unwrap()
            .collect::<crate::Result<_>>()
            .unwrap();
        assert_eq!(got, want);
    }
}

#[test]
fn bad_input_names_line_and_column() {
    let tsv = DelimitedOptions::tsv();
    let cases = [
        ("", "<input>:1: empty file"),
        ("id\tnote\n", "<input>:1: the header names no language"),
        ("en\ten\n", "<input>:1:4: column 2: \"en\" appears twice"),
        (
            "en\ttr\nA\tB\tC\n",
            "<input>:2:5: row has 3 fields; expected at most 2",
        ),
        (
            "en\ttr\nA\tB | \n",
            "<input>:2:3: concept \"row-1\": empty term in column 2 (tr)",
        ),
        (
            "id\ten\nx\t\t\n",
            "<input>:2: concept \"x\": row has no term in any language",
        ),
        ("en\nA\n\u{ff}", "<input>:3: field 1 is not valid UTF-8"),
    ];
    for (text, want) in cases {
        let bytes: Vec<u8> = if text.contains('\u{ff}') {
            text.replace('\u{ff}', "").bytes().chain([0xff, b'\n']).collect()
        } else {
            text.bytes().collect()
        };
        let got = read_delimited(&bytes[..], &tsv).and_then(|r| r.collect::<crate::Result<Vec<_>>>());
        let e = got.expect_err(text).to_string();
        assert!(e.starts_with(want), "want {want:?}, got {e:?}");
    }
}

#[test]
fn endless_line_is_refused_not_buffered() {
    let mut text = b"en\ttr\n".to_vec();
    text.resize(text.len() + 17 * 1024 * 1024, b'a');
    let e = read_delimited(&text[..], &DelimitedOptions::tsv())
        .unwrap()
        .next()
        .unwrap()
        .unwrap_err();
    assert!(e.to_string().contains("a line longer than 16 MiB"), "{e}");
}

#[test]
fn ten_kilobyte_cell_is_refused() {
    let text = format!("en\taz\nx\t{}\n", "ə".repeat(5 * 1024));
    let e = read(&text, &DelimitedOptions::tsv()).unwrap_err().to_string();
    assert!(
        e.contains("term of 10240 bytes is longer than the limit of 1024 bytes"),
        "{e}"
    );
    assert!(e.starts_with("<input>:2:3: concept \"row-1\""), "{e}");
}

#[test]
fn writer_refuses_what_it_cannot_write_back() {
    let mut c = Concept {
        id: "a".into(),
        ..Concept::default()
    };
    c.terms.push(Term::new(Lang::parse("en").unwrap(), "tab\there"));
    let e = write_tsv(Vec::new(), &[c], &[]).unwrap_err().to_string();
    assert!(e.contains("cannot be written to TSV"), "{e}");
}

fn cell_text() -> impl Strategy<Value = String> {
    "[a-zA-ZçğıöşüÇĞİÖŞÜəƏ0-9'\"’,;-]{1,6}( [a-zA-ZçğıöşüəƏ0-9'\",-]{1,6}){0,2}"
        .prop_map(|s| crate::text::nfc(&s).into_owned())
}

fn concept() -> impl Strategy<Value = Concept> {
    let langs = ["en", "tr", "az"];
    (
        "[a-z0-9-]{1,10}",
        proptest::collection::vec((0usize..3, cell_text()), 1..6),
        proptest::collection::vec(cell_text(), 0..2),
    )
        .prop_map(move |(id, terms, notes)| {
            let mut terms: Vec<Term> = terms
                .into_iter()
                .map(|(l, t)| Term::new(Lang::parse(langs[l]).unwrap(), t))
                .collect();
            // A row lists terms column by column.
            terms.sort_by_key(|t| langs.iter().position(|l| *l == t.lang.as_str()));
            Concept {
                id,
                notes,
                terms,
                ..Concept::default()
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn read_of_write_is_identity(concepts in proptest::collection::vec(concept(), 0..6)) {
        let langs: Vec<Lang> = ["en", "tr", "az"].iter().map(|l| Lang::parse(l).unwrap()).collect();
        let mut out = Vec::new();
        write_tsv(&mut out, &concepts, &langs).unwrap();
        let back: Vec<Concept> =
            read_delimited(&out[..], &DelimitedOptions::tsv()).unwrap().collect::<crate::Result<_>>().unwrap();
        prop_assert_eq!(back, concepts);
    }

    /// What the fuzz target checks, on mutations of a valid file: no panic,
    /// and what is read survives write_tsv → read unchanged.
    #[test]
    fn mutated_files_error_or_round_trip(
        concepts in proptest::collection::vec(concept(), 1..4),
        at in any::<prop::sample::Index>(),
        len in 0usize..6,
        insert in proptest::collection::vec(prop::sample::select(b"\t\n\r |\"#ab\xc5\x9f\xff".to_vec()), 0..6),
        omegat in any::<bool>(),
    ) {
        let langs: Vec<Lang> = ["en", "tr", "az"].iter().map(|l| Lang::parse(l).unwrap()).collect();
        let mut out = Vec::new();
        write_tsv(&mut out, &concepts, &langs).unwrap();
        let start = at.index(out.len());
        let end = (start + len).min(out.len());
        out.splice(start..end, insert);
        let o = if omegat {
            DelimitedOptions::omegat(langs[0].clone(), langs[1].clone())
        } else {
            DelimitedOptions::tsv()
        };
        let Ok(reader) = read_delimited(&out[..], &o) else { return Ok(()) };
        let header = reader.languages();
        let Ok(read) = reader.collect::<crate::Result<Vec<Concept>>>() else { return Ok(()) };
        let mut again = Vec::new();
        write_tsv(&mut again, &read, &header).unwrap();
        let back: Vec<Concept> =
            read_delimited(&again[..], &DelimitedOptions::tsv()).unwrap().collect::<crate::Result<_>>().unwrap();
        prop_assert_eq!(back, read);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300), csv in any::<bool>()) {
        let o = if csv { DelimitedOptions::csv() } else { DelimitedOptions::tsv() };
        if let Ok(r) = read_delimited(&bytes[..], &o) {
            for item in r.take(100) {
                let _ = item;
            }
        }
    }
}
