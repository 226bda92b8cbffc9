//! Snapshots of the code generated for each collection in `collections/`: a changed collection
//! or generator shows up as a reviewable diff.

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

#[test]
fn generated_code_matches_snapshots() {
    for file in collections() {
        let name = module_name_for(&file);
        let source = std::fs::read_to_string(&file).expect("readable");
        let label = format!(
            "collections/{}",
            file.file_name().unwrap().to_string_lossy()
        );
        let generated =
            generate(&source, &label, &Output::Module(name.clone())).expect("generates");
        assert!(
            generated.diagnostics.is_empty(),
            "our own collections generate without warnings: {:?}",
            generated.diagnostics
        );
        assert_eq!(generated.operations, generated.requests);
        let again = generate(&source, &label, &Output::Module(name.clone())).expect("generates");
        assert_eq!(generated.code, again.code, "generation is deterministic");
        insta::assert_snapshot!(name, generated.code);
    }
}
