//! Finished segments of an XLIFF document as translation units.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::model::{Prop, TranslationUnit, Variant};

use super::engine::{Engine, Item, UnitBuf};
use super::unit::view;

/// A streaming iterator over the finished segments of an XLIFF 1.2 or 2.x
/// document, each as a two-variant [`TranslationUnit`] in the file's
/// languages.
///
/// A segment is finished when its target has text and its state says so:
/// 1.2 `translated`, `signed-off` or `final` (or no state, or the unit is
/// `approved="yes"`); 2.x `translated`, `reviewed` or `final` (or no state).
/// Units marked `translate="no"` are left out. The unit keeps, as props:
/// `x-note` (each note), `x-context-TYPE` (1.2 `<context>`s, by
/// `context-type`), `x-xliff-file` (the file's `original`), and `prev`/`next`
/// (the neighbouring source segments, so that a later lookup can give 101
/// matches). `tuid` is the unit id (`id:segment` when a unit has several
/// segments).
///
/// Memory is bounded by the largest unit. The first malformed construct
/// ends the iteration with an [`Error::Parse`] naming line and column.
///
/// ```
/// let doc = r#"<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0"
///   srcLang="en" trgLang="az"><file id="f"><unit id="u1">
///   <segment state="translated"><source>Shusha</source><target>Şuşa</target></segment>
///   <segment><source>Baku</source></segment>
/// </unit></file></xliff>"#;
/// let units: Vec<_> = korpu::formats::xliff::XliffUnits::new(doc.as_bytes())?
///     .collect::<Result<_, _>>()?;
/// assert_eq!(units.len(), 1);
/// assert_eq!(units[0].variants[1].segment.plain_text(), "Şuşa");
/// assert_eq!(units[0].prop("next"), Some("Baku"));
/// # Ok::<(), korpu::Error>(())
/// ```
pub struct XliffUnits<R: Read> {
    engine: Engine<BufReader<R>>,
    /// (unit if finished, its source text), waiting for the next segment.
    queue: VecDeque<(Option<TranslationUnit>, String)>,
    prev: Option<String>,
    done: bool,
    path: Option<PathBuf>,
}

impl XliffUnits<File> {
    /// Opens the file at `path`; errors name it.
    pub fn from_path(path: impl AsRef<Path>) -> Result<XliffUnits<File>> {
        let path = path.as_ref();
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        let mut units = XliffUnits::new(file).map_err(|e| e.in_file(path))?;
        units.path = Some(path.to_path_buf());
        Ok(units)
    }
}

impl<R: Read> XliffUnits<R> {
    /// Reads XLIFF from `input` (UTF-8, UTF-16 or a declared encoding).
    pub fn new(input: R) -> Result<XliffUnits<R>> {
        Ok(XliffUnits {
            engine: Engine::new(BufReader::with_capacity(64 * 1024, input))?,
            queue: VecDeque::new(),
            prev: None,
            done: false,
            path: None,
        })
    }

    fn push_unit(&mut self, unit: &UnitBuf) -> Result<()> {
        let v = view(unit);
        let approved = unit.attr("approved") == Some("yes");
        let parse = |tag: Option<&str>, what: &str| -> Result<Option<Lang>> {
            tag.map(|t| {
                t.parse::<Lang>()
                    .map_err(|e| Error::parse_with(unit.location.clone(), format!("{what} {t:?}: {e}"), e))
            })
            .transpose()
        };
        let src = parse(unit.src_lang.as_deref(), "source language")?;
        let trg = parse(unit.trg_lang.as_deref(), "target language")?;
        let mut props = Vec::new();
        let prop = |t: String, v: &str| Prop {
            prop_type: t,
            value: v.to_string(),
            lang: None,
            o_encoding: None,
        };
        if let Some(f) = &unit.file_original {
            props.push(prop("x-xliff-file".into(), f));
        }
        for n in &v.notes {
            props.push(prop("x-note".into(), n));
        }
        for (t, c) in &v.contexts {
            props.push(prop(format!("x-context-{t}"), c));
        }
        let id = unit.attr("id");
        let several = v.segs.len() > 1;
        for (k, seg) in v.segs.iter().enumerate() {
            let text = seg.source.segment.plain_text();
            let tu = match (&src, &trg, &seg.target) {
                (Some(src), Some(trg), Some(target))
                    if unit.translate && seg.finished(unit.version, approved) =>
                {
                    let tuid = match (id, several) {
                        (Some(id), false) => Some(id.to_string()),
                        (Some(id), true) => Some(format!(
                            "{id}:{}",
                            seg.id.clone().unwrap_or_else(|| (k + 1).to_string())
                        )),
                        (None, _) => None,
                    };
                    let mut source = Variant::new(src.clone(), "");
                    source.segment = seg.source.segment.clone();
                    let mut target_v = Variant::new(trg.clone(), "");
                    target_v.segment = target.segment.clone();
                    Some(TranslationUnit {
                        tuid,
                        srclang: unit.src_lang.clone(),
                        props: props.clone(),
                        variants: vec![source, target_v],
                        ..Default::default()
                    })
                }
                _ => None,
            };
            self.queue.push_back((tu, text));
        }
        Ok(())
    }

    fn fail(&mut self, e: Error) -> Option<Result<TranslationUnit>> {
        self.done = true;
        self.queue.clear();
        Some(Err(match &self.path {
            Some(p) => e.in_file(p),
            None => e,
        }))
    }
}

impl<R: Read> Iterator for XliffUnits<R> {
    type Item = Result<TranslationUnit>;

    fn next(&mut self) -> Option<Result<TranslationUnit>> {
        loop {
            if self.queue.len() >= 2 || (self.done && !self.queue.is_empty()) {
                let (tu, text) = self.queue.pop_front()?;
                let next = self.queue.front().map(|(_, t)| t.clone());
                let prev = self.prev.replace(text);
                if let Some(mut tu) = tu {
                    for (kind, value) in [("prev", prev), ("next", next)] {
                        if let Some(value) = value {
                            tu.props.push(Prop {
                                prop_type: kind.into(),
                                value,
                                lang: None,
                                o_encoding: None,
                            });
                        }
                    }
                    return Some(Ok(tu));
                }
                continue;
            }
            if self.done {
                return None;
            }
            match self.engine.next_item() {
                Err(e) => return self.fail(e),
                Ok(Item::Bytes(_)) => {}
                Ok(Item::Unit(u)) => {
                    if let Err(e) = self.push_unit(&u) {
                        return self.fail(e);
                    }
                }
                Ok(Item::End) => self.done = true,
            }
        }
    }
}
