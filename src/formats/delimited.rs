//! Delimited glossaries: TSV and CSV with a header of language tags, and
//! OmegaT's headerless `source<TAB>target<TAB>comment`.
//!
//! With a header, each column is a language tag (`en`, `tr`, `az-Latn`…), or
//! `id` (the concept id) or `note` (`notes` and `comment` are accepted too);
//! header names are matched case-insensitively. Each row is one concept; a
//! cell holds one term, or several separated by ` | ` (synonyms), or nothing.
//! An empty `id` cell (or no `id` column) gives the id `{prefix}-{row}`.
//!
//! TSV is read without quoting (a `"` is data, as in OmegaT and most
//! spreadsheets' TSV export); CSV follows RFC 4180 quoting. Input is UTF-8
//! with or without a BOM, or UTF-16 with a BOM. Text is trimmed and NFC.

use std::fs::File;
use std::io::{Read, Write};
use std::path::Path;

use crate::error::{Error, Location, Result};
use crate::formats::transcode::Utf8Input;
use crate::lang::Lang;
use crate::model::{Concept, Term};
use crate::text::nfc;

/// The separator between synonyms in one cell.
pub const SYNONYM_SEPARATOR: &str = " | ";

/// How to read a delimited glossary.
#[derive(Clone, Debug)]
pub struct DelimitedOptions {
    /// The field delimiter: `b'\t'` for TSV, `b','` (or `b';'`) for CSV.
    pub delimiter: u8,
    /// RFC 4180 quoting (`"a, b"`, `""`). On for CSV, off for TSV.
    pub quoting: bool,
    /// OmegaT's headerless format: the source language (column 1).
    /// Headerless mode is on when both `src` and `tgt` are set.
    pub src: Option<Lang>,
    /// OmegaT's headerless format: the target language (column 2).
    pub tgt: Option<Lang>,
    /// Generated ids are `{id_prefix}-{row}` (row counts data rows from 1).
    /// Give each input file its own prefix so ids from several files do not
    /// collide; [`DelimitedReader::from_path`] uses the file stem.
    pub id_prefix: String,
}

impl DelimitedOptions {
    /// Tab-separated, no quoting, header row.
    pub fn tsv() -> DelimitedOptions {
        DelimitedOptions {
            delimiter: b'\t',
            quoting: false,
            src: None,
            tgt: None,
            id_prefix: "row".into(),
        }
    }

    /// Comma-separated, RFC 4180 quoting, header row.
    pub fn csv() -> DelimitedOptions {
        DelimitedOptions {
            delimiter: b',',
            quoting: true,
            ..DelimitedOptions::tsv()
        }
    }

    /// OmegaT's glossary: tab-separated `source<TAB>target<TAB>comment`, no
    /// header; lines starting with `#` are comments.
    pub fn omegat(src: Lang, tgt: Lang) -> DelimitedOptions {
        DelimitedOptions {
            src: Some(src),
            tgt: Some(tgt),
            ..DelimitedOptions::tsv()
        }
    }

    /// [`csv`](Self::csv) for a `.csv` path, [`tsv`](Self::tsv) otherwise.
    pub fn for_path(path: &Path) -> DelimitedOptions {
        let csv = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        if csv {
            DelimitedOptions::csv()
        } else {
            DelimitedOptions::tsv()
        }
    }

    fn headerless(&self) -> Option<(&Lang, &Lang)> {
        self.src.as_ref().zip(self.tgt.as_ref())
    }
}

impl Default for DelimitedOptions {
    fn default() -> Self {
        DelimitedOptions::tsv()
    }
}

/// What a column holds.
#[derive(Clone, Debug, PartialEq)]
enum Column {
    Id,
    Note,
    Lang(Lang),
}

/// Reads concepts from a delimited glossary, one row at a time.
///
/// Created by [`read_delimited`] or [`DelimitedReader::from_path`]. Memory is
/// bounded by the longest row.
pub struct DelimitedReader<R: Read> {
    csv: csv::Reader<LineLimit<Utf8Input<R>>>,
    columns: Vec<Column>,
    quoting: bool,
    id_prefix: String,
    record: csv::StringRecord,
    row: usize,
    path: Option<std::path::PathBuf>,
    done: bool,
}

