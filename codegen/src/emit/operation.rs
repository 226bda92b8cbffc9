//! One operation: its module with the request struct, body and response types, the sans-IO
//! `runtime::Operation` implementation: its route in `prepare`, its statuses in `decode`.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::builders::{constructor, has_default, request_structs, setters, type_builders, Slot};
use super::docs;
use super::types::{example, refers_to_shared, ty_tokens, type_def};
use crate::ir::{
    Auth, Body, Operation, Param, ParamIn, Piece, Response, ResponseKind, Ty, TypeDef,
};
use crate::naming::ident;

/// The `pub mod` of one operation; `root` is the path to the client's root module
/// (`super::super::`), `parents` the module path of its folder (`users::`, empty at the root).
pub fn operation(op: &Operation, root: &TokenStream, parents: &str) -> TokenStream {
    let module = ident(&op.ident);
    let name = format!("{parents}{module}");
    let summary = format!("`{} {}`", op.method, op.path);
    let mut doc_text = op.doc.clone().unwrap_or_default();
    if !doc_text.is_empty() {
        doc_text.push_str("\n\n");
    }
    doc_text.push_str(&summary);
    let module_doc = docs(Some(&doc_text));
    let request_doc = docs(Some(&format!(
        "Request of {summary} (\"{}\").",
        op.item_path.join(" / ")
    )));
    let method = &op.method;
    let path = &op.path;

    let mut fields: Vec<TokenStream> = op.params.iter().map(field).collect();
    let mut example_fields: Vec<TokenStream> =
        op.params.iter().map(|p| param_example(p, op)).collect();
    let (body_ty, body_example, body_def) = body_parts(op);
    if let Some(body_ty) = &body_ty {
        fields.push(quote! {
            /// Request body.
            pub body: #body_ty,
        });
        example_fields.push(quote!(body: #body_example,));
    }
    let builders = request_builders(op, body_ty.as_ref());
    let default = builders.default.then(|| quote!(Default,));
    let request_impl = builders.request;
    let body_builders = builders.types;
    let types = op.types.iter().map(type_def);
    let prepare = prepare_body(op);
    let (success, decode) = responses(op);

    let client = quote!(#root Client);
    let use_types = uses_shared_types(op).then(|| quote!(use #root types;));
    quote! {
        #module_doc
        pub mod #module {
            use #root runtime;
            #use_types

            #request_doc
            #[derive(Debug, Clone, #default PartialEq)]
            pub struct Request {
                #(#fields)*
            }

            #body_def
            #(#types)*
            #body_builders
            #success

            impl Request {
                #request_impl

                /// The request filled with the collection's saved example values.
                pub fn example() -> Self {
                    Self {
                        #(#example_fields)*
                    }
                }
            }

            impl runtime::Operation for Request {
                type Client = #client;
                type Success = Success;
                type Error = Error;
                const NAME: &'static str = #name;
                const METHOD: &'static str = #method;
                const PATH: &'static str = #path;

                fn prepare(
                    &self,
                    client: &Self::Client,
                ) -> Result<runtime::Prepared, runtime::BuildError> {
                    let client: &runtime::Client = client.as_ref();
                    #prepare
                }

                #decode
            }
        }
    }
}

/// Whether the operation's types or responses name a type of the client's `types` module.
fn uses_shared_types(op: &Operation) -> bool {
    let responses = op.responses.iter().any(|r| match &r.kind {
        ResponseKind::Json(ty) => refers_to_shared(ty),
        _ => false,
    });
    let types = op.types.iter().any(|def| match def {
        TypeDef::Struct(def) => def.fields.iter().any(|f| refers_to_shared(&f.ty)),
        TypeDef::Enum(_) => false,
    });
    responses || types
}

/// Methods of `Request` that its setters must not shadow.
const REQUEST_METHODS: &[&str] = &[
    "new",
    "default",
    "example",
    "prepare",
    "decode",
    "build",
    "to_curl",
    "parse_response",
    "send",
    "body",
];

/// What an operation's caller builds a request with.
struct Builders {
    /// `Request` derives `Default`: nothing is required.
    default: bool,
    /// `Request::new`, its setters, and the body's.
    request: TokenStream,
    /// `impl` blocks of the body types with constructors and setters.
    types: TokenStream,
}

/// `Request::new` takes the required parameters and a body that cannot start empty; optional
/// parameters, and the optional fields of a struct body, get setters on `Request`.
fn request_builders(op: &Operation, body_ty: Option<&TokenStream>) -> Builders {
    let params: Vec<Slot<'_>> = op.params.iter().map(Slot::of_param).collect();
    let (body_required, body_slots, types) = match &op.body {
        Body::None => (false, Vec::new(), TokenStream::new()),
        Body::Json { ty, .. } => {
            let structs = request_structs(ty, &op.types);
            let types = structs
                .iter()
                .map(|def| type_builders(&def.name, &Slot::of_struct(def)))
                .collect();
            let top = match ty {
                Ty::Named(name) => structs.iter().find(|def| def.name == *name),
                _ => None,
            };
            let slots = top.map(|def| Slot::of_struct(def)).unwrap_or_default();
            (!has_default(ty, &op.types), slots, types)
        }
        Body::Form(fields) | Body::Multipart(fields) => {
            let slots: Vec<Slot<'_>> = fields.iter().map(Slot::of_param).collect();
            let required = slots.iter().any(|s| !s.optional);
            let types = type_builders("Body", &slots);
            (required, slots, types)
        }
        Body::Raw { .. } | Body::Binary | Body::GraphQl { .. } => {
            (true, Vec::new(), TokenStream::new())
        }
    };
    let (extra, rest) = match body_ty {
        Some(ty) if body_required => (vec![("body", ty.clone())], Vec::new()),
        Some(_) => (Vec::new(), vec!["body"]),
        None => (Vec::new(), Vec::new()),
    };
    let doc = match (body_ty, body_required) {
        (Some(_), true) => {
            "The request with its required parameters and body; the rest start empty."
        }
        (Some(_), false) => {
            "The request with its required parameters; the rest, body fields included, start empty."
        }
        (None, _) => "The request with its required parameters; the rest start empty.",
    };
    let new = constructor(&params, &extra, &rest, doc);
    let mut taken: Vec<String> = REQUEST_METHODS.iter().map(|m| (*m).to_owned()).collect();
    let param_setters = setters(&params, &quote!(self), &mut taken);
    taken.extend(op.params.iter().map(|p| p.field.clone()));
    let body_setters = setters(&body_slots, &quote!(self.body), &mut taken);
    let body_setter = (body_ty.is_some() && !body_required).then(|| {
        quote! {
            /// Replaces the request body.
            pub fn body(mut self, body: #body_ty) -> Self {
                self.body = body;
                self
            }
        }
    });
    Builders {
        default: !body_required && params.iter().all(|p| p.optional),
        request: quote!(#new #param_setters #body_setter #body_setters),
        types,
    }
}

fn field(param: &Param) -> TokenStream {
    let name = ident(&param.field);
    let mut ty = ty_tokens(&param.ty);
    if param.optional {
        ty = quote!(Option<#ty>);
    }
    let mut text = format!("{} `{}`.", param.place.describe(), param.key);
    text[..1].make_ascii_uppercase();
    if let Some(doc) = &param.doc {
        text.push_str("\n\n");
        text.push_str(doc);
    }
    let doc = docs(Some(&text));
    quote! {
        #doc
        pub #name: #ty,
    }
}

fn param_example(param: &Param, op: &Operation) -> TokenStream {
    let name = ident(&param.field);
    let value = example(&param.ty, param.example.as_ref(), &op.types);
    let value = match (param.optional, &param.example) {
        (false, _) => value,
        (true, Some(_)) => quote!(Some(#value)),
        (true, None) => quote!(None),
    };
    quote!(#name: #value,)
}

/// The body field's type, its example, and the form struct definition if any.
fn body_parts(op: &Operation) -> (Option<TokenStream>, TokenStream, TokenStream) {
    match &op.body {
        Body::None => (None, TokenStream::new(), TokenStream::new()),
        Body::Json {
            ty, example: value, ..
        } => (
            Some(ty_tokens(ty)),
            example(ty, Some(value), &op.types),
            TokenStream::new(),
        ),
        Body::Raw { example: text, .. } => (
            Some(quote!(String)),
            quote!(#text.to_owned()),
            TokenStream::new(),
        ),
        Body::Binary => (
            Some(quote!(Vec<u8>)),
            quote!(Vec::new()),
            TokenStream::new(),
        ),
        Body::GraphQl {
            query,
            variables,
            variables_ty,
        } => {
            let (ty, variables) = match variables_ty {
                Some(ty) => {
                    let tokens = ty_tokens(ty);
                    (
                        quote!(runtime::GraphQlBody<#tokens>),
                        example(ty, Some(variables), &op.types),
                    )
                }
                None => {
                    let json = variables.to_string();
                    (
                        quote!(runtime::GraphQlBody),
                        quote!(::serde_json::from_str(#json).unwrap_or_default()),
                    )
                }
            };
            (
                Some(ty),
                quote!(runtime::GraphQlBody {
                    query: #query.to_owned(),
                    variables: #variables,
                }),
                TokenStream::new(),
            )
        }
        Body::Form(params) | Body::Multipart(params) => {
            let fields = params.iter().map(field);
            let examples = params.iter().map(|p| param_example(p, op));
            let kind = if matches!(op.body, Body::Form(_)) {
                "url-encoded"
            } else {
                "multipart"
            };
            let doc = docs(Some(&format!("Fields of the {kind} body.")));
            let default = params.iter().all(|p| p.optional).then(|| quote!(Default,));
            (
                Some(quote!(Body)),
                quote!(Body { #(#examples)* }),
                quote! {
                    #doc
                    #[derive(Debug, Clone, #default PartialEq)]
                    pub struct Body {
                        #(#fields)*
                    }
                },
            )
        }
    }
}

/// A `&str` expression for a parameter; `value` is a place of type `T`, or of type `&T` when
/// `borrowed`.
fn as_str(param: &Param, value: TokenStream, borrowed: bool) -> TokenStream {
    let reference = if borrowed {
        quote!(#value)
    } else {
        quote!(&#value)
    };
    if param.json {
        quote!(&runtime::to_json(#reference)?)
    } else if param.ty == Ty::String {
        reference
    } else {
        quote!(&#value.to_string())
    }
}

fn prepare_body(op: &Operation) -> TokenStream {
    let method = &op.method;
    let server = &op.server;
    let segments = op.segments.iter().map(|pieces| {
        let pieces = pieces.iter().map(|piece| match piece {
            Piece::Lit(text) => quote!(runtime::Piece::Lit(#text)),
            Piece::Param(field) => {
                let param = op.params.iter().find(|p| p.field == *field);
                let name = ident(field);
                match param {
                    Some(Param {
                        default: Some(variable),
                        ..
                    }) => quote!(runtime::Piece::Param(self.#name.as_deref().unwrap_or(#variable))),
                    Some(p) if p.ty == Ty::String => quote!(runtime::Piece::Param(&self.#name)),
                    _ => quote!(runtime::Piece::Param(&self.#name.to_string())),
                }
            }
        });
        quote!(builder.segment(&[#(#pieces),*]);)
    });
    let params = op
        .params
        .iter()
        .filter(|p| p.place != ParamIn::Path)
        .map(|p| {
            let name = ident(&p.field);
            let key = &p.key;
            let call = |value: TokenStream| match p.place {
                ParamIn::Header => quote!(builder.header(#key, #value)?;),
                _ => quote!(builder.query(#key, #value);),
            };
            if p.place == ParamIn::QueryFlag {
                quote!(if self.#name { builder.query_flag(#key); })
            } else if let Ty::Vec(element) = &p.ty {
                let value = match **element {
                    Ty::String => quote!(value),
                    _ => quote!(&value.to_string()),
                };
                let call = call(value);
                quote!(for value in &self.#name { #call })
            } else if p.optional {
                let set = call(as_str(p, quote!(value), true));
                match &p.default {
                    Some(variable) => {
                        let unset = call(quote!(#variable));
                        quote!(if let Some(value) = &self.#name { #set } else { #unset })
                    }
                    None => quote!(if let Some(value) = &self.#name { #set }),
                }
            } else {
                call(as_str(p, quote!(self.#name), false))
            }
        });
    let fixed = op
        .fixed_headers
        .iter()
        .map(|(k, v)| quote!(builder.header(#k, #v)?;));
    let auth = auth_tokens(&op.auth);
    let body = body_tokens(op);
    quote! {
        let mut builder = runtime::RequestBuilder::new(client, #method, #server)?;
        #(#segments)*
        #(#params)*
        #(#fixed)*
        #body
        builder.auth(client, #auth)?;
        Ok(builder.finish())
    }
}

fn auth_tokens(auth: &Auth) -> TokenStream {
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

fn body_tokens(op: &Operation) -> TokenStream {
    match &op.body {
        Body::None => TokenStream::new(),
        Body::Json { mime, unquoted, .. } if unquoted.is_empty() => {
            quote!(builder.json(&self.body, #mime)?;)
        }
        Body::Json { mime, unquoted, .. } => {
            let unquoted = unquoted
                .iter()
                .map(|(pointer, name)| quote!((#pointer, #name)));
            quote!(builder.json_template(&self.body, #mime, &[#(#unquoted),*])?;)
        }
        Body::GraphQl { .. } => quote!(builder.json(&self.body, "application/json")?;),
        Body::Raw { mime, .. } => quote! {
            builder.body(runtime::Body::Bytes {
                content_type: #mime.to_owned(),
                bytes: self.body.as_bytes().to_vec(),
            });
        },
        // As in Postman, a file body has no content type unless the collection declares one
        // (sent as a header).
        Body::Binary => quote! {
            builder.body(runtime::Body::Bytes {
                content_type: String::new(),
                bytes: self.body.clone(),
            });
        },
        Body::Form(params) => {
            let fields = params
                .iter()
                .map(|p| form_entry(p, |key, value| quote!((#key, #value))));
            quote!(builder.body(runtime::form_body(vec![#(#fields),*]));)
        }
        Body::Multipart(params) => {
            let parts = params.iter().map(|p| {
                let is_file = p.ty == Ty::File;
                form_entry(p, |key, value| {
                    if is_file {
                        quote!(runtime::Part::file(#key, #value))
                    } else {
                        quote!(runtime::Part::text(#key, #value))
                    }
                })
            });
            quote!(builder.body(runtime::multipart_body(vec![#(#parts),*]));)
        }
    }
}

/// `Option<entry>` for one form field; `make` builds the entry from key and owned value.
fn form_entry(param: &Param, make: impl Fn(&str, TokenStream) -> TokenStream) -> TokenStream {
    let name = ident(&param.field);
    let key = &param.key;
    let owned = param.ty == Ty::String || param.ty == Ty::File;
    match (param.optional, param.json, owned) {
        (false, false, _) => {
            let value = if owned {
                quote!(self.body.#name.clone())
            } else {
                quote!(self.body.#name.to_string())
            };
            let entry = make(key, value);
            quote!(Some(#entry))
        }
        (false, true, _) => {
            let entry = make(key, quote!(runtime::to_json(&self.body.#name)?));
            quote!(Some(#entry))
        }
        (true, true, _) => {
            let entry = make(key, quote!(value));
            quote!(self.body.#name.as_ref().map(runtime::to_json).transpose()?.map(|value| #entry))
        }
        (true, false, true) => match &param.default {
            Some(variable) => {
                let entry = make(key, quote!(value));
                quote!(Some({
                    let value = self.body.#name.clone().unwrap_or_else(|| #variable.to_owned());
                    #entry
                }))
            }
            None => {
                let entry = make(key, quote!(value));
                quote!(self.body.#name.clone().map(|value| #entry))
            }
        },
        (true, false, false) => {
            let entry = make(key, quote!(value.to_string()));
            quote!(self.body.#name.as_ref().map(|value| #entry))
        }
    }
}

/// The `Success` and `Error` types and `decode`.
fn responses(op: &Operation) -> (TokenStream, TokenStream) {
    let mut success_variants = Vec::new();
    let mut error_variants = Vec::new();
    let mut arms = Vec::new();
    for response in &op.responses {
        let status = Literal::u16_unsuffixed(response.status);
        let name = ident(&response.variant);
        let success = response.is_success();
        let finish = |value: TokenStream| {
            if success {
                quote!(raw.ok(Success::#value))
            } else {
                quote!(raw.fail(Self::ID, Error::#value))
            }
        };
        // A success saved without a body keeps the body that comes (204, 205 and 304 have
        // none); an error's body is always kept beside it in `ApiError`.
        let untyped = success
            && response.kind == ResponseKind::Empty
            && !matches!(response.status, 204 | 205 | 304);
        let (payload, arm) = match &response.kind {
            ResponseKind::Empty if untyped => (
                Some(quote!(runtime::RawResponse)),
                quote!(#status => raw.ok_raw(Success::#name),),
            ),
            ResponseKind::Empty => {
                let finish = finish(quote!(#name));
                (None, quote!(#status => #finish,))
            }
            ResponseKind::Text | ResponseKind::Json(_) => {
                let (ty, value) = match &response.kind {
                    ResponseKind::Json(ty) => (ty_tokens(ty), quote!(raw.json(Self::ID)?)),
                    _ => (quote!(String), quote!(raw.text())),
                };
                let finish = finish(quote!(#name(body)));
                let arm = quote!(#status => {
                    let body = #value;
                    #finish
                });
                (Some(ty), arm)
            }
        };
        arms.push(arm);
        let def = variant_def(response, payload);
        if success {
            success_variants.push(def);
        } else {
            error_variants.push(def);
        }
    }
    let defs = quote! {
        /// The success responses: one variant per documented 2xx status, and any other 2xx as
        /// it came (more variants may appear when the collection documents more statuses).
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum Success {
            #(#success_variants)*
            /// A 2xx status the collection does not document, kept as it came.
            Undocumented(runtime::RawResponse),
        }

        /// The error statuses: one variant per documented status, with its body where the
        /// collection saved one. The response itself is in [`runtime::ApiError::response`].
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum Error {
            #(#error_variants)*
            /// A status the collection does not document.
            Undocumented,
        }
    };
    let decode = quote! {
        fn decode(raw: runtime::RawResponse) -> runtime::Outcome<Self> {
            match raw.status.as_u16() {
                #(#arms)*
                _ if raw.status.is_success() => raw.ok_raw(Success::Undocumented),
                _ => raw.fail(Self::ID, Error::Undocumented),
            }
        }
    };
    (defs, decode)
}

fn variant_def(response: &Response, payload: Option<TokenStream>) -> TokenStream {
    let name = ident(&response.variant);
    let mut text = format!("Status {}.", response.status);
    if let Some(doc) = &response.doc {
        text.push_str("\n\n");
        text.push_str(doc);
    }
    let doc = docs(Some(&text));
    match payload {
        Some(ty) => quote!(#doc #name(#ty),),
        None => quote!(#doc #name,),
    }
}
