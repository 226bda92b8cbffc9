//! Prints emitted tokens as Rust source: one statement, field or item per line, blocks
//! indented by four spaces, doc attributes as `///` comments. It knows only the shapes the
//! emitter writes (items, short method bodies, struct literals); the runtime, which is
//! hand-written Rust, goes through as its own formatted text ([`verbatim`]).
//!
//! Only whitespace is chosen here, and a one-line struct literal drops its trailing comma: the
//! printed text lexes back into the same tokens.

use std::fmt::Write as _;

use proc_macro2::{Delimiter, Group, Literal, Spacing, TokenStream, TokenTree};
use quote::quote;

/// The name of the marker macro that carries formatted source through a token stream.
const VERBATIM: &str = "__postman_codegen_verbatim";

/// Source text that goes into the output as written, indented to where it stands (an item
/// position). The text must not hold line breaks inside literals.
pub fn verbatim(text: &str) -> TokenStream {
    let marker = proc_macro2::Ident::new(VERBATIM, proc_macro2::Span::call_site());
    quote!(#marker!(#text);)
}

/// `tokens` as a Rust file.
pub fn print(tokens: TokenStream) -> String {
    let mut printer = Printer::new(1 << 16);
    printer.block(&tokens.into_iter().collect::<Vec<_>>());
    printer.out
}

/// Struct literals up to this long stay on one line: `Self { body }`.
const SHORT_LITERAL: usize = 60;

/// `{ a: x, b }` on one line, without its trailing comma, when `tokens` (inside braces) are
/// a short struct literal's field list.
fn short_struct_literal(tokens: &[TokenTree]) -> Option<String> {
    let field_form = match tokens {
        [TokenTree::Ident(_)] => true,
        [TokenTree::Ident(_), TokenTree::Punct(p), ..] => {
            p.as_char() == ',' || p.as_char() == ':' && p.spacing() == Spacing::Alone
        }
        _ => false,
    };
    // Each token takes at least a character and a space.
    if !field_form || tokens.len() > SHORT_LITERAL / 2 {
        return None;
    }
    if tokens
        .iter()
        .any(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ';'))
    {
        return None;
    }
    let mut printer = Printer::new(SHORT_LITERAL);
    printer.line_start = false;
    printer.inline(tokens);
    let fields = printer.out.trim_end_matches([',', ' ']);
    (fields.len() <= SHORT_LITERAL && !fields.contains('\n')).then(|| format!("{{ {fields} }}"))
}

/// What was printed last, which decides the space before the next token.
#[derive(Clone, Copy, PartialEq)]
enum Prev {
    /// Line start or an opening delimiter.
    Start,
    /// An identifier; `true` for keywords that a following `(` or `::` stands apart from.
    Word(bool),
    /// A literal.
    Literal,
    /// A closing delimiter or a generic's `>`.
    Close,
    /// An operator that takes spaces around it (`=`, `=>`, `->`, `+`, `|`).
    Binary,
    /// `,`, `:` and `;` inside a line: a space follows.
    Separator,
    /// Nothing follows after a space: `.`, `::`, a prefix `&`, `!`, `-` or `*`, a lifetime's
    /// `'`, a generic's `<`, a macro's `!`, `#`.
    Glued,
    /// `?`.
    Question,
}

/// Keywords after which `(`, `[` and `::` stand apart: `if (`, `in [`, `for ::std`.
const SPACED_KEYWORDS: &[&str] = &[
    "as", "break", "dyn", "else", "for", "if", "impl", "in", "let", "match", "move", "mut", "ref",
    "return", "where", "while", "const", "static", "type", "unsafe", "use",
];

struct Printer {
    out: String,
    indent: usize,
    /// Nothing is written on the current line yet.
    line_start: bool,
    prev: Prev,
    /// The last punct was joint: the next one continues its operator (`::`, `->`, `>>`).
    joint: bool,
    /// Open generic lists (`<` after a path or keyword); `true` for those after a keyword,
    /// which a path after them stands apart from (`impl<'de> ::serde::Deserialize`).
    generics: Vec<bool>,
}

impl Printer {
    fn new(capacity: usize) -> Self {
        Self {
            out: String::with_capacity(capacity),
            indent: 0,
            line_start: true,
            prev: Prev::Start,
            joint: false,
            generics: Vec::new(),
        }
    }

    fn newline(&mut self) {
        if !self.line_start {
            self.out.push('\n');
            self.line_start = true;
        }
        self.prev = Prev::Start;
        self.joint = false;
    }

