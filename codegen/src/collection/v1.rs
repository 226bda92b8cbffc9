//! The v1 layout: flat `requests` and `folders` lists tied together by `order` id lists.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::json::{description, header_lines, key_values, read_auth, text, Ctx};
use super::scripts::{read_events, read_exec, Listen, Script};
use super::{
    parse_raw_url, Auth, AuthKind, Body, Collection, Example, Folder, Item, Request, RequestItem,
};
use crate::diagnostics::pointer;

type Object = Map<String, Value>;

/// Reads a v1 collection.
pub fn read(root: &Object, ctx: &mut Ctx<'_>) -> Collection {
    let requests = indexed(root.get("requests"), "/requests", ctx);
    let folders = indexed(root.get("folders"), "/folders", ctx);
    let mut reader = Reader {
        requests,
        folders,
        used_requests: BTreeSet::new(),
        used_folders: BTreeSet::new(),
    };
    let nested: BTreeSet<String> = reader
        .folders
        .values()
        .flat_map(|(_, f)| ids(f.get("folders_order")))
        .collect();
    let top_folders = match root.get("folders_order") {
        Some(order) => ids(Some(order)),
        None => reader
            .folders
            .values()
            .filter_map(|(_, f)| f.get("id").and_then(text))
            .filter(|id| !nested.contains(id))
            .collect(),
    };
    let mut items = reader.children(&top_folders, &ids(root.get("order")), ctx);
    // Requests no folder or order lists mention still become operations.
    let orphans: Vec<String> = reader
        .requests
        .keys()
        .filter(|id| !reader.used_requests.contains(*id))
        .cloned()
        .collect();
    items.extend(reader.children(&[], &orphans, ctx));
    Collection {
        name: root.get("name").and_then(text).unwrap_or_default(),
        description: description(root.get("description")),
        variables: key_values(root.get("variables"), "/variables", ctx),
        auth: read_auth(root.get("auth"), "/auth", ctx),
        scripts: read_events(root, "", ctx),
        items,
        ..Collection::default()
    }
}

/// Entries of a list by their `id`, with their JSON pointers. An entry without an id, or whose
/// id an earlier entry took, is keyed by its index, so it is kept (as an orphan) rather than
/// lost; entries that are not objects are dropped with a warning.
fn indexed<'a>(
    value: Option<&'a Value>,
    location: &str,
    ctx: &mut Ctx<'_>,
) -> BTreeMap<String, (String, &'a Object)> {
    let mut entries = BTreeMap::new();
    for (i, v) in value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let at = pointer(location, i);
        let Some(map) = v.as_object() else {
            ctx.warn(&at, "entry is not an object; dropped");
            continue;
        };
        let mut id = map
            .get("id")
            .and_then(text)
            .unwrap_or_else(|| format!("#{i}"));
        if entries.contains_key(&id) {
            ctx.warn(
                &pointer(&at, "id"),
                format!("id `{id}` is used twice; this entry is kept at the top level"),
            );
            id = format!("#{i}");
        }
        entries.insert(id, (at, map));
    }
    entries
}

fn ids(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(text)
        .collect()
}

struct Reader<'a> {
    requests: BTreeMap<String, (String, &'a Object)>,
    folders: BTreeMap<String, (String, &'a Object)>,
    used_requests: BTreeSet<String>,
    used_folders: BTreeSet<String>,
}

impl Reader<'_> {
    fn children(
        &mut self,
        folder_ids: &[String],
        request_ids: &[String],
        ctx: &mut Ctx<'_>,
    ) -> Vec<Item> {
        let mut items = Vec::new();
        for id in folder_ids {
            if !self.used_folders.insert(id.clone()) {
                continue;
            }
            let Some((location, folder)) = self.folders.get(id).cloned() else {
                ctx.warn(
                    "/folders_order",
                    format!("folder id `{id}` is not in `folders`"),
                );
                continue;
            };
            let name = folder.get("name").and_then(text).unwrap_or_default();
            ctx.item_path.push(name.clone());
            let sub_folders = ids(folder.get("folders_order"));
            let sub_requests = ids(folder.get("order"));
            let children = self.children(&sub_folders, &sub_requests, ctx);
            items.push(Item::Folder(Folder {
                name,
                description: description(folder.get("description")),
                auth: read_auth(folder.get("auth"), &pointer(&location, "auth"), ctx),
                location,
                items: children,
                disable_body_pruning: None,
                scripts: Vec::new(),
            }));
            ctx.item_path.pop();
        }
        for id in request_ids {
            if !self.used_requests.insert(id.clone()) {
                continue;
            }
            let Some((location, request)) = self.requests.get(id).cloned() else {
                ctx.warn("/order", format!("request id `{id}` is not in `requests`"));
                continue;
            };
            let name = request.get("name").and_then(text).unwrap_or_default();
            ctx.item_path.push(name.clone());
            items.push(Item::Request(Box::new(read_request(
                request, &location, name, ctx,
            ))));
            ctx.item_path.pop();
        }
        items
    }
}

