//! The store: reopening, and refusing foreign, damaged and other-version files.

use super::*;

#[test]
fn reopen_keeps_everything_and_stats_count() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tm.korpu");
    {
        let tm = TranslationMemory::open(&path).unwrap();
        tm.add(unit(&[("en", "One."), ("tr", "Bir."), ("az", "Bir.")]))
            .unwrap();
        tm.add(unit(&[("en", "Two."), ("tr", "İki.")])).unwrap();
    }
    let tm = TranslationMemory::open(&path).unwrap();
    let s = tm.stats().unwrap();
    assert_eq!(s.units, 2);
    assert_eq!(s.languages.get("tr"), Some(&2));
    assert_eq!(s.languages.get("az"), Some(&1));
    assert_eq!(s.pairs.get("en|tr"), Some(&2));
    assert_eq!(s.pairs.get("az|tr"), Some(&1));
    assert!(s.size_on_disk > 0);
    let m = tm.lookup("Two.", &l("en"), &l("tr"), &opts(70, 5)).unwrap();
    assert_eq!(m[0].target.segment.plain_text(), "İki.");
}

#[test]
fn foreign_corrupt_and_newer_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    // Random bytes.
    let junk = dir.path().join("junk.korpu");
    let bytes: Vec<u8> = (0..100_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&junk, &bytes).unwrap();
    let e = TranslationMemory::open(&junk).err().unwrap();
    assert!(matches!(e, Error::Corrupt { .. }), "{e}");
    assert!(e.to_string().contains("not a korpu translation memory"), "{e}");
    // A redb database of another program.
    let other = dir.path().join("other.redb");
    {
        let db = redb::Database::create(&other).unwrap();
        let txn = db.begin_write().unwrap();
        txn.open_table(redb::TableDefinition::<u64, u64>::new("x"))
            .unwrap();
        txn.commit().unwrap();
    }
    let e = TranslationMemory::open(&other).err().unwrap();
    assert!(
        e.to_string().contains("another program") || e.to_string().contains("without korpu"),
        "{e}"
    );
    // A newer format, and an older one (1: before the store moved to redb 4).
    let other_format = dir.path().join("format.korpu");
    drop(TranslationMemory::open(&other_format).unwrap());
    let set_format = |version: u32| {
        let db = redb::Database::open(&other_format).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut t = txn
                .open_table(redb::TableDefinition::<&str, &[u8]>::new("korpu_meta"))
                .unwrap();
            t.insert("format", version.to_le_bytes().as_slice()).unwrap();
        }
        txn.commit().unwrap();
    };
    set_format(99);
    let e = TranslationMemory::open(&other_format).err().unwrap();
    assert!(e.to_string().contains("newer korpu"), "{e}");
    set_format(1);
    let e = TranslationMemory::open(&other_format).err().unwrap();
    assert!(e.to_string().contains("earlier korpu (store format 1"), "{e}");
    // A redb file with damaged pages past the header.
    let damaged = dir.path().join("damaged.korpu");
    {
        let tm = TranslationMemory::open(&damaged).unwrap();
        for i in 0..200 {
            tm.add(unit(&[
                ("en", &format!("Sentence number {i} here.")),
                ("tr", &format!("Cümle {i}.")),
            ]))
            .unwrap();
        }
    }
    let mut b = std::fs::read(&damaged).unwrap();
    for (i, x) in b.iter_mut().enumerate().skip(4096) {
        *x = (i.wrapping_mul(31) >> 3) as u8;
    }
    std::fs::write(&damaged, &b).unwrap();
    // Either opening or reading fails cleanly; nothing panics.
    if let Ok(tm) = TranslationMemory::open(&damaged) {
        let r = tm.lookup("Sentence number 5 here.", &l("en"), &l("tr"), &opts(70, 5));
        let v = tm.verify();
        assert!(r.is_err() || v.is_err());
    }
}
