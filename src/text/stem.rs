//! Suffix analysis: is a word a term plus a valid inflectional suffix chain?
//!
//! Turkish and Azerbaijani glue case, number and possession onto nouns
//! (`Şuşa'da`, `Azərbaycanın`, `beyannamesini`), so a glossary that matches whole
//! words misses most occurrences of its terms. This module decides, per
//! language, whether a surface word is a base word followed by a chain of
//! *inflectional* suffixes.
//!
//! - **Turkish** (`tr`) and **Azerbaijani** (`az`): a small finite-state grammar
//!   over suffix morphemes, validated left to right:
//!   `base (plural)? (possessive)? (case)? (-ki (plural)? (case)?)? (copula)?`.
//!   Each morpheme is a template with archiphonemes resolved by the text so
//!   far: 2-way vowel harmony (`-lar/-ler`, az `-lar/-lər`), 4-way harmony
//!   (`-ın/-in/-un/-ün`), the buffer consonants n, y, s after a vowel
//!   (`Türkiye'nin`, `Şuşa'ya`, `beyannamesi`), the pronominal n after a
//!   third-person possessive (`Beyannamesi'nde`), and in Turkish the devoicing
//!   of a suffix-initial `d` after a voiceless consonant (`Paris'te`). Bases may
//!   show the stem-final alternation k→ğ, p→b, t→d, ç→c, nk→ng (tr) and q→ğ,
//!   k→y (az) before a vowel (`kitabı` is `kitap` + `-ı`). An apostrophe
//!   (`'`, `’`, `ʼ`) fixes the split point: what follows must be a chain, and no
//!   alternation happens across it.
//! - **English** (`en`): plurals (`-s`, `-es`, `-ies`) and possessives (`'s`, `s'`).
//! - Other languages: no suffixes; only the whole word matches.
//!
//! Derivational suffixes are *not* inflection: `Ankaralı`, `Türkiyeli`,
//! `azərbaycanca`, `Ermenice` do not analyse as forms of `Ankara`, `Türkiye`,
//! `Azərbaycan`, `Ermeni`. A suffix in the wrong harmony is not a match either:
//! `Bakunin` is not `Baku` + `-nin` (that would be `Baku'nun`).
//!
//! Known limits: vowel-dropping stems (`şehir` → `şehri`), personal copula
//! endings (`-(y)Im`, `-sIn`) and irregular English plurals are not analysed.
//! After a base ending in a high vowel the pronominal n is accepted even when
//! the base is not a possessive (`Bakında` passes for `Bakı`), because the
//! analyser sees a word, not its morphology; such forms do not occur in text,
//! so this only costs precision in theory.
//!
//! Everything works on [case keys](super::case_key), so `KARABAĞ'DAKİ` is
//! analysed as `karabağ'daki`.
//!
//! ```
//! use korpu::{Lang, text::stem};
//! let tr: Lang = "tr".parse()?;
//! let az: Lang = "az".parse()?;
//! assert!(stem::inflection("Şuşa", "Şuşa'da", &tr).is_some());
//! assert!(stem::inflection("Türkiye", "KARABAĞ'DAKİ", &tr).is_none());
//! assert!(stem::inflection("Karabağ", "KARABAĞ'DAKİ", &tr).is_some());
//! assert!(stem::inflection("Azərbaycan", "Azərbaycanın", &az).is_some());
//! assert!(stem::inflection("Azərbaycan", "Azərbaycanlı", &az).is_none()); // derivation
//! assert!(stem::inflection("Baku", "Bakunin", &"en".parse()?).is_none());
//! assert!(stem::inflection("Baku", "Bakunin", &tr).is_none()); // wrong harmony
//!
//! // Every base a surface word may come from, longest first:
//! let bases: Vec<String> = stem::analyses("kitabı", &tr).into_iter().map(|a| a.base).collect();
//! assert!(bases.contains(&"kitap".to_string()));
//! # Ok::<(), korpu::Error>(())
//! ```

