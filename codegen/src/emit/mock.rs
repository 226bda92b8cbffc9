//! The mock of a client's API (cargo feature `mock` of the crate holding the client): each
//! operation's route and saved examples with the replies its `Success` and `Error` values
//! make, and the `mock` module that names the server for the collection's `Client`.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::format::text_literal;
use crate::ir::{Api, Body, Module, Operation, Param, ParamIn, Piece, Response, ResponseKind, Ty};
use crate::naming::ident;

/// `impl runtime::mock::Mocked for Request`, compiled with the `mock` feature.
pub fn mocked(op: &Operation) -> TokenStream {
    let server = &op.server;
    let segments = op.segments.iter().map(|pieces| {
        let pieces = pieces.iter().map(|piece| match piece {
            Piece::Lit(text) => quote!(runtime::mock::Piece::Lit(#text)),
            Piece::Param(field) => {
                let key = path_key(&op.params, field);
                quote!(runtime::mock::Piece::Param(#key))
            }
        });
        quote!(&[#(#pieces),*])
    });
    let examples = op.responses.iter().map(|response| {
        let status = Literal::u16_unsuffixed(response.status);
        let headers = response.saved.headers.iter().map(|(k, v)| quote!((#k, #v)));
        let body = text_literal(&response.saved.body);
        quote! {
            runtime::mock::Example { status: #status, headers: &[#(#headers),*], body: #body }
        }
    });
    let (mut success, mut error) = (Vec::new(), Vec::new());
    for (index, response) in op.responses.iter().enumerate() {
        let arm = reply_arm(response, index);
        if response.is_success() {
            success.push(arm);
        } else {
            error.push(arm);
        }
    }
    let undocumented = Literal::u16_unsuffixed(undocumented_error(&op.responses));
    let read = read_request(op);
    quote! {
        #[cfg(feature = "mock")]
        impl runtime::mock::Mocked for Request {
            const ROUTE: &'static runtime::mock::Route = &runtime::mock::Route {
                id: <Self as runtime::Operation>::ID,
                server: #server,
                segments: &[#(#segments),*],
                examples: &[#(#examples),*],
            };

            fn success(success: Success) -> runtime::mock::Reply {
                match success {
                    #(Success::#success)*
                    Success::Undocumented(raw) => runtime::mock::Reply::raw(raw),
                }
            }

            fn error(error: Error) -> runtime::mock::Reply {
                match error {
                    #(Error::#error)*
                    Error::Undocumented => runtime::mock::Reply::new(#undocumented),
                }
            }

            fn request(
                received: &runtime::mock::Received,
            ) -> Result<Self, runtime::mock::Undecoded> {
                #read
            }
        }
    }
}

/// The body of `Mocked::request`: each field of the `Request` read from where `encode` wrote it.
fn read_request(op: &Operation) -> TokenStream {
    let mut fields: Vec<TokenStream> = op.params.iter().map(read_param).collect();
    let body = match &op.body {
        Body::None => None,
        Body::Json { .. } => Some(quote!(received.json_body()?)),
        Body::GraphQl { .. } => Some(quote!(received.graphql_body()?)),
        Body::Raw { .. } => Some(quote!(received.text_body())),
        Body::Binary => Some(quote!(received.body().to_vec())),
        Body::Form(params) | Body::Multipart(params) => {
            let body_fields = params.iter().map(read_param);
            Some(quote!(Body { #(#body_fields)* }))
        }
    };
    fields.extend(body.map(|body| quote!(body: #body,)));
    if fields.is_empty() {
        return quote!(let _ = received; Ok(Self {}));
    }
    quote!(Ok(Self { #(#fields)* }))
}

/// `field: value,` reading one parameter or form field of the request.
fn read_param(param: &Param) -> TokenStream {
    let name = ident(&param.field);
    let key = &param.key;
    let place = match param.place {
        ParamIn::Path => quote!(runtime::mock::Place::Path),
        ParamIn::Query | ParamIn::QueryFlag => quote!(runtime::mock::Place::Query),
        ParamIn::Header => quote!(runtime::mock::Place::Header),
        ParamIn::Form => quote!(runtime::mock::Place::Field),
    };
    // As `encode` writes them: a flag, a file, JSON text, each value of a list, one value.
    let value = match (&param.place, &param.ty, param.optional) {
        (ParamIn::QueryFlag, _, _) => quote!(received.flag(#key)),
        (_, Ty::File, true) => quote!(received.file(#key)),
        (_, Ty::File, false) => quote!(received.required_file(#key)?),
        (_, Ty::Vec(_), _) if !param.json => quote!(received.values(#place, #key)?),
        (_, _, true) => quote!(received.value(#place, #key)?),
        (_, _, false) => quote!(received.required(#place, #key)?),
    };
    quote!(#name: #value,)
}

/// The collection's name of the path parameter held in `field`.
fn path_key<'a>(params: &'a [Param], field: &'a str) -> &'a str {
    params
        .iter()
        .find(|p| p.place == ParamIn::Path && p.field == field)
        .map_or(field, |p| p.key.as_str())
}

/// The match arm (after `Success::`/`Error::`) giving the reply that decodes into `response`'s
/// variant; `index` is its example's place in the route.
fn reply_arm(response: &Response, index: usize) -> TokenStream {
    let variant = ident(&response.variant);
    let status = Literal::u16_unsuffixed(response.status);
    let saved = quote!(runtime::mock::Reply::example(&Self::ROUTE.examples[#index]));
    match &response.kind {
        // A success saved without a body holds the response as it came.
        ResponseKind::Empty if response.keeps_raw() => {
            quote!(#variant(raw) => runtime::mock::Reply::raw(raw),)
        }
        ResponseKind::Empty => quote!(#variant => #saved,),
        ResponseKind::Json(_) => {
            quote!(#variant(body) => runtime::mock::Reply::json(#status, &body),)
        }
        ResponseKind::Text => quote!(#variant(text) => runtime::mock::Reply::text(#status, text),),
    }
}

/// The status `Error::Undocumented` is answered with: the first 5xx the operation does not
/// document.
fn undocumented_error(responses: &[Response]) -> u16 {
    (500..600)
        .find(|status| responses.iter().all(|r| r.status != *status))
        .unwrap_or(599)
}

/// `pub mod mock`: the collection's `MockServer`, and what the runtime's mock needs to know of
/// its `Client`: every operation and how to make the client.
pub fn module(api: &Api) -> TokenStream {
    let mut routes = Vec::new();
    operation_paths(&api.root, &mut Vec::new(), &mut routes);
    let routes = routes
        .iter()
        .map(|path| quote!(<super::#path::Request as runtime::mock::Mocked>::ROUTE));
    let doc = super::docs(Some(&format!(
        "A mock of the \"{}\" API for testing code that uses this client (cargo feature \
         `mock`): [`MockServer::start`] listens on 127.0.0.1 and answers every operation with \
         the first 2xx example the collection saved for it, [`MockServer::client`] is a \
         [`Client`] pointed at it, and `on`, `received` and `take_unmatched` set answers and \
         read what it got (see [`runtime::mock`]).",
        api.name
    )));
    quote! {
        #doc
        #[cfg(feature = "mock")]
        pub mod mock {
            use super::{runtime, Client};

            /// A mock of the collection's API on 127.0.0.1.
            pub type MockServer = runtime::mock::MockServer<Client>;

            impl runtime::mock::MockedApi for Client {
                const ROUTES: &'static [&'static runtime::mock::Route] = &[#(#routes),*];

                fn configured(
                    configure: impl FnOnce(runtime::Client) -> runtime::Client,
                ) -> Self {
                    Self(configure(Self::new().0))
                }
            }
        }
    }
}

/// The module path of every operation below `module`, in document order.
fn operation_paths(module: &Module, parents: &mut Vec<String>, out: &mut Vec<TokenStream>) {
    for op in &module.operations {
        let names = parents.iter().map(|p| ident(p)).chain([ident(&op.ident)]);
        out.push(quote!(#(#names)::*));
    }
    for child in &module.modules {
        parents.push(child.ident.clone());
        operation_paths(child, parents, out);
        parents.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_of_several_lines_are_raw_strings_that_keep_the_text() {
        for text in ["{\n  \"a\": 1\n}", "a\"#\n\"##b", "one line", "a\r\nb", ""] {
            let literal: syn::LitStr = syn::parse2(text_literal(text)).expect("a string literal");
            assert_eq!(literal.value(), text);
        }
        assert!(text_literal("a\nb").to_string().starts_with("r#\""));
    }
}