/// Starts reading a delimited glossary from `reader`: detects the encoding
/// and, unless `options` names OmegaT's source and target languages, reads
/// the header row. The returned reader yields one [`Concept`] per row.
///
/// ```
/// use korpu::formats::delimited::{read_delimited, DelimitedOptions};
/// use korpu::Lang;
///
/// let tsv = "ID\ten\ttr\taz\tNote\n\
///            karabakh\tKarabakh\tKarabağ\tQarabağ\tregion\n\
///            un\tUnited Nations | UN\tBirleşmiş Milletler | BM\t\t\n";
/// let concepts: Vec<_> = read_delimited(tsv.as_bytes(), &DelimitedOptions::tsv())?
///     .collect::<korpu::Result<_>>()?;
/// assert_eq!(concepts[0].id, "karabakh");
/// assert_eq!(concepts[0].notes, ["region"]);
/// let un: Vec<&str> = concepts[1].terms.iter().map(|t| t.text.as_str()).collect();
/// assert_eq!(un, ["United Nations", "UN", "Birleşmiş Milletler", "BM"]);
///
/// // OmegaT's headerless glossary, with the languages given.
/// let omegat = "Shusha\tŞuşa\tcity\n";
/// let opts = DelimitedOptions::omegat(Lang::parse("en")?, Lang::parse("az")?);
/// let c = read_delimited(omegat.as_bytes(), &opts)?.next().unwrap()?;
/// assert_eq!((c.terms[1].lang.as_str(), c.terms[1].text.as_str()), ("az", "Şuşa"));
///
/// // Errors name the line.
/// let bad = "en\tenglish\nA\tB\n";
/// let err = read_delimited(bad.as_bytes(), &DelimitedOptions::tsv()).err().unwrap();
/// assert!(err.to_string().starts_with("<input>:1:4: column 2: invalid language tag"), "{err}");
/// # Ok::<(), korpu::Error>(())
/// ```
pub fn read_delimited<R: Read>(reader: R, options: &DelimitedOptions) -> Result<DelimitedReader<R>> {
    let input = Utf8Input::new(reader)?;
    let mut builder = csv::ReaderBuilder::new();
    builder
        .delimiter(options.delimiter)
        .quoting(options.quoting)
        .has_headers(false)
        .flexible(true);
    if options.headerless().is_some() {
        builder.comment(Some(b'#'));
    }
    let mut me = DelimitedReader {
        csv: builder.from_reader(LineLimit { inner: input, run: 0 }),
        columns: Vec::new(),
        quoting: options.quoting,
        id_prefix: options.id_prefix.clone(),
        record: csv::StringRecord::new(),
        row: 0,
        path: None,
        done: false,
    };
    match options.headerless() {
        Some((src, tgt)) => {
            me.columns = vec![Column::Lang(src.clone()), Column::Lang(tgt.clone()), Column::Note];
        }
        None => me.read_header()?,
    }
    Ok(me)
}

impl DelimitedReader<File> {
    /// Opens `path` with `options`; generated ids are prefixed with the file
    /// stem, and errors name the file.
    pub fn from_path(path: impl AsRef<Path>, options: &DelimitedOptions) -> Result<Self> {
        let path = path.as_ref();
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        let mut options = options.clone();
        if let Some(stem) = path.file_stem() {
            options.id_prefix = stem.to_string_lossy().into_owned();
        }
        let mut me = read_delimited(file, &options).map_err(|e| e.in_file(path))?;
        me.path = Some(path.to_path_buf());
        Ok(me)
    }
}

impl<R: Read> DelimitedReader<R> {
    /// The languages of the columns, in order.
    pub fn languages(&self) -> Vec<Lang> {
        self.columns
            .iter()
            .filter_map(|c| match c {
                Column::Lang(l) => Some(l.clone()),
                _ => None,
            })
            .collect()
    }

    fn line(&self) -> u64 {
        self.record.position().map_or(0, |p| p.line())
    }

    /// Where field `i` of the current record starts. Exact without quoting;
    /// with quoting the column is left out (quotes make it ambiguous).
    fn field_location(&self, i: usize) -> Location {
        if self.quoting {
            return Location::new(self.line(), 0);
        }
        let column = self
            .record
            .iter()
            .take(i)
            .map(|f| f.chars().count() as u64 + 1)
            .sum::<u64>()
            + 1;
        Location::new(self.line(), column)
    }

