//! `korpu segment`: split text into sentences, one per line or as JSON Lines.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use korpu::Lang;
use korpu::segment::{Abbreviations, Segmenter, SrxRules};
use korpu::{Error, Result};

use super::console::{Console, Role};

/// Split text into sentences. Each line of the input is a paragraph; no
/// segment crosses a line break.
///
/// With --json, one object per segment: {"text", "start", "end"}, byte
/// offsets into the input as given (a UTF-8 BOM counts), end exclusive.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  korpu segment --lang tr haber.txt\n  echo 'Prof. Dr. Ayşe Kaya geldi. Toplantı başladı.' | korpu segment --lang tr\n  korpu segment --lang az --json xəbər.txt        # {\"text\",\"start\",\"end\"} per segment\n  korpu segment --srx rules.srx --lang en text.txt"
)]
pub struct SegmentArgs {
    /// The language of the text (BCP-47: en, tr, az-Latn, ...).
    #[arg(long, default_value = "en", value_parser = Lang::parse)]
    lang: Lang,
    /// Segment with the rules of this SRX 2.0 (or 1.0) file; its language
    /// map decides which rules apply to --lang.
    #[arg(long, value_name = "FILE")]
    srx: Option<PathBuf>,
    /// Add the abbreviations in FILE to the built-in list (korpu's
    /// abbreviation format: sections [title] [inner] [final] [starters]).
    #[arg(long, value_name = "FILE", conflicts_with = "srx")]
    abbreviations: Option<PathBuf>,
    /// The text to segment; `-` or nothing reads standard input.
    #[arg(value_name = "FILE", default_value = "-")]
    input: PathBuf,
}

#[derive(serde::Serialize)]
struct JsonSegment<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

pub(crate) fn run(args: SegmentArgs, console: &Console) -> Result<ExitCode> {
    console.role(&args.input, Role::TEXT);
    console.role_opt(
        args.srx.as_deref(),
        Role::Input {
            stdin: false,
            formats: "SRX 2.0 or 1.0 rule files (.srx)",
            extensions: &["srx", "xml"],
        },
    );
    console.role_opt(
        args.abbreviations.as_deref(),
        Role::Input {
            stdin: false,
            formats: "",
            extensions: &[],
        },
    );
    let segmenter = match (&args.srx, &args.abbreviations) {
        (Some(srx), _) => SrxRules::from_path(srx)?.segmenter(&args.lang),
        (None, Some(file)) => {
            let mut abbrevs = Abbreviations::for_lang(&args.lang);
            abbrevs.extend_from_path(file)?;
            Segmenter::with_abbreviations(abbrevs)
        }
        (None, None) => Segmenter::new(&args.lang),
    };
    let (text, bom) = super::io::read_text_input(&args.input)?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    match write_segments(&mut out, &segmenter, &text, bom, console.json) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        // A closed pipe (`korpu segment big.txt | head`) is not a failure.
        Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => {
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => Err(e),
    }
}

fn write_segments<W: Write>(
    out: &mut W,
    segmenter: &Segmenter,
    text: &str,
    bom: usize,
    json: bool,
) -> Result<()> {
    let io = |e| Error::io("<stdout>", e);
    let mut segments = segmenter.segments(text);
    while let Some((span, seg)) = segments.next_with_span() {
        if json {
            let rec = JsonSegment {
                text: seg,
                start: span.start + bom,
                end: span.end + bom,
            };
            super::io::json_line(out, &rec)?;
        } else {
            out.write_all(seg.as_bytes()).map_err(io)?;
            out.write_all(b"\n").map_err(io)?;
        }
    }
    out.flush().map_err(io)
}
