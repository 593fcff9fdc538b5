//! Reads a TMX file unit by unit, as an import would, and reports the speed
//! and the peak resident memory (Linux: `VmHWM` in /proc/self/status).
//!
//! ```sh
//! cargo bench --bench tmx_gen -- /tmp/korpu-2gb.tmx 2000
//! cargo bench --bench tmx_read_rss -- /tmp/korpu-2gb.tmx 50
//! ```
//!
//! The optional second argument is a limit in MB: the program fails when the
//! peak RSS exceeds it, so the check can run in CI. With `--write` as the
//! third, every unit is also written out again (to a sink) by a
//! [`TmxWriter`]: the CPU time above a run without it is the writer's.
//! Without arguments it prints its usage.

use std::time::Instant;

use korpu::formats::tmx::{TmxReader, TmxWriter};
use korpu::model::{Inline, TagKind};
use korpu_testkit::tool::{self, peak_rss_kb};

/// User + system CPU seconds of this process (Linux), which on a shared
/// machine says more about the reader's speed than the wall clock.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0) // USER_HZ is 100 on Linux
}

/// The length of `Segment::text_only`, without building it: the reading is
/// measured, not a copy of its result.
fn text_len(items: &[Inline]) -> usize {
    items
        .iter()
        .map(|item| match item {
            Inline::Text(t) => t.len(),
            Inline::Tag(tag) if tag.kind == TagKind::Hi => text_len(&tag.content),
            _ => 0,
        })
        .sum()
}

fn main() -> std::process::ExitCode {
    let Some(args) = tool::args("cargo bench --bench tmx_read_rss -- FILE.tmx [MAX_RSS_MB] [--write]") else {
        return std::process::ExitCode::SUCCESS;
    };
    let mut args = args.into_iter();
    let Some(path) = args.next() else {
        return std::process::ExitCode::SUCCESS;
    };
    let limit_mb: Option<u64> = args.next().and_then(|s| s.parse().ok());
    let write = args.next().as_deref() == Some("--write");
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let start = Instant::now();
    let mut reader = match TmxReader::from_path(&path) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            return std::process::ExitCode::from(1);
        }
    };
    let mut writer = match write
        .then(|| TmxWriter::new(std::io::sink(), reader.header()))
        .transpose()
    {
        Ok(w) => w,
        Err(e) => {
            eprintln!("{e}");
            return std::process::ExitCode::from(1);
        }
    };
    let (mut units, mut variants, mut chars) = (0u64, 0u64, 0usize);
    for unit in reader.by_ref() {
        match unit {
            Ok(u) => {
                if let Some(w) = writer.as_mut()
                    && let Err(e) = w.write_unit(&u)
                {
                    eprintln!("{e}");
                    return std::process::ExitCode::from(1);
                }
                units += 1;
                variants += u.variants.len() as u64;
                chars += u
                    .variants
                    .iter()
                    .map(|v| text_len(&v.segment.content))
                    .sum::<usize>();
            }
            Err(e) => {
                eprintln!("{e}");
                return std::process::ExitCode::from(1);
            }
        }
    }
    if let Some(w) = writer
        && let Err(e) = w.finish()
    {
        eprintln!("{e}");
        return std::process::ExitCode::from(1);
    }
    let secs = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds().unwrap_or(f64::NAN);
    let rss_mb = peak_rss_kb().unwrap_or(0) as f64 / 1024.0;
    println!(
        "{path}: {:.1} MB, {units} units, {variants} variants, {chars} text bytes; \
         {secs:.2} s wall = {:.0} MB/s, {cpu:.2} s CPU = {:.0} MB per CPU-second; peak RSS {rss_mb:.1} MB; {} warnings{}",
        size as f64 / 1e6,
        size as f64 / 1e6 / secs,
        size as f64 / 1e6 / cpu,
        reader.warnings().len(),
        if write { "; every unit written again" } else { "" }
    );
    if let Some(limit) = limit_mb
        && rss_mb > limit as f64
    {
        eprintln!("peak RSS {rss_mb:.1} MB is over the {limit} MB limit");
        return std::process::ExitCode::from(1);
    }
    std::process::ExitCode::SUCCESS
}
