//! Every stored unit: in id order from one snapshot, across pages, with
//! the language filter an export uses.

use super::*;

#[test]
fn units_stream_in_id_order_and_filter_languages() {
    let (_d, tm) = fresh();
    let units = (0..600).map(|i| {
        let mut u = unit(&[("en", &format!("Sentence {i}.")), ("tr", &format!("Cümle {i}."))]);
        if i % 3 == 0 {
            u.variants.push(Variant::new(l("az-Latn"), format!("Cümlə {i}.")));
        }
        Ok(u)
    });
    tm.import(units, &ImportOptions { batch_size: 100 }, |_| {})
        .unwrap();
    tm.delete(5).unwrap();
    let all: Vec<(UnitId, TranslationUnit)> = tm.units().unwrap().map(Result::unwrap).collect();
    assert_eq!(all.len(), 599);
    assert!(all.windows(2).all(|w| w[0].0 < w[1].0));
    assert_eq!(all[0].1.variants.len(), 3);
    assert!(all.iter().all(|(id, _)| *id != 5));
    // A writer after the iterator starts does not change what it sees.
    let mut seen = tm.units().unwrap();
    let first = seen.next().unwrap().unwrap();
    tm.add(unit(&[("en", "Added later."), ("tr", "Sonra eklendi.")]))
        .unwrap();
    assert_eq!(1 + seen.count(), 599);
    assert_eq!(first.0, all[0].0);
    // `az` keeps `az-Latn` variants, and units without one are skipped.
    let az: Vec<_> = tm
        .units()
        .unwrap()
        .in_languages(&[l("az")])
        .map(Result::unwrap)
        .collect();
    assert_eq!(az.len(), 200);
    assert!(
        az.iter()
            .all(|(_, u)| u.variants.len() == 1 && u.variants[0].lang.as_str() == "az-Latn")
    );
}
