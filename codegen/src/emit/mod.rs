//! IR → Rust: `quote!` builds the tokens, [`print`] writes them as source.
//!
//! Text from the collection only ever becomes string literals or `#[doc]` attributes.

mod auth;
mod builders;
mod client;
mod examples;
mod format;
mod markdown;
mod mock;
mod operation;
mod paging;
pub mod runtime;
mod scripts;
// For the decode check of the command line, which emits the generated types alone.
#[doc(hidden)]
pub mod types;

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};

use crate::ir::{Api, AuthModule, Module};
use crate::naming::ident;
use runtime::Check;

/// Lints allowed on generated code: the opinionated groups a user's crate may turn on
/// (generated code cannot follow their advice); names that come from the collection, for
/// setters and constructor arguments named after fields (`add`, `to_date`, `foo`, a field
/// named like its struct); those vendors' Markdown, kept as written, trips in docs; and
/// `unexpected_cfgs`, for the mock's `feature = "mock"` in a crate that declares no such
/// feature.
fn generated_code_allows() -> TokenStream {
    quote!(
        clippy::pedantic,
        clippy::nursery,
        clippy::should_implement_trait,
        clippy::wrong_self_convention,
        clippy::self_named_constructors,
        clippy::disallowed_names,
        clippy::doc_lazy_continuation,
        clippy::doc_overindented_list_items,
        clippy::tabs_in_doc_comments,
        clippy::empty_docs,
        rustdoc::all,
        unexpected_cfgs
    )
}

/// Where a client finds its runtime.
#[derive(Clone, Copy)]
pub enum RuntimeAt<'a> {
    /// The client carries its own `pub mod runtime`.
    Own,
    /// A runtime written by the generator is at this path (`super::runtime`,
    /// `crate::api_runtime`); the client re-exports it as `runtime` and checks at compile time
    /// that it is the one it was generated for.
    Path(&'a syn::Path),
    /// The runtime crate is at this path (`::postman_codegen_runtime`); the client re-exports
    /// it as `runtime` and checks at compile time that it has the generator's version and the
    /// features of the schemes the client signs with.
    Crate(&'a syn::Path),
}

impl std::fmt::Debug for RuntimeAt<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Own => f.write_str("Own"),
            Self::Path(path) => write!(f, "Path({})", path.to_token_stream()),
            Self::Crate(path) => write!(f, "Crate({})", path.to_token_stream()),
        }
    }
}

