//! The runtime every client uses: the `postman-codegen-runtime` crate at a path (the default),
//! its sources carried inside a client or shared once per [`crate::Builder`] output, or a file
//! the user keeps where `runtime_path` points.
//!
//! Carried, the runtime is the crate's `lib.rs` with each `mod name;` replaced by the module's
//! source as written, the signing schemes the client does not use left out, and the crate's
//! unit tests dropped.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};

use super::format;
use crate::ir::AuthModule;
use crate::naming::ident;

/// The runtime crate's package name, for manifests and messages.
pub const CRATE_NAME: &str = "postman-codegen-runtime";

/// The path that generated code reaches the runtime crate by, unless told otherwise.
pub const DEFAULT_CRATE_PATH: &str = "::postman_codegen_runtime";

/// The runtime crate's version: the generator's own, as they are released together.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The runtime crate's sources by file name, `lib.rs` first. `codegen/runtime` links to
/// `runtime/src`, so `cargo package` copies them into the generator's package.
const SOURCES: &[(&str, &str)] = &[
    ("lib.rs", include_str!("../../runtime/lib.rs")),
    ("aws.rs", include_str!("../../runtime/aws.rs")),
    ("body.rs", include_str!("../../runtime/body.rs")),
    ("builder.rs", include_str!("../../runtime/builder.rs")),
    ("client.rs", include_str!("../../runtime/client.rs")),
    (
        "credentials.rs",
        include_str!("../../runtime/credentials.rs"),
    ),
    ("decode.rs", include_str!("../../runtime/decode.rs")),
    ("digest.rs", include_str!("../../runtime/digest.rs")),
    (
        "dynamic_names.rs",
        include_str!("../../runtime/dynamic_names.rs"),
    ),
    ("edgegrid.rs", include_str!("../../runtime/edgegrid.rs")),
    ("error.rs", include_str!("../../runtime/error.rs")),
    ("hawk.rs", include_str!("../../runtime/hawk.rs")),
    ("jwt.rs", include_str!("../../runtime/jwt.rs")),
    ("oauth1.rs", include_str!("../../runtime/oauth1.rs")),
    ("oauth2.rs", include_str!("../../runtime/oauth2.rs")),
    ("operation.rs", include_str!("../../runtime/operation.rs")),
    ("paging.rs", include_str!("../../runtime/paging.rs")),
    ("prepared.rs", include_str!("../../runtime/prepared.rs")),
    ("random.rs", include_str!("../../runtime/random.rs")),
    ("response.rs", include_str!("../../runtime/response.rs")),
    ("retry.rs", include_str!("../../runtime/retry.rs")),
    ("scripts.rs", include_str!("../../runtime/scripts.rs")),
    (
        "secret_names.rs",
        include_str!("../../runtime/secret_names.rs"),
    ),
    ("tokens.rs", include_str!("../../runtime/tokens.rs")),
    ("variables.rs", include_str!("../../runtime/variables.rs")),
];

/// The source of the runtime file `name` (`client.rs`), empty if there is none.
pub(super) fn source(name: &str) -> &'static str {
    SOURCES
        .iter()
        .find(|(file, _)| *file == name)
        .map_or("", |(_, text)| text)
}

/// `text` without what only the runtime crate's `js` feature compiles: a carried runtime has
/// no JavaScript engine, so its scripts run their translated part. What a
/// `#[cfg(feature = "js")]` marks goes, with the doc comment after the mark: its first line
/// when that line is whole (a field, a one-line statement), else, when it ends with `{`, up to
/// the line that closes it at its indentation (the runtime's sources write marked items so,
/// with their docs after the mark). The `#[cfg(not(feature = "js"))]` marks go and their
/// items stay.
fn without_js(text: &str) -> String {
    /// Where the runtime's source is in a marked item.
    enum Marked {
        /// Just after the mark.
        Start,
        /// In a block, which this line closes.
        Until(String),
    }
    let mut out = String::with_capacity(text.len());
    let mut marked: Option<Marked> = None;
    for line in text.split_inclusive('\n') {
        match &marked {
            Some(Marked::Start) => {
                if !line.trim_start().starts_with("///") {
                    let indent = &line[..line.len() - line.trim_start().len()];
                    let opens = line.trim_end().ends_with('{');
                    marked = opens.then(|| Marked::Until(format!("{indent}}}")));
                }
                continue;
            }
            Some(Marked::Until(end)) => {
                if line.trim_end() == end {
                    marked = None;
                }
                continue;
            }
            None => {}
        }
        match line.trim() {
            "#[cfg(feature = \"js\")]" => marked = Some(Marked::Start),
            "#[cfg(not(feature = \"js\"))]" => {}
            _ => out.push_str(line),
        }
    }
    out
}

