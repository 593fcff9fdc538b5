//! Abbreviation lists: which words before a period do not end a sentence.
//!
//! The built-in lists live in `src/segment/abbrev/{en,tr,az}.txt` (compiled in)
//! and use a small text format that users can write too; see
//! [`Abbreviations::extend_from_str`].

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::path::Path;

use crate::error::{Error, Location, Result};
use crate::lang::Lang;
use crate::text::case_key;

/// FNV-1a: keys are short words probed once per sentence end, where
/// SipHash's DoS resistance buys nothing (the lists are the user's own).
#[derive(Default, Clone, Copy)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FnvBuild = BuildHasherDefault<Fnv>;

const EN: &str = include_str!("abbrev/en.txt");
const TR: &str = include_str!("abbrev/tr.txt");
const AZ: &str = include_str!("abbrev/az.txt");

/// How an abbreviation acts before a capitalized word.
///
/// Before a number or a lowercase word no abbreviation ends a sentence; the
/// kind only matters before a capitalized word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AbbrevKind {
    /// A title before a name (`Mr.`, `Prof.`, `Doç.`): never ends a sentence.
    Title,
    /// Usually inside a sentence (`U.S.`, `Jan.`, `e.g.`, `T.C.`): ends one only
    /// before a sentence starter (`The`, `Bu`).
    Inner,
    /// Often the last word of a sentence (`etc.`, `Inc.`, `vb.`, `və s.`): ends
    /// one before any capitalized word.
    Final,
}

#[derive(Clone, Copy, Debug)]
struct Entry {
    kind: AbbrevKind,
    /// A capitalized title only matches capitalized text ("Gen." vs "gen.").
    needs_capital: bool,
}

/// A language's abbreviations and sentence starters.
///
/// Keys are compared with the language's case key (Turkish `İst.` matches
/// `İST.`, and `I` folds to `ı`), with the spaces after inner periods ignored
/// (`a. m.` is `a.m.`). Lookups cost one hash probe plus the case folding of a
/// short word.
///
/// ```
/// use korpu::Lang;
/// use korpu::segment::{AbbrevKind, Abbreviations};
/// let tr: Lang = "tr".parse()?;
/// let mut abbrevs = Abbreviations::for_lang(&tr);
/// assert_eq!(abbrevs.get("Doç."), Some(AbbrevKind::Title));
/// assert_eq!(abbrevs.get("VB"), Some(AbbrevKind::Final));
/// abbrevs.insert("Müst.", AbbrevKind::Title);
/// abbrevs.extend_from_str("[inner]\nKtp.\n")?;
/// assert_eq!(abbrevs.get("ktp."), Some(AbbrevKind::Inner));
/// # Ok::<(), korpu::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Abbreviations {
    lang: Lang,
    turkic: bool,
    entries: HashMap<String, Entry, FnvBuild>,
    starters: HashSet<String, FnvBuild>,
    /// The last words of multi-word abbreviations ("s" of "və s."), so that
    /// the segmenter tries a two-word lookup only where one can match.
    multi_last: HashSet<String, FnvBuild>,
    /// Prefilters: for an ASCII first letter, a bit per key length (in
    /// bytes, up to 63) that some key of `entries` / `multi_last` has, so
    /// that most ordinary words are rejected without hashing.
    entry_lens: LenFilter,
    multi_lens: LenFilter,
}

#[derive(Clone, Debug)]
struct LenFilter([u64; 128]);

impl Default for LenFilter {
    fn default() -> LenFilter {
        LenFilter([0; 128])
    }
}

impl LenFilter {
    fn add(&mut self, key: &str) {
        // Keys that start with a non-ASCII letter, or are longer than 63
        // bytes, can only match words that `may_contain` lets through anyway.
        if let Some(&b) = key.as_bytes().first()
            && b.is_ascii()
            && key.len() < 64
        {
            self.0[usize::from(b)] |= 1 << key.len();
        }
    }