    /// Writes `text`, indented at a line's start, otherwise after a space if `space`.
    fn write(&mut self, text: &str, space: bool) {
        if self.line_start {
            for _ in 0..self.indent {
                self.out.push_str("    ");
            }
            self.line_start = false;
        } else if space {
            self.out.push(' ');
        }
        self.out.push_str(text);
    }

    /// The items or statements of a block: each ends its line.
    fn block(&mut self, tokens: &[TokenTree]) {
        let mut i = 0;
        while i < tokens.len() {
            if let Some(next) = self.attribute(tokens, i) {
                i = next;
                continue;
            }
            if let Some(next) = self.verbatim_marker(tokens, i) {
                i = next;
                continue;
            }
            let tree = &tokens[i];
            match tree {
                TokenTree::Punct(p)
                    if matches!(p.as_char(), ';' | ',') && self.generics.is_empty() =>
                {
                    self.write(&p.as_char().to_string(), false);
                    self.newline();
                }
                TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => {
                    self.brace(g);
                    // A block ends its line unless the expression goes on: `} else {`, `},`,
                    // `}.method()`.
                    let goes_on = match tokens.get(i + 1) {
                        Some(TokenTree::Punct(p)) => matches!(p.as_char(), ',' | ';' | '.' | '?'),
                        Some(TokenTree::Ident(word)) => word == "else" || word == "as",
                        _ => false,
                    };
                    if !goes_on {
                        self.newline();
                    }
                }
                _ => self.token(tree),
            }
            i += 1;
        }
    }

    /// The tokens inside parentheses or brackets: one line, `, ` between elements.
    fn inline(&mut self, tokens: &[TokenTree]) {
        for tree in tokens {
            match tree {
                TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => self.brace(g),
                _ => self.token(tree),
            }
        }
    }

    /// `{ ... }`: empty on one line, otherwise its contents indented on lines of their own.
    fn brace(&mut self, group: &Group) {
        let space = self.prev != Prev::Start;
        self.joint = false;
        if group.stream().is_empty() {
            self.write("{}", space);
            self.prev = Prev::Close;
            return;
        }
        let tokens: Vec<TokenTree> = group.stream().into_iter().collect();
        if let Some(text) = short_struct_literal(&tokens) {
            self.write(&text, space);
            self.prev = Prev::Close;
            return;
        }
        self.write("{", space);
        let generics = std::mem::take(&mut self.generics);
        self.indent += 1;
        self.newline();
        self.block(&tokens);
        self.indent -= 1;
        self.newline();
        self.write("}", false);
        self.generics = generics;
        self.prev = Prev::Close;
    }

