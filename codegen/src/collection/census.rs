//! Counts the requests written in a collection file, walking the JSON on its own rather than
//! through the reader, so that a request the reader loses shows up as a difference.

use serde_json::Value;

/// Requests in a v2 `item` tree or a v1 `requests` list. An item is a request when it has
/// `request` and no `item`/`items` (Postman reads an item with both as a folder).
pub fn requests_in(root: &Value) -> usize {
    let v2_items = root.get("item").or_else(|| root.get("items"));
    match (v2_items, root.get("requests")) {
        (None, Some(Value::Array(requests))) => requests.len(),
        (Some(items), _) => requests_in_items(items),
        _ => 0,
    }
}

fn requests_in_items(items: &Value) -> usize {
    let Some(items) = items.as_array() else {
        return 0;
    };
    items
        .iter()
        .map(
            |item| match item.get("item").or_else(|| item.get("items")) {
                Some(children) => requests_in_items(children),
                None => usize::from(item.get("request").is_some()),
            },
        )
        .sum()
}