    /// False only when no key can equal `word`'s key: `word` is plain ASCII
    /// (its key has its length and its lowercased first byte) and no key has
    /// that first byte and length.
    fn may_contain(&self, word: &str) -> bool {
        let w = word.trim_end_matches('.');
        let b = w.as_bytes();
        let Some(&first) = b.first() else { return true };
        // Non-ASCII words and Turkic "I" (→ "ı") may change length or first
        // byte when keyed.
        if !w.is_ascii() || first == b'I' || b.iter().any(|c| c.is_ascii_whitespace()) || b.len() >= 64 {
            return true;
        }
        self.0[usize::from(first.to_ascii_lowercase())] & (1 << b.len()) != 0
    }
}

impl Abbreviations {
    /// An empty list for `lang` (the generic rules use no abbreviations).
    pub fn empty(lang: &Lang) -> Abbreviations {
        Abbreviations {
            lang: lang.clone(),
            turkic: lang.is_turkic(),
            entries: HashMap::default(),
            starters: HashSet::default(),
            multi_last: HashSet::default(),
            entry_lens: LenFilter::default(),
            multi_lens: LenFilter::default(),
        }
    }

    /// The built-in list for `lang`: English, Turkish and Azerbaijani have one;
    /// other languages get an empty list.
    pub fn for_lang(lang: &Lang) -> Abbreviations {
        let mut list = Abbreviations::empty(lang);
        if let Some(data) = builtin_data(lang) {
            // The built-in files are tested; a failure here is a build defect.
            if let Err(e) = list.extend_from_str(data) {
                debug_assert!(false, "built-in abbreviations: {e}");
            }
        }
        list
    }

    /// The language whose case rules the keys use.
    pub fn lang(&self) -> &Lang {
        &self.lang
    }

    /// Adds (or reclassifies) one abbreviation, written with its periods.
    /// Words separated by spaces make a multi-word abbreviation (`və s.`).
    pub fn insert(&mut self, abbrev: &str, kind: AbbrevKind) {
        let needs_capital =
            kind == AbbrevKind::Title && abbrev.chars().next().is_some_and(char::is_uppercase);
        let key = self.key(abbrev);
        // "a.m." may be written "a. m.": its last part can end a two-word match.
        if let Some((_, last)) = key.rsplit_once([' ', '.'])
            && !last.is_empty()
        {
            self.multi_lens.add(last);
            self.multi_last.insert(last.to_string());
        }
        if !key.is_empty() {
            self.entry_lens.add(&key);
            self.entries.insert(key, Entry { kind, needs_capital });
        }
    }

    /// Adds a sentence starter: a capitalized word that, after an
    /// [`AbbrevKind::Inner`] abbreviation or an initial, begins a new sentence.
    pub fn insert_starter(&mut self, word: &str) {
        let key = case_key(word.trim(), &self.lang).into_owned();
        if !key.is_empty() {
            self.starters.insert(key);
        }
    }

    /// The kind of `abbrev` (with or without its final period), if listed.
    pub fn get(&self, abbrev: &str) -> Option<AbbrevKind> {
        self.entries.get(&self.key(abbrev)).map(|e| e.kind)
    }

    /// Like [`get`](Self::get) but honouring capitalized titles: `word` as it
    /// appears in the text.
    pub(crate) fn lookup(&self, word: &str) -> Option<AbbrevKind> {
        if self.entries.is_empty() || !self.entry_lens.may_contain(word) {
            return None;
        }
        let entry = self.with_key(word, |k| self.entries.get(k).copied())?;
        if entry.needs_capital && !word.chars().next().is_some_and(char::is_uppercase) {
            return None;
        }
        Some(entry.kind)
    }

    /// True if `word` is a listed sentence starter.
    pub fn is_starter(&self, word: &str) -> bool {
        !self.starters.is_empty() && self.with_key(word, |k| self.starters.contains(k))
    }

    /// True if `word` is the last word of a multi-word abbreviation.
    pub(crate) fn ends_multiword(&self, word: &str) -> bool {
        !self.multi_last.is_empty()
            && self.multi_lens.may_contain(word)
            && self.with_key(word, |k| self.multi_last.contains(k))
    }