use crate::lang::Lang;

use super::normalize::{case_key, is_apostrophe};

/// One way of reading a surface word as base + inflectional suffixes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inflection {
    /// The base form, as a case key (lowercase, NFC): `kitap` for `Kitabı`.
    pub base: String,
    /// How many characters of the surface's case key belong to the stem
    /// (the base as written in the surface: `kitab` of `kitabı`, 5 chars).
    /// For Turkish and Azerbaijani this is also the character count in the
    /// surface as written, since Turkic lowercasing maps one char to one char.
    pub stem_chars: usize,
    /// The suffix chain as a case key, apostrophe included: `'da`, `nın`.
    pub suffix: String,
    /// True when an apostrophe separates stem and suffix.
    pub apostrophe: bool,
    /// True when the stem's last consonant alternated (`kitab` for `kitap`).
    pub alternated: bool,
}

/// Reads `surface` as `base` + a valid inflectional suffix chain in `lang`.
///
/// Both are compared as case keys. Returns `None` when `surface` is `base`
/// itself (no suffix), or when the rest is not an inflection (a derivation, a
/// wrong harmony, another word).
///
/// Cost: one [`analyses`] of `surface` (a few hundred nanoseconds for a
/// typical word) plus a case key of `base`.
pub fn inflection(base: &str, surface: &str, lang: &Lang) -> Option<Inflection> {
    let base = case_key(base, lang);
    analyses(surface, lang).into_iter().find(|a| a.base == *base)
}

/// True when `suffix` is a valid inflectional suffix chain after `stem`, both
/// as written in the text (`is_suffix_chain("Şuşa", "'da", tr)`). An empty
/// suffix is not a chain. The stem's last letters decide harmony, buffers and
/// devoicing.
pub fn is_suffix_chain(stem: &str, suffix: &str, lang: &Lang) -> bool {
    let stem_key: Vec<char> = case_key(stem, lang).chars().collect();
    let suffix_key: Vec<char> = case_key(suffix, lang).chars().collect();
    if stem_key.is_empty() || suffix_key.is_empty() {
        return false;
    }
    let acronym = looks_like_acronym(stem);
    match grammar_of(lang) {
        Some(Grammar::Turkic(g)) => {
            let (rest, apostrophe) = match suffix_key.split_first() {
                Some((c, rest)) if is_apostrophe(*c) => (rest, true),
                _ => (&suffix_key[..], false),
            };
            !rest.is_empty() && (apostrophe || !rest.iter().any(|&c| is_apostrophe(c))) && {
                contexts(g, &stem_key, acronym).any(|ctx| g.chain(rest, ctx))
            }
        }
        Some(Grammar::English) => {
            let whole: String = stem_key.iter().chain(suffix_key.iter()).collect();
            english_analyses(&whole)
                .iter()
                .any(|a| a.stem_chars == stem_key.len())
        }
        None => false,
    }
}

/// Every reading of `surface` as base + a non-empty inflectional suffix chain
/// in `lang`, longest stem first. Empty for languages without a suffix
/// grammar (only `tr`, `az` and `en` have one) and for words with no suffix.
///
/// A Turkish or Azerbaijani stem must keep at least two characters; one
/// stem may yield two bases when its last consonant may have alternated
/// (`kitab-ı` → `kitab`, `kitap`).
pub fn analyses(surface: &str, lang: &Lang) -> Vec<Inflection> {
    analyses_within(surface, lang, usize::MAX)
}

/// [`analyses`] restricted to stems of at most `max_stem_chars` characters
/// (the glossary scanner knows no term is longer).
pub(crate) fn analyses_within(surface: &str, lang: &Lang, max_stem_chars: usize) -> Vec<Inflection> {
    let Some(grammar) = grammar_of(lang) else {
        return Vec::new();
    };
    let key = case_key(surface, lang);
    match grammar {
        Grammar::English => {
            let mut v = english_analyses(&key);
            v.retain(|a| a.stem_chars <= max_stem_chars);
            v
        }
        Grammar::Turkic(g) => {
            let chars: Vec<char> = key.chars().collect();
            turkic_analyses(g, &chars, looks_like_acronym(surface), max_stem_chars)
        }
    }
}

