//! The fast path of [`TmxReader`]: a whole `<tu>` parsed straight from the
//! input buffer.
//!
//! Units in real files use a small, regular part of XML: elements, quoted
//! attributes, text with references. For those the reader looks ahead in its
//! input for the complete unit and parses it here from the bytes, with no
//! per-event copies and no attribute decoding beyond the attributes TMX
//! knows. Anything else — a comment, CDATA, a processing instruction,
//! unusual tag syntax, a unit larger than [`FAST_UNIT_MAX`], and every
//! error — makes the fast path give up before it consumes anything; the
//! streaming quick-xml path then reads the same unit again from the same
//! place. Errors, lenient recovery, warnings about skipped units and their
//! positions all come from the streaming path, and the fast path only has to
//! build the same unit (and the same warnings) for the units it accepts: the
//! `fast_and_streaming_paths_agree` proptest checks that on valid and broken
//! input.
//!
//! Cost: the look-ahead searches the buffered input for `</tu>` once per
//! unit (memchr speed) and copies the unit's bytes once into a scratch
//! buffer; then one pass over the unit builds the model.

use std::io::BufRead;

use super::names::Attr;
#[cfg(test)]
use super::names::El;
use super::text::{check_chars, push_attr_value, resolve_ref};
use super::{MAX_INLINE_DEPTH, TmxReader};
use crate::model::{Attributes, Inline, InlineTag, Segment, TagKind, TranslationUnit, Variant};

/// The largest unit (with the whitespace before it) the fast path looks at
/// whole; a bigger one is streamed. Bounds the look-ahead buffer.
pub(super) const FAST_UNIT_MAX: usize = 4 << 20;

/// The fast path cannot read a unit: the streaming path reads it instead.
struct GiveUp;

type Fast<T> = std::result::Result<T, GiveUp>;

/// The elements a unit holds: the part of [`El`](super::names::El) the fast path reads, in
/// a type small enough that a [`Tok`] is returned in registers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Name {
    Tu,
    Tuv,
    Seg,
    Note,
    Prop,
    Sub,
    Inline(TagKind),
}

impl Name {
    /// The element this names.
    #[cfg(test)]
    fn el(self) -> El {
        match self {
            Name::Tu => El::Tu,
            Name::Tuv => El::Tuv,
            Name::Seg => El::Seg,
            Name::Note => El::Note,
            Name::Prop => El::Prop,
            Name::Sub => El::Sub,
            Name::Inline(kind) => El::Inline(kind),
        }
    }
}

/// One piece of markup or text in a unit. The attributes of a start or
/// empty tag are in the reader's attribute slots; the bytes of a text run
/// are those from where the token started to where the cursor is after it
/// ([`Cursor::run`]).
#[derive(Clone, Copy)]
enum Tok {
    Start(Name),
    Empty(Name),
    End(Name),
    /// A run of spaces, tabs and line feeds up to the next tag (plain
    /// text, and what indentation between elements is).
    Blank,
    /// A run of text up to the next markup, and where in it the first
    /// reference or CR is: `None` when it is plain (its own value).
    Text(Option<u32>),
}

/// Byte classes, looked up in [`CLASS`]: names and whitespace are scanned
/// a byte at a time, so one load and test per byte matters.
const NAME: u8 = 1;
const WS: u8 = 2;
/// What ends a stretch of an attribute value: a quote, `<` (refused), or
/// what needs decoding (`&`, tab, LF, CR).
const VALUE: u8 = 4;

const CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':') {
            table[i] |= NAME;
        }
        if matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
            table[i] |= WS;
        }
        if matches!(b, b'"' | b'\'' | b'<' | b'&' | b'\t' | b'\n' | b'\r') {
            table[i] |= VALUE;
        }
        i += 1;
    }
    table
};

#[inline]
fn is_ws(b: u8) -> bool {
    CLASS[b as usize] & WS != 0
}

fn all_ws(text: &str) -> bool {
    text.bytes().all(is_ws)
}

