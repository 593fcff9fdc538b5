//! [`Lang`]: a parsed BCP-47 language tag, and the per-language behaviour that
//! hangs off it.
//!
//! Tags are matched case-insensitively and stored in canonical case
//! (`AZ-latn-az` → `az-Latn-AZ`). Behaviour that differs by language — Turkic
//! casing, abbreviations, suffix analysis, stemming — is looked up from the
//! primary subtag here, never by comparing strings elsewhere. A language korpu
//! has no special data for still works, with the generic rules.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};

/// A BCP-47 language tag, validated and in canonical case.
///
/// Behaviour that differs by language (Turkic casing, abbreviations, suffix
/// analysis, stemming) is looked up from the primary subtag here, never by
/// comparing strings elsewhere. A language korpu has no special data for still
/// works, with the generic rules.
///
/// Parsing accepts `-` or `_` as separator and any letter case. A tag of up
/// to 22 bytes (every common one) is held inline: parsing and cloning it
/// allocate nothing.
///
/// ```
/// use korpu::Lang;
/// let az: Lang = "AZ_latn-az".parse()?;
/// assert_eq!(az.as_str(), "az-Latn-AZ");
/// assert_eq!(az.primary(), "az");
/// assert_eq!(az.script(), Some("Latn"));
/// assert!(az.is_turkic());
/// # Ok::<(), korpu::Error>(())
/// ```
#[derive(Clone)]
pub struct Lang {
    tag: Tag,
    primary_len: u8,
}

// Equality, order and hash are those of the tag text (`primary_len` follows
// from it), as when the tag was a `String`.
impl PartialEq for Lang {
    fn eq(&self, other: &Lang) -> bool {
        self.tag.bytes() == other.tag.bytes()
    }
}

impl Eq for Lang {}

impl std::hash::Hash for Lang {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.as_str().hash(h);
    }
}

impl PartialOrd for Lang {
    fn partial_cmp(&self, other: &Lang) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Lang {
    fn cmp(&self, other: &Lang) -> std::cmp::Ordering {
        // Byte order is `str` order.
        self.tag.bytes().cmp(other.tag.bytes())
    }
}

/// The longest tag held inline in a [`Lang`].
const INLINE_TAG: usize = 22;

/// The text of a tag: inline when it fits (no allocation to make or clone
/// it), else on the heap.
#[derive(Clone)]
enum Tag {
    Inline { len: u8, bytes: [u8; INLINE_TAG] },
    Heap(Box<str>),
}

impl Tag {
    fn new(s: &str) -> Tag {
        if s.len() <= INLINE_TAG {
            let mut bytes = [0u8; INLINE_TAG];
            bytes[..s.len()].copy_from_slice(s.as_bytes());
            Tag::Inline {
                len: s.len() as u8,
                bytes,
            }
        } else {
            Tag::Heap(s.into())
        }
    }

    fn as_str(&self) -> &str {
        match self {
            // Always valid: the bytes were copied from a `str`.
            Tag::Inline { len, bytes } => std::str::from_utf8(&bytes[..*len as usize]).unwrap_or_default(),
            Tag::Heap(s) => s,
        }
    }

    /// The tag's bytes, without the UTF-8 check of [`as_str`](Self::as_str).
    fn bytes(&self) -> &[u8] {
        match self {
            Tag::Inline { len, bytes } => &bytes[..*len as usize],
            Tag::Heap(s) => s.as_bytes(),
        }
    }
}

/// How well a stored language tag serves a requested one; see [`Lang::match_quality`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LangMatch {
    /// Same primary language, but a region or script that conflicts with the
    /// request (asked `en-US`, have `en-GB`).
    Related,
    /// The request is less specific than the stored tag, or the reverse
    /// (asked `az`, have `az-Latn`).
    Compatible,
    /// The same tag.
    Exact,
}

/// The casing rules a language uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Casing {
    /// Unicode default case mapping.
    Default,
    /// Turkish and Azerbaijani: I ↔ ı and İ ↔ i.
    Turkic,
}

