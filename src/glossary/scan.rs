//! Term recognition in running text: [`Glossary::scan`].

use std::collections::HashMap;
use std::sync::Arc;

use fst::raw::{Fst, Output};

use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::model::{Concept, Term};
use crate::text::stem::{self, Inflection};
use crate::text::{KeyLevel, TokenKind, case_key, is_apostrophe, nfc, tokenize};

use super::Glossary;
use super::file::{Posting, SectionBytes};
use super::keys::{LEVELS, is_hyphen, level_bit, lookup_key_prefix, with_word_keys};

/// A glossary term found in text by [`Glossary::scan`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScanHit {
    /// Byte offset of the match in the text.
    pub start: usize,
    /// Byte offset one past its end: the whole surface form, suffix included
    /// (`Şuşa'da`, not `Şuşa`).
    pub end: usize,
    /// The concept (shared between the hits of one scan that name it).
    pub concept: Arc<Concept>,
    /// Index of the matching term in `concept.terms`.
    pub term_index: usize,
    /// The key level at which the term's words matched.
    pub level: KeyLevel,
    /// True when the last word carries an inflectional suffix.
    pub inflected: bool,
}

impl ScanHit {
    /// The matching term.
    pub fn term(&self) -> &Term {
        &self.concept.terms[self.term_index]
    }

    /// The CLI's `match` field: `inflected` for an inflected form, else the
    /// level (`exact`, `case`, `loose`, `translit`).
    pub fn match_name(&self) -> &'static str {
        if self.inflected {
            "inflected"
        } else {
            self.level.as_str()
        }
    }
}

/// The inflected readings of a word, with the keys of each base per level.
type Analyses = Vec<(Inflection, [Option<String>; 4])>;

/// No entry yet (for [`Word::keys`] and [`Word::analyses`]).
const NONE: u32 = u32::MAX;

/// The keys of a word type and, filled in as needed, where each level's key
/// leads from the root of the language's terms (a word starting a match
/// candidate): both depend only on the word, and running text repeats words.
struct WordKeys {
    /// Where each level's key is in [`Memo::arena`].
    keys: [(u32, u32); 4],
    roots: [Option<Walked>; 4],
    /// [`alternated_stem`] from the root, once computed.
    alternated_at_root: Option<Option<usize>>,
}

/// Keys and analyses computed for a word type, reused for its next
/// occurrences (running text repeats its words). The keys of all word types
/// lie back to back in one string, so keying a word allocates nothing when
/// its keys borrow from it (a lowercase ASCII word).
#[derive(Default)]
struct Memo<'t> {
    key_index: HashMap<&'t str, u32>,
    keys: Vec<WordKeys>,
    arena: String,
    analysis_index: HashMap<(&'t str, usize), u32>,
    analyses: Vec<Analyses>,
}

impl<'t> Memo<'t> {
    /// The index in [`keys`](Self::keys) of `word`'s keys, computed on first use.
    fn keys_of(&mut self, word: &'t str, lang: &Lang) -> u32 {
        let slot = match self.key_index.entry(word) {
            std::collections::hash_map::Entry::Occupied(e) => return *e.get(),
            std::collections::hash_map::Entry::Vacant(v) => v,
        };
        let arena = &mut self.arena;
        let keys = with_word_keys(word, lang, |levels| {
            let mut keys = [(0u32, 0u32); 4];
            for (li, k) in levels.into_iter().enumerate() {
                // Levels often share the key: store it once.
                let same = (0..li).find(|&p| {
                    let (a, b) = keys[p];
                    &arena[a as usize..b as usize] == k
                });
                keys[li] = match same {
                    Some(p) => keys[p],
                    None => {
                        let start = arena.len() as u32;
                        arena.push_str(k);
                        (start, arena.len() as u32)
                    }
                };
            }
            keys
        });
        let index = self.keys.len() as u32;
        self.keys.push(WordKeys {
            keys,
            roots: [None; 4],
            alternated_at_root: None,
        });
        slot.insert(index);
        index
    }

    /// The key at level `li` of the word type at `index`.
    fn key(&self, index: u32, li: usize) -> &str {
        let (a, b) = self.keys[index as usize].keys[li];
        &self.arena[a as usize..b as usize]
    }
}

