//! Every collection of the shared corpus generates, every request becomes an operation, and
//! generating twice gives byte-identical output. Only the deliberately truncated file fails,
//! with a located error. No description becomes a doctest: every code block in the generated
//! docs is one rustdoc leaves alone.

mod support;

use std::path::{Path, PathBuf};

use postman_codegen::{generate, module_name_for, Error, Output};
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};

fn corpus_files(root: &Path) -> Vec<PathBuf> {
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

/// The doc blocks of generated code: runs of `///` or `//!` lines, joined.
fn doc_blocks(code: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in code.lines() {
        let text = line.trim_start();
        let doc = text
            .strip_prefix("///")
            .or_else(|| text.strip_prefix("//!"));
        match (doc, current.as_mut()) {
            (Some(doc), Some(block)) => {
                block.push('\n');
                block.push_str(doc.strip_prefix(' ').unwrap_or(doc));
            }
            (Some(doc), None) => current = Some(doc.strip_prefix(' ').unwrap_or(doc).to_owned()),
            (None, _) => blocks.extend(current.take()),
        }
    }
    blocks.extend(current);
    blocks
}

/// Code blocks of a doc block: (info string, whether rustdoc would compile it).
fn code_blocks(doc: &str) -> Vec<(String, bool)> {
    Parser::new(doc)
        .filter_map(|event| match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => Some((String::new(), true)),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let tested = info.trim().is_empty() || info.split([',', ' ']).any(|t| t == "rust");
                Some((info.to_string(), tested))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn every_corpus_collection_generates_deterministically() {
    let Some(root) = support::corpus_root() else {
        return;
    };
    let files = corpus_files(&root);
    assert!(files.len() > 100, "corpus found: {}", files.len());
    let (mut requests, mut operations, mut failed) = (0, 0, Vec::new());
    let mut text_blocks = 0;
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
                for doc in doc_blocks(&generated.code) {
                    for (info, tested) in code_blocks(&doc) {
                        assert!(
                            !tested,
                            "{label}: a ```{info} block would be a doctest:\n{doc}"
                        );
                        text_blocks += usize::from(info == "text");
                    }
                }
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
    assert!(
        text_blocks > 100,
        "untagged code blocks retagged `text`: {text_blocks}"
    );
}
