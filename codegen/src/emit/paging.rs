//! A paged operation's `runtime::Paged` implementation (its items, its next request) and the
//! `pages`/`items` streams on its `Request`.

use proc_macro2::TokenStream;
use quote::quote;

use super::types::ty_tokens;
use crate::ir::paging::{Link, Paging, Scheme, Step};
use crate::ir::Operation;
use crate::naming::ident;

/// The `impl runtime::Paged` and the `Request` methods of a paged operation, whose client is
/// `client`; nothing otherwise.
pub fn items(op: &Operation, client: &TokenStream) -> TokenStream {
    let Some(paging) = &op.paging else {
        return TokenStream::new();
    };
    let item = ty_tokens(&paging.item);
    let variant = ident(&paging.variant);
    let items = match paging.items.as_slice() {
        [] => quote!(body.clone()),
        path => {
            let value = reach(path);
            quote!(#value.unwrap_or_default())
        }
    };
    let next = next_request(paging);
    let doc = format!(
        " The pages of the list, from this request on, as it is set (filters and page size \
         kept): {}. Each page is sent with the client's retry policy; an error ends the \
         stream, as does [`runtime::Client::max_pages`].",
        how(paging)
    );
    let items_doc = " The items of every page, in order; see [`Request::pages`].";
    quote! {
        impl Request {
            #[doc = #doc]
            pub fn pages<'a>(
                &'a self,
                client: &'a #client,
            ) -> impl runtime::futures_util::Stream<Item = runtime::Outcome<Self>> + 'a {
                runtime::paging::pages(self, client)
            }

            #[doc = #items_doc]
            pub fn items<'a>(
                &'a self,
                client: &'a #client,
            ) -> impl runtime::futures_util::Stream<Item = Result<#item, runtime::Error<Error>>> + 'a
            {
                runtime::paging::items(self, client)
            }
        }

        impl runtime::Paged for Request {
            type Item = #item;

            fn items(page: &Success) -> Vec<#item> {
                match page {
                    Success::#variant(body) => #items,
                    _ => Vec::new(),
                }
            }

            fn next_page(
                &self,
                page: &runtime::Response<Success>,
            ) -> Option<runtime::NextPage<Self>> {
                #next
            }
        }
    }
}

/// The "Paging" section of an operation's docs: how it pages, or why it does not where the
/// collection shows part of a scheme.
pub fn doc(op: &Operation) -> String {
    match (&op.paging, &op.paging_note) {
        (Some(paging), _) => format!(
            "\n\n# Paging\n\n`Request::pages` and `Request::items` walk the list: {}.",
            how(paging)
        ),
        (None, Some(note)) => format!("\n\n# Paging\n\n{note}"),
        (None, None) => String::new(),
    }
}

/// How the operation pages: the scheme and its evidence.
fn how(paging: &Paging) -> String {
    format!(
        "it pages by {}, as the collection shows: {}",
        paging.scheme.name(),
        paging.evidence
    )
}

/// The value at the end of `path` (not empty) from `body`, as an `Option` of it.
fn reach(path: &[Step]) -> TokenStream {
    let mut value = quote!(Some(body));
    for (i, step) in path.iter().enumerate() {
        let field = ident(&step.ident);
        value = match (i, step.optional) {
            (0, true) => quote!(body.#field.as_ref()),
            (0, false) => quote!(Some(&body.#field)),
            (_, true) => quote!(#value.and_then(|value| value.#field.as_ref())),
            (_, false) => quote!(#value.map(|value| &value.#field)),
        };
    }
    quote!(#value.cloned())
}

/// The body of `next_page`.
fn next_request(paging: &Paging) -> TokenStream {
    let set = |field: &str, optional: bool, value: TokenStream| {
        let name = ident(field);
        let value = if optional {
            quote!(Some(#value))
        } else {
            value
        };
        quote! {
            let mut next = self.clone();
            next.#name = #value;
            Some(runtime::NextPage::Request(next))
        }
    };
    let current = |field: &str, optional: bool, start: i64| {
        let name = ident(field);
        let start = proc_macro2::Literal::i64_unsuffixed(start);
        if optional {
            quote!(self.#name.unwrap_or(#start))
        } else {
            quote!(self.#name)
        }
    };
    let next = match &paging.scheme {
        Scheme::NextLink(Link::Header) => {
            return quote! {
                runtime::paging::next_link(page.headers()).map(runtime::NextPage::Link)
            };
        }
        Scheme::NextLink(Link::Field(path)) => {
            let body = body_of(paging, true);
            let link = reach(path);
            quote! {
                #body
                #link.filter(|link| !link.is_empty()).map(runtime::NextPage::Link)
            }
        }
        Scheme::NextLink(Link::Rel { links, rel, href }) => {
            let body = body_of(paging, true);
            let links = reach(links);
            let rel_field = ident(&rel.ident);
            let is_next = if rel.optional {
                quote!(link.#rel_field.as_deref() == Some("next"))
            } else {
                quote!(link.#rel_field == "next")
            };
            let href_field = ident(&href.ident);
            let href = if href.optional {
                quote!(link.#href_field?)
            } else {
                quote!(link.#href_field)
            };
            quote! {
                #body
                let link = #links?.into_iter().find(|link| #is_next)?;
                Some(#href)
                    .filter(|link| !link.is_empty())
                    .map(runtime::NextPage::Link)
            }
        }
        Scheme::PageNumber {
            page,
            optional,
            page_count,
        } => {
            let current = current(page, *optional, 1);
            let last = page_count.as_ref().map(|path| {
                let count = reach(path);
                quote! {
                    if #count.is_some_and(|count| current >= count) {
                        return None;
                    }
                }
            });
            let body = body_of(paging, last.is_some());
            let set = set(page, *optional, quote!(current.checked_add(1)?));
            quote! {
                if <Self as runtime::Paged>::items(page).is_empty() {
                    return None;
                }
                let current = #current;
                #body
                #last
                #set
            }
        }
        Scheme::Offset { offset, optional } => {
            let current = current(offset, *optional, 0);
            let set = set(offset, *optional, quote!(#current.checked_add(taken)?));
            quote! {
                let taken = i64::try_from(<Self as runtime::Paged>::items(page).len()).ok()?;
                if taken == 0 {
                    return None;
                }
                #set
            }
        }
        Scheme::Cursor {
            cursor,
            optional,
            next,
        } => {
            let body = body_of(paging, true);
            let token = reach(next);
            let set = set(cursor, *optional, quote!(token));
            quote! {
                #body
                let token = #token.filter(|token| !token.is_empty())?;
                #set
            }
        }
        Scheme::LastId {
            cursor,
            optional,
            has_more,
            id,
        } => {
            let body = body_of(paging, true);
            let more = reach(has_more);
            let id_field = ident(&id.ident);
            let id_value = if id.optional {
                quote!(last.#id_field.clone()?)
            } else {
                quote!(last.#id_field.clone())
            };
            let set = set(cursor, *optional, quote!(id));
            quote! {
                #body
                if #more != Some(true) {
                    return None;
                }
                let items = <Self as runtime::Paged>::items(page);
                let last = items.last()?;
                let id = #id_value;
                #set
            }
        }
    };
    quote! {
        let page = page.value();
        #next
    }
}

/// `let body = ...` for the page's body, when the rest reads it.
fn body_of(paging: &Paging, used: bool) -> TokenStream {
    let variant = ident(&paging.variant);
    if !used {
        return TokenStream::new();
    }
    quote! {
        let Success::#variant(body) = page else {
            return None;
        };
    }
}
