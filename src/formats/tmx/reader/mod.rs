//! [`TmxReader`]: a streaming reader of TMX 1.1–1.4 documents.
//!
//! The reader's rooms: [`names`] (the elements and attributes TMX knows),
//! [`events`] (quick-xml's events, checked), [`attrs`] (the attributes of a
//! tag), [`text`] (character data and references), [`header`] (the document
//! around the units), [`notes`] (`<note>` and `<prop>`), [`unit`](mod@unit) (units by
//! the streaming path), [`check`] (the warnings of a complete unit) and
//! [`fast`] (units parsed straight from the input buffer).

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

mod attrs;
mod check;
mod events;
mod fast;
mod header;
mod names;
mod notes;
mod text;
mod unit;

use quick_xml::Reader;

use self::attrs::AttrSlots;
use self::check::PairScratch;
use self::names::El;
use crate::error::{Error, Result};
use crate::formats::tmx::{ReadOptions, Warning};
use crate::formats::transcode::{MAX_TOKEN, Utf8Input};
use crate::lang::Lang;
use crate::model::{Inline, TmxHeader, TranslationUnit};

/// How deep `<hi>` and `<sub>` may nest inside a segment. Real files nest a
/// few levels; the limit keeps hostile input from exhausting the stack.
const MAX_INLINE_DEPTH: usize = 64;

/// How many distinct language attributes are remembered, so that each
/// variant's tag is not parsed again.
const LANG_CACHE: usize = 32;

