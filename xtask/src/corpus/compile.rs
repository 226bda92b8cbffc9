//! Compiles generated modules in a workspace of scratch crates under
//! `cargo clippy -D warnings`, and attributes every diagnostic to the module it points into.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;

use postman_codegen_cli::cli_error::Error;
use postman_codegen_cli::files::{cargo_toml, write};
use postman_codegen_cli::scratch::{cargo, write_workspace_manifest};
use serde_json::Value;

/// Whether one collection's output compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compiled {
    /// Its crate passed clippy.
    Yes,
    /// A diagnostic points into it.
    No,
    /// Its crate failed because of another module, which may have hidden its own errors.
    Unknown,
}

impl Compiled {
    /// The table cell.
    pub fn label(self) -> &'static str {
        match self {
            Compiled::Yes => "yes",
            Compiled::No => "NO",
            Compiled::Unknown => "?",
        }
    }
}

/// Lines of generated code per scratch crate: keeps rustc's memory in bounds (one crate of
/// about 1M lines needed over 17 GB) and lets cargo build crates in parallel.
const LINES_PER_CRATE: usize = 150_000;

/// Edition of the scratch crates: that of a crate made today, which is where a build script
/// includes the generated code (standalone crates are generated as 2021 and CI checks one).
const EDITION: &str = "2024";

/// The dependency of the scratch crates: the workspace's runtime crate with every signing
/// scheme, the clients' default shape.
pub(super) fn runtime_crate() -> String {
    let every_scheme = postman_codegen::ir::AuthModule::ALL
        .iter()
        .copied()
        .collect();
    postman_codegen::runtime_dependency(&every_scheme, &postman_codegen::RuntimeSource::default())
}

/// Diagnostics printed in full before the rest are only counted.
const SHOWN_DIAGNOSTICS: usize = 20;

/// Writes the modules into scratch crates under `dir`, runs clippy on them and returns each
/// module's status.
pub fn compile_all(
    dir: &Path,
    modules: &[(String, String)],
) -> Result<BTreeMap<String, Compiled>, Error> {
    let crates = split(modules);
    write_workspace(dir, &crates)?;
    let io = |source| Error::Io {
        path: dir.display().to_string(),
        source,
    };
    let mut child = cargo()
        .args(["clippy", "--quiet", "--workspace", "--message-format=json"])
        .args(["--", "-D", "warnings"])
        .current_dir(dir)
        .stdout(Stdio::piped())
        .spawn()
        .map_err(io)?;
    let mut failed_modules = BTreeSet::new();
    let mut failed_crates = BTreeSet::new();
    let mut shown = 0;
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let Ok(message) = serde_json::from_str::<Value>(&line.map_err(io)?) else {
                continue;
            };
            let Some((krate, module, rendered)) = failure(&message) else {
                continue;
            };
            failed_crates.insert(krate);
            failed_modules.extend(module);
            if shown < SHOWN_DIAGNOSTICS {
                eprint!("{rendered}");
            }
            shown += 1;
        }
    }
    let status = child.wait().map_err(io)?;
    if shown > SHOWN_DIAGNOSTICS {
        eprintln!("... and {} more diagnostics", shown - SHOWN_DIAGNOSTICS);
    }
    let mut statuses = BTreeMap::new();
    for (i, part) in crates.iter().enumerate() {
        let crate_failed = failed_crates.contains(&crate_name(i)) || !status.success();
        for (module, _) in part {
            let compiled = if failed_modules.contains(module.as_str()) {
                Compiled::No
            } else if crate_failed {
                Compiled::Unknown
            } else {
                Compiled::Yes
            };
            statuses.insert(module.clone(), compiled);
        }
    }
    Ok(statuses)
}

/// For an error or warning from rustc: its crate, the module its primary span is in (the
/// file stem), and the rendered text.
fn failure(message: &Value) -> Option<(String, Option<String>, String)> {
    if message.get("reason")?.as_str()? != "compiler-message" {
        return None;
    }
    let krate = message.get("target")?.get("name")?.as_str()?.to_owned();
    let diagnostic = message.get("message")?;
    if !matches!(diagnostic.get("level")?.as_str()?, "error" | "warning") {
        return None;
    }
    let module = diagnostic
        .get("spans")?
        .as_array()?
        .iter()
        .find(|s| s.get("is_primary").and_then(Value::as_bool) == Some(true))
        .and_then(|s| s.get("file_name")?.as_str())
        .and_then(|f| Path::new(f).file_stem()?.to_str())
        .map(str::to_owned);
    let rendered = diagnostic.get("rendered")?.as_str()?.to_owned();
    Some((krate, module, rendered))
}

