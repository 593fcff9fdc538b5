//! The attributes of the last start tag: decoded into [`AttrSlots`] as
//! the tag is read, then taken into the model's values.

use std::io::BufRead;

use quick_xml::events::BytesStart;

use super::TmxReader;
use super::names::{ATTR_COUNT, Attr};
use super::text::push_attr_value;
use crate::formats::tmx::WarningKind;
use crate::model::{Attributes, InlineTag, Sub, TagKind, TmxDate};

impl<R: BufRead> TmxReader<R> {
    /// A `<sub>` from the attributes of its start tag, content still empty.
    /// Taken before the content is read: nested tags reuse the slots.
    pub(super) fn take_sub(&mut self) -> Sub {
        Sub {
            datatype: self.take_attr(Attr::Datatype),
            sub_type: self.take_attr(Attr::Type),
            content: Vec::new(),
        }
    }

    /// An inline tag from the attributes of its start tag, content still
    /// empty (see [`take_sub`](Self::take_sub)).
    pub(super) fn take_inline_tag(&mut self, kind: TagKind) -> InlineTag {
        let mut tag = InlineTag::new(kind);
        self.fill_inline_tag(&mut tag);
        tag
    }

    /// Sets the attributes of `tag` (a new one: all `None`) from its start
    /// tag, in place: an `InlineTag` is big enough that moving one costs.
    pub(super) fn fill_inline_tag(&mut self, tag: &mut InlineTag) {
        if self.attrs.present == 0 {
            return;
        }
        tag.i = self.take_attr(Attr::I);
        tag.x = self.take_attr(Attr::X);
        tag.tag_type = self.take_attr(Attr::Type);
        tag.pos = self.take_attr(Attr::Pos);
        tag.assoc = self.take_attr(Attr::Assoc);
    }

    pub(super) fn take_attr(&mut self, key: Attr) -> Option<String> {
        self.attr(key).map(str::to_string)
    }

    /// The value of attribute `key` of the last start tag.
    pub(super) fn attr(&self, key: Attr) -> Option<&str> {
        self.attrs.get(key)
    }

    /// Parses date attribute `key`; `unit` is `Some(tuid)` inside a unit.
    #[inline]
    pub(super) fn date_attr(
        &mut self,
        key: Attr,
        name: &str,
        at: u64,
        unit: Option<Option<&str>>,
    ) -> Option<TmxDate> {
        let date = TmxDate::parse(self.attr(key)?);
        if !date.is_valid() {
            let record = unit.map(|tuid| self.record_name(tuid));
            let message = format!(
                "{name} {:?} is not a TMX date (YYYYMMDDThhmmssZ); kept as written",
                date.to_string()
            );
            self.warn(WarningKind::InvalidDate, at, record, message);
        }
        Some(date)
    }

    pub(super) fn attributes(&mut self, at: u64, tuid: Option<&str>) -> Attributes {
        let mut attrs = Attributes::default();
        self.fill_attributes(&mut attrs, at, tuid);
        attrs
    }

    /// Sets `attrs` (all `None`) from the attributes of the last start tag,
    /// in place (see [`fill_inline_tag`](Self::fill_inline_tag)); warns
    /// about bad dates.
    pub(super) fn fill_attributes(&mut self, attrs: &mut Attributes, at: u64, tuid: Option<&str>) {
        let present = self.attrs.present;
        if present & AttrSlots::DATES != 0 {
            // In this order: it is the order of the warnings.
            let unit = Some(tuid);
            attrs.last_usage_date = self.date_attr(Attr::LastUsageDate, "lastusagedate", at, unit);
            attrs.creation_date = self.date_attr(Attr::CreationDate, "creationdate", at, unit);
            attrs.change_date = self.date_attr(Attr::ChangeDate, "changedate", at, unit);
        }
        // Only the attributes present are looked at.
        let mut rest = present & AttrSlots::SHARED & !AttrSlots::DATES;
        while rest != 0 {
            let key = Attr::ALL[rest.trailing_zeros() as usize];
            rest &= rest - 1;
            let value = self.take_attr(key);
            match key {
                Attr::OEncoding => attrs.o_encoding = value,
                Attr::Datatype => attrs.datatype = value,
                Attr::UsageCount => attrs.usage_count = value,
                Attr::CreationTool => attrs.creation_tool = value,
                Attr::CreationToolVersion => attrs.creation_tool_version = value,
                Attr::CreationId => attrs.creation_id = value,
                Attr::ChangeId => attrs.change_id = value,
                Attr::OTmf => attrs.o_tmf = value,
                _ => {}
            }
        }
    }
}

