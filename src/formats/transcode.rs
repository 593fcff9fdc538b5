//! Bytes → UTF-8 under the XML and delimited-text parsers, with encoding
//! detection and byte offset → line:column in bounded memory.
//!
//! [`Utf8Input`] is the one byte source every text format reads through
//! (TMX, TBX, TSV/CSV). It sniffs the encoding from the first bytes — a BOM
//! (UTF-8, UTF-16LE/BE), UTF-16 without a BOM (`<\0?\0`, `\0<\0?`, and the
//! `<!` forms), else the `encoding="…"` of an XML declaration (any label
//! `encoding_rs` knows: ISO-8859-x, windows-125x, …), else UTF-8 — and yields
//! UTF-8 through [`BufRead`]. UTF-8 input is handed out as read (its BOM
//! dropped), without a transcoding copy; other encodings are decoded chunk by
//! chunk with `decode_to_utf8_without_replacement`, so malformed input is an
//! error, never U+FFFD. It does not check that UTF-8 input is valid UTF-8:
//! the parser above does that where it builds strings.
//!
//! Parsers report byte offsets in the UTF-8 stream. With
//! [`track_positions`](Utf8Input::track_positions) the input also turns them
//! into a line and column: the parser calls
//! [`checkpoint`](Utf8Input::checkpoint) with the offset where each token
//! (event) starts, and may then ask [`location`](Utf8Input::location) about
//! any offset at or after the last checkpoint. Lines and columns of the bytes
//! before the checkpoint are folded into a running count when the buffer is
//! refilled, so the only bytes kept are those of the current token; a token
//! longer than the limit given is an error, not an allocation.
//!
//! ```text
//! let input = Utf8Input::new(file)?.track_positions(MAX_TOKEN);
//! let mut xml = quick_xml::Reader::from_reader(input);
//! loop {
//!     let start = xml.buffer_position();
//!     xml.get_mut().checkpoint(start);
//!     match xml.read_event_into(&mut buf) { /* … */ }
//!     // on an error: xml.get_ref().location(start) → line:column
//! }
//! ```

use std::cell::Cell;
use std::io::{self, BufRead, Read};

use encoding_rs::{DecoderResult, Encoding, UTF_8, UTF_16BE, UTF_16LE};

use crate::error::Location;

/// Bytes read from the source per refill (and decoded bytes handed out per
/// refill when transcoding).
const CHUNK: usize = 64 * 1024;

/// How many bytes are looked at to find the encoding (BOM and declaration).
const HEAD: usize = 1024;

/// The default limit on one XML token (a text run, a tag, a comment) for
/// position-tracking readers: one hostile token cannot exhaust memory.
pub(crate) const MAX_TOKEN: u64 = 64 * 1024 * 1024;

/// A [`BufRead`] of UTF-8 over bytes in UTF-8, UTF-16 or a declared legacy
/// encoding; optionally tracks line and column (see the module docs).
///
/// Memory: one 64 KiB buffer (two when transcoding) plus, when tracking, the
/// bytes of the token being read.
pub(crate) struct Utf8Input<R> {
    inner: R,
    decoder: Option<Transcoder>,
    /// UTF-8 bytes; `buf[pos..end]` is not yet consumed.
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    eof: bool,
    encoding: &'static Encoding,
    /// The input began with a byte order mark (dropped from the output).
    bom: bool,
    /// Set when the input is not valid in its encoding, or a token is too
    /// long: the message of the error, returned again on every later read.
    error: Option<String>,
    /// An error of the source met while looking ahead
    /// ([`fill_more`](Utf8Input::fill_more)); returned by the next refill, so
    /// it surfaces where a plain reader would have met it.
    pending: Option<io::Error>,
    track: Option<Tracker>,
}

struct Transcoder {
    decoder: encoding_rs::Decoder,
    raw: Vec<u8>,
    raw_pos: usize,
    raw_end: usize,
    raw_eof: bool,
}