    /// Reads the next record into `self.record`; false at the end.
    fn read_record(&mut self) -> Result<bool> {
        loop {
            let more = self.csv.read_record(&mut self.record).map_err(csv_error)?;
            if !more {
                return Ok(false);
            }
            // A blank line is no record.
            if self.record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            return Ok(true);
        }
    }

    fn read_header(&mut self) -> Result<()> {
        if !self.read_record()? {
            return Err(Error::parse(
                Location::new(1, 0),
                "empty file: expected a header row of language tags",
            ));
        }
        let mut columns = Vec::new();
        for (i, name) in self.record.iter().enumerate() {
            let name = name.trim();
            let column = match name.to_ascii_lowercase().as_str() {
                "id" => Column::Id,
                "note" | "notes" | "comment" => Column::Note,
                _ => match Lang::parse(name) {
                    Ok(lang) => Column::Lang(lang),
                    Err(e) => {
                        return Err(Error::parse_with(
                            self.field_location(i),
                            format!(
                                "column {}: {e} (header names are language tags, id or note)",
                                i + 1
                            ),
                            e,
                        ));
                    }
                },
            };
            if column != Column::Note && columns.contains(&column) {
                return Err(Error::parse(
                    self.field_location(i),
                    format!("column {}: {name:?} appears twice in the header", i + 1),
                ));
            }
            columns.push(column);
        }
        if !columns.iter().any(|c| matches!(c, Column::Lang(_))) {
            return Err(Error::parse(
                Location::new(self.line(), 0),
                "the header names no language (expected tags such as en, tr, az)",
            ));
        }
        self.columns = columns;
        Ok(())
    }

    fn concept(&mut self) -> Result<Option<Concept>> {
        if !self.read_record()? {
            return Ok(None);
        }
        self.row += 1;
        if self.record.len() > self.columns.len()
            && self
                .record
                .iter()
                .skip(self.columns.len())
                .any(|f| !f.trim().is_empty())
        {
            return Err(Error::parse(
                self.field_location(self.columns.len()),
                format!(
                    "row has {} fields; expected at most {}",
                    self.record.len(),
                    self.columns.len()
                ),
            ));
        }
        let mut concept = Concept::default();
        for (i, column) in self.columns.iter().enumerate() {
            // Split before trimming, so that a trailing " | " leaves an empty
            // synonym that is reported rather than silently dropped.
            let cell = self.record.get(i).unwrap_or("");
            if cell.trim().is_empty() {
                continue;
            }
            match column {
                Column::Id => concept.id = nfc(cell.trim()).into_owned(),
                Column::Note => {
                    concept
                        .notes
                        .extend(cell.split(SYNONYM_SEPARATOR).map(|n| nfc(n.trim()).into_owned()));
                }
                Column::Lang(lang) => {
                    for text in cell.split(SYNONYM_SEPARATOR) {
                        let text = nfc(text.trim()).into_owned();
                        concept.terms.push(Term::new(lang.clone(), text));
                    }
                }
            }
        }
        if concept.id.is_empty() {
            concept.id = format!("{}-{}", self.id_prefix, self.row);
        }
        concept.notes.retain(|n| !n.is_empty());
        for (i, column) in self.columns.iter().enumerate() {
            let Column::Lang(lang) = column else { continue };
            for t in concept.terms.iter().filter(|t| &t.lang == lang) {
                Term::check_text(&t.text).map_err(|message| Error::InvalidRecord {
                    location: Some(self.field_location(i)),
                    record: format!("concept {:?}", concept.id),
                    message: format!(
                        "{message} in column {} ({lang}); synonyms are separated by \" | \"",
                        i + 1
                    ),
                })?;
            }
        }
        if concept.terms.is_empty() {
            return Err(Error::InvalidRecord {
                location: Some(Location::new(self.line(), 0)),
                record: format!("concept {:?}", concept.id),
                message: "row has no term in any language".into(),
            });
        }
        Ok(Some(concept))
    }
}

/// The longest line accepted. The csv crate holds a whole record in memory;
/// this bounds it (for records without quoted line breaks).
const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

/// Fails the read when a line grows past [`MAX_LINE_BYTES`].
struct LineLimit<R> {
    inner: R,
    /// Bytes since the last line feed.
    run: usize,
}

impl<R: Read> Read for LineLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.run = match memchr::memrchr(b'\n', &buf[..n]) {
            Some(i) => n - i - 1,
            None => self.run + n,
        };
        if self.run > MAX_LINE_BYTES {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("a line longer than {} MiB", MAX_LINE_BYTES >> 20),
            ));
        }
        Ok(n)
    }
}