/// The stem-final consonant alternations of `lang`'s suffix grammar, as
/// (written in the inflected form, in the base): `('b', 'p')` for Turkish
/// `kitab-ı` / `kitap`. Empty for languages without them.
pub(crate) fn alternations(lang: &Lang) -> &'static [(char, char)] {
    match grammar_of(lang) {
        Some(Grammar::Turkic(g)) => g.alternations,
        _ => &[],
    }
}

enum Grammar {
    Turkic(&'static Turkic),
    English,
}

fn grammar_of(lang: &Lang) -> Option<Grammar> {
    match lang.primary() {
        "tr" => Some(Grammar::Turkic(&TURKISH)),
        "az" => Some(Grammar::Turkic(&AZERBAIJANI)),
        "en" => Some(Grammar::English),
        _ => None,
    }
}

/// Acronyms (`BM`, `ABD`, `AGİT`) are read letter by letter, so their suffixes
/// follow the spoken letter names, not the written vowels: any harmony passes.
fn looks_like_acronym(word: &str) -> bool {
    let stem: &str = word.split(is_apostrophe).next().unwrap_or(word);
    let letters = stem.chars().filter(|c| c.is_alphabetic()).count();
    (2..=5).contains(&letters) && stem.chars().all(|c| !c.is_alphabetic() || c.is_uppercase())
}

// ---------------------------------------------------------------------------
// Turkish and Azerbaijani

/// The morpheme slots, in the order a noun takes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    Plural,
    Possessive,
    Case,
    Ki,
    Copula,
}

/// One suffix morpheme. Templates use archiphonemes: `A` 2-way harmony
/// (a/e, az a/ə), `I` 4-way harmony (ı/i/u/ü), `Y` 2-way high (ı/i, az `-kı`),
/// `D` d/t (t after a voiceless consonant in Turkish). Lowercase is literal.
struct Morpheme {
    slot: Slot,
    /// Form after a vowel.
    after_vowel: &'static str,
    /// Form after a consonant.
    after_consonant: &'static str,
    /// Form after a third-person possessive or `-ki` (pronominal n), if the
    /// morpheme is a case.
    pronominal: Option<&'static str>,
    /// A third-person possessive: case suffixes after it take the pronominal n.
    third_person: bool,
    /// Locative and genitive may be followed by `-ki`.
    takes_ki: bool,
}

const fn m(slot: Slot, after_vowel: &'static str, after_consonant: &'static str) -> Morpheme {
    Morpheme {
        slot,
        after_vowel,
        after_consonant,
        pronominal: None,
        third_person: false,
        takes_ki: false,
    }
}

const fn case(v: &'static str, c: &'static str, pron: &'static str, ki: bool) -> Morpheme {
    Morpheme {
        slot: Slot::Case,
        after_vowel: v,
        after_consonant: c,
        pronominal: Some(pron),
        third_person: false,
        takes_ki: ki,
    }
}

const fn poss3(v: &'static str, c: &'static str) -> Morpheme {
    Morpheme {
        slot: Slot::Possessive,
        after_vowel: v,
        after_consonant: c,
        pronominal: None,
        third_person: true,
        takes_ki: false,
    }
}

struct Turkic {
    /// Back vowels (select `a`, `ı`/`u`).
    back: &'static [char],
    /// The 2-way vowels: back, front.
    a_back: char,
    a_front: char,
    /// Devoice suffix-initial `D` after a voiceless consonant (Turkish only).
    devoice: bool,
    /// Turkish Arabic loans in palatal `l` take front suffixes after a back
    /// vowel (`işgal` → `işgale`, `kontrol` → `kontrolü`).
    palatal_l: bool,
    /// Stem-final alternations before a vowel: (as written in the inflected
    /// form, in the base).
    alternations: &'static [(char, char)],
    morphemes: &'static [Morpheme],
}

