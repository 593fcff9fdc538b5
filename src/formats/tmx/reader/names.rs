//! The names of the elements and attributes TMX knows, as the reader
//! matches them: [`El`] and [`Attr`].

use crate::model::TagKind;

/// The elements TMX knows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum El {
    Tmx,
    Header,
    Body,
    Tu,
    Tuv,
    Seg,
    Note,
    Prop,
    Ude,
    Map,
    Sub,
    Inline(TagKind),
    Other(String),
}

impl El {
    pub(super) fn of(name: &[u8]) -> El {
        El::known(name).unwrap_or_else(|| El::Other(String::from_utf8_lossy(name).into_owned()))
    }

    /// The element TMX knows by `name`, if any.
    pub(super) fn known(name: &[u8]) -> Option<El> {
        Some(match name {
            b"tmx" => El::Tmx,
            b"header" => El::Header,
            b"body" => El::Body,
            b"tu" => El::Tu,
            b"tuv" => El::Tuv,
            b"seg" => El::Seg,
            b"note" => El::Note,
            b"prop" => El::Prop,
            b"ude" => El::Ude,
            b"map" => El::Map,
            b"sub" => El::Sub,
            b"bpt" => El::Inline(TagKind::Bpt),
            b"ept" => El::Inline(TagKind::Ept),
            b"it" => El::Inline(TagKind::It),
            b"ph" => El::Inline(TagKind::Ph),
            b"hi" => El::Inline(TagKind::Hi),
            b"ut" => El::Inline(TagKind::Ut),
            _ => return None,
        })
    }

    pub(super) fn name(&self) -> &str {
        match self {
            El::Tmx => "tmx",
            El::Header => "header",
            El::Body => "body",
            El::Tu => "tu",
            El::Tuv => "tuv",
            El::Seg => "seg",
            El::Note => "note",
            El::Prop => "prop",
            El::Ude => "ude",
            El::Map => "map",
            El::Sub => "sub",
            El::Inline(k) => k.as_str(),
            El::Other(s) => s,
        }
    }
}

/// The number of [`Attr`] variants (at most 32: they are bits of a `u32`).
pub(super) const ATTR_COUNT: usize = Attr::Assoc as usize + 1;
const _: () = assert!(ATTR_COUNT <= 32);
// `Attr::ALL` lists every attribute at its index.
const _: () = {
    let mut n = 0;
    while n < ATTR_COUNT {
        assert!(Attr::ALL[n] as usize == n);
        n += 1;
    }
};

/// The attributes TMX knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Attr {
    Version,
    CreationTool,
    CreationToolVersion,
    Segtype,
    OTmf,
    Adminlang,
    Srclang,
    Datatype,
    OEncoding,
    CreationDate,
    CreationId,
    ChangeDate,
    ChangeId,
    Tuid,
    UsageCount,
    LastUsageDate,
    XmlLang,
    Lang,
    Type,
    Name,
    Base,
    Unicode,
    Code,
    Ent,
    Subst,
    I,
    X,
    Pos,
    Assoc,
}

impl Attr {
    /// Every attribute, at its index.
    pub(super) const ALL: [Attr; ATTR_COUNT] = [
        Attr::Version,
        Attr::CreationTool,
        Attr::CreationToolVersion,
        Attr::Segtype,
        Attr::OTmf,
        Attr::Adminlang,
        Attr::Srclang,
        Attr::Datatype,
        Attr::OEncoding,
        Attr::CreationDate,
        Attr::CreationId,
        Attr::ChangeDate,
        Attr::ChangeId,
        Attr::Tuid,
        Attr::UsageCount,
        Attr::LastUsageDate,
        Attr::XmlLang,
        Attr::Lang,
        Attr::Type,
        Attr::Name,
        Attr::Base,
        Attr::Unicode,
        Attr::Code,
        Attr::Ent,
        Attr::Subst,
        Attr::I,
        Attr::X,
        Attr::Pos,
        Attr::Assoc,
    ];

    /// The attribute TMX knows by `name`, if any. Inlined: it is the body
    /// of `read_attrs`'s loop, in another module (and code-generation
    /// unit) since the reader was split.
    #[inline]
    pub(super) fn of(name: &[u8]) -> Option<Attr> {
        Some(match name {
            b"version" => Attr::Version,
            b"creationtool" => Attr::CreationTool,
            b"creationtoolversion" => Attr::CreationToolVersion,
            b"segtype" => Attr::Segtype,
            b"o-tmf" => Attr::OTmf,
            b"adminlang" => Attr::Adminlang,
            b"srclang" => Attr::Srclang,
            b"datatype" => Attr::Datatype,
            b"o-encoding" => Attr::OEncoding,
            b"creationdate" => Attr::CreationDate,
            b"creationid" => Attr::CreationId,
            b"changedate" => Attr::ChangeDate,
            b"changeid" => Attr::ChangeId,
            b"tuid" => Attr::Tuid,
            b"usagecount" => Attr::UsageCount,
            b"lastusagedate" => Attr::LastUsageDate,
            b"xml:lang" => Attr::XmlLang,
            b"lang" => Attr::Lang,
            b"type" => Attr::Type,
            b"name" => Attr::Name,
            b"base" => Attr::Base,
            b"unicode" => Attr::Unicode,
            b"code" => Attr::Code,
            b"ent" => Attr::Ent,
            b"subst" => Attr::Subst,
            b"i" => Attr::I,
            b"x" => Attr::X,
            b"pos" => Attr::Pos,
            b"assoc" => Attr::Assoc,
            _ => return None,
        })
    }
}
