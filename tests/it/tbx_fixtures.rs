//! The TBX reader against the LTAC TBX test files (needs `KORPU_FIXTURES`).

use std::path::PathBuf;

use korpu::formats::tbx::{TbxReader, TbxStyle, TbxVersion, write_tbx};
use korpu::model::{Concept, TermStatus};

use crate::support::fixtures;

fn fixture(rel: &str) -> PathBuf {
    fixtures().join("tbx").join(rel)
}

fn read(rel: &str) -> korpu::Result<Vec<Concept>> {
    TbxReader::from_path(fixture(rel))?.collect()
}

/// The error for an invalid file, as `line:col: message` (the path cut off).
fn error(rel: &str) -> String {
    let e = read(rel).expect_err(rel).to_string();
    let path = fixture(rel).display().to_string();
    e.strip_prefix(&format!("{path}:"))
        .unwrap_or_else(|| panic!("error does not name the file: {e}"))
        .to_string()
}

const VALID: [&str; 5] = [
    "ltac-tbx-test-files/basic_good.tbx",
    "ltac-tbx-test-files/core_structure_good.tbx",
    "ltac-tbx-test-files/min_good.tbx",
    "ltac-tbx-basic-dialect/DCA__Example_Astronomy_DCA_VALID.tbx",
    "ltac-tbx-basic-dialect/DCT__Example_Astronomy_DCT_VALID.tbx",
];

#[test]
#[ignore = "needs KORPU_FIXTURES"]
fn every_valid_file_imports_whole() {
    for rel in VALID {
        let got = read(rel).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let terms: usize = got.iter().map(|c| c.terms.len()).sum();
        assert_eq!((got.len(), terms), (45, 113), "{rel}");
        assert_eq!(got[0].id, "c1", "{rel}");
        assert_eq!(got[44].id, "c45", "{rel}");
        // Entries in "zu" are bibliographic records; all others are English-Spanish.
        for c in got.iter().filter(|c| c.terms[0].lang.as_str() != "zu") {
            assert!(c.terms.iter().any(|t| t.lang.as_str() == "en"), "{rel} {}", c.id);
            assert!(c.terms.iter().any(|t| t.lang.as_str() == "es"), "{rel} {}", c.id);
        }
    }
}

#[test]
#[ignore = "needs KORPU_FIXTURES"]
fn dialect_and_style_are_detected() {
    let f = |rel: &str| TbxReader::from_path(fixture(rel)).unwrap().format().clone();
    let dct = f(VALID[4]);
    assert_eq!(
        (dct.version, dct.dialect.as_str(), dct.style),
        (TbxVersion::V3, "TBX-Basic", TbxStyle::Dct)
    );
    assert_eq!(f(VALID[1]).dialect, "TBX-Core");
    assert_eq!(f(VALID[2]).dialect, "TBX-Min");
    assert_eq!(f(VALID[3]).style, TbxStyle::Dca);
}

#[test]
#[ignore = "needs KORPU_FIXTURES"]
fn dca_and_dct_files_give_the_same_concepts() {
    let dca = read(VALID[3]).unwrap();
    let dct = read(VALID[4]).unwrap();
    // The two files differ in a few notes; their terms are the same.
    for (a, b) in dca.iter().zip(&dct) {
        assert_eq!(
            (&a.id, &a.subject, &a.definition, &a.terms),
            (&b.id, &b.subject, &b.definition, &b.terms)
        );
    }
    let c1 = &dct[0];
    assert_eq!(c1.subject.as_deref(), Some("General"));
    assert_eq!(
        c1.definition.as_deref(),
        Some("A group of stars formed together in the spiral arms of a galaxy.")
    );
    assert_eq!(
        c1.notes,
        [
            "G-Source: http://www.physics.drexel.edu/observatory/dump.shtml",
            "definition (es): Una acumulación de una docena hasta varios miles de jóvenes estrellas en el plano \
             de las galaxias."
        ]
    );
    let open = &c1.terms[0];
    assert_eq!((open.lang.as_str(), open.text.as_str()), ("en", "open cluster"));
    assert_eq!(open.part_of_speech.as_deref(), Some("noun"));
    assert_eq!(open.status, Some(TermStatus::Preferred));
    let galactic = &c1.terms[1];
    assert_eq!(galactic.text, "galactic cluster");
    // supersededTerm-admn-sts
    assert_eq!(galactic.status, Some(TermStatus::Deprecated));
    let note = galactic.note.as_deref().unwrap();
    assert!(
        note.starts_with("Another name for an open star cluster. They are often termed Galactic Clusters")
    );
    assert!(
        note.ends_with("\nN-Source: http://www.delscope.demon.co.uk/astronomy/glossary.htm#G"),
        "{note}"
    );
}

#[test]
#[ignore = "needs KORPU_FIXTURES"]
fn usage_status_and_acronyms_are_read() {
    let basic = read(VALID[0]).unwrap();
    let grb = basic
        .iter()
        .flat_map(|c| &c.terms)
        .find(|t| t.text == "GRB")
        .unwrap();
    assert_eq!(grb.term_type.as_deref(), Some("acronym"));
    assert!(grb.case_sensitive);
    let min = read(VALID[2]).unwrap();
    let statuses: Vec<_> = min[0].terms.iter().map(|t| t.status).collect();
    assert_eq!(
        statuses,
        [Some(TermStatus::Preferred), Some(TermStatus::Deprecated), None]
    );
}

#[test]
#[ignore = "needs KORPU_FIXTURES"]
fn invalid_files_are_refused_with_line_and_column() {
    let cases = [
        ("basic_bad.tbx", "24:5: admin \"source\" must be grouped"),
        (
            "core_structure_bad.tbx",
            "16:5: text is not allowed directly in <sourceDesc>; wrap it in <p>",
        ),
        (
            "min_bad.tbx",
            "21:5: admin \"source\" is not a data category of TBX-Min",
        ),
        (
            "poorly_formed_xml.tbx",
            "42:6: malformed XML: ill-formed document: expected `</term>`",
        ),
    ];
    for (file, want) in cases {
        let got = error(&format!("ltac-tbx-test-files/{file}"));
        assert!(got.starts_with(want), "{file}: {got}");
    }
}

#[test]
#[ignore = "needs KORPU_FIXTURES"]
fn fixtures_survive_write_and_read_back() {
    for rel in VALID {
        let concepts = read(rel).unwrap();
        let mut out = Vec::new();
        write_tbx(&mut out, &concepts).unwrap();
        let back: Vec<Concept> = TbxReader::new(&out[..])
            .unwrap()
            .collect::<korpu::Result<_>>()
            .unwrap();
        assert_eq!(back, concepts, "{rel}");
    }
}
