//! The client's auth schemes: each distinct way its operations authenticate is one private
//! constant at the client's root (`AUTH_OAUTH2`), which the operations' `AUTH` name.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, Auth, Module};
use crate::naming::ident;

/// The distinct schemes of a client's operations, each with its constant's name.
pub struct AuthSchemes {
    schemes: Vec<(Auth, String)>,
}

impl AuthSchemes {
    /// The schemes `api`'s operations use, named in the order they are first met.
    pub fn of(api: &Api) -> Self {
        fn walk(module: &Module, schemes: &mut Vec<(Auth, String)>) {
            for op in &module.operations {
                if op.auth == Auth::None || schemes.iter().any(|(auth, _)| *auth == op.auth) {
                    continue;
                }
                let own_kind = kind(&op.auth);
                let count = schemes
                    .iter()
                    .filter(|(auth, _)| kind(auth) == own_kind)
                    .count();
                let name = match count {
                    0 => format!("AUTH_{own_kind}"),
                    n => format!("AUTH_{own_kind}_{}", n + 1),
                };
                schemes.push((op.auth.clone(), name));
            }
            for child in &module.modules {
                walk(child, schemes);
            }
        }
        let mut schemes = Vec::new();
        walk(&api.root, &mut schemes);
        Self { schemes }
    }

    /// The constants, for the client's root module.
    pub fn items(&self) -> TokenStream {
        let consts = self.schemes.iter().map(|(auth, name)| {
            let name = ident(name);
            let value = scheme(auth);
            quote! {
                const #name: runtime::AuthScheme = #value;
            }
        });
        quote!(#(#consts)*)
    }

    /// The name of the root's constant for `auth`, which an operation imports; `None` when
    /// the operation sends no credentials.
    pub fn constant(&self, auth: &Auth) -> Option<syn::Ident> {
        self.schemes
            .iter()
            .find(|(known, _)| known == auth)
            .map(|(_, name)| ident(name))
    }
}

/// The kind of a scheme, in a constant's name.
fn kind(auth: &Auth) -> String {
    match auth {
        Auth::None => "NONE".to_owned(),
        Auth::Basic { .. } => "BASIC".to_owned(),
        Auth::OAuth2 { .. } => "OAUTH2".to_owned(),
        Auth::Token { .. } => "TOKEN".to_owned(),
        Auth::ApiKey { .. } => "API_KEY".to_owned(),
        Auth::Signed { scheme, .. } => scheme.module().to_ascii_uppercase(),
    }
}

/// The `runtime::AuthScheme` value of `auth`.
fn scheme(auth: &Auth) -> TokenStream {
    let option = |value: &Option<String>| match value {
        Some(text) => quote!(Some(#text)),
        None => quote!(None),
    };
    match auth {
        Auth::None => quote!(runtime::AuthScheme::None),
        Auth::Basic { user, password } => {
            let (user, password) = (option(user), option(password));
            quote!(runtime::AuthScheme::Basic { user: #user, password: #password })
        }
        Auth::OAuth2 {
            prefix,
            in_query,
            credential,
            grant,
        } => {
            let credential = option(credential);
            let grant = if grant.is_empty() {
                quote!(None)
            } else {
                let settings = grant.iter().map(|(name, value)| quote!((#name, #value)));
                quote!(Some(&runtime::oauth2::Grant { settings: &[#(#settings),*] }))
            };
            quote!(runtime::AuthScheme::OAuth2 {
                prefix: #prefix,
                in_query: #in_query,
                credential: #credential,
                grant: #grant,
            })
        }
        Auth::Token {
            header,
            prefix,
            credential,
            written,
        } => {
            let credential = option(credential);
            quote!(runtime::AuthScheme::Token { header: #header, prefix: #prefix, credential: #credential, written: #written })
        }
        Auth::ApiKey {
            name,
            prefix,
            in_query,
            credential,
        } => {
            let credential = option(credential);
            quote!(runtime::AuthScheme::ApiKey { name: #name, prefix: #prefix, in_query: #in_query, credential: #credential })
        }
        Auth::Signed { scheme, settings } => {
            let settings = settings.iter().map(|(name, value)| quote!((#name, #value)));
            let (module, signer) = (ident(scheme.module()), ident(scheme.signer()));
            quote!(runtime::AuthScheme::Signed(
                &runtime::#module::#signer { settings: &[#(#settings),*] }
            ))
        }
    }
}