/// Line/column state. `retained` holds the bytes from `base.offset` up to
/// `window_offset`, where `buf` starts; `base` is the position of its first
/// byte. `cache` is the last position computed, reused when a later offset is
/// asked about, so asking at every event costs the event's length.
struct Tracker {
    max_token: u64,
    too_long: bool,
    retained: Vec<u8>,
    window_offset: u64,
    token_start: u64,
    base: Pos,
    cache: Cell<Pos>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Pos {
    offset: u64,
    line: u64,
    column: u64,
    /// The byte before was a CR (a LF right after it ends no further line).
    after_cr: bool,
}

impl<R: Read> Utf8Input<R> {
    /// Sniffs the encoding from the first bytes of `inner` (see the module
    /// docs) and prepares to hand out UTF-8. Reads up to 1 KiB ahead; fails
    /// only if that read fails. Positions are not tracked.
    pub(crate) fn new(mut inner: R) -> io::Result<Self> {
        let mut head = vec![0u8; CHUNK];
        let mut filled = 0;
        let mut eof = false;
        while filled < HEAD {
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
        head.drain(..bom_len);
        let mut input = Utf8Input {
            inner,
            decoder: None,
            buf: Vec::new(),
            pos: 0,
            end: 0,
            eof: false,
            encoding,
            bom: bom_len > 0,
            error: None,
            pending: None,
            track: None,
        };
        let len = head.len();
        head.resize(len.max(CHUNK), 0);
        if encoding == UTF_8 {
            input.buf = head;
            input.end = len;
            input.eof = eof;
        } else {
            input.decoder = Some(Transcoder {
                decoder: encoding.new_decoder_without_bom_handling(),
                raw: head,
                raw_pos: 0,
                raw_end: len,
                raw_eof: eof,
            });
            input.buf = vec![0; CHUNK];
        }
        Ok(input)
    }

    /// Turns on line/column tracking (see the module docs), refusing any
    /// token longer than `max_token` bytes. Call before reading.
    pub(crate) fn track_positions(mut self, max_token: u64) -> Self {
        let start = Pos {
            offset: 0,
            line: 1,
            column: 1,
            after_cr: false,
        };
        self.track = Some(Tracker {
            max_token,
            too_long: false,
            retained: Vec::new(),
            window_offset: 0,
            token_start: 0,
            base: start,
            cache: Cell::new(start),
        });
        self
    }

    /// The encoding the input is read as (`UTF-8` when it needs no decoding).
    pub(crate) fn encoding(&self) -> &'static Encoding {
        self.encoding
    }

    /// Whether the input began with a byte order mark (UTF-8 or UTF-16).
    pub(crate) fn has_bom(&self) -> bool {
        self.bom
    }

