//! `korpu glossary build|lookup|scan|export`: build a glossary file, look terms up, find them in text, export.

use std::collections::BTreeMap;
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;

use korpu::Lang;
use korpu::formats::delimited::{DelimitedOptions, DelimitedReader, read_delimited, write_tsv};
use korpu::formats::tbx::{TbxReader, write_tbx};
use korpu::glossary::{Glossary, GlossaryBuilder};
use korpu::model::Concept;
use korpu::present::{ScanHitRecord, TermHitRecord};
use korpu::{Error, Result};

use super::console::{Console, Role};
use super::io::{json_line, read_text_input};

/// What `glossary build` reads, for hints.
const BUILD_FORMATS: &str = "TBX (.tbx, .xml), TSV (.tsv, .txt), CSV (.csv) and OmegaT glossaries \
     (with --src L --tgt L); name the format with --from tbx|tsv|csv";

/// Glossary (termbase) commands.
#[derive(Debug, Args)]
pub struct GlossaryArgs {
    #[command(subcommand)]
    command: GlossaryCommand,
}

#[derive(Debug, Subcommand)]
enum GlossaryCommand {
    /// Build a glossary file from TBX, TSV/CSV or OmegaT glossaries.
    Build(BuildArgs),
    /// Look a term up: every match level, best first; or by prefix or edit distance.
    Lookup(LookupArgs),
    /// Find glossary terms in running text, inflected forms included.
    Scan(ScanArgs),
    /// Write a glossary out as TBX or TSV.
    Export(ExportArgs),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum InputFormat {
    Tbx,
    Tsv,
    Csv,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  korpu glossary build -o karabakh.kgl glossaries/karabakh.tbx\n  korpu glossary build -o terms.kgl terms.tsv extra.csv\n  korpu glossary build -o omegat.kgl --src en --tgt tr glossary.txt   # OmegaT's 3 columns"
)]
struct BuildArgs {
    /// The glossary file to write.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    output: PathBuf,
    /// Input format; guessed from each file's extension when absent
    /// (.tbx/.xml → tbx, .csv → csv, anything else → tsv).
    #[arg(long = "from", value_name = "FORMAT")]
    from: Option<InputFormat>,
    /// OmegaT's headerless glossary (source<TAB>target<TAB>comment): the source language.
    #[arg(long, value_name = "L", requires = "tgt")]
    src: Option<String>,
    /// OmegaT's headerless glossary: the target language.
    #[arg(long, value_name = "L", requires = "src")]
    tgt: Option<String>,
    /// Input files (`-` for standard input).
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
}

/// What `lookup` and `scan` both take: the glossary, the language of the
/// query (each command names it in its help) and the translations wanted.
#[derive(Debug, Args)]
struct QueryArgs {
    /// The glossary file.
    #[arg(short = 'g', long = "glossary", value_name = "GLOSSARY")]
    glossary: PathBuf,
    /// The language of the query.
    #[arg(long, value_name = "L")]
    lang: String,
    /// Show translations into this language only.
    #[arg(long, value_name = "L2")]
    to: Option<String>,
}

impl QueryArgs {
    /// The glossary, checked, and the query's and the translations'
    /// languages, checked against it.
    fn open(&self, console: &Console) -> Result<(Glossary, Lang, Option<Lang>)> {
        let lang = lang_arg(&self.lang)?;
        let to = self.to.as_deref().map(lang_arg).transpose()?;
        let g = open_checked(&self.glossary)?;
        check_languages(&g, &self.glossary, [&lang].into_iter().chain(&to), console)?;
        Ok((g, lang, to))
    }
}