impl Lang {
    /// Parses a BCP-47 tag. `_` is accepted as a separator; case is ignored.
    ///
    /// Fails on anything that is not well-formed BCP-47, with a suggestion for
    /// common mistakes (`english` → `en`, `tur` → `tr`).
    pub fn parse(tag: &str) -> Result<Lang> {
        let trimmed = tag.trim();
        if trimmed.is_empty() {
            return Err(Error::InvalidLanguage {
                tag: tag.to_string(),
                message: "empty language tag".into(),
            });
        }
        if let Some(lang) = Lang::parse_canonical(trimmed) {
            return Ok(lang);
        }
        Lang::parse_icu(tag, trimmed)
    }

    /// The fast path of [`parse`](Self::parse): a tag already in canonical
    /// form `ll[l][-Ssss][-RR|-999]` (what korpu itself writes, so what
    /// glossary and TM files hold) is taken as is, without ICU. It gives the
    /// same `Lang` as the ICU path (property-tested).
    fn parse_canonical(tag: &str) -> Option<Lang> {
        let mut parts = tag.split('-');
        let primary = parts.next()?;
        if !(2..=3).contains(&primary.len()) || !primary.bytes().all(|b| b.is_ascii_lowercase()) {
            return None;
        }
        if primary == "und" {
            return None;
        }
        let mut next = parts.next();
        if let Some(script) = next
            && script.len() == 4
        {
            let b = script.as_bytes();
            if !(b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_lowercase)) {
                return None;
            }
            next = parts.next();
        }
        if let Some(region) = next {
            let b = region.as_bytes();
            let ok = (b.len() == 2 && b.iter().all(u8::is_ascii_uppercase))
                || (b.len() == 3 && b.iter().all(u8::is_ascii_digit));
            if !ok {
                return None;
            }
        }
        if parts.next().is_some() {
            return None;
        }
        Some(Lang {
            tag: Tag::new(tag),
            primary_len: primary.len() as u8,
        })
    }

    fn parse_icu(tag: &str, trimmed: &str) -> Result<Lang> {
        let dashed = trimmed.replace('_', "-");
        match icu_locale_core::Locale::try_from_str(&dashed) {
            Ok(locale) => {
                let canonical = locale.to_string();
                let primary_len = canonical.find('-').unwrap_or(canonical.len());
                if locale.id.language.is_unknown() && !dashed.eq_ignore_ascii_case("und") {
                    return Err(invalid(tag, "no primary language subtag"));
                }
                Ok(Lang {
                    primary_len: primary_len.min(u8::MAX as usize) as u8,
                    tag: Tag::new(&canonical),
                })
            }
            Err(_) => Err(invalid(tag, "not a well-formed BCP-47 tag")),
        }
    }

    /// The tag in canonical case, e.g. `az-Latn-AZ`.
    pub fn as_str(&self) -> &str {
        self.tag.as_str()
    }

    /// The primary language subtag, lowercase: `az` for `az-Latn-AZ`.
    pub fn primary(&self) -> &str {
        std::str::from_utf8(self.primary_bytes()).unwrap_or_default()
    }

    /// The script subtag (`Latn`), if the tag has one.
    pub fn script(&self) -> Option<&str> {
        self.subtags()
            .skip(1)
            .take_while(|s| s.len() != 1)
            .find(|s| s.len() == 4 && s.bytes().all(|b| b.is_ascii_alphabetic()))
    }

    /// The region subtag (`AZ`, `419`), if the tag has one.
    pub fn region(&self) -> Option<&str> {
        self.subtags().skip(1).take_while(|s| s.len() != 1).find(|s| {
            (s.len() == 2 && s.bytes().all(|b| b.is_ascii_alphabetic()))
                || (s.len() == 3 && s.bytes().all(|b| b.is_ascii_digit()))
        })
    }

    fn subtags(&self) -> impl Iterator<Item = &str> {
        self.as_str().split('-')
    }

    /// The casing rules of this language.
    pub fn casing(&self) -> Casing {
        if self.is_turkic() {
            Casing::Turkic
        } else {
            Casing::Default
        }
    }

    /// True for the languages whose casing maps I ↔ ı and İ ↔ i: Turkish (`tr`)
    /// and Azerbaijani (`az`), the two CLDR gives Turkic casing. Other Turkic
    /// languages in Cyrillic script do not need it.
    pub fn is_turkic(&self) -> bool {
        matches!(self.primary_bytes(), b"tr" | b"az")
    }

    fn primary_bytes(&self) -> &[u8] {
        self.tag
            .bytes()
            .get(..self.primary_len as usize)
            .unwrap_or_default()
    }

    /// How well `self` (a stored tag) serves `wanted` (a requested tag), or
    /// `None` when the primary languages differ.
    ///
    /// `az` matches `az-Latn` and `AZ` ([`LangMatch::Compatible`]); `az-Latn-AZ`
    /// matches itself exactly; `en-US` and `en-GB` are only
    /// [`LangMatch::Related`].
    pub fn match_quality(&self, wanted: &Lang) -> Option<LangMatch> {
        if self.primary_bytes() != wanted.primary_bytes() {
            return None;
        }
        if self == wanted {
            return Some(LangMatch::Exact);
        }
        let conflict = |a: Option<&str>, b: Option<&str>| matches!((a, b), (Some(x), Some(y)) if x != y);
        if conflict(self.script(), wanted.script()) || conflict(self.region(), wanted.region()) {
            Some(LangMatch::Related)
        } else {
            Some(LangMatch::Compatible)
        }
    }

    /// True when `self` serves a request for `wanted` without conflict: the
    /// same primary language, and no script or region that contradicts it.
    pub fn matches(&self, wanted: &Lang) -> bool {
        self.match_quality(wanted)
            .is_some_and(|q| q >= LangMatch::Compatible)
    }

    /// The Snowball stemmer for this language, when rust-stemmers has one.
    pub(crate) fn stemmer_algorithm(&self) -> Option<rust_stemmers::Algorithm> {
        use rust_stemmers::Algorithm::*;
        Some(match self.primary() {
            "ar" => Arabic,
            "da" => Danish,
            "nl" => Dutch,
            "en" => English,
            "fi" => Finnish,
            "fr" => French,
            "de" => German,
            "el" => Greek,
            "hu" => Hungarian,
            "it" => Italian,
            "no" | "nb" | "nn" => Norwegian,
            "pt" => Portuguese,
            "ro" => Romanian,
            "ru" => Russian,
            "es" => Spanish,
            "sv" => Swedish,
            "ta" => Tamil,
            "tr" => Turkish,
            _ => return None,
        })
    }
}