/// The decoded values of the attributes TMX knows on one tag, end to end in
/// one buffer (values nobody keeps cost no allocation). Emptied in O(1):
/// only the attributes marked present are read.
#[derive(Default)]
pub(super) struct AttrSlots {
    /// Bit `Attr as usize` is set when that attribute is present.
    pub(super) present: u32,
    /// Where each present attribute's value is in `text`.
    spans: [(u32, u32); ATTR_COUNT],
    pub(super) text: String,
}

impl AttrSlots {
    /// The bits of the attributes [`Attributes`] holds.
    pub(super) const SHARED: u32 = AttrSlots::bits(&[
        Attr::OEncoding,
        Attr::Datatype,
        Attr::UsageCount,
        Attr::LastUsageDate,
        Attr::CreationTool,
        Attr::CreationToolVersion,
        Attr::CreationDate,
        Attr::CreationId,
        Attr::ChangeDate,
        Attr::ChangeId,
        Attr::OTmf,
    ]);

    /// The bits of the date attributes [`Attributes`] holds.
    pub(super) const DATES: u32 =
        AttrSlots::bits(&[Attr::LastUsageDate, Attr::CreationDate, Attr::ChangeDate]);

    /// The bits of `attrs`.
    const fn bits(attrs: &[Attr]) -> u32 {
        let mut bits = 0;
        let mut n = 0;
        while n < attrs.len() {
            bits |= 1 << attrs[n] as u32;
            n += 1;
        }
        bits
    }

    pub(super) fn clear(&mut self) {
        self.present = 0;
        self.text.clear();
    }

    #[inline]
    pub(super) fn get(&self, key: Attr) -> Option<&str> {
        if self.present & (1 << key as u32) == 0 {
            return None;
        }
        let (from, to) = self.spans[key as usize];
        self.text.get(from as usize..to as usize)
    }

    #[inline]
    pub(super) fn has(&self, key: Attr) -> bool {
        self.present & (1 << key as u32) != 0
    }

    /// Records that `key`'s value is what was pushed to `text` since
    /// `from`.
    #[inline]
    pub(super) fn set(&mut self, key: Attr, from: usize) {
        self.present |= 1 << key as u32;
        // A tag's attribute text is far below 4 GiB: tokens are capped at 64 MiB.
        self.spans[key as usize] = (from as u32, self.text.len() as u32);
    }
}

/// Decodes the attributes TMX knows into `slots`; others are ignored.
pub(super) fn read_attrs(slots: &mut AttrSlots, start: &BytesStart<'_>) -> std::result::Result<(), String> {
    slots.clear();
    // quick-xml's duplicate check allocates per element; the slots do it for
    // the attributes that matter.
    for attr in start.attributes().with_checks(false) {
        let attr = attr.map_err(|e| format!("malformed attribute: {e}"))?;
        let Some(key) = Attr::of(attr.key.as_ref()) else {
            continue;
        };
        if slots.has(key) {
            return Err(format!(
                "duplicate attribute {}",
                String::from_utf8_lossy(attr.key.as_ref())
            ));
        }
        let from = slots.text.len();
        push_attr_value(&mut slots.text, &attr.value)
            .map_err(|m| format!("attribute {}: {m}", String::from_utf8_lossy(attr.key.as_ref())))?;
        slots.set(key, from);
    }
    Ok(())
}