/// The index of the first byte at or after `i` that is not XML whitespace.
#[inline]
fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && is_ws(b[i]) {
        i += 1;
    }
    i
}

/// The index of the first byte at or after `i` that cannot be in a name.
#[inline]
fn skip_name(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && CLASS[b[i] as usize] & NAME != 0 {
        i += 1;
    }
    i
}

/// The index of the first byte at or after `i` that ends an attribute
/// value or needs decoding in one (a [`VALUE`] byte), or `b.len()`. `b` is
/// a unit [`check_chars`] accepted, so its only bytes below 0x20 are tab,
/// LF and CR. Eight bytes at a time (SWAR): a byte of `x` equal to `c`
/// is a zero byte of `x ^ c…c`, and the lowest zero byte is exactly the
/// lowest bit of `(v - 0x01…01) & !v & 0x80…80` (the borrow that can give
/// false hits only goes upwards); bytes below 0x20 likewise with 0x20…20.
#[inline]
fn value_stop(b: &[u8], mut i: usize) -> usize {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u8| x.wrapping_sub(LO * u64::from(n)) & !x & HI;
    let equal = |x: u64, c: u8| below(x ^ (LO * u64::from(c)), 1);
    while let Some(word) = b.get(i..i + 8) {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(word);
        let x = u64::from_le_bytes(bytes);
        let hits = equal(x, b'"') | equal(x, b'\'') | equal(x, b'<') | equal(x, b'&') | below(x, 0x20);
        if hits != 0 {
            return i + (hits.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    let rest = b.get(i..).unwrap_or_default();
    i + rest
        .iter()
        .position(|&c| CLASS[c as usize] & VALUE != 0)
        .unwrap_or(rest.len())
}

/// Whether a name that ends before `b[n]` really ends there (it is not the
/// start of a longer name).
#[inline]
fn name_ends(b: &[u8], n: usize) -> bool {
    b.get(n).is_none_or(|&c| CLASS[c as usize] & NAME == 0)
}

/// Whether `b` starts with the name `name`, whole. The length is a
/// constant, so the comparison compiles to a load or two, not a call.
#[inline(always)]
fn has_name<const N: usize>(b: &[u8], name: &[u8; N]) -> bool {
    b.get(..N).is_some_and(|head| head == name) && name_ends(b, N)
}

/// The first of `names` that `b` starts with, whole, and its length.
macro_rules! name_in {
    ($b:expr, $(($name:literal, $value:expr)),+ $(,)?) => {{
        $(
            if has_name($b, $name) {
                return Some(($value, $name.len()));
            }
        )+
        None
    }};
}

/// The element of a unit whose name starts `b`, and the name's length: the
/// same as [`El::known`](super::names::El::known) on the name [`skip_name`] finds, for the elements
/// a unit holds (others are `None`: the fast path gives up on them), without
/// scanning the name first.
#[inline]
fn element_at(b: &[u8]) -> Option<(Name, usize)> {
    match b.first()? {
        b't' => name_in!(b, (b"tuv", Name::Tuv), (b"tu", Name::Tu)),
        b's' => name_in!(b, (b"seg", Name::Seg), (b"sub", Name::Sub)),
        b'b' => name_in!(b, (b"bpt", Name::Inline(TagKind::Bpt))),
        b'e' => name_in!(b, (b"ept", Name::Inline(TagKind::Ept))),
        b'p' => name_in!(b, (b"ph", Name::Inline(TagKind::Ph)), (b"prop", Name::Prop)),
        b'i' => name_in!(b, (b"it", Name::Inline(TagKind::It))),
        b'h' => name_in!(b, (b"hi", Name::Inline(TagKind::Hi))),
        b'u' => name_in!(b, (b"ut", Name::Inline(TagKind::Ut))),
        b'n' => name_in!(b, (b"note", Name::Note)),
        _ => None,
    }
}

/// The attribute TMX knows whose name starts `b`, and the name's length:
/// the same as [`Attr::of`] on the name [`skip_name`] finds, without
/// scanning the name first.
#[inline]
fn attr_at(b: &[u8]) -> Option<(Attr, usize)> {
    match b.first()? {
        b't' => name_in!(b, (b"tuid", Attr::Tuid), (b"type", Attr::Type)),
        b'x' => name_in!(b, (b"xml:lang", Attr::XmlLang), (b"x", Attr::X)),
        b'c' => name_in!(
            b,
            (b"creationdate", Attr::CreationDate),
            (b"creationid", Attr::CreationId),
            (b"changedate", Attr::ChangeDate),
            (b"changeid", Attr::ChangeId),
            (b"creationtool", Attr::CreationTool),
            (b"creationtoolversion", Attr::CreationToolVersion),
            (b"code", Attr::Code),
        ),
        b'u' => name_in!(b, (b"usagecount", Attr::UsageCount), (b"unicode", Attr::Unicode)),
        b'l' => name_in!(b, (b"lastusagedate", Attr::LastUsageDate), (b"lang", Attr::Lang)),
        b'i' => name_in!(b, (b"i", Attr::I)),
        b'p' => name_in!(b, (b"pos", Attr::Pos)),
        b'a' => name_in!(b, (b"assoc", Attr::Assoc), (b"adminlang", Attr::Adminlang)),
        b'd' => name_in!(b, (b"datatype", Attr::Datatype)),
        b'o' => name_in!(b, (b"o-encoding", Attr::OEncoding), (b"o-tmf", Attr::OTmf)),
        b's' => name_in!(
            b,
            (b"srclang", Attr::Srclang),
            (b"segtype", Attr::Segtype),
            (b"subst", Attr::Subst),
        ),
        b'v' => name_in!(b, (b"version", Attr::Version)),
        b'n' => name_in!(b, (b"name", Attr::Name)),
        b'b' => name_in!(b, (b"base", Attr::Base)),
        b'e' => name_in!(b, (b"ent", Attr::Ent)),
        _ => None,
    }
}

/// A position in the unit's text (valid UTF-8 of XML characters only). It
/// moves only to ASCII delimiters, so every slice is on a char boundary.
struct Cursor<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> Cursor<'a> {
    /// The text from `start` to here: a run of text whose token started at
    /// `start`.
    #[inline]
    fn run(&self, start: usize) -> Fast<&'a str> {
        self.s.get(start..self.i).ok_or(GiveUp)
    }
}

/// The first `&` or CR in `b`. The stretches between references are
/// mostly short: a plain loop looks at the first bytes, memchr at the rest.
#[inline]
fn find_special(b: &[u8]) -> Option<usize> {
    let head = b.len().min(16);
    if let Some(n) = b[..head].iter().position(|&c| c == b'&' || c == b'\r') {
        return Some(n);
    }
    if head == b.len() {
        return None;
    }
    memchr::memchr2(b'&', b'\r', &b[head..]).map(|n| head + n)
}

/// Appends character data with its references resolved, as the streaming
/// path does with its text and reference events; `first` is where the
/// first `&` or CR is (from [`Tok::Text`]), or `None` if there is none.
/// XML's line-end normalisation (`\r\n` and a lone `\r` become `\n`) is
/// done in the same pass; it never joins a `\r` with a `\n` from a
/// reference, as in the streaming path, where they are separate events.
fn push_text_run(out: &mut String, mut raw: &str, first: Option<u32>) -> Fast<()> {
    let mut next = first.map(|n| n as usize);
    loop {
        let Some(at) = next else {
            out.push_str(raw);
            return Ok(());
        };
        out.push_str(&raw[..at]);
        if raw.as_bytes()[at] == b'\r' {
            out.push('\n');
            let after = &raw[at + 1..];
            raw = after.strip_prefix('\n').unwrap_or(after);
        } else {
            // The escapes writers use, resolved without looking for the
            // `;` and calling `resolve_ref` (which gives the same).
            let (c, len) = match &raw.as_bytes()[at..] {
                [b'&', b'l', b't', b';', ..] => ('<', 4),
                [b'&', b'g', b't', b';', ..] => ('>', 4),
                [b'&', b'a', b'm', b'p', b';', ..] => ('&', 5),
                [b'&', b'q', b'u', b'o', b't', b';', ..] => ('"', 6),
                [b'&', b'a', b'p', b'o', b's', b';', ..] => ('\'', 6),
                _ => {
                    let name = &raw.as_bytes()[at + 1..];
                    let semi = name.iter().position(|&c| c == b';').ok_or(GiveUp)?;
                    (resolve_ref(&name[..semi]).map_err(|_| GiveUp)?, semi + 2)
                }
            };
            out.push(c);
            raw = raw.get(at + len..).ok_or(GiveUp)?;
        }
        next = find_special(raw.as_bytes());
    }
}

impl<R: BufRead> TmxReader<R> {
    /// Reads the next unit by the fast path, if the input holds, next, a
    /// whole unit the fast path can read. `None` leaves the input and the
    /// reader as they were (the streaming path reads what comes).
    pub(super) fn fast_unit(&mut self) -> Option<TranslationUnit> {
        let len = self.find_unit()?;
        let mut span = std::mem::take(&mut self.span);
        span.clear();
        span.extend_from_slice(&self.xml.get_ref().buffered()[..len]);
        let base = self.stream_offset();
        let (warnings, dropped) = (self.warnings.len(), self.warnings_dropped);
        self.unit_index += 1;
        let result = self.fast_unit_in(&span, base);
        self.span = span;
        match result {
            Ok((unit, used)) => {
                self.xml.get_mut().consume(used);
                self.skipped += used as u64;
                // Nothing before here is needed for positions any more.
                let here = self.stream_offset();
                self.xml.get_mut().checkpoint(here);
                self.fast_misses = 0;
                #[cfg(test)]
                {
                    self.fast_units += 1;
                }
                Some(unit)
            }
            Err(GiveUp) => {
                // Undo what the attempt changed; the streaming path redoes it.
                self.unit_index -= 1;
                self.fast_misses = self.fast_misses.saturating_add(1);
                self.warnings.truncate(warnings);
                self.warnings_dropped = dropped;
                None
            }
        }
    }

    /// The length of the buffered bytes from here up to the first `</tu>`,
    /// when they start with whitespace and `<tu`; reads ahead as needed, up
    /// to [`FAST_UNIT_MAX`].
    fn find_unit(&mut self) -> Option<usize> {
        let input = self.xml.get_mut();
        let unit_end = &self.unit_end;
        loop {
            let bytes = input.buffered();
            if let Some(n) = bytes.iter().position(|&b| !is_ws(b))
                && let Some(tag) = bytes.get(n..n + 4)
            {
                if !(tag.starts_with(b"<tu") && (is_ws(tag[3]) || tag[3] == b'>')) {
                    return None;
                }
                break;
            }
            if !input.fill_more(FAST_UNIT_MAX) {
                return None;
            }
        }
        let mut searched = 0;
        loop {
            let bytes = input.buffered();
            if let Some(n) = unit_end.find(&bytes[searched..]) {
                return Some(searched + n + b"</tu>".len());
            }
            searched = bytes.len().saturating_sub(b"</tu>".len() - 1);
            if !input.fill_more(FAST_UNIT_MAX) {
                return None;
            }
        }
    }

    /// The next token; attributes of a start or empty tag are decoded into
    /// the reader's slots (as the streaming path does for every tag). Gives
    /// up on anything but known elements with plain tag syntax
    /// (`name="value"` pairs, each after whitespace, either quote) and text:
    /// comments, CDATA, PIs, unknown elements, and any attribute the
    /// streaming path would refuse.
    fn fast_next(&mut self, cur: &mut Cursor<'_>) -> Fast<Tok> {
        let b = cur.s.as_bytes();
        let i = cur.i;
        match b.get(i) {
            None => return Err(GiveUp),
            Some(b'<') => {}
            Some(_) => {
                // Most runs between tags are indentation: spaces, tabs and
                // line feeds up to the next tag, found without memchr.
                let blank = b[i..]
                    .iter()
                    .position(|&c| !matches!(c, b' ' | b'\t' | b'\n'))
                    .map_or(b.len(), |n| i + n);
                if blank > i && b.get(blank) == Some(&b'<') {
                    cur.i = blank;
                    return Ok(Tok::Blank);
                }
                // Text runs to the next markup; the unit ends with `</tu>`,
                // so a run that does not is not in a unit we can read.
                let stop = blank + memchr::memchr3(b'<', b'&', b'\r', &b[blank..]).ok_or(GiveUp)?;
                let (end, first) = if b[stop] == b'<' {
                    (stop, None)
                } else {
                    let first = u32::try_from(stop - i).map_err(|_| GiveUp)?;
                    (
                        stop + memchr::memchr(b'<', &b[stop..]).ok_or(GiveUp)?,
                        Some(first),
                    )
                };
                cur.i = end;
                return Ok(Tok::Text(first));
            }
        }
        if b.get(i + 1) == Some(&b'/') {
            let (el, n) = element_at(&b[i + 2..]).ok_or(GiveUp)?;
            let name_end = i + 2 + n;
            if b.get(name_end) != Some(&b'>') {
                return Err(GiveUp);
            }
            cur.i = name_end + 1;
            return Ok(Tok::End(el));
        }
        let (el, n) = element_at(&b[i + 1..]).ok_or(GiveUp)?;
        let name_end = i + 1 + n;
        self.attrs.clear();
        let mut j = name_end;
        loop {
            let k = skip_ws(b, j);
            match b.get(k) {
                Some(b'>') => {
                    cur.i = k + 1;
                    return Ok(Tok::Start(el));
                }
                Some(b'/') if b.get(k + 1) == Some(&b'>') => {
                    cur.i = k + 2;
                    return Ok(Tok::Empty(el));
                }
                _ if k == j => return Err(GiveUp),
                _ => {}
            }
            let (attr, key_end) = match attr_at(&b[k..]) {
                Some((attr, n)) => (Some(attr), k + n),
                None => (None, skip_name(b, k)),
            };
            let eq = skip_ws(b, key_end);
            if key_end == k || b.get(eq) != Some(&b'=') {
                return Err(GiveUp);
            }
            let q = skip_ws(b, eq + 1);
            let quote = match b.get(q) {
                Some(&c @ (b'"' | b'\'')) => c,
                _ => return Err(GiveUp),
            };
            // Values are short: eight bytes at a time beats memchr's
            // set-up. It notes on the way whether the value needs decoding.
            let mut value_end = q + 1;
            let mut special = false;
            loop {
                value_end = value_stop(b, value_end);
                match b.get(value_end) {
                    Some(&c) if c == quote => break,
                    Some(b'<') | None => return Err(GiveUp),
                    Some(b'"' | b'\'') => {}
                    Some(_) => special = true,
                }
                value_end += 1;
            }
            if let Some(attr) = attr {
                if self.attrs.has(attr) {
                    return Err(GiveUp);
                }
                let value = cur.s.get(q + 1..value_end).ok_or(GiveUp)?;
                let from = self.attrs.text.len();
                if special {
                    push_attr_value(&mut self.attrs.text, value.as_bytes()).map_err(|_| GiveUp)?;
                } else {
                    self.attrs.text.push_str(value);
                }
                self.attrs.set(attr, from);
            }
            j = value_end + 1;
        }
    }

    /// Parses the unit at the start of `s` (whitespace, then `<tu …>`), `s`
    /// starting at offset `base` of the UTF-8 stream; returns it and the
    /// bytes it used.
    fn fast_unit_in(&mut self, s: &[u8], base: u64) -> Fast<(TranslationUnit, usize)> {
        // Checked once here, so that text and values need no checks of
        // their own. Anything the streaming path could refuse (in markup,
        // it would not look) makes the fast path give up: a safe answer.
        let s = std::str::from_utf8(s).map_err(|_| GiveUp)?;
        check_chars(s).map_err(|_| GiveUp)?;
        let lead = s.bytes().position(|b| !is_ws(b)).ok_or(GiveUp)?;
        let mut cur = Cursor { s, i: lead };
        let tu_start = base + lead as u64;
        let Tok::Start(Name::Tu) = self.fast_next(&mut cur)? else {
            return Err(GiveUp);
        };
        let mut unit = self.unit_from_attrs(tu_start);
        loop {
            let start = cur.i;
            let at = base + start as u64;
            match self.fast_next(&mut cur)? {
                Tok::Blank => {}
                Tok::Text(_) if all_ws(cur.run(start)?) => {}
                Tok::End(Name::Tu) => break,
                Tok::Start(Name::Note) => {
                    let mut note = self.note_from_attrs();
                    note.text = self.fast_plain(&mut cur, Name::Note)?;
                    unit.notes.push(note);
                }
                Tok::Empty(Name::Note) => unit.notes.push(self.note_from_attrs()),
                Tok::Start(Name::Prop) => {
                    let mut prop = self.prop_from_attrs();
                    prop.value = self.fast_plain(&mut cur, Name::Prop)?;
                    unit.props.push(prop);
                }
                Tok::Empty(Name::Prop) => unit.props.push(self.prop_from_attrs()),
                Tok::Start(Name::Tuv) => self.fast_variant(&mut cur, at, &mut unit)?,
                _ => return Err(GiveUp),
            }
        }
        if unit.variants.is_empty() {
            return Err(GiveUp);
        }
        self.check_unit(&unit, tu_start);
        Ok((unit, cur.i))
    }

    /// Parses a `<tuv>` whose start tag (at offset `at`) was just read, and
    /// adds it to `unit`. The variant is built where it ends up: a
    /// `Variant` is big enough that moving one costs.
    fn fast_variant(&mut self, cur: &mut Cursor<'_>, at: u64, unit: &mut TranslationUnit) -> Fast<()> {
        let raw = self
            .attr(Attr::XmlLang)
            .or_else(|| self.attr(Attr::Lang))
            .ok_or(GiveUp)?;
        let lang = match self.lang_cache.iter().find(|(r, _)| r == raw) {
            Some((_, lang)) => lang.clone(),
            None => {
                let raw = raw.to_string();
                self.lang(&raw).map_err(|_| GiveUp)?
            }
        };
        unit.variants.push(Variant {
            lang,
            attrs: Attributes::default(),
            props: Vec::new(),
            notes: Vec::new(),
            segment: Segment::default(),
        });
        let tuid = unit.tuid.as_deref();
        let variant = unit.variants.last_mut().ok_or(GiveUp)?;
        self.fill_attributes(&mut variant.attrs, at, tuid);
        let mut has_segment = false;
        loop {
            let start = cur.i;
            match self.fast_next(cur)? {
                Tok::Blank => {}
                Tok::Text(_) if all_ws(cur.run(start)?) => {}
                Tok::End(Name::Tuv) => break,
                Tok::Start(Name::Note) => {
                    let mut note = self.note_from_attrs();
                    note.text = self.fast_plain(cur, Name::Note)?;
                    variant.notes.push(note);
                }
                Tok::Empty(Name::Note) => variant.notes.push(self.note_from_attrs()),
                Tok::Start(Name::Prop) => {
                    let mut prop = self.prop_from_attrs();
                    prop.value = self.fast_plain(cur, Name::Prop)?;
                    variant.props.push(prop);
                }
                Tok::Empty(Name::Prop) => variant.props.push(self.prop_from_attrs()),
                Tok::Start(Name::Seg) if !has_segment => {
                    variant.segment.content = self.fast_inline(cur, Name::Seg, 0)?;
                    has_segment = true;
                }
                Tok::Empty(Name::Seg) if !has_segment => has_segment = true,
                _ => return Err(GiveUp),
            }
        }
        if !has_segment {
            return Err(GiveUp);
        }
        Ok(())
    }

    /// Reads text-only content up to the end tag of `el`.
    fn fast_plain(&mut self, cur: &mut Cursor<'_>, el: Name) -> Fast<String> {
        let mut text = String::new();
        loop {
            let start = cur.i;
            match self.fast_next(cur)? {
                Tok::Blank => text.push_str(cur.run(start)?),
                Tok::Text(first) => push_text_run(&mut text, cur.run(start)?, first)?,
                Tok::End(e) if e == el => return Ok(text),
                _ => return Err(GiveUp),
            }
        }
    }

    /// Reads mixed content up to the end of `parent`, as `read_inline` does.
    ///
    /// Items are gathered in the reader's scratch vector for `depth` and
    /// moved out at the end, in one copy, into an exact-size `Vec`. A text
    /// token is a whole run up to the next markup, so it is one
    /// `Inline::Text`, as the streaming path makes of its text and reference
    /// events.
    fn fast_inline(&mut self, cur: &mut Cursor<'_>, parent: Name, depth: usize) -> Fast<Vec<Inline>> {
        if depth > MAX_INLINE_DEPTH {
            return Err(GiveUp);
        }
        if self.inlines.len() <= depth {
            self.inlines.resize_with(depth + 1, Vec::new);
        }
        let mut items = std::mem::take(&mut self.inlines[depth]);
        let result = self.fast_items(cur, parent, depth, &mut items);
        let content = result.map(|()| {
            let mut content = Vec::with_capacity(items.len());
            content.append(&mut items);
            content
        });
        items.clear();
        self.inlines[depth] = items;
        content
    }

    /// The loop of [`fast_inline`](Self::fast_inline): items go to `items`.
    fn fast_items(
        &mut self,
        cur: &mut Cursor<'_>,
        parent: Name,
        depth: usize,
        items: &mut Vec<Inline>,
    ) -> Fast<()> {
        let code = matches!(parent, Name::Inline(k) if k != TagKind::Hi);
        loop {
            let start = cur.i;
            let tok = self.fast_next(cur)?;
            match tok {
                Tok::Blank | Tok::Text(None) => items.push(Inline::Text(cur.run(start)?.to_owned())),
                Tok::Text(first) => {
                    let t = cur.run(start)?;
                    // Decoding never makes text longer.
                    let mut text = String::with_capacity(t.len());
                    push_text_run(&mut text, t, first)?;
                    items.push(Inline::Text(text));
                }
                Tok::End(el) if el == parent => return Ok(()),
                Tok::Start(Name::Sub) | Tok::Empty(Name::Sub) => {
                    let mut sub = self.take_sub();
                    if matches!(tok, Tok::Start(_)) {
                        sub.content = self.fast_inline(cur, Name::Sub, depth + 1)?;
                    }
                    items.push(Inline::Sub(sub));
                }
                Tok::Start(Name::Inline(kind)) | Tok::Empty(Name::Inline(kind)) if !code => {
                    // Built in place (see `fill_inline_tag`).
                    items.push(Inline::Tag(InlineTag::new(kind)));
                    let Some(Inline::Tag(tag)) = items.last_mut() else {
                        return Err(GiveUp);
                    };
                    self.fill_inline_tag(tag);
                    if matches!(tok, Tok::Start(_)) {
                        let content = self.fast_inline(cur, Name::Inline(kind), depth + 1)?;
                        if let Some(Inline::Tag(tag)) = items.last_mut() {
                            tag.content = content;
                        }
                    }
                }
                _ => return Err(GiveUp),
            }
        }
    }
}

#[cfg(test)]
mod tests;