    /// Why reading failed, if it failed for a reason of the input's own (not
    /// valid in its encoding, or a token too long), rather than of the source.
    pub(crate) fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Whether reading failed because a token was longer than the limit (the
    /// error then belongs where the token starts, not where reading stopped).
    pub(crate) fn token_too_long(&self) -> bool {
        self.error.is_some() && self.track.as_ref().is_some_and(|t| t.too_long)
    }

    /// Declares that byte `offset` (of the UTF-8 stream) starts the next
    /// token: later [`location`](Self::location)s are at or after it, and
    /// bytes before it need not be kept. O(1). No effect without tracking.
    pub(crate) fn checkpoint(&mut self, offset: u64) {
        if let Some(t) = self.track.as_mut() {
            t.token_start = t.token_start.max(offset);
        }
    }

    /// The line and column (1-based; columns count chars; CR LF, CR and LF
    /// end lines) of byte `offset` of the UTF-8 stream. Offsets before the
    /// last checkpoint give the checkpoint's, offsets past what was read give
    /// the end of what was read. Costs the distance from the last offset
    /// asked about (or the last refill). Always 1:1 without tracking.
    pub(crate) fn location(&self, offset: u64) -> Location {
        match &self.track {
            Some(t) => {
                let p = t.position(offset, &self.buf[..self.end]);
                Location::new(p.line, p.column)
            }
            None => Location::new(1, 1),
        }
    }

    /// Capacity of the buffers that grow with the input (for tests of
    /// bounded memory).
    #[cfg(test)]
    pub(crate) fn retained_capacity(&self) -> usize {
        self.track.as_ref().map_or(0, |t| t.retained.capacity())
    }

    fn fail(&mut self, message: String) -> io::Error {
        self.eof = true;
        self.error = Some(message.clone());
        io::Error::new(io::ErrorKind::InvalidData, message)
    }

    /// The bytes buffered and not yet consumed, without reading.
    pub(crate) fn buffered(&self) -> &[u8] {
        &self.buf[self.pos..self.end]
    }

    /// Reads more input behind the bytes already buffered, keeping them, so
    /// that a parser can look ahead over up to `max` unconsumed bytes before
    /// deciding how to consume them. The buffer grows as needed up to `max`
    /// (amortised: each call at least doubles what is looked at or reaches
    /// the end).
    ///
    /// Returns `false` when nothing was added: the end of the input, `max`
    /// reached, or an error — which is kept and returned by the read that
    /// would have met it, so looking ahead never changes what a plain reader
    /// sees.
    pub(crate) fn fill_more(&mut self, max: usize) -> bool {
        if self.eof || self.error.is_some() || self.pending.is_some() || self.end - self.pos >= max {
            return false;
        }
        if self.pos > 0 {
            // Slide the window: the consumed bytes leave the buffer (the
            // tracker folds or retains them as on a refill).
            if let Some(t) = self.track.as_mut() {
                t.slide(&self.buf[..self.pos]);
            }
            self.buf.copy_within(self.pos..self.end, 0);
            self.end -= self.pos;
            self.pos = 0;
        }
        // Room for a good read (and for any decoded character).
        if self.buf.len() - self.end < CHUNK / 2 {
            let len = (self.buf.len() * 2).min(max.max(CHUNK) + CHUNK);
            if len - self.end < 16 {
                return false;
            }
            self.buf.resize(len, 0);
        }
        let before = self.end;
        match self.read_more() {
            Ok(()) => self.end > before,
            Err(e) => {
                self.pending = Some(e);
                false
            }
        }
    }

    fn refill(&mut self) -> io::Result<()> {
        if let Some(t) = self.track.as_mut() {
            t.slide(&self.buf[..self.end]);
        }
        self.pos = 0;
        self.end = 0;
        if let Some(e) = self.pending.take() {
            return Err(e);
        }
        self.read_more()
    }

    /// Reads (and decodes) input into `buf[end..]`, which must have room
    /// for a character; adds nothing only at the end of the input or on an
    /// error.
    fn read_more(&mut self) -> io::Result<()> {
        let Some(t) = self.decoder.as_mut() else {
            if self.eof {
                return Ok(());
            }
            loop {
                match self.inner.read(&mut self.buf[self.end..]) {
                    Ok(n) => {
                        self.end += n;
                        self.eof = n == 0;
                        return Ok(());
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
        };
        while !self.eof {
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
                &mut self.buf[self.end..],
                last,
            );
            t.raw_pos += read;
            self.end += written;
            match result {
                DecoderResult::InputEmpty => self.eof = last,
                DecoderResult::OutputFull => {}
                DecoderResult::Malformed(..) => {
                    // Hand out what decoded cleanly; the error comes when it is used up.
                    let err = self.fail(format!("input is not valid {}", self.encoding.name()));
                    return if written == 0 { Err(err) } else { Ok(()) };
                }
            }
            if written > 0 {
                break;
            }
        }
        Ok(())
    }
}

impl Tracker {
    /// The buffer holding `window` is about to be refilled: folds the bytes
    /// before the token start into `base` and keeps the rest.
    fn slide(&mut self, window: &[u8]) {
        let start = self.position(self.token_start, window);
        let dropped = ((start.offset - self.base.offset) as usize).min(self.retained.len());
        self.retained.drain(..dropped);
        let from = (start.offset.saturating_sub(self.window_offset) as usize).min(window.len());
        self.retained.extend_from_slice(&window[from..]);
        self.window_offset += window.len() as u64;
        self.base = start;
        self.cache.set(start);
    }

    /// The position of `offset`; `window` is the buffer, at `window_offset`.
    fn position(&self, offset: u64, window: &[u8]) -> Pos {
        let window_end = self.window_offset + window.len() as u64;
        let offset = offset.clamp(self.base.offset, window_end.max(self.base.offset));
        let cached = self.cache.get();
        let mut p = if (self.base.offset..=offset).contains(&cached.offset) {
            cached
        } else {
            self.base
        };
        if p.offset < self.window_offset {
            let lo = (p.offset - self.base.offset) as usize;
            let hi = (offset.min(self.window_offset) - self.base.offset) as usize;
            p = p.advance(&self.retained[lo..hi]);
        }
        if offset > p.offset {
            let lo = (p.offset - self.window_offset) as usize;
            let hi = (offset - self.window_offset) as usize;
            p = p.advance(&window[lo..hi]);
        }
        self.cache.set(p);
        p
    }
}

impl Pos {
    /// The position after `bytes` (UTF-8) read from here.
    fn advance(self, bytes: &[u8]) -> Pos {
        // Most calls cover one tag or some indentation: a plain loop beats
        // three memchr set-ups there.
        if bytes.len() < 64 || (self.after_cr && bytes[0] == b'\n') || memchr::memchr(b'\r', bytes).is_some()
        {
            return self.advance_bytewise(bytes);
        }
        let newlines = memchr::memchr_iter(b'\n', bytes).count() as u64;
        let (tail, column) = match memchr::memrchr(b'\n', bytes) {
            Some(i) => (&bytes[i + 1..], 1),
            None => (bytes, self.column),
        };
        let chars = tail.iter().filter(|&&b| !is_continuation(b)).count() as u64;
        Pos {
            offset: self.offset + bytes.len() as u64,
            line: self.line + newlines,
            column: column + chars,
            after_cr: false,
        }
    }

    fn advance_bytewise(mut self, bytes: &[u8]) -> Pos {
        for &b in bytes {
            match b {
                b'\n' if self.after_cr => {}
                b'\n' | b'\r' => {
                    self.line += 1;
                    self.column = 1;
                }
                b if is_continuation(b) => {}
                _ => self.column += 1,
            }
            self.after_cr = b == b'\r';
        }
        self.offset += bytes.len() as u64;
        self
    }
}

fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// The encoding of a document from its first bytes, and the length of its BOM.
fn sniff(head: &[u8]) -> (&'static Encoding, usize) {
    if head.starts_with(b"\xEF\xBB\xBF") {
        (UTF_8, 3)
    } else if head.starts_with(b"\xFF\xFE") {
        (UTF_16LE, 2)
    } else if head.starts_with(b"\xFE\xFF") {
        (UTF_16BE, 2)
    } else if head.starts_with(b"<\0?\0") || head.starts_with(b"<\0!\0") {
        (UTF_16LE, 0)
    } else if head.starts_with(b"\0<\0?") || head.starts_with(b"\0<\0!") {
        (UTF_16BE, 0)
    } else {
        (declared_encoding(head).unwrap_or(UTF_8), 0)
    }
}

/// The `encoding` pseudo-attribute of an ASCII-compatible XML declaration.
/// A declared UTF-16 on bytes that are not UTF-16 is ignored (the bytes win),
/// as is an unknown label (the parser above may refuse it).
fn declared_encoding(head: &[u8]) -> Option<&'static Encoding> {
    let decl = head.strip_prefix(b"<?xml")?;
    let end = memchr::memmem::find(decl, b"?>")?;
    declared_byte_encoding(&decl[..end])
}

/// The encoding named by the `encoding="…"` pseudo-attribute in the body of an
/// XML declaration, when it is one the bytes can be decoded as: a UTF-16 label
/// on ASCII-looking bytes, `replacement` and unknown labels give `None`.
pub(crate) fn declared_byte_encoding(decl: &[u8]) -> Option<&'static Encoding> {
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

impl<R: Read> Read for Utf8Input<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Utf8Input<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos == self.end {
            if let Some(msg) = &self.error {
                return Err(io::Error::new(io::ErrorKind::InvalidData, msg.clone()));
            }
            if let Some(t) = self.track.as_mut()
                && t.window_offset + self.end as u64 - t.token_start > t.max_token
            {
                t.too_long = true;
                let mib = t.max_token >> 20;
                return Err(self.fail(format!("an XML token longer than {mib} MiB")));
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
        let mut input = Utf8Input::new(bytes)?;
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

    fn start() -> Pos {
        Pos {
            offset: 0,
            line: 1,
            column: 1,
            after_cr: false,
        }
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
        assert_eq!(read_all(b"").unwrap(), (String::new(), "UTF-8"));
    }

    #[test]
    fn utf16_both_orders_with_and_without_bom() {
        let doc = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><a>Qarabağ Şuşa 😀</a>";
        for (le, bom) in [(true, true), (false, true), (true, false), (false, false)] {
            let (text, name) = read_all(&utf16(doc, le, bom)).unwrap();
            assert_eq!(text, doc, "le={le} bom={bom}");
            assert_eq!(name, if le { "UTF-16LE" } else { "UTF-16BE" });
        }
        // Without a declaration, a BOM-less document starting `<!` is recognised too.
        let (text, _) = read_all(&utf16("<!DOCTYPE a><a/>", true, false)).unwrap();
        assert_eq!(text, "<!DOCTYPE a><a/>");
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
    fn a_bom_wins_over_the_declaration_and_unknown_labels_mean_utf8() {
        let doc = "\u{FEFF}<?xml version='1.0' encoding='ISO-8859-9'?><a>ş</a>";
        assert_eq!(read_all(doc.as_bytes()).unwrap().1, "UTF-8");
        let doc = "<?xml version='1.0' encoding='UTF-16'?><a>ş</a>";
        assert_eq!(read_all(doc.as_bytes()).unwrap(), (doc.into(), "UTF-8"));
        let doc = "<?xml version='1.0' encoding='klingon'?><a>ş</a>";
        assert_eq!(read_all(doc.as_bytes()).unwrap(), (doc.into(), "UTF-8"));
    }

    #[test]
    fn big_utf16_input_decodes_across_chunks() {
        let body = "ğüşiöçı əx 😀".repeat(40_000);
        let doc = format!("<a>{body}</a>");
        let (text, _) = read_all(&utf16(&doc, true, true)).unwrap();
        assert_eq!(text, doc);
    }

    #[test]
    fn malformed_utf16_is_an_error_after_what_decoded() {
        let mut doc = utf16("<a>x", true, true);
        doc.extend_from_slice(&[0x00, 0xD8, b'a', 0]); // lone high surrogate
        let mut input = Utf8Input::new(&doc[..]).unwrap();
        let mut out = String::new();
        let err = input.read_to_string(&mut out).unwrap_err();
        assert!(err.to_string().contains("not valid UTF-16LE"), "{err}");
        assert_eq!(out, "<a>x");
        assert_eq!(input.error(), Some("input is not valid UTF-16LE"));
        assert!(!input.token_too_long());
        // The error sticks.
        assert!(input.fill_buf().is_err());
    }

    #[test]
    fn line_and_column_count_characters_and_xml_line_ends() {
        let doc = "ab\r\nşə\rxyz\n\n😀q";
        let mut input = Utf8Input::new(doc.as_bytes()).unwrap().track_positions(MAX_TOKEN);
        let mut s = String::new();
        input.read_to_string(&mut s).unwrap();
        let at = |i: usize| input.location(i as u64);
        assert_eq!(at(0), Location::new(1, 1));
        assert_eq!(at(2), Location::new(1, 3)); // the CR
        assert_eq!(at(4), Location::new(2, 1)); // 'ş'
        assert_eq!(at(6), Location::new(2, 2)); // 'ə'
        assert_eq!(at(9), Location::new(3, 1)); // 'x' after a lone CR
        // Asking backwards starts again from the base.
        assert_eq!(at(4), Location::new(2, 1));
        assert_eq!(at(doc.len() - 1), Location::new(5, 2)); // 'q' after the emoji
    }

    #[test]
    fn checkpoints_keep_counts_right_across_refills() {
        let line = "şəx\r\n";
        let doc = line.repeat(400_000); // 7 bytes a line, 2.8 MB
        let mut input = Utf8Input::new(doc.as_bytes()).unwrap().track_positions(MAX_TOKEN);
        let mut offset = 0u64;
        // Odd-sized reads split CR LF pairs and characters across refills.
        let mut buf = [0u8; 6001];
        let mut checked = 0;
        loop {
            let n = input.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            offset += n as u64;
            input.checkpoint(offset);
            if offset.is_multiple_of(7) {
                assert_eq!(input.location(offset), Location::new(offset / 7 + 1, 1));
                checked += 1;
            }
            assert!(input.retained_capacity() < 2 * CHUNK);
        }
        assert!(checked > 10);
        assert_eq!(offset, doc.len() as u64);
        assert_eq!(input.location(offset), Location::new(400_001, 1));
        // Offsets before the last checkpoint give the checkpoint's.
        assert_eq!(input.location(5), Location::new(400_001, 1));
    }

    #[test]
    fn an_endless_token_is_refused() {
        let big = vec![b'a'; 3 * CHUNK];
        let mut input = Utf8Input::new(&big[..]).unwrap().track_positions(CHUNK as u64);
        let mut s = Vec::new();
        let e = input.read_until(b'<', &mut s).unwrap_err();
        assert!(e.to_string().contains("longer than 0 MiB"), "{e}");
        assert!(input.token_too_long());
        // Without tracking there is no token limit (delimited text has its own).
        let mut input = Utf8Input::new(&big[..]).unwrap();
        s.clear();
        assert_eq!(input.read_until(b'<', &mut s).unwrap(), big.len());
    }

    proptest::proptest! {
        /// The memchr fast path counts exactly as the byte loop does.
        #[test]
        fn fast_and_slow_line_counting_agree(text in "[a\\nş\\tə<>\\r]{0,300}", line in 1u64..5, col in 1u64..9) {
            let p = Pos { line, column: col, ..start() };
            let bytes = text.as_bytes();
            proptest::prop_assert_eq!(p.advance(bytes), p.advance_bytewise(bytes));
        }

        /// Tracking over any split of the input into reads and checkpoints
        /// gives the positions of one pass over the whole text.
        #[test]
        fn tracked_positions_match_one_pass(
            text in "[a\\nş\\r😀]{0,3000}",
            steps in proptest::collection::vec(1usize..200, 1..40),
        ) {
            let bytes = text.as_bytes();
            let mut input = Utf8Input::new(bytes).unwrap().track_positions(MAX_TOKEN);
            let mut offset = 0usize;
            let mut buf = [0u8; 256];
            for step in steps.iter().cycle() {
                let n = input.read(&mut buf[..*step]).unwrap();
                if n == 0 {
                    break;
                }
                offset += n;
                input.checkpoint(offset as u64);
                let want = start().advance_bytewise(&bytes[..offset]);
                proptest::prop_assert_eq!(
                    input.location(offset as u64),
                    Location::new(want.line, want.column)
                );
            }
        }
    }
}
