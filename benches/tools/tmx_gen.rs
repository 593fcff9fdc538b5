//! Writes a generated TMX file for benchmarks and memory checks.
//!
//! `cargo run --release --example tmx_gen -- /tmp/korpu-100mb.tmx 100` (size in MB).

use korpu_testkit::tmx_gen;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| "/tmp/korpu-100mb.tmx".into());
    let mb: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(100);
    let file = std::fs::File::create(&path)?;
    let (bytes, units) = tmx_gen::write_tmx(file, mb * 1_000_000, 42)?;
    println!("{path}: {bytes} bytes, {units} units");
    Ok(())
}