fn csv_error(e: csv::Error) -> Error {
    let line = e.position().map_or(0, |p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::Io(io) => format!("read error: {io}"),
        csv::ErrorKind::Utf8 { err, .. } => format!(
            "field {} is not valid UTF-8 (save the file as UTF-8 or UTF-16 with a BOM)",
            err.field() + 1
        ),
        other => format!("{other:?}"),
    };
    Error::parse_with(Location::new(line, 0), message, e)
}

impl<R: Read> Iterator for DelimitedReader<R> {
    type Item = Result<Concept>;

    fn next(&mut self) -> Option<Result<Concept>> {
        if self.done {
            return None;
        }
        let step = self.concept();
        super::fuse_record(&mut self.done, self.path.as_deref(), step)
    }
}

/// Writes `concepts` as TSV with a header `id`, the `langs` (every language
/// of the concepts, in order of first appearance, when `langs` is empty) and
/// `note`. Synonyms and multiple notes are joined with ` | `. Only what TSV
/// can hold is written: ids, terms, notes (not status, part of speech or
/// subject). A term or note holding a tab, a line break or ` | ` is refused,
/// since it could not be read back.
///
/// ```
/// use korpu::formats::delimited::{read_delimited, write_tsv, DelimitedOptions};
/// use korpu::model::{Concept, Term};
/// use korpu::Lang;
///
/// let c = Concept {
///     id: "baku".into(),
///     terms: vec![Term::new(Lang::parse("tr")?, "Bakü"), Term::new(Lang::parse("az")?, "Bakı")],
///     ..Concept::default()
/// };
/// let mut out = Vec::new();
/// write_tsv(&mut out, std::slice::from_ref(&c), &[])?;
/// assert_eq!(String::from_utf8(out.clone()).unwrap(), "id\ttr\taz\tnote\nbaku\tBakü\tBakı\t\n");
/// let back: Vec<Concept> = read_delimited(&out[..], &DelimitedOptions::tsv())?.collect::<korpu::Result<_>>()?;
/// assert_eq!(back, [c]);
/// # Ok::<(), korpu::Error>(())
/// ```
pub fn write_tsv<W: Write>(mut w: W, concepts: &[Concept], langs: &[Lang]) -> Result<()> {
    let langs: Vec<Lang> = if langs.is_empty() {
        let mut seen: Vec<Lang> = Vec::new();
        for t in concepts.iter().flat_map(|c| &c.terms) {
            if !seen.contains(&t.lang) {
                seen.push(t.lang.clone());
            }
        }
        seen
    } else {
        langs.to_vec()
    };
    let mut line = String::from("id");
    for l in &langs {
        line.push('\t');
        line.push_str(l.as_str());
    }
    line.push_str("\tnote\n");
    w.write_all(line.as_bytes())?;
    for c in concepts {
        c.validate()?;
        line.clear();
        if c.id.contains(['\t', '\n', '\r']) || c.id.trim() != c.id {
            return Err(Error::InvalidRecord {
                location: None,
                record: format!("concept {:?}", c.id),
                message: "the id cannot be written to TSV (tab, line break or edge spaces)".into(),
            });
        }
        line.push_str(&c.id);
        for l in &langs {
            let terms: Vec<String> = c
                .terms
                .iter()
                .filter(|t| &t.lang == l)
                .map(|t| t.text.clone())
                .collect();
            line.push('\t');
            line.push_str(&tsv_cell(c, l.as_str(), &terms)?);
        }
        line.push('\t');
        line.push_str(&tsv_cell(c, "note", &c.notes)?);
        line.push('\n');
        w.write_all(line.as_bytes())?;
    }
    w.flush()?;
    Ok(())
}

fn tsv_cell(c: &Concept, column: &str, values: &[String]) -> Result<String> {
    for v in values {
        if v.contains(['\t', '\n', '\r']) || v.contains(SYNONYM_SEPARATOR) || v.trim() != v {
            return Err(Error::InvalidRecord {
                location: None,
                record: format!("concept {:?}", c.id),
                message: format!(
                    "{column} value {v:?} cannot be written to TSV (tab, line break, \" | \" or edge spaces)"
                ),
            });
        }
    }
    Ok(values.join(SYNONYM_SEPARATOR))
}

#[cfg(test)]
mod tests;
