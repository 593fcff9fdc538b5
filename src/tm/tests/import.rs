//! Writes: duplicates merging (also across an import's batches), update and delete, readers beside an import.

use super::*;

/// Imports commit batch k while batch k+1 is built: a duplicate of a unit of
/// the batch in flight (or merged in it) must merge into that unit, never
/// into an older stored copy, at every batch size.
#[test]
fn duplicates_merge_across_batches_in_flight() {
    for batch_size in 1..=4 {
        let (_d, tm) = fresh();
        let mut units = Vec::new();
        for (i, count) in [1, 2, 4, 8, 16].into_iter().enumerate() {
            let mut u = unit(&[("en", "Good morning."), ("az", "Sabahınız xeyir.")]);
            u.attrs.usage_count = Some(count.to_string());
            u.attrs.change_date = Some(TmxDate::parse(&format!("202{i}0101T000000Z")));
            units.push(Ok(u));
            units.push(Ok(unit(&[
                ("en", &format!("Filler number {i}.")),
                ("az", "Doldurma."),
            ])));
        }
        let s = tm.import(units, &ImportOptions { batch_size }, |_| {}).unwrap();
        assert_eq!((s.read, s.added, s.merged), (10, 6, 4), "batch {batch_size}");
        let m = tm
            .lookup("Good morning.", &l("en"), &l("az"), &opts(100, 5))
            .unwrap();
        assert_eq!(m.len(), 1, "batch {batch_size}");
        let u = tm.get(m[0].unit_id).unwrap().unwrap();
        assert_eq!(u.attrs.usage_count.as_deref(), Some("31"), "batch {batch_size}");
        assert_eq!(u.attrs.change_date, Some(TmxDate::parse("20240101T000000Z")));
        assert_eq!(tm.stats().unwrap().units, 6);
        assert_eq!(tm.verify().unwrap(), 6);
    }
}

#[test]
fn duplicates_merge_and_alternatives_stay() {
    let (_d, tm) = fresh();
    let mut a = unit(&[("en", "Good morning."), ("tr", "Günaydın.")]);
    a.attrs.usage_count = Some("2".into());
    a.attrs.change_date = Some(TmxDate::parse("20200101T000000Z"));
    let mut b = a.clone();
    b.attrs.usage_count = Some("3".into());
    b.attrs.change_date = Some(TmxDate::parse("20230101T000000Z"));
    let alt = unit(&[("en", "Good morning."), ("tr", "İyi sabahlar.")]);
    let s = tm
        .import(
            [Ok(a), Ok(b), Ok(alt), Ok(unit(&[("en", "")]))],
            &ImportOptions::default(),
            |_| {},
        )
        .unwrap();
    assert_eq!((s.read, s.added, s.merged, s.skipped), (4, 2, 1, 1));
    let m = tm
        .lookup("Good morning.", &l("en"), &l("tr"), &opts(70, 5))
        .unwrap();
    assert_eq!(m.len(), 2);
    let merged = tm.get(
        m.iter()
            .find(|m| m.target.segment.plain_text() == "Günaydın.")
            .unwrap()
            .unit_id,
    );
    let merged = merged.unwrap().unwrap();
    assert_eq!(merged.attrs.usage_count.as_deref(), Some("5"));
    assert_eq!(merged.attrs.change_date, Some(TmxDate::parse("20230101T000000Z")));
    // Across imports too.
    let again = unit(&[("en", "Good morning."), ("tr", "Günaydın.")]);
    let s = tm.import([Ok(again)], &ImportOptions::default(), |_| {}).unwrap();
    assert_eq!(s.merged, 1);
    assert_eq!(tm.stats().unwrap().units, 2);
    assert_eq!(tm.verify().unwrap(), 2);
}

#[test]
fn update_and_delete() {
    let (_d, tm) = fresh();
    let id = tm
        .add(unit(&[("en", "The cat sleeps."), ("tr", "Kedi uyuyor.")]))
        .unwrap();
    tm.add(unit(&[("en", "The dog barks."), ("tr", "Köpek havlıyor.")]))
        .unwrap();
    tm.update(id, unit(&[("en", "The bird sings."), ("tr", "Kuş ötüyor.")]))
        .unwrap();
    assert!(
        tm.lookup("The cat sleeps.", &l("en"), &l("tr"), &opts(70, 5))
            .unwrap()
            .is_empty()
    );
    let m = tm
        .lookup("The bird sings.", &l("en"), &l("tr"), &opts(70, 5))
        .unwrap();
    assert_eq!((m[0].unit_id, m[0].score), (id, 100));
    assert!(tm.delete(id).unwrap());
    assert!(!tm.delete(id).unwrap());
    // (the other unit shares "The" and ".": 50)
    assert!(
        tm.lookup("The bird sings.", &l("en"), &l("tr"), &opts(51, 5))
            .unwrap()
            .is_empty()
    );
    assert!(tm.update(id, unit(&[("en", "x")])).is_err());
    assert_eq!(tm.stats().unwrap().units, 1);
    assert_eq!(tm.verify().unwrap(), 1);
    // Fuzzy results agree with a scan after updates (stale postings skipped).
    let q = "The dog sings.";
    let a = tm.lookup(q, &l("en"), &l("tr"), &opts(30, 5)).unwrap();
    let b = tm.lookup_scan(q, &l("en"), &l("tr"), &opts(30, 5)).unwrap();
    assert_eq!(a, b);
}

#[test]
fn readers_are_not_blocked_by_an_import() {
    let (_d, tm) = fresh();
    tm.add(unit(&[
        ("en", "A fixed sentence to find."),
        ("tr", "Bulunacak sabit bir cümle."),
    ]))
    .unwrap();
    let tm = std::sync::Arc::new(tm);
    let started = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (tm, started) = (tm.clone(), started.clone());
        std::thread::spawn(move || {
            let units = (0..20_000).map(|i| {
                started.store(true, std::sync::atomic::Ordering::SeqCst);
                Ok(unit(&[
                    ("en", &format!("Generated sentence {i} for import.")),
                    ("tr", &format!("Cümle {i}.")),
                ]))
            });
            tm.import(units, &ImportOptions { batch_size: 2_000 }, |_| {})
                .unwrap()
        })
    };
    while !started.load(std::sync::atomic::Ordering::SeqCst) {
        std::thread::yield_now();
    }
    let mut lookups = 0;
    let mut seen_counts = Vec::new();
    while !writer.is_finished() {
        let m = tm
            .lookup("A fixed sentence to find.", &l("en"), &l("tr"), &opts(100, 1))
            .unwrap();
        assert_eq!(m.len(), 1);
        // Every snapshot holds whole batches.
        seen_counts.push(tm.stats().unwrap().units);
        lookups += 1;
    }
    let s = writer.join().unwrap();
    assert_eq!(s.added, 20_000);
    assert!(lookups > 0);
    assert!(
        seen_counts.iter().all(|c| (c - 1) % 2_000 == 0),
        "{seen_counts:?}"
    );
    assert_eq!(tm.verify().unwrap(), 20_001);
}