/// A word of the text: a token that is not a hyphen.
struct Word<'t> {
    text: &'t str,
    start: usize,
    end: usize,
    /// Index of its keys in [`Memo::keys`], or [`NONE`].
    keys: u32,
    /// Index of its analyses in [`Memo::analyses`], or [`NONE`].
    analyses: u32,
}

/// The words of a text, tokenized as the scan reaches them and kept only
/// from the current start word on (a text's words are not all held at once).
struct Words<'t, I> {
    tokens: I,
    text: &'t str,
    english: bool,
    /// The words from absolute index `base` on.
    buf: Vec<Word<'t>>,
    base: usize,
    done: bool,
}

impl<'t, I: Iterator<Item = crate::text::Token<'t>>> Words<'t, I> {
    /// Makes words `..end` (absolute) final, when the text has them: the
    /// word after them is read too, since an apostrophe token may still
    /// join the last one read (`nations'`).
    fn fill(&mut self, end: usize) {
        while !self.done && self.base + self.buf.len() <= end {
            let Some(t) = self.tokens.next() else {
                self.done = true;
                break;
            };
            if t.kind == TokenKind::Punct && is_hyphen(t.text) {
                continue;
            }
            // The tokenizer leaves the apostrophe of `nations'` apart; in
            // English it is the plural possessive, part of the word.
            if self.english
                && t.kind == TokenKind::Punct
                && t.text.chars().all(is_apostrophe)
                && let Some(last) = self.buf.last_mut()
                && last.end == t.start
                && last.text.ends_with(['s', 'S'])
            {
                last.end = t.end();
                last.text = &self.text[last.start..last.end];
                continue;
            }
            self.buf.push(Word {
                text: t.text,
                start: t.start,
                end: t.end(),
                keys: NONE,
                analyses: NONE,
            });
        }
    }

    /// Forgets the words before absolute index `i` (in batches).
    fn forget_before(&mut self, i: usize) {
        let n = i.saturating_sub(self.base);
        if n >= 1024 {
            self.buf.drain(..n);
            self.base += n;
        }
    }
}

type State = (fst::raw::CompiledAddr, Output);

/// A walk's end (the state, or how far it got) and the last final prefix.
type Walked = (std::result::Result<State, usize>, Option<usize>);

/// Follows `bytes` from `state`; returns the state reached, or how many
/// bytes were followed before the fst had no transition.
fn walk(fst: &Fst<SectionBytes>, state: State, bytes: &[u8]) -> std::result::Result<State, usize> {
    let (mut addr, mut out) = state;
    for (i, &b) in bytes.iter().enumerate() {
        let node = fst.node(addr);
        let Some(t) = node.find_input(b) else {
            return Err(i);
        };
        let t = node.transition(t);
        out = out.cat(t.out);
        addr = t.addr;
    }
    Ok((addr, out))
}

/// Like [`walk`], and also the byte length of the longest proper prefix of
/// `bytes` (ending at a char boundary) at which the fst is final: where a
/// term could end and a suffix begin.
fn walk_noting_finals(fst: &Fst<SectionBytes>, state: State, bytes: &[u8]) -> Walked {
    let (mut addr, mut out) = state;
    let mut last_final = None;
    for (i, &b) in bytes.iter().enumerate() {
        let node = fst.node(addr);
        if i > 0 && node.is_final() && (b & 0xC0) != 0x80 {
            last_final = Some(i);
        }
        let Some(t) = node.find_input(b) else {
            return (Err(i), last_final);
        };
        let t = node.transition(t);
        out = out.cat(t.out);
        addr = t.addr;
    }
    (Ok((addr, out)), last_final)
}

/// True when `word` may begin a term by the start `filter`. The filter
/// keeps a word's first letters' classes through every inflection but the
/// English `-ies` plural (`armies` for `army`): in English such a word is
/// also tried as its `-y` singular.
fn may_start(filter: &[u8], word: &str, english: bool) -> bool {
    if super::filter::may_start(filter, word) {
        return true;
    }
    if !english {
        return false;
    }
    let w = word.trim_end_matches(is_apostrophe);
    match w
        .len()
        .checked_sub(3)
        .and_then(|at| Some((w.get(..at)?, w.get(at..)?)))
    {
        Some((head, ies)) if ies.eq_ignore_ascii_case("ies") => {
            super::filter::may_start(filter, &format!("{head}y"))
        }
        _ => false,
    }
}

