//! Writes a generated TMX file for benchmarks and memory checks (see
//! `korpu_testkit::tmx_gen`).
//!
//! `cargo bench --bench tmx_gen -- /tmp/korpu-100mb.tmx 100` (size in MB).
//! Without arguments it prints its usage.

use korpu_testkit::{tmx_gen, tool};

fn main() -> std::io::Result<()> {
    let Some(args) = tool::args("cargo bench --bench tmx_gen -- FILE.tmx [MB]") else {
        return Ok(());
    };
    let mut args = args.into_iter();
    let path = args.next().unwrap_or_else(|| "/tmp/korpu-100mb.tmx".into());
    let mb: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(100);
    let file = std::fs::File::create(&path)?;
    let (bytes, units) = tmx_gen::write_tmx(file, mb * 1_000_000, 42)?;
    println!("{path}: {bytes} bytes, {units} units");
    Ok(())
}
