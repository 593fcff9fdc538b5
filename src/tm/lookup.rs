//! Lookup: the search for stored translations of a segment, as one
//! pipeline, in the order a query goes through it.
//!
//! 1. **Plan** ([`Query::plan`]): the query is normalized and tokenized
//!    once; its tokens, signature and class keys travel with its languages
//!    and options as a [`Query`].
//! 2. **Gather** ([`Reader::gather`]): exact matches from the hash index,
//!    then fuzzy candidates from the posting lists
//!    ([`candidates`](super::candidates)), in passes at falling minimum
//!    scores ([`deepening`]) until the top `limit` are certain
//!    ([`Reader::enough_above`]).
//! 3. **Verify and score** ([`Reader::fuzzy`]): each candidate, best score
//!    bound first, by the bit-parallel distance and then the weighted one
//!    ([`QueryFilter::verify`]).
//! 4. **Rank** ([`Reader::rank`]): the best source variant per unit, a whole
//!    score level at a time; ties go to the better language match, then to
//!    the newer unit.
//! 5. **Adapt** ([`Query::adapt`]): per match, the edit breakdown and the
//!    target with the query's numbers.
//!
//! [`TranslationMemory::lookup_scan`] replaces 2 and 3 by scoring every
//! stored segment ([`Reader::scan`]): the reference the index is tested
//! against.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::rc::Rc;
use std::sync::Arc;

use super::TranslationMemory;
use super::candidates::{self, Gathered, QueryLists};
use super::index::{self, ALL_KIND, DocHash, Posting, PostingList, QueryFilter, token_key};
use super::options::{LookupOptions, Match, MatchKind};
use super::record::DocRecord;
use super::score::{self, EditBreakdown, MAX_TOKENS, Sig};
use super::store::Snapshot;
use crate::error::Result;
use crate::lang::{Lang, LangMatch};
use crate::model::TranslationUnit;
use crate::text::{Token, nfc, tokenize};

impl TranslationMemory {
    /// Finds stored translations of `query` (a segment in language `from`)
    /// into `to`, best first: every unit whose `from` variant scores at least
    /// `options.min_score` against the query and that has a `to` variant, at
    /// most `options.limit` of them.
    ///
    /// Languages match as [`Lang::matches`] says (`az` finds `az-Latn`); among
    /// equal scores an exact tag match ranks first, then the newer unit. An
    /// empty query has no matches. A language the memory holds no text in is
    /// an [`Error::InvalidArgument`](crate::Error::InvalidArgument) naming
    /// the languages it holds.
    ///
    /// Cost: a hash lookup for exact matches; for fuzzy ones, the posting
    /// lists of the query's rarest tokens and a verification per candidate
    /// (see the [module docs](super)).
    ///
    /// ```
    /// # use korpu::model::{TranslationUnit, Variant};
    /// # use korpu::tm::{LookupOptions, MatchKind, TranslationMemory};
    /// # let dir = tempfile::tempdir()?;
    /// # let tm = TranslationMemory::open(dir.path().join("tm.korpu"))?;
    /// let (tr, en) = ("tr".parse()?, "en".parse()?);
    /// tm.add(TranslationUnit {
    ///     variants: vec![Variant::new(tr, "Şuşa'da toplantı yapıldı."),
    ///                    Variant::new(en, "A meeting was held in Shusha.")],
    ///     ..Default::default()
    /// })?;
    /// let m = tm.lookup("ŞUŞA'DA toplantı yapıldı.", &"tr".parse()?, &"en".parse()?,
    ///                   &LookupOptions::default())?;
    /// assert_eq!((m[0].score, m[0].breakdown.case), (97, 1)); // 1 − 0.1/4
    /// assert_eq!(m[0].target.segment.plain_text(), "A meeting was held in Shusha.");
    /// # Ok::<(), korpu::Error>(())
    /// ```
    pub fn lookup(&self, query: &str, from: &Lang, to: &Lang, options: &LookupOptions) -> Result<Vec<Match>> {
        self.search(query, from, to, options, false)
    }

