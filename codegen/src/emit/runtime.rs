//! The runtime every client uses: carried inside a client, shared once per [`crate::Builder`]
//! output, or kept by the user where `runtime_path` points.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::print;
use crate::ir::AuthModule;
use crate::naming::ident;

/// Source of the runtime module.
pub(super) const RUNTIME: &str = include_str!("../../runtime/runtime.rs");

/// The dynamic variables the runtime generates or fixes, shared with the generator's warnings
/// ([`crate::ir::dynamic`]).
const DYNAMIC_NAMES: &str = include_str!("../../runtime/dynamic_names.rs");

/// Which names are credentials, shared with the generator.
const SECRET_NAMES: &str = include_str!("../../runtime/secret_names.rs");

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

/// FNV-1a of the runtime's core sources: a client generated against another runtime than the
/// one it is compiled with fails to compile and says why, rather than misbehaving.
fn fingerprint() -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for source in [RUNTIME, DYNAMIC_NAMES, SECRET_NAMES, TOKENS] {
        for byte in source.bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// [`fingerprint`] as a hexadecimal literal.
pub(super) fn fingerprint_literal() -> syn::LitInt {
    syn::LitInt::new(
        &format!("0x{:016x}", fingerprint()),
        proc_macro2::Span::call_site(),
    )
}

/// The runtime's items, with a child module for each auth scheme in `modules`: their sources
/// as written (rustfmt keeps them formatted), carried through the tokens to the printer.
pub fn items(modules: &BTreeSet<AuthModule>) -> TokenStream {
    let core: String = [RUNTIME, DYNAMIC_NAMES, SECRET_NAMES]
        .map(without_inner_docs)
        .join("\n");
    let core = print::verbatim(&core);
    let fingerprint = fingerprint_literal();
    let mut schemes = vec![child_module("tokens", TOKENS)];
    let mut emitted = BTreeSet::new();
    // Schemes that share a module (JWT and ASAP) bring it once.
    for &scheme in modules {
        if emitted.insert(scheme.module()) {
            schemes.push(child_module(scheme.module(), module_source(scheme)));
        }
    }
    quote! {
        #core

        /// Identifies this runtime's version; generated clients check it when they use a
        /// runtime kept apart from them.
        pub const FINGERPRINT: u64 = #fingerprint;

        #(#schemes)*
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

/// `pub mod name { ... }` holding `source` as written (its `//!` docs included).
fn child_module(name: &str, source: &str) -> TokenStream {
    let name = ident(name);
    let source = print::verbatim(source);
    quote! {
        pub mod #name {
            #source
        }
    }
}
