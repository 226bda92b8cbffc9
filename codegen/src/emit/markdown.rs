//! Vendor Markdown made safe for doc comments: rustdoc compiles every code block it takes for
//! Rust (untagged fences, indented blocks, `rust` fences) as a doctest of the user's crate, and
//! a collection's `curl` or HTTP snippets would fail there. Such blocks become ```` ```text ````.

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};

/// `markdown` with every block rustdoc would test turned into a `text` block.
pub fn untested_code_blocks(markdown: &str) -> String {
    // Without a fence or an indented line there is no code block: most docs are one line.
    let indented = |line: &str| line.starts_with("    ") || line.starts_with('\t');
    if !markdown.contains("```") && !markdown.contains("~~~") && !markdown.lines().any(indented) {
        return markdown.to_owned();
    }
    let mut out = String::with_capacity(markdown.len());
    let mut copied = 0;
    for (event, range) in Parser::new(markdown).into_offset_iter() {
        let Event::Start(Tag::CodeBlock(kind)) = event else {
            continue;
        };
        if range.start < copied {
            continue;
        }
        let (start, rewritten) = match kind {
            CodeBlockKind::Fenced(info) if is_rust(&info) => {
                (range.start, retag_fence(&markdown[range.clone()]))
            }
            CodeBlockKind::Fenced(_) => continue,
            CodeBlockKind::Indented => {
                // The range leaves out the first line's indentation; take whole lines.
                let line_start = markdown[..range.start].rfind('\n').map_or(0, |i| i + 1);
                let start = line_start.max(copied);
                (start, fence_indented(&markdown[start..range.end]))
            }
        };
        out.push_str(&markdown[copied..start]);
        out.push_str(&rewritten);
        copied = range.end;
    }
    out.push_str(&markdown[copied..]);
    out
}

/// Whether rustdoc takes a fence with this info string for Rust: no tag, `rust`, or only
/// rustdoc's own attributes (`ignore`, `no_run`, `edition2021`, ...).
fn is_rust(info: &str) -> bool {
    const ATTRIBUTES: &[&str] = &[
        "rust",
        "ignore",
        "no_run",
        "should_panic",
        "compile_fail",
        "test_harness",
        "standalone_crate",
    ];
    let tokens: Vec<&str> = info
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .collect();
    tokens.is_empty()
        || tokens
            .iter()
            .any(|t| ATTRIBUTES.contains(t) || t.starts_with("edition") || t.starts_with("ignore-"))
}

/// A fenced block with its info string replaced by `text`.
fn retag_fence(block: &str) -> String {
    let (first, rest) = block.split_once('\n').unwrap_or((block, ""));
    let fence_end = first
        .char_indices()
        .find(|&(_, c)| c != '`' && c != '~' && c != ' ')
        .map_or(first.len(), |(i, _)| i);
    let fence = first[..fence_end].trim_end();
    if rest.is_empty() {
        return format!("{fence}text");
    }
    format!("{fence}text\n{rest}")
}

/// An indented block (whole lines) as a fenced `text` block: lines lose their common
/// indentation, and the fences keep all of it but the four spaces that made the block.
fn fence_indented(lines: &str) -> String {
    let indent = lines
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    let base = " ".repeat(indent.saturating_sub(4));
    let mut out = format!("{base}```text\n");
    for line in lines.lines() {
        out.push_str(&base);
        out.push_str(line.get(indent..).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&base);
    out.push_str("```\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_rustdoc_would_test_become_text() {
        let markdown = "Intro.\n\n```\nGET /users\n```\n\n    curl https://x.test -H 'a: b'\n    second line\n\nAfter.\n\n```rust,ignore\nlet a = 1;\n```\n\n~~~ json\n{\"a\": 1}\n~~~\n";
        let expected = "Intro.\n\n```text\nGET /users\n```\n\n```text\ncurl https://x.test -H 'a: b'\nsecond line\n```\n\nAfter.\n\n```text\nlet a = 1;\n```\n\n~~~ json\n{\"a\": 1}\n~~~\n";
        assert_eq!(untested_code_blocks(markdown), expected);
    }

    #[test]
    fn text_without_code_blocks_is_unchanged() {
        let markdown = "A *list*:\n\n- one\n- two `inline`\n";
        assert_eq!(untested_code_blocks(markdown), markdown);
    }
}