    /// [`lookup`](Self::lookup) by scoring every stored segment of `from`,
    /// without the index: the reference the index is tested against, and a
    /// way to check a memory. Cost: linear in the memory's size.
    pub fn lookup_scan(
        &self,
        query: &str,
        from: &Lang,
        to: &Lang,
        options: &LookupOptions,
    ) -> Result<Vec<Match>> {
        self.search(query, from, to, options, true)
    }

    /// The pipeline of the [module docs](self), by the index or by a scan.
    fn search(
        &self,
        query: &str,
        from: &Lang,
        to: &Lang,
        options: &LookupOptions,
        scan: bool,
    ) -> Result<Vec<Match>> {
        let mut reader = Reader::new(self)?;
        let text = nfc(query);
        let Some(q) = Query::plan(&reader, &text, from, to, options)? else {
            return Ok(Vec::new());
        };
        let scored = if scan {
            reader.scan(&q)?
        } else {
            reader.gather(&q)?
        };
        let ranked = reader.rank(&q, scored)?;
        Ok(ranked.iter().map(|r| q.adapt(r)).collect())
    }
}

/// A query as every phase of a lookup reads it.
pub(super) struct Query<'q> {
    /// The tokens of the query's NFC text, at most [`MAX_TOKENS`]: what
    /// adapting a target reads.
    tokens: Vec<Token<'q>>,
    /// Their signatures: what scores read.
    sig: Sig,
    /// Their class keys: what names their posting lists.
    keys: Vec<String>,
    from: &'q Lang,
    /// `from`'s language id in the store.
    from_id: u16,
    to: &'q Lang,
    options: &'q LookupOptions,
    /// `options.min_score`, at most 100.
    min_score: u8,
}

impl<'q> Query<'q> {
    /// The query of `text` (NFC) from `from` into `to`, tokenized once; `None`
    /// when it can have no match (no tokens, or a limit of 0). Languages the
    /// memory holds no text in are an error.
    fn plan(
        reader: &Reader<'_>,
        text: &'q str,
        from: &'q Lang,
        to: &'q Lang,
        options: &'q LookupOptions,
    ) -> Result<Option<Query<'q>>> {
        let counters = reader.tm.counters(&*reader.snap)?;
        let from_id = reader.tm.lang_id(&counters, from)?;
        reader.tm.lang_id(&counters, to)?;
        let tokens: Vec<Token<'q>> = tokenize(text).take(MAX_TOKENS).collect();
        let (sig, keys) = Sig::of_tokens(tokens.iter().copied(), from);
        if sig.len() == 0 || options.limit == 0 {
            return Ok(None);
        }
        Ok(Some(Query {
            tokens,
            sig,
            keys,
            from,
            from_id,
            to,
            options,
            min_score: options.min_score.min(100),
        }))
    }

    /// The number of tokens matched.
    fn len(&self) -> usize {
        self.sig.len()
    }

    /// The match `r` becomes: its source and target, the edits that separate
    /// the query from the source, and the target with the query's numbers.
    fn adapt(&self, r: &Ranked) -> Match {
        let source = r.unit.variants[r.s.variant as usize].clone();
        let target = r.unit.variants[r.tgt].clone();
        let stext = nfc(&source.segment.plain_text()).into_owned();
        let stokens: Vec<Token<'_>> = tokenize(&stext).take(MAX_TOKENS).collect();
        let (ssig, _) = Sig::of_tokens(stokens.iter().copied(), &source.lang);
        let (_, steps) = score::align(&self.sig.toks, &ssig.toks);
        let breakdown = EditBreakdown::of(&steps, &self.sig.toks, &ssig.toks);
        let adapted_target =
            score::adapt_target(&self.tokens, &stokens, &target.segment.plain_text(), &steps);
        Match {
            score: r.score,
            kind: match r.score {
                101 => MatchKind::Context,
                100 => MatchKind::Exact,
                _ => MatchKind::Fuzzy,
            },
            unit_id: r.s.unit,
            tuid: r.unit.tuid.clone(),
            source,
            target,
            adapted_target,
            breakdown,
        }
    }
}

