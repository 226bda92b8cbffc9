//! Constructors and chainable setters for what a caller fills in: `new` takes the required
//! fields, everything optional starts empty and has a setter named after its field.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::types::ty_tokens;
use crate::ir::{Param, StructDef, Ty, TypeDef};
use crate::naming::ident;

/// A field a constructor or setter fills.
pub struct Slot<'a> {
    /// Field name.
    pub ident: &'a str,
    /// Type without `Option`.
    pub ty: &'a Ty,
    /// Whether the field is an `Option` that starts empty.
    pub optional: bool,
    /// What it is, for docs: "path parameter `userId`".
    pub what: String,
}

impl<'a> Slot<'a> {
    /// The slot of a request parameter or form field.
    pub fn of_param(param: &'a Param) -> Self {
        Self {
            ident: &param.field,
            ty: &param.ty,
            optional: param.optional,
            what: format!("{} `{}`", param.place.describe(), param.key),
        }
    }

    /// The slots of a JSON struct's fields.
    pub fn of_struct(def: &'a StructDef) -> Vec<Self> {
        def.fields
            .iter()
            .map(|field| {
                let (ty, optional) = match &field.ty {
                    Ty::Option(inner) => (inner.as_ref(), true),
                    ty => (ty, false),
                };
                Slot {
                    ident: &field.ident,
                    ty,
                    optional,
                    what: format!("JSON field `{}`", field.key),
                }
            })
            .collect()
    }
}

/// `new`, taking each required slot (`impl Into<T>`) in order, then each of `extra` (field
/// name, type) as it is; the optional slots start as `None` and `rest` fields as their default.
pub fn constructor(
    slots: &[Slot<'_>],
    extra: &[(&str, TokenStream)],
    rest: &[&str],
    doc: &str,
) -> TokenStream {
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for slot in slots {
        let name = ident(slot.ident);
        if slot.optional {
            inits.push(quote!(#name: None,));
        } else {
            let ty = ty_tokens(slot.ty);
            args.push(quote!(#name: impl Into<#ty>));
            inits.push(quote!(#name: #name.into(),));
        }
    }
    for (field, ty) in extra {
        let name = ident(field);
        args.push(quote!(#name: #ty));
        inits.push(quote!(#name,));
    }
    for field in rest {
        let name = ident(field);
        inits.push(quote!(#name: Default::default(),));
    }
    let doc = docs(Some(doc));
    let allow = (args.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        #doc
        #allow
        pub fn new(#(#args),*) -> Self {
            Self { #(#inits)* }
        }
    }
}

/// A chainable setter for each optional slot of `place` (`self` or `self.body`), except those
/// whose names are `taken`; the names given are added to `taken`.
pub fn setters(slots: &[Slot<'_>], place: &TokenStream, taken: &mut Vec<String>) -> TokenStream {
    let mut out = TokenStream::new();
    for slot in slots.iter().filter(|s| s.optional) {
        if taken.iter().any(|t| t == slot.ident) {
            continue;
        }
        taken.push(slot.ident.to_owned());
        let name = ident(slot.ident);
        let ty = ty_tokens(slot.ty);
        let doc = docs(Some(&format!("Sets the {}.", slot.what)));
        out.extend(quote! {
            #doc
            pub fn #name(mut self, value: impl Into<#ty>) -> Self {
                #place.#name = Some(value.into());
                self
            }
        });
    }
    out
}

/// Whether a value of `ty` can start empty (`Default`): a struct whose fields are all optional,
/// a list, or JSON.
pub fn has_default(ty: &Ty, defs: &[TypeDef]) -> bool {
    match ty {
        Ty::Option(_) | Ty::Vec(_) | Ty::Value => true,
        Ty::Named(name) => defs.iter().any(|def| match def {
            TypeDef::Struct(def) => {
                def.name == *name && def.fields.iter().all(|f| matches!(f.ty, Ty::Option(_)))
            }
            TypeDef::Enum(_) => false,
        }),
        _ => false,
    }
}

/// The struct types a caller builds for a request body of type `ty`: it and the structs in its
/// fields, each once.
pub fn request_structs<'a>(ty: &Ty, defs: &'a [TypeDef]) -> Vec<&'a StructDef> {
    fn walk<'a>(ty: &Ty, defs: &'a [TypeDef], found: &mut Vec<&'a StructDef>) {
        match ty {
            Ty::Option(inner) | Ty::Vec(inner) => walk(inner, defs, found),
            Ty::Named(name) => {
                let def = defs.iter().find_map(|def| match def {
                    TypeDef::Struct(def) if def.name == *name => Some(def),
                    _ => None,
                });
                if let Some(def) = def {
                    if !found.iter().any(|d| d.name == def.name) {
                        found.push(def);
                        for field in &def.fields {
                            walk(&field.ty, defs, found);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    walk(ty, defs, &mut found);
    found
}

/// `impl Name { new, setters }` for a type a caller fills in, with fields `slots`: `new` when
/// a field is required (else the type is `Default`), setters for its optional fields.
pub fn type_builders(name: &str, slots: &[Slot<'_>]) -> TokenStream {
    let name = ident(name);
    let constructor = slots.iter().any(|s| !s.optional).then(|| {
        constructor(
            slots,
            &[],
            &[],
            "The value with its required fields; the rest start empty.",
        )
    });
    let mut taken = vec!["new".to_owned(), "default".to_owned()];
    let setters = setters(slots, &quote!(self), &mut taken);
    if constructor.is_none() && setters.is_empty() {
        return TokenStream::new();
    }
    quote! {
        impl #name {
            #constructor
            #setters
        }
    }
}