fn read_request(map: &Object, location: &str, name: String, ctx: &mut Ctx<'_>) -> RequestItem {
    let mut url = parse_raw_url(map.get("url").and_then(Value::as_str).unwrap_or_default());
    // `queryParams` null or empty leaves the query the URL holds, as Postman reads it.
    if map
        .get("queryParams")
        .and_then(Value::as_array)
        .is_some_and(|list| !list.is_empty())
    {
        url.query = key_values(
            map.get("queryParams"),
            &pointer(location, "queryParams"),
            ctx,
        );
    }
    url.variables = match map.get("pathVariableData") {
        Some(data) => key_values(Some(data), &pointer(location, "pathVariableData"), ctx),
        None => key_values(
            map.get("pathVariables"),
            &pointer(location, "pathVariables"),
            ctx,
        ),
    };
    let headers = match map.get("headerData") {
        Some(Value::Array(list)) if !list.is_empty() => {
            key_values(map.get("headerData"), &pointer(location, "headerData"), ctx)
        }
        _ => header_lines(
            map.get("headers")
                .and_then(Value::as_str)
                .unwrap_or_default(),
            &pointer(location, "headers"),
        ),
    };
    let request = Request {
        method: map.get("method").and_then(Value::as_str).map(str::to_owned),
        url,
        headers,
        body: read_body(map, location, ctx),
        auth: read_v1_auth(map, location, ctx),
        description: description(map.get("description")),
        location: location.to_owned(),
        body_location: pointer(location, body_key(map)),
    };
    RequestItem {
        name,
        location: location.to_owned(),
        request,
        responses: read_responses(map.get("responses"), &pointer(location, "responses"), ctx),
        disable_body_pruning: None,
        scripts: v1_scripts(map, location, ctx),
    }
}

/// The key holding a v1 request's body, by its `dataMode`.
fn body_key(map: &Object) -> &'static str {
    match map.get("dataMode").and_then(Value::as_str) {
        Some("raw") => "rawModeData",
        Some("graphql") => "graphqlModeData",
        Some("params" | "urlencoded") => "data",
        _ => "dataMode",
    }
}

fn read_body(map: &Object, location: &str, ctx: &mut Ctx<'_>) -> Option<Body> {
    let mode = map.get("dataMode").and_then(Value::as_str)?;
    let data_at = pointer(location, "data");
    match mode {
        "params" => Some(Body::FormData(key_values(map.get("data"), &data_at, ctx))),
        "urlencoded" => Some(Body::UrlEncoded(key_values(map.get("data"), &data_at, ctx))),
        "raw" => Some(Body::Raw {
            text: map.get("rawModeData").and_then(text).unwrap_or_default(),
            language: None,
        }),
        "binary" => Some(Body::File { src: None }),
        "graphql" => {
            let data = map.get("graphqlModeData");
            Some(Body::GraphQl {
                query: data
                    .and_then(|d| d.get("query"))
                    .and_then(text)
                    .unwrap_or_default(),
                variables: data.and_then(|d| d.get("variables")).and_then(text),
            })
        }
        other => {
            ctx.warn(
                &pointer(location, "dataMode"),
                format!("unknown data mode `{other}`; request sent without a body"),
            );
            None
        }
    }
}

/// v1 auth: an `auth` block like v2's, or `currentHelper` naming a helper.
fn read_v1_auth(map: &Object, location: &str, ctx: &mut Ctx<'_>) -> Option<Auth> {
    if map.contains_key("auth") {
        return read_auth(map.get("auth"), &pointer(location, "auth"), ctx);
    }
    let helper = map.get("currentHelper").and_then(Value::as_str)?;
    let kind = AuthKind::from_name(match helper {
        "normal" | "" => return None,
        "basicAuth" => "basic",
        "bearerAuth" => "bearer",
        "digestAuth" => "digest",
        "oAuth1" => "oauth1",
        "oAuth2" => "oauth2",
        "hawkAuth" => "hawk",
        "awsSigV4" => "awsv4",
        other => other,
    });
    // v1 names two OAuth 1.0 settings differently.
    let v2_name = |key: &str| match (&kind, key) {
        (AuthKind::OAuth1, "header") => "addParamsToHeader".to_owned(),
        (AuthKind::OAuth1, "includeEmpty") => "addEmptyParamsToSign".to_owned(),
        _ => key.to_owned(),
    };
    let params = match map.get("helperAttributes") {
        Some(Value::Object(attrs)) => attrs
            .iter()
            .filter_map(|(k, v)| Some((v2_name(k), text(v)?)))
            .collect(),
        _ => Vec::new(),
    };
    Some(Auth {
        kind,
        params,
        location: pointer(location, "currentHelper"),
    })
}

fn read_responses(value: Option<&Value>, location: &str, ctx: &mut Ctx<'_>) -> Vec<Example> {
    value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(i, v)| {
            let map = v.as_object()?;
            let at = pointer(location, i);
            let code = map
                .get("responseCode")
                .and_then(|c| c.get("code"))
                .or_else(|| map.get("code"))
                .and_then(|c| c.as_u64().or_else(|| c.as_str()?.parse().ok()))
                .and_then(|c| u16::try_from(c).ok());
            Some(Example {
                name: map.get("name").and_then(text).unwrap_or_default(),
                code,
                status: map
                    .get("responseCode")
                    .and_then(|c| c.get("name"))
                    .or_else(|| map.get("status"))
                    .and_then(text),
                headers: key_values(map.get("headers"), &pointer(&at, "headers"), ctx),
                body: map.get("text").and_then(text),
                observed: None,
                location: at,
            })
        })
        .collect()
}

/// A v1 request's `preRequestScript` and `tests`, or its v2-style `events`.
fn v1_scripts(map: &Object, location: &str, ctx: &mut Ctx<'_>) -> Vec<Script> {
    if map.contains_key("event") {
        return read_events(map, location, ctx);
    }
    [
        ("preRequestScript", Listen::PreRequest),
        ("tests", Listen::Test),
    ]
    .into_iter()
    .filter_map(|(key, listen)| read_exec(map.get(key), &pointer(location, key), listen, ctx))
    .collect()
}
