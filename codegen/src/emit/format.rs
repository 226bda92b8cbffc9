//! Formats emitted tokens as Rust source with prettyplease.
//!
//! The tokens are cut into items at the token level: modules and impl blocks open into their
//! items, so that a blank line stands between any two items (as progenitor's
//! `space_out_items` does), and the items are formatted on every core (syn's trees do not
//! cross threads, so each worker parses its items' text). Source that is already formatted,
//! the runtime and the client template with their comments, rides through the tokens in a
//! [`verbatim`] marker and is spliced in as text, indented where it stands.

use std::fmt::Write as _;

use proc_macro2::{Delimiter, Literal, TokenStream, TokenTree};
use quote::{quote, ToTokens};

/// The name of the marker macro that carries formatted source through a token stream.
const VERBATIM: &str = "__postman_codegen_verbatim";

/// Constants and type aliases up to this long (as token text) stand together in a run.
const SHORT_ITEM: usize = 100;

/// Items below this many are formatted on the calling thread alone.
const PARALLEL_ITEMS: usize = 64;

/// Source text that goes into the output as written, indented to where it stands (an item
/// position). The text must not hold line breaks inside literals.
pub fn verbatim(text: &str) -> TokenStream {
    let marker = proc_macro2::Ident::new(VERBATIM, proc_macro2::Span::call_site());
    quote!(#marker!(#text);)
}

/// `tokens` (a file's items) as a Rust file. Fails only when the tokens are not Rust items,
/// which is a bug of the emitter.
pub fn format(tokens: TokenStream) -> Result<String, syn::Error> {
    let mut units = Vec::new();
    let tree = split(tokens, 0, &mut units);
    let formatted = format_units(units)?;
    let mut out = String::with_capacity(formatted.iter().map(String::len).sum::<usize>() * 9 / 8);
    write_nodes(&tree, &formatted, 0, &mut out);
    Ok(out)
}

/// Tokens to format alone, as text (syn's trees do not cross threads), and how deep in blocks
/// they stand.
struct Unit {
    text: String,
    depth: usize,
}

/// Items that stand together, without blank lines between them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Run {
    Imports,
    Constants,
}

impl Run {
    /// The run an item with this first word joins.
    fn of(keyword: &str) -> Option<Self> {
        match keyword {
            "use" => Some(Self::Imports),
            "const" | "type" | "static" => Some(Self::Constants),
            _ => None,
        }
    }
}

/// A piece of the output: an item formatted alone, the head of a block whose items are
/// pieces again, or formatted text.
enum Node {
    /// The formatted unit with this index.
    Unit(usize),
    /// `head {}` formatted (unit `head`), with `items` written between its braces.
    Block { head: usize, items: Vec<Node> },
    /// Text written as it is, indented, after the attributes (docs) of unit `attrs`.
    Verbatim { attrs: Option<usize>, text: String },
}

/// Cuts `tokens` (items) into nodes; the text of each unit to format goes to `units`.
fn split(tokens: TokenStream, depth: usize, units: &mut Vec<Unit>) -> Vec<Node> {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut nodes = Vec::new();
    let mut start = 0;
    let mut last_run: Option<Run> = None;
    // Inner attributes (`#![...]`) of a module lead its first unit, where syn reads them as
    // the file's.
    while start < trees.len() {
        let end = item_end(&trees, start);
        let item = &trees[start..end];
        start = end;
        let previous_run = last_run.take();
        if let Some((attrs, text)) = verbatim_text(item) {
            // Attributes alone do not parse: they go on a stand-in item, dropped when written.
            let attrs = (!attrs.is_empty()).then(|| {
                let attrs: TokenStream = attrs.iter().cloned().collect();
                units.push(Unit {
                    text: format!("{attrs} struct {VERBATIM};"),
                    depth,
                });
                units.len() - 1
            });
            nodes.push(Node::Verbatim { attrs, text });
            continue;
        }
        match opens_into_items(item) {
            Some((head, TokenTree::Group(body))) => {
                let head_tokens: TokenStream = head.iter().cloned().collect();
                units.push(Unit {
                    text: format!("{head_tokens} {{}}"),
                    depth,
                });
                let head = units.len() - 1;
                let items = split(body.stream(), depth + 1, units);
                nodes.push(Node::Block { head, items });
            }
            _ => {
                let text = item.iter().cloned().collect::<TokenStream>().to_string();
                // A run of imports, or of short constants and type aliases, is one unit: they
                // stand together, without blank lines between them.
                let run = keyword(item)
                    .as_deref()
                    .and_then(Run::of)
                    .filter(|run| *run == Run::Imports || text.len() <= SHORT_ITEM);
                match nodes.last() {
                    Some(Node::Unit(last)) if run.is_some() && run == previous_run => {
                        units[*last].text.push('\n');
                        units[*last].text.push_str(&text);
                    }
                    _ => {
                        units.push(Unit { text, depth });
                        nodes.push(Node::Unit(units.len() - 1));
                    }
                }
                last_run = run;
            }
        }
    }
    nodes
}