    /// One token that is not a brace group.
    fn token(&mut self, tree: &TokenTree) {
        if !matches!(tree, TokenTree::Punct(_)) {
            self.joint = false;
        }
        match tree {
            TokenTree::Ident(ident) => {
                let space = !matches!(self.prev, Prev::Start | Prev::Glued);
                self.write("", space);
                let start = self.out.len();
                write!(self.out, "{ident}").expect("writing to a String");
                self.prev = Prev::Word(SPACED_KEYWORDS.contains(&&self.out[start..]));
            }
            TokenTree::Literal(literal) => {
                let space = !matches!(self.prev, Prev::Start | Prev::Glued);
                self.write("", space);
                write!(self.out, "{literal}").expect("writing to a String");
                self.prev = Prev::Literal;
            }
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    // Invisible groups come only from macro input; print their contents.
                    Delimiter::None | Delimiter::Brace => ("", ""),
                };
                // A call or index sticks to what it applies to: `f(`, `Some(`, `vec![`, `&[`.
                let space = match self.prev {
                    Prev::Word(spaced) => spaced,
                    Prev::Start | Prev::Glued | Prev::Close | Prev::Question => false,
                    Prev::Literal | Prev::Binary | Prev::Separator => true,
                };
                self.write(open, space);
                self.prev = Prev::Start;
                let generics = std::mem::take(&mut self.generics);
                self.inline(&group.stream().into_iter().collect::<Vec<_>>());
                self.generics = generics;
                self.out.push_str(close);
                self.prev = Prev::Close;
            }
            TokenTree::Punct(punct) => self.punct(punct.as_char(), punct.spacing()),
        }
    }

    fn punct(&mut self, c: char, spacing: Spacing) {
        let continues = std::mem::replace(&mut self.joint, spacing == Spacing::Joint && c != '\'');
        if continues {
            // The rest of `::`, `->`, `=>`, `==`, `&&`, `..`, or the second `>` of `>>`.
            let after = self.out.chars().last();
            self.out.push(c);
            self.prev = match c {
                ':' | '.' => Prev::Glued,
                '>' if !self.generics.is_empty() && !matches!(after, Some('-' | '=')) => {
                    self.close_generics()
                }
                _ => Prev::Binary,
            };
            return;
        }
        let operand_before = matches!(
            self.prev,
            Prev::Word(false) | Prev::Literal | Prev::Close | Prev::Question
        );
        let space_before = !matches!(self.prev, Prev::Start | Prev::Glued);
        let joint = self.joint;
        self.prev = match c {
            ',' | ';' | ':' if !joint => {
                self.write(&c.to_string(), false);
                Prev::Separator
            }
            ':' => {
                // `::` after a path or at the start of one: `a::b`, `(::std`, but `= ::std`.
                let space = space_before && !matches!(self.prev, Prev::Word(false) | Prev::Close);
                self.write(":", space);
                Prev::Glued
            }
            '.' => {
                self.write(".", false);
                Prev::Glued
            }
            '?' => {
                self.write("?", false);
                Prev::Question
            }
            '!' if matches!(self.prev, Prev::Word(_)) && !joint => {
                // A macro call: `vec!`, `assert!`.
                self.write("!", false);
                Prev::Glued
            }
            '<' if !joint && (matches!(self.prev, Prev::Word(_)) || self.out.ends_with("::")) => {
                self.write("<", false);
                self.generics.push(self.prev == Prev::Word(true));
                Prev::Glued
            }
            '>' if !self.generics.is_empty() => {
                self.write(">", false);
                self.close_generics()
            }
            '&' | '-' | '*' | '!' if !operand_before && (c == '&' || !joint) => {
                // A prefix operator: `&self`, `&&value`, `-1`, `*value`, `!done`.
                self.write(&c.to_string(), space_before);
                Prev::Glued
            }
            '\'' | '#' => {
                self.write(&c.to_string(), space_before);
                Prev::Glued
            }
            _ => {
                self.write(&c.to_string(), space_before);
                if joint {
                    Prev::Glued
                } else {
                    Prev::Binary
                }
            }
        };
    }

    /// What a generic list's `>` leaves: a path after `impl<'a>` stands apart, one after
    /// `Vec<u8>` does not.
    fn close_generics(&mut self) -> Prev {
        match self.generics.pop() {
            Some(true) => Prev::Word(true),
            _ => Prev::Close,
        }
    }

    /// `#[...]` or `#![...]` at `i`: doc attributes become `///` or `//!` lines, others stand
    /// on a line of their own. Returns the index after it.
    fn attribute(&mut self, tokens: &[TokenTree], i: usize) -> Option<usize> {
        let TokenTree::Punct(hash) = &tokens[i] else {
            return None;
        };
        if hash.as_char() != '#' {
            return None;
        }
        let (inner, at) = match tokens.get(i + 1)? {
            TokenTree::Punct(p) if p.as_char() == '!' => (true, i + 2),
            _ => (false, i + 1),
        };
        let TokenTree::Group(group) = tokens.get(at)? else {
            return None;
        };
        if group.delimiter() != Delimiter::Bracket {
            return None;
        }
        self.newline();
        match doc_text(group) {
            Some(text) if !text.contains(['\n', '\r']) && !text.starts_with('/') => {
                let slashes = if inner { "//!" } else { "///" };
                self.write(slashes, false);
                self.out.push_str(&text);
            }
            _ => {
                self.write(if inner { "#!" } else { "#" }, false);
                self.prev = Prev::Glued;
                self.token(&tokens[at]);
            }
        }
        self.newline();
        Some(at + 1)
    }

    /// `__postman_codegen_verbatim!("...");` at `i`: the text, each line indented.
    fn verbatim_marker(&mut self, tokens: &[TokenTree], i: usize) -> Option<usize> {
        let TokenTree::Ident(name) = &tokens[i] else {
            return None;
        };
        if name != VERBATIM {
            return None;
        }
        let TokenTree::Group(args) = tokens.get(i + 2)? else {
            return None;
        };
        let TokenTree::Literal(literal) = args.stream().into_iter().next()? else {
            return None;
        };
        let text = string_value(&literal)?;
        self.newline();
        for line in text.lines() {
            if !line.is_empty() {
                self.write(line, false);
            }
            self.out.push('\n');
            self.line_start = true;
        }
        // The marker, `!`, its group and `;`.
        Some(i + 4)
    }
}