const VOWELS: &[char] = &['a', 'e', 'ı', 'i', 'o', 'ö', 'u', 'ü', 'ə', 'â', 'î', 'û'];
const VOICELESS: &[char] = &['ç', 'f', 'h', 'k', 'p', 's', 'ş', 't'];

/// True for the vowels of the Turkic suffix grammar.
pub(crate) fn is_vowel(c: char) -> bool {
    VOWELS.contains(&c)
}

/// The suffix grammar of Turkish and Azerbaijani: the same morphemes in the
/// same order but for the accusative after a vowel and `-ki`. Azerbaijani does
/// not devoice (`devoice: false`), so its `D` is always `d`.
const fn turkic_morphemes(accusative: Morpheme, ki: Morpheme) -> [Morpheme; 18] {
    [
        m(Slot::Plural, "lAr", "lAr"),
        m(Slot::Possessive, "m", "Im"),
        m(Slot::Possessive, "n", "In"),
        poss3("sI", "I"),
        m(Slot::Possessive, "mIz", "ImIz"),
        m(Slot::Possessive, "nIz", "InIz"),
        poss3("lArI", "lArI"),
        case("nIn", "In", "nIn", true),
        accusative,
        case("yA", "A", "nA", false),
        case("DA", "DA", "ndA", true),
        case("DAn", "DAn", "ndAn", false),
        case("ylA", "lA", "ylA", false),
        ki,
        m(Slot::Copula, "DIr", "DIr"),
        m(Slot::Copula, "ydI", "DI"),
        m(Slot::Copula, "ymIş", "mIş"),
        m(Slot::Copula, "ysA", "sA"),
    ]
}

const TURKISH_MORPHEMES: [Morpheme; 18] =
    turkic_morphemes(case("yI", "I", "nI", false), m(Slot::Ki, "ki", "ki"));

// The Azerbaijani accusative takes n after a vowel (`Bakını`, `Şuşanı`), and
// its `-ki` follows 2-way harmony (`-kı`).
const AZERBAIJANI_MORPHEMES: [Morpheme; 18] =
    turkic_morphemes(case("nI", "I", "nI", false), m(Slot::Ki, "kY", "kY"));

static TURKISH: Turkic = Turkic {
    back: &['a', 'ı', 'o', 'u', 'â', 'û'],
    a_back: 'a',
    a_front: 'e',
    devoice: true,
    palatal_l: true,
    alternations: &[('ğ', 'k'), ('b', 'p'), ('d', 't'), ('c', 'ç'), ('g', 'k')],
    morphemes: &TURKISH_MORPHEMES,
};

static AZERBAIJANI: Turkic = Turkic {
    back: &['a', 'ı', 'o', 'u'],
    a_back: 'a',
    a_front: 'ə',
    devoice: false,
    palatal_l: false,
    alternations: &[('ğ', 'q'), ('y', 'k')],
    morphemes: &AZERBAIJANI_MORPHEMES,
};

/// What the next suffix depends on: the last vowel (harmony), the last
/// character (buffers, devoicing), and which slots may still follow.
#[derive(Clone, Copy, Debug)]
struct Ctx {
    /// The vowel harmony follows; `None` lets any vowel through (acronyms).
    last_vowel: Option<char>,
    last: char,
    /// Slots already used: a chain goes forward only.
    after: Option<Slot>,
    /// The previous morpheme was a third-person possessive or `-ki` (or the
    /// stem ends like one), so a case takes the pronominal n.
    pronominal: bool,
    /// The previous morpheme was a locative or genitive.
    ki_ok: bool,
}

/// Up to four contexts, without allocating (this runs for every split point
/// of every word the glossary scanner analyses).
#[derive(Default)]
struct Contexts {
    items: [Option<Ctx>; 4],
    len: usize,
}

