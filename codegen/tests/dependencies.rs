//! The dependencies of generated code come from one place. A client on the runtime crate needs
//! `postman-codegen-runtime` with the features of its signing schemes; a client that carries its
//! runtime needs `CLIENT_DEPENDENCIES` and the crates of those schemes, which are the runtime
//! crate's own dependencies. The root crate, which includes the clients of `collections/`,
//! declares exactly what they need.

use std::collections::{BTreeMap, BTreeSet};

use postman_codegen::{generate, Output};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

/// The lines of `section` (`[dependencies]`) in the manifest at `path`, comments left out.
fn section(path: &str, section: &str) -> Vec<String> {
    let manifest = std::fs::read_to_string(path).expect("the manifest");
    manifest
        .lines()
        .skip_while(|line| line.trim() != section)
        .skip(1)
        .take_while(|line| !line.starts_with('['))
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_root_crate_declares_exactly_what_its_clients_need() {
    let declared = section(&format!("{ROOT}/Cargo.toml"), "[dependencies]");
    let mut modules = BTreeSet::new();
    for entry in std::fs::read_dir(format!("{ROOT}/collections")).expect("collections/") {
        let path = entry.expect("an entry").path();
        let source = std::fs::read_to_string(&path).expect("readable");
        modules.extend(postman_codegen::auth_modules(&source, "c").expect("generates"));
    }
    let needed = postman_codegen::runtime_dependency(
        &modules,
        &postman_codegen::RuntimeSource::Path("runtime".into()),
    );
    assert_eq!(
        declared,
        vec![needed],
        "root [dependencies] drifted from what the clients need"
    );
}

#[test]
fn a_carried_runtime_needs_what_the_runtime_crate_depends_on() {
    let crate_lines = section(&format!("{ROOT}/runtime/Cargo.toml"), "[dependencies]");
    let without_optional = |line: &str| line.replace(", optional = true }", " }");
    let normalized = |line: &str| {
        // `name = "1"` and `name = { version = "1" }` say the same.
        let (name, spec) = line.split_once(" = ").expect("name = spec");
        let spec = match spec
            .strip_prefix("{ version = ")
            .and_then(|s| s.strip_suffix(" }"))
        {
            Some(version) => version.to_owned(),
            None => spec.to_owned(),
        };
        (name.to_owned(), spec)
    };
    // The mock's and the JavaScript engine's crates: a carried runtime has neither.
    let mock_only = ["url", "wiremock", "boa_engine"];
    let runtime: BTreeMap<String, String> = crate_lines
        .iter()
        .map(|line| normalized(&without_optional(line)))
        .filter(|(name, _)| !mock_only.contains(&name.as_str()))
        .collect();
    let carried: BTreeMap<String, String> = postman_codegen::client_dependencies(
        postman_codegen::emit::runtime::ALL_AUTH_MODULES
            .iter()
            .copied(),
    )
    .lines()
    .map(normalized)
    .collect();
    assert_eq!(runtime, carried);
}

#[test]
fn signing_crates_come_only_with_a_collection_that_signs() {
    let plain = r#"{"info": {"name": "p", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "item": [{"name": "a", "request": {"method": "GET", "url": "https://x.test/a"}}]}"#;
    let carried = Output::CrateRoot {
        runtime_crate: None,
    };
    let generated = generate(plain, "p", &carried).expect("generates");
    assert_eq!(generated.dependencies, postman_codegen::CLIENT_DEPENDENCIES);
    assert!(!generated.code.contains("pub mod oauth1"));
    let signed = plain.replace(
        r#""item""#,
        r#""auth": {"type": "oauth1", "oauth1": {"consumerKey": "{{key}}"}}, "item""#,
    );
    let generated = generate(&signed, "s", &carried).expect("generates");
    assert!(generated.dependencies.contains("hmac = "));
    assert!(generated.code.contains("pub mod oauth1"));

    let on_crate = Output::CrateRoot {
        runtime_crate: Some("::postman_codegen_runtime".into()),
    };
    let generated = generate(plain, "p", &on_crate).expect("generates");
    assert!(generated
        .dependencies
        .starts_with("postman-codegen-runtime = { "));
    assert!(!generated.dependencies.contains("features"));
    assert!(!generated.code.contains("pub mod runtime"));
    let generated = generate(&signed, "s", &on_crate).expect("generates");
    assert!(generated
        .dependencies
        .ends_with(r#"features = ["oauth1"] }"#));
    assert!(generated.code.contains("runtime::features::OAUTH1"));
}
