//! One operation: its module with the request struct, body and response types, the sans-IO
//! `runtime::Operation` implementation: its route in `encode`, its statuses in `decode`.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::auth::AuthSchemes;
use super::builders::{constructor, has_default, request_structs, setters, type_builders, Slot};
use super::docs;
use super::types::{example, refers_to_shared, ty_tokens, type_def, Scope};
use crate::ir::{
    Body, Operation, Param, ParamIn, Piece, Response, ResponseKind, SharedType, Ty, TypeDef,
};
use crate::naming::ident;

/// What the operations of a client refer to besides their own items.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    /// The `types` module.
    pub types: &'a [SharedType],
    /// The auth schemes' constants.
    pub auth: &'a AuthSchemes,
    /// Whether operations answer the mock (a client on the runtime crate, which holds it).
    pub mock: bool,
    /// The client's path from a doctest, when known: examples are then checked.
    pub client_path: Option<&'a str>,
}

/// The `pub mod` of one operation; `root` is the path to the client's root module
/// (`super::super::`), `parents` the module path of its folder (`users::`, empty at the root).
pub fn operation(
    op: &Operation,
    root: &TokenStream,
    parents: &str,
    context: Context<'_>,
) -> TokenStream {
    let scope = Scope {
        local: &op.types,
        shared: context.types,
    };
    let module = ident(&op.ident);
    let name = format!("{parents}{module}");
    let summary = format!("`{} {}`", op.method, op.path);
    let mut doc_text = op.doc.clone().unwrap_or_default();
    if !doc_text.is_empty() {
        doc_text.push_str("\n\n");
    }
    doc_text.push_str(&summary);
    doc_text.push_str(&super::scripts::doc(op));
    doc_text.push_str(&super::paging::doc(op));
    let module_doc = docs(Some(&doc_text));
    let request_doc = docs(Some(&format!(
        "Request of {summary} (\"{}\").",
        op.item_path.join(" / ")
    )));
    // Apart from the collection's text, whose Markdown could leave a code block open.
    let example_doc = super::raw_docs(&super::examples::section(op, parents, context.client_path));
    let method = &op.method;
    let path = &op.path;
    let server = &op.server;

    let mut fields: Vec<TokenStream> = op.params.iter().map(field).collect();
    let mut example_fields: Vec<TokenStream> =
        op.params.iter().map(|p| param_example(p, scope)).collect();
    let (body_ty, body_example, body_def) = body_parts(op, scope);
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
    let encode = encode_body(op);
    // A request to the server's root with nothing to send writes nothing.
    let builder = if encode.is_empty() {
        quote!(_builder)
    } else {
        quote!(builder)
    };
    let auth_const = context.auth.constant(&op.auth);
    let auth = auth_const
        .as_ref()
        .map(|name| quote!(const AUTH: runtime::AuthScheme = #name;));
    let scripts = super::scripts::consts(op, root);
    let (success, decode) = responses(op);
    let mocked = context.mock.then(|| super::mock::mocked(op));

    let (debug, debug_impl) = request_debug(op, body_ty.is_some());
    // What the module takes from the client's root, imported once; the client by its path
    // where a type of the module has its name.
    let client_clash = op.types.iter().any(|def| def.name() == "Client");
    let client = if client_clash {
        quote!(#root Client)
    } else {
        quote!(Client)
    };
    let paged = super::paging::items(op, &client);
    let imports = [
        Some(quote!(runtime)),
        uses_shared_types(op).then(|| quote!(types)),
        (!client_clash).then(|| quote!(Client)),
        auth_const.map(|name| quote!(#name)),
    ]
    .into_iter()
    .flatten();
    quote! {
        #module_doc
        pub mod #module {
            use #root {#(#imports),*};

            #request_doc
            ///
            #example_doc
            #[derive(#debug Clone, #default PartialEq)]
            #[non_exhaustive]
            pub struct Request {
                #(#fields)*
            }
            #debug_impl

            #body_def
            #(#types)*
            #body_builders
            #success

            impl Request {
                #request_impl

                /// The request with the collection's saved example values.
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
                const SERVER: &'static str = #server;
                #auth
                #scripts

                fn encode(&self, #builder: &mut runtime::RequestBuilder) {
                    #encode
                }

                #decode
            }

            #paged

            #mocked
        }
    }
}

/// `Debug,` to derive for `Request`, or, when a parameter is named like a credential, an impl
/// that shows it as `<redacted>`, as the client's own `Debug` does.
fn request_debug(op: &Operation, has_body: bool) -> (TokenStream, TokenStream) {
    if !op.params.iter().any(|p| crate::is_secret_name(&p.key)) {
        return (quote!(Debug,), TokenStream::new());
    }
    let fields = op.params.iter().map(|p| {
        let name = ident(&p.field);
        let shown = p.field.trim_start_matches("r#");
        match (crate::is_secret_name(&p.key), p.optional) {
            (false, _) => quote!(.field(#shown, &self.#name)),
            (true, false) => quote!(.field(#shown, &runtime::Redacted)),
            (true, true) => quote!(.field(#shown, &self.#name.as_ref().map(runtime::Redacted::of))),
        }
    });
    let body = has_body.then(|| quote!(.field("body", &self.body)));
    let debug_impl = quote! {
        impl std::fmt::Debug for Request {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct("Request")
                    #(#fields)*
                    #body
                    .finish()
            }
        }
    };
    (TokenStream::new(), debug_impl)
}

/// Whether the operation's parameters, body, types or responses name a type of the client's
/// `types` module.
fn uses_shared_types(op: &Operation) -> bool {
    let params = op.params.iter().any(|p| refers_to_shared(&p.ty));
    let body = match &op.body {
        Body::Json { ty, .. }
        | Body::GraphQl {
            variables_ty: Some(ty),
            ..
        } => refers_to_shared(ty),
        Body::Form(fields) | Body::Multipart(fields) => {
            fields.iter().any(|f| refers_to_shared(&f.ty))
        }
        _ => false,
    };
    let responses = op.responses.iter().any(|r| match &r.kind {
        ResponseKind::Json(ty) => refers_to_shared(ty),
        _ => false,
    });
    let types = op.types.iter().any(|def| match def {
        TypeDef::Struct(def) => def.fields.iter().any(|f| refers_to_shared(&f.ty)),
        TypeDef::Enum(_) => false,
    });
    params || body || responses || types
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
    "body_map",
    "pages",
    "items",
    "next_page",
];

/// What an operation's caller builds a request with.
struct Builders {
    /// `Request` derives `Default`: nothing is required.
    default: bool,
    /// `Request::new`, its setters, and `body`/`body_map`.
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
    let body_setter = (body_ty.is_some() && !body_required).then(|| {
        quote! {
            /// Replaces the request body.
            pub fn body(mut self, body: #body_ty) -> Self {
                self.body = body;
                self
            }
        }
    });
    // A body field is set one way, through the body's own setters: the same for a body of the
    // operation's own type or a shared one, and no field loses its setter to a parameter of
    // the same name.
    let body_map = body_ty.map(|ty| {
        let mut text = "Changes the request body with `f`, which takes the body as it is and \
                        returns it changed"
            .to_owned();
        match body_slots.iter().find(|slot| slot.optional) {
            Some(slot) => text.push_str(&format!(
                ", e.g. with its setters: `.body_map(|body| body.{}(value))`.",
                ident(slot.ident)
            )),
            None => text.push('.'),
        }
        let doc = docs(Some(&text));
        quote! {
            #doc
            pub fn body_map(mut self, f: impl FnOnce(#ty) -> #ty) -> Self {
                self.body = f(self.body);
                self
            }
        }
    });
    Builders {
        default: !body_required && params.iter().all(|p| p.optional),
        request: quote!(#new #param_setters #body_setter #body_map),
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

fn param_example(param: &Param, scope: Scope<'_>) -> TokenStream {
    let name = ident(&param.field);
    let value = example(&param.ty, param.example.as_ref(), scope);
    let value = match (param.optional, &param.example) {
        (false, _) => value,
        (true, Some(_)) => quote!(Some(#value)),
        (true, None) => quote!(None),
    };
    quote!(#name: #value,)
}

/// The body field's type, its example, and the form struct definition if any.
fn body_parts(op: &Operation, scope: Scope<'_>) -> (Option<TokenStream>, TokenStream, TokenStream) {
    match &op.body {
        Body::None => (None, TokenStream::new(), TokenStream::new()),
        Body::Json {
            ty, example: value, ..
        } => (
            Some(ty_tokens(ty)),
            example(ty, Some(value), scope),
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
                        example(ty, Some(variables), scope),
                    )
                }
                None => {
                    let json = variables.to_string();
                    (
                        quote!(runtime::GraphQlBody),
                        quote!(runtime::serde_json::from_str(#json).unwrap_or_default()),
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
            let examples = params.iter().map(|p| param_example(p, scope));
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
                    #[non_exhaustive]
                    pub struct Body {
                        #(#fields)*
                    }
                },
            )
        }
    }
}

/// The statements of `encode`: path segments, query parameters, headers and body.
fn encode_body(op: &Operation) -> TokenStream {
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
            let method = match p.place {
                ParamIn::Header => "header",
                _ => "query",
            };
            let name = ident(&p.field);
            value_statement(p, quote!(self.#name), method)
        });
    let fixed = op
        .fixed_headers
        .iter()
        .map(|(k, v)| quote!(builder.header(#k, #v);));
    let body = body_tokens(op);
    quote! {
        #(#segments)*
        #(#params)*
        #(#fixed)*
        #body
    }
}

/// The statement that writes parameter or form field `param`, held at `place`, with the
/// builder's method `method` (`query`, `header`, `field`), its `_opt` form for optional ones
/// and its `_json` form for JSON values (which only form fields carry: `field_json`).
fn value_statement(param: &Param, place: TokenStream, method: &str) -> TokenStream {
    let key = &param.key;
    let method_json = format_ident!("{method}_json");
    let method_opt = format_ident!("{method}_opt");
    let method = format_ident!("{method}");
    if param.place == ParamIn::QueryFlag {
        return quote!(if #place { builder.query_flag(#key); });
    }
    if param.ty == Ty::File {
        return if param.optional {
            quote!(if let Some(file) = &#place { builder.file(#key, file); })
        } else {
            quote!(builder.file(#key, &#place);)
        };
    }
    if param.json {
        return if param.optional {
            quote!(if let Some(value) = &#place { builder.#method_json(#key, value); })
        } else {
            quote!(builder.#method_json(#key, &#place);)
        };
    }
    if let Ty::Vec(_) = &param.ty {
        return quote!(for value in &#place { builder.#method(#key, value); });
    }
    match (param.optional, &param.default) {
        // Numbers, booleans and enums are `Copy`.
        (false, _) if matches!(param.ty, Ty::String | Ty::Value) => {
            quote!(builder.#method(#key, &#place);)
        }
        (false, _) => quote!(builder.#method(#key, #place);),
        (true, None) => quote!(builder.#method_opt(#key, #place.as_ref());),
        (true, Some(variable)) if param.ty == Ty::String => {
            quote!(builder.#method(#key, #place.as_deref().unwrap_or(#variable));)
        }
        (true, Some(variable)) => quote! {
            match &#place {
                Some(value) => builder.#method(#key, value),
                None => builder.#method(#key, #variable),
            }
        },
    }
}

fn body_tokens(op: &Operation) -> TokenStream {
    match &op.body {
        Body::None => TokenStream::new(),
        Body::Json { mime, unquoted, .. } if unquoted.is_empty() => {
            quote!(builder.json(&self.body, #mime);)
        }
        Body::Json { mime, unquoted, .. } => {
            let unquoted = unquoted
                .iter()
                .map(|(pointer, name)| quote!((#pointer, #name)));
            quote!(builder.json_template(&self.body, #mime, &[#(#unquoted),*]);)
        }
        Body::GraphQl { .. } => quote!(builder.json(&self.body, "application/json");),
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
        Body::Form(params) | Body::Multipart(params) => {
            let start = if matches!(op.body, Body::Form(_)) {
                quote!(builder.form();)
            } else {
                quote!(builder.multipart();)
            };
            let fields = params.iter().map(|p| {
                let name = ident(&p.field);
                value_statement(p, quote!(self.body.#name), "field")
            });
            quote! {
                #start
                #(#fields)*
            }
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
        let (ok, fail) = (quote!(Success::#name), quote!(Error::#name));
        // A success saved without a body keeps the body that comes; an error's body is always
        // kept beside it in `ApiError`.
        let untyped = response.keeps_raw();
        let (payload, arm) = match (&response.kind, success) {
            (ResponseKind::Empty, true) if untyped => (
                Some(quote!(runtime::RawResponse)),
                quote!(#status => raw.ok_raw(#ok),),
            ),
            (ResponseKind::Empty, true) => (None, quote!(#status => raw.ok(#ok),)),
            (ResponseKind::Empty, false) => (None, quote!(#status => raw.fail(Self::ID, #fail),)),
            (ResponseKind::Json(ty), true) => (
                Some(ty_tokens(ty)),
                quote!(#status => raw.ok_json(Self::ID, #ok),),
            ),
            (ResponseKind::Json(ty), false) => (
                Some(ty_tokens(ty)),
                quote!(#status => raw.fail_json(Self::ID, #fail),),
            ),
            (ResponseKind::Text, true) => {
                (Some(quote!(String)), quote!(#status => raw.ok_text(#ok),))
            }
            (ResponseKind::Text, false) => (
                Some(quote!(String)),
                quote!(#status => raw.fail_text(Self::ID, #fail),),
            ),
        };
        arms.push(arm);
        let def = variant_def(response, payload);
        if success {
            success_variants.push(def);
        } else {
            error_variants.push(def);
        }
    }
    // What all operations' enums share is said once, on the runtime's trait; each links there.
    let route = format!("`{} {}`", op.method, op.path);
    let success_doc = docs(Some(&format!(
        "What {route} answers with a 2xx status; see [`runtime::Operation::Success`]."
    )));
    let error_doc = docs(Some(&format!(
        "What {route} answers with another status; see [`runtime::Operation::Error`]."
    )));
    let defs = quote! {
        #success_doc
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum Success {
            #(#success_variants)*
            /// Another 2xx status, as it came.
            Undocumented(runtime::RawResponse),
        }

        #error_doc
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum Error {
            #(#error_variants)*
            /// Another status.
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
