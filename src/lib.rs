//! korpu: translation memory, terminology and sentence segmentation, correct
//! for Turkish and Azerbaijani.
//!
//! The layers, bottom up: [`text`] (keys, tokens) → [`segment`] (sentences) →
//! [`model`] (units, variants, segments) → `formats`, `glossary`, `tm`.
#![warn(missing_docs)]

pub mod error;
pub mod formats;
pub mod glossary;
pub mod lang;
pub mod model;
pub mod segment;
pub mod text;
pub mod tm;

pub use error::{Error, Location, Result};
pub use lang::{Lang, LangMatch};

#[cfg(feature = "cli")]
pub mod cli;
#[cfg(feature = "server")]
pub mod server;