/// A scored candidate before the unit is loaded.
#[derive(Clone, Copy, Debug)]
struct Scored {
    unit: u64,
    variant: u16,
    d: u32,
    m: usize,
}

/// A unit that ranks, with the variants that make it a match.
struct Ranked {
    s: Scored,
    score: u8,
    src_q: LangMatch,
    tgt_q: LangMatch,
    tgt: usize,
    unit: Rc<TranslationUnit>,
}

/// One lookup's view of the memory: a snapshot, the doc cache generation
/// valid for it, and the units read so far (the checks that end a search
/// early and the ranking read the same few units, each decoded once).
struct Reader<'a> {
    tm: &'a TranslationMemory,
    snap: Box<dyn Snapshot + 'a>,
    generation: Option<u64>,
    units: HashMap<u64, Option<Rc<TranslationUnit>>, DocHash>,
    /// Per doc id, whether its unit can be a match (see `enough_above`).
    usable: HashMap<u64, bool, DocHash>,
}

impl<'a> Reader<'a> {
    /// A snapshot of `tm`, and the doc cache generation valid for it when
    /// no commit overlapped taking it (see [`DocCache`](super::cache::DocCache)).
    fn new(tm: &'a TranslationMemory) -> Result<Reader<'a>> {
        let before = tm.docs.generation();
        let snap = tm.store.snapshot()?;
        let after = tm.docs.generation();
        Ok(Reader {
            tm,
            snap,
            generation: (before == after && before.is_multiple_of(2)).then_some(before),
            units: HashMap::default(),
            usable: HashMap::default(),
        })
    }

    /// A doc record, from the cache when the generation allows.
    fn doc_cached(&self, doc: u64) -> Result<Option<Arc<DocRecord>>> {
        if let Some(g) = self.generation
            && let Some(rec) = self.tm.docs.get(g, doc)
        {
            return Ok(Some(rec));
        }
        let Some(rec) = self.tm.doc(&*self.snap, doc)? else {
            return Ok(None);
        };
        let rec = Arc::new(rec);
        if let Some(g) = self.generation {
            self.tm.docs.insert(g, doc, Arc::clone(&rec));
        }
        Ok(Some(rec))
    }

    /// Unit `id`, read once per lookup.
    fn unit(&mut self, id: u64) -> Result<Option<Rc<TranslationUnit>>> {
        if let Some(unit) = self.units.get(&id) {
            return Ok(unit.clone());
        }
        let unit = self.tm.load_unit(&*self.snap, id)?.map(Rc::new);
        self.units.insert(id, unit.clone());
        Ok(unit)
    }

    /// Step 2 by the index: the candidates scoring at least the query's
    /// minimum, or enough of them to be sure of the top `limit`.
    fn gather(&mut self, q: &Query<'_>) -> Result<Vec<Scored>> {
        // Exact matches first: a hash lookup. When they alone fill the
        // limit, only other segments scoring 100 can still rank among
        // them (nothing scores above 100 except 101s, which are exact
        // matches too), so the fuzzy search runs at 100 alone. It must
        // run: the hash tells texts apart that score 100 against each
        // other (in English, `toplantı` and `toplanti`), and a newer unit
        // ranks first among equal scores.
        let mut scored = Vec::new();
        let mut docs = Vec::new();
        self.snap.exact(q.sig.exact_hash(q.from_id), &mut docs)?;
        for doc in docs {
            if let Some(rec) = self.tm.doc(&*self.snap, doc)?
                && rec.sig == q.sig
                && lang_ok(&rec.lang, q.from)
            {
                scored.push(Scored {
                    unit: doc >> 16,
                    variant: doc as u16,
                    d: 0,
                    m: rec.sig.len(),
                });
            }
        }
        let limit = q.options.limit;
        let exact_units: HashSet<u64> = scored.iter().map(|s| s.unit).collect();
        let enough = exact_units.len() >= limit && self.count_with_target(q, &scored, limit)? >= limit;
        let mut lists = None;
        let stages: Vec<u8> = if enough {
            vec![100]
        } else {
            deepening(q.min_score).collect()
        };
        for stage in stages {
            scored.clear();
            self.fuzzy(q, stage, &mut lists, &mut scored)?;
            // Complete above `stage`: when `limit` units with a
            // target score `stage` or more, nothing below it can
            // rank among them.
            if stage == q.min_score || enough || self.enough_above(q, &scored, stage - 1)? {
                break;
            }
        }
        Ok(scored)
    }

    /// How many distinct units of `scored` have a target, counting up to
    /// `enough`.
    fn count_with_target(&mut self, q: &Query<'_>, scored: &[Scored], enough: usize) -> Result<usize> {
        let mut n = 0;
        let mut seen = HashSet::new();
        for s in scored {
            if !seen.insert(s.unit) {
                continue;
            }
            if let Some(u) = self.unit(s.unit)?
                && target_of(&u, s.variant, q.to).is_some()
            {
                n += 1;
                if n >= enough {
                    break;
                }
            }
        }
        Ok(n)
    }

    /// Steps 2 and 3 of one pass: every segment of the query's language
    /// scoring at least `min_score`, into `out`, or enough of the best of
    /// them to fill the limit. `lists` keeps the query's posting lists
    /// from pass to pass.
    fn fuzzy(
        &mut self,
        q: &Query<'_>,
        min_score: u8,
        lists: &mut Option<QueryLists>,
        out: &mut Vec<Scored>,
    ) -> Result<()> {
        let n = q.len();
        let filter = QueryFilter::new(&q.sig.toks, min_score);
        let weight = q.sig.weight();
        let t_plain = index::overlap_threshold(weight, n, min_score, 10);
        let t_tagged = index::overlap_threshold(weight, n, min_score, 5);
        if t_plain > n && t_tagged > n {
            return Ok(());
        }
        let tm = self.tm;
        let damaged = || tm.damaged("posting list");
        let mut seen: HashSet<u64, DocHash> = HashSet::default();
        if t_plain == 0 || t_tagged == 0 {
            // A candidate sharing no token may qualify: scan the language.
            let snap = &*self.snap;
            let check = |p: Posting, seen: &mut HashSet<u64, DocHash>, out: &mut Vec<Scored>| -> Result<()> {
                if !filter.length_ok(p.len as usize, p.tagged) || !seen.insert(p.doc()) {
                    return Ok(());
                }
                let Some(rec) = tm.doc(snap, p.doc())? else {
                    return Ok(()); // a stale posting of a deleted or updated unit
                };
                if !lang_ok(&rec.lang, q.from) {
                    return Ok(());
                }
                if let Some(d) = filter.verify(&rec.sig.toks) {
                    out.push(Scored {
                        unit: p.unit,
                        variant: p.variant,
                        d,
                        m: rec.sig.len(),
                    });
                }
                Ok(())
            };
            let Some(info) = tm.token_info(snap, &token_key(q.from_id, ALL_KIND, ""))? else {
                return Ok(());
            };
            let mut postings = Vec::new();
            index::read_postings(snap, &info, &mut |p| postings.push(p), &damaged)?;
            for p in postings {
                let tagged_needs_scan = p.tagged && t_tagged == 0;
                let plain_needs_scan = !p.tagged && t_plain == 0;
                if tagged_needs_scan || plain_needs_scan {
                    check(p, &mut seen, out)?;
                }
            }
            if t_plain == 0 && t_tagged == 0 {
                return Ok(());
            }
        }
        let lists = match lists {
            Some(lists) => lists,
            None => lists.insert(self.query_lists(q)?),
        };
        let Gathered {
            cands,
            unread,
            fresh,
            sparse_docs,
            t_tagged,
        } = {
            // With a threshold of 0, every tagged segment was scanned above.
            let t_tagged = if t_tagged == 0 { n + 1 } else { t_tagged };
            candidates::gather(lists, n, t_plain, t_tagged, &filter)
        };
        let t_of = |tagged: bool| if tagged { t_tagged } else { t_plain };
        // Each candidate with an upper bound on its score (from its length
        // and the query tokens it may share), best bound first.
        let mut verify: BinaryHeap<(u8, Reverse<u64>, bool)> = cands
            .iter()
            .filter(|c| c.hits + unread >= t_of(c.tagged))
            .map(|c| {
                // A candidate that qualifies has a current posting in a list
                // read, so its real token count is among those seen.
                let bound = filter.score_bound_over(c.min_len, c.max_len, c.tagged, c.hits + unread);
                (bound, Reverse(c.doc), false)
            })
            .collect();
        // Dense-only units get their token counts from the language's list
        // of all segments (one load each); their docs are read from it only
        // when they come up, which most never do.
        if !fresh.is_empty()
            && lists.all.is_none()
            && let Some(info) = tm.token_info(&*self.snap, &token_key(q.from_id, ALL_KIND, ""))?
        {
            lists.all = Some(tm.postings.get(&*self.snap, &info, &damaged)?);
        }
        let all: Option<&Arc<PostingList>> = lists.all.as_ref().filter(|_| !fresh.is_empty());
        if let Some(all) = all {
            let lens = all.unit_lens();
            // The lengths first, in a loop of independent loads (the units
            // are far apart in the table: a cache miss each), so that the
            // processor overlaps the misses.
            let fresh_lens: Vec<(u16, u16, bool)> = fresh
                .iter()
                .map(|&(unit, _)| {
                    usize::try_from(unit)
                        .ok()
                        .and_then(|u| lens.get(u))
                        .copied()
                        .unwrap_or((0, 0, false))
                })
                .collect();
            for (&(unit, hits), &(min_len, max_len, tagged)) in fresh.iter().zip(&fresh_lens) {
                if hits < t_of(tagged) || max_len == 0 {
                    continue;
                }
                let bound = filter.score_bound_over(min_len, max_len, tagged, hits);
                if bound >= min_score {
                    verify.push((bound, Reverse(unit << 16), true));
                }
            }
        }
        // Parsing a tag costs more than the rest of a check: once per tag.
        let mut lang_seen: HashMap<smol_str::SmolStr, bool> = HashMap::new();
        let mut level = u8::MAX;
        let mut docs: Vec<u64> = Vec::new();
        while let Some((bound, Reverse(key), is_unit)) = verify.pop() {
            if bound < level {
                // Every candidate that can score above `bound` is in `out`.
                // When `limit` units with a target already score above it,
                // no remaining candidate can enter the result (see `rank`:
                // it ranks whole score levels), so the rest are skipped
                // without reading their records.
                if self.enough_above(q, out, bound)? {
                    break;
                }
                level = bound;
            }
            docs.clear();
            match (is_unit, all) {
                // The unit's segments in the language, but those the sparse
                // lists gave (already candidates, or proven unable).
                (true, Some(all)) => {
                    for i in all.unit_postings(key >> 16) {
                        let doc = all.docs[i];
                        if docs.last() != Some(&doc) && sparse_docs.binary_search(&doc).is_err() {
                            docs.push(doc);
                        }
                    }
                }
                _ => docs.push(key),
            }
            for &doc in &docs {
                if seen.contains(&doc) {
                    continue;
                }
                let Some(rec) = self.doc_cached(doc)? else {
                    continue; // a stale posting of a deleted or updated unit
                };
                let ok = match lang_seen.get(rec.lang.as_str()) {
                    Some(&ok) => ok,
                    None => {
                        let ok = lang_ok(&rec.lang, q.from);
                        lang_seen.insert(rec.lang.clone(), ok);
                        ok
                    }
                };
                if !ok {
                    continue;
                }
                if let Some(d) = filter.verify(&rec.sig.toks) {
                    out.push(Scored {
                        unit: doc >> 16,
                        variant: doc as u16,
                        d,
                        m: rec.sig.len(),
                    });
                }
            }
        }
        Ok(())
    }

    /// The query's posting lists (see [`QueryLists`]), from the cache or the
    /// store.
    fn query_lists(&self, q: &Query<'_>) -> Result<QueryLists> {
        let damaged = || self.tm.damaged("posting list");
        // A class's tokens count together: one list each.
        let mut lists: Vec<(Option<Arc<PostingList>>, u64, usize)> = Vec::new();
        let mut index_of: HashMap<(u8, &str), usize> = HashMap::new();
        for (t, key) in q.sig.toks.iter().zip(&q.keys) {
            match index_of.get(&(t.kind as u8, key.as_str())) {
                Some(&i) => lists[i].2 += 1,
                None => {
                    let info = self
                        .tm
                        .token_info(&*self.snap, &token_key(q.from_id, t.kind as u8, key))?;
                    let list = match &info {
                        Some(info) => Some(self.tm.postings.get(&*self.snap, info, &damaged)?),
                        None => None,
                    };
                    index_of.insert((t.kind as u8, key.as_str()), lists.len());
                    lists.push((list, info.map_or(0, |i| i.id), 1));
                }
            }
        }
        Ok(QueryLists::new(lists))
    }

    /// True when at least `limit` distinct units of `scored` score above
    /// `bound` and would be kept by [`rank`](Reader::rank) (the unit exists,
    /// its source variant is in the query's language and it has a target).
    /// `usable` keeps that test per doc id.
    fn enough_above(&mut self, q: &Query<'_>, scored: &[Scored], bound: u8) -> Result<bool> {
        let limit = q.options.limit;
        let n = q.len();
        let above: Vec<&Scored> = scored
            .iter()
            .filter(|s| score::score_of(s.d, n, s.m) > bound)
            .collect();
        let mut units: HashSet<u64> = HashSet::new();
        if above.iter().filter(|s| units.insert(s.unit)).count() < limit {
            return Ok(false);
        }
        units.clear();
        for s in above {
            if units.contains(&s.unit) {
                continue;
            }
            let doc = index::doc_id(s.unit, s.variant);
            let ok = match self.usable.get(&doc) {
                Some(&ok) => ok,
                None => {
                    let ok = self.unit(s.unit)?.is_some_and(|unit| {
                        unit.variants
                            .get(usize::from(s.variant))
                            .is_some_and(|src| src.lang.match_quality(q.from).is_some())
                            && target_of(&unit, s.variant, q.to).is_some()
                    });
                    self.usable.insert(doc, ok);
                    ok
                }
            };
            if ok {
                units.insert(s.unit);
                if units.len() >= limit {
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }

    /// Steps 2 and 3 without the index: every stored segment of the query's
    /// language, tokenized again and scored.
    fn scan(&self, q: &Query<'_>) -> Result<Vec<Scored>> {
        let mut out = Vec::new();
        // Re-tokenizes the stored text: independent of the stored index.
        self.snap.each_unit(0, &mut |id, bytes| {
            let unit = self.tm.decode_unit(id, bytes)?;
            for (i, v) in unit.variants.iter().enumerate().take(u16::MAX as usize) {
                if !v.lang.matches(q.from) {
                    continue;
                }
                let (sig, _) = Sig::of_text(&nfc(&v.segment.plain_text()), &v.lang);
                if sig.len() == 0 {
                    continue;
                }
                let (d, _) = score::align(&q.sig.toks, &sig.toks);
                if score::qualifies(d, q.len(), sig.len(), q.min_score) {
                    out.push(Scored {
                        unit: id,
                        variant: i as u16,
                        d,
                        m: sig.len(),
                    });
                }
            }
            Ok(true)
        })?;
        Ok(out)
    }

    /// Step 4: the best source variant per unit with a target, best first,
    /// at most `limit`.
    fn rank(&mut self, q: &Query<'_>, mut scored: Vec<Scored>) -> Result<Vec<Ranked>> {
        let n = q.len();
        let mut best: HashMap<u64, Ranked> = HashMap::new();
        // Best scores first, a whole score level at a time: once `limit`
        // units with a target are found, lower levels cannot rank above them
        // (ties within a level are ranked by language and recency, so a level
        // is always finished).
        scored.sort_by_key(|s| Reverse(score::score_of(s.d, n, s.m)));
        let mut level = u8::MAX;
        for s in scored {
            let base = score::score_of(s.d, n, s.m);
            if base < level {
                if best.len() >= q.options.limit {
                    break;
                }
                level = base;
            }
            let Some(unit) = self.unit(s.unit)? else {
                continue;
            };
            let Some(src) = unit.variants.get(s.variant as usize) else {
                continue;
            };
            let Some(src_q) = src.lang.match_quality(q.from) else {
                continue;
            };
            let Some((tgt, tgt_q)) = target_of(&unit, s.variant, q.to) else {
                continue;
            };
            let mut score = base;
            if s.d == 0 && in_context(&unit, q.options) {
                score = 101;
            }
            let better = match best.get(&s.unit) {
                None => true,
                Some(c) => (score, src_q, Reverse(s.variant)) > (c.score, c.src_q, Reverse(c.s.variant)),
            };
            if better {
                best.insert(
                    s.unit,
                    Ranked {
                        s,
                        score,
                        src_q,
                        tgt_q,
                        tgt,
                        unit,
                    },
                );
            }
        }
        let mut ranked: Vec<Ranked> = best.into_values().collect();
        ranked.sort_by(|a, b| {
            (b.score, b.src_q, b.tgt_q, b.s.unit).cmp(&(a.score, a.src_q, a.tgt_q, a.s.unit))
        });
        ranked.truncate(q.options.limit);
        Ok(ranked)
    }
}

/// The minimum scores a fuzzy lookup tries in turn, ending with the
/// caller's. A higher minimum allows fewer unshared tokens, so its prefix
/// filter reads fewer and rarer posting lists: when a memory holds `limit`
/// close matches (the common case in a large memory), a pass at 90 finds
/// them for a fraction of the cost of a pass at 70. The result is the same
/// as one pass at the caller's minimum: a pass stops the search only when
/// `limit` units reach its minimum, and every unit at or above it was seen.
fn deepening(min_score: u8) -> impl Iterator<Item = u8> {
    [90u8]
        .into_iter()
        .filter(move |&s| s > min_score)
        .chain(std::iter::once(min_score))
}

/// Whether the stored language tag `tag` serves `wanted`.
fn lang_ok(tag: &str, wanted: &Lang) -> bool {
    Lang::parse(tag).is_ok_and(|l| l.matches(wanted))
}

/// The best target variant of `unit` for a match on variant `src`: the
/// variant (not `src`) whose language serves `to` best, the first on ties.
fn target_of(unit: &TranslationUnit, src: u16, to: &Lang) -> Option<(usize, LangMatch)> {
    let mut best: Option<(usize, LangMatch)> = None;
    for (i, v) in unit.variants.iter().enumerate() {
        if i == src as usize || v.segment.is_empty() {
            continue;
        }
        if let Some(q) = v.lang.match_quality(to)
            && q >= LangMatch::Compatible
            && best.is_none_or(|(_, b)| q > b)
        {
            best = Some((i, q));
        }
    }
    best
}

/// Whether `unit` has the previous and next segment the options ask for
/// (a 100 that is also one is a 101).
fn in_context(unit: &TranslationUnit, options: &LookupOptions) -> bool {
    if options.prev.is_none() && options.next.is_none() {
        return false;
    }
    let same = |want: &Option<String>, prop: &str| match want {
        None => true,
        Some(w) => nfc(w).trim() == nfc(unit.prop(prop).unwrap_or("")).trim(),
    };
    same(&options.prev, "prev") && same(&options.next, "next")
}
