//! `korpu tmx …`: commands on TMX files.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use serde::Serialize;

use super::console::{Console, Progress, Role};
use super::io::json_line;
use korpu::formats::tmx::{TmxReader, Warning};
use korpu::{Error, Result};

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
    /// With --json, one object per file (JSON Lines) on stdout. Exit status
    /// 1 if any file is bad. Warnings (unpaired tags, several
    /// variants in one language, no variant in the source language, bad
    /// dates) go to stderr and do not make a file bad.
    Check(CheckArgs),
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  korpu tmx check memory.tmx\n  korpu tmx check --json *.tmx                   # one JSON line per file; exit 1 if any is bad"
)]
struct CheckArgs {
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
    /// What to do about the error, when there is advice (an addition to the contract).
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<String>,
}

/// Shown warnings per file; the rest are counted.
const SHOWN_WARNINGS: usize = 20;

pub(crate) fn run(args: TmxArgs, console: &Console) -> Result<ExitCode> {
    match args.command {
        TmxCommand::Check(args) => check(args, console),
    }
}

fn check(args: CheckArgs, console: &Console) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut all_ok = true;
    for path in &args.files {
        console.role(path, Role::TMX);
        let report = check_file(path, console);
        all_ok &= report.ok;
        if console.json {
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

fn check_file(path: &Path, console: &Console) -> Report {
    let mut report = Report {
        file: path.display().to_string(),
        ..Report::default()
    };
    // Bytes read, so that a big file shows how far the check has got.
    let result = if path == Path::new("-") {
        let progress = console.progress(None, "bytes");
        let stdin = std::io::stdin();
        TmxReader::new(BufReader::new(progress.wrap_read(stdin.lock())))
            .map_err(|e| e.in_file("<stdin>"))
            .and_then(|r| scan(r, &mut report, Path::new("<stdin>"), &progress))
    } else {
        std::fs::File::open(path)
            .and_then(|f| Ok((f.metadata()?.len(), f)))
            .map_err(|e| Error::io(path, e))
            .and_then(|(size, file)| {
                let progress = console.progress(Some(size), "bytes");
                TmxReader::new(BufReader::with_capacity(1 << 16, progress.wrap_read(file)))
                    .map_err(|e| e.in_file(path))
                    .and_then(|r| scan(r, &mut report, path, &progress))
            })
    };
    match result {
        Ok(()) => report.ok = true,
        Err(e) => {
            report.hint = console.hint(&e);
            report.error = Some(e.to_string());
        }
    }
    report
}

/// Reads every unit, counting; warnings go to stderr as they come (not
/// with `--quiet`). Errors and warnings are named after `name`.
fn scan<R: BufRead>(
    mut reader: TmxReader<R>,
    report: &mut Report,
    name: &Path,
    progress: &Progress,
) -> Result<()> {
    report.version = Some(reader.version().to_string());
    report.encoding = Some(reader.encoding());
    report.srclang = reader.header().srclang.clone();
    let mut languages = BTreeSet::new();
    let mut shown = 0;
    let mut warn = |mut w: Warning, report: &mut Report| {
        report.warnings += 1;
        if shown < SHOWN_WARNINGS {
            shown += 1;
            if w.location.path.is_none() {
                w.location.path = Some(name.to_path_buf());
            }
            progress.warn(w);
        }
    };
    let mut result = Ok(());
    while let Some(unit) = reader.next() {
        let unit = match unit {
            Ok(u) => u,
            Err(e) => {
                result = Err(e.in_file(name));
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
            warn(w, report);
        }
    }
    for w in reader.drain_warnings() {
        warn(w, report);
    }
    progress.finish();
    report.warnings += reader.warnings_dropped();
    if report.warnings > shown as u64 {
        progress.warn(format_args!(
            "{}: {} more warnings not shown",
            report.file,
            report.warnings - shown as u64
        ));
    }
    report.languages = languages.into_iter().collect();
    result
}

fn print_human<W: Write>(out: &mut W, r: &Report) -> Result<()> {
    if let Some(error) = &r.error {
        // The error names the file; stderr carries it as the contract's errors do.
        let _ = writeln!(std::io::stderr(), "korpu: error: {error}");
        if let Some(hint) = r.hint.as_deref() {
            let _ = writeln!(std::io::stderr(), "  hint: {hint}");
        }
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
