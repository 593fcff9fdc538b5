//! What a unit is when it is stored (NFC text), when it duplicates a
//! stored unit, and how the two merge.

use crate::model::{Prop, TmxDate, TranslationUnit};
use crate::text::nfc;

/// NFC at the edge: stored text is NFC.
pub(super) fn normalize_unit(unit: &mut TranslationUnit) {
    fn walk(items: &mut [crate::model::Inline]) {
        for item in items {
            match item {
                crate::model::Inline::Text(t) => {
                    if let std::borrow::Cow::Owned(o) = nfc(t) {
                        *t = o;
                    }
                }
                crate::model::Inline::Tag(tag) => walk(&mut tag.content),
                crate::model::Inline::Sub(sub) => walk(&mut sub.content),
            }
        }
    }
    for v in &mut unit.variants {
        walk(&mut v.segment.content);
    }
}

fn context_props(unit: &TranslationUnit) -> (Option<&str>, Option<&str>) {
    (unit.prop("prev"), unit.prop("next"))
}

/// `new` duplicates `stored`: every variant of `new` is in `stored` with the
/// same language tag and segment, and the context is the same.
pub(super) fn is_duplicate(new: &TranslationUnit, stored: &TranslationUnit) -> bool {
    context_props(new) == context_props(stored)
        && new.variants.iter().all(|v| {
            stored
                .variants
                .iter()
                .any(|s| s.lang == v.lang && s.segment == v.segment)
        })
}

fn max_date(a: &mut Option<TmxDate>, b: Option<TmxDate>) {
    if let Some(b) = b
        && b.is_valid()
        && a.as_ref().is_none_or(|x| !x.is_valid() || *x < b)
    {
        *a = Some(b);
    }
}

pub(super) fn merge_into(stored: &mut TranslationUnit, new: TranslationUnit) {
    let a = &mut stored.attrs;
    max_date(&mut a.change_date, new.attrs.change_date.clone());
    max_date(&mut a.last_usage_date, new.attrs.last_usage_date.clone());
    if let Some(b) = new.attrs.creation_date.clone()
        && b.is_valid()
        && a.creation_date.as_ref().is_none_or(|x| !x.is_valid() || b < *x)
    {
        a.creation_date = Some(b);
    }
    if new.attrs.change_date.is_some() && a.change_date == new.attrs.change_date {
        a.change_id = new.attrs.change_id.clone().or(a.change_id.take());
    }
    let count = |s: &Option<String>| s.as_deref().map(|s| s.trim().parse::<u64>());
    a.usage_count = match (count(&a.usage_count), count(&new.attrs.usage_count)) {
        (Some(Ok(x)), Some(Ok(y))) => Some(x.saturating_add(y).to_string()),
        (None, Some(Ok(y))) => Some(y.to_string()),
        // One side holds text that is not a number: keep what is stored.
        _ => a.usage_count.take().or(new.attrs.usage_count.clone()),
    };
    let props: Vec<Prop> = new.props;
    for p in props {
        if !stored.props.contains(&p) {
            stored.props.push(p);
        }
    }
    for n in new.notes {
        if !stored.notes.contains(&n) {
            stored.notes.push(n);
        }
    }
}
