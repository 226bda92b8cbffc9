//! The collection's `Client`: the runtime's client set up with the collection's servers and
//! variables, with an accessor for each folder and operation.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Attribute, ImplItem, Item, ItemImpl, Type};

use super::runtime::RUNTIME;

/// The hand-written part of every collection's client (`codegen/runtime/api_client.rs`).
const TEMPLATE: &str = include_str!("../../runtime/api_client.rs");

/// The client's items: the struct documented with `doc`, the template's impls with each
/// forwarding method documented as the runtime's, and `new` and `accessors`.
pub fn items(
    doc: &TokenStream,
    new: &TokenStream,
    accessors: &TokenStream,
) -> syn::Result<TokenStream> {
    let docs = runtime_client_docs()?;
    let mut items = syn::parse_file(TEMPLATE)?.items;
    for item in &mut items {
        match item {
            Item::Struct(def) => {
                let mut attrs: Vec<Attribute> = syn::parse_quote!(#doc);
                attrs.append(&mut def.attrs);
                def.attrs = attrs;
            }
            Item::Impl(block) if is_client_impl(block) => {
                for member in &mut block.items {
                    let ImplItem::Fn(method) = member else {
                        continue;
                    };
                    let name = method.sig.ident.to_string();
                    let doc = docs.get(&name).ok_or_else(|| {
                        syn::Error::new(
                            method.sig.ident.span(),
                            format!(
                                "the client forwards `{name}`, which the runtime's client lacks"
                            ),
                        )
                    })?;
                    let mut attrs = doc.clone();
                    attrs.append(&mut method.attrs);
                    method.attrs = attrs;
                    // rustfmt's trailing comma of a wrapped parameter list, printed on one line.
                    method.sig.inputs.pop_punct();
                }
            }
            _ => {}
        }
    }
    Ok(quote! {
        #(#items)*

        impl Client {
            #new
            #accessors
        }
    })
}

/// Documentation of each method of the runtime's `impl Client`, by name.
fn runtime_client_docs() -> syn::Result<BTreeMap<String, Vec<Attribute>>> {
    let mut docs = BTreeMap::new();
    for item in syn::parse_file(RUNTIME)?.items {
        let Item::Impl(block) = item else { continue };
        if !is_client_impl(&block) {
            continue;
        }
        for member in block.items {
            if let ImplItem::Fn(method) = member {
                let doc = method
                    .attrs
                    .into_iter()
                    .filter(|a| a.path().is_ident("doc"))
                    .collect();
                docs.insert(method.sig.ident.to_string(), doc);
            }
        }
    }
    Ok(docs)
}

/// Whether `block` is an inherent `impl Client`.
fn is_client_impl(block: &ItemImpl) -> bool {
    block.trait_.is_none()
        && matches!(&*block.self_ty, Type::Path(path) if path.path.is_ident("Client"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names of the by-value `with_*` methods of the inherent `impl Client` in `source`.
    fn builder_methods(source: &str) -> Vec<String> {
        let mut names = Vec::new();
        for item in syn::parse_file(source).unwrap().items {
            let Item::Impl(block) = item else { continue };
            if !is_client_impl(&block) {
                continue;
            }
            for member in block.items {
                let ImplItem::Fn(method) = member else {
                    continue;
                };
                let by_value = matches!(
                    method.sig.inputs.first(),
                    Some(syn::FnArg::Receiver(r)) if r.reference.is_none()
                );
                let name = method.sig.ident.to_string();
                if by_value && name.starts_with("with_") {
                    names.push(name);
                }
            }
        }
        names.sort();
        names
    }

    #[test]
    fn every_setting_of_the_runtime_client_is_forwarded() {
        assert_eq!(builder_methods(TEMPLATE), builder_methods(RUNTIME));
        assert!(builder_methods(RUNTIME).len() > 15);
    }

    /// The name of every method a caller of `Client` in `source` sees: its public inherent
    /// methods and its trait impls' methods.
    fn all_methods(source: &str) -> Vec<String> {
        let mut names = Vec::new();
        for item in syn::parse_file(source).unwrap().items {
            let Item::Impl(block) = item else { continue };
            let Type::Path(path) = &*block.self_ty else {
                continue;
            };
            if !path.path.is_ident("Client") {
                continue;
            }
            let inherent = block.trait_.is_none();
            for member in block.items {
                match member {
                    // Private methods are not the caller's to shadow.
                    ImplItem::Fn(method)
                        if !inherent || matches!(method.vis, syn::Visibility::Public(_)) =>
                    {
                        names.push(method.sig.ident.to_string());
                    }
                    _ => {}
                }
            }
        }
        names
    }

    #[test]
    fn operations_at_the_root_never_shadow_a_method_of_the_client() {
        let reserved = crate::ir::lower::ROOT_RESERVED;
        let mut methods = all_methods(RUNTIME);
        methods.extend(all_methods(TEMPLATE));
        // Derived `Clone` and `Debug`, and `Into` from the `From` impl.
        methods.extend(["clone", "fmt", "into"].map(str::to_owned));
        for method in methods {
            assert!(
                reserved.contains(&method.as_str()),
                "`{method}` is not reserved"
            );
        }
    }

    #[test]
    fn forwarded_methods_carry_the_runtime_docs() {
        let new = quote!();
        let tokens = items(&quote!(#[doc = " The client."]), &new, &new).unwrap();
        let text = tokens.to_string();
        assert!(text.contains("Replaces the base URL of the collection's main server."));
        assert!(text.contains("The client."));
    }
}