/// Groups modules into crates of about [`LINES_PER_CRATE`] lines.
fn split(modules: &[(String, String)]) -> Vec<Vec<&(String, String)>> {
    split_by_lines(modules, LINES_PER_CRATE, |(_, code)| code.lines().count())
}

/// Groups `items` in order into runs of at most `limit` lines each (an item longer than that
/// gets a run of its own).
pub(super) fn split_by_lines<T>(
    items: &[T],
    limit: usize,
    lines_of: impl Fn(&T) -> usize,
) -> Vec<Vec<&T>> {
    let mut groups: Vec<Vec<&T>> = vec![Vec::new()];
    let mut lines = 0;
    for item in items {
        let item_lines = lines_of(item);
        if lines + item_lines > limit && !groups[groups.len() - 1].is_empty() {
            groups.push(Vec::new());
            lines = 0;
        }
        lines += item_lines;
        if let Some(last) = groups.last_mut() {
            last.push(item);
        }
    }
    groups
}

fn crate_name(i: usize) -> String {
    format!("corpus_part{i}")
}

fn write_workspace(dir: &Path, crates: &[Vec<&(String, String)>]) -> Result<(), Error> {
    let members: Vec<String> = (0..crates.len()).map(|i| format!("part{i}")).collect();
    write_workspace_manifest(dir, &members)?;
    for (i, part) in crates.iter().enumerate() {
        let crate_dir = dir.join(format!("part{i}"));
        // The mocks compile with their clients.
        let features = format!("default = [\"mock\"]\n{}", postman_codegen::MOCK_FEATURE);
        let manifest = cargo_toml(&crate_name(i), EDITION, false, &runtime_crate(), &features);
        write(&crate_dir.join("Cargo.toml"), &manifest)?;
        let mut lib = String::new();
        for (name, code) in part {
            write(&crate_dir.join("src").join(format!("{name}.rs")), code)?;
            lib.push_str(&format!("include!(\"{name}.rs\");\n"));
        }
        write(&crate_dir.join("src").join("lib.rs"), &lib)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(level: &str, file: &str) -> Value {
        serde_json::json!({
            "reason": "compiler-message",
            "target": {"name": "corpus_part1"},
            "message": {
                "level": level,
                "rendered": "error: unused import\n",
                "spans": [
                    {"file_name": "part1/src/other.rs", "is_primary": false},
                    {"file_name": file, "is_primary": true}
                ]
            }
        })
    }

    #[test]
    fn diagnostics_are_attributed_to_the_module_of_their_primary_span() {
        let (krate, module, rendered) =
            failure(&message("error", "part1/src/zoom_api.rs")).expect("a failure");
        assert_eq!(krate, "corpus_part1");
        assert_eq!(module.as_deref(), Some("zoom_api"));
        assert_eq!(rendered, "error: unused import\n");
        assert!(failure(&message("note", "part1/src/zoom_api.rs")).is_none());
        let artifact = serde_json::json!({"reason": "compiler-artifact", "target": {"name": "x"}});
        assert!(failure(&artifact).is_none());
    }

    #[test]
    fn modules_are_split_into_crates_by_lines() {
        let big = "x\n".repeat(LINES_PER_CRATE - 10);
        let modules = vec![
            ("a".to_owned(), big.clone()),
            ("b".to_owned(), "x\n".repeat(5)),
            ("c".to_owned(), "x\n".repeat(20)),
            ("d".to_owned(), big),
        ];
        let crates = split(&modules);
        let names: Vec<Vec<&str>> = crates
            .iter()
            .map(|c| c.iter().map(|(n, _)| n.as_str()).collect())
            .collect();
        assert_eq!(names, vec![vec!["a", "b"], vec!["c"], vec!["d"]]);
    }
}
