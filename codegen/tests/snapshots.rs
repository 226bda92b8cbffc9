//! Snapshots of the code generated for each collection in `collections/`, against the runtime
//! crate, and of the runtime crate's public API: a changed collection, generator or runtime
//! shows up as a reviewable diff.

use std::path::PathBuf;

use postman_codegen::{generate, module_name_for, Output};

fn collections() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../collections");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("collections/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 2, "the project's collections are there");
    files
}

/// The warnings our collections exist to show: (module, item path, part of the message).
const EXPECTED_WARNINGS: &[(&str, &str, &str)] = &[
    (
        "body_modes",
        "Create booking from a template",
        "read leniently as a template: comments removed; trailing commas removed; note optional as \
         its comment says; unquoted {{total}} typed as any JSON value",
    ),
    (
        "postman_behaviour",
        "Pay with unquoted variables",
        "unquoted {{amount}}, {{currency}} typed as any JSON value",
    ),
    (
        "scripts",
        "List orders",
        "test script not translated (line 5: `data.orders.forEach(...)`;",
    ),
    (
        "scripts",
        "Sign",
        "prerequest script not translated (line 6:",
    ),
    (
        "scripts",
        "Get profile",
        "prerequest script not translated (line 3: `pm.sendRequest` (a request of its own))",
    ),
    (
        "scripts",
        "Get profile",
        "test script not translated (line 3: `pm.sendRequest` (a request of its own))",
    ),
    (
        "scripts",
        "Place order",
        "prerequest script not translated (line 4: a loop;",
    ),
];

#[test]
fn generated_code_matches_snapshots() {
    for file in collections() {
        let name = module_name_for(&file);
        let source = std::fs::read_to_string(&file).expect("readable");
        let label = format!(
            "collections/{}",
            file.file_name().unwrap().to_string_lossy()
        );
        let output = Output::RuntimeCrate {
            name: name.clone(),
            runtime: "::postman_codegen_runtime".to_owned(),
        };
        let generated = generate(&source, &label, &output).expect("generates");
        let warnings: Vec<(String, &str)> = generated
            .diagnostics
            .iter()
            .map(|d| (d.item_path.join(" / "), d.message.as_str()))
            .collect();
        let expected: Vec<_> = EXPECTED_WARNINGS.iter().filter(|w| w.0 == name).collect();
        assert_eq!(
            warnings.len(),
            expected.len(),
            "{name}: only the intended warnings: {warnings:?}"
        );
        for ((item, message), (_, expected_item, expected_message)) in warnings.iter().zip(expected)
        {
            assert_eq!(item, expected_item);
            assert!(message.contains(expected_message), "{message}");
        }
        assert_eq!(generated.operations, generated.requests);
        let again = generate(&source, &label, &output).expect("generates");
        assert_eq!(generated.code, again.code, "generation is deterministic");
        insta::assert_snapshot!(name, generated.code);
    }
}

/// The runtime crate's public items, one declaration a line under its file's name: what users
/// and generated code can name (items of `pub(super)` and private ones left out).
#[test]
fn runtime_public_api_matches_snapshot() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../runtime/src");
    let mut files = Vec::new();
    let mut dirs = vec![dir.clone()];
    while let Some(next) = dirs.pop() {
        for entry in std::fs::read_dir(&next).expect("runtime/src exists") {
            let path = entry.expect("readable entry").path();
            match path.is_dir() {
                true => dirs.push(path),
                false => files.push(path),
            }
        }
    }
    files.sort();
    let mut api = String::new();
    for file in files {
        let source = std::fs::read_to_string(&file).expect("readable");
        let source = source
            .split("\n#[cfg(test)]\nmod tests")
            .next()
            .unwrap_or_default();
        let name = file.strip_prefix(&dir).expect("below runtime/src");
        api.push_str(&format!("{}\n", name.display()));
        for line in source.lines() {
            let item = line.trim_start();
            if item.starts_with("pub ") {
                let depth = (line.len() - item.len()) / 4;
                let declaration = item.trim_end_matches(['{', ' ']);
                api.push_str(&format!("{}{declaration}\n", "    ".repeat(depth + 1)));
            }
        }
    }
    insta::assert_snapshot!("runtime_public_api", api);
}
