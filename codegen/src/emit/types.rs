//! Types and example values: `Ty` → type tokens, type definitions, example expressions.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use super::builders::{type_builders, Slot};
use super::docs;
use crate::ir::{EnumDef, SharedType, StructDef, Ty, TypeDef};
use crate::naming::ident;

/// The Rust type of `ty`; `runtime` is the path to the runtime module.
pub fn ty_tokens(ty: &Ty) -> TokenStream {
    match ty {
        Ty::String => quote!(String),
        Ty::I64 => quote!(i64),
        Ty::F64 => quote!(f64),
        Ty::Bool => quote!(bool),
        Ty::Value => quote!(runtime::serde_json::Value),
        Ty::File => quote!(runtime::FilePart),
        Ty::Vec(inner) => {
            let inner = ty_tokens(inner);
            quote!(Vec<#inner>)
        }
        Ty::Option(inner) => {
            let inner = ty_tokens(inner);
            quote!(Option<#inner>)
        }
        Ty::Named(name) => {
            let name = ident(name);
            quote!(#name)
        }
        Ty::Shared(name) => {
            let name = ident(name);
            quote!(types::#name)
        }
    }
}

/// A struct or enum definition.
pub fn type_def(def: &TypeDef) -> TokenStream {
    match def {
        TypeDef::Struct(def) => {
            let doc = format!("`{}`, inferred from the collection's examples.", def.name);
            struct_def(def, &doc)
        }
        TypeDef::Enum(def) => enum_def(def),
    }
}

/// The `types` module: the types several operations share, each documented with the
/// operations it serves; those that are sent come with their constructors and setters.
pub fn shared_types(types: &[SharedType]) -> TokenStream {
    if types.is_empty() {
        return TokenStream::new();
    }
    let nested = types.iter().any(|t| match &t.def {
        TypeDef::Struct(def) => def.fields.iter().any(|f| refers_to_shared(&f.ty)),
        TypeDef::Enum(_) => false,
    });
    let use_self = nested.then(|| {
        quote!(
            use super::types;
        )
    });
    let defs = types.iter().map(|shared| match &shared.def {
        TypeDef::Struct(def) => {
            let shown: Vec<String> = shared
                .users
                .iter()
                .take(SHOWN_USERS)
                .map(|u| format!("`{u}`"))
                .collect();
            let rest = shared.users.len().saturating_sub(SHOWN_USERS);
            let more = if rest > 0 {
                format!(" and {rest} more")
            } else {
                String::new()
            };
            let doc = format!(
                "`{}`, inferred from the collection's examples; {}{more} {} it.",
                def.name,
                shown.join(", "),
                if shared.sent { "use" } else { "decode into" }
            );
            let definition = struct_def(def, &doc);
            let builders = shared
                .sent
                .then(|| type_builders(&def.name, &Slot::of_struct(def)));
            quote!(#definition #builders)
        }
        TypeDef::Enum(def) => enum_def(def),
    });
    quote! {
        /// Types several operations share.
        pub mod types {
            use super::runtime;
            #use_self
            #(#defs)*
        }
    }
}

/// Operations a shared type's documentation names before counting the rest.
const SHOWN_USERS: usize = 4;

/// Whether `ty` names a shared type.
pub fn refers_to_shared(ty: &Ty) -> bool {
    match ty {
        Ty::Vec(inner) | Ty::Option(inner) => refers_to_shared(inner),
        Ty::Shared(_) => true,
        _ => false,
    }
}

fn struct_def(def: &StructDef, doc: &str) -> TokenStream {
    let name = ident(&def.name);
    let fields = def.fields.iter().map(|field| {
        let field_ident = ident(&field.ident);
        let ty = ty_tokens(&field.ty);
        let key = &field.key;
        // `self`, `crate`, `super` and `Self` come out as `self_` ...: compare what is emitted.
        let emitted = field_ident.to_string();
        let rename =
            (emitted.trim_start_matches("r#") != key).then(|| quote!(#[serde(rename = #key)]));
        // A key every example holds, sometimes as `null`, is sent as `null` when `None`.
        let optional = (matches!(field.ty, Ty::Option(_)) && field.optional)
            .then(|| quote!(#[serde(skip_serializing_if = "Option::is_none")]));
        let doc = docs(Some(&format!("JSON field `{key}`.")));
        quote! {
            #doc
            #rename
            #optional
            pub #field_ident: #ty,
        }
    });
    let doc = docs(Some(doc));
    // Response bodies (every field optional) can be made empty and filled in, e.g. in tests.
    let default = def
        .fields
        .iter()
        .all(|f| matches!(f.ty, Ty::Option(_)))
        .then(|| quote!(Default,));
    let takes = def.fields.iter().map(|field| {
        let (field_ident, key) = (ident(&field.ident), &field.key);
        quote!(#field_ident: fields.take(#key)?,)
    });
    let read = if def.fields.is_empty() {
        quote!(let _fields)
    } else {
        quote!(let mut fields)
    };
    quote! {
        #doc
        #[derive(Debug, Clone, #default PartialEq, runtime::serde::Serialize)]
        #[serde(crate = "runtime::serde")]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl<'de> runtime::serde::Deserialize<'de> for #name {
            fn deserialize<D: runtime::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #read = runtime::JsonFields::read(deserializer)?;
                Ok(Self { #(#takes)* })
            }
        }
    }
}

fn enum_def(def: &EnumDef) -> TokenStream {
    let name = ident(&def.name);
    let variants = def.variants.iter().map(|(variant, value)| {
        let variant = ident(variant);
        let doc = docs(Some(&format!("`{value}`")));
        quote! {
            #doc
            #[serde(rename = #value)]
            #variant,
        }
    });
    let arms = def.variants.iter().map(|(variant, value)| {
        let variant = ident(variant);
        quote!(Self::#variant => #value,)
    });
    let pairs = def.variants.iter().map(|(variant, value)| {
        let variant = ident(variant);
        quote!((#value, Self::#variant))
    });
    let doc = docs(Some(&format!(
        "The values `{}` allows, from its description.",
        def.name
    )));
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, runtime::serde::Serialize)]
        #[serde(crate = "runtime::serde")]
        #[non_exhaustive]
        #[allow(clippy::enum_variant_names)]
        pub enum #name {
            #(#variants)*
        }

        impl<'de> runtime::serde::Deserialize<'de> for #name {
            fn deserialize<D: runtime::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                runtime::decode_variant(deserializer, &[#(#pairs),*])
            }
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &'static str {
                match self {
                    #(#arms)*
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

/// The definitions an operation's code can name: its own, and the client's shared types.
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    /// The operation's types.
    pub local: &'a [TypeDef],
    /// The `types` module's.
    pub shared: &'a [SharedType],
}

impl<'a> Scope<'a> {
    /// The definition `name` names among the operation's own types.
    fn local(&self, name: &str) -> Option<&'a TypeDef> {
        self.local.iter().find(|def| def.name() == name)
    }

    /// The definition `name` names in the `types` module.
    fn shared(&self, name: &str) -> Option<&'a TypeDef> {
        self.shared
            .iter()
            .map(|shared| &shared.def)
            .find(|def| def.name() == name)
    }
}

/// An expression of type `ty` built from an example value (defaults where it has none).
pub fn example(ty: &Ty, value: Option<&Value>, scope: Scope<'_>) -> TokenStream {
    let value = value.filter(|v| !v.is_null() || matches!(ty, Ty::Value));
    match ty {
        Ty::String => {
            let text = match value {
                Some(Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
                None => return quote!(String::new()),
            };
            quote!(#text.to_owned())
        }
        Ty::I64 => {
            let n = Literal::i64_unsuffixed(value.and_then(Value::as_i64).unwrap_or(0));
            quote!(#n)
        }
        Ty::F64 => {
            let x = value
                .and_then(Value::as_f64)
                .filter(|x| x.is_finite())
                .unwrap_or(0.0);
            let x = Literal::f64_unsuffixed(x);
            quote!(#x)
        }
        Ty::Bool => {
            let b = value.and_then(Value::as_bool).unwrap_or(false);
            quote!(#b)
        }
        Ty::Value => {
            let json = value
                .map(Value::to_string)
                .unwrap_or_else(|| "null".to_owned());
            quote!(runtime::serde_json::from_str(#json).unwrap_or_default())
        }
        Ty::File => quote!(runtime::FilePart::default()),
        Ty::Vec(inner) => match value.and_then(Value::as_array) {
            Some(items) if !items.is_empty() => {
                let items = items.iter().map(|v| example(inner, Some(v), scope));
                quote!(Vec::from([#(#items),*]))
            }
            _ => quote!(Vec::new()),
        },
        Ty::Option(inner) => match value {
            Some(v) => {
                let inner = example(inner, Some(v), scope);
                quote!(Some(#inner))
            }
            None => quote!(None),
        },
        Ty::Named(name) => named_example(&ty_tokens(ty), scope.local(name), value, scope),
        Ty::Shared(name) => named_example(&ty_tokens(ty), scope.shared(name), value, scope),
    }
}

/// An example of the type `path` names, defined by `def`.
fn named_example(
    path: &TokenStream,
    def: Option<&TypeDef>,
    value: Option<&Value>,
    scope: Scope<'_>,
) -> TokenStream {
    match def {
        Some(TypeDef::Enum(def)) => {
            let wanted = value.map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            });
            let (variant, _) = def
                .variants
                .iter()
                .find(|(_, v)| Some(v) == wanted.as_ref())
                .or(def.variants.first())
                .cloned()
                .unwrap_or_default();
            let variant = ident(&variant);
            quote!(#path::#variant)
        }
        Some(TypeDef::Struct(def)) => {
            let fields = def.fields.iter().map(|field| {
                let field_ident = ident(&field.ident);
                let v = value.and_then(|v| v.get(&field.key));
                let expr = example(&field.ty, v, scope);
                quote!(#field_ident: #expr,)
            });
            quote!(#path { #(#fields)* })
        }
        None => quote!(::std::default::Default::default()),
    }
}
