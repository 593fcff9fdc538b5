//! An entry's subtree checked and turned into a [`Concept`]: languages,
//! term sections, data categories and their groups.

use std::io::BufRead;

use super::TbxReader;
use super::node::Node;
use crate::error::{Error, Result};
use crate::formats::tbx::rules::{self, Kind, Level, Rules};
use crate::formats::tbx::{TbxStyle, TbxVersion};
use crate::lang::Lang;
use crate::model::{Concept, Term};

/// Turns one entry subtree into a concept, checking it.
pub(super) struct Entry {
    rules: Rules,
    v3: bool,
    dct: bool,
    ordinal: usize,
    /// The language section being read, to label extra definitions.
    lang: std::cell::RefCell<Option<Lang>>,
}

/// What a term-level walk collects.
#[derive(Default)]
struct TermData {
    term: Option<Term>,
    notes: Vec<String>,
    case_sensitive: Option<bool>,
}

impl Entry {
    pub(super) fn new<R: BufRead>(r: &TbxReader<R>) -> Entry {
        Entry {
            rules: r.rules,
            v3: r.format.version == TbxVersion::V3,
            dct: r.format.style == TbxStyle::Dct,
            ordinal: r.entries,
            lang: std::cell::RefCell::new(None),
        }
    }

    pub(super) fn concept(&self, entry: &Node) -> Result<Concept> {
        let id = match entry.attr("id") {
            Some(id) if !id.trim().is_empty() => id.trim().to_string(),
            Some(_) => {
                return Err(Error::parse(
                    entry.loc.clone(),
                    format!("<{}> has an empty id", entry.name),
                ));
            }
            None if self.v3 => {
                return Err(Error::parse(
                    entry.loc.clone(),
                    "<conceptEntry> has no id attribute",
                ));
            }
            // TBX v2 makes termEntry ids optional.
            None => format!("entry-{}", self.ordinal),
        };
        let mut concept = Concept {
            id,
            ..Concept::default()
        };
        entry.refuse_stray_text()?;
        let mut langs = 0;
        for child in entry.elements() {
            match (child.foreign, child.name.as_str()) {
                (false, "langSec" | "langSet") => {
                    langs += 1;
                    self.lang_section(child, &mut concept)?;
                }
                _ => self.data(child, Level::Concept, &mut concept, &mut None)?,
            }
        }
        if langs == 0 && self.v3 {
            return Err(Error::parse(entry.loc.clone(), "<conceptEntry> has no <langSec>"));
        }
        Ok(concept)
    }

    fn lang_section(&self, node: &Node, concept: &mut Concept) -> Result<()> {
        let tag = node.attr("xml:lang").or_else(|| node.attr("lang"));
        let Some(tag) = tag else {
            return Err(Error::parse(
                node.loc.clone(),
                format!("<{}> has no xml:lang attribute", node.name),
            ));
        };
        let lang = Lang::parse(tag).map_err(|e| Error::parse_with(node.loc.clone(), e.to_string(), e))?;
        node.refuse_stray_text()?;
        *self.lang.borrow_mut() = Some(lang.clone());
        let mut terms = 0;
        for child in node.elements() {
            match (child.foreign, child.name.as_str()) {
                (false, "termSec" | "tig" | "ntig") => {
                    terms += 1;
                    let term = self.term_section(child, &lang, concept)?;
                    concept.terms.push(term);
                }
                (false, "term") => {
                    return Err(Error::parse(
                        child.loc.clone(),
                        format!("<term> must be inside a <{}>", Level::Term.element_name(self.v3)),
                    ));
                }
                _ => self.data(child, Level::Lang, concept, &mut None)?,
            }
        }
        *self.lang.borrow_mut() = None;
        if terms == 0 {
            return Err(Error::parse(
                node.loc.clone(),
                format!("<{}> has no <{}>", node.name, Level::Term.element_name(self.v3)),
            ));
        }
        Ok(())
    }

    fn term_section(&self, node: &Node, lang: &Lang, concept: &mut Concept) -> Result<Term> {
        let mut data = TermData::default();
        self.term_children(node, lang, concept, &mut data)?;
        let Some(mut term) = data.term else {
            return Err(Error::parse(
                node.loc.clone(),
                format!("<{}> has no <term>", node.name),
            ));
        };
        if !data.notes.is_empty() {
            term.note = Some(data.notes.join("\n"));
        }
        term.case_sensitive = data
            .case_sensitive
            .unwrap_or_else(|| rules::case_sensitive_by_default(term.term_type.as_deref()));
        Ok(term)
    }

