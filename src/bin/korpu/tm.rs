//! `korpu tm …`: import, export, lookup, concordance and stats of a
//! translation memory store.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use serde::Serialize;

use korpu::Lang;
use korpu::formats::tmx::{ReadOptions, TmxReader, WarningKind};
use korpu::formats::xliff;
use korpu::present::{ConcordanceRecord, LookupRecord, defaults, display_text, export_tmx, variant_text};
use korpu::tm::{ImportOptions, ImportSummary, LookupOptions, TranslationMemory};
use korpu::{Error, Result};

use super::console::{Console, Progress, Role};
use super::io::{json_line, read_text_input};

/// Translation memory commands.
#[derive(Debug, Subcommand)]
pub(crate) enum TmCommand {
    /// Import TMX or XLIFF files into the store (created if missing; XLIFF gives its finished segments).
    ///
    /// Strict by default: every file is first read completely to validate it
    /// (streaming, in bounded memory), and only then imported, so a malformed
    /// file changes nothing. Standard input (`-`) is spooled to a temporary
    /// file for the two passes. `--lenient` reads once, skips bad units and
    /// reports each on stderr.
    Import(ImportArgs),
    /// Write the store as TMX 1.4b.
    Export(ExportArgs),
    /// Look up translations of a segment (or of every line of a file).
    Lookup(LookupArgs),
    /// Find a phrase in stored segments (inflected forms included for tr/az).
    Concordance(ConcordanceArgs),
    /// Units, languages, pairs and size on disk.
    Stats(StatsArgs),
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  korpu tm import --tm memory.korpu examples/data/karabakh.tmx\n  korpu tm import --tm memory.korpu --lenient --json old.tmx done.xlf"
)]
pub(crate) struct ImportArgs {
    /// The translation memory store.
    #[arg(long, value_name = "PATH")]
    tm: PathBuf,
    /// Skip bad units (reported on stderr) instead of rejecting the file.
    #[arg(long)]
    lenient: bool,
    /// Units per committed transaction. Larger batches write less (each
    /// commit rewrites the tail chunks of every posting list it touches)
    /// and take more memory (two batches are in flight); a crash loses at
    /// most the batch being committed.
    #[arg(long, value_name = "N", default_value_t = ImportOptions::DEFAULT_BATCH_SIZE)]
    batch_size: usize,
    /// TMX or XLIFF files (`-` for standard input).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  korpu tm export --tm memory.korpu -o all.tmx\n  korpu tm export --tm memory.korpu -o en-az.tmx --langs en,az --srclang en"
)]
pub(crate) struct ExportArgs {
    /// The translation memory store.
    #[arg(long, value_name = "PATH")]
    tm: PathBuf,
    /// The TMX file to write (`-` for standard output).
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    output: PathBuf,
    /// Only these languages (comma-separated BCP-47 tags).
    #[arg(long, value_name = "L,L,...", value_delimiter = ',')]
    langs: Vec<String>,
    /// The header's source language (default `*all*`).
    #[arg(long, value_name = "L")]
    srclang: Option<String>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  korpu tm lookup --tm memory.korpu --from en --to az \"Shusha was retaken on Nov. 9, 2020.\"\n  korpu tm lookup --tm memory.korpu --from en --to tr --min-score 80 --json --file sentences.txt"
)]
pub(crate) struct LookupArgs {
    /// The translation memory store.
    #[arg(long, value_name = "PATH")]
    tm: PathBuf,
    /// The query's language.
    #[arg(long, value_name = "L")]
    from: String,
    /// The language of the translations wanted.
    #[arg(long, value_name = "L")]
    to: String,
    /// The lowest score returned (0–100).
    #[arg(long, value_name = "N", default_value_t = LookupOptions::DEFAULT_MIN_SCORE, value_parser = clap::value_parser!(u8).range(0..=100))]
    min_score: u8,
    /// The most matches per query.
    #[arg(long, value_name = "K", default_value_t = LookupOptions::DEFAULT_LIMIT)]
    limit: usize,
    /// The segment before the query (for 101 in-context matches).
    #[arg(long, value_name = "TEXT")]
    prev: Option<String>,
    /// The segment after the query (for 101 in-context matches).
    #[arg(long, value_name = "TEXT")]
    next: Option<String>,
    /// Look up every line of this file (`-` for standard input).
    #[arg(long, value_name = "F", conflicts_with = "text")]
    file: Option<PathBuf>,
    /// The segment to look up.
    #[arg(value_name = "TEXT", required_unless_present = "file")]
    text: Option<String>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  korpu tm concordance --tm memory.korpu --lang az Şuşa      # also finds Şuşada, Şuşa'da\n  korpu tm concordance --tm memory.korpu --lang en --json \"peace treaty\""
)]
pub(crate) struct ConcordanceArgs {
    /// The translation memory store.
    #[arg(long, value_name = "PATH")]
    tm: PathBuf,
    /// The phrase's language.
    #[arg(long, value_name = "L")]
    lang: String,
    /// The most units listed.
    #[arg(long, value_name = "K", default_value_t = defaults::CONCORDANCE_LIMIT)]
    limit: usize,
    /// The phrase to find.
    #[arg(value_name = "PHRASE")]
    phrase: String,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  korpu tm stats --tm memory.korpu\n  korpu tm stats --tm memory.korpu --json"
)]
pub(crate) struct StatsArgs {
    /// The translation memory store.
    #[arg(long, value_name = "PATH")]
    tm: PathBuf,
}