/// Every auth module a runtime can carry, for a runtime meant to serve any collection.
pub const ALL_AUTH_MODULES: &[AuthModule] = &[
    AuthModule::OAuth1,
    AuthModule::Digest,
    AuthModule::Hawk,
    AuthModule::OAuth2,
    AuthModule::Jwt,
    AuthModule::AwsV4,
    AuthModule::EdgeGrid,
];

/// FNV-1a of every runtime source, its unit tests left out: a client generated against another
/// runtime than the one it is compiled with fails to compile and says why, rather than
/// misbehaving.
fn fingerprint() -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (_, source) in SOURCES {
        for byte in without_tests(source).bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// [`fingerprint`] as a hexadecimal literal.
fn fingerprint_literal() -> syn::LitInt {
    syn::LitInt::new(
        &format!("0x{:016x}", fingerprint()),
        proc_macro2::Span::call_site(),
    )
}

/// What a client says at its root to use the runtime at `path`: the `runtime` name, and
/// compile-time checks that the runtime is the one it was generated for (`check`) and holds
/// the signing schemes it uses.
pub(super) fn import(
    path: &syn::Path,
    check: Check,
    modules: &BTreeSet<AuthModule>,
) -> TokenStream {
    let identity = match check {
        Check::Version => {
            let message = format!(
                "this client was generated by postman-codegen {VERSION}: depend on \
                 {CRATE_NAME} {VERSION}, or regenerate it with the generator of your runtime's version"
            );
            quote! {
                const _: () = assert!(runtime::is_version(#VERSION), #message);
            }
        }
        Check::Fingerprint => {
            let fingerprint = fingerprint_literal();
            quote! {
                const _: () = assert!(
                    runtime::FINGERPRINT == #fingerprint,
                    "generated for another version of the runtime: regenerate both"
                );
            }
        }
    };
    let features = feature_names(modules).into_iter().map(|feature| {
        let flag = ident(&feature.to_uppercase());
        let message = format!(
            "this client signs requests with the `{feature}` scheme: turn on the `{feature}` \
             feature of {CRATE_NAME} (or write the runtime with this collection)"
        );
        quote! {
            const _: () = assert!(runtime::features::#flag, #message);
        }
    });
    quote! {
        pub use #path as runtime;

        #identity
        #(#features)*
    }
}

/// How a client checks the runtime at a path.
#[derive(Debug, Clone, Copy)]
pub(super) enum Check {
    /// The runtime crate: the same version as the generator.
    Version,
    /// A runtime file written by the generator: the same sources.
    Fingerprint,
}

/// The cargo features of the runtime crate that `modules` need, each once, sorted.
pub fn feature_names(modules: &BTreeSet<AuthModule>) -> BTreeSet<&'static str> {
    modules.iter().map(|m| m.module()).collect()
}

/// The runtime's items, carrying the signing schemes in `modules`: the crate's `lib.rs` with its
/// modules inlined as written (rustfmt keeps them formatted), carried through the tokens to the
/// formatter.
pub fn items(modules: &BTreeSet<AuthModule>) -> TokenStream {
    let included = feature_names(modules);
    // What the crate reads from cargo is fixed here: its version and which schemes it holds.
    let mut lib = without_inner_docs(source("lib.rs"))
        .replace("env!(\"CARGO_PKG_VERSION\")", &format!("{VERSION:?}"));
    for scheme in ALL_AUTH_MODULES {
        let feature = scheme.module();
        let on = included.contains(feature);
        lib = lib.replace(&format!("cfg!(feature = \"{feature}\")"), &on.to_string());
    }
    // The mock and the JavaScript engine are the runtime crate's alone (they need wiremock and
    // boa): a carried runtime has neither.
    lib = lib
        .replace("cfg!(feature = \"mock\")", "false")
        .replace("cfg!(feature = \"js\")", "false");
    let file = syn::parse_file(&lib).expect("the runtime's lib.rs parses (a test checks it)");
    let mut out = TokenStream::new();
    for item in file.items {
        match item {
            syn::Item::Mod(module) if module.content.is_none() => {
                let name = module.ident.to_string();
                let feature = module.attrs.iter().find_map(cfg_feature);
                if feature.is_some_and(|f| !included.contains(f.as_str())) {
                    continue;
                }
                let docs = module.attrs.iter().filter(|a| a.path().is_ident("doc"));
                let vis = &module.vis;
                let text =
                    format::verbatim(&without_js(without_tests(source(&format!("{name}.rs")))));
                let name = &module.ident;
                quote!(#(#docs)* #vis mod #name { #text }).to_tokens(&mut out);
            }
            syn::Item::Macro(call) if call.mac.path.is_ident("include") => {
                let file: syn::LitStr = call.mac.parse_body().expect("include! names a file");
                format::verbatim(without_inner_docs(source(&file.value()))).to_tokens(&mut out);
            }
            other => other.to_tokens(&mut out),
        }
    }
    let fingerprint = fingerprint_literal();
    quote! {
        #out

        /// Identifies this runtime's sources; generated clients check it when they use a
        /// runtime kept apart from them.
        #[doc(hidden)]
        pub const FINGERPRINT: u64 = #fingerprint;
    }
}

/// The feature named by `#[cfg(feature = "name")]`.
fn cfg_feature(attr: &syn::Attribute) -> Option<String> {
    if !attr.path().is_ident("cfg") {
        return None;
    }
    let meta: syn::MetaNameValue = attr.parse_args().ok()?;
    match (meta.path.is_ident("feature"), meta.value) {
        (
            true,
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(name),
                ..
            }),
        ) => Some(name.value()),
        _ => None,
    }
}

/// `pub mod runtime { ... }`: the runtime as a module.
pub fn module(modules: &BTreeSet<AuthModule>) -> TokenStream {
    let items = items(modules);
    quote! {
        /// Support code shared by every operation: the client, credentials, the sans-IO
        /// request builder, the `Operation` trait and the error types.
        pub mod runtime {
            #items
        }
    }
}

/// `source` without the `//!` lines that document it as a file.
pub(super) fn without_inner_docs(source: &str) -> &str {
    let mut rest = source;
    while rest.starts_with("//!") {
        rest = rest.split_once('\n').map_or("", |(_, after)| after);
    }
    rest.trim_start_matches('\n')
}

/// A runtime module's `source` without its unit tests, which a client does not carry.
fn without_tests(source: &str) -> &str {
    source
        .find("\n#[cfg(test)]\nmod tests")
        .map_or(source, |at| &source[..=at])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The runtime crate's files that a carried runtime leaves out: the mock and the
    /// JavaScript engine's sandbox.
    const NOT_CARRIED: &[&str] = &[
        "mock",
        "mock.rs",
        "sandbox.rs",
        "sandbox.js",
        "script_requests.rs",
    ];

    /// Every file of the runtime crate is in [`SOURCES`], so the fingerprint and a carried
    /// runtime cover them all.
    #[test]
    fn sources_list_every_runtime_file() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/runtime");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .expect("runtime sources")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        files.retain(|f| !NOT_CARRIED.contains(&f.as_str()));
        files.sort();
        let mut listed: Vec<&str> = SOURCES.iter().map(|(name, _)| *name).collect();
        listed.sort_unstable();
        assert_eq!(files, listed);
    }

    /// What only the `js` feature compiles goes, whole: a one-line field or statement, a
    /// block, and the docs after each mark; what `not(feature = "js")` marks stays.
    #[test]
    fn without_js_drops_marked_lines_and_blocks_with_their_docs() {
        let source =
            "struct Run {\n    kept: u8,\n    #[cfg(feature = \"js\")]\n    /// Doc.\n    \
                      engine: u8,\n}\nfn f() {\n    #[cfg(feature = \"js\")]\n    if x {\n        \
                      y();\n    }\n    #[cfg(not(feature = \"js\"))]\n    z();\n}\n";
        assert_eq!(
            without_js(source),
            "struct Run {\n    kept: u8,\n}\nfn f() {\n    z();\n}\n"
        );
    }

    /// A carried runtime holds the schemes asked for and no others, and parses.
    #[test]
    fn carried_runtime_holds_the_schemes_asked_for() {
        let modules = BTreeSet::from([AuthModule::OAuth1]);
        let code = format::format(items(&modules)).unwrap();
        assert!(code.contains("pub mod oauth1 {"), "oauth1 carried");
        assert!(!code.contains("pub mod digest {"), "digest not carried");
        assert!(code.contains("pub const OAUTH1: bool = true;"));
        assert!(code.contains("pub const DIGEST: bool = false;"));
        assert!(!code.contains("mod tests"), "no unit tests carried");
        syn::parse_file(&code).expect("the carried runtime parses");
    }

    /// A carried runtime has no JavaScript engine: its scripts run their translated part, and
    /// nothing in it names the `js` feature (a crate that does not declare it would be warned).
    #[test]
    fn a_carried_runtime_runs_the_translated_part_of_scripts() {
        let code = format::format(items(&BTreeSet::new())).unwrap();
        assert!(!code.contains("feature = \"js\""), "no `js` cfg carried");
        assert!(!code.contains("sandbox"), "no engine carried");
        assert_eq!(code.matches("fn script(").count(), 1);
        assert!(code.contains("self.steps(fallback)"));
        assert!(code.contains("pub const JS: bool = false;"));
    }
}
