//! The `korpu` command-line tool (cargo feature `cli`).
//!
//! A client of the library's public API: its code lives here, in the
//! binary, so that the library crate exposes no CLI. Each command group lives
//! in its own module and owns its clap arguments; this module parses,
//! dispatches and turns errors into the contract's `korpu: error: MESSAGE` on
//! stderr with exit status 1 (clap's usage errors exit with 2), followed by
//! `  hint: WHAT TO DO` when the error has one. The global flags `--quiet`,
//! `--json` and `--progress` are parsed here once and reach every command
//! through a `Console` (`console.rs`).

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use korpu::{Error, Result};

use console::Console;
use io::write_stdout;

mod console;
mod glossary;
mod io;
mod pretranslate;
mod segment;
#[cfg(feature = "server")]
mod serve;
mod tm;
mod tmx;

/// korpu: translation memory, terminology and sentence segmentation.
#[derive(Debug, Parser)]
#[command(name = "korpu", version, about, arg_required_else_help = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Print nothing on stderr but errors: no progress, warnings or status
    /// lines. Standard output and exit statuses do not change.
    #[arg(short = 'q', long, global = true, conflicts_with = "progress")]
    quiet: bool,
    /// JSON Lines on stdout: one object per record for data (segments,
    /// hits, matches), one summary object for the others.
    #[arg(long, global = true)]
    json: bool,
    /// Report progress on stderr even when it is not a terminal (plain lines).
    #[arg(long, global = true)]
    progress: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Split text into sentences (built-in rules or an SRX file).
    Segment(segment::SegmentArgs),
    /// TMX files: check them.
    Tmx(tmx::TmxArgs),
    /// Glossaries: build, look up, find terms in text, export.
    Glossary(glossary::GlossaryArgs),
    /// Translation memory: import, export, lookup, concordance, stats.
    #[command(subcommand)]
    Tm(tm::TmCommand),
    /// Fill an XLIFF file's untranslated segments from a translation memory and a glossary.
    Pretranslate(pretranslate::PretranslateArgs),
    /// Serve the translation memory and glossary over HTTP (amaGama-compatible).
    #[cfg(feature = "server")]
    Serve(serve::ServeArgs),
    /// Print a shell completion script.
    ///
    /// Example: `korpu completions bash > ~/.local/share/bash-completion/completions/korpu`
    Completions {
        /// The shell: bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) on standard output.
    ///
    /// Example: `korpu man > korpu.1 && man ./korpu.1`
    Man,
}

// Imports and lookups allocate many small objects (units, tokens, keys):
// mimalloc serves them markedly faster than glibc's malloc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let console = Console::new(cli.quiet, cli.json, cli.progress);
    match run(cli.command, &console) {
        Ok(code) => code,
        Err(e) => {
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "korpu: error: {e}");
            if let Some(hint) = console.hint(&e) {
                let _ = writeln!(stderr, "  hint: {hint}");
            }
            ExitCode::from(1)
        }
    }
}

fn run(command: Command, console: &Console) -> Result<ExitCode> {
    match command {
        Command::Segment(args) => segment::run(args, console),
        Command::Tmx(args) => tmx::run(args, console),
        Command::Glossary(args) => glossary::run(args, console),
        Command::Tm(cmd) => tm::run(cmd, console),
        Command::Pretranslate(args) => pretranslate::run(args, console),
        #[cfg(feature = "server")]
        Command::Serve(args) => serve::run(args, console),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            no_json(console, "completions");
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "korpu", &mut script);
            write_stdout(&script)
        }
        Command::Man => {
            use clap::CommandFactory;
            no_json(console, "man");
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut page)
                .map_err(|e| Error::io("<stdout>", e))?;
            write_stdout(&page)
        }
    }
}

/// `--json` on a command whose output is not data is a usage error (exit 2),
/// not silently ignored.
fn no_json(console: &Console, command: &str) {
    if console.json {
        use clap::CommandFactory;
        Cli::command()
            .error(
                clap::error::ErrorKind::ArgumentConflict,
                format!("--json does not apply to `korpu {command}` (its output is not data)"),
            )
            .exit();
    }
}
