//! The byte source under the XML parser: encoding detection, transcoding to
//! UTF-8, and line/column tracking in bounded memory.
//!
//! quick-xml only sees UTF-8. A UTF-8 file passes through untouched (its BOM
//! dropped); UTF-16 (with a BOM, or recognised from `<?xml` without one) and
//! declared legacy encodings are decoded with `encoding_rs` chunk by chunk.
//!
//! Positions reported by quick-xml are byte offsets in the UTF-8 stream. To
//! turn one into a line and column without keeping the whole file, the source
//! keeps the bytes consumed since the last *checkpoint*, and folds them into a
//! running line/column count once they pass 1 MiB. Callers checkpoint before
//! each event, so every position they ask about is still held.

use std::io::{self, BufRead, Read};

use encoding_rs::{DecoderResult, Encoding, UTF_8, UTF_16BE, UTF_16LE};

const CHUNK: usize = 64 * 1024;
const FOLD_AT: usize = 1024 * 1024;

/// The longest single XML token (a text run, a tag, a comment) read: beyond
/// it the input is refused, so one hostile token cannot exhaust memory.
pub(crate) const MAX_TOKEN: u64 = 64 * 1024 * 1024;

/// A `BufRead` of UTF-8 bytes over any byte source.
pub(crate) struct Input<R> {
    inner: R,
    decoder: Option<Transcoder>,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    eof: bool,
    /// The encoding the input was read as.
    encoding: &'static Encoding,
    // Position tracking: `retained` holds the bytes from `base_offset` up to
    // `window_offset`, where `buf` starts; `base_line`/`base_col` are the
    // position of `base_offset`. Bytes join `retained` a whole buffer at a time.
    retained: Vec<u8>,
    window_offset: u64,
    /// The last checkpoint: where the token being read starts.
    token_start: u64,
    base_offset: u64,
    base_line: u64,
    base_col: u64,
    /// Set when the input is not valid in its encoding; the message for the error.
    pub(crate) decode_error: Option<String>,
}

struct Transcoder {
    decoder: encoding_rs::Decoder,
    raw: Vec<u8>,
    raw_pos: usize,
    raw_end: usize,
    raw_eof: bool,
}

