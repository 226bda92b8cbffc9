//! The collection's `Client`: the runtime's client set up with the collection's servers and
//! variables, with an accessor for each folder and operation.

use std::collections::BTreeMap;

use proc_macro2::{Span, TokenStream};
use quote::quote;

use super::runtime::{self, without_inner_docs};

/// The hand-written part of every collection's client (`codegen/templates/api_client.rs`).
const TEMPLATE: &str = include_str!("../../templates/api_client.rs");

/// The client's items: the struct documented with `doc`, the template's items with each
/// forwarding method documented as the runtime's, and `new` and `accessors`.
pub fn items(
    doc: &TokenStream,
    new: &TokenStream,
    accessors: &TokenStream,
) -> syn::Result<TokenStream> {
    // The template holds docs and no other comments, so its tokens say all it says.
    let template: TokenStream = documented_template()?
        .parse()
        .map_err(|e| syn::Error::new(Span::call_site(), format!("the client template: {e}")))?;
    Ok(quote! {
        #doc
        #template

        impl Client {
            #new
            #accessors
        }
    })
}

/// The template without its file docs, each method of its `impl Client` after the docs of
/// the runtime's method of the same name.
fn documented_template() -> syn::Result<String> {
    let docs = method_docs(runtime::source("client.rs"));
    let mut out = String::with_capacity(TEMPLATE.len() * 4);
    let mut in_client = false;
    for line in without_inner_docs(TEMPLATE).lines() {
        match line {
            "impl Client {" => in_client = true,
            "}" => in_client = false,
            _ => {}
        }
        if let Some(name) = method_name(line).filter(|_| in_client) {
            let doc = docs.get(name).ok_or_else(|| {
                syn::Error::new(
                    Span::call_site(),
                    format!("the client forwards `{name}`, which the runtime's client lacks"),
                )
            })?;
            for doc_line in doc {
                out.push_str(doc_line);
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
    }
    Ok(out)
}

/// The doc lines of each method of the inherent `impl Client` blocks of `source`, by name.
fn method_docs(source: &str) -> BTreeMap<&str, Vec<&str>> {
    let mut docs = BTreeMap::new();
    let (mut in_client, mut pending) = (false, Vec::new());
    for line in source.lines() {
        match line {
            "impl Client {" => in_client = true,
            "}" => in_client = false,
            _ if !in_client => {}
            _ if line.trim_start().starts_with("///") => pending.push(line),
            _ => match method_name(line) {
                Some(name) => {
                    docs.insert(name, std::mem::take(&mut pending));
                }
                // Attributes stand between a method's docs and its signature.
                None if line.trim_start().starts_with("#[") => {}
                None => pending.clear(),
            },
        }
    }
    docs
}

/// `name` in a method's first line: `    pub fn name(` or `    pub async fn name<`.
fn method_name(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("    pub ")?;
    let rest = rest.strip_prefix("async ").unwrap_or(rest);
    let rest = rest.strip_prefix("fn ")?;
    let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_'))?;
    Some(&rest[..end])
}

#[cfg(test)]
mod tests {
    use syn::{ImplItem, Item, ItemImpl, Type};

    use super::*;

    /// Whether `block` is an inherent `impl Client`.
    fn is_client_impl(block: &ItemImpl) -> bool {
        block.trait_.is_none()
            && matches!(&*block.self_ty, Type::Path(path) if path.path.is_ident("Client"))
    }

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
        assert_eq!(
            builder_methods(TEMPLATE),
            builder_methods(runtime::source("client.rs"))
        );
        assert!(builder_methods(runtime::source("client.rs")).len() > 15);
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
        let mut methods = all_methods(runtime::source("client.rs"));
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

    /// The template goes in as tokens, so a plain comment in it would be lost.
    #[test]
    fn the_template_has_docs_and_no_other_comments() {
        for line in TEMPLATE.lines() {
            let line = line.trim_start();
            assert!(
                !line.starts_with("//") || line.starts_with("///") || line.starts_with("//!"),
                "{line}"
            );
        }
    }

    #[test]
    fn forwarded_methods_carry_the_runtime_docs() {
        let new = quote!();
        let tokens = items(&quote!(#[doc = " The client."]), &new, &new).unwrap();
        let text = super::super::format(tokens).unwrap();
        assert!(text.starts_with("/// The client.\n#[derive(Debug, Clone)]\npub struct Client"));
        let (before, _) = text.split_once("    pub fn with_base_url(").unwrap();
        assert!(
            before.ends_with("    /// Replaces the base URL of the collection's main server.\n")
        );
        // Every method the template forwards follows the runtime's docs of it.
        let lines: Vec<&str> = text.lines().collect();
        let forwarding: Vec<usize> = (1..lines.len())
            .filter(|&i| method_name(lines[i]).is_some_and(|n| n.starts_with("with_")))
            .collect();
        assert_eq!(forwarding.len(), builder_methods(TEMPLATE).len());
        for i in forwarding {
            assert!(
                lines[i - 1].starts_with("    ///"),
                "{} has no docs",
                lines[i]
            );
        }
    }
}