/// The stem of an English `-ies` plural (`cities` → `city`, `families'`),
/// in chars of the case key `case`: the one English reading whose base is
/// not a head of the word, so no walk passes where it ends.
fn ies_stem(case: &str) -> Option<usize> {
    let word = case.strip_suffix('\'').unwrap_or(case);
    word.ends_with("ies").then(|| word.chars().count() - 3)
}

/// The longest stem (in chars of the case key `case`) that
/// [`text::stem`](crate::text::stem) may read as alternated (`kitab-ı` for
/// `kitap`: a consonant of `alternations` in the context the grammar
/// requires, before a vowel) and whose base is a key at some level from
/// `states` (the case, loose or translit key: an alternated reading has no
/// exact key). An alternated reading can match only at such a stem.
fn alternated_stem(
    fst: &Fst<SectionBytes>,
    states: &[Option<State>; 4],
    case: &str,
    lang: &Lang,
    alternations: &[(char, char)],
) -> Option<usize> {
    let is_key = |li: usize, key: &str| {
        states[li].is_some_and(|state| {
            walk(fst, state, key.as_bytes()).is_ok_and(|after| final_value(fst, after).is_some())
        })
    };
    let mut longest = None;
    let mut base = String::new();
    // A window of three chars: `at` is char `k`, at byte `at_byte`.
    let mut chars = case.char_indices();
    let (Some((_, mut before)), Some((mut at_byte, mut at))) = (chars.next(), chars.next()) else {
        return None;
    };
    for (k, (after_byte, after)) in (1..).zip(chars) {
        let fits = match at {
            'g' => before == 'n',
            'ğ' | 'y' => stem::is_vowel(before),
            _ => true,
        };
        if fits && stem::is_vowel(after) {
            for &(_, b) in alternations.iter().filter(|(written, _)| *written == at) {
                base.clear();
                base.push_str(&case[..at_byte]);
                base.push(b);
                // Case, loose, translit (an alternated reading has no exact
                // key); the coarser keys only when the finer one is none.
                let found = is_key(1, &base)
                    || (states[2].is_some() && is_key(2, &crate::text::loose_key_of_case(&base)))
                    || (states[3].is_some() && is_key(3, &crate::text::translit_key_of_case(&base, lang)));
                if found {
                    longest = Some(k + 1);
                }
            }
        }
        (before, at, at_byte) = (at, after, after_byte);
    }
    longest
}

fn final_value(fst: &Fst<SectionBytes>, state: State) -> Option<u64> {
    let node = fst.node(state.0);
    node.is_final().then(|| state.1.cat(node.final_output()).value())
}

/// The best match found so far from one start word.
struct Candidate {
    last_word: usize,
    level: KeyLevel,
    inflected: bool,
    postings: Vec<Posting>,
}

