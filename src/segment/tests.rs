//! Unit tests of the built-in rules; end-to-end and fixture tests live in
//! `tests/`.

use proptest::prelude::*;

use super::*;

fn split(lang: &str, text: &str) -> Vec<String> {
    Segmenter::new(&Lang::parse(lang).unwrap())
        .segments(text)
        .map(str::to_string)
        .collect()
}