#[derive(Debug, Args)]
#[command(
    mut_arg("lang", |a| a.help("The language of TERM")),
    after_help = "Examples:\n  korpu glossary lookup -g karabakh.kgl --lang az Shusha            # Şuşa, at the translit level\n  korpu glossary lookup -g karabakh.kgl --lang tr --to az --json KARABAĞ\n  korpu glossary lookup -g places.kgl --lang en --prefix Azer\n  korpu glossary lookup -g places.kgl --lang tr --fuzzy 1 Azerbaycn"
)]
struct LookupArgs {
    #[command(flatten)]
    query: QueryArgs,
    /// Autocomplete: terms that start with TERM.
    #[arg(long, conflicts_with = "fuzzy")]
    prefix: bool,
    /// Terms within N edits of TERM (N ≤ 3).
    #[arg(long, value_name = "N")]
    fuzzy: Option<u32>,
    /// At most this many hits (for --prefix; default 10).
    #[arg(long, value_name = "K", default_value_t = 10)]
    limit: usize,
    /// The term to look up.
    #[arg(value_name = "TERM")]
    term: String,
}

#[derive(Debug, Args)]
#[command(
    mut_arg("lang", |a| a.help("The language of the text")),
    after_help = "Examples:\n  echo \"Şuşa Beyannamesi'ni Bakü'de imzaladılar.\" | korpu glossary scan -g karabakh.kgl --lang tr --to az\n  korpu glossary scan -g karabakh.kgl --lang az --json xəbər.txt"
)]
struct ScanArgs {
    #[command(flatten)]
    query: QueryArgs,
    /// The text file (`-` or absent for standard input).
    #[arg(value_name = "FILE", default_value = "-")]
    input: PathBuf,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    Tbx,
    Tsv,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  korpu glossary export -g karabakh.kgl --to-format tbx -o karabakh.tbx\n  korpu glossary export -g karabakh.kgl --to-format tsv -o -"
)]
struct ExportArgs {
    /// The glossary file.
    #[arg(short = 'g', long = "glossary", value_name = "GLOSSARY")]
    glossary: PathBuf,
    /// The format to write.
    #[arg(long = "to-format", value_name = "FORMAT")]
    to_format: OutputFormat,
    /// The file to write (`-` for standard output).
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    output: PathBuf,
}

/// Runs a `korpu glossary` command.
pub(crate) fn run(args: GlossaryArgs, console: &Console) -> Result<ExitCode> {
    match args.command {
        GlossaryCommand::Build(a) => build(a, console),
        GlossaryCommand::Lookup(a) => lookup(a, console),
        GlossaryCommand::Scan(a) => scan(a, console),
        GlossaryCommand::Export(a) => export(a, console),
    }
}

fn lang_arg(tag: &str) -> Result<Lang> {
    Lang::parse(tag)
}

/// The format of `path` from its extension: `.tbx`/`.xml` → TBX, `.csv` →
/// CSV, the extensions of formats that are not glossaries (a TMX, an XLIFF,
/// a spreadsheet, a built glossary) → an error saying so, anything else → TSV.
fn guess_format(path: &Path, console: &Console) -> Result<InputFormat> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    Ok(match ext.as_str() {
        "tbx" | "xml" => InputFormat::Tbx,
        "csv" => InputFormat::Csv,
        "tmx" | "xlf" | "xliff" | "sdlxliff" | "mqxliff" | "po" | "pot" | "xlsx" | "xls" | "ods" | "docx"
        | "doc" | "odt" | "pdf" | "json" | "kgl" | "korpu" => {
            let more = match ext.as_str() {
                "tmx" => "; a TMX file goes into a translation memory: korpu tm import --tm STORE FILE.tmx",
                "xlsx" | "xls" | "ods" => {
                    "; save the sheet as CSV or TSV with a language code over each column"
                }
                "kgl" => "; a .kgl file is already built: use it with -g",
                _ => "",
            };
            return Err(console.refuse(
                format!("{}: cannot build a glossary from a .{ext} file", path.display()),
                format!("glossary build reads {BUILD_FORMATS}{more}"),
            ));
        }
        _ => InputFormat::Tsv,
    })
}

