//! Postman's dynamic variables (`{{$guid}}`, `{{$randomEmail}}`, ...): the client generates
//! those that need no data table and sends a fixed value for the others it knows; where a
//! request uses one of the others, or one it does not know, the generator says so.

use crate::collection::{Body, Request};
use crate::diagnostics::Diagnostics;

include!("../../runtime/dynamic_names.rs");

/// Every text of a request that variables can appear in.
fn texts(request: &Request) -> Vec<&str> {
    let mut texts: Vec<&str> = Vec::new();
    let url = &request.url;
    texts.extend(url.raw.as_deref());
    texts.extend(url.host.iter().chain(&url.path).map(String::as_str));
    let pairs = url
        .query
        .iter()
        .chain(&url.variables)
        .chain(&request.headers);
    for pair in pairs {
        texts.push(&pair.key);
        texts.extend(pair.value.as_deref());
    }
    match &request.body {
        Some(Body::Raw { text, .. }) => texts.push(text),
        Some(Body::UrlEncoded(fields) | Body::FormData(fields)) => {
            for field in fields {
                texts.push(&field.key);
                texts.extend(field.value.as_deref());
            }
        }
        Some(Body::GraphQl { query, variables }) => {
            texts.push(query);
            texts.extend(variables.as_deref());
        }
        Some(Body::File { .. }) | None => {}
    }
    texts.extend(
        request
            .auth
            .iter()
            .flat_map(|a| a.params.iter().map(|(_, v)| v.as_str())),
    );
    texts
}

/// Warns once per dynamic variable of `request` that the client does not generate: a fixed
/// value stands in for those Postman draws from data tables, others are sent as written.
pub fn warn_ungenerated(request: &Request, item_path: &[String], diags: &mut Diagnostics) {
    let mut warned: Vec<&str> = Vec::new();
    for text in texts(request) {
        let mut rest = text;
        while let Some(start) = rest.find("{{$") {
            let after = &rest[start + 2..];
            let Some(end) = after.find("}}") else {
                break;
            };
            let name = &after[..end];
            rest = &after[end..];
            if GENERATED_DYNAMIC.contains(&name) || warned.contains(&name) {
                continue;
            }
            warned.push(name);
            let message = match FIXED_DYNAMIC.iter().find(|(fixed, _)| *fixed == name) {
                Some((_, value)) => format!(
                    "`{{{{{name}}}}}` draws from Postman's data tables; the client sends `{value}` for it"
                ),
                None => format!(
                    "`{{{{{name}}}}}` is not a dynamic variable the client knows; it is sent as written"
                ),
            };
            diags.warn(item_path, &request.location, message);
        }
    }
}
