//! TMX as OmegaT and Translate Toolkit write it, and a legacy-encoded file:
//! samples written for korpu in `tests/data/`.

use korpu::formats::tmx::{TmxReader, TmxWriter};
use korpu::model::{Inline, TagKind, TmxDate, TranslationUnit};

use crate::support::data;

fn read_all(name: &str) -> (TmxReader<std::io::BufReader<std::fs::File>>, Vec<TranslationUnit>) {
    let mut reader = TmxReader::from_path(data(name)).unwrap();
    let units = reader.by_ref().collect::<Result<Vec<_>, _>>().unwrap();
    (reader, units)
}

fn text(unit: &TranslationUnit, n: usize) -> String {
    unit.variants[n].segment.text_only()
}

/// Writing and reading again gives the same units.
fn assert_round_trips(reader_header: &korpu::model::TmxHeader, units: &[TranslationUnit]) {
    let mut w = TmxWriter::new(Vec::new(), reader_header).unwrap();
    for u in units {
        w.write_unit(u).unwrap();
    }
    let bytes = w.finish().unwrap();
    let back = TmxReader::new(&bytes[..])
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    assert_eq!(back, units);
}

#[test]
fn omegat_project_save_tmx_1_1() {
    let (reader, units) = read_all("omegat-project_save-1.1.tmx");
    assert_eq!(reader.version(), "1.1");
    let h = reader.header();
    assert_eq!(h.creation_tool.as_deref(), Some("OmegaT"));
    assert_eq!(h.o_tmf.as_deref(), Some("OmegaT TMX"));
    assert_eq!(h.srclang.as_deref(), Some("en"));
    assert_eq!(units.len(), 4);
    // `lang` (TMX 1.1) is read like xml:lang.
    let langs: Vec<_> = units[0].variants.iter().map(|v| v.lang.as_str()).collect();
    assert_eq!(langs, ["en", "az"]);
    assert_eq!(text(&units[0], 1), "Şuşa qalası vadiyə baxır.");
    let az = &units[0].variants[1].attrs;
    assert_eq!(az.change_id.as_deref(), Some("leyla"));
    assert_eq!(
        az.creation_date.as_ref().map(TmxDate::to_string).as_deref(),
        Some("20240311T094512Z")
    );
    assert!(units[0].variants[0].attrs.change_id.is_none());
    // OmegaT keeps its tags as escaped text at level 1.
    assert_eq!(text(&units[1], 0), "Click <b0>Save</b0> to keep your changes.");
    assert_eq!(units[1].variants[1].segment.content.len(), 1);
    // CRLF inside a segment reads as LF (XML line-end normalisation), nothing else changes.
    assert_eq!(text(&units[2], 1), "Birinci sətir\nikinci sətir");
    assert_eq!(units[2].notes[0].text, "Two lines in the source file.");
    // Alternative translations carry their context as props.
    let alt = &units[3];
    assert_eq!(alt.prop("file"), Some("docs/guide.odt"));
    assert_eq!(
        alt.prop("prev"),
        Some("The castle of Shusha overlooks the valley.")
    );
    assert_eq!(alt.prop("next"), Some("It was built in 1752."));
    assert_eq!(alt.props.len(), 4);
    assert_eq!(text(alt, 1), "Xoş gəlmisiniz!");
    assert!(reader.warnings().is_empty(), "{:?}", reader.warnings());
    assert_round_trips(reader.header(), &units);
}

#[test]
fn omegat_level2_tmx_1_4() {
    let (reader, units) = read_all("omegat-level2-1.4.tmx");
    assert_eq!(reader.version(), "1.4");
    assert_eq!(units.len(), 2);
    let u = &units[0];
    assert_eq!(u.tuid.as_deref(), Some("guide-12"));
    assert_eq!(u.prop("id"), Some("guide-12"));
    assert_eq!(u.variants[1].lang.as_str(), "tr-TR");
    let tr = &u.variants[1].segment;
    assert_eq!(tr.text_only(), "Değişiklikleri korumak içinKaydet'e tıklayın.");
    assert_eq!(
        tr.plain_text(),
        "Değişiklikleri korumak için\u{E000}\u{E001}Kaydet\u{E002}'e tıklayın."
    );
    let kinds: Vec<_> = tr
        .content
        .iter()
        .filter_map(|i| match i {
            Inline::Tag(t) => Some((t.kind, t.i.clone(), t.x.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        kinds,
        [
            (TagKind::Ph, None, Some("1".into())),
            (TagKind::Bpt, Some("0".into()), Some("0".into())),
            (TagKind::Ept, Some("0".into()), None),
        ]
    );
    assert_eq!(text(&units[1], 0), "İstanbul is huge.");
    assert!(reader.warnings().is_empty(), "{:?}", reader.warnings());
    assert_round_trips(reader.header(), &units);
}

#[test]
fn translate_toolkit_po2tmx() {
    let (reader, units) = read_all("po2tmx.tmx");
    let h = reader.header();
    assert_eq!(h.creation_tool.as_deref(), Some("Translate Toolkit"));
    assert_eq!(h.datatype.as_deref(), Some("PlainText"));
    assert_eq!(units.len(), 3);
    assert_eq!(text(&units[0], 1), "Dosya aç");
    assert_eq!(text(&units[1], 1), "%d dosya silindi\nEmin misiniz?");
    // po2tmx appends the PO comment after the tuvs; it is read all the same.
    assert_eq!(units[1].notes[0].text, "Shown after a bulk delete.");
    assert_eq!(text(&units[2], 0), "Use <b>bold</b> & \"quotes\"");
    assert_eq!(text(&units[2], 1), "<b>Kalın</b> & \"tırnak\" kullanın");
    assert!(reader.warnings().is_empty(), "{:?}", reader.warnings());
    assert_round_trips(reader.header(), &units);
}

#[test]
fn declared_iso_8859_9_is_transcoded() {
    let (reader, units) = read_all("legacy-iso-8859-9.tmx");
    assert_eq!(reader.encoding(), "windows-1254");
    assert_eq!(text(&units[0], 0), "Iğdır'da ılık bir gün; İstanbul'a gidiyoruz.");
    assert_eq!(units[0].prop("x-note"), Some("Iğdır, Şırnak, Çorum"));
    assert_round_trips(reader.header(), &units);
}

#[test]
fn the_same_file_in_utf16_reads_the_same() {
    let utf8 = std::fs::read_to_string(data("po2tmx.tmx")).unwrap();
    let (_, expected) = read_all("po2tmx.tmx");
    for big_endian in [false, true] {
        let mut bytes = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for u in utf8
            .replace("encoding='utf-8'", "encoding='utf-16'")
            .encode_utf16()
        {
            bytes.extend_from_slice(&if big_endian {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            });
        }
        let units = TmxReader::new(&bytes[..])
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        assert_eq!(units, expected);
    }
}
