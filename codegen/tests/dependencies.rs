//! The dependencies of generated code come from one place: `CLIENT_DEPENDENCIES` and the
//! crates of the signing schemes a collection uses (`Generated::dependencies`). The root
//! crate, which includes the clients of `collections/`, declares exactly what they need
//! (`--crate` and the user-crate CI check take the lists from the generator itself).

use std::collections::BTreeSet;

use postman_codegen::{generate, Output};

#[test]
fn the_root_crate_declares_exactly_what_its_clients_need() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let manifest =
        std::fs::read_to_string(format!("{root}/Cargo.toml")).expect("the root manifest");
    let declared: BTreeSet<&str> = manifest
        .lines()
        .skip_while(|line| line.trim() != "[dependencies]")
        .skip(1)
        .take_while(|line| !line.starts_with('['))
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect();
    let mut needed: BTreeSet<String> = BTreeSet::new();
    for entry in std::fs::read_dir(format!("{root}/collections")).expect("collections/") {
        let path = entry.expect("an entry").path();
        let source = std::fs::read_to_string(&path).expect("readable");
        let generated = generate(&source, "c", &Output::Module("c".into())).expect("generates");
        needed.extend(generated.dependencies.lines().map(str::to_owned));
    }
    let needed: BTreeSet<&str> = needed.iter().map(String::as_str).collect();
    assert_eq!(
        declared, needed,
        "root [dependencies] drifted from what the clients need"
    );
    for line in postman_codegen::CLIENT_DEPENDENCIES.lines() {
        assert!(needed.contains(line), "every client needs {line}");
    }
}

#[test]
fn signing_crates_come_only_with_a_collection_that_signs() {
    let plain = r#"{"info": {"name": "p", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "item": [{"name": "a", "request": {"method": "GET", "url": "https://x.test/a"}}]}"#;
    let generated = generate(plain, "p", &Output::CrateRoot).expect("generates");
    assert_eq!(generated.dependencies, postman_codegen::CLIENT_DEPENDENCIES);
    assert!(!generated.code.contains("pub mod oauth1"));
    let signed = plain.replace(
        r#""item""#,
        r#""auth": {"type": "oauth1", "oauth1": {"consumerKey": "{{key}}"}}, "item""#,
    );
    let generated = generate(&signed, "s", &Output::CrateRoot).expect("generates");
    assert!(generated.dependencies.contains("hmac = "));
    assert!(generated.code.contains("pub mod oauth1"));
}