impl Glossary {
    /// Finds the glossary's terms in `lang` in running text: leftmost,
    /// longest first, never overlapping; one hit per concept (homonyms give
    /// hits with the same span).
    ///
    /// The text is tokenized ([`tokenize()`](crate::text::tokenize())); from each word the fst is
    /// followed word by word (words separated by whitespace or hyphens), at
    /// each key level. A term's last word may carry an inflection that
    /// [`text::stem`](crate::text::stem) accepts (`Şuşa'da`, `Azərbaycanın`,
    /// `Beyannamesi'ni`, `nations'`); the hit then spans the whole word and has
    /// `inflected` set. Case-sensitive terms match only exactly. Between equal
    /// spans the better level wins and an uninflected match beats an
    /// inflected one.
    ///
    /// Cost: linear in the text (each word is keyed once and followed at most
    /// [`max_words`](Self::max_words) times); see the `glossary` bench for
    /// throughput.
    ///
    /// ```
    /// # use korpu::glossary::{Glossary, GlossaryBuilder};
    /// # use korpu::model::{Concept, Term};
    /// let az: korpu::Lang = "az".parse()?;
    /// let mut b = GlossaryBuilder::new();
    /// for (id, t) in [("baku", "Bakı"), ("decl", "Şuşa Bəyannaməsi"), ("shusha", "Şuşa")] {
    ///     b.add(Concept { id: id.into(), terms: vec![Term::new(az.clone(), t)], ..Default::default() })?;
    /// }
    /// let mut bytes = Vec::new();
    /// b.write(&mut bytes)?;
    /// let g = Glossary::from_bytes(bytes)?;
    /// let text = "Şuşa Bəyannaməsinin mətni Bakıdan göndərildi, Shushada oxundu.";
    /// let hits = g.scan(text, &az)?;
    /// let found: Vec<(&str, &str, &str)> = hits
    ///     .iter()
    ///     .map(|h| (&text[h.start..h.end], h.concept.id.as_str(), h.match_name()))
    ///     .collect();
    /// assert_eq!(found, [
    ///     ("Şuşa Bəyannaməsinin", "decl", "inflected"),
    ///     ("Bakıdan", "baku", "inflected"),
    ///     ("Shushada", "shusha", "inflected"),
    /// ]);
    /// assert_eq!(hits[2].level, korpu::text::KeyLevel::Translit);
    /// # Ok::<(), korpu::Error>(())
    /// ```
    pub fn scan(&self, text: &str, lang: &Lang) -> Result<Vec<ScanHit>> {
        let found = self.guarded(|| Ok(self.scan_spans(text, lang)))?;
        let mut hits = Vec::with_capacity(found.len());
        // Running text names the same concepts again and again: decode each once.
        let mut decoded: HashMap<u32, Arc<Concept>> = HashMap::new();
        for (start, end, c) in found {
            let mut these: Vec<ScanHit> = Vec::new();
            for p in c.postings {
                let concept = match decoded.get(&p.concept) {
                    Some(c) => c.clone(),
                    None => {
                        let c = Arc::new(self.concept_at(u64::from(p.concept))?);
                        decoded.insert(p.concept, c.clone());
                        c
                    }
                };
                let term_index = p.term as usize;
                let Some(term) = concept.terms.get(term_index) else {
                    return Err(Error::corrupt(
                        &self.path,
                        "damaged glossary: posting names a missing term",
                    ));
                };
                if term.lang.match_quality(lang).is_none() {
                    continue;
                }
                if these.iter().any(|h| h.concept.id == concept.id) {
                    continue;
                }
                these.push(ScanHit {
                    start,
                    end,
                    concept,
                    term_index,
                    level: c.level,
                    inflected: c.inflected,
                });
            }
            hits.extend(these);
        }
        Ok(hits)
    }

    /// The spans and postings of the matches (no concept decoding).
    fn scan_spans(&self, text: &str, lang: &Lang) -> Vec<(usize, usize, Candidate)> {
        let fst = self.terms_fst().as_fst();
        let prefix = lookup_key_prefix(lang);
        let Ok(root) = walk(fst, (fst.root().addr(), Output::zero()), &prefix) else {
            return Vec::new();
        };
        let filter = self.start_filter(&prefix);
        let english = lang.primary() == "en";
        let mut words = Words {
            tokens: tokenize(text),
            text,
            english,
            buf: Vec::with_capacity(1100),
            base: 0,
            done: false,
        };
        let max_words = self.max_words().max(1) as usize;
        let mut out = Vec::new();
        let mut memo = Memo::default();
        let mut i = 0;
        loop {
            words.forget_before(i);
            words.fill(i + max_words);
            let Some(first) = words.buf.get(i - words.base) else {
                break;
            };
            if !may_start(&filter, first.text, english) {
                i += 1;
                continue;
            }
            let at = i - words.base;
            match self.longest_from(fst, root, &mut words.buf[at..], &mut memo, max_words, lang) {
                Some(c) => {
                    let (start, end) = (words.buf[at].start, words.buf[at + c.last_word].end);
                    let next = i + c.last_word + 1;
                    out.push((start, end, c));
                    i = next;
                }
                None => i += 1,
            }
        }
        out
    }