    /// The children of a `termSec`/`tig`/`ntig`, or of an `ntig`'s `termGrp`.
    fn term_children(
        &self,
        node: &Node,
        lang: &Lang,
        concept: &mut Concept,
        data: &mut TermData,
    ) -> Result<()> {
        node.refuse_stray_text()?;
        let lead = if node.name == "ntig" { "termGrp" } else { "term" };
        for (i, child) in node.elements().enumerate() {
            let name = child.name.as_str();
            if !child.foreign && (name == "term" || name == "termGrp") {
                if name != lead {
                    return Err(Error::parse(
                        child.loc.clone(),
                        format!("<{name}> is not allowed in <{}>", node.name),
                    ));
                }
                if data.term.is_some() {
                    return Err(Error::parse(
                        child.loc.clone(),
                        format!("only one <{name}> is allowed per <{}>", node.name),
                    ));
                }
                if i != 0 {
                    return Err(Error::parse(
                        child.loc.clone(),
                        format!("<{name}> must be the first element in <{}>", node.name),
                    ));
                }
                if name == "termGrp" {
                    self.term_children(child, lang, concept, data)?;
                    continue;
                }
                let text = child.text();
                Term::check_text(&text).map_err(|message| Error::InvalidRecord {
                    location: Some(child.loc.clone()),
                    record: format!("concept {:?}", concept.id),
                    message: format!("{message} ({lang})"),
                })?;
                data.term = Some(Term::new(lang.clone(), text));
                continue;
            }
            if i == 0 {
                return Err(Error::parse(
                    child.loc.clone(),
                    format!(
                        "<{lead}> must be the first element in <{}>, not <{name}>",
                        node.name
                    ),
                ));
            }
            if !child.foreign && name == "termCompList" {
                continue;
            }
            self.data(child, Level::Term, concept, &mut Some(data))?;
        }
        Ok(())
    }