pub(crate) fn run(cmd: TmCommand, console: &Console) -> Result<ExitCode> {
    match cmd {
        TmCommand::Import(a) => import(a, console),
        TmCommand::Export(a) => export(a, console),
        TmCommand::Lookup(a) => lookup(a, console),
        TmCommand::Concordance(a) => concordance(a, console),
        TmCommand::Stats(a) => stats(a, console),
    }
}

fn lang(tag: &str) -> Result<Lang> {
    Lang::parse(tag)
}

/// Opens an existing store (reading commands never create one).
fn open_existing(path: &Path) -> Result<TranslationMemory> {
    if !path.exists() {
        return Err(Error::io(
            path,
            std::io::Error::new(std::io::ErrorKind::NotFound, "no translation memory here"),
        ));
    }
    TranslationMemory::open(path)
}

/// A temporary copy of standard input, removed on drop.
struct Spool(PathBuf);

impl Drop for Spool {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn spool_stdin() -> Result<Spool> {
    let path = std::env::temp_dir().join(format!("korpu-import-{}.tmx", std::process::id()));
    let spool = Spool(path.clone());
    let mut file = std::fs::File::create(&path).map_err(|e| Error::io(&path, e))?;
    std::io::copy(&mut std::io::stdin().lock(), &mut file).map_err(|e| Error::io("<stdin>", e))?;
    Ok(spool)
}

fn import(a: ImportArgs, console: &Console) -> Result<ExitCode> {
    console.role(&a.tm, Role::NewMemory);
    // Standard input is read twice in strict mode: spool it.
    let mut spools = Vec::new();
    let mut files: Vec<(PathBuf, PathBuf)> = Vec::new(); // (read from, shown as)
    for f in &a.files {
        console.role(f, Role::TMX_OR_XLIFF);
        if f == Path::new("-") {
            let s = spool_stdin()?;
            files.push((s.0.clone(), PathBuf::from("<stdin>")));
            spools.push(s);
        } else {
            files.push((f.clone(), f.clone()));
        }
    }
    let mut total = None;
    if !a.lenient {
        // Pass 1: validate every file completely before touching the store
        // (a bar over the bytes checked: big files take a while).
        let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
        let checking = console.progress(Some(files.iter().map(|(p, _)| size(p)).sum()), "bytes");
        let mut n = 0u64;
        for (path, name) in &files {
            let named = |e: Error| rename(e.in_file(path), path, name);
            if xliff::is_xliff_path(path)? {
                for unit in xliff::XliffUnits::from_path(path).map_err(named)? {
                    unit.map_err(named)?;
                    n += 1;
                }
                checking.inc(size(path));
                continue;
            }
            let file = std::fs::File::open(path).map_err(|e| named(Error::io(path, e)))?;
            let input = std::io::BufReader::with_capacity(1 << 16, checking.wrap_read(file));
            for unit in TmxReader::new(input).map_err(named)? {
                unit.map_err(named)?;
                n += 1;
            }
        }
        checking.finish();
        total = Some(n);
    }
    let tm = TranslationMemory::open(&a.tm)?;
    let progress = console.progress(total, "units");
    let options = ImportOptions {
        batch_size: a.batch_size.max(1),
    };
    let mut summary = ImportSummary::default();
    for (path, name) in &files {
        if xliff::is_xliff_path(path)? {
            // XLIFF: the finished segments, with the file's languages.
            let base = summary;
            let units = xliff::XliffUnits::from_path(path).map_err(|e| rename(e, path, name))?;
            let units = units
                .map(|r| r.map_err(|e| rename(e, path, name)))
                .inspect(|_| progress.inc(1));
            let s = tm.import(units, &options, |s| committed(&progress, &add(&base, s)));
            summary = add(&base, &s?);
            continue;
        }
        let mut reader = TmxReader::from_path_with(path, ReadOptions::lenient(a.lenient))
            .map_err(|e| rename(e, path, name))?;
        let mut errors = 0u64;
        let base = summary;
        let units = std::iter::from_fn(|| {
            let next = reader.next();
            for w in reader.drain_warnings() {
                if w.kind == WarningKind::SkippedUnit {
                    errors += 1;
                }
                if a.lenient {
                    // Skipped units carry their location in the message already.
                    let full = w.to_string();
                    let msg = if w.message.contains(&w.location.to_string()) {
                        &w.message
                    } else {
                        &full
                    };
                    progress.warn(rename_str(msg, path, name));
                }
            }
            next.map(|r| r.map_err(|e| rename(e, path, name)))
        })
        .inspect(|_| progress.inc(1));
        let s = std::thread::scope(|scope| {
            tm.import(read_ahead(scope, units), &options, |s| {
                committed(&progress, &add(&base, s))
            })
        })?;
        summary = add(&base, &s);
        summary.errors += errors;
    }
    progress.finish();
    console.summary(&summary, || {
        format!(
            "read {} units: {} added, {} merged, {} skipped, {} errors",
            summary.read, summary.added, summary.merged, summary.skipped, summary.errors
        )
    })?;
    Ok(ExitCode::SUCCESS)
}

/// `items`, read on a thread of its own a few hundred ahead of the caller.
///
/// Parsing is a tenth of an import's work, on the thread that also indexes
/// (the busier of the import's two): this moves it to the other core. The
/// thread stops when `items` ends or the returned iterator is dropped.
fn read_ahead<'scope, T: Send + 'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    items: impl Iterator<Item = T> + Send + 'scope,
) -> impl Iterator<Item = T> + 'scope {
    const CHUNK: usize = 256;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<T>>(4);
    scope.spawn(move || {
        let mut chunk = Vec::with_capacity(CHUNK);
        for item in items {
            chunk.push(item);
            if chunk.len() == CHUNK
                && tx
                    .send(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK)))
                    .is_err()
            {
                return; // the importer stopped
            }
        }
        if !chunk.is_empty() {
            let _ = tx.send(chunk);
        }
    });
    rx.into_iter().flatten()
}