    /// The longest match that starts at `words[0]`; its `last_word` counts
    /// from there.
    fn longest_from<'t>(
        &self,
        fst: &Fst<SectionBytes>,
        root: State,
        words: &mut [Word<'t>],
        memo: &mut Memo<'t>,
        max_words: usize,
        lang: &Lang,
    ) -> Option<Candidate> {
        let i = 0;
        let alternations = stem::alternations(lang);
        let english = lang.primary() == "en";
        let mut states: [Option<State>; 4] = [Some(root); 4];
        let mut best: Option<Candidate> = None;
        for j in i..words.len().min(i + max_words) {
            if words[j].keys == NONE {
                words[j].keys = memo.keys_of(words[j].text, lang);
            }
            let wk = words[j].keys;
            let mut next: [Option<State>; 4] = [None; 4];
            let mut plain: Option<(KeyLevel, Vec<Posting>)> = None;
            let mut deepest = 0usize;
            // The longest stem (in chars) any level's walk leaves room for.
            let mut max_stem = 0usize;
            // Whether a walk passed a place where a term ends inside the word
            // (or a stem may have alternated): only then can it be inflected.
            let mut stem_ends = false;
            {
                // Borrowing the arena alone leaves the word's memo writable.
                let arena = &memo.arena;
                let keys: [&str; 4] = memo.keys[wk as usize]
                    .keys
                    .map(|(a, b)| &arena[a as usize..b as usize]);
                // From the root (a start word), walks are memoized per word.
                let mut roots = (j == i).then(|| memo.keys[wk as usize].roots);
                let mut prev: Option<(State, usize, Walked)> = None;
                for (li, level) in LEVELS.iter().enumerate() {
                    let Some(state) = states[li] else { continue };
                    let key = keys[li].as_bytes();
                    // Levels often share the key and the state (a lowercase
                    // ASCII word): walk once.
                    let (walked, last_final) = match (prev, roots.as_mut()) {
                        (Some((s, pl, r)), _) if s == state && keys[pl] == keys[li] => r,
                        (_, Some(roots)) => {
                            *roots[li].get_or_insert_with(|| walk_noting_finals(fst, state, key))
                        }
                        _ => walk_noting_finals(fst, state, key),
                    };
                    prev = Some((state, li, (walked, last_final)));
                    if let Some(at) = last_final {
                        stem_ends = true;
                        let chars = keys[li].char_indices().take_while(|&(i, _)| i < at).count();
                        max_stem = max_stem.max(chars);
                    }
                    match walked {
                        Ok(after) => {
                            deepest = deepest.max(key.len());
                            if plain.is_none()
                                && let Some(v) = final_value(fst, after)
                            {
                                let full = full_key(words, memo, i, j, keys[li], li, lang);
                                let ps = self.matching_postings(v, *level, &full);
                                if !ps.is_empty() {
                                    plain = Some((*level, ps));
                                }
                            }
                            next[li] = walk(fst, after, b" ").ok();
                        }
                        Err(depth) => {
                            deepest = deepest.max(depth);
                        }
                    }
                }
                if let Some(r) = roots {
                    memo.keys[wk as usize].roots = r;
                }
                // Readings whose base is not a head of the word, so that no
                // walk passed where their stem ends: English `-ies` plurals,
                // and Turkic alternated stems whose base is a key.
                if english && let Some(stem) = ies_stem(keys[1]) {
                    stem_ends = true;
                    max_stem = max_stem.max(stem);
                }
                if !alternations.is_empty() && deepest >= 1 {
                    let memoized = if j == i {
                        memo.keys[wk as usize].alternated_at_root
                    } else {
                        None
                    };
                    let found = match memoized {
                        Some(found) => found,
                        None => {
                            let found = alternated_stem(fst, &states, keys[1], lang, alternations);
                            if j == i {
                                memo.keys[wk as usize].alternated_at_root = Some(found);
                            }
                            found
                        }
                    };
                    if let Some(stem) = found {
                        stem_ends = true;
                        max_stem = max_stem.max(stem);
                    }
                }
            }
            if let Some((level, postings)) = plain {
                best = Some(Candidate {
                    last_word: j,
                    level,
                    inflected: false,
                    postings,
                });
            } else if deepest >= 1 && stem_ends {
                // The word's start runs along some key: try its inflections.
                if words[j].analyses == NONE {
                    // A base's key at any level has at least as many chars as
                    // its stem and, stems alternating in the last char, at
                    // most one more than the walk reached: bound the stems,
                    // unless case mapping or marks change char counts.
                    let (exact, case) = (memo.key(wk, 0), memo.key(wk, 1));
                    let bound = if exact.chars().count() == case.chars().count()
                        && !case.chars().any(unicode_normalization::char::is_combining_mark)
                    {
                        max_stem + 1
                    } else {
                        usize::MAX
                    };
                    let text = words[j].text;
                    words[j].analyses = match memo.analysis_index.entry((text, bound)) {
                        std::collections::hash_map::Entry::Occupied(e) => *e.get(),
                        std::collections::hash_map::Entry::Vacant(v) => {
                            let a = memo.analyses.len() as u32;
                            memo.analyses.push(inflection_keys(text, lang, bound));
                            *v.insert(a)
                        }
                    };
                }
                if let Some(c) = self.inflected_match(fst, &states, words, memo, i, j, lang) {
                    best = Some(c);
                }
            }
            states = next;
            if states.iter().all(Option::is_none) {
                break;
            }
        }
        best
    }