fn build(a: BuildArgs, console: &Console) -> Result<ExitCode> {
    let omegat = match (&a.src, &a.tgt) {
        (Some(s), Some(t)) => Some((lang_arg(s)?, lang_arg(t)?)),
        _ => None,
    };
    // Every input is checked before anything is read or written.
    let mut formats = Vec::with_capacity(a.inputs.len());
    for input in &a.inputs {
        console.role(
            input,
            Role::Input {
                stdin: true,
                formats: BUILD_FORMATS,
                extensions: &["tbx", "xml", "tsv", "txt", "csv", "tab", "utf8"],
            },
        );
        formats.push(match a.from {
            Some(f) => f,
            None => guess_format(input, console)?,
        });
        if input != Path::new("-") && super::io::same_file(input, &a.output) {
            return Err(console.refuse(
                format!(
                    "{}: refusing to overwrite an input with the glossary built from it",
                    a.output.display()
                ),
                format!(
                    "choose another output file: -o {}",
                    a.output.with_extension("kgl").display()
                ),
            ));
        }
    }
    let progress = console.progress(None, "terms");
    let mut builder = GlossaryBuilder::new();
    let mut terms = 0u64;
    for (input, &format) in a.inputs.iter().zip(&formats) {
        if input == Path::new("-") && a.from.is_none() && omegat.is_none() {
            return Err(console.refuse(
                "reading a glossary from standard input needs --from tbx|tsv|csv".into(),
                "name the format: --from tbx, --from tsv or --from csv (OmegaT's: --src L --tgt L)",
            ));
        }
        let mut add = |c: Result<Concept>| -> Result<()> {
            let c = c?;
            terms += c.terms.len() as u64;
            builder.add(c).map_err(|e| e.in_file(input))?;
            progress.set(terms);
            Ok(())
        };
        match (format, &omegat) {
            (InputFormat::Tbx, None) => {
                if input == Path::new("-") {
                    let r = TbxReader::new(BufReader::new(std::io::stdin().lock()))?;
                    for c in r {
                        add(c.map_err(|e| e.in_file("<stdin>")))?;
                    }
                } else {
                    for c in TbxReader::from_path(input)? {
                        add(c)?;
                    }
                }
            }
            (f, o) => {
                let mut options = match (f, o) {
                    (_, Some((s, t))) => DelimitedOptions::omegat(s.clone(), t.clone()),
                    (InputFormat::Csv, None) => DelimitedOptions::csv(),
                    _ => DelimitedOptions::tsv(),
                };
                if input == Path::new("-") {
                    options.id_prefix = "stdin".into();
                    for c in
                        read_delimited(std::io::stdin().lock(), &options).map_err(|e| e.in_file("<stdin>"))?
                    {
                        add(c.map_err(|e| e.in_file("<stdin>")))?;
                    }
                } else {
                    for c in DelimitedReader::from_path(input, &options)? {
                        add(c)?;
                    }
                }
            }
        }
    }
    progress.set_message("terms read; writing the glossary");
    let stats = builder.build(&a.output)?;
    progress.finish();
    if !stats.duplicate_ids.is_empty() {
        let mut shown: Vec<&str> = stats.duplicate_ids.iter().take(20).map(String::as_str).collect();
        if stats.duplicate_ids.len() > 20 {
            shown.push("…");
        }
        console.warn(format_args!(
            "merged {} duplicate concept id(s): {}",
            stats.duplicate_ids.len(),
            shown.join(", ")
        ));
    }
    let mut out = std::io::stdout().lock();
    if console.json {
        #[derive(Serialize)]
        struct Built {
            concepts: usize,
            terms: usize,
        }
        json_line(
            &mut out,
            &Built {
                concepts: stats.concepts,
                terms: stats.terms,
            },
        )?;
    } else {
        writeln!(
            out,
            "{}: {} concepts, {} terms",
            a.output.display(),
            stats.concepts,
            stats.terms
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn open_checked(path: &Path) -> Result<Glossary> {
    let g = Glossary::open(path)?;
    // A CLI run reads few terms; checking the whole file first costs
    // milliseconds and guarantees no answer comes from damaged bytes.
    g.verify()?;
    Ok(g)
}

/// Warns (no error: the answer is just empty) when the glossary has no
/// terms in a language asked for, naming the languages it has.
fn check_languages<'a>(
    g: &Glossary,
    path: &Path,
    wanted: impl IntoIterator<Item = &'a Lang>,
    console: &Console,
) -> Result<()> {
    let have = g.languages()?;
    for lang in wanted {
        if !have.iter().any(|l| l.primary() == lang.primary()) {
            let list: Vec<&str> = have.iter().map(Lang::as_str).collect();
            console.warn(format_args!(
                "{}: the glossary has no terms in {lang}; it has {}",
                path.display(),
                if list.is_empty() {
                    "none".to_string()
                } else {
                    list.join(", ")
                }
            ));
        }
    }
    Ok(())
}

fn text_translations(t: &BTreeMap<String, Vec<String>>) -> String {
    t.iter()
        .map(|(l, v)| format!("{l}: {}", v.join(" | ")))
        .collect::<Vec<_>>()
        .join("; ")
}

fn lookup(a: LookupArgs, console: &Console) -> Result<ExitCode> {
    console.role(&a.query.glossary, Role::Glossary);
    let (g, lang, to) = a.query.open(console)?;
    let hits = if a.prefix {
        g.prefix(&a.term, &lang, a.limit)?
    } else if let Some(d) = a.fuzzy {
        g.fuzzy(&a.term, &lang, d)?
    } else {
        g.lookup(&a.term, &lang)?
    };
    let mut out = std::io::stdout().lock();
    for h in &hits {
        let line = TermHitRecord::new(h, to.as_ref())?;
        if console.json {
            json_line(&mut out, &line)?;
        } else {
            writeln!(
                out,
                "{}\t{}\t{}{}\t{}",
                line.concept,
                line.term,
                line.level,
                if line.distance > 0 {
                    format!(" {}", line.distance)
                } else {
                    String::new()
                },
                text_translations(&line.translations)
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn scan(a: ScanArgs, console: &Console) -> Result<ExitCode> {
    console.role(&a.query.glossary, Role::Glossary);
    console.role(&a.input, Role::TEXT);
    let (g, lang, to) = a.query.open(console)?;
    let (text, bom) = read_text_input(&a.input)?;
    let hits = g.scan(&text, &lang)?;
    let mut out = std::io::stdout().lock();
    for h in &hits {
        let line = ScanHitRecord::new(h, &text, bom, to.as_ref());
        if console.json {
            json_line(&mut out, &line)?;
        } else {
            writeln!(
                out,
                "{}-{}\t{}\t{}\t{}\t{}",
                line.start,
                line.end,
                line.text,
                line.term,
                line.kind,
                text_translations(&line.translations)
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn export(a: ExportArgs, console: &Console) -> Result<ExitCode> {
    console.role(&a.glossary, Role::Glossary);
    if a.output != Path::new("-") && super::io::same_file(&a.output, &a.glossary) {
        let ext = match a.to_format {
            OutputFormat::Tbx => "tbx",
            OutputFormat::Tsv => "tsv",
        };
        return Err(console.refuse(
            format!(
                "{}: refusing to overwrite the glossary being exported",
                a.output.display()
            ),
            format!(
                "choose another output file: -o {}",
                a.output.with_extension(ext).display()
            ),
        ));
    }
    let g = open_checked(&a.glossary)?;
    let concepts: Vec<Concept> = g.concepts().collect::<Result<_>>()?;
    let write = |w: &mut dyn Write| -> Result<()> {
        match a.to_format {
            OutputFormat::Tbx => write_tbx(&mut *w, &concepts),
            OutputFormat::Tsv => write_tsv(&mut *w, &concepts, &g.languages()?),
        }?;
        w.flush()?;
        Ok(())
    };
    if a.output == Path::new("-") {
        let mut out = std::io::stdout().lock();
        write(&mut out)?;
    } else {
        let f = std::fs::File::create(&a.output).map_err(|e| Error::io(&a.output, e))?;
        let mut w = std::io::BufWriter::new(f);
        write(&mut w).map_err(|e| e.in_file(&a.output))?;
        if console.json {
            #[derive(Serialize)]
            struct Exported {
                concepts: usize,
                output: String,
            }
            let summary = Exported {
                concepts: concepts.len(),
                output: a.output.display().to_string(),
            };
            json_line(&mut std::io::stdout().lock(), &summary)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