    /// Calls `f` with the key of `word`. Short ASCII words (the common case)
    /// are keyed in a stack buffer, without the allocation and Unicode case
    /// mapping of [`key`](Self::key); the result is the same.
    fn with_key<R>(&self, word: &str, f: impl FnOnce(&str) -> R) -> R {
        const MAX: usize = 64;
        if word.len() > MAX {
            return f(&self.key(word));
        }
        let trimmed = word.trim().trim_end_matches('.');
        let mut buf = [0u8; MAX + 8];
        let mut n = 0;
        let mut space = false;
        for c in trimmed.chars() {
            if c.is_whitespace() {
                space = true;
                continue;
            }
            if space && n > 0 && buf[n - 1] != b'.' {
                buf[n] = b' ';
                n += 1;
            }
            space = false;
            // Letters whose lowercase needs no Unicode case mapping; anything
            // else takes the slow path.
            let lower = match c {
                'I' if self.turkic => 'ı',
                'İ' if self.turkic => 'i',
                'I' | 'İ' => return f(&self.key(word)),
                c if c.is_ascii() => c.to_ascii_lowercase(),
                'ç' | 'ğ' | 'ı' | 'ö' | 'ş' | 'ü' | 'ə' | 'â' | 'î' | 'û' => c,
                'Ç' => 'ç',
                'Ğ' => 'ğ',
                'Ö' => 'ö',
                'Ş' => 'ş',
                'Ü' => 'ü',
                'Ə' => 'ə',
                _ => return f(&self.key(word)),
            };
            n += lower.encode_utf8(&mut buf[n..]).len();
            if n > MAX {
                return f(&self.key(word));
            }
        }
        f(std::str::from_utf8(&buf[..n]).unwrap_or_default())
    }

    /// The number of abbreviations.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no abbreviations.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Adds the entries of a list in korpu's abbreviation format:
    ///
    /// ```text
    /// # a comment
    /// [title]
    /// Mr. Dr. Prof.
    /// [inner]
    /// U.S. Jan. e.g.
    /// [final]
    /// etc. Inc. və s.
    /// [starters]
    /// The He She
    /// ```
    ///
    /// Entries are separated by white space; one that does not end in a
    /// period runs on into the next on the same line (`və s.`, `et al.`).
    /// Entries before any section header are [`AbbrevKind::Final`]. An
    /// unknown section is an error with its line and column.
    pub fn extend_from_str(&mut self, data: &str) -> Result<()> {
        #[derive(Clone, Copy)]
        enum Section {
            Kind(AbbrevKind),
            Starters,
        }
        let mut section = Section::Kind(AbbrevKind::Final);
        for (n, raw) in data.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            if let Some(name) = line.strip_prefix('[') {
                let name = name.trim_end_matches(']').trim();
                section = match name {
                    "title" => Section::Kind(AbbrevKind::Title),
                    "inner" => Section::Kind(AbbrevKind::Inner),
                    "final" => Section::Kind(AbbrevKind::Final),
                    "starters" => Section::Starters,
                    _ => {
                        let col = raw.find('[').map_or(1, |i| raw[..i].chars().count() + 1);
                        return Err(Error::parse(
                            Location::new(n as u64 + 1, col as u64),
                            format!(
                                "unknown section [{name}]; expected [title], [inner], [final] or [starters]"
                            ),
                        ));
                    }
                };
                continue;
            }
            match section {
                Section::Starters => line.split_whitespace().for_each(|w| self.insert_starter(w)),
                Section::Kind(kind) => {
                    let mut pending = String::new();
                    for word in line.split_whitespace() {
                        if !pending.is_empty() {
                            pending.push(' ');
                        }
                        pending.push_str(word);
                        if word.ends_with('.') {
                            self.insert(&pending, kind);
                            pending.clear();
                        }
                    }
                    if !pending.is_empty() {
                        self.insert(&pending, kind);
                    }
                }
            }
        }
        Ok(())
    }

    /// Adds the entries of a file in the format of
    /// [`extend_from_str`](Self::extend_from_str). Errors name the file.
    pub fn extend_from_path(&mut self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let data = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        self.extend_from_str(&data).map_err(|e| e.in_file(path))
    }

    /// The lookup key: no final period, case-folded, no spaces after inner
    /// periods, single spaces elsewhere.
    fn key(&self, abbrev: &str) -> String {
        let trimmed = abbrev.trim().trim_end_matches('.');
        let folded = case_key(trimmed, &self.lang);
        let mut key = String::with_capacity(folded.len());
        let mut space = false;
        for c in folded.chars() {
            if c.is_whitespace() {
                space = true;
                continue;
            }
            if space && !key.ends_with('.') && !key.is_empty() {
                key.push(' ');
            }
            space = false;
            key.push(c);
        }
        key
    }
}

