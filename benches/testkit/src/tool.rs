//! What the measuring tools in `benches/tools/` share. They are `[[bench]]`
//! targets without a harness, run as `cargo bench --bench NAME -- ARGS`:
//! cargo appends `--bench` to their arguments, and a bare `cargo bench`
//! runs them with no other argument.

/// The tool's arguments, without the `--bench` cargo adds. `None` when there
/// are none, after printing `usage` (one line): a bare `cargo bench` then
/// passes by without measuring anything.
pub fn args(usage: &str) -> Option<Vec<String>> {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    if args.is_empty() {
        println!("usage: {usage}");
        return None;
    }
    Some(args)
}

/// Peak resident memory of this process in KiB (Linux: `VmHWM` in
/// /proc/self/status), `None` where there is no such line.
pub fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
