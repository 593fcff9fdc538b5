//! The header of a translation-memory exchange file.

use serde::{Deserialize, Serialize};

use super::unit::{Note, Prop, TmxDate};

/// The `<header>` of a TMX document: its attributes, props, notes and
/// user-defined character mappings, kept as written.
///
/// Every attribute is optional here because files in the wild omit required
/// ones; a writer supplies defaults for what TMX 1.4b requires.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TmxHeader {
    /// `creationtool`: the tool that wrote the file.
    pub creation_tool: Option<String>,
    /// `creationtoolversion`.
    pub creation_tool_version: Option<String>,
    /// `segtype`: `block`, `paragraph`, `sentence` or `phrase`.
    pub segtype: Option<String>,
    /// `o-tmf`: the original translation memory format.
    pub o_tmf: Option<String>,
    /// `adminlang`: the language of notes and props meant for administrators.
    pub adminlang: Option<String>,
    /// `srclang`: the default source language of the units, or `*all*`.
    pub srclang: Option<String>,
    /// `datatype`: the default type of data (`plaintext`, `html`, …).
    pub datatype: Option<String>,
    /// `o-encoding`: the original encoding of the data.
    pub o_encoding: Option<String>,
    /// `creationdate`.
    pub creation_date: Option<TmxDate>,
    /// `creationid`.
    pub creation_id: Option<String>,
    /// `changedate`.
    pub change_date: Option<TmxDate>,
    /// `changeid`.
    pub change_id: Option<String>,
    /// Header props, in file order.
    pub props: Vec<Prop>,
    /// Header notes, in file order.
    pub notes: Vec<Note>,
    /// User-defined encodings (`<ude>`), in file order.
    pub udes: Vec<Ude>,
}

/// A `<ude>`: a user-defined encoding, mapping code points of a private
/// character set to Unicode.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ude {
    /// `name`: the encoding's name.
    pub name: String,
    /// `base`: the encoding it extends.
    pub base: Option<String>,
    /// Its `<map>` entries, in file order.
    pub maps: Vec<UdeMap>,
}

/// A `<map>` inside a `<ude>`: one character's mapping.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UdeMap {
    /// `unicode`: the Unicode code point, as written (`#xF8FF`).
    pub unicode: String,
    /// `code`: the code point in the user-defined encoding.
    pub code: Option<String>,
    /// `ent`: an entity name for the character.
    pub ent: Option<String>,
    /// `subst`: a substitution text for it.
    pub subst: Option<String>,
}
