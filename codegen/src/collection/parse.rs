//! Reads collection JSON (v2.0, v2.1, and v1 through `v1`) into the model.

use serde_json::{Map, Value};

use super::json::{description, key_values, read_auth, text, Ctx};
use super::scripts::read_events;
use super::url::read_url;
use super::{v1, Body, Collection, Example, Folder, Item, Request, RequestItem};
use crate::diagnostics::{pointer, Diagnostic, Diagnostics};

/// Parses collection text. A file that is not a collection at all is an error; problems inside
/// items are warnings in `diags` and the item is degraded or dropped.
pub fn parse_collection(text: &str, diags: &mut Diagnostics) -> Result<Collection, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: Value = serde_json::from_str(text).map_err(|e| {
        diags.error(
            &[],
            &format!("line {} column {}", e.line(), e.column()),
            format!("invalid JSON: {e}"),
        )
    })?;
    let Some(root) = value.as_object() else {
        return Err(diags.error(
            &[],
            "",
            "not a Postman collection: the top level is not an object",
        ));
    };
    if root.contains_key("openapi") || root.contains_key("swagger") {
        return Err(diags.error(
            &[],
            "",
            "this is an OpenAPI document, not a Postman collection",
        ));
    }
    let has_v2_items = root.contains_key("item") || root.contains_key("items");
    let is_v1 = !has_v2_items && (root.contains_key("requests") || root.contains_key("order"));
    if !has_v2_items && !is_v1 {
        let hint = if root.contains_key("values") {
            "this looks like a Postman environment file, not a collection"
        } else {
            "not a Postman collection: no `item` list (v2) or `requests` list (v1)"
        };
        return Err(diags.error(&[], "", hint));
    }
    let mut ctx = Ctx {
        item_path: Vec::new(),
        diags,
    };
    let mut collection = if is_v1 {
        v1::read(root, &mut ctx)
    } else {
        read_v2(root, &mut ctx)
    };
    collection.requests_in_file = super::requests_in(&value);
    Ok(collection)
}

fn read_v2(root: &Map<String, Value>, ctx: &mut Ctx<'_>) -> Collection {
    let info = root.get("info").and_then(Value::as_object);
    if info.is_none() {
        ctx.warn("/info", "collection has no `info`; using an empty name");
    }
    if let Some(schema) = info.and_then(|i| i.get("schema")).and_then(Value::as_str) {
        if !schema.contains("v2.0") && !schema.contains("v2.1") {
            ctx.warn(
                "/info/schema",
                format!("unknown schema `{schema}`; reading it as v2.1"),
            );
        }
    }
    let name = info
        .and_then(|i| i.get("name"))
        .and_then(text)
        .unwrap_or_default();
    Collection {
        name,
        description: description(info.and_then(|i| i.get("description")))
            .or_else(|| description(root.get("description"))),
        variables: key_values(root.get("variable"), "/variable", ctx),
        auth: read_auth(root.get("auth"), "/auth", ctx),
        disable_body_pruning: disable_body_pruning(root),
        scripts: read_events(root, "", ctx),
        items: read_items(root, "", ctx),
        ..Collection::default()
    }
}

fn read_items(parent: &Map<String, Value>, location: &str, ctx: &mut Ctx<'_>) -> Vec<Item> {
    let (key, list) = match (parent.get("item"), parent.get("items")) {
        (Some(list), _) => ("item", list),
        (None, Some(list)) => {
            ctx.warn(
                &pointer(location, "items"),
                "`items` used instead of `item`; read as `item`",
            );
            ("items", list)
        }
        (None, None) => return Vec::new(),
    };
    let at = pointer(location, key);
    let Some(list) = list.as_array() else {
        ctx.warn(&at, "`item` is not a list; ignored");
        return Vec::new();
    };
    list.iter()
        .enumerate()
        .filter_map(|(i, item)| read_item(item, &pointer(&at, i), ctx))
        .collect()
}

fn read_item(value: &Value, location: &str, ctx: &mut Ctx<'_>) -> Option<Item> {
    let Some(map) = value.as_object() else {
        ctx.warn(location, "item is not an object; dropped");
        return None;
    };
    let name = map.get("name").and_then(text).unwrap_or_default();
    ctx.item_path.push(name.clone());
    let item =
        if map.contains_key("item") || map.contains_key("items") || !map.contains_key("request") {
            if !map.contains_key("item") && !map.contains_key("items") {
                ctx.warn(
                    location,
                    "item has neither `request` nor `item`; read as an empty folder",
                );
            } else if map.contains_key("request") {
                ctx.warn(
                    &pointer(location, "request"),
                    "item has both `request` and `item`; read as a folder, as Postman does, \
                     and its request is ignored",
                );
            }
            Item::Folder(Folder {
                name,
                location: location.to_owned(),
                description: description(map.get("description")),
                auth: read_auth(map.get("auth"), &pointer(location, "auth"), ctx),
                disable_body_pruning: disable_body_pruning(map),
                scripts: read_events(map, location, ctx),
                items: read_items(map, location, ctx),
            })
        } else {
            let request_at = pointer(location, "request");
            let request = read_request(map.get("request"), &request_at, ctx);
            let responses = read_examples(map.get("response"), &pointer(location, "response"), ctx);
            Item::Request(Box::new(RequestItem {
                name,
                location: location.to_owned(),
                request,
                responses,
                disable_body_pruning: disable_body_pruning(map),
                scripts: read_events(map, location, ctx),
            }))
        };
    ctx.item_path.pop();
    Some(item)
}

