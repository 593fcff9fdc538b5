//! `korpu tmx …`: commands on TMX files.

use std::collections::BTreeSet;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use serde::Serialize;

use super::json_line;
use crate::error::{Error, Result};
use crate::formats::tmx::TmxReader;

/// Commands on TMX files.
#[derive(Debug, Args)]
pub(crate) struct TmxArgs {
    #[command(subcommand)]
    command: TmxCommand,
}

#[derive(Debug, Subcommand)]
enum TmxCommand {
    /// Reads TMX files completely (streaming, storing nothing) and reports
    /// what each holds, or its first error with line and column.
    ///
    /// Exit status 1 if any file is bad. Warnings (unpaired tags, several
    /// variants in one language, no variant in the source language, bad
    /// dates) go to stderr and do not make a file bad.
    Check(CheckArgs),
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  korpu tmx check memory.tmx\n  korpu tmx check --json *.tmx                   # one JSON line per file; exit 1 if any is bad"
)]
struct CheckArgs {
    /// One JSON object per file (JSON Lines) on stdout.
    #[arg(long)]
    json: bool,
    /// TMX files (`-` for standard input).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

/// What `tmx check` reports for one file.
#[derive(Debug, Default, Serialize)]
struct Report {
    file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    encoding: Option<&'static str>,
    srclang: Option<String>,
    units: u64,
    variants: u64,
    languages: Vec<String>,
    warnings: u64,
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// Shown warnings per file; the rest are counted.
const SHOWN_WARNINGS: usize = 20;

pub(crate) fn run(args: TmxArgs) -> Result<ExitCode> {
    match args.command {
        TmxCommand::Check(args) => check(args),
    }
}

fn check(args: CheckArgs) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut all_ok = true;
    for path in &args.files {
        let report = check_file(path);
        all_ok &= report.ok;
        if args.json {
            json_line(&mut out, &report)?;
        } else {
            print_human(&mut out, &report)?;
        }
    }
    out.flush()?;
    Ok(if all_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn check_file(path: &Path) -> Report {
    let mut report = Report {
        file: path.display().to_string(),
        ..Report::default()
    };
    let result = if path == Path::new("-") {
        let stdin = std::io::stdin();
        TmxReader::new(stdin.lock())
            .map_err(|e| e.in_file("<stdin>"))
            .and_then(|r| scan(r, &mut report, Some("<stdin>")))
    } else {
        TmxReader::from_path(path).and_then(|r| scan(r, &mut report, None))
    };
    match result {
        Ok(()) => report.ok = true,
        Err(e) => report.error = Some(e.to_string()),
    }
    report
}

/// Reads every unit, counting; warnings go to stderr as they come.
fn scan<R: BufRead>(mut reader: TmxReader<R>, report: &mut Report, name: Option<&str>) -> Result<()> {
    report.version = Some(reader.version().to_string());
    report.encoding = Some(reader.encoding());
    report.srclang = reader.header().srclang.clone();
    let mut languages = BTreeSet::new();
    let mut shown = 0;
    let stderr = std::io::stderr();
    let mut result = Ok(());
    while let Some(unit) = reader.next() {
        let unit = match unit {
            Ok(u) => u,
            Err(e) => {
                result = Err(match name {
                    Some(n) => e.in_file(n),
                    None => e,
                });
                break;
            }
        };
        report.units += 1;
        report.variants += unit.variants.len() as u64;
        for v in &unit.variants {
            if !languages.contains(v.lang.as_str()) {
                languages.insert(v.lang.as_str().to_string());
            }
        }
        for w in reader.drain_warnings() {
            report.warnings += 1;
            if shown < SHOWN_WARNINGS {
                shown += 1;
                let _ = writeln!(stderr.lock(), "korpu: warning: {w}");
            }
        }
    }
    for w in reader.drain_warnings() {
        report.warnings += 1;
        if shown < SHOWN_WARNINGS {
            shown += 1;
            let _ = writeln!(stderr.lock(), "korpu: warning: {w}");
        }
    }
    report.warnings += reader.warnings_dropped();
    if report.warnings > shown as u64 {
        let _ = writeln!(
            stderr.lock(),
            "korpu: warning: {}: {} more warnings not shown",
            report.file,
            report.warnings - shown as u64
        );
    }
    report.languages = languages.into_iter().collect();
    result
}

fn print_human<W: Write>(out: &mut W, r: &Report) -> Result<()> {
    if let Some(error) = &r.error {
        // The error names the file; stderr carries it as the contract's errors do.
        let _ = writeln!(std::io::stderr(), "korpu: error: {error}");
        writeln!(out, "{}: bad ({} units read before the error)", r.file, r.units)?;
        return Ok(());
    }
    writeln!(
        out,
        "{}: TMX {}, {}, srclang {}, {} units, {} variants, languages {}{}",
        r.file,
        r.version.as_deref().unwrap_or("?"),
        r.encoding.unwrap_or("?"),
        r.srclang.as_deref().unwrap_or("(none)"),
        r.units,
        r.variants,
        if r.languages.is_empty() {
            "(none)".to_string()
        } else {
            r.languages.join(" ")
        },
        match r.warnings {
            0 => String::new(),
            n => format!(", {n} warnings"),
        }
    )
    .map_err(Error::from)
}
