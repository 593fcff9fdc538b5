//! What a command may say on stderr besides its errors, decided once from
//! the global flags: progress bars, warnings and hints.
//!
//! `--quiet` silences everything here (errors still print, exit codes do not
//! change); a bar is drawn only when stderr is a terminal, or as plain lines
//! with `--progress` when it is not. Commands also tell the console what
//! their paths are (an input, a translation memory, a glossary), so that an
//! error naming one of them can end with a hint saying what to do next.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use korpu::Error;

/// The global output flags and the roles of the command's paths.
#[derive(Debug, Default)]
pub(crate) struct Console {
    /// `--quiet`: no progress, warnings or status lines on stderr.
    pub(crate) quiet: bool,
    /// `--json`: data and summaries as JSON Lines on stdout.
    pub(crate) json: bool,
    /// `--progress`: progress as plain lines when stderr is not a terminal.
    pub(crate) progress: bool,
    roles: Mutex<Vec<(PathBuf, Role)>>,
    /// Refusals made by the command itself, with their hints.
    refusals: Mutex<Vec<(String, String)>>,
}

/// What a path given to a command is for; decides the hint for its errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// A file read as input. `stdin` says whether `-` may stand for standard
    /// input; `formats` names what the command reads and `extensions` the
    /// file name endings that go with it (a parse error on a file with
    /// another ending hints at the formats).
    Input {
        stdin: bool,
        formats: &'static str,
        extensions: &'static [&'static str],
    },
    /// A translation memory store that must already exist.
    Memory,
    /// A translation memory store that is created when missing.
    NewMemory,
    /// A glossary file built by `korpu glossary build`.
    Glossary,
}

impl Role {
    /// UTF-8 text, or `-` for standard input.
    pub(crate) const TEXT: Role = Role::Input {
        stdin: true,
        formats: "",
        extensions: &[],
    };
    /// What `tmx check` reads.
    pub(crate) const TMX: Role = Role::Input {
        stdin: true,
        formats: "TMX files (.tmx, any TMX version)",
        extensions: &["tmx"],
    };
    /// What `tm import` reads.
    pub(crate) const TMX_OR_XLIFF: Role = Role::Input {
        stdin: true,
        formats: "TMX (.tmx, any version) and XLIFF 1.2/2.x (.xlf, .xliff)",
        extensions: &["tmx", "xlf", "xliff", "sdlxliff", "mqxliff"],
    };
    /// What `pretranslate` reads (twice: no standard input).
    pub(crate) const XLIFF: Role = Role::Input {
        stdin: false,
        formats: "XLIFF 1.2 and 2.x (.xlf, .xliff)",
        extensions: &["xlf", "xliff", "sdlxliff", "mqxliff"],
    };
}

impl Console {
    /// A console for the given global flags.
    pub(crate) fn new(quiet: bool, json: bool, progress: bool) -> Console {
        Console {
            quiet,
            json,
            progress,
            roles: Mutex::default(),
            refusals: Mutex::default(),
        }
    }

    /// An error the command raises itself (`message`), printed with `hint`.
    pub(crate) fn refuse(&self, message: String, hint: impl Into<String>) -> Error {
        lock(&self.refusals).push((message.clone(), hint.into()));
        Error::InvalidArgument(message)
    }

    /// Records what `path` is for, so that an error about it gets a hint.
    pub(crate) fn role(&self, path: &Path, role: Role) {
        lock(&self.roles).push((path.to_path_buf(), role));
    }

    /// [`role`](Self::role) for an optional path.
    pub(crate) fn role_opt(&self, path: Option<&Path>, role: Role) {
        if let Some(p) = path {
            self.role(p, role);
        }
    }

    /// Prints `korpu: warning: MSG` on stderr unless `--quiet`.
    pub(crate) fn warn(&self, msg: impl std::fmt::Display) {
        if !self.quiet {
            let _ = writeln!(std::io::stderr().lock(), "korpu: warning: {msg}");
        }
    }

