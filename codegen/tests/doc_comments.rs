//! Doc comments taken from collections never become doctests: every code block in the
//! generated docs of the whole corpus is one rustdoc leaves alone.

use std::path::PathBuf;

use postman_codegen::{generate, module_name_for, Output};
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};

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
fn no_corpus_description_becomes_a_doctest() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    let (mut blocks, mut text_blocks) = (0, 0);
    for dir in ["collections", "fixtures"] {
        for entry in std::fs::read_dir(root.join(dir)).expect("corpus beside the repo") {
            let path = entry.expect("entry").path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let source =
                String::from_utf8_lossy(&std::fs::read(&path).expect("readable")).into_owned();
            let output = Output::Module(module_name_for(&path));
            let Ok(generated) = generate(&source, &path.display().to_string(), &output) else {
                continue;
            };
            for doc in doc_blocks(&generated.code) {
                for (info, tested) in code_blocks(&doc) {
                    assert!(
                        !tested,
                        "{}: a ```{info} block would run as a doctest:\n{doc}",
                        path.display()
                    );
                    blocks += 1;
                    text_blocks += usize::from(info == "text");
                }
            }
        }
    }
    assert!(
        text_blocks > 0,
        "the corpus has untagged code blocks, now `text`"
    );
    eprintln!("{blocks} code blocks in generated docs, {text_blocks} of them retagged `text`");
}
