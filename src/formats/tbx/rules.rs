//! Data categories and the rules of the TBX dialects korpu checks.
//!
//! Sources: ISO 30042:2019 core structure, the LTAC TBX-Basic (DCA and DCT)
//! schematron rules, and the TBX-Min data category list.

use crate::model::TermStatus;

/// The element kind a data category is expressed with (in DCA style the element
/// name, in DCT style implied by the category).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Admin,
    AdminNote,
    Descrip,
    DescripNote,
    TermNote,
    Transac,
    TransacNote,
    Xref,
    Ref,
    /// A DCT element korpu has no table entry for.
    Unknown,
}

impl Kind {
    pub(super) fn of_dca_element(name: &str) -> Option<Kind> {
        Some(match name {
            "admin" => Kind::Admin,
            "adminNote" => Kind::AdminNote,
            "descrip" => Kind::Descrip,
            "descripNote" => Kind::DescripNote,
            "termNote" => Kind::TermNote,
            "transac" => Kind::Transac,
            "transacNote" => Kind::TransacNote,
            "xref" => Kind::Xref,
            "ref" => Kind::Ref,
            _ => return None,
        })
    }

    /// The kind of a DCT element (`<min:partOfSpeech>`), by its local name.
    pub(super) fn of_dct_category(category: &str) -> Kind {
        match category {
            "subjectField" | "definition" | "context" => Kind::Descrip,
            "partOfSpeech"
            | "administrativeStatus"
            | "usageStatus"
            | "termType"
            | "grammaticalGender"
            | "termLocation"
            | "geographicalUsage"
            | "normativeAuthorization" => Kind::TermNote,
            "source" | "customerSubset" | "projectSubset" => Kind::Admin,
            "transactionType" => Kind::Transac,
            "responsibility" => Kind::TransacNote,
            "xGraphic" | "externalCrossReference" => Kind::Xref,
            "crossReference" => Kind::Ref,
            _ => Kind::Unknown,
        }
    }

    /// The primary kind of a group element (`descripGrp` → `descrip`).
    pub(super) fn of_group(name: &str) -> Option<Kind> {
        Some(match name {
            "descripGrp" => Kind::Descrip,
            "adminGrp" => Kind::Admin,
            "termNoteGrp" => Kind::TermNote,
            "transacGrp" => Kind::Transac,
            _ => return None,
        })
    }

    pub(super) fn element_name(self) -> &'static str {
        match self {
            Kind::Admin => "admin",
            Kind::AdminNote => "adminNote",
            Kind::Descrip => "descrip",
            Kind::DescripNote => "descripNote",
            Kind::TermNote => "termNote",
            Kind::Transac => "transac",
            Kind::TransacNote => "transacNote",
            Kind::Xref => "xref",
            Kind::Ref => "ref",
            Kind::Unknown => "data category",
        }
    }
}

/// The level of a TBX entry an element sits on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Level {
    Concept,
    Lang,
    Term,
}

impl Level {
    pub(super) fn element_name(self, v3: bool) -> &'static str {
        match (self, v3) {
            (Level::Concept, true) => "conceptEntry",
            (Level::Concept, false) => "termEntry",
            (Level::Lang, true) => "langSec",
            (Level::Lang, false) => "langSet",
            (Level::Term, true) => "termSec",
            (Level::Term, false) => "tig",
        }
    }
}

/// The dialects korpu checks data categories for. Others get the core checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Rules {
    Core,
    Basic,
    Min,
}

/// TBX-Basic part-of-speech picklist. `properNoun` is in the TBX-Basic 2.x
/// picklist and in wide use; the v3 schematron omits it, korpu accepts it.
pub(super) const BASIC_PART_OF_SPEECH: &[&str] =
    &["adjective", "noun", "other", "verb", "adverb", "properNoun"];
/// Part-of-speech values the TBX-Basic v3 schematron accepts (no `properNoun`).
pub(super) const STRICT_BASIC_PART_OF_SPEECH: &[&str] = &["adjective", "noun", "other", "verb", "adverb"];
pub(super) const BASIC_ADMIN_STATUS: &[&str] = &[
    "preferredTerm-admn-sts",
    "admittedTerm-admn-sts",
    "deprecatedTerm-admn-sts",
    "supersededTerm-admn-sts",
];
pub(super) const BASIC_TERM_TYPE: &[&str] = &[
    "fullForm",
    "acronym",
    "abbreviation",
    "shortForm",
    "variant",
    "phrase",
];
const BASIC_GENDER: &[&str] = &["masculine", "feminine", "neuter", "other"];
const MIN_USAGE_STATUS: &[&str] = &[
    "preferred",
    "admitted",
    "notRecommended",
    "obsolete",
    "deprecated",
];