/// The client as the items of a module (no wrapping `mod`).
pub fn items(api: &Api, runtime_at: RuntimeAt<'_>) -> Result<TokenStream, syn::Error> {
    let runtime = match runtime_at {
        RuntimeAt::Own => runtime::module(&api.auth_modules()),
        RuntimeAt::Path(path) => runtime::import(path, Check::Fingerprint, &api.auth_modules()),
        RuntimeAt::Crate(path) => runtime::import(path, Check::Version, &api.auth_modules()),
    };
    let primary = &api.primary_server;
    let servers = api.servers.iter().map(|s| {
        let (key, default) = (&s.key, &s.default);
        quote!((#key, #default))
    });
    let variables = api
        .variables
        .iter()
        .map(|(name, value)| quote!((#name, #value)));
    let auth = auth::AuthSchemes::of(api);
    // The mock is the runtime crate's: a client carrying its runtime has none.
    let mock = matches!(runtime_at, RuntimeAt::Crate(_));
    let context = operation::Context {
        types: &api.types,
        auth: &auth,
        mock,
        client_path: api.doc_tests.as_deref(),
    };
    let body = module_body(&api.root, 0, "", context);
    let auth_consts = auth.items();
    let accessors = accessors(&api.root, quote!(self), 0);
    let doc = docs(Some(&format!(
        "Client for the \"{}\" collection: a [`runtime::Client`] with its servers and variables.",
        api.name
    )));
    let new = quote! {
        /// The client with the collection's servers and variables as defaults; change them
        /// with `with_base_url`, `with_server`, `with_variable` and `with_environment`.
        pub fn new() -> Self {
            Self(
                runtime::Client::with_servers(#primary, &[#(#servers),*])
                    .with_collection_variables(&[#(#variables),*])
            )
        }
    };
    let client = client::items(&doc, &new, &accessors)?;
    let shared = types::shared_types(&api.types);
    let mock = mock.then(|| mock::module(api));
    let script_sources = scripts::sources(&api.script_sources);
    Ok(quote! {
        #runtime

        #client

        #mock

        #shared

        #auth_consts

        #script_sources

        #body
    })
}

/// `pub mod runtime { ... }` for the clients of several collections, with the auth modules
/// they use.
pub fn shared_runtime(modules: &BTreeSet<AuthModule>) -> TokenStream {
    let runtime = runtime::module(modules);
    let allows = generated_code_allows();
    quote! {
        #[allow(#allows)]
        #runtime
    }
}

/// The runtime as the file of a module (`src/api_runtime.rs`), with the auth modules in
/// `modules`: one runtime for clients generated with [`crate::Output::SharedRuntime`] pointing
/// at it.
pub fn runtime_file(modules: &BTreeSet<AuthModule>) -> TokenStream {
    let items = runtime::items(modules);
    let allows = generated_code_allows();
    quote! {
        //! Support code shared by the generated clients: the client, credentials, the sans-IO
        //! request builder, the `Operation` trait and the error types. Generated by
        //! postman-codegen; do not edit.
        #![allow(#allows)]
        #items
    }
}

/// The client as a `pub mod name { ... }` with the collection's description.
pub fn module(api: &Api, name: &str, runtime_at: RuntimeAt<'_>) -> Result<TokenStream, syn::Error> {
    let items = items(api, runtime_at)?;
    let name = ident(name);
    let doc = docs(Some(&collection_doc(api)));
    let allows = generated_code_allows();
    Ok(quote! {
        #doc
        #[allow(#allows)]
        pub mod #name {
            #items
        }
    })
}

/// The documentation of a client's module or crate: the collection's name and description.
fn collection_doc(api: &Api) -> String {
    let mut text = format!("Client for the \"{}\" collection.", api.name);
    if let Some(description) = api.doc.as_deref().filter(|d| !d.trim().is_empty()) {
        text.push_str("\n\n");
        text.push_str(description);
    }
    text
}

/// The client as the root of a crate.
pub fn crate_root(api: &Api, runtime_at: RuntimeAt<'_>) -> Result<TokenStream, syn::Error> {
    let items = items(api, runtime_at)?;
    let lines = doc_lines(&collection_doc(api));
    let doc = quote!(#(#![doc = #lines])*);
    let allows = generated_code_allows();
    Ok(quote! {
        #doc
        #![allow(#allows)]
        #items
    })
}

/// Formats emitted tokens as a Rust file (prettyplease, a blank line between items). Fails only
/// when the tokens are not Rust items, a bug of the emitter.
pub fn format(tokens: TokenStream) -> Result<String, syn::Error> {
    format::format(tokens)
}

/// `super::super::`: the path to the client's root from a module `depth` levels below it.
fn root_path(depth: usize) -> TokenStream {
    let supers = (0..depth).map(|_| quote!(super::));
    quote!(#(#supers)*)
}

/// Items of a module: one `pub mod` per operation and per sub-folder, and for folders the
/// `Ops` accessor struct.
fn module_body(
    module: &Module,
    depth: usize,
    parents: &str,
    context: operation::Context<'_>,
) -> TokenStream {
    let root_from_op = root_path(depth + 1);
    let operations = module
        .operations
        .iter()
        .map(|op| operation::operation(op, &root_from_op, parents, context));
    let folders = module.modules.iter().map(|m| {
        let name = ident(&m.ident);
        let mut text = m.doc.clone().unwrap_or_default();
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&format!("Folder \"{}\".", m.name));
        let doc = docs(Some(&text));
        let body = module_body(m, depth + 1, &format!("{parents}{name}::"), context);
        quote! {
            #doc
            pub mod #name {
                #body
            }
        }
    });
    let ops_struct = (depth > 0).then(|| {
        // The accessors of the folder's own operations name runtime types.
        let root = root_path(depth);
        let use_root = if module.operations.is_empty() {
            quote!(use #root Client;)
        } else {
            quote!(use #root {runtime, Client};)
        };
        let client = quote!(Client);
        let accessors = accessors(module, quote!(self.client), depth);
        let doc = docs(Some(&format!(
            "The operations of folder \"{}\"; get one from the client.",
            module.name
        )));
        quote! {
            #use_root

            #doc
            #[derive(Debug, Clone, Copy)]
            pub struct Ops<'a> {
                pub(super) client: &'a #client,
            }

            impl<'a> Ops<'a> {
                /// The client these operations use.
                pub fn client(&self) -> &'a #client {
                    self.client
                }

                #accessors
            }
        }
    });
    quote! {
        #ops_struct
        #(#folders)*
        #(#operations)*
    }
}

/// Methods reaching sub-folders and sending operations; `client` is the `&Client` expression
/// and `depth` how far below the root the methods are defined.
fn accessors(module: &Module, client: TokenStream, depth: usize) -> TokenStream {
    let lifetime = if depth == 0 { quote!('_) } else { quote!('a) };
    let folders = module.modules.iter().map(|m| {
        let name = ident(&m.ident);
        let doc = docs(Some(&format!("Operations of folder \"{}\".", m.name)));
        quote! {
            #doc
            pub fn #name(&self) -> #name::Ops<#lifetime> {
                #name::Ops { client: #client }
            }
        }
    });
    let operations = module.operations.iter().map(|op| {
        let name = ident(&op.ident);
        let doc = docs(Some(&format!(
            "`{} {}`: sends a [`{}::Request`].",
            op.method, op.path, op.ident
        )));
        // At the root the method borrows the client; in a folder it takes the `Ops` (a copy
        // holding `&'a Client`).
        let (generics, receiver, lifetime) = if depth == 0 {
            (quote!(<'r>), quote!(&'r self), quote!('r))
        } else {
            (quote!(), quote!(self), quote!('a))
        };
        quote! {
            #doc
            pub fn #name #generics(#receiver, request: &#lifetime #name::Request)
                -> impl ::std::future::Future<Output = runtime::Outcome<#name::Request>>
                       + Send + #lifetime {
                runtime::Operation::send(request, #client)
            }
        }
    });
    quote! {
        #(#folders)*
        #(#operations)*
    }
}

/// `#[doc]` attributes, one per line, tabs expanded.
fn docs(text: Option<&str>) -> TokenStream {
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return TokenStream::new();
    };
    let lines = doc_lines(text);
    quote!(#(#[doc = #lines])*)
}

/// `#[doc]` attributes of text the generator wrote, as it is (no Markdown rewritten).
fn raw_docs(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| match line {
        "" => String::new(),
        line => format!(" {line}"),
    });
    quote!(#(#[doc = #lines])*)
}

fn doc_lines(text: &str) -> Vec<String> {
    markdown::untested_code_blocks(&text.replace('\t', "    "))
        .trim_end()
        .lines()
        .map(|line| {
            let line: String = line.chars().filter(|c| !c.is_control()).collect();
            let line = line.trim_end();
            if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            }
        })
        .collect()
}
