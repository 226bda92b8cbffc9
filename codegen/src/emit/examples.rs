//! The example in each operation's docs: the request built with its constructor, sent through
//! the client's accessors, and its typed result matched. A checked doctest (`no_run`: it would
//! need the network) where the client's path from outside the crate is known, else text.

use serde_json::Value;

use crate::ir::{Body, Operation, ResponseKind, Ty};
use crate::naming::ident;

/// The "Example" section of the docs of `op`'s `Request`; `parents` is its folder's module path (`users::`),
/// `client_path` the client's path from a doctest (`my_crate::zoom_users`), when known.
pub fn section(op: &Operation, parents: &str, client_path: Option<&str>) -> String {
    let module = ident(&op.ident).to_string();
    let folders: Vec<String> = parents
        .split("::")
        .filter(|f| !f.is_empty())
        .map(str::to_owned)
        .collect();
    let client = client_path.unwrap_or("my_crate::client");
    let op_path = format!("{parents}{module}");
    let accessor: String = folders
        .iter()
        .map(|f| format!("{f}()."))
        .chain([module.clone()])
        .collect();
    let request = match constructor_args(op) {
        Some(args) => format!("{module}::Request::new({})", args.join(", ")),
        // Arguments that have no literal (a body, a list, a type of the client) come from the
        // collection's example values instead.
        None => format!("{module}::Request::example()"),
    };
    let send = format!("client.{accessor}(&request).await?");
    let handle = match op.responses.iter().find(|r| r.is_success()) {
        Some(success) => {
            let variant = &success.variant;
            let arm = match (&success.kind, success.keeps_raw()) {
                (ResponseKind::Empty, false) => {
                    format!("{module}::Success::{variant} => println!(\"done\"),")
                }
                _ => format!("{module}::Success::{variant}(body) => println!(\"{{body:?}}\"),"),
            };
            format!(
                "match {send}.into_inner() {{\n    {arm}\n    other => println!(\"another 2xx: {{other:?}}\"),\n}}"
            )
        }
        None => format!("let response = {send};\nprintln!(\"{{:?}}\", response.into_inner());"),
    };
    let body = format!("let client = Client::new();\nlet request = {request};\n{handle}");
    let imports = format!("use {client}::{{{op_path}, Client}};");
    // A doctest where the client's path is known; else text, which no test runs (and which
    // shows hidden lines, so it has none).
    let (kind, path_note, code) = match client_path {
        Some(_) => (
            "rust,no_run",
            "",
            format!(
                "{imports}\n\n# async fn run() -> Result<(), {client}::runtime::Error<{module}::Error>> \
                 {{\n{body}\n# Ok(())\n# }}"
            ),
        ),
        None => (
            "text",
            "\n\n`my_crate::client` stands for where the client is in your crate.",
            format!("{imports}\n\n{body}"),
        ),
    };
    // A fence longer than any run of backticks in the code (a string example may hold some).
    let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("# Example{path_note}\n\n{fence}{kind}\n{code}\n{fence}")
}

/// The literal arguments of `Request::new`: each required parameter's example, when all have a
/// literal and no body is required.
fn constructor_args(op: &Operation) -> Option<Vec<String>> {
    let body_required = match &op.body {
        Body::None => false,
        Body::Form(fields) | Body::Multipart(fields) => fields.iter().any(|f| !f.optional),
        Body::Json { .. } | Body::Raw { .. } | Body::Binary | Body::GraphQl { .. } => true,
    };
    if body_required {
        return None;
    }
    op.params
        .iter()
        .filter(|p| !p.optional)
        .map(|p| literal(&p.ty, p.example.as_ref()))
        .collect()
}

/// A Rust literal of `ty` from `example`, for the types a literal can write.
fn literal(ty: &Ty, example: Option<&Value>) -> Option<String> {
    match (ty, example) {
        (Ty::String, Some(Value::String(text))) => Some(format!("{text:?}")),
        (Ty::String, _) => Some("\"...\"".to_owned()),
        // Suffixed where `i32`, which an unsuffixed literal for `impl Into<i64>` is, cannot
        // hold it.
        (Ty::I64, Some(Value::Number(n))) => n.as_i64().map(|i| match i32::try_from(i) {
            Ok(_) => i.to_string(),
            Err(_) => format!("{i}_i64"),
        }),
        (Ty::I64, _) => Some("0".to_owned()),
        (Ty::F64, Some(Value::Number(n))) => n.as_f64().map(|f| format!("{f:?}")),
        (Ty::F64, _) => Some("0.0".to_owned()),
        (Ty::Bool, Some(Value::Bool(b))) => Some(b.to_string()),
        (Ty::Bool, _) => Some("false".to_owned()),
        _ => None,
    }
}
