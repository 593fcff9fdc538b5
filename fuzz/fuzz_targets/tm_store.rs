//! Opens a damaged translation memory: a small valid store is built once, the
//! fuzz input patches its bytes (pairs of a 4-byte offset and a byte), and
//! the patched file is opened, looked up and verified. Every call must
//! return `Ok` or `Err` (`Error::Corrupt` for damage), never panic or hang.
//!
//! (korpu turns panics inside redb into `Error::Corrupt` with
//! `catch_unwind`; run with `-- -handle_abrt=0` or accept that libFuzzer's
//! panic hook reports them first: each report is a redb panic korpu caught.)
#![no_main]

use std::sync::OnceLock;

use korpu::Lang;
use korpu::model::{TranslationUnit, Variant};
use korpu::tm::{LookupOptions, TranslationMemory};
use libfuzzer_sys::fuzz_target;

fn pristine() -> &'static Vec<u8> {
    static STORE: OnceLock<Vec<u8>> = OnceLock::new();
    STORE.get_or_init(|| {
        let path = std::env::temp_dir().join(format!("korpu-fuzz-base-{}.korpu", std::process::id()));
        let _ = std::fs::remove_file(&path);
        {
            let tm = TranslationMemory::open(&path).unwrap();
            for i in 0..50 {
                tm.add(TranslationUnit {
                    variants: vec![
                        Variant::new("en".parse().unwrap(), format!("Meeting number {i} starts at 10.")),
                        Variant::new("az".parse().unwrap(), format!("{i} saylı görüş saat 10-da başlayır.")),
                    ],
                    ..Default::default()
                })
                .unwrap();
            }
        }
        let bytes = std::fs::read(&path).unwrap();
        let _ = std::fs::remove_file(&path);
        bytes
    })
}

fuzz_target!(|data: &[u8]| {
    let mut bytes = pristine().clone();
    for patch in data.chunks_exact(5) {
        let at = u32::from_le_bytes([patch[0], patch[1], patch[2], patch[3]]) as usize % bytes.len();
        bytes[at] ^= patch[4];
    }
    let path = std::env::temp_dir().join(format!("korpu-fuzz-{}.korpu", std::process::id()));
    if std::fs::write(&path, &bytes).is_err() {
        return;
    }
    if let Ok(tm) = TranslationMemory::open(&path) {
        let (en, az): (Lang, Lang) = ("en".parse().unwrap(), "az".parse().unwrap());
        let _ = tm.lookup("Meeting number 7 starts at 11.", &en, &az, &LookupOptions::default());
        let _ = tm.concordance("görüş", &az, 5);
        let _ = tm.stats();
        let _ = tm.verify();
        if let Ok(units) = tm.units() {
            units.take(1_000).for_each(drop);
        }
    }
    let _ = std::fs::remove_file(&path);
});