fn builtin_data(lang: &Lang) -> Option<&'static str> {
    match lang.primary() {
        "en" => Some(EN),
        "tr" => Some(TR),
        "az" => Some(AZ),
        _ => None,
    }
}

/// True when korpu ships an abbreviation list for `lang`.
pub(crate) fn has_builtin(lang: &Lang) -> bool {
    builtin_data(lang).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(s: &str) -> Lang {
        Lang::parse(s).unwrap()
    }

    #[test]
    fn builtin_lists_parse_and_classify() {
        let en = Abbreviations::for_lang(&l("en"));
        assert!(en.len() > 200, "{}", en.len());
        assert_eq!(en.get("Mr."), Some(AbbrevKind::Title));
        assert_eq!(en.get("u.s."), Some(AbbrevKind::Inner));
        assert_eq!(en.get("a. m."), Some(AbbrevKind::Final));
        assert_eq!(en.get("et al."), Some(AbbrevKind::Inner));
        assert_eq!(en.get("house"), None);
        assert!(en.is_starter("The"));
        assert!(!en.is_starter("Tolkien"));
        let tr = Abbreviations::for_lang(&l("tr-TR"));
        assert_eq!(tr.get("DOÇ."), Some(AbbrevKind::Title));
        assert_eq!(tr.get("İST."), Some(AbbrevKind::Title));
        assert_eq!(tr.get("ist"), Some(AbbrevKind::Title));
        assert_eq!(tr.get("T.C."), Some(AbbrevKind::Inner));
        let az = Abbreviations::for_lang(&l("az-Latn-AZ"));
        assert_eq!(az.get("və s."), Some(AbbrevKind::Final));
        assert_eq!(az.get("VƏ  S"), Some(AbbrevKind::Final));
        assert_eq!(az.get("küç."), Some(AbbrevKind::Title));
        assert!(az.is_starter("BU"));
        assert!(az.ends_multiword("s") && !az.ends_multiword("və"));
        assert!(en.ends_multiword("m") && en.ends_multiword("al"));
        assert!(Abbreviations::for_lang(&l("de")).is_empty());
    }

    #[test]
    fn capitalized_titles_need_capitals() {
        let tr = Abbreviations::for_lang(&l("tr"));
        assert_eq!(tr.lookup("Gen"), Some(AbbrevKind::Title));
        assert_eq!(tr.lookup("gen"), None);
        let az = Abbreviations::for_lang(&l("az"));
        assert_eq!(az.lookup("Küç"), Some(AbbrevKind::Title));
    }

    #[test]
    fn fast_keys_equal_slow_keys() {
        let tr = Abbreviations::for_lang(&l("tr"));
        for w in [
            "Dr.", "e.g.", "a. m.", " vb ", "DOC", "Iz.", "x  y.", "..", "", "İST.", "DOÇ", "Şəh.", "ŞUŞA",
            "Éc.", "və  s.",
        ] {
            assert_eq!(tr.with_key(w, str::to_string), tr.key(w), "{w:?}");
            let en = Abbreviations::for_lang(&l("en"));
            assert_eq!(en.with_key(w, str::to_string), en.key(w), "{w:?}");
        }
    }

    #[test]
    fn turkic_case_matters() {
        // "I" folds to "ı" in Turkish: "INŞ." is not "İnş.".
        let tr = Abbreviations::for_lang(&l("tr"));
        assert_eq!(tr.get("İNŞ."), Some(AbbrevKind::Inner));
        assert_eq!(tr.get("INŞ."), None);
    }

    #[test]
    fn bad_section_names_its_line() {
        let mut a = Abbreviations::empty(&l("en"));
        let e = a.extend_from_str("Foo.\n\n  [titles]\n").unwrap_err().to_string();
        assert!(e.contains(":3:3"), "{e}");
        assert_eq!(a.get("foo"), Some(AbbrevKind::Final));
    }
}
