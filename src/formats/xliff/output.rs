//! Output in the input's encoding: UTF-8 (BOM kept when the input had one),
//! UTF-16LE/BE, or a declared single- or multi-byte encoding, where
//! characters it cannot hold become character references.

use std::io::{self, Write};

use encoding_rs::{UTF_8, UTF_16BE, UTF_16LE};

use super::engine::SourceEncoding;

pub(crate) struct Encoded<W> {
    out: W,
    enc: SourceEncoding,
    encoder: Option<encoding_rs::Encoder>,
    started: bool,
    buf: Vec<u8>,
}

impl<W: Write> Encoded<W> {
    pub(crate) fn new(out: W, enc: SourceEncoding) -> Encoded<W> {
        let legacy = enc.encoding != UTF_8 && enc.encoding != UTF_16LE && enc.encoding != UTF_16BE;
        Encoded {
            out,
            enc,
            encoder: legacy.then(|| enc.encoding.new_encoder()),
            started: false,
            buf: Vec::new(),
        }
    }

    /// Writes UTF-8 text, encoded.
    pub(crate) fn write_str(&mut self, s: &str) -> io::Result<()> {
        if !self.started {
            self.started = true;
            if self.enc.bom {
                let bom: &[u8] = match self.enc.encoding {
                    e if e == UTF_16LE => b"\xFF\xFE",
                    e if e == UTF_16BE => b"\xFE\xFF",
                    _ => b"\xEF\xBB\xBF",
                };
                self.out.write_all(bom)?;
            }
        }
        let e = self.enc.encoding;
        if e == UTF_8 {
            return self.out.write_all(s.as_bytes());
        }
        self.buf.clear();
        if e == UTF_16LE || e == UTF_16BE {
            for u in s.encode_utf16() {
                self.buf.extend_from_slice(&if e == UTF_16LE {
                    u.to_le_bytes()
                } else {
                    u.to_be_bytes()
                });
            }
            return self.out.write_all(&self.buf);
        }
        let Some(encoder) = self.encoder.as_mut() else {
            return self.out.write_all(s.as_bytes());
        };
        let mut rest = s;
        let mut chunk = vec![0u8; 4096];
        loop {
            let (result, read, written, _) = encoder.encode_from_utf8(rest, &mut chunk, false);
            self.out.write_all(&chunk[..written])?;
            rest = &rest[read..];
            match result {
                encoding_rs::CoderResult::InputEmpty => return Ok(()),
                encoding_rs::CoderResult::OutputFull => {}
            }
        }
    }

    pub(crate) fn flush(&mut self) -> io::Result<()> {
        if let Some(encoder) = self.encoder.as_mut() {
            let mut chunk = vec![0u8; 64];
            let (_, _, written, _) = encoder.encode_from_utf8("", &mut chunk, true);
            self.out.write_all(&chunk[..written])?;
        }
        self.out.flush()
    }
}