    /// Prints a command's summary on stdout: `value` as one JSON line with
    /// `--json`, else the line `text` gives.
    pub(crate) fn summary<T: serde::Serialize>(
        &self,
        value: &T,
        text: impl FnOnce() -> String,
    ) -> korpu::Result<()> {
        let mut out = std::io::stdout().lock();
        if self.json {
            super::io::json_line(&mut out, value)
        } else {
            writeln!(out, "{}", text())?;
            Ok(())
        }
    }

    /// A progress report for an operation over `total` items (a spinner when
    /// unknown), counted in `unit` ("units", "terms", "bytes", "segments").
    pub(crate) fn progress(&self, total: Option<u64>, unit: &'static str) -> Progress {
        let terminal = std::io::stderr().is_terminal();
        let draw = terminal && !self.quiet;
        let bar = if draw {
            let bar = match total {
                Some(t) => indicatif::ProgressBar::new(t),
                None => indicatif::ProgressBar::new_spinner(),
            };
            let counts = if unit == "bytes" {
                "{bytes}/{total_bytes}, {bytes_per_sec} ({eta})"
            } else {
                "{human_pos}/{human_len} {msg} ({eta})"
            };
            let template = match total {
                Some(_) => format!("{{elapsed_precise}} [{{bar:30}}] {counts}"),
                None if unit == "bytes" => "{elapsed_precise} {spinner} {bytes}, {bytes_per_sec}".into(),
                None => "{elapsed_precise} {spinner} {human_pos} {msg}".into(),
            };
            if let Ok(style) = indicatif::ProgressStyle::with_template(&template) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_message(unit);
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        } else {
            indicatif::ProgressBar::hidden()
        };
        if let Some(t) = total {
            // Also tracked when hidden: the plain `--progress` lines use it.
            bar.set_length(t);
        }
        Progress {
            bar,
            draw,
            lines: self.progress && !terminal && !self.quiet,
            unit,
            quiet: self.quiet,
            start: Instant::now(),
            last_line: Mutex::new(Instant::now()),
        }
    }

