//! The architecture as a test: reads `src/` and fails when a module imports
//! one of a higher layer (or a same-layer neighbour it must not know), or
//! when two sibling modules of one folder import each other, directly or
//! through others (a circle). ARCHITECTURE.md draws the same layers.
//!
//! Paths are read from the source text: `crate::…` and `super::…` paths in
//! `use` declarations (braces expanded) and in expressions. Comments and
//! `#[cfg(test)] mod …` blocks are left out: tests may reach anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each top-level module of the library and the modules it may use.
const ALLOWED: &[(&str, &[&str])] = &[
    ("error", &[]),
    ("varint", &[]),
    ("lang", &["error"]),
    ("text", &["error", "lang"]),
    ("segment", &["error", "lang", "text"]),
    ("model", &["error", "lang", "text"]),
    (
        "formats",
        &["error", "lang", "varint", "text", "segment", "model"],
    ),
    (
        "glossary",
        &["error", "lang", "varint", "text", "segment", "model"],
    ),
    ("tm", &["error", "lang", "varint", "text", "segment", "model"]),
    (
        "present",
        &[
            "error", "lang", "text", "segment", "model", "formats", "glossary", "tm",
        ],
    ),
    (
        "server",
        &[
            "error", "lang", "text", "segment", "model", "formats", "glossary", "tm", "present",
        ],
    ),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`, with its module path (`["tm", "lookup"]`).
fn modules(dir: &Path, path: &[String], out: &mut Vec<(PathBuf, Vec<String>)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        let name = p.file_stem().unwrap().to_string_lossy().into_owned();
        if p.is_dir() {
            let mut sub = path.to_vec();
            sub.push(name);
            modules(&p, &sub, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            let mut m = path.to_vec();
            if name != "mod" && name != "lib" {
                m.push(name);
            }
            out.push((p, m));
        }
    }
}

/// The source without comments and without `#[cfg(test)] mod` blocks.
fn code(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let t = line.trim_start();
        if t.starts_with("#[cfg(test)]") && lines.peek().is_some_and(|n| n.trim_start().starts_with("mod ")) {
            let open = lines.next().unwrap_or_default();
            if open.trim_end().ends_with(';') {
                continue;
            }
            // Skip to the brace that closes the test module.
            let mut depth = open.matches('{').count() as i64 - open.matches('}').count() as i64;
            while depth > 0 {
                let Some(l) = lines.next() else { break };
                depth += l.matches('{').count() as i64 - l.matches('}').count() as i64;
            }
            continue;
        }
        let without_comment = match t.find("//") {
            Some(0) => "",
            _ => line,
        };
        out.push_str(without_comment);
        out.push('\n');
    }
    out
}

/// Expands a `use` tree (`super::{a::B, c}`) into its paths.
fn expand(prefix: &str, tree: &str, out: &mut Vec<String>) {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        out.push(format!("{prefix}{tree}"));
        return;
    };
    let head = format!("{prefix}{}", &tree[..open]);
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                expand(&head, &inner[start..i], out);
                start = i + 1;
            }
            _ => {}
        }
    }
    if !inner[start..].trim().is_empty() {
        expand(&head, &inner[start..], out);
    }
}

/// The `crate::` and `super::` paths a file names.
fn paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    // `use` declarations, braces expanded.
    for (i, _) in code.match_indices("use ") {
        let before = code[..i].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &code[i + 4..];
        let Some(end) = rest.find(';') else { continue };
        let tree: String = rest[..end].split_whitespace().collect();
        if tree.starts_with("crate::") || tree.starts_with("super::") {
            expand("", &tree, &mut out);
        }
    }
    // Paths in expressions and types: `crate::a::b` and `super::x`.
    for start in ["crate::", "super::"] {
        for (i, _) in code.match_indices(start) {
            let before = code[..i].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let len = code[i..]
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(code.len() - i);
            out.push(code[i..i + len].trim_end_matches(':').to_string());
        }
    }
    out
}

/// `path` as named in the file of module `module`, from the crate root.
fn absolute(module: &[String], path: &str) -> Vec<String> {
    let mut segs: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    let mut base: Vec<String> = Vec::new();
    if segs.first() == Some(&"crate") {
        segs.remove(0);
    } else {
        // `super` in `a/b.rs` and in `a/b/mod.rs` is `a`.
        base = module.to_vec();
        while segs.first() == Some(&"super") {
            segs.remove(0);
            base.pop();
        }
    }
    base.extend(segs.iter().map(|s| s.to_string()));
    base
}