/// The end of the item that starts at `start`: after its `;`, or after its braces (and a `;`
/// that follows them, as in `const X: T = T { .. };`).
fn item_end(trees: &[TokenTree], start: usize) -> usize {
    let mut i = start;
    while i < trees.len() {
        match &trees[i] {
            TokenTree::Punct(p) if p.as_char() == ';' => return i + 1,
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => {
                let after = i + 1;
                return match trees.get(after) {
                    Some(TokenTree::Punct(p)) if p.as_char() == ';' => after + 1,
                    _ => after,
                };
            }
            _ => i += 1,
        }
    }
    trees.len()
}

/// For `[attrs] [vis] mod name { .. }` and `[attrs] impl .. { .. }`: the head and the braces.
fn opens_into_items(item: &[TokenTree]) -> Option<(&[TokenTree], &TokenTree)> {
    let (body, head) = item.split_last()?;
    let opens = matches!(body, TokenTree::Group(g) if g.delimiter() == Delimiter::Brace)
        && matches!(keyword(head), Some(word) if word == "mod" || word == "impl");
    opens.then_some((head, body))
}

/// The first word of an item after its attributes and visibility: `fn`, `mod`, `use`, ...
fn keyword(item: &[TokenTree]) -> Option<String> {
    let mut i = 0;
    loop {
        match item.get(i)? {
            // `#[..]` or `#![..]`.
            TokenTree::Punct(p) if p.as_char() == '#' => {
                i += 1;
                if matches!(item.get(i), Some(TokenTree::Punct(p)) if p.as_char() == '!') {
                    i += 1;
                }
                i += 1;
            }
            TokenTree::Ident(word) if word == "pub" => {
                i += 1;
                if matches!(item.get(i), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis)
                {
                    i += 1;
                }
            }
            TokenTree::Ident(word) => return Some(word.to_string()),
            _ => return None,
        }
    }
}

/// The attributes and the text of a `[attrs] __postman_codegen_verbatim!("...");` item.
fn verbatim_text(item: &[TokenTree]) -> Option<(&[TokenTree], String)> {
    let (attrs, marker) = item.split_at(item.len().checked_sub(4)?);
    let [TokenTree::Ident(name), TokenTree::Punct(_), TokenTree::Group(args), TokenTree::Punct(_)] =
        marker
    else {
        return None;
    };
    if name != VERBATIM {
        return None;
    }
    let mut args = args.stream().into_iter();
    let (Some(TokenTree::Literal(literal)), None) = (args.next(), args.next()) else {
        return None;
    };
    Some((attrs, string_value(&literal)?))
}

/// Formats each unit with prettyplease, on every core when there are many.
fn format_units(units: Vec<Unit>) -> Result<Vec<String>, syn::Error> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    if threads < 2 || units.len() < PARALLEL_ITEMS {
        return units.iter().map(format_unit).collect();
    }
    // Contiguous shares of about equal text, so that no worker waits on a long tail.
    let total: usize = units.iter().map(|unit| unit.text.len()).sum();
    let share = total / threads + 1;
    let mut chunks: Vec<&[Unit]> = Vec::new();
    let (mut from, mut size) = (0, 0);
    for (i, unit) in units.iter().enumerate() {
        size += unit.text.len();
        if size >= share {
            chunks.push(&units[from..=i]);
            (from, size) = (i + 1, 0);
        }
    }
    chunks.push(&units[from..]);
    std::thread::scope(|scope| {
        let workers: Vec<_> = chunks
            .into_iter()
            .map(|chunk| scope.spawn(move || chunk.iter().map(format_unit).collect::<Vec<_>>()))
            .collect();
        let mut formatted = Vec::with_capacity(units.len());
        for worker in workers {
            let results = worker
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            for result in results {
                formatted.push(result?);
            }
        }
        Ok(formatted)
    })
}