    /// The hint for `error`, from the roles the command gave its paths.
    pub(crate) fn hint(&self, error: &Error) -> Option<String> {
        if let Error::InvalidArgument(message) = error {
            let refusals = lock(&self.refusals);
            return refusals
                .iter()
                .find(|(m, _)| m == message)
                .map(|(_, h)| h.clone());
        }
        let roles = lock(&self.roles);
        let role_of = |p: &Path| roles.iter().find(|(q, _)| q == p).map(|&(_, r)| r);
        let shown = |p: &Path| shell_word(&p.display().to_string());
        // A folder where a file belongs fails in many ways (EISDIR, ENODEV
        // from mmap, "not a redb database"): one hint for all.
        let named = match error {
            Error::Io { path: Some(p), .. } | Error::Corrupt { path: p, .. } => Some(p.as_path()),
            _ => None,
        };
        if let Some(p) = named.filter(|p| p.is_dir()) {
            return Some(match role_of(p) {
                Some(Role::Memory | Role::NewMemory) => format!(
                    "{} is a folder; --tm names the store file in it, such as {}",
                    shown(p),
                    shown(&p.join("memory.korpu"))
                ),
                _ => format!("{} is a folder; give a file", shown(p)),
            });
        }
        match error {
            // A file korpu creates, in a folder that does not exist.
            Error::Io {
                path: Some(p),
                source,
            } if source.kind() == std::io::ErrorKind::NotFound
                && role_of(p) == Some(Role::NewMemory)
                && p.parent()
                    .is_some_and(|d| !d.as_os_str().is_empty() && !d.exists()) =>
            {
                Some(format!(
                    "the folder {} does not exist; create it first (mkdir -p {0})",
                    shown(p.parent().unwrap_or(p))
                ))
            }
            Error::Io {
                path: Some(p),
                source,
            } if source.kind() == std::io::ErrorKind::NotFound => Some(match role_of(p) {
                Some(Role::Memory) => format!(
                    "create the translation memory first: korpu tm import --tm {} FILE.tmx",
                    shown(p)
                ),
                Some(Role::Glossary) => format!(
                    "build the glossary first: korpu glossary build -o {} TERMS.tbx (or .tsv, .csv)",
                    shown(p)
                ),
                Some(Role::Input { stdin: true, .. }) => {
                    "check the path; use - to read standard input".to_string()
                }
                _ => "check the path".to_string(),
            }),
            Error::Io { source, .. } if source.kind() == std::io::ErrorKind::PermissionDenied => {
                Some("check the file's permissions (and its folder's, for a file korpu writes)".into())
            }
            Error::Store { path, message, .. } if message.contains("another process") => Some(format!(
                "stop the other korpu process that has {0} open; if it is `korpu serve --tm {0}`, \
                 use its HTTP API while it runs (GET /v1/tm/lookup, /v1/tm/stats, POST /v1/tm/import; \
                 all routes at /v1/openapi.json)",
                shown(path)
            )),
            // A store of another korpu version: the message says what to do.
            Error::OtherVersion { .. } => None,
            Error::Corrupt { path, .. } => match role_of(path) {
                Some(Role::Memory | Role::NewMemory) => Some(
                    "--tm takes a store made by `korpu tm import`, not a TMX file; \
                     import TMX files into it with: korpu tm import --tm STORE FILE.tmx"
                        .into(),
                ),
                Some(Role::Glossary) => Some(format!(
                    "-g takes a glossary built by korpu; build one from TBX/TSV/CSV with: \
                     korpu glossary build -o {} TERMS.tbx",
                    shown(&path.with_extension("kgl"))
                )),
                _ => None,
            },
            Error::Parse { location, .. } => {
                let p = location.path.as_deref()?;
                match role_of(p)? {
                    Role::Input {
                        formats, extensions, ..
                    } if !formats.is_empty() && !has_extension(p, extensions) => {
                        Some(format!("this command reads {formats}"))
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

/// Locks `m`; a panic elsewhere while holding it does not matter here (the
/// data are lists that are only pushed to, and a timestamp).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Whether `path` ends in one of `extensions` (case-insensitive).
pub(crate) fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| extensions.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// `word` quoted for a POSIX shell when it needs it, for hints users copy.
fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_alphanumeric() || "-_./:+,@%=".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// A progress report: an indicatif bar when stderr is a terminal, a plain
/// line every few seconds with `--progress` when it is not, nothing otherwise.
/// Cheap to update from several threads.
pub(crate) struct Progress {
    bar: indicatif::ProgressBar,
    draw: bool,
    lines: bool,
    unit: &'static str,
    quiet: bool,
    start: Instant,
    last_line: Mutex<Instant>,
}

/// How often `--progress` prints a plain line.
const LINE_EVERY: Duration = Duration::from_secs(2);

impl Progress {
    /// Sets the count done so far.
    pub(crate) fn set(&self, done: u64) {
        self.bar.set_position(done);
        self.line();
    }

    /// With `--progress` off a terminal, prints `korpu: LINE` (for events
    /// worth a line each, such as a committed batch).
    pub(crate) fn note(&self, line: impl FnOnce() -> String) {
        if self.lines {
            let _ = writeln!(std::io::stderr().lock(), "korpu: {}", line());
        }
    }

    /// The time since the operation started.
    pub(crate) fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }

    /// Replaces the words after the count (the unit, at first): a new phase.
    pub(crate) fn set_message(&self, msg: &'static str) {
        self.bar.set_message(msg);
    }

    /// Adds `n` to the count done.
    pub(crate) fn inc(&self, n: u64) {
        self.bar.inc(n);
    }

    /// A handle on the bar that can be moved to other threads (`inc` only).
    pub(crate) fn counter(&self) -> indicatif::ProgressBar {
        self.bar.clone()
    }

    /// Wraps a reader so that every byte read advances the count.
    pub(crate) fn wrap_read<R: std::io::Read>(&self, r: R) -> indicatif::ProgressBarIter<R> {
        self.bar.wrap_read(r)
    }

    /// Prints `korpu: warning: MSG` above the bar (unless `--quiet`).
    pub(crate) fn warn(&self, msg: impl std::fmt::Display) {
        if self.quiet {
            return;
        }
        let msg = format!("korpu: warning: {msg}");
        if self.draw {
            self.bar.println(msg);
        } else {
            let _ = writeln!(std::io::stderr().lock(), "{msg}");
        }
    }

    fn line(&self) {
        if !self.lines {
            return;
        }
        let now = Instant::now();
        let mut last = lock(&self.last_line);
        if now.duration_since(*last) < LINE_EVERY {
            return;
        }
        *last = now;
        self.print_line();
    }

    fn print_line(&self) {
        let done = self.bar.position();
        let secs = self.start.elapsed().as_secs_f64().max(1e-9);
        let of = self.bar.length().map(|t| format!(" of {t}")).unwrap_or_default();
        let _ = writeln!(
            std::io::stderr().lock(),
            "korpu: {done}{of} {}, {:.0}/s",
            self.unit,
            done as f64 / secs
        );
    }

    /// Clears the bar (and prints the last plain line with `--progress`).
    pub(crate) fn finish(&self) {
        if self.draw {
            self.bar.finish_and_clear();
        } else if self.lines {
            self.print_line();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        // An error path must not leave a half-drawn bar above the message.
        if self.draw && !self.bar.is_finished() {
            self.bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_follow_the_role_of_the_path() {
        let c = Console::default();
        c.role(Path::new("mem.korpu"), Role::Memory);
        c.role(Path::new("terms.kgl"), Role::Glossary);
        let missing = |p: &str| Error::io(p, std::io::Error::new(std::io::ErrorKind::NotFound, "not found"));
        let tm = c.hint(&missing("mem.korpu")).unwrap_or_default();
        assert!(tm.contains("korpu tm import --tm mem.korpu"), "{tm}");
        let g = c.hint(&missing("terms.kgl")).unwrap_or_default();
        assert!(g.contains("korpu glossary build -o terms.kgl"), "{g}");
        assert_eq!(c.hint(&missing("other")).as_deref(), Some("check the path"));
        c.role(Path::new("-"), Role::TEXT);
        let stdin = c.hint(&missing("-")).unwrap_or_default();
        assert!(stdin.ends_with("use - to read standard input"), "{stdin}");
        let io = |kind| Error::io("x", std::io::Error::from(kind));
        let denied = c
            .hint(&io(std::io::ErrorKind::PermissionDenied))
            .unwrap_or_default();
        assert!(denied.contains("permissions"), "{denied}");
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let folder = Error::io(dir.path(), std::io::Error::from(std::io::ErrorKind::IsADirectory));
        assert!(
            c.hint(&folder)
                .unwrap_or_default()
                .ends_with("is a folder; give a file")
        );
        c.role(dir.path(), Role::Memory);
        let store = Error::Corrupt {
            path: dir.path().to_path_buf(),
            message: "not a redb database".into(),
            source: None,
        };
        assert!(c.hint(&store).unwrap_or_default().contains("memory.korpu"));
        assert_eq!(c.hint(&Error::InvalidArgument("x".into())), None);
        let refused = c.refuse("no".into(), "do this");
        assert_eq!(c.hint(&refused).as_deref(), Some("do this"));
    }

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(shell_word("a/b-c.kgl"), "a/b-c.kgl");
        assert_eq!(shell_word("my terms.kgl"), "'my terms.kgl'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word("Şuşa.kgl"), "Şuşa.kgl");
    }
}
