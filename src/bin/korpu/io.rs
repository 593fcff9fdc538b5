//! The CLI's inputs and outputs: a text input (a file or `-` for standard
//! input), JSON Lines records and bytes on standard output, and the check
//! that an output does not overwrite an input.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use korpu::{Error, Location, Result};

/// Writes `bytes` to standard output; a closed pipe (`| head`) is not an error.
pub(crate) fn write_stdout(bytes: &[u8]) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::io("<stdout>", e)),
        _ => Ok(ExitCode::SUCCESS),
    }
}

/// Reads a whole text input (`-` is standard input) as UTF-8, without its
/// BOM, and returns the BOM's length (0 or 3) so that byte offsets can count
/// it: the contract's offsets point into the input as given. Invalid UTF-8 is
/// an error naming the file, line and column.
pub(crate) fn read_text_input(path: &Path) -> Result<(String, usize)> {
    let mut bytes = Vec::new();
    let shown: PathBuf = if path == Path::new("-") {
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io("<stdin>", e))?;
        PathBuf::from("<stdin>")
    } else {
        std::fs::File::open(path)
            .and_then(|mut f| f.read_to_end(&mut bytes))
            .map_err(|e| Error::io(path, e))?;
        path.to_path_buf()
    };
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    bytes.drain(..bom);
    match String::from_utf8(bytes) {
        Ok(s) => Ok((s, bom)),
        Err(e) => {
            let bytes = e.as_bytes();
            let bad = e.utf8_error().valid_up_to();
            let valid = std::str::from_utf8(&bytes[..bad]).unwrap_or_default();
            let loc = Location::of_offset(valid, valid.len()).with_path(shown);
            Err(Error::parse_with(
                loc,
                format!("invalid UTF-8 (byte offset {})", bad + bom),
                e.utf8_error(),
            ))
        }
    }
}

/// Whether `a` and `b` name the same existing file (an output about to
/// overwrite an input).
pub(crate) fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Writes one JSON Lines record to `out`.
pub(crate) fn json_line<W: Write, T: serde::Serialize>(out: &mut W, value: &T) -> Result<()> {
    serde_json::to_writer(&mut *out, value).map_err(|e| Error::InvalidArgument(e.to_string()))?;
    out.write_all(b"\n")?;
    Ok(())
}