/// One unit parsed and printed where it stands: inside as many modules as it is deep, so that
/// prettyplease breaks its lines for the columns its indentation leaves; those wrapping lines
/// are then dropped.
fn format_unit(unit: &Unit) -> Result<String, syn::Error> {
    let depth = unit.depth;
    let wrapped = format!(
        "{}{}{}",
        "mod m {".repeat(depth),
        unit.text,
        "}".repeat(depth)
    );
    let printed = prettyplease::unparse(&syn::parse_file(&wrapped)?);
    let lines: Vec<&str> = printed.lines().collect();
    let inner = lines
        .get(depth..lines.len().saturating_sub(depth))
        .unwrap_or_default();
    let mut out = String::with_capacity(printed.len());
    for line in inner {
        out.push_str(line);
        out.push('\n');
    }
    Ok(out)
}

/// Writes `nodes` at `depth` levels of indentation, a blank line between them.
fn write_nodes(nodes: &[Node], formatted: &[String], depth: usize, out: &mut String) {
    for (i, node) in nodes.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        match node {
            Node::Unit(unit) => out.push_str(&formatted[*unit]),
            Node::Verbatim { attrs, text } => {
                if let Some(attrs) = attrs {
                    let attrs = formatted[*attrs].trim_end();
                    if let Some((attrs, _stand_in)) = attrs.rsplit_once('\n') {
                        out.push_str(attrs);
                        out.push('\n');
                    }
                }
                write_indented(text, depth, out);
            }
            Node::Block { head, items } => {
                let head = formatted[*head].trim_end();
                out.push_str(head.strip_suffix("{}").unwrap_or(head));
                out.push_str("{\n");
                write_nodes(items, formatted, depth + 1, out);
                let _ = writeln!(out, "{}}}", "    ".repeat(depth));
            }
        }
    }
}

/// `text`'s lines indented by `depth` levels (blank lines stay empty), each ended by `\n`.
fn write_indented(text: &str, depth: usize, out: &mut String) {
    for line in text.lines() {
        if !line.is_empty() {
            for _ in 0..depth {
                out.push_str("    ");
            }
            out.push_str(line);
        }
        out.push('\n');
    }
}

/// The value of a string literal (`"..."` with escapes, or raw `r#"..."#`).
fn string_value(literal: &Literal) -> Option<String> {
    syn::parse_str::<syn::LitStr>(&literal.to_string())
        .ok()
        .map(|lit| lit.value())
}

/// `text` as a string literal: raw, keeping its lines as lines, when it has several (and no
/// carriage return, which a raw string cannot hold).
pub fn text_literal(text: &str) -> TokenStream {
    if !text.contains('\n') || text.contains('\r') {
        return Literal::string(text).into_token_stream();
    }
    // One more `#` than the longest run after a quote in the text.
    let mut hashes = 1;
    for (at, _) in text.match_indices('"') {
        let run = text[at + 1..].bytes().take_while(|b| *b == b'#').count();
        hashes = hashes.max(run + 1);
    }
    let fence = "#".repeat(hashes);
    let raw = format!("r{fence}\"{text}\"{fence}");
    raw.parse()
        .unwrap_or_else(|_| Literal::string(text).into_token_stream())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_stand_apart_and_modules_and_impls_open() {
        let formatted = format(quote! {
            //! Crate docs.
            #![allow(clippy::all)]
            use super::a;
            use super::b;
            /// A module.
            pub mod m {
                #![allow(missing_docs)]
                pub struct S { pub a: u8 }
                impl S {
                    pub fn new() -> Self { Self { a: 1 } }
                    pub fn a(&self) -> u8 { self.a }
                }
                const X: S = S { a: 2 };
            }
        })
        .unwrap();
        assert_eq!(
            formatted,
            "//! Crate docs.\n#![allow(clippy::all)]\nuse super::a;\nuse super::b;\n\n/// A module.\npub mod m {\n    #![allow(missing_docs)]\n    pub struct S {\n        pub a: u8,\n    }\n\n    impl S {\n        pub fn new() -> Self {\n            Self { a: 1 }\n        }\n\n        pub fn a(&self) -> u8 {\n            self.a\n        }\n    }\n\n    const X: S = S { a: 2 };\n}\n"
        );
    }

    #[test]
    fn verbatim_text_keeps_its_lines_indented_where_it_stands() {
        let text = "pub fn a() {\n    b();\n}\n\n// A comment.\npub struct C;\n";
        let marker = verbatim(text);
        let formatted =
            format(quote!(pub mod m { #[doc = " Docs."] #marker pub struct D; })).unwrap();
        assert_eq!(
            formatted,
            "pub mod m {\n    /// Docs.\n    pub fn a() {\n        b();\n    }\n\n    // A comment.\n    pub struct C;\n\n    pub struct D;\n}\n"
        );
    }

    #[test]
    fn tokens_that_are_not_items_are_an_error() {
        assert!(format(quote!(pub mod m { let x = 1; })).is_err());
    }
}