    /// The best inflected reading of word `j` that completes a term begun at
    /// word `i`, from the per-level `states` reached before word `j`.
    #[allow(clippy::too_many_arguments)]
    fn inflected_match(
        &self,
        fst: &Fst<SectionBytes>,
        states: &[Option<State>; 4],
        words: &[Word<'_>],
        memo: &Memo<'_>,
        i: usize,
        j: usize,
        lang: &Lang,
    ) -> Option<Candidate> {
        let analyses: &Analyses = memo.analyses.get(words[j].analyses as usize)?;
        for (li, level) in LEVELS.iter().enumerate() {
            let Some(state) = states[li] else { continue };
            // Several readings may name terms (`kitab-ı`: `kitab`, `kitap`):
            // keep every term found at the best level.
            let mut postings: Vec<Posting> = Vec::new();
            for (_, keys) in analyses.iter() {
                let Some(key) = &keys[li] else { continue };
                if let Ok(after) = walk(fst, state, key.as_bytes())
                    && let Some(v) = final_value(fst, after)
                {
                    let full = full_key(words, memo, i, j, key, li, lang);
                    for p in self.matching_postings(v, *level, &full) {
                        if !postings.contains(&p) {
                            postings.push(p);
                        }
                    }
                }
            }
            if !postings.is_empty() {
                return Some(Candidate {
                    last_word: j,
                    level: *level,
                    inflected: true,
                    postings,
                });
            }
        }
        None
    }

    /// The postings at fst value `offset` for `key` that hold it at `level`.
    /// A damaged posting list counts as no match here (the scan must go on);
    /// [`Glossary::verify`] reports it.
    fn matching_postings(&self, offset: u64, level: KeyLevel, key: &[u8]) -> Vec<Posting> {
        self.postings_of(key, offset)
            .unwrap_or_default()
            .into_iter()
            .filter(|p| p.levels & level_bit(level) != 0)
            .collect()
    }
}

/// The fst key of words `i..j` at level `li`, with `last` as word `j`'s key.
fn full_key(
    words: &[Word<'_>],
    memo: &Memo<'_>,
    i: usize,
    j: usize,
    last: &str,
    li: usize,
    lang: &Lang,
) -> Vec<u8> {
    let mut k = lookup_key_prefix(lang);
    for w in &words[i..j] {
        if w.keys != NONE {
            k.extend_from_slice(memo.key(w.keys, li).as_bytes());
        }
        k.push(b' ');
    }
    k.extend_from_slice(last.as_bytes());
    k
}

/// The inflection analyses of a word with the keys of each base per level.
/// The exact key is the stem as written, when the stem is not altered.
fn inflection_keys(word: &str, lang: &Lang, max_stem: usize) -> Vec<(Inflection, [Option<String>; 4])> {
    let exact = nfc(word);
    stem::analyses_within(&exact, lang, max_stem)
        .into_iter()
        .map(|a| {
            let exact_key = if a.alternated {
                None
            } else {
                let end = exact
                    .char_indices()
                    .nth(a.stem_chars)
                    .map_or(exact.len(), |(i, _)| i);
                let stem_text = &exact[..end];
                (case_key(stem_text, lang) == a.base.as_str()).then(|| stem_text.to_string())
            };
            let keys = [
                exact_key,
                Some(a.base.clone()),
                Some(KeyLevel::Loose.key(&a.base, lang).into_owned()),
                Some(KeyLevel::Translit.key(&a.base, lang).into_owned()),
            ];
            (a, keys)
        })
        .collect()
}
