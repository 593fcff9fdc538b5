//! Byte input → UTF-8, and byte offsets → line and column, for the text
//! formats (TBX, delimited glossaries).
//!
//! [`TranscodingReader`] sniffs a byte-order mark (UTF-8, UTF-16LE/BE), or an
//! encoding named by the caller, and yields UTF-8 through `BufRead`. Plain UTF-8
//! input is passed through without a copy. [`LineTracker`] wraps any `BufRead`
//! and counts lines and characters of what its consumer consumed, so a parser
//! that only knows byte offsets can report `line:column`.

use std::io::{self, BufRead, Read};

use encoding_rs::{DecoderResult, Encoding, UTF_8, UTF_16BE, UTF_16LE};

use crate::error::Location;

/// How many bytes are decoded per refill when transcoding.
const CHUNK: usize = 16 * 1024;

/// A `BufRead` of UTF-8 over input in UTF-8 (BOM or not) or UTF-16 (with BOM),
/// or another encoding the caller names.
pub(crate) struct TranscodingReader<R> {
    inner: R,
    decoder: Option<encoding_rs::Decoder>,
    /// Decoded bytes not yet consumed: `out[pos..len]`.
    out: Vec<u8>,
    pos: usize,
    len: usize,
    raw: Vec<u8>,
    eof: bool,
    encoding: &'static Encoding,
}

impl<R: BufRead> TranscodingReader<R> {
    /// Sniffs the BOM of `inner` (consuming it) and decodes accordingly. Without
    /// a BOM, input is UTF-8 unless it starts like UTF-16 XML (`<\0` / `\0<`), or
    /// `fallback` names another encoding.
    pub(crate) fn new(mut inner: R, fallback: Option<&'static Encoding>) -> io::Result<Self> {
        let head = fill_at_least(&mut inner, 4)?;
        let (encoding, bom) = if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
            (UTF_8, 3)
        } else if head.starts_with(&[0xFF, 0xFE]) {
            (UTF_16LE, 2)
        } else if head.starts_with(&[0xFE, 0xFF]) {
            (UTF_16BE, 2)
        } else if head.starts_with(&[b'<', 0, b'?', 0]) || head.starts_with(&[b'<', 0, b'!', 0]) {
            (UTF_16LE, 0)
        } else if head.starts_with(&[0, b'<', 0, b'?']) || head.starts_with(&[0, b'<', 0, b'!']) {
            (UTF_16BE, 0)
        } else {
            (fallback.unwrap_or(UTF_8), 0)
        };
        inner.consume(bom);
        let decoder = (encoding != UTF_8).then(|| encoding.new_decoder_without_bom_handling());
        Ok(TranscodingReader {
            inner,
            decoder,
            out: Vec::new(),
            pos: 0,
            len: 0,
            raw: Vec::new(),
            eof: false,
            encoding,
        })
    }

    /// Switches a UTF-8 pass-through reader to `encoding` (from an XML
    /// declaration), for input not yet consumed. No effect once transcoding.
    pub(crate) fn switch_to(&mut self, encoding: &'static Encoding) {
        if self.decoder.is_none() && encoding != UTF_8 && encoding != self.encoding {
            self.encoding = encoding;
            self.decoder = Some(encoding.new_decoder_without_bom_handling());
        }
    }
}

/// Returns up to `n` bytes of lookahead without consuming them.
fn fill_at_least<R: BufRead>(inner: &mut R, n: usize) -> io::Result<Vec<u8>> {
    let buf = inner.fill_buf()?;
    Ok(buf[..buf.len().min(n)].to_vec())
}

impl<R: BufRead> Read for TranscodingReader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(out.len());
        out[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for TranscodingReader<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        let Some(decoder) = self.decoder.as_mut() else {
            return self.inner.fill_buf();
        };
        while self.pos == self.len && !self.eof {
            self.raw.clear();
            let got = {
                let src = self.inner.fill_buf()?;
                let take = src.len().min(CHUNK);
                self.raw.extend_from_slice(&src[..take]);
                take
            };
            self.inner.consume(got);
            let last = got == 0;
            let need = decoder
                .max_utf8_buffer_length_without_replacement(got)
                .unwrap_or(CHUNK * 3)
                + 16;
            self.out.resize(need, 0);
            let (result, read, written) =
                decoder.decode_to_utf8_without_replacement(&self.raw, &mut self.out, last);
            match result {
                DecoderResult::InputEmpty if read == got => {}
                DecoderResult::Malformed(..) => {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("malformed {} input", self.encoding.name()),
                    ));
                }
                // The output was sized for the worst case, so this cannot happen.
                _ => return Err(io::Error::other("decoder output buffer too small")),
            }
            self.pos = 0;
            self.len = written;
            self.eof = last;
        }
        Ok(&self.out[self.pos..self.len])
    }

    fn consume(&mut self, amt: usize) {
        if self.decoder.is_none() {
            self.inner.consume(amt);
        } else {
            self.pos = (self.pos + amt).min(self.len);
        }
    }
}

/// Counts lines and columns of the bytes its consumer consumes.
///
/// Bytes consumed since the last [`mark`](LineTracker::mark) are kept, so that
/// any offset at or after the mark can be turned into a line and column. Memory
/// is bounded by the distance between marks (one parser event), and that
/// distance by [`MAX_PENDING`]: a longer stretch (a 1 GB text node) is an
/// error, not an allocation.
pub(crate) const MAX_PENDING: usize = 32 * 1024 * 1024;