/// A streaming reader of TMX documents: the header up front, then an
/// iterator of [`TranslationUnit`]s.
///
/// [`TmxReader::new`] reads up to and including `<body>`, so [`header`] and
/// [`version`] are available before the first unit. Each call to `next`
/// parses one `<tu>`; memory use is bounded by the largest unit (plus fixed
/// buffers of a few hundred KiB), not by the file, so a multi-gigabyte TMX
/// reads in a few MB. A single XML token (a text run, a tag, a comment)
/// longer than 64 MiB is refused rather than buffered.
///
/// Speed: a unit of up to 4 MiB made of plain elements, attributes and text
/// (what tools write) is looked at whole in the input buffer and parsed in
/// one pass, without per-event copies; anything else (comments, CDATA,
/// errors) is read by the streaming XML parser, with the same results.
///
/// Input may be UTF-8 (with or without a BOM), UTF-16LE/BE (with a BOM, or
/// recognised from the `<?xml` declaration), or any legacy encoding the
/// declaration names (`ISO-8859-9`, `windows-1254`, …). TMX 1.1 to 1.4 are
/// read: `xml:lang` or `lang`, language codes in any case (`eN-uS` becomes
/// `en-US`).
///
/// XML: character references, CDATA sections, comments and processing
/// instructions are read; a DOCTYPE is accepted and never fetched; entity
/// declarations are refused (no billion laughs, no external entities).
/// Segment text is kept exactly as written; only the line-end normalisation
/// XML requires (`\r\n` → `\n`) applies.
///
/// Errors carry the line and column, and inside a unit its index and tuid.
/// In strict mode (the default) the first error ends the iteration. In
/// lenient mode ([`ReadOptions::lenient`]) a unit that is not valid TMX is
/// skipped and reported in [`warnings`]; XML that is not well-formed still
/// stops the reader, since nothing after it can be trusted.
///
/// Languages: a variant whose language is not a BCP-47 tag is an error in
/// strict mode; in lenient mode the variant is dropped with a warning (and a
/// unit left with no variant is skipped).
///
/// Attributes TMX does not define (`xml:space`, tool extensions) are
/// ignored.
///
/// ```
/// use korpu::formats::tmx::TmxReader;
///
/// let tmx = r#"<?xml version="1.0" encoding="UTF-8"?>
/// <tmx version="1.4">
///   <header creationtool="t" creationtoolversion="1" segtype="sentence"
///           o-tmf="x" adminlang="en" srclang="en" datatype="plaintext"/>
///   <body>
///     <tu tuid="7">
///       <tuv xml:lang="en"><seg>Press <ph x="1">&lt;br/></ph> to go to Şuşa.</seg></tuv>
///       <tuv xml:lang="AZ-latn"><seg>Şuşaya getmək üçün <ph x="1">&lt;br/></ph> basın.</seg></tuv>
///     </tu>
///   </body>
/// </tmx>"#;
/// let mut reader = TmxReader::new(tmx.as_bytes())?;
/// assert_eq!(reader.version(), "1.4");
/// assert_eq!(reader.header().srclang.as_deref(), Some("en"));
/// let units: Vec<_> = reader.by_ref().collect::<Result<_, _>>()?;
/// assert_eq!(units.len(), 1);
/// let az = &units[0].variants[1];
/// assert_eq!(az.lang.as_str(), "az-Latn");
/// assert_eq!(az.segment.text_only(), "Şuşaya getmək üçün  basın.");
/// assert!(reader.warnings().is_empty());
/// # Ok::<(), korpu::Error>(())
/// ```
///
/// [`header`]: TmxReader::header
/// [`version`]: TmxReader::version
/// [`warnings`]: TmxReader::warnings
pub struct TmxReader<R: BufRead> {
    xml: Reader<Utf8Input<R>>,
    buf: Vec<u8>,
    /// The attributes TMX knows of the last start tag.
    attrs: AttrSlots,
    /// Text gathered since the last markup event.
    text: String,
    /// Names of the open elements.
    stack: Vec<El>,
    /// Byte offset (in the UTF-8 stream) where the current event starts.
    event_start: u64,
    /// Set once quick-xml reported an error it cannot recover from.
    fatal: bool,
    done: bool,
    header: TmxHeader,
    version: String,
    options: ReadOptions,
    warnings: Vec<Warning>,
    warnings_dropped: u64,
    path: Option<PathBuf>,
    /// `<tu>` elements met so far (the current one included).
    unit_index: u64,
    lang_cache: Vec<(String, Lang)>,
    header_srclang: Option<Lang>,
    /// Answers of `Lang::matches(variant, source)` already computed.
    match_memo: Vec<(Lang, Lang, bool)>,
    /// Scratch for the check of `<bpt>`/`<ept>` pairs.
    pairs: PairScratch,
    /// Bytes the fast path consumed from the input behind quick-xml's back:
    /// added to quick-xml's positions to give offsets in the UTF-8 stream.
    skipped: u64,
    /// The last event was markup (a start, empty or end tag): quick-xml has
    /// read nothing past it, so the fast path may take over from there.
    boundary: bool,
    /// Whether to try the fast path (off only in tests that compare paths).
    fast: bool,
    /// Units in a row the fast path gave up on. A file whose units all
    /// hold something it cannot read (say a comment each) would pay for a
    /// failed attempt per unit; after a few, it tries only now and then.
    fast_misses: u32,
    /// Scratch copy of the unit the fast path reads.
    span: Vec<u8>,
    /// Scratch vectors for the inline items the fast path is reading, one
    /// per nesting depth.
    inlines: Vec<Vec<Inline>>,
    /// Finds `</tu>` (built once: building costs more than a short search).
    unit_end: memchr::memmem::Finder<'static>,
    /// Units the fast path read (for tests that check it is used).
    #[cfg(test)]
    fast_units: u64,
}

impl TmxReader<BufReader<File>> {
    /// Opens a TMX file and reads its header. Errors name the file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<TmxReader<BufReader<File>>> {
        TmxReader::from_path_with(path, ReadOptions::default())
    }

    /// Opens a TMX file with `options` and reads its header.
    pub fn from_path_with(
        path: impl AsRef<Path>,
        options: ReadOptions,
    ) -> Result<TmxReader<BufReader<File>>> {
        let path = path.as_ref();
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        let mut reader = TmxReader::start(BufReader::new(file), options, Some(path.to_path_buf()))?;
        reader.read_prologue().map_err(|e| e.in_file(path))?;
        Ok(reader)
    }
}

impl<R: BufRead> TmxReader<R> {
    /// Reads the prologue and header of a TMX document from `reader`, in
    /// strict mode.
    pub fn new(reader: R) -> Result<TmxReader<R>> {
        TmxReader::with_options(reader, ReadOptions::default())
    }

    /// Reads the prologue and header of a TMX document with `options`.
    pub fn with_options(reader: R, options: ReadOptions) -> Result<TmxReader<R>> {
        let mut reader = TmxReader::start(reader, options, None)?;
        reader.read_prologue()?;
        Ok(reader)
    }

