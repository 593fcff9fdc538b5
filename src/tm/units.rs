//! Every stored unit, read from one snapshot: [`TranslationMemory::units`]
//! and its iterator, [`Units`] (what an export writes, in any format).

use std::collections::VecDeque;

use super::TranslationMemory;
use super::options::UnitId;
use super::store::Snapshot;
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::model::TranslationUnit;

/// How many units [`Units`] reads from the store at a time: the iterator
/// holds at most this many, whatever the memory's size.
const PAGE: usize = 256;

impl TranslationMemory {
    /// Every stored unit with its id, in id order, from one snapshot: a
    /// concurrent writer does not change what is seen. Units are read a few
    /// hundred at a time as the iterator advances (memory stays bounded);
    /// the iterator borrows the memory, and holds its snapshot, until it is
    /// dropped.
    ///
    /// An item is an error when a unit cannot be read (a damaged memory);
    /// the iteration ends after it.
    ///
    /// ```
    /// # use korpu::model::{TranslationUnit, Variant};
    /// # let dir = tempfile::tempdir()?;
    /// let tm = korpu::tm::TranslationMemory::open(dir.path().join("tm.korpu"))?;
    /// tm.add(TranslationUnit {
    ///     variants: vec![Variant::new("tr".parse()?, "Merhaba"), Variant::new("az".parse()?, "Salam")],
    ///     ..Default::default()
    /// })?;
    /// let azerbaijani: Vec<String> = tm
    ///     .units()?
    ///     .in_languages(&["az".parse()?])
    ///     .map(|u| u.map(|(_, unit)| unit.variants[0].segment.plain_text()))
    ///     .collect::<Result<_, _>>()?;
    /// assert_eq!(azerbaijani, ["Salam"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn units(&self) -> Result<Units<'_>> {
        Ok(Units {
            tm: self,
            snap: self.store.snapshot()?,
            page: VecDeque::with_capacity(PAGE),
            from: Some(0),
            error: None,
            languages: Vec::new(),
        })
    }
}

/// The stored units of one snapshot, in id order; see
/// [`TranslationMemory::units`].
pub struct Units<'a> {
    tm: &'a TranslationMemory,
    snap: Box<dyn Snapshot + 'a>,
    /// Units read and not yet returned, in id order.
    page: VecDeque<(UnitId, TranslationUnit)>,
    /// The id the next page starts at; `None` once the store has no more.
    from: Option<UnitId>,
    /// An error met while reading a page, returned after the units before it.
    error: Option<Error>,
    /// See [`in_languages`](Units::in_languages); empty: every variant.
    languages: Vec<Lang>,
}

impl<'a> Units<'a> {
    /// Keeps of each unit only the variants whose language serves one of
    /// `languages` ([`Lang::matches`]: `az` keeps `az-Latn`), and skips
    /// units left with none. With `languages` empty, every unit is kept
    /// whole.
    pub fn in_languages(mut self, languages: &[Lang]) -> Units<'a> {
        self.languages = languages.to_vec();
        self
    }

    /// Reads the next page of units into `page`.
    fn read_page(&mut self) {
        let Some(from) = self.from.take() else {
            return;
        };
        let (tm, page) = (self.tm, &mut self.page);
        let mut last = None;
        let read = self.snap.each_unit(from, &mut |id, bytes| {
            page.push_back((id, tm.decode_unit(id, bytes)?));
            last = Some(id);
            Ok(page.len() < PAGE)
        });
        match read {
            Err(e) => self.error = Some(e),
            // A full page: there may be more.
            Ok(()) if self.page.len() >= PAGE => self.from = last.and_then(|id| id.checked_add(1)),
            Ok(()) => {}
        }
    }
}

impl Iterator for Units<'_> {
    type Item = Result<(UnitId, TranslationUnit)>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some((id, mut unit)) = self.page.pop_front() {
                if !self.languages.is_empty() {
                    let languages = &self.languages;
                    unit.variants
                        .retain(|v| languages.iter().any(|l| v.lang.matches(l)));
                    if unit.variants.is_empty() {
                        continue;
                    }
                }
                return Some(Ok((id, unit)));
            }
            if let Some(e) = self.error.take() {
                return Some(Err(e));
            }
            self.from?;
            self.read_page();
        }
    }
}