pub(crate) struct LineTracker<R> {
    inner: R,
    /// Line and column (1-based, in chars) at `marked`.
    line: u64,
    column: u64,
    marked: u64,
    pending: Vec<u8>,
}

impl<R> LineTracker<R> {
    pub(crate) fn new(inner: R) -> Self {
        LineTracker {
            inner,
            line: 1,
            column: 1,
            marked: 0,
            pending: Vec::new(),
        }
    }

    pub(crate) fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }

    #[cfg(test)]
    pub(crate) fn pending_capacity(&self) -> usize {
        self.pending.capacity()
    }

    /// Declares that offsets before `offset` will not be asked about again.
    pub(crate) fn mark(&mut self, offset: u64) {
        let n = (offset.saturating_sub(self.marked) as usize).min(self.pending.len());
        let (line, column) = advance(self.line, self.column, &self.pending[..n]);
        self.line = line;
        self.column = column;
        self.pending.drain(..n);
        self.marked += n as u64;
    }

    /// The location of byte `offset` of the input (clamped to what has been
    /// consumed since the last mark).
    pub(crate) fn location(&self, offset: u64) -> Location {
        let n = (offset.saturating_sub(self.marked) as usize).min(self.pending.len());
        let (line, column) = advance(self.line, self.column, &self.pending[..n]);
        Location::new(line, column)
    }
}

/// Moves a line/column over `bytes` (UTF-8; columns count chars; CR LF and lone
/// CR end lines as in XML).
fn advance(line: u64, column: u64, bytes: &[u8]) -> (u64, u64) {
    // Most calls cover one tag or indentation: a plain loop beats three
    // memchr set-ups there.
    if bytes.len() < 64 || memchr::memchr(b'\r', bytes).is_some() {
        return advance_slow(line, column, bytes);
    }
    // Fast path: count line feeds with memchr, then chars on the last line.
    let newlines = memchr::memchr_iter(b'\n', bytes).count() as u64;
    let (tail, column) = match memchr::memrchr(b'\n', bytes) {
        Some(i) => (&bytes[i + 1..], 1),
        None => (bytes, column),
    };
    let chars = tail.iter().filter(|&&b| !(0x80..=0xBF).contains(&b)).count() as u64;
    (line + newlines, column + chars)
}

fn advance_slow(mut line: u64, mut column: u64, bytes: &[u8]) -> (u64, u64) {
    let mut prev_cr = false;
    for &b in bytes {
        match b {
            b'\n' if prev_cr => {}
            b'\n' | b'\r' => {
                line += 1;
                column = 1;
            }
            0x80..=0xBF => {}
            _ => column += 1,
        }
        prev_cr = b == b'\r';
    }
    (line, column)
}

impl<R: Read> Read for LineTracker<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(out)?;
        self.pending.extend_from_slice(&out[..n]);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for LineTracker<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pending.len() > MAX_PENDING {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "a single XML token (tag or text) is longer than {} MiB",
                    MAX_PENDING >> 20
                ),
            ));
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if let Ok(buf) = self.inner.fill_buf() {
            let n = amt.min(buf.len());
            self.pending.extend_from_slice(&buf[..n]);
        }
        self.inner.consume(amt);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(bytes: &[u8]) -> String {
        let mut r = TranscodingReader::new(bytes, None).unwrap();
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        s
    }

    #[test]
    fn utf8_bom_is_skipped() {
        assert_eq!(decode_all(b"\xEF\xBB\xBFa\xC5\x9F"), "aş");
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in "Qarabağ Şuşa 😀".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode_all(&le), "Qarabağ Şuşa 😀");
        assert_eq!(decode_all(&be), "Qarabağ Şuşa 😀");
    }

    #[test]
    fn lone_surrogate_is_an_error() {
        let bytes = [0xFF, 0xFE, 0x41, 0x00, 0x00, 0xD8, 0x41, 0x00];
        let mut r = TranscodingReader::new(&bytes[..], None).unwrap();
        let mut s = String::new();
        assert!(r.read_to_string(&mut s).is_err());
    }

    proptest::proptest! {
        /// The memchr fast path counts exactly as the byte loop does.
        #[test]
        fn fast_and_slow_line_counting_agree(text in "[a\\nş\\tə<>]{0,300}", line in 1u64..5, col in 1u64..9) {
            let bytes = text.as_bytes();
            proptest::prop_assert_eq!(advance(line, col, bytes), advance_slow(line, col, bytes));
        }
    }

    #[test]
    fn tracker_refuses_an_endless_token() {
        let big = vec![b'a'; MAX_PENDING + 2 * CHUNK];
        let mut t = LineTracker::new(io::BufReader::with_capacity(CHUNK, &big[..]));
        let mut s = Vec::new();
        let e = t.read_until(b'<', &mut s).unwrap_err();
        assert!(e.to_string().contains("longer than 32 MiB"), "{e}");
    }

    #[test]
    fn tracker_counts_chars_and_crlf() {
        let mut t = LineTracker::new(&b"ab\r\n\xC5\x9Fx\ry"[..]);
        let mut s = String::new();
        t.read_to_string(&mut s).unwrap();
        assert_eq!(t.location(0), Location::new(1, 1));
        assert_eq!(t.location(6), Location::new(2, 2)); // 'x' after 'ş'
        t.mark(4);
        assert_eq!(t.location(8), Location::new(3, 1)); // 'y'
    }
}