impl Contexts {
    fn push(&mut self, c: Ctx) {
        if let Some(slot) = self.items.get_mut(self.len) {
            *slot = Some(c);
            self.len += 1;
        }
    }

    fn any(&self, f: impl FnMut(Ctx) -> bool) -> bool {
        self.items.iter().flatten().copied().any(f)
    }
}

/// The contexts a stem may give its first suffix: normally one; two for
/// Turkish palatal-l loans; any harmony for acronyms.
fn contexts(g: &Turkic, stem: &[char], acronym: bool) -> Contexts {
    let mut out = Contexts::default();
    let Some(&last) = stem.last() else {
        return out;
    };
    let last_vowel = stem.iter().rev().copied().find(|&c| is_vowel(c));
    let pronominal = matches!(last, 'ı' | 'i' | 'u' | 'ü') && stem.len() >= 2;
    let base = Ctx {
        last_vowel,
        last,
        after: None,
        pronominal: false,
        ki_ok: false,
    };
    out.push(base);
    if pronominal {
        out.push(Ctx {
            pronominal: true,
            ..base
        });
    }
    if acronym || last_vowel.is_none() {
        // Spoken letter names end in vowels (`BM` is "be-me"): `BM'nin`.
        out.push(Ctx {
            last_vowel: None,
            ..base
        });
        out.push(Ctx {
            last_vowel: None,
            last: 'e',
            ..base
        });
    } else if g.palatal_l
        && last == 'l'
        && let Some(v) = last_vowel
        && g.back.contains(&v)
    {
        let front = match v {
            'a' | 'â' => 'e',
            'ı' => 'i',
            'o' => 'ö',
            _ => 'ü',
        };
        out.push(Ctx {
            last_vowel: Some(front),
            ..base
        });
    }
    out
}

fn may_follow(prev: Option<Slot>, next: Slot, ctx: &Ctx) -> bool {
    use Slot::*;
    match (prev, next) {
        (None, _) => next != Ki,
        (Some(Plural), Possessive | Case | Copula) => true,
        (Some(Possessive), Case | Copula) => true,
        (Some(Case), Ki) => ctx.ki_ok,
        (Some(Case), Copula) => true,
        (Some(Ki), Plural | Case | Copula) => true,
        _ => false,
    }
}

impl Turkic {
    fn is_back(&self, v: char) -> bool {
        self.back.contains(&v)
    }

    /// True when `rest` is a non-empty chain of morphemes after `ctx`.
    fn chain(&self, rest: &[char], ctx: Ctx) -> bool {
        if rest.is_empty() {
            return ctx.after.is_some();
        }
        for morpheme in self.morphemes {
            if !may_follow(ctx.after, morpheme.slot, &ctx) {
                continue;
            }
            // After a plural, possessives use their post-consonant forms
            // (`-ları`), which `after_consonant` already gives since `-lar`
            // ends in r.
            let ends_vowel = is_vowel(ctx.last);
            let mut forms: [Option<&str>; 2] = [None, None];
            if morpheme.slot == Slot::Case && ctx.pronominal {
                forms[0] = morpheme.pronominal;
                if ctx.after.is_none() {
                    // A stem that only looks possessive keeps its plain forms.
                    forms[1] = Some(if ends_vowel {
                        morpheme.after_vowel
                    } else {
                        morpheme.after_consonant
                    });
                }
            } else {
                forms[0] = Some(if ends_vowel {
                    morpheme.after_vowel
                } else {
                    morpheme.after_consonant
                });
            }
            for form in forms.into_iter().flatten() {
                if let Some((len, next)) = self.match_template(form, rest, ctx) {
                    let next = Ctx {
                        after: Some(morpheme.slot),
                        pronominal: morpheme.third_person || morpheme.slot == Slot::Ki,
                        ki_ok: morpheme.takes_ki,
                        ..next
                    };
                    if self.chain(&rest[len..], next) {
                        return true;
                    }
                }
            }
        }
        false
    }

