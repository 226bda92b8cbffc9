//! IR → Rust: `quote!` builds the tokens, `syn` checks them, `prettyplease` prints them.
//!
//! Text from the collection only ever becomes string literals or `#[doc]` attributes.

mod builders;
mod markdown;
mod operation;
pub(crate) mod types;

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, AuthModule, Module};
use crate::naming::ident;

/// Source of the runtime module every generated client carries.
const RUNTIME: &str = include_str!("../../runtime/runtime.rs");

/// The dynamic variables the runtime generates or fixes, shared with the generator's warnings
/// ([`crate::ir::dynamic`]).
const DYNAMIC_NAMES: &str = include_str!("../../runtime/dynamic_names.rs");

/// Source of the runtime's `tokens` module: access tokens the client fetches.
const TOKENS: &str = include_str!("../../runtime/tokens.rs");

/// Source of the runtime module of each signing scheme, carried only where it is used.
fn module_source(scheme: AuthModule) -> &'static str {
    match scheme {
        AuthModule::OAuth1 => include_str!("../../runtime/oauth1.rs"),
        AuthModule::Digest => include_str!("../../runtime/digest.rs"),
        AuthModule::Hawk => include_str!("../../runtime/hawk.rs"),
        AuthModule::OAuth2 => include_str!("../../runtime/oauth2.rs"),
        AuthModule::Jwt | AuthModule::Asap => include_str!("../../runtime/jwt.rs"),
        AuthModule::AwsV4 => include_str!("../../runtime/aws.rs"),
        AuthModule::EdgeGrid => include_str!("../../runtime/edgegrid.rs"),
    }
}

/// Lints allowed on generated code: the opinionated groups a user's crate may turn on
/// (generated code cannot follow their advice); names that come from the collection, for
/// setters and constructor arguments named after fields (`add`, `to_date`, `foo`, a field
/// named like its struct); and those vendors' Markdown, kept as written, trips in docs.
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
        rustdoc::all
    )
}

/// The client as the items of a module (no wrapping `mod`).
pub fn items(api: &Api) -> Result<TokenStream, syn::Error> {
    let runtime = runtime_module(&api.auth_modules())?;
    let primary = &api.primary_server;
    let servers = api.servers.iter().map(|s| {
        let (key, default) = (&s.key, &s.default);
        quote!((#key, #default))
    });
    let variables = api
        .variables
        .iter()
        .map(|(name, value)| quote!((#name, #value)));
    let body = module_body(&api.root, 0, "");
    let accessors = accessors(&api.root, quote!(self), 0);
    let doc = docs(Some(&format!(
        "Client for the \"{}\" collection.",
        api.name
    )));
    Ok(quote! {
        #runtime

        pub use runtime::Client;

        impl Client {
            #doc
            ///
            /// Servers default to the collection's variables; change them with
            /// `with_base_url` or `with_server`. The collection's variables are the defaults
            /// of every `{{name}}` in its requests; `with_variable` and `with_environment`
            /// override them.
            pub fn new() -> Self {
                Self::with_servers(#primary, &[#(#servers),*])
                    .with_collection_variables(&[#(#variables),*])
            }

            #accessors
        }

        impl Default for Client {
            fn default() -> Self {
                Self::new()
            }
        }

        #body
    })
}

/// `pub mod runtime { ... }`: the support code every client carries, with a module for each
/// auth scheme in `modules`.
pub(crate) fn runtime_module(modules: &BTreeSet<AuthModule>) -> Result<TokenStream, syn::Error> {
    let mut items = syn::parse_file(RUNTIME)?.items;
    items.extend(syn::parse_file(DYNAMIC_NAMES)?.items);
    let mut schemes = vec![child_module("tokens", TOKENS)?];
    let mut emitted = BTreeSet::new();
    // Schemes that share a module (JWT and ASAP) bring it once.
    for &scheme in modules {
        if emitted.insert(scheme.module()) {
            schemes.push(child_module(scheme.module(), module_source(scheme))?);
        }
    }
    Ok(quote! {
        /// Support code shared by every operation of this client.
        pub mod runtime {
            #(#items)*
            #(#schemes)*
        }
    })
}

/// `pub mod name { ... }` with the items and inner docs of `source`.
fn child_module(name: &str, source: &str) -> Result<TokenStream, syn::Error> {
    let file = syn::parse_file(source)?;
    let name = ident(name);
    let (doc, items) = (file.attrs, file.items);
    Ok(quote! {
        pub mod #name {
            #(#doc)*
            #(#items)*
        }
    })
}

/// The client as a `pub mod name { ... }` with the collection's description.
pub fn module(api: &Api, name: &str) -> Result<TokenStream, syn::Error> {
    let items = items(api)?;
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
pub fn crate_root(api: &Api) -> Result<TokenStream, syn::Error> {
    let items = items(api)?;
    let lines = doc_lines(&collection_doc(api));
    let doc = quote!(#(#![doc = #lines])*);
    let allows = generated_code_allows();
    Ok(quote! {
        #doc
        #![allow(#allows)]
        #items
    })
}

/// Formats tokens as a Rust file.
pub fn format(tokens: TokenStream) -> Result<String, syn::Error> {
    let file = syn::parse2::<syn::File>(tokens)?;
    Ok(prettyplease::unparse(&file))
}

/// `use super::super::runtime;` for a module `depth` levels below the root.
fn use_runtime(depth: usize) -> TokenStream {
    let supers = (0..depth).map(|_| quote!(super::));
    quote!(use #(#supers)* runtime;)
}

/// Items of a module: one `pub mod` per operation and per sub-folder, and for folders the
/// `Ops` accessor struct.
fn module_body(module: &Module, depth: usize, parents: &str) -> TokenStream {
    let use_in_op = use_runtime(depth + 1);
    let operations = module
        .operations
        .iter()
        .map(|op| operation::operation(op, &use_in_op, parents));
    let folders = module.modules.iter().map(|m| {
        let name = ident(&m.ident);
        let mut text = m.doc.clone().unwrap_or_default();
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&format!("Folder \"{}\".", m.name));
        let doc = docs(Some(&text));
        let body = module_body(m, depth + 1, &format!("{parents}{name}::"));
        quote! {
            #doc
            pub mod #name {
                #body
            }
        }
    });
    let ops_struct = (depth > 0).then(|| {
        let use_runtime = use_runtime(depth);
        let accessors = accessors(module, quote!(self.client), depth);
        let doc = docs(Some(&format!(
            "The operations of folder \"{}\"; get one from the client.",
            module.name
        )));
        quote! {
            #use_runtime

            #doc
            #[derive(Debug, Clone, Copy)]
            pub struct Ops<'a> {
                pub(super) client: &'a runtime::Client,
            }

            impl<'a> Ops<'a> {
                /// The client these operations use.
                pub fn client(&self) -> &'a runtime::Client {
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
        quote! {
            #doc
            pub async fn #name(&self, request: &#name::Request) -> Result<runtime::Response<#name::Success>, runtime::Error<#name::Error>> {
                request.send(#client).await
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
