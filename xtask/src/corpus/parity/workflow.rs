//! Workflow parity: the collection run as a program. The recording server answers each item's
//! request with the item's saved example, so that test scripts have something to capture;
//! newman runs the collection with its scripts, in order, and the client sends every
//! operation in the same order on one client with its scripts on. Each request carries an
//! `x-parity-item` header that tells the server whose example to answer with.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use super::ItemKey;

/// The header that names an item to the recording server.
pub const ITEM_HEADER: &str = "x-parity-item";

/// The seed both senders' scripts draw `Math.random` from, afresh for each request's
/// pre-request and test scripts: the client's `with_script_seed`, and the same generator
/// (mulberry32) set by the collection's first script in newman's copy.
pub const SCRIPT_SEED: u32 = 2026;

/// What one collection's run needs: its items in document order, the answer to each, and the
/// items whose request uses a variable that one of its scripts sets.
#[derive(Debug, Default)]
pub struct Plan {
    /// Request items in the order newman runs them, each with its tag.
    pub order: Vec<(ItemKey, String)>,
    /// The saved example each tagged item's request is answered with.
    pub answers: BTreeMap<String, Value>,
    /// Items whose request text holds `{{name}}` of a variable a script sets.
    pub scripted: BTreeSet<ItemKey>,
}

impl Plan {
    /// The plan of the collection `source` (JSON text), its tags starting with `module`.
    pub fn of(source: &str, module: &str) -> Self {
        let mut plan = Self::default();
        let Ok(collection) = serde_json::from_str::<Value>(source.trim_start_matches('\u{feff}'))
        else {
            return plan;
        };
        let set = variables_scripts_set(&collection);
        let items = collection.get("item").or_else(|| collection.get("items"));
        let mut seen = BTreeMap::new();
        walk(items, &mut Vec::new(), &mut seen, &mut |key, item| {
            let tag = format!("{module}-{}", plan.order.len());
            if let Some(answer) = answer(item) {
                plan.answers.insert(tag.clone(), answer);
            }
            let request = item
                .get("request")
                .map(Value::to_string)
                .unwrap_or_default();
            if set
                .iter()
                .any(|name| request.contains(&format!("{{{{{name}}}}}")))
            {
                plan.scripted.insert(key.clone());
            }
            plan.order.push((key, tag));
        });
        plan
    }

    /// The tag of each item.
    pub fn tags(&self) -> BTreeMap<ItemKey, String> {
        self.order.iter().cloned().collect()
    }
}

/// Calls `visit` with each request item of `items` (folders walked in order) and its key.
pub fn walk<'a>(
    items: Option<&'a Value>,
    path: &mut Vec<String>,
    seen: &mut BTreeMap<Vec<String>, usize>,
    visit: &mut impl FnMut(ItemKey, &'a Value),
) {
    for item in items.and_then(Value::as_array).into_iter().flatten() {
        let name = item.get("name").and_then(Value::as_str).unwrap_or_default();
        path.push(name.to_owned());
        match item.get("item").or_else(|| item.get("items")) {
            Some(children) if item.get("request").is_none() => {
                walk(Some(children), path, seen, visit)
            }
            _ => {
                let occurrence = seen.entry(path.clone()).or_insert(0);
                visit((path.clone(), *occurrence), item);
                *occurrence += 1;
            }
        }
        path.pop();
    }
}

/// The response the server gives an item's request: its first saved example with a 2xx
/// status, else its first; `None` (the server's `200 {}`) without one.
fn answer(item: &Value) -> Option<Value> {
    let examples = item.get("response")?.as_array()?;
    let code = |example: &Value| example.get("code").and_then(Value::as_u64);
    let example = examples
        .iter()
        .find(|e| code(e).is_some_and(|c| (200..300).contains(&c)))
        .or_else(|| examples.first())?;
    let headers: Vec<(String, String)> = example
        .get("header")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|h| {
            let key = h.get("key")?.as_str()?;
            let value = h.get("value")?.as_str()?;
            // What framing the server does itself, and cookies: the client keeps no cookie
            // jar, so newman's would make every later request differ.
            let left_out = [
                "content-length",
                "transfer-encoding",
                "connection",
                "content-encoding",
                "set-cookie",
            ]
            .contains(&key.to_ascii_lowercase().as_str());
            (!left_out).then(|| (key.to_owned(), value.to_owned()))
        })
        .collect();
    Some(json!({
        "status": code(example).filter(|c| (200..600).contains(c)).unwrap_or(200),
        "headers": headers,
        "body": example.get("body").and_then(Value::as_str).unwrap_or_default(),
    }))
}

/// Names of the variables the collection's scripts set (`pm.environment.set("id", ...)`,
/// `postman.setEnvironmentVariable("id", ...)`), read from the script text: a measure of which
/// requests depend on scripts, apart from how far the generator understands them.
fn variables_scripts_set(collection: &Value) -> BTreeSet<String> {
    let mut texts = Vec::new();
    scripts(collection, &mut texts);
    let mut names = BTreeSet::new();
    for text in texts {
        for call in [".set(", "Variable("] {
            for (at, _) in text.match_indices(call) {
                let rest = text[at + call.len()..].trim_start();
                let Some(quote) = rest
                    .chars()
                    .next()
                    .filter(|c| matches!(c, '"' | '\'' | '`'))
                else {
                    continue;
                };
                if let Some(end) = rest[1..].find(quote) {
                    names.insert(rest[1..=end].to_owned());
                }
            }
        }
    }
    names
}

/// The text of every script in `value` (events anywhere in the collection).
fn scripts(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(exec) = map.get("exec") {
                match exec {
                    Value::String(text) => out.push(text.clone()),
                    Value::Array(lines) => out.push(
                        lines
                            .iter()
                            .filter_map(Value::as_str)
                            .collect::<Vec<_>>()
                            .join("\n"),
                    ),
                    _ => {}
                }
            }
            map.values().for_each(|v| scripts(v, out));
        }
        Value::Array(values) => values.iter().for_each(|v| scripts(v, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_orders_items_answers_them_and_finds_scripted_requests() {
        let source = json!({
            "info": {"name": "Shop"},
            "event": [{"listen": "test", "script": {"exec": ["pm.environment.set('cart-id', pm.response.json().id);"]}}],
            "item": [
                {"name": "Folder", "item": [
                    {"name": "Create cart", "request": {"method": "POST", "url": "{{base}}/carts"},
                     "response": [
                        {"code": 400, "body": "{}"},
                        {"code": 201, "header": [{"key": "Content-Type", "value": "application/json"},
                                                 {"key": "Content-Length", "value": "9"}],
                         "body": "{\"id\":7}"}
                     ]}
                ]},
                {"name": "Get cart", "request": {"method": "GET", "url": "{{base}}/carts/{{cart-id}}"}}
            ]
        })
        .to_string();
        let plan = Plan::of(&source, "shop");
        let keys: Vec<&ItemKey> = plan.order.iter().map(|(key, _)| key).collect();
        assert_eq!(
            keys,
            [
                &(vec!["Folder".to_owned(), "Create cart".to_owned()], 0),
                &(vec!["Get cart".to_owned()], 0)
            ]
        );
        assert_eq!(
            plan.answers["shop-0"],
            json!({"status": 201, "headers": [["Content-Type", "application/json"]], "body": "{\"id\":7}"})
        );
        assert!(!plan.answers.contains_key("shop-1"));
        assert_eq!(
            plan.scripted,
            BTreeSet::from([(vec!["Get cart".to_owned()], 0)])
        );
    }
}