    /// The data category of a DCA or DCT element, or `None` for other elements.
    fn category<'n>(&self, node: &'n Node) -> Result<Option<(Kind, &'n str)>> {
        if node.foreign {
            return Ok(Some((Kind::of_dct_category(&node.name), node.name.as_str())));
        }
        let Some(kind) = Kind::of_dca_element(&node.name) else {
            return Ok(None);
        };
        match node.attr("type") {
            Some(t) if !t.trim().is_empty() => Ok(Some((kind, t))),
            _ => Err(Error::parse(
                node.loc.clone(),
                format!("<{}> needs a type attribute naming its data category", node.name),
            )),
        }
    }

    /// A data category, group or note on `level`.
    fn data(
        &self,
        node: &Node,
        level: Level,
        concept: &mut Concept,
        term: &mut Option<&mut TermData>,
    ) -> Result<()> {
        let name = node.name.as_str();
        if !node.foreign {
            if name == "note" {
                let text = node.text();
                if !text.is_empty() {
                    match term {
                        Some(t) => t.notes.push(text),
                        None => concept.notes.push(text),
                    }
                }
                return Ok(());
            }
            if let Some(primary) = Kind::of_group(name) {
                return self.group(node, primary, level, concept, term);
            }
        }
        match self.category(node)? {
            Some((kind, category)) => self.category_value(node, kind, category, level, false, concept, term),
            None if node.foreign => Ok(()),
            None => Err(Error::parse(
                node.loc.clone(),
                format!("<{name}> is not allowed in <{}>", level.element_name(self.v3)),
            )),
        }
    }

    fn group(
        &self,
        node: &Node,
        primary: Kind,
        level: Level,
        concept: &mut Concept,
        term: &mut Option<&mut TermData>,
    ) -> Result<()> {
        if self.rules == Rules::Min && primary == Kind::Transac {
            return Err(Error::parse(
                node.loc.clone(),
                "<transacGrp> is not part of TBX-Min",
            ));
        }
        node.refuse_stray_text()?;
        let mut primaries = 0;
        for (i, child) in node.elements().enumerate() {
            if !child.foreign && child.name == "note" {
                continue;
            }
            if !child.foreign && child.name == "date" && primary == Kind::Transac {
                continue;
            }
            // Groups nest (a transacGrp or adminGrp inside a descripGrp), after
            // the primary element.
            if let (false, Some(inner), true) = (child.foreign, Kind::of_group(&child.name), i > 0) {
                self.group(child, inner, level, concept, term)?;
                continue;
            }
            let Some((kind, category)) = self.category(child)? else {
                let message = if i == 0 {
                    format!(
                        "<{}> must begin with its <{}>, not <{}>",
                        node.name,
                        primary.element_name(),
                        child.name
                    )
                } else {
                    format!("<{}> is not allowed in <{}>", child.name, node.name)
                };
                return Err(Error::parse(child.loc.clone(), message));
            };
            let is_primary = kind == primary;
            if i == 0 && !is_primary {
                return Err(Error::parse(
                    child.loc.clone(),
                    format!(
                        "<{}> must begin with its <{}>, not <{}>",
                        node.name,
                        primary.element_name(),
                        child.name
                    ),
                ));
            }
            if is_primary {
                primaries += 1;
                if primaries > 1 {
                    return Err(Error::parse(
                        child.loc.clone(),
                        format!(
                            "only one <{}> is allowed per <{}>",
                            primary.element_name(),
                            node.name
                        ),
                    ));
                }
            }
            self.category_value(child, kind, category, level, !is_primary, concept, term)?;
        }
        if primaries == 0 {
            return Err(Error::parse(
                node.loc.clone(),
                format!("<{}> has no <{}>", node.name, primary.element_name()),
            ));
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn category_value(
        &self,
        node: &Node,
        kind: Kind,
        category: &str,
        level: Level,
        grouped: bool,
        concept: &mut Concept,
        term: &mut Option<&mut TermData>,
    ) -> Result<()> {
        let value = node.text();
        if self.v3 {
            if self.dct && !node.foreign && self.rules != Rules::Core {
                return Err(Error::parse(
                    node.loc.clone(),
                    format!("<{}> (DCA style) in a file declared style=\"dct\"", node.name),
                ));
            }
            if !self.dct && node.foreign && self.rules != Rules::Core {
                return Err(Error::parse(
                    node.loc.clone(),
                    format!("<{}> (DCT style) in a file declared style=\"dca\"", node.name),
                ));
            }
            if let Some(problem) = rules::check(self.rules, level, kind, category, &value, grouped) {
                return Err(Error::parse(node.loc.clone(), problem));
            }
        }
        match (kind, category) {
            (Kind::Descrip, "subjectField") if !value.is_empty() => match &mut concept.subject {
                Some(s) if *s != value => {
                    s.push_str("; ");
                    s.push_str(&value);
                }
                Some(_) => {}
                None => concept.subject = Some(value),
            },
            (Kind::Descrip, "definition") if !value.is_empty() => {
                if concept.definition.is_none() {
                    concept.definition = Some(value);
                } else if concept.definition.as_deref() != Some(value.as_str()) {
                    // The model has one definition; later ones (other languages)
                    // are kept as notes so nothing is lost.
                    match self.lang.borrow().as_ref() {
                        Some(lang) => concept.notes.push(format!("definition ({lang}): {value}")),
                        None => concept.notes.push(format!("definition: {value}")),
                    }
                }
            }
            (Kind::TermNote, _) => {
                let Some(data) = term.as_deref_mut() else {
                    return Ok(());
                };
                let Some(t) = data.term.as_mut() else {
                    return Ok(());
                };
                match category {
                    "partOfSpeech" if !value.is_empty() => t.part_of_speech = Some(value),
                    "termType" if !value.is_empty() => t.term_type = Some(value),
                    "administrativeStatus" | "usageStatus" | "normativeAuthorization" => {
                        if let Some(s) = rules::term_status(&value) {
                            t.status = Some(s);
                        }
                    }
                    "caseSensitive" => match value.as_str() {
                        "yes" | "true" => data.case_sensitive = Some(true),
                        "no" | "false" => data.case_sensitive = Some(false),
                        other => {
                            return Err(Error::parse(
                                node.loc.clone(),
                                format!("caseSensitive {other:?} is not \"yes\" or \"no\""),
                            ));
                        }
                    },
                    _ => {}
                }
            }
            _ => {}
        }
        Ok(())
    }
}
