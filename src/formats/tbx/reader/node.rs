//! One element of an entry with its subtree, as the entry checks read it.

use crate::error::{Error, Location, Result};
use crate::text::nfc;

/// One element of an entry, with its subtree.
#[derive(Debug)]
pub(super) struct Node {
    /// Local name.
    pub(super) name: String,
    /// In a namespace that is not TBX's: a DCT data category.
    pub(super) foreign: bool,
    /// Attributes as (qualified name, value).
    pub(super) attrs: Vec<(String, String)>,
    pub(super) children: Vec<Child>,
    pub(super) loc: Location,
}

#[derive(Debug)]
pub(super) enum Child {
    Elem(Node),
    Text(String, Location),
    /// Whitespace-only text (indentation): kept as one space without
    /// allocating, since text is whitespace-collapsed anyway.
    Space,
}

impl Node {
    pub(super) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub(super) fn elements(&self) -> impl Iterator<Item = &Node> {
        self.children.iter().filter_map(|c| match c {
            Child::Elem(n) => Some(n),
            Child::Text(..) | Child::Space => None,
        })
    }

    /// All text below this node, whitespace collapsed, NFC.
    pub(super) fn text(&self) -> String {
        let mut raw = String::new();
        self.collect_text(&mut raw);
        clean_text(&raw)
    }

    fn collect_text(&self, out: &mut String) {
        for c in &self.children {
            match c {
                Child::Text(t, _) => out.push_str(t),
                Child::Space => out.push(' '),
                Child::Elem(n) => n.collect_text(out),
            }
        }
    }

    /// Refuses non-whitespace text directly inside this node (an element of
    /// the entry's structure, whose text lives in its children).
    pub(super) fn refuse_stray_text(&self) -> Result<()> {
        match self.stray_text() {
            Some(loc) => Err(Error::parse(
                loc,
                format!("text is not allowed directly in <{}>", self.name),
            )),
            None => Ok(()),
        }
    }

    /// Where the first non-whitespace text directly inside this node starts.
    pub(super) fn stray_text(&self) -> Option<Location> {
        self.children.iter().find_map(|c| match c {
            Child::Text(t, loc) if !t.trim().is_empty() => {
                let mut at = loc.clone();
                for ch in t.chars().take_while(|c| c.is_whitespace()) {
                    if ch == '\n' {
                        at.line += 1;
                        at.column = 1;
                    } else {
                        at.column += 1;
                    }
                }
                Some(at)
            }
            _ => None,
        })
    }
}

/// Collapses runs of XML whitespace to one space, trims, and NFC-normalizes.
fn clean_text(raw: &str) -> String {
    let mut s = String::with_capacity(raw.len());
    for word in raw.split([' ', '\t', '\n', '\r']).filter(|w| !w.is_empty()) {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(word);
    }
    nfc(&s).into_owned()
}
