//! Typed parameters from key/value entries: path, query, header and form fields.

use super::hints::{enum_values, is_required, json_object, scalar};
use super::infer::{Shape, Typer};
use super::{Param, ParamIn, Ty};
use crate::naming::{snake, Namespace};

/// What one entry looks like before typing.
pub struct Entry<'a> {
    /// Name on the wire.
    pub key: &'a str,
    /// Example value.
    pub value: Option<&'a str>,
    /// Description (hints live here).
    pub description: Option<&'a str>,
    /// Always required (path parameters).
    pub required: bool,
    /// A disabled entry: optional, and left unset in `example()`.
    pub disabled: bool,
}

/// Types one entry and claims its field name.
///
/// An enum hint in the description wins; then, where `allow_json`, a JSON object example gives
/// a struct sent as JSON text; otherwise the example value decides (see [`scalar`]).
pub fn param(
    entry: &Entry<'_>,
    place: ParamIn,
    allow_json: bool,
    typer: &mut Typer,
    fields: &mut Namespace,
) -> Param {
    let field = fields.claim(&snake(entry.key, "param"));
    let mut json = false;
    let (ty, example) = if let Some(values) = enum_values(entry.description) {
        let example = entry
            .value
            .filter(|v| values.iter().any(|x| x == v))
            .unwrap_or(&values[0])
            .to_owned();
        (typer.string_enum(&values, entry.key), Some(example.into()))
    } else if let Some(value) = json_object(entry.value).filter(|_| allow_json) {
        json = true;
        (typer.ty(&Shape::of(&value), entry.key), Some(value))
    } else {
        scalar(entry.value)
    };
    let optional = !entry.required && (entry.disabled || !is_required(entry.description));
    let mut doc = entry.description.map(str::to_owned);
    if entry.disabled {
        if let Some(value) = entry.value.filter(|v| !v.is_empty()) {
            let line = format!("Example: `{value}`.");
            doc = Some(doc.map_or(line.clone(), |d| format!("{d}\n\n{line}")));
        }
    }
    Param {
        field,
        key: entry.key.to_owned(),
        place,
        ty,
        optional,
        json,
        doc,
        example: example.filter(|_| !entry.disabled),
    }
}

/// A file field of a multipart body.
pub fn file_param(
    key: &str,
    description: Option<&str>,
    optional: bool,
    fields: &mut Namespace,
) -> Param {
    Param {
        field: fields.claim(&snake(key, "file")),
        key: key.to_owned(),
        place: ParamIn::Form,
        ty: Ty::File,
        optional,
        json: false,
        doc: description.map(str::to_owned),
        example: None,
    }
}
