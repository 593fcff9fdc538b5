//! `korpu pretranslate`: fill an XLIFF file from a translation memory and a glossary.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::Args;

use korpu::Lang;
use korpu::formats::xliff::{
    PretranslateOptions, SegmentQuery, Suggestion, Suggestions, TermSuggestion, pretranslate,
};
use korpu::glossary::Glossary;
use korpu::present::defaults::PRETRANSLATE_MIN_SCORE;
use korpu::text::placeholder_index;
use korpu::tm::{LookupOptions, TranslationMemory};
use korpu::{Error, Result};

use super::console::{Console, Role};

/// Fill the untranslated segments of an XLIFF 1.2 or 2.x file from a
/// translation memory (and a glossary); everything else is copied unchanged.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  korpu pretranslate --tm memory.korpu -g karabakh.kgl new.xlf -o new.pre.xlf\n  korpu pretranslate --tm memory.korpu --min-score 85 --json new.xlf -o new.pre.xlf"
)]
pub(crate) struct PretranslateArgs {
    /// The translation memory store.
    #[arg(long)]
    tm: PathBuf,
    /// A glossary built with `korpu glossary build`: its terms found in a
    /// source go in as notes (1.2) or the Glossary module (2.x).
    #[arg(short = 'g', long)]
    glossary: Option<PathBuf>,
    /// The lowest match score used, 0–100.
    #[arg(long, default_value_t = PRETRANSLATE_MIN_SCORE, value_parser = clap::value_parser!(u8).range(0..=100))]
    min_score: u8,
    /// The most candidates per segment (the best fills the target).
    #[arg(long, default_value_t = LookupOptions::DEFAULT_LIMIT)]
    limit: usize,
    /// Mark 101 (in-context) matches `signed-off` in XLIFF 1.2.
    #[arg(long)]
    signed_off_exact: bool,
    /// Split units that are one segment into sentences (the source
    /// language's rules) before lookup: XLIFF 1.2 gets `<seg-source>` with
    /// `<mrk mtype="seg">`, 2.x one `<segment>` per sentence. The summary then
    /// counts sentences.
    #[arg(long)]
    segment: bool,
    /// The XLIFF file to fill.
    input: PathBuf,
    /// Where to write the result (written to a temporary file in the same
    /// folder, then renamed: a failure leaves no partial file).
    #[arg(short = 'o', long)]
    output: PathBuf,
}

/// One segment to look up, as the first pass records it.
struct Query {
    text: String,
    source_lang: Lang,
    target_lang: Lang,
    prev: Option<String>,
    next: Option<String>,
}

/// A temporary file removed on drop unless persisted.
struct TempOut {
    path: PathBuf,
    keep: bool,
}

