//! [`Tokens`]: the bearer tokens write routes (and, optionally, reads) need.

use subtle::ConstantTimeEq;

use crate::error::{Error, Result};

/// The bearer tokens a [`Server`](super::Server) accepts. Empty means writes are refused.
#[derive(Clone, Default)]
pub struct Tokens(Vec<Vec<u8>>);

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Tokens({} configured)", self.0.len()) // never the secrets
    }
}

impl Tokens {
    /// No token: every route that needs one answers 401.
    pub fn none() -> Tokens {
        Tokens(Vec::new())
    }

    /// One token per non-blank line of `text`, trimmed (several lines allow
    /// rotating a token). An error when there is none, or a token holds
    /// white space or control characters.
    pub fn from_lines(text: &str) -> Result<Tokens> {
        let mut tokens = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let t = line.trim();
            if t.is_empty() {
                continue;
            }
            if t.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(Error::InvalidArgument(format!(
                    "token file line {}: a token may not contain white space",
                    i + 1
                )));
            }
            tokens.push(t.as_bytes().to_vec());
        }
        if tokens.is_empty() {
            return Err(Error::InvalidArgument("the token file holds no token".into()));
        }
        Ok(Tokens(tokens))
    }

    /// Reads [`from_lines`](Self::from_lines) from a file.
    pub fn from_file(path: impl AsRef<std::path::Path>) -> Result<Tokens> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Tokens::from_lines(&text).map_err(|e| Error::InvalidArgument(format!("{}: {e}", path.display())))
    }

    /// Whether `presented` is one of the tokens. Each comparison takes time
    /// independent of where the bytes differ (`subtle`); only a length
    /// mismatch is cheaper, which tells nothing of the content.
    pub fn accepts(&self, presented: &[u8]) -> bool {
        let mut ok = subtle::Choice::from(0);
        for t in &self.0 {
            ok |= t.as_slice().ct_eq(presented);
        }
        bool::from(ok)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
