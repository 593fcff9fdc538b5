//! Crash safety for real: `kill -9` a `korpu tm import` after its first
//! batches commit, reopen the store, and check that it holds exactly the
//! committed batches and that its index agrees with its units.

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use korpu::formats::tmx::TmxReader;
use korpu::tm::{LookupOptions, TranslationMemory};
use korpu_testkit::corpus;

use crate::support::KORPU;

const BATCH: usize = 300;
const UNITS: usize = 12_000;

#[test]
fn kill_9_mid_import_keeps_whole_batches() {
    let dir = tempfile::tempdir().unwrap();
    let tmx = dir.path().join("big.tmx");
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&tmx).unwrap());
        corpus::write_tmx(&mut out, UNITS, 7).unwrap();
    }
    let store = dir.path().join("tm.korpu");
    let mut child = Command::new(KORPU)
        .args([
            "tm",
            "import",
            "--progress",
            "--batch-size",
            &BATCH.to_string(),
            "--tm",
        ])
        .arg(&store)
        .arg(&tmx)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for three committed batches, then kill -9 (SIGKILL).
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let mut committed = 0;
    for line in stderr.lines() {
        let line = line.unwrap();
        if line.starts_with("korpu: committed") {
            committed += 1;
            if committed == 3 {
                break;
            }
        }
    }
    assert_eq!(committed, 3, "the import ended before three batches committed");
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success());

    // What k whole batches hold: the first k·BATCH units, duplicates merged.
    let units: Vec<_> = TmxReader::from_path(&tmx).unwrap().map(|u| u.unwrap()).collect();
    let tm = TranslationMemory::open(&store).unwrap();
    let stored = tm.verify().expect("index and units agree after the crash");
    let mut tuids = HashSet::new();
    for u in tm.units().unwrap() {
        tuids.insert(u.unwrap().1.tuid.unwrap());
    }
    let mut expected = HashSet::new();
    let mut seen_texts = HashSet::new();
    let mut matched_batches = None;
    for (i, u) in units.iter().enumerate() {
        let key: Vec<String> = u.variants.iter().map(|v| v.segment.plain_text()).collect();
        if seen_texts.insert(key) {
            expected.insert(u.tuid.clone().unwrap());
        }
        if (i + 1) % BATCH == 0 && expected.len() as u64 == stored {
            matched_batches = Some((i + 1) / BATCH);
            break;
        }
    }
    let k = matched_batches.expect("the store holds a whole number of batches");
    assert!(k >= 3, "{k} batches; at least 3 were reported committed");
    assert!(k * BATCH < UNITS, "the import was killed mid-way");
    assert_eq!(tuids, expected, "exactly the units of the first {k} batches");

    // The store works: lookups, and a resumed import completes it.
    let first = &units[0];
    let en = first.variants[0].segment.plain_text();
    let m = tm
        .lookup(
            &en,
            &"en".parse().unwrap(),
            &"tr".parse().unwrap(),
            &LookupOptions::default(),
        )
        .unwrap();
    assert_eq!(m[0].score, 100);
    drop(tm);
    let out = Command::new(KORPU)
        .args(["tm", "import", "--json", "--tm"])
        .arg(&store)
        .arg(&tmx)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let tm = TranslationMemory::open(&store).unwrap();
    let all: HashSet<Vec<String>> = units
        .iter()
        .map(|u| u.variants.iter().map(|v| v.segment.plain_text()).collect())
        .collect();
    assert_eq!(tm.verify().unwrap(), all.len() as u64);
}