impl Drop for TempOut {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn temp_beside(output: &Path) -> TempOut {
    let dir = match output.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    TempOut {
        path: dir.join(format!(".{name}.korpu-{}.tmp", std::process::id())),
        keep: false,
    }
}

pub(crate) fn run(a: PretranslateArgs, console: &Console) -> Result<ExitCode> {
    console.role(&a.tm, Role::Memory);
    console.role_opt(a.glossary.as_deref(), Role::Glossary);
    console.role(&a.input, Role::XLIFF);
    if !a.tm.exists() {
        let e = std::io::Error::new(std::io::ErrorKind::NotFound, "no translation memory there");
        return Err(Error::io(&a.tm, e));
    }
    let tm = TranslationMemory::open(&a.tm)?;
    let glossary = a.glossary.as_ref().map(Glossary::open).transpose()?;
    let origin =
        a.tm.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "korpu".into());
    let warned = AtomicBool::new(false);
    let suggest = |q: &Query| -> Result<Suggestions> {
        let options = LookupOptions {
            min_score: a.min_score,
            limit: a.limit.max(1),
            prev: q.prev.clone(),
            next: q.next.clone(),
        };
        let matches = match tm.lookup(&q.text, &q.source_lang, &q.target_lang, &options) {
            Ok(m) => m,
            // The memory holds no text in one of the file's languages.
            Err(Error::InvalidArgument(msg)) => {
                if !warned.swap(true, Ordering::Relaxed) {
                    console.warn(msg);
                }
                Vec::new()
            }
            Err(e) => return Err(e),
        };
        let mut out = Suggestions {
            matches: matches
                .into_iter()
                .map(|m| Suggestion {
                    score: m.score,
                    origin: origin.clone(),
                    source: m.source.segment,
                    target: m.target.segment,
                    adapted_target: m.adapted_target,
                })
                .collect(),
            terms: Vec::new(),
        };
        if let Some(g) = &glossary {
            // Tags become spaces, so that terms are not glued to them.
            let text: String = q
                .text
                .chars()
                .map(|c| if placeholder_index(c).is_some() { ' ' } else { c })
                .collect();
            for hit in g.scan(&text, &q.source_lang)? {
                let translations: Vec<String> = g
                    .translations(&hit.concept, &q.target_lang)
                    .into_iter()
                    .map(|t| t.text.clone())
                    .collect();
                if translations.is_empty() {
                    continue;
                }
                out.terms.push(TermSuggestion {
                    source: text.get(hit.start..hit.end).unwrap_or_default().to_string(),
                    translations,
                    definition: hit.concept.definition.clone(),
                });
            }
        }
        Ok(out)
    };
    let options = PretranslateOptions {
        signed_off_context: a.signed_off_exact,
        segment: a.segment,
    };
    // Pass 1: the queries, in document order (a malformed file fails here,
    // before any output exists).
    let mut queries = Vec::new();
    let input = File::open(&a.input).map_err(|e| Error::io(&a.input, e))?;
    let record = |q: &SegmentQuery<'_>| -> Result<Suggestions> {
        queries.push(Query {
            text: q.text.to_string(),
            source_lang: q.source_lang.clone(),
            target_lang: q.target_lang.clone(),
            prev: q.prev.map(str::to_string),
            next: q.next.map(str::to_string),
        });
        Ok(Suggestions::default())
    };
    pretranslate(input, std::io::sink(), record, &options).map_err(|e| e.in_file(&a.input))?;
    // The lookups, on every core.
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let progress = console.progress(Some(queries.len() as u64), "segments");
    let mut found: Vec<Option<Result<Suggestions>>> = Vec::new();
    found.resize_with(queries.len(), || None);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let (queries, suggest, done) = (&queries, &suggest, progress.counter());
                scope.spawn(move || {
                    (t..queries.len())
                        .step_by(threads)
                        .map(|i| (i, suggest(&queries[i])))
                        .inspect(|_| done.inc(1))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for w in workers {
            for (i, r) in w.join().unwrap_or_default() {
                found[i] = Some(r);
            }
        }
    });
    progress.finish();
    // Pass 2: the same walk, now with the answers.
    let mut answers = found.into_iter();
    let suggest = |_: &SegmentQuery<'_>| -> Result<Suggestions> {
        answers
            .next()
            .flatten()
            .unwrap_or_else(|| Err(Error::InvalidArgument("lookup thread failed".into())))
    };
    let input = File::open(&a.input).map_err(|e| Error::io(&a.input, e))?;
    let mut temp = temp_beside(&a.output);
    let file = File::create(&temp.path).map_err(|e| Error::io(&temp.path, e))?;
    let mut writer = BufWriter::new(file);
    let summary = pretranslate(input, &mut writer, suggest, &options).map_err(|e| e.in_file(&a.input))?;
    writer.flush().map_err(|e| Error::io(&temp.path, e))?;
    drop(writer);
    std::fs::rename(&temp.path, &a.output).map_err(|e| Error::io(&a.output, e))?;
    temp.keep = true;
    console.summary(&summary, || {
        format!(
            "{} units, {} segments: {} at 101, {} at 100, {} fuzzy, {} untranslated ({} translated before)",
            summary.units,
            summary.segments,
            summary.context,
            summary.exact,
            summary.fuzzy,
            summary.untranslated,
            summary.translated_before
        )
    })?;
    Ok(ExitCode::SUCCESS)
}