impl<R: Read> Input<R> {
    /// Sniffs the encoding from the first bytes (BOM, then the XML
    /// declaration) and prepares to read UTF-8.
    pub(crate) fn new(mut inner: R) -> io::Result<Input<R>> {
        // Read the head: enough for the BOM and a declaration.
        let mut head = vec![0u8; CHUNK];
        let mut filled = 0;
        let mut eof = false;
        while filled < 1024 {
            match inner.read(&mut head[filled..]) {
                Ok(0) => {
                    eof = true;
                    break;
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        head.truncate(filled);
        let (encoding, bom_len) = sniff(&head);
        let mut input = Input {
            inner,
            decoder: None,
            buf: Vec::new(),
            pos: 0,
            end: 0,
            eof: false,
            encoding,
            retained: Vec::new(),
            window_offset: 0,
            token_start: 0,
            base_offset: 0,
            base_line: 1,
            base_col: 1,
            decode_error: None,
        };
        if encoding == UTF_8 {
            head.drain(..bom_len);
            input.end = head.len();
            head.resize(head.len().max(CHUNK), 0);
            input.buf = head;
            input.eof = eof;
        } else {
            head.drain(..bom_len);
            let raw_end = head.len();
            head.resize(head.len().max(CHUNK), 0);
            input.decoder = Some(Transcoder {
                decoder: encoding.new_decoder_without_bom_handling(),
                raw: head,
                raw_pos: 0,
                raw_end,
                raw_eof: eof,
            });
            input.buf = vec![0; CHUNK * 3 + 16];
        }
        Ok(input)
    }

    /// The encoding the input is read as (`UTF-8` when it needs no decoding).
    pub(crate) fn encoding(&self) -> &'static Encoding {
        self.encoding
    }

    fn refill(&mut self) -> io::Result<()> {
        // The buffer is used up: keep its bytes for line/column counting.
        self.retained.extend_from_slice(&self.buf[..self.end]);
        self.window_offset += self.end as u64;
        self.pos = 0;
        self.end = 0;
        let Some(t) = self.decoder.as_mut() else {
            if self.eof {
                return Ok(());
            }
            loop {
                match self.inner.read(&mut self.buf) {
                    Ok(n) => {
                        self.end = n;
                        self.eof = n == 0;
                        return Ok(());
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
        };
        loop {
            if self.eof {
                return Ok(());
            }
            if t.raw_pos == t.raw_end && !t.raw_eof {
                t.raw_pos = 0;
                t.raw_end = loop {
                    match self.inner.read(&mut t.raw) {
                        Ok(n) => break n,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => return Err(e),
                    }
                };
                t.raw_eof = t.raw_end == 0;
            }
            let last = t.raw_eof;
            let (result, read, written) = t.decoder.decode_to_utf8_without_replacement(
                &t.raw[t.raw_pos..t.raw_end],
                &mut self.buf,
                last,
            );
            t.raw_pos += read;
            self.end = written;
            match result {
                DecoderResult::InputEmpty => self.eof = last,
                DecoderResult::OutputFull => {}
                DecoderResult::Malformed(_, _) => {
                    // Hand out what decoded cleanly; the error comes when it is used up.
                    let msg = format!("input is not valid {}", self.encoding.name());
                    self.decode_error = Some(msg.clone());
                    self.eof = true;
                    if written == 0 {
                        return Err(io::Error::new(io::ErrorKind::InvalidData, msg));
                    }
                    return Ok(());
                }
            }
            if self.end > 0 {
                return Ok(());
            }
        }
    }

    /// Drops line/column history before byte `offset` (the start of the next
    /// event) once enough has been retained. Positions asked about later must
    /// be at or after the last checkpoint.
    pub(crate) fn checkpoint(&mut self, offset: u64) {
        self.token_start = offset;
        let upto = offset.min(self.window_offset).saturating_sub(self.base_offset) as usize;
        if upto >= FOLD_AT {
            let (line, col) = advance(self.base_line, self.base_col, &self.retained[..upto]);
            self.base_line = line;
            self.base_col = col;
            self.base_offset += upto as u64;
            self.retained.drain(..upto);
        }
    }

    /// The 1-based line and column (in characters) of byte `offset` of the
    /// UTF-8 stream; offsets before the last checkpoint report the checkpoint.
    pub(crate) fn line_col(&self, offset: u64) -> (u64, u64) {
        let in_retained = (offset.saturating_sub(self.base_offset) as usize).min(self.retained.len());
        let (line, col) = advance(self.base_line, self.base_col, &self.retained[..in_retained]);
        let in_window = (offset.saturating_sub(self.window_offset) as usize).min(self.pos);
        advance(line, col, &self.buf[..in_window])
    }
}

/// Line and column after reading `bytes` from `line`:`col`.
fn advance(line: u64, col: u64, bytes: &[u8]) -> (u64, u64) {
    let newlines = memchr::memchr_iter(b'\n', bytes).count() as u64;
    let (tail, col) = match memchr::memrchr(b'\n', bytes) {
        Some(i) => (&bytes[i + 1..], 1),
        None => (bytes, col),
    };
    let chars = tail.iter().filter(|&&b| b & 0xC0 != 0x80).count() as u64;
    (line + newlines, col + chars)
}

/// The encoding of a document from its first bytes, and the length of its BOM.
fn sniff(head: &[u8]) -> (&'static Encoding, usize) {
    if head.starts_with(b"\xEF\xBB\xBF") {
        return (UTF_8, 3);
    }
    if head.starts_with(b"\xFF\xFE") {
        return (UTF_16LE, 2);
    }
    if head.starts_with(b"\xFE\xFF") {
        return (UTF_16BE, 2);
    }
    if head.starts_with(b"<\0?\0") {
        return (UTF_16LE, 0);
    }
    if head.starts_with(b"\0<\0?") {
        return (UTF_16BE, 0);
    }
    (declared_encoding(head).unwrap_or(UTF_8), 0)
}

/// The `encoding` pseudo-attribute of an ASCII-compatible XML declaration.
/// A declared UTF-16 on bytes that are not UTF-16 is ignored (the bytes win).
fn declared_encoding(head: &[u8]) -> Option<&'static Encoding> {
    let decl = head.strip_prefix(b"<?xml")?;
    let end = memchr::memmem::find(decl, b"?>")?;
    let decl = &decl[..end];
    let at = memchr::memmem::find(decl, b"encoding")?;
    let rest = &decl[at + "encoding".len()..];
    let rest = rest.trim_ascii_start().strip_prefix(b"=")?.trim_ascii_start();
    let quote = *rest.first()?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let value = &rest[1..];
    let value = &value[..memchr::memchr(quote, value)?];
    let encoding = Encoding::for_label(value)?;
    if encoding == UTF_16LE || encoding == UTF_16BE || encoding.output_encoding() != encoding {
        // UTF-16 without a BOM on ASCII-looking bytes, or `replacement`: not decodable as declared.
        return None;
    }
    Some(encoding)
}

impl<R: Read> Read for Input<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Input<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos == self.end {
            if let Some(msg) = &self.decode_error {
                return Err(io::Error::new(io::ErrorKind::InvalidData, msg.clone()));
            }
            if self.window_offset + self.end as u64 - self.token_start > MAX_TOKEN {
                let msg = format!("an XML token longer than {} MiB", MAX_TOKEN >> 20);
                self.decode_error = Some(msg.clone());
                return Err(io::Error::new(io::ErrorKind::InvalidData, msg));
            }
            self.refill()?;
        }
        Ok(&self.buf[self.pos..self.end])
    }

    fn consume(&mut self, amt: usize) {
        self.pos += amt.min(self.end - self.pos);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(bytes: &[u8]) -> io::Result<(String, &'static str)> {
        let mut input = Input::new(bytes)?;
        let mut out = String::new();
        input.read_to_string(&mut out)?;
        Ok((out, input.encoding().name()))
    }

    fn utf16(text: &str, le: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend_from_slice(if le { b"\xFF\xFE" } else { b"\xFE\xFF" });
        }
        for u in text.encode_utf16() {
            out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        out
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(
            read_all(b"\xEF\xBB\xBF<a>\xC5\x9F</a>").unwrap(),
            ("<a>ş</a>".into(), "UTF-8")
        );
        assert_eq!(
            read_all("<a>ə</a>".as_bytes()).unwrap(),
            ("<a>ə</a>".into(), "UTF-8")
        );
    }

    #[test]
    fn utf16_both_orders_with_and_without_bom() {
        let doc = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><a>Şuşa 😀</a>";
        for (le, bom) in [(true, true), (false, true), (true, false), (false, false)] {
            let (text, _) = read_all(&utf16(doc, le, bom)).unwrap();
            assert_eq!(text, doc, "le={le} bom={bom}");
        }
    }

    #[test]
    fn declared_legacy_encodings_are_decoded() {
        let mut doc = b"<?xml version='1.0' encoding='ISO-8859-9'?><a>".to_vec();
        doc.extend_from_slice(&[0xDE, 0xFD, 0xF0]); // Ş ı ğ in Latin-5
        doc.extend_from_slice(b"</a>");
        let (text, name) = read_all(&doc).unwrap();
        assert!(text.ends_with("<a>Şığ</a>"), "{text}");
        assert_eq!(name, "windows-1254");
        let doc = b"<?xml version=\"1.0\" encoding=\"windows-1251\"?><a>\xD8\xF3\xF8\xE0</a>";
        assert!(read_all(doc).unwrap().0.contains("Шуша"));
    }

    #[test]
    fn big_utf16_input_decodes_across_chunks() {
        let body = "ğüşiöçı əx ".repeat(40_000);
        let doc = format!("<a>{body}</a>");
        let (text, _) = read_all(&utf16(&doc, true, true)).unwrap();
        assert_eq!(text, doc);
    }

    #[test]
    fn malformed_utf16_is_an_error() {
        let mut doc = utf16("<a>x", true, true);
        doc.extend_from_slice(&[0x00, 0xD8, b'a', 0]); // lone high surrogate
        let err = read_all(&doc).unwrap_err();
        assert!(err.to_string().contains("not valid UTF-16LE"), "{err}");
    }

    #[test]
    fn line_and_column_count_characters() {
        let doc = "ab\nşə\nxyz";
        let mut input = Input::new(doc.as_bytes()).unwrap();
        let mut s = String::new();
        input.read_to_string(&mut s).unwrap();
        assert_eq!(input.line_col(0), (1, 1));
        assert_eq!(input.line_col(3), (2, 1));
        assert_eq!(input.line_col(7), (2, 3));
        assert_eq!(input.line_col(8), (3, 1));
    }

    #[test]
    fn checkpoints_keep_counts_right_past_the_fold() {
        let line = "şəx\n";
        let doc = line.repeat(400_000); // 6 bytes a line, 2.4 MB
        let mut input = Input::new(doc.as_bytes()).unwrap();
        let mut offset = 0u64;
        let mut buf = [0u8; 6000];
        loop {
            let n = input.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            offset += n as u64;
            input.checkpoint(offset);
        }
        let last = doc.len() as u64 - 2; // the 'x' of the last line
        assert_eq!(input.line_col(last), (400_000, 3));
    }
}