fn invalid(tag: &str, why: &str) -> Error {
    let message = match suggest(tag) {
        Some(s) => format!("{why}; did you mean {s:?}?"),
        None => format!("{why}; expected a BCP-47 tag such as \"en\", \"tr-TR\" or \"az-Latn\""),
    };
    Error::InvalidLanguage {
        tag: tag.to_string(),
        message,
    }
}

/// A tag for the language names and ISO 639-2/3 codes users type by mistake.
fn suggest(tag: &str) -> Option<&'static str> {
    let t = tag.trim().to_ascii_lowercase();
    Some(match t.as_str() {
        "english" | "eng" | "ingilis" | "ingilizce" => "en",
        "turkish" | "tur" | "türkçe" | "turkce" | "türk" => "tr",
        "azerbaijani" | "azeri" | "aze" | "azerice" | "azərbaycan" | "azərbaycanca" => "az",
        "russian" | "rus" => "ru",
        "german" | "deu" | "ger" => "de",
        "french" | "fra" | "fre" => "fr",
        "spanish" | "spa" => "es",
        "en_uk" | "en-uk" => "en-GB",
        _ => return None,
    })
}

impl FromStr for Lang {
    type Err = Error;
    fn from_str(s: &str) -> Result<Lang> {
        Lang::parse(s)
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Lang({})", self.as_str())
    }
}

