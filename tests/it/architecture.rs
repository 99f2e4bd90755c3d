//! The structure of imports has no circle: reading `src/`, each top-level module and each
//! feature is a unit, every `crate::…` path is an edge, and the graph must be acyclic. Only the
//! assembly (`server`, `app`, `seed`, `cli`) may name several features; no feature names the
//! assembly.
//!
//! Each table has one owner, the feature whose migration creates it, and only its owner writes it:
//! an `INSERT INTO`, `UPDATE` or `DELETE FROM` of another unit's table anywhere else in `src/`
//! fails, unless the allow-list below says why it must stay. Others change those rows through the
//! owner's functions (`accounts::db::add_manager_in`, `directory::db::save_entry`, …).

use crate::common::project_root;
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
    let src = project_root().join("src");
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

/// The owner of each migration's tables. A new migration must be named here: the test fails
/// until it is.
const MIGRATION_OWNERS: &[(&str, &str)] = &[
    ("0001_reference", "features::reference"),
    ("0002_directory", "features::directory"),
    ("0003_directory_facets", "features::directory"),
    ("0004_accounts", "features::accounts"),
    ("0005_manager_requests", "features::stewardship"),
    ("0006_events", "features::events"),
    ("0007_clubs", "features::clubs"),
    ("0008_news", "features::news"),
    // The directory index's change log: triggers on the directory's tables fill it, the
    // directory's index reads and prunes it.
    ("0009_search_changes", "features::directory"),
    ("0010_label", "features::label"),
    ("0011_purchasing", "features::purchasing"),
    // Every single-use link: written by `src/tokens.rs` only.
    ("0012_tokens", "tokens"),
    ("0013_directory_revisions", "features::directory"),
    ("0014_moderation", "features::moderation"),
    ("0015_imports", "features::moderation"),
    ("0016_buyer_confirmation", "features::purchasing"),
    ("0017_job_runs", "jobs"),
    ("0018_account_activity", "features::accounts"),
    ("0019_contact_opt_outs", "features::contact"),
    ("0020_newsletter", "features::newsletter"),
    ("0021_rate_counters", "rate_limit"),
    ("0022_open_data_snapshots", "features::opendata"),
    ("0023_shared_means", "features::sharing"),
    ("0024_support", "features::support"),
    ("0025_calls", "features::calls"),
];

/// Writes into another feature's table that stay, each with the reason.
const ALLOWED_FOREIGN_WRITES: &[(&str, &str, &str)] = &[
    (
        "features::accounts",
        "clubs",
        // Disabling or deleting an account first locks the clubs the person administers (an
        // UPDATE that changes nothing), so a club admin leaving at the same moment waits and a
        // club never loses its last admin. Asking clubs to do it would make an import circle:
        // clubs names accounts (CurrentUser).
        "locks the clubs an account administers",
    ),
    (
        "features::clubs",
        "events",
        // The demo data links the seeded meetings to their club; events names clubs (a
        // meeting's audience), so clubs cannot call events without a circle.
        "demo: links seeded meetings to their club",
    ),
];

/// Every table, by the unit that owns it (read from the SQLite migrations).
fn table_owners() -> BTreeMap<String, String> {
    let dir = project_root().join("migrations/sqlite");
    let mut owners = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let path = entry.path();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let owner = MIGRATION_OWNERS
            .iter()
            .find(|(migration, _)| *migration == stem)
            .unwrap_or_else(|| panic!("migration {stem}: add its owner to MIGRATION_OWNERS"))
            .1;
        let sql = std::fs::read_to_string(&path).unwrap();
        for table in words_after(&sql, &["CREATE TABLE IF NOT EXISTS", "CREATE TABLE"]) {
            owners.insert(table.1, owner.to_owned());
        }
    }
    owners
}