/// The text of `doc = "..."` inside an attribute's brackets.
fn doc_text(group: &Group) -> Option<String> {
    let mut tokens = group.stream().into_iter();
    match (
        tokens.next()?,
        tokens.next()?,
        tokens.next()?,
        tokens.next(),
    ) {
        (TokenTree::Ident(doc), TokenTree::Punct(eq), TokenTree::Literal(text), None)
            if doc == "doc" && eq.as_char() == '=' =>
        {
            string_value(&text)
        }
        _ => None,
    }
}

/// The value of a string literal (`"..."` with escapes, or raw `r#"..."#`).
fn string_value(literal: &Literal) -> Option<String> {
    let repr = literal.to_string();
    if let Some(raw) = repr.strip_prefix('r') {
        let hashes = raw.len() - raw.trim_start_matches('#').len();
        let body = raw.get(hashes + 1..raw.len().checked_sub(hashes + 1)?)?;
        return Some(body.to_owned());
    }
    let body = repr.strip_prefix('"')?.strip_suffix('"')?;
    let mut value = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            value.push(c);
            continue;
        }
        match chars.next()? {
            'n' => value.push('\n'),
            'r' => value.push('\r'),
            't' => value.push('\t'),
            '0' => value.push('\0'),
            'x' => {
                let code: String = chars.by_ref().take(2).collect();
                value.push(char::from(u8::from_str_radix(&code, 16).ok()?));
            }
            'u' => {
                let code: String = chars.by_ref().skip(1).take_while(|c| *c != '}').collect();
                value.push(char::from_u32(u32::from_str_radix(&code, 16).ok()?)?);
            }
            '\n' => {
                // A line continuation skips the next line's leading whitespace.
                chars = chars.as_str().trim_start().chars();
            }
            other => value.push(other),
        }
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;
    use crate::diagnostics::Diagnostics;

    /// A token as compared: its text (a string literal's value), and for a punct followed by
    /// another, whether it is joint to it.
    #[derive(Debug, PartialEq)]
    struct Flat {
        text: String,
        joint: bool,
    }

    /// The tokens of `tokens` in order, delimiters included, with the verbatim marker's text
    /// lexed in its place and trailing commas before `}` left out (they mean nothing there).
    fn flatten(tokens: TokenStream, out: &mut Vec<Flat>) {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        for (i, tree) in trees.iter().enumerate() {
            match tree {
                TokenTree::Group(group) => {
                    let (open, close) = match group.delimiter() {
                        Delimiter::Parenthesis => ("(", ")"),
                        Delimiter::Bracket => ("[", "]"),
                        Delimiter::Brace => ("{", "}"),
                        Delimiter::None => ("", ""),
                    };
                    let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                    let inner = match inner.last() {
                        Some(TokenTree::Punct(p))
                            if p.as_char() == ',' && group.delimiter() == Delimiter::Brace =>
                        {
                            inner[..inner.len() - 1].iter().cloned().collect()
                        }
                        _ => group.stream(),
                    };
                    out.push(Flat {
                        text: open.into(),
                        joint: false,
                    });
                    flatten(inner, out);
                    out.push(Flat {
                        text: close.into(),
                        joint: false,
                    });
                }
                TokenTree::Ident(ident) if ident == VERBATIM => {
                    let TokenTree::Group(args) = &trees[i + 2] else {
                        panic!("marker")
                    };
                    let TokenTree::Literal(text) = args.stream().into_iter().next().unwrap() else {
                        panic!("marker text")
                    };
                    let text = string_value(&text).unwrap();
                    flatten(TokenStream::from_str(&text).unwrap(), out);
                    return flatten(trees[i + 4..].iter().cloned().collect(), out);
                }
                TokenTree::Literal(literal) => out.push(Flat {
                    text: string_value(literal).unwrap_or_else(|| literal.to_string()),
                    joint: false,
                }),
                TokenTree::Ident(ident) => out.push(Flat {
                    text: ident.to_string(),
                    joint: false,
                }),
                TokenTree::Punct(punct) => out.push(Flat {
                    text: punct.as_char().to_string(),
                    joint: punct.spacing() == Spacing::Joint
                        && matches!(trees.get(i + 1), Some(TokenTree::Punct(_))),
                }),
            }
        }
    }

    /// Prints `tokens` and lexes the text back: the same tokens, every joint punct still joint.
    fn assert_relexes(tokens: TokenStream) {
        let printed = print(tokens.clone());
        let relexed = TokenStream::from_str(&printed).expect("printed code lexes");
        let (mut expected, mut got) = (Vec::new(), Vec::new());
        flatten(tokens, &mut expected);
        flatten(relexed, &mut got);
        assert_eq!(expected.len(), got.len(), "{printed}");
        for (at, (want, have)) in expected.iter().zip(&got).enumerate() {
            assert_eq!(want.text, have.text, "token {at} of:\n{printed}");
            assert!(
                !want.joint || have.joint,
                "token {at} `{}` split in:\n{printed}",
                want.text
            );
        }
        syn::parse_file(&printed).expect("printed code parses");
    }

    #[test]
    fn operators_paths_generics_and_literals_print_as_they_lex() {
        assert_relexes(quote! {
            //! Crate docs.
            #![allow(clippy::all)]
            use super::{a, b};
            /// A struct.
            #[derive(Debug, ::serde::Serialize)]
            pub struct S<'a> {
                #[serde(rename = "x-y", default)]
                pub(super) a: &'a ::std::collections::HashMap<String, Vec<Vec<u8>>>,
                pub b: Option<i64>,
            }
            impl<'a> S<'a> {
                pub fn f(&self, x: impl Into<String> + Send + 'static) -> Result<Self, E> {
                    let y = -1 + *self.b.as_ref()? - 2;
                    if !x && y >= 0 || y != -3 { return Err(E::new()); } else { z(); }
                    match y { 0 => S { a: self.a, b: None }, _ if y > 1 => todo!(), _ => Self::g::<u8>(), }
                }
                fn h() -> impl ::std::future::Future<Output = Outcome<Request>> + Send + 'a {
                    vec![1, 2].iter().map(|x| x * 2).collect::<Vec<_>>(); for v in &[1] {}
                }
            }
            const _: () = assert!(runtime::FINGERPRINT == 0x1, "text with \"quotes\" and \\ \n");
            /// Docs with `/// slashes` and a tab:	end.
            #[doc = "/starts with a slash"]
            #[doc = "two\nlines"]
            pub enum E { A, B(u8), C { d: f64 } }
        });
    }

    #[test]
    fn verbatim_text_keeps_its_lines_indented_where_it_stands() {
        let text = "pub fn a() {\n    b();\n}\n\n// A comment.\npub struct C;\n";
        let marker = verbatim(text);
        let printed = print(quote!(pub mod m { #marker pub struct D; }));
        assert_eq!(
            printed,
            "pub mod m {\n    pub fn a() {\n        b();\n    }\n\n    // A comment.\n    pub struct C;\n    pub struct D;\n}\n"
        );
    }

    #[test]
    fn short_struct_literals_stay_on_one_line() {
        let printed = print(quote!(
            fn f() -> S {
                S { a: 1, b }
            }
        ));
        assert_eq!(printed, "fn f() -> S {\n    S { a: 1, b }\n}\n");
    }

    #[test]
    fn a_path_after_an_impl_generic_list_stands_apart() {
        let printed = print(quote!(
            impl<'de> ::serde::Deserialize<'de> for X {
                fn f() -> Vec<u8> {
                    Vec::<u8>::new()
                }
            }
        ));
        assert_eq!(
            printed,
            "impl<'de> ::serde::Deserialize<'de> for X {\n    fn f() -> Vec<u8> {\n        Vec::<u8>::new()\n    }\n}\n"
        );
    }

    /// The clients of the project's own collections print to text that lexes back to the same
    /// tokens.
    #[test]
    fn generated_clients_relex_to_their_tokens() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../collections");
        let files = crate::files::json_files(&dir).expect("the project's collections");
        assert!(files.len() > 5);
        for file in files {
            let source = std::fs::read_to_string(&file).unwrap();
            let mut diags = Diagnostics::new(file.display().to_string());
            let collection = crate::collection::parse_collection(&source, &mut diags).unwrap();
            let api = crate::ir::lower(&collection, "client", &mut diags);
            assert_relexes(
                super::super::module(&api, "client", super::super::RuntimeAt::Own).unwrap(),
            );
        }
    }
}