impl serde::Serialize for Lang {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Lang {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Lang, D::Error> {
        // A visitor, not `Cow<str>` (which serde always fills with an owned
        // copy): parsing borrows the tag where the format allows.
        struct TagVisitor;
        impl serde::de::Visitor<'_> for TagVisitor {
            type Value = Lang;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a BCP-47 language tag")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Lang, E> {
                Lang::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_str(TagVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(s: &str) -> Lang {
        Lang::parse(s).unwrap()
    }

    #[test]
    fn canonical_case_and_separators() {
        assert_eq!(l("AZ-latn-az").as_str(), "az-Latn-AZ");
        assert_eq!(l("AZ-latn-az").primary(), "az");
        assert_eq!(l("eN-uS").as_str(), "en-US");
        assert_eq!(l("tr_TR").as_str(), "tr-TR");
        assert_eq!(l("es-419").region(), Some("419"));
        assert_eq!(l("az-Cyrl").script(), Some("Cyrl"));
        assert_eq!(l("en").region(), None);
    }

    #[test]
    fn rejects_garbage_with_a_suggestion() {
        let e = Lang::parse("turkish").unwrap_err().to_string();
        assert!(e.contains("did you mean \"tr\""), "{e}");
        assert!(Lang::parse("").is_err());
        assert!(Lang::parse("e").is_err());
        assert!(Lang::parse("en--US").is_err());
    }

    #[test]
    fn matching_is_by_primary_with_conflicts_ranked_lower() {
        assert_eq!(l("az-Latn").match_quality(&l("az")), Some(LangMatch::Compatible));
        assert_eq!(l("AZ").match_quality(&l("az")), Some(LangMatch::Exact));
        assert_eq!(l("en-GB").match_quality(&l("en-US")), Some(LangMatch::Related));
        assert_eq!(l("tr").match_quality(&l("az")), None);
        assert!(l("az-Latn-AZ").matches(&l("az")));
        assert!(!l("az-Cyrl").matches(&l("az-Latn")));
    }

    #[test]
    fn long_tags_live_on_the_heap_and_behave_the_same() {
        let long = l("az-Latn-AZ-x-korpu-glossary");
        assert!(long.as_str().len() > INLINE_TAG);
        assert!(matches!(long.tag, Tag::Heap(_)));
        assert!(matches!(l("az-Latn-AZ").tag, Tag::Inline { .. }));
        assert_eq!(long.as_str(), "az-Latn-AZ-x-korpu-glossary");
        assert_eq!(long.primary(), "az");
        assert_eq!(long.clone(), long);
        assert!(long.matches(&l("az")));
        assert!(l("az-Latn-AZ") < long && long < l("az-Latn-BA"));
        let mut set = std::collections::HashSet::new();
        set.insert(long.clone());
        assert!(set.contains(&l("az-latn-az-x-KORPU-glossary")));
    }

    #[test]
    fn turkic_casing_is_tr_and_az_only() {
        assert_eq!(l("tr-TR").casing(), Casing::Turkic);
        assert_eq!(l("az-Latn-AZ").casing(), Casing::Turkic);
        assert_eq!(l("en").casing(), Casing::Default);
        assert_eq!(l("ru").casing(), Casing::Default);
    }

    proptest::proptest! {
        /// The canonical-form fast path agrees with ICU on every tag it takes
        /// (and on near misses, which it leaves to ICU).
        #[test]
        fn fast_path_agrees_with_icu(tag in "[a-zA-Z]{1,4}(-[A-Za-z]{1,5})?(-[A-Za-z0-9]{2,3})?") {
            let icu = Lang::parse_icu(&tag, &tag).ok();
            if let Some(fast) = Lang::parse_canonical(&tag) {
                proptest::prop_assert_eq!(Some(&fast), icu.as_ref());
                proptest::prop_assert_eq!(fast.primary_len, icu.as_ref().map_or(0, |l| l.primary_len));
            }
            proptest::prop_assert_eq!(Lang::parse(&tag).ok(), icu);
        }
    }

    #[test]
    fn fast_path_takes_canonical_tags() {
        for t in [
            "tr",
            "az",
            "en",
            "az-Latn",
            "az-Latn-AZ",
            "en-GB",
            "es-419",
            "fil",
        ] {
            assert!(Lang::parse_canonical(t).is_some(), "{t}");
            assert_eq!(Lang::parse_canonical(t), Lang::parse_icu(t, t).ok());
        }
        for t in ["und", "AZ", "az_Latn", "az-latn", "en-gb", "az-Latn-AZ-x-foo"] {
            assert!(Lang::parse_canonical(t).is_none(), "{t}");
        }
    }
}