/// `(line, table)` for each word that follows one of `keywords` (the first that matches at a
/// place), in upper case as the project writes SQL.
fn words_after(source: &str, keywords: &[&str]) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (number, line) in source.lines().enumerate() {
        let mut rest = line;
        'line: while !rest.is_empty() {
            for keyword in keywords {
                if let Some(after) = rest.strip_prefix(keyword)
                    && after.starts_with(char::is_whitespace)
                {
                    let word: String = after
                        .trim_start()
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    found.push((number + 1, word));
                    rest = after;
                    continue 'line;
                }
            }
            let mut chars = rest.chars();
            chars.next();
            rest = chars.as_str();
        }
    }
    found
}

/// The tables a source writes: `(line, table)`. `DO UPDATE SET` and `FOR UPDATE` are not writes
/// of a table named `SET`; they name no table and are left out.
fn written_tables(source: &str) -> Vec<(usize, String)> {
    words_after(source, &["INSERT INTO", "DELETE FROM", "UPDATE"])
        .into_iter()
        .filter(|(_, table)| {
            !table.is_empty() && table != "SET" && table.chars().any(|c| c.is_ascii_lowercase())
        })
        .collect()
}

/// `unit wrote table (owner …) at file:line` for each write outside the table's owner.
fn foreign_writes() -> Vec<String> {
    let owners = table_owners();
    let src = project_root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut found = Vec::new();
    for file in files {
        let relative = file.strip_prefix(&src).unwrap();
        let Some(unit) = unit_of(relative) else {
            continue;
        };
        let source = std::fs::read_to_string(&file).unwrap();
        for (line, table) in written_tables(&source) {
            let Some(owner) = owners.get(&table) else {
                continue;
            };
            let allowed = ALLOWED_FOREIGN_WRITES
                .iter()
                .any(|(writer, allowed, _)| *writer == unit && *allowed == table);
            if *owner != unit && !allowed {
                found.push(format!(
                    "{unit} writes {table} (owned by {owner}) at src/{}:{line}",
                    relative.display()
                ));
            }
        }
    }
    found
}

#[test]
fn only_the_owner_writes_its_tables() {
    let owners = table_owners();
    assert_eq!(
        owners.get("registrations").map(String::as_str),
        Some("features::events")
    );
    assert_eq!(
        owners.get("structure_managers").map(String::as_str),
        Some("features::accounts")
    );
    let found = foreign_writes();
    assert!(
        found.is_empty(),
        "write another feature's rows through its owner's functions (or add a reasoned entry to \
         ALLOWED_FOREIGN_WRITES):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_write_finder_finds_writes() {
    let source = r#"
        sqlx::query("INSERT INTO users (email) VALUES ($1) ON CONFLICT (email) DO UPDATE SET name = $2")
        sqlx::query("UPDATE clubs SET updated_at = $1 WHERE id = $2")
        let rows = "SELECT id FROM events FOR UPDATE";
        "DELETE FROM  registrations WHERE id = $1"
        // the first statement updates the event's row
    "#;
    assert_eq!(
        written_tables(source),
        [(2, "users"), (3, "clubs"), (5, "registrations")]
            .map(|(line, table)| (line, table.to_owned()))
    );
}

/// `make test` reuses a build made in another clone of the same sources, so a path fixed at
/// compile time may name a clone that is gone (CI once failed so: the SIRENE sample was read from
/// a deleted worktree). Files are found from `common::project_root`, read when the test runs.
#[test]
fn no_path_is_fixed_at_compile_time() {
    let root = project_root();
    let needle = concat!("env!(\"CARGO_", "MANIFEST_DIR\")");
    let mut files = Vec::new();
    for dir in ["src", "tests", "benches"] {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 50, "{} Rust files found", files.len());
    let mut found = Vec::new();
    for file in files {
        let relative = file.strip_prefix(&root).unwrap();
        let source = std::fs::read_to_string(&file).unwrap();
        let uses = source.matches(needle).count();
        // The one fallback, for a test binary started by hand without cargo.
        let allowed = usize::from(relative == Path::new("tests/it/common.rs"));
        if uses > allowed {
            found.push(format!("{} ({uses})", relative.display()));
        }
    }
    assert!(found.is_empty(), "compile-time project paths in: {found:?}");
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
