//! `<note>` and `<prop>`: the text-only elements that the header, units
//! and variants hold.

use std::io::BufRead;

use super::TmxReader;
use super::events::Ev;
use super::names::{Attr, El};
use crate::error::Result;
use crate::model::{Note, Prop};

impl<R: BufRead> TmxReader<R> {
    /// Reads a text-only element's content up to its end tag.
    fn read_plain(&mut self, el: El, empty: bool) -> Result<String> {
        self.text.clear();
        if empty {
            return Ok(String::new());
        }
        loop {
            match self.next_ev()? {
                Ev::Text => {}
                Ev::End(e) if e == el => return Ok(std::mem::take(&mut self.text)),
                Ev::Start(e) | Ev::Empty(e) => {
                    return Err(self.parse_error(format!(
                        "<{}> is not allowed in <{}> (it holds text only)",
                        e.name(),
                        el.name()
                    )));
                }
                Ev::End(_) | Ev::Eof => {
                    return Err(self.parse_error(format!("<{}> is not closed", el.name())));
                }
            }
        }
    }

    /// A `<note>` into `notes` or a `<prop>` into `props`, after its start
    /// tag `ev`: what `<tu>` and `<tuv>` both hold.
    pub(super) fn read_note_or_prop(
        &mut self,
        ev: &Ev,
        notes: &mut Vec<Note>,
        props: &mut Vec<Prop>,
    ) -> Result<()> {
        let empty = matches!(ev, Ev::Empty(_));
        if matches!(ev, Ev::Start(El::Note) | Ev::Empty(El::Note)) {
            notes.push(self.read_note(empty)?);
        } else {
            props.push(self.read_prop(empty)?);
        }
        Ok(())
    }

    pub(super) fn read_note(&mut self, empty: bool) -> Result<Note> {
        let mut note = self.note_from_attrs();
        note.text = self.read_plain(El::Note, empty)?;
        Ok(note)
    }

    /// A `<note>` with the attributes of the last start tag and no text yet.
    pub(super) fn note_from_attrs(&mut self) -> Note {
        let lang = self
            .take_attr(Attr::XmlLang)
            .or_else(|| self.take_attr(Attr::Lang));
        let o_encoding = self.take_attr(Attr::OEncoding);
        Note {
            text: String::new(),
            lang,
            o_encoding,
        }
    }

    pub(super) fn read_prop(&mut self, empty: bool) -> Result<Prop> {
        let mut prop = self.prop_from_attrs();
        prop.value = self.read_plain(El::Prop, empty)?;
        Ok(prop)
    }

    /// A `<prop>` with the attributes of the last start tag and no value yet.
    pub(super) fn prop_from_attrs(&mut self) -> Prop {
        let prop_type = self.take_attr(Attr::Type).unwrap_or_default();
        let lang = self
            .take_attr(Attr::XmlLang)
            .or_else(|| self.take_attr(Attr::Lang));
        let o_encoding = self.take_attr(Attr::OEncoding);
        Prop {
            prop_type,
            value: String::new(),
            lang,
            o_encoding,
        }
    }
}