fn read_request(value: Option<&Value>, location: &str, ctx: &mut Ctx<'_>) -> Request {
    let map = match value {
        Some(Value::String(url)) => {
            return Request {
                url: super::parse_raw_url(url),
                location: location.to_owned(),
                body_location: pointer(location, "body"),
                ..Request::default()
            }
        }
        Some(Value::Object(map)) => map,
        _ => {
            ctx.warn(
                location,
                "request is not an object or URL string; sending GET /",
            );
            return Request {
                location: location.to_owned(),
                body_location: pointer(location, "body"),
                ..Request::default()
            };
        }
    };
    let method = match map.get("method") {
        Some(Value::String(m)) => Some(m.clone()),
        None | Some(Value::Null) => None,
        Some(_) => {
            ctx.warn(
                &pointer(location, "method"),
                "method is not a string; using GET",
            );
            None
        }
    };
    Request {
        method,
        url: read_url(map.get("url"), &pointer(location, "url"), ctx),
        headers: key_values(map.get("header"), &pointer(location, "header"), ctx),
        body: read_body(map.get("body"), &pointer(location, "body"), ctx),
        auth: read_auth(map.get("auth"), &pointer(location, "auth"), ctx),
        description: description(map.get("description")),
        location: location.to_owned(),
        body_location: pointer(location, "body"),
    }
}

/// `protocolProfileBehavior.disableBodyPruning` of a collection, folder or item.
fn disable_body_pruning(map: &Map<String, Value>) -> Option<bool> {
    map.get("protocolProfileBehavior")?
        .get("disableBodyPruning")?
        .as_bool()
}

/// Reads a v2 body object; a body marked `disabled` is not sent, as in Postman.
fn read_body(value: Option<&Value>, location: &str, ctx: &mut Ctx<'_>) -> Option<Body> {
    let map = match value? {
        Value::Object(map) => map,
        Value::Null => return None,
        _ => {
            ctx.warn(location, "body is not an object; ignored");
            return None;
        }
    };
    if map.get("disabled").and_then(Value::as_bool) == Some(true) {
        return None;
    }
    let mode = map.get("mode").and_then(Value::as_str)?;
    let at = pointer(location, mode);
    match mode {
        "raw" => Some(Body::Raw {
            text: map.get("raw").and_then(text).unwrap_or_default(),
            language: map
                .get("options")
                .and_then(|o| o.get("raw"))
                .and_then(|r| r.get("language"))
                .and_then(Value::as_str)
                .map(str::to_owned),
        }),
        "urlencoded" => Some(Body::UrlEncoded(key_values(map.get(mode), &at, ctx))),
        "formdata" => Some(Body::FormData(key_values(map.get(mode), &at, ctx))),
        "file" => Some(Body::File {
            src: map
                .get("file")
                .and_then(|f| f.get("src"))
                .and_then(Value::as_str)
                .map(str::to_owned),
        }),
        "graphql" => {
            let graphql = map.get("graphql");
            let variables = match graphql.and_then(|g| g.get("variables")) {
                Some(Value::String(s)) => Some(s.clone()),
                Some(Value::Null) | None => None,
                Some(other) => Some(other.to_string()),
            };
            Some(Body::GraphQl {
                query: graphql
                    .and_then(|g| g.get("query"))
                    .and_then(text)
                    .unwrap_or_default(),
                variables,
            })
        }
        other => {
            ctx.warn(
                &pointer(location, "mode"),
                format!("unknown body mode `{other}`; request sent without a body"),
            );
            None
        }
    }
}

fn read_examples(value: Option<&Value>, location: &str, ctx: &mut Ctx<'_>) -> Vec<Example> {
    let list = match value {
        Some(Value::Array(list)) => list,
        None | Some(Value::Null) => return Vec::new(),
        Some(_) => {
            ctx.warn(location, "`response` is not a list; examples ignored");
            return Vec::new();
        }
    };
    list.iter()
        .enumerate()
        .filter_map(|(i, v)| {
            let at = pointer(location, i);
            let Some(map) = v.as_object() else {
                ctx.warn(&at, "response example is not an object; dropped");
                return None;
            };
            let code = match map.get("code") {
                Some(Value::Number(n)) => n.as_u64().and_then(|n| u16::try_from(n).ok()),
                Some(Value::String(s)) => s.trim().parse().ok(),
                _ => None,
            };
            Some(Example {
                name: map.get("name").and_then(text).unwrap_or_default(),
                code,
                status: map.get("status").and_then(text),
                headers: key_values(map.get("header"), &pointer(&at, "header"), ctx),
                body: map.get("body").and_then(text),
                observed: map
                    .get(crate::learn::LEARNED_KEY)
                    .and_then(|learned| learned.get("observed"))
                    .and_then(Value::as_u64),
                location: at,
            })
        })
        .collect()
}
