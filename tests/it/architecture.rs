//! The structure of imports has no circle: reading `src/`, each top-level module and each
//! feature is a unit, every `crate::…` path is an edge, and the graph must be acyclic. Only the
//! assembly (`server`, `app`, `seed`, `cli`) may name several features; no feature names the
//! assembly.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The unit a file belongs to: `features::accounts`, `web`, `app`, … (`None` for the crate root).
fn unit_of(relative: &Path) -> Option<String> {
    let parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned())
        .collect();
    match parts.as_slice() {
        [root] if root == "lib" || root == "main" => None,
        [features, name, ..] if features == "features" => Some(format!("features::{name}")),
        [features] if features == "features" => None,
        [first, ..] => Some(first.clone()),
        [] => None,
    }
}

/// The units named by `crate::…` paths in `source` (comments left out).
fn references(source: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in source.lines() {
        let code = line.split("//").next().unwrap_or_default();
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let path: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let mut segments = path.split("::").filter(|s| !s.is_empty());
            match segments.next() {
                Some("features") => {
                    if let Some(name) = segments.next() {
                        found.insert(format!("features::{name}"));
                    }
                }
                Some(first) => {
                    found.insert(first.to_owned());
                }
                None => {}
            }
        }
    }
    found
}

fn import_graph() -> BTreeMap<String, BTreeSet<String>> {
    // The clone being tested, read when the test runs (cargo and nextest set it): a build reused
    // from another clone of the same commit still names the clone it was compiled in.
    let root = std::env::var("CARGO_MANIFEST_DIR")
        .unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_owned());
    let src = Path::new(&root).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let Some(unit) = unit_of(file.strip_prefix(&src).unwrap()) else {
            continue;
        };
        let source = std::fs::read_to_string(&file).unwrap();
        let edges = graph.entry(unit.clone()).or_default();
        for target in references(&source) {
            if target != unit {
                edges.insert(target);
            }
        }
    }
    graph
}

/// A cycle of the graph, if there is one.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut cycle = path[start..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        if let Some(cycle) = visit(node, graph, &mut Vec::new(), &mut done) {
            return Some(cycle);
        }
    }
    None
}

#[test]
fn the_imports_have_no_circle() {
    let graph = import_graph();
    assert!(graph.contains_key("features::accounts") && graph.contains_key("web"));
    if let Some(cycle) = find_cycle(&graph) {
        panic!("import circle: {}", cycle.join(" -> "));
    }
}

#[test]
fn features_never_name_the_assembly() {
    let assembly = ["server", "app", "seed", "cli"];
    for (unit, targets) in import_graph() {
        if unit.starts_with("features::") || ["web", "ui", "state", "db"].contains(&unit.as_str()) {
            for target in &assembly {
                assert!(!targets.contains(*target), "{unit} imports {target}");
            }
        }
    }
}

#[test]
fn the_cycle_finder_finds_cycles() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    graph.entry("a".into()).or_default().insert("b".into());
    graph.entry("b".into()).or_default().insert("c".into());
    assert_eq!(find_cycle(&graph), None);
    graph.entry("c".into()).or_default().insert("a".into());
    assert_eq!(
        find_cycle(&graph).unwrap(),
        ["a", "b", "c", "a"].map(String::from)
    );
    assert_eq!(
        references(
            "use crate::features::accounts::db; // crate::server\nlet x = crate::web::forms::Routes::new();"
        ),
        ["features::accounts", "web"].map(String::from).into()
    );
}

/// `cargo test --test architecture -- --ignored --nocapture` prints the graph (for the docs).
#[test]
#[ignore]
fn print_the_import_graph() {
    for (unit, targets) in import_graph() {
        let list: Vec<&str> = targets.iter().map(String::as_str).collect();
        println!("{unit} -> {}", list.join(", "));
    }
}