    fn start(reader: R, options: ReadOptions, path: Option<PathBuf>) -> Result<TmxReader<R>> {
        let input = Utf8Input::new(reader)
            .map_err(|e| Error::Io {
                path: path.clone(),
                source: e,
            })?
            .track_positions(MAX_TOKEN);
        let mut xml = Reader::from_reader(input);
        let config = xml.config_mut();
        config.trim_text(false);
        config.expand_empty_elements = false;
        // End names are checked here, so that a mismatch inside a unit can be
        // recovered from in lenient mode.
        config.check_end_names = false;
        config.allow_unmatched_ends = true;
        config.check_comments = true;
        Ok(TmxReader {
            xml,
            buf: Vec::with_capacity(64 * 1024),
            attrs: AttrSlots::default(),
            text: String::new(),
            stack: Vec::new(),
            event_start: 0,
            fatal: false,
            done: false,
            header: TmxHeader::default(),
            version: String::new(),
            options,
            warnings: Vec::new(),
            warnings_dropped: 0,
            path,
            unit_index: 0,
            lang_cache: Vec::new(),
            header_srclang: None,
            match_memo: Vec::new(),
            pairs: PairScratch::default(),
            skipped: 0,
            boundary: false,
            fast: true,
            fast_misses: 0,
            span: Vec::new(),
            inlines: Vec::new(),
            unit_end: memchr::memmem::Finder::new(b"</tu>"),
            #[cfg(test)]
            fast_units: 0,
        })
    }

    /// Makes the reader lenient (or strict again): see [`ReadOptions::lenient`].
    pub fn lenient(mut self, lenient: bool) -> TmxReader<R> {
        self.options.lenient = lenient;
        self
    }

    /// The document's header, complete from construction on.
    pub fn header(&self) -> &TmxHeader {
        &self.header
    }

    /// The `version` attribute of `<tmx>` as written: `1.1` to `1.4`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The name of the encoding the input was read in (`UTF-8`, `UTF-16LE`,
    /// `windows-1254`, …, as the WHATWG Encoding Standard names them).
    pub fn encoding(&self) -> &'static str {
        self.xml.get_ref().encoding().name()
    }

    /// The number of `<tu>` elements met so far, skipped ones included.
    pub fn units_seen(&self) -> u64 {
        self.unit_index
    }

    /// Warnings gathered so far (oldest first): suspicious but readable
    /// content, and in lenient mode the units that were skipped.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// Takes the warnings gathered so far, leaving none. Draining as you go
    /// keeps memory flat on files with many warnings.
    pub fn drain_warnings(&mut self) -> Vec<Warning> {
        std::mem::take(&mut self.warnings)
    }

    /// How many warnings were dropped because more than
    /// [`ReadOptions::max_warnings`] were pending.
    pub fn warnings_dropped(&self) -> u64 {
        self.warnings_dropped
    }
}

impl<R: BufRead> Iterator for TmxReader<R> {
    type Item = Result<TranslationUnit>;

    /// Reads the next unit. After an error in strict mode, or a fatal one in
    /// lenient mode, the iterator ends.
    fn next(&mut self) -> Option<Result<TranslationUnit>> {
        self.next_unit()
    }
}

impl<R: BufRead> std::iter::FusedIterator for TmxReader<R> {}

/// Small TMX documents for the reader's tests.
#[cfg(test)]
mod test_docs {
    use super::TmxReader;
    use crate::error::Result;
    use crate::model::TranslationUnit;

    const HEADER: &str = r#"<header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="en" datatype="plaintext"/>"#;

    pub(super) fn doc(body: &str) -> String {
        format!("<?xml version=\"1.0\"?>\n<tmx version=\"1.4\">\n{HEADER}\n<body>\n{body}\n</body>\n</tmx>\n")
    }

    pub(super) fn read(text: &str) -> Result<Vec<TranslationUnit>> {
        TmxReader::new(text.as_bytes())?.collect()
    }

    pub(super) fn seg_text(unit: &TranslationUnit, n: usize) -> String {
        unit.variants[n].segment.text_only()
    }
}
