//! Every collection of the shared corpus generates, every request becomes an operation, and
//! generating twice gives byte-identical output. Only the deliberately truncated file fails,
//! with a located error.

use std::path::PathBuf;

use postman_codegen::{generate, module_name_for, Error, Output};

fn corpus_files() -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    let mut files = Vec::new();
    for dir in ["collections", "fixtures"] {
        let dir = root.join(dir);
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{} must exist beside the repo: {e}", dir.display()));
        files.extend(
            entries
                .map(|e| e.expect("entry").path())
                .filter(|p| p.extension().is_some_and(|e| e == "json")),
        );
    }
    files.sort();
    files
}

#[test]
fn every_corpus_collection_generates_deterministically() {
    let files = corpus_files();
    assert!(files.len() > 100, "corpus found: {}", files.len());
    let (mut requests, mut operations, mut failed) = (0, 0, Vec::new());
    for file in &files {
        let source = std::fs::read(file).expect("readable");
        let source = String::from_utf8_lossy(&source);
        let label = file.display().to_string();
        let output = Output::Module(module_name_for(file));
        match generate(&source, &label, &output) {
            Ok(generated) => {
                assert_eq!(
                    generated.operations, generated.requests,
                    "{label}: nothing dropped"
                );
                requests += generated.requests;
                operations += generated.operations;
                let again = generate(&source, &label, &output).expect("second run");
                assert!(
                    again.code == generated.code,
                    "{label}: output differs between runs"
                );
            }
            Err(Error::Input(d)) => {
                assert!(!d.location.is_empty(), "{label}: error has a location: {d}");
                failed.push(file.file_name().unwrap().to_string_lossy().into_owned());
            }
            Err(e) => panic!("{label}: {e}"),
        }
    }
    assert_eq!(
        failed,
        vec!["wild-truncated-64k-streamdata.postman_collection.json"]
    );
    assert_eq!(operations, requests);
    assert!(requests > 5000, "requests covered: {requests}");
}