struct Graph {
    files: Vec<(PathBuf, Vec<String>, Vec<Vec<String>>)>,
}

fn graph() -> Graph {
    let mut files = Vec::new();
    modules(&src(), &[], &mut files);
    let files = files
        .into_iter()
        .filter(|(p, m)| {
            // The binary is the top: it may use anything.
            !p.starts_with(src().join("bin")) && !m.iter().any(|s| s == "tests")
        })
        .map(|(p, m)| {
            let text = std::fs::read_to_string(&p).unwrap();
            let used = paths(&code(&text)).iter().map(|u| absolute(&m, u)).collect();
            (p, m, used)
        })
        .collect();
    Graph { files }
}

#[test]
fn lower_layers_never_import_upper_ones() {
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let mut broken = BTreeSet::new();
    for (path, module, used) in &graph().files {
        let Some(top) = module.first() else { continue };
        let may = allowed
            .get(top.as_str())
            .unwrap_or_else(|| panic!("{}: module `{top}` is not in ALLOWED", path.display()));
        for u in used {
            let Some(target) = u.first() else { continue };
            if target == top || !allowed.contains_key(target.as_str()) {
                continue;
            }
            if !may.contains(&target.as_str()) {
                broken.insert(format!("{}: {top} uses {}", path.display(), u.join("::")));
            }
        }
    }
    let broken: Vec<_> = broken.into_iter().collect();
    assert!(broken.is_empty(), "layer rule broken:\n{}", broken.join("\n"));
}

#[test]
fn sibling_modules_form_no_circle() {
    // Edges between the children of one folder: tm::lookup → tm::score.
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    let g = graph();
    let known: BTreeSet<Vec<String>> = g.files.iter().map(|(_, m, _)| m.clone()).collect();
    for (_, module, used) in &g.files {
        for u in used {
            // The longest known module that is a prefix of the path.
            let target = (1..=u.len())
                .rev()
                .map(|n| u[..n].to_vec())
                .find(|p| known.contains(p));
            let Some(target) = target else { continue };
            // The two children of their deepest common folder.
            let common = module.iter().zip(&target).take_while(|(a, b)| a == b).count();
            if common >= module.len() || common >= target.len() {
                continue; // a parent and its child
            }
            let from = module[..=common].to_vec();
            let to = target[..=common].to_vec();
            edges.entry(from).or_default().insert(to);
        }
    }
    // A depth-first search for a back edge.
    fn visit(
        n: &Vec<String>,
        edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        state: &mut BTreeMap<Vec<String>, u8>,
        stack: &mut Vec<Vec<String>>,
    ) -> Option<Vec<String>> {
        state.insert(n.clone(), 1);
        stack.push(n.clone());
        for m in edges.get(n).into_iter().flatten() {
            match state.get(m) {
                Some(1) => {
                    let at = stack.iter().position(|s| s == m).unwrap_or(0);
                    let mut circle: Vec<String> = stack[at..].iter().map(|s| s.join("::")).collect();
                    circle.push(m.join("::"));
                    return Some(circle);
                }
                None => {
                    if let Some(c) = visit(m, edges, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(n.clone(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in edges.keys() {
        if !state.contains_key(n) {
            let circle = visit(n, &edges, &mut state, &mut Vec::new());
            assert!(
                circle.is_none(),
                "modules import each other: {}",
                circle.unwrap().join(" → ")
            );
        }
    }
}

#[test]
fn the_checker_sees_a_broken_rule() {
    // The parsing above must find what it is meant to find, or both tests pass vacuously.
    let c = code(
        "use crate::{tm::{Match, lookup}, text};\n// use crate::server;\nfn f() { super::super::cli::run(); }\n#[cfg(test)]\nmod tests {\n    use crate::server::X;\n}\n",
    );
    let p = paths(&c);
    assert!(p.contains(&"crate::tm::Match".to_string()), "{p:?}");
    assert!(p.contains(&"crate::text".to_string()), "{p:?}");
    assert!(!p.iter().any(|x| x.contains("server")), "{p:?}");
    let m = ["glossary".to_string(), "hit".to_string()];
    assert_eq!(absolute(&m, "super::super::cli::run"), ["cli", "run"]);
    assert_eq!(absolute(&m, "super::keys::fold"), ["glossary", "keys", "fold"]);
    // And the real tree has edges to check.
    assert!(
        graph()
            .files
            .iter()
            .any(|(_, m, u)| m.first().is_some_and(|t| t == "tm")
                && u.iter().any(|p| p.first().is_some_and(|t| t == "model")))
    );
}