    /// Matches a template at the start of `rest`: the matched length and the
    /// context after it.
    fn match_template(&self, template: &str, rest: &[char], ctx: Ctx) -> Option<(usize, Ctx)> {
        let mut i = 0;
        let mut ctx = ctx;
        for t in template.chars() {
            let &c = rest.get(i)?;
            let ok = match t {
                'A' => match ctx.last_vowel {
                    Some(v) => {
                        c == if self.is_back(v) {
                            self.a_back
                        } else {
                            self.a_front
                        }
                    }
                    None => c == self.a_back || c == self.a_front,
                },
                'I' => match ctx.last_vowel {
                    Some(v) => c == self.four_way(v),
                    None => matches!(c, 'ı' | 'i' | 'u' | 'ü'),
                },
                'Y' => match ctx.last_vowel {
                    Some(v) => c == if self.is_back(v) { 'ı' } else { 'i' },
                    None => matches!(c, 'ı' | 'i'),
                },
                'D' => {
                    if self.devoice && VOICELESS.contains(&ctx.last) {
                        c == 't'
                    } else {
                        c == 'd'
                    }
                }
                lit => c == lit,
            };
            if !ok {
                return None;
            }
            if is_vowel(c) {
                ctx.last_vowel = Some(c);
            }
            ctx.last = c;
            i += 1;
        }
        Some((i, ctx))
    }

    fn four_way(&self, v: char) -> char {
        match v {
            'a' | 'ı' | 'â' => 'ı',
            'o' | 'u' | 'û' => 'u',
            'ö' | 'ü' => 'ü',
            _ => 'i',
        }
    }
}