/// A committed batch: `--progress` prints a line (the bar counts units read).
fn committed(progress: &Progress, s: &ImportSummary) {
    progress.note(|| {
        let secs = progress.elapsed().as_secs_f64().max(1e-9);
        format!(
            "committed {} units ({} added, {} merged), {:.0} units/s",
            s.read,
            s.added,
            s.merged,
            s.read as f64 / secs
        )
    });
}

fn add(a: &ImportSummary, b: &ImportSummary) -> ImportSummary {
    ImportSummary {
        read: a.read + b.read,
        added: a.added + b.added,
        merged: a.merged + b.merged,
        skipped: a.skipped + b.skipped,
        errors: a.errors + b.errors,
    }
}

/// Errors on a spooled standard input name `<stdin>`, not the spool file.
fn rename(e: Error, path: &Path, name: &Path) -> Error {
    if path == name {
        return e;
    }
    let msg = rename_str(&e.to_string(), path, name);
    Error::InvalidArgument(msg)
}

fn rename_str(msg: &str, path: &Path, name: &Path) -> String {
    msg.replace(&path.display().to_string(), &name.display().to_string())
}

fn export(a: ExportArgs, console: &Console) -> Result<ExitCode> {
    console.role(&a.tm, Role::Memory);
    let langs = a.langs.iter().map(|l| lang(l)).collect::<Result<Vec<_>>>()?;
    let srclang = a.srclang.as_deref().map(lang).transpose()?;
    if a.output != Path::new("-") && super::io::same_file(&a.output, &a.tm) {
        return Err(console.refuse(
            format!(
                "{}: refusing to write the TMX over the translation memory it is exported from",
                a.output.display()
            ),
            format!(
                "choose another output file: -o {}",
                a.output.with_extension("tmx").display()
            ),
        ));
    }
    let tm = open_existing(&a.tm)?;
    let progress = console.progress(Some(tm.stats()?.units), "units");
    let written = if a.output == Path::new("-") {
        let out = std::io::stdout();
        export_tmx(BufWriter::new(out.lock()), &tm, &langs, srclang.as_ref(), |n| {
            progress.set(n)
        })?
    } else {
        // Write beside the target and rename, so a failed export leaves no
        // half file under the name asked for.
        let tmp = a.output.with_extension("tmx.partial");
        let file = std::fs::File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
        let result = export_tmx(BufWriter::new(file), &tm, &langs, srclang.as_ref(), |n| {
            progress.set(n)
        });
        let written = match result {
            Ok(n) => n,
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
        };
        std::fs::rename(&tmp, &a.output).map_err(|e| Error::io(&a.output, e))?;
        written
    };
    progress.finish();
    // With `-o -` the TMX itself is the output: no summary after it.
    if console.json && a.output != Path::new("-") {
        #[derive(Serialize)]
        struct Exported<'a> {
            units: u64,
            output: &'a str,
        }
        let output = a.output.display().to_string();
        let summary = Exported {
            units: written,
            output: &output,
        };
        json_line(&mut std::io::stdout().lock(), &summary)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn lookup(a: LookupArgs, console: &Console) -> Result<ExitCode> {
    console.role(&a.tm, Role::Memory);
    console.role_opt(a.file.as_deref(), Role::TEXT);
    let (from, to) = (lang(&a.from)?, lang(&a.to)?);
    let tm = open_existing(&a.tm)?;
    let options = LookupOptions {
        min_score: a.min_score,
        limit: a.limit,
        prev: a.prev.clone(),
        next: a.next.clone(),
    };
    let queries: Vec<String> = match (&a.file, &a.text) {
        (Some(f), _) => read_text_input(f)?.0.lines().map(String::from).collect(),
        (None, Some(t)) => vec![t.clone()],
        (None, None) => Vec::new(),
    };
    // A file of queries may be long: count them.
    let progress = a
        .file
        .is_some()
        .then(|| console.progress(Some(queries.len() as u64), "queries"));
    let out = std::io::stdout();
    let mut out = BufWriter::new(out.lock());
    for q in &queries {
        let matches = tm.lookup(q, &from, &to, &options)?;
        if let Some(p) = &progress {
            p.inc(1);
        }
        if console.json {
            json_line(&mut out, &LookupRecord::new(q.as_str(), &matches))?;
        } else {
            if queries.len() > 1 {
                writeln!(out, "{q}")?;
            }
            if matches.is_empty() {
                writeln!(out, "  (no match)")?;
            }
            for m in &matches {
                writeln!(
                    out,
                    "{:>3} {:<7} {}",
                    m.score,
                    m.kind.as_str(),
                    variant_text(&m.source)
                )?;
                writeln!(out, "            {}", display_text(&m.adapted_target))?;
            }
        }
    }
    out.flush()?;
    if let Some(p) = progress {
        p.finish();
    }
    Ok(ExitCode::SUCCESS)
}

fn concordance(a: ConcordanceArgs, console: &Console) -> Result<ExitCode> {
    console.role(&a.tm, Role::Memory);
    let l = lang(&a.lang)?;
    let tm = open_existing(&a.tm)?;
    let hits = tm.concordance(&a.phrase, &l, a.limit)?;
    let out = std::io::stdout();
    let mut out = BufWriter::new(out.lock());
    for h in &hits {
        if console.json {
            json_line(&mut out, &ConcordanceRecord::from(h))?;
        } else {
            // Mark each occurrence with [ ].
            let mut marked = String::new();
            let mut at = 0;
            for &(s, e) in &h.spans {
                marked.push_str(&h.text[at..s]);
                marked.push('[');
                marked.push_str(&h.text[s..e]);
                marked.push(']');
                at = e;
            }
            marked.push_str(&h.text[at..]);
            writeln!(out, "{}", display_text(&marked))?;
            for v in &h.translations {
                writeln!(out, "    {}: {}", v.lang, variant_text(v))?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn stats(a: StatsArgs, console: &Console) -> Result<ExitCode> {
    console.role(&a.tm, Role::Memory);
    let tm = open_existing(&a.tm)?;
    let s = tm.stats()?;
    let out = std::io::stdout();
    let mut out = out.lock();
    if console.json {
        json_line(&mut out, &s)?;
    } else {
        writeln!(out, "units: {}", s.units)?;
        writeln!(out, "languages:")?;
        for (l, n) in &s.languages {
            writeln!(out, "  {l}: {n}")?;
        }
        writeln!(out, "pairs:")?;
        for (p, n) in &s.pairs {
            writeln!(out, "  {}: {n}", p.replace('|', " ↔ "))?;
        }
        writeln!(out, "size on disk: {} bytes", s.size_on_disk)?;
    }
    Ok(ExitCode::SUCCESS)
}