/// Why a data category is not acceptable where it is, or `None` if it is.
/// `grouped` is true for a category inside a `*Grp` other than its primary.
pub(super) fn check(
    rules: Rules,
    level: Level,
    kind: Kind,
    category: &str,
    value: &str,
    grouped: bool,
) -> Option<String> {
    use Kind::*;
    use Level::*;
    if kind == TermNote && level != Term {
        return Some(format!(
            "termNote {category:?} is only allowed at term level (in termSec), not in {}",
            level.element_name(true)
        ));
    }
    let levels: &[Level] = match rules {
        Rules::Core => return None,
        Rules::Basic => match (kind, category) {
            (Descrip, "subjectField") => &[Concept],
            (Descrip, "definition") => &[Concept, Lang],
            (Descrip, "context") => &[Term],
            (Admin, "source") if grouped => &[Concept, Lang, Term],
            (Admin, "source") => {
                return Some(
                    "admin \"source\" must be grouped (in a descripGrp) with the definition or \
                     context it is the source of"
                        .into(),
                );
            }
            (Admin, "customerSubset" | "projectSubset") => &[Term],
            (TermNote, "partOfSpeech") => return picklist(category, value, BASIC_PART_OF_SPEECH),
            (TermNote, "administrativeStatus") => return picklist(category, value, BASIC_ADMIN_STATUS),
            // TBX-Basic includes the TBX-Min module.
            (TermNote, "usageStatus") => return picklist(category, value, MIN_USAGE_STATUS),
            (TermNote, "termType") => return picklist(category, value, BASIC_TERM_TYPE),
            (TermNote, "grammaticalGender") => return picklist(category, value, BASIC_GENDER),
            (TermNote, "termLocation" | "geographicalUsage") => &[Term],
            (Transac, "transactionType") => &[Concept, Lang, Term],
            (TransacNote, "responsibility") => &[Concept, Lang, Term],
            (Xref, "xGraphic") => &[Concept],
            (Xref, "externalCrossReference") => &[Concept, Term],
            (Ref, "crossReference") => &[Concept, Term],
            _ => return Some(not_in(kind, category, "TBX-Basic")),
        },
        Rules::Min => match (kind, category) {
            (Descrip, "subjectField") => &[Concept],
            (Admin, "customerSubset") => &[Term],
            (TermNote, "partOfSpeech") => return picklist(category, value, BASIC_PART_OF_SPEECH),
            (TermNote, "administrativeStatus") => return picklist(category, value, BASIC_ADMIN_STATUS),
            (TermNote, "usageStatus") => return picklist(category, value, MIN_USAGE_STATUS),
            _ => return Some(not_in(kind, category, "TBX-Min")),
        },
    };
    if levels.contains(&level) {
        None
    } else {
        let names: Vec<&str> = levels.iter().map(|l| l.element_name(true)).collect();
        Some(format!(
            "{} {category:?} is not allowed in {}; it belongs in {}",
            kind.element_name(),
            level.element_name(true),
            names.join(" or ")
        ))
    }
}

fn not_in(kind: Kind, category: &str, dialect: &str) -> String {
    format!(
        "{} {category:?} is not a data category of {dialect}",
        kind.element_name()
    )
}

fn picklist(category: &str, value: &str, allowed: &[&str]) -> Option<String> {
    if allowed.contains(&value) {
        None
    } else {
        Some(format!(
            "{category} {value:?} is not one of the permitted values: {}",
            allowed.join(", ")
        ))
    }
}

/// Maps an administrative status, usage status or normative authorization value
/// (TBX v2, v3, TBX-Min and common variants) to a [`TermStatus`].
pub(super) fn term_status(value: &str) -> Option<TermStatus> {
    let v = value.strip_suffix("-admn-sts").unwrap_or(value);
    Some(match v {
        "preferredTerm" | "preferred" | "standardizedTerm" => TermStatus::Preferred,
        "admittedTerm" | "admitted" | "legalTerm" | "regulatedTerm" => TermStatus::Admitted,
        "deprecatedTerm" | "deprecated" | "supersededTerm" | "superseded" | "notRecommended" | "obsolete" => {
            TermStatus::Deprecated
        }
        "forbiddenTerm" | "forbidden" => TermStatus::Forbidden,
        _ => return None,
    })
}

/// The value korpu writes for a status.
pub(super) fn admin_status_value(status: TermStatus) -> &'static str {
    match status {
        TermStatus::Preferred => "preferredTerm-admn-sts",
        TermStatus::Admitted => "admittedTerm-admn-sts",
        TermStatus::Deprecated => "deprecatedTerm-admn-sts",
        // Not in any TBX picklist; written only in TBX-Core files (see writer).
        TermStatus::Forbidden => "forbiddenTerm-admn-sts",
    }
}

/// Whether a term of this type is matched case-sensitively unless a file says
/// otherwise: acronyms (`BM`, `OSCE`) are.
pub(super) fn case_sensitive_by_default(term_type: Option<&str>) -> bool {
    term_type == Some("acronym")
}