fn turkic_analyses(g: &Turkic, chars: &[char], acronym: bool, max_stem: usize) -> Vec<Inflection> {
    let mut out = Vec::new();
    // An apostrophe fixes the split.
    if let Some(at) = chars
        .iter()
        .skip(1)
        .position(|&c| is_apostrophe(c))
        .map(|p| p + 1)
    {
        let (stem, rest) = chars.split_at(at);
        let suffix = &rest[1..];
        if stem.len() <= max_stem
            && !suffix.is_empty()
            && !suffix.iter().any(|&c| is_apostrophe(c))
            && contexts(g, stem, acronym).any(|ctx| g.chain(suffix, ctx))
        {
            out.push(Inflection {
                base: stem.iter().collect(),
                stem_chars: stem.len(),
                suffix: rest.iter().collect(),
                apostrophe: true,
                alternated: false,
            });
        }
        return out;
    }
    for at in (2..chars.len().min(max_stem.saturating_add(1))).rev() {
        let (stem, suffix) = chars.split_at(at);
        // Every suffix starts with one of these; skip the rest cheaply.
        if !matches!(
            suffix[0],
            'l' | 'ı' | 'i' | 'u' | 'ü' | 'm' | 'n' | 's' | 'y' | 'd' | 't' | 'a' | 'e' | 'ə' | 'k'
        ) {
            continue;
        }
        if !contexts(g, stem, acronym).any(|ctx| g.chain(suffix, ctx)) {
            continue;
        }
        let suffix_s: String = suffix.iter().collect();
        out.push(Inflection {
            base: stem.iter().collect(),
            stem_chars: stem.len(),
            suffix: suffix_s.clone(),
            apostrophe: false,
            alternated: false,
        });
        let last = stem[stem.len() - 1];
        let before_last = stem.get(stem.len().wrapping_sub(2)).copied();
        if is_vowel(suffix[0]) {
            for &(written, base) in g.alternations {
                // Turkish g↔k only after n (`renk` → `rengi`); ğ↔k only after a vowel.
                let fits = match written {
                    'g' => before_last == Some('n'),
                    'ğ' | 'y' => before_last.is_some_and(is_vowel),
                    _ => true,
                };
                if last == written && fits {
                    let mut b: String = stem[..stem.len() - 1].iter().collect();
                    b.push(base);
                    out.push(Inflection {
                        base: b,
                        stem_chars: stem.len(),
                        suffix: suffix_s.clone(),
                        apostrophe: false,
                        alternated: true,
                    });
                }
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------
// English

fn english_analyses(key: &str) -> Vec<Inflection> {
    let mut out = Vec::new();
    let chars: Vec<char> = key.chars().collect();
    let n = chars.len();
    let mut push = |stem_chars: usize, base: String, apostrophe: bool| {
        if stem_chars >= 1 && !base.is_empty() && !out.iter().any(|a: &Inflection| a.base == base) {
            out.push(Inflection {
                base,
                stem_chars,
                suffix: chars[stem_chars..].iter().collect(),
                apostrophe,
                alternated: false,
            });
        }
    };
    let s = |a: usize, b: usize| -> String { chars[a..b].iter().collect() };
    // Possessive: `'s`, or a bare `'` after a plural `s`.
    let (word_end, possessive) = if n >= 3 && is_apostrophe(chars[n - 2]) && chars[n - 1] == 's' {
        (n - 2, true)
    } else if n >= 3 && is_apostrophe(chars[n - 1]) && chars[n - 2] == 's' {
        (n - 1, true)
    } else {
        (n, false)
    };
    if word_end < 2 || chars[..word_end].iter().any(|&c| is_apostrophe(c)) {
        return out;
    }
    let w = &chars[..word_end];
    let plural_bases = |out: &mut Vec<(usize, String)>| {
        let m = w.len();
        if m >= 4 && w[m - 3..] == ['i', 'e', 's'] && !is_vowel(w[m - 4]) {
            out.push((m - 3, format!("{}y", s(0, m - 3))));
        }
        if m >= 4 && w[m - 2..] == ['e', 's'] {
            let stem = &w[..m - 2];
            let sib = matches!(stem.last(), Some('s' | 'x' | 'z' | 'o'))
                || stem.ends_with(&['c', 'h'])
                || stem.ends_with(&['s', 'h']);
            if sib {
                out.push((m - 2, s(0, m - 2)));
            }
        }
        if m >= 3 && w[m - 1] == 's' {
            // Sibilants take `-es` and a consonant + y takes `-ies`, so `boxs`
            // and `citys` are not plurals.
            let stem = &w[..m - 1];
            let sibilant = matches!(stem.last(), Some('s' | 'x' | 'z'))
                || stem.ends_with(&['c', 'h'])
                || stem.ends_with(&['s', 'h']);
            let consonant_y = stem.last() == Some(&'y') && stem.len() >= 2 && !is_vowel(stem[stem.len() - 2]);
            if !sibilant && !consonant_y {
                out.push((m - 1, s(0, m - 1)));
            }
        }
    };
    let mut bases = Vec::new();
    if possessive && word_end == n - 2 {
        // `nation's`: the word itself, or a plural + `'s` (`children's`) is rare.
        bases.push((word_end, s(0, word_end)));
    } else if possessive {
        // `nations'`: a plural possessive; the base is the singular, or the
        // word itself for terms that end in s (`United Nations'`).
        bases.push((word_end, s(0, word_end)));
        plural_bases(&mut bases);
    } else {
        plural_bases(&mut bases);
    }
    for (stem_chars, base) in bases {
        push(stem_chars, base, possessive);
    }
    out
}

/// The Snowball stem of `word` (as a [case key](super::case_key)) for the
/// languages `rust-stemmers` covers (see [`Lang`]), or the case key itself for
/// the others.
///
/// Snowball stemmers cut more than inflection (`declaration` and `declare`
/// share `declar`), so korpu uses them only where recall matters more than
/// precision (concordance-style search in languages without a suffix
/// analyser); term recognition uses [`inflection`].
///
/// ```
/// use korpu::{Lang, text::stem};
/// assert_eq!(stem::snowball_stem("Declarations", &"en".parse()?), "declar");
/// assert_eq!(stem::snowball_stem("Bakıdan", &"az".parse()?), "bakıdan"); // no az stemmer
/// # Ok::<(), korpu::Error>(())
/// ```
pub fn snowball_stem(word: &str, lang: &Lang) -> String {
    let key = case_key(word, lang);
    match lang.stemmer_algorithm() {
        Some(alg) => rust_stemmers::Stemmer::create(alg).stem(&key).into_owned(),
        None => key.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(s: &str) -> Lang {
        Lang::parse(s).unwrap()
    }

    #[test]
    fn turkish_basics() {
        let tr = l("tr");
        for (b, s) in [
            ("Şuşa", "Şuşa'da"),
            ("Türkiye", "Türkiye'nin"),
            ("Şuşa Beyannamesi", "Beyannamesi'ni"),
            ("Beyannamesi", "Beyannamesi'ni"),
            ("Karabağ", "KARABAĞ'DAKİ"),
            ("beyanname", "beyannamenin"),
            ("işgal", "işgale"),
            ("işgal", "işgalin"),
            ("Paris", "Paris'te"),
            ("Bakü", "Bakü'de"),
            ("kitap", "kitabı"),
            ("renk", "rengi"),
            ("BM", "BM'de"),
        ] {
            let last = b.rsplit(' ').next().unwrap();
            assert!(inflection(last, s, &tr).is_some(), "{b} {s}");
        }
        for (b, s) in [
            ("Baku", "Bakunin"),
            ("Ankara", "Ankaralı"),
            ("Türkiye", "Türkiyeli"),
            ("Paris", "Paris'de"),
            ("Şuşa", "Şuşa'de"),
            ("Şuşa", "Şuşa"),
        ] {
            assert!(inflection(b, s, &tr).is_none(), "{b} {s}");
        }
    }

    #[test]
    fn azerbaijani_basics() {
        let az = l("az");
        for (b, s) in [
            ("Şuşa", "Şuşada"),
            ("Azərbaycan", "Azərbaycanın"),
            ("Bakı", "Bakıdan"),
            ("işğal", "işğala"),
            ("bəyannamə", "bəyannaməsi"),
            ("Bakı", "Bakını"),
            ("Bakı", "Bakıdakı"),
            ("bulaq", "bulağı"),
            ("çörək", "çörəyi"),
        ] {
            assert!(inflection(b, s, &az).is_some(), "{b} {s}");
        }
        for (b, s) in [
            ("Azərbaycan", "Azərbaycanlı"),
            ("Azərbaycan", "azərbaycanca"),
            ("Bakı", "Bakıdə"),
        ] {
            assert!(inflection(b, s, &az).is_none(), "{b} {s}");
        }
    }

    #[test]
    fn english_basics() {
        let en = l("en");
        for (b, s) in [
            ("declaration", "declarations"),
            ("city", "cities"),
            ("church", "churches"),
            ("Baku", "Baku's"),
            ("nation", "nations'"),
            ("Group", "Group’s"),
        ] {
            assert!(inflection(b, s, &en).is_some(), "{b} {s}");
        }
        assert!(inflection("Baku", "Bakunin", &en).is_none());
        assert!(inflection("class", "clas", &en).is_none());
    }

    #[test]
    fn suffix_chain_on_split_input() {
        let tr = l("tr");
        assert!(is_suffix_chain("Şuşa", "'da", &tr));
        assert!(is_suffix_chain("Şuşa", "daki", &tr));
        assert!(!is_suffix_chain("Şuşa", "", &tr));
        assert!(!is_suffix_chain("Şuşa", "lı", &tr));
        assert!(is_suffix_chain("Baku", "'s", &l("en")));
        assert!(!is_suffix_chain("Baku", "'s", &l("fr")));
    }

    #[test]
    fn no_grammar_no_analyses() {
        assert!(analyses("Paris", &l("fr")).is_empty());
        assert!(analyses("", &l("tr")).is_empty());
        assert!(analyses("'", &l("tr")).is_empty());
        assert!(analyses("a'", &l("en")).is_empty());
    }
}
