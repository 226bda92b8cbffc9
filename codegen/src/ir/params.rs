//! Typed parameters from key/value entries: path, query, header and form fields.

use serde_json::Value;

use super::hints::{enum_values, is_required, json_object, scalar, value_labels};
use super::infer::{Shape, Typer};
use super::url::whole_variable;
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
        let labels = value_labels(entry.description, &values);
        (
            typer.string_enum(&values, &labels, entry.key),
            Some(example.into()),
        )
    } else if let Some(value) = json_object(entry.value).filter(|_| allow_json) {
        json = true;
        (typer.ty(&Shape::of(&value), entry.key), Some(value))
    } else {
        scalar(entry.value)
    };
    // A value that is one variable defaults to it: the client's value for that variable.
    let default = entry
        .value
        .map(str::trim)
        .and_then(whole_variable)
        .filter(|_| !matches!(ty, Ty::Named(_)) && !entry.disabled)
        .map(|name| format!("{{{{{name}}}}}"));
    let optional =
        default.is_some() || !entry.required && (entry.disabled || !is_required(entry.description));
    let mut doc = entry.description.map(str::to_owned);
    if let Some(variable) = &default {
        doc = Some(append(
            doc,
            &format!("Unset, the client sends its value of the variable `{variable}`."),
        ));
    }
    if entry.disabled {
        if let Some(value) = entry.value.filter(|v| !v.is_empty()) {
            doc = Some(append(doc, &format!("Example: `{value}`.")));
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
        example: example.filter(|_| !entry.disabled && default.is_none()),
        default,
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
        default: None,
    }
}

/// Query entries that share one key become one parameter. Two or more enabled entries mean the
/// key is repeated on the wire (`tag=a&tag=b`): a `Vec`. Otherwise the entries are alternatives
/// (often disabled examples of one optional parameter): one field, typed to fit every example,
/// with the others listed in its documentation. `entries` holds at least one entry.
pub fn query_param(entries: &[Entry<'_>], typer: &mut Typer, fields: &mut Namespace) -> Param {
    let enabled: Vec<&Entry<'_>> = entries.iter().filter(|e| !e.disabled).collect();
    let primary = enabled.first().copied().unwrap_or(&entries[0]);
    let description = entries.iter().find_map(|e| e.description);
    let entry = Entry {
        description,
        ..*primary
    };
    let mut param = param(&entry, ParamIn::Query, false, typer, fields);
    if entries.len() == 1 {
        if entry.value.is_none() && !entry.disabled {
            // `?human`: Postman sends the key alone.
            param.place = ParamIn::QueryFlag;
            param.ty = Ty::Bool;
            param.optional = false;
            param.example = Some(Value::Bool(true));
            param.doc = Some(append(param.doc, "Sent as the key alone when `true`."));
        }
        return param;
    }
    let is_enum = matches!(param.ty, Ty::Named(_));
    if enabled.len() >= 2 {
        param.default = None;
        let values: Vec<&str> = enabled.iter().filter_map(|e| e.value).collect();
        let element = if is_enum {
            param.ty.clone()
        } else {
            common_scalar(&values)
        };
        let examples = values.iter().filter_map(|v| typed(&element, v)).collect();
        param.ty = Ty::Vec(Box::new(element));
        param.optional = false;
        param.example = Some(Value::Array(examples));
        param.doc = Some(append(param.doc, "Repeated: sent once per element."));
        return param;
    }
    let values: Vec<&str> = entries.iter().filter_map(|e| e.value).collect();
    let fitting = common_scalar(&values);
    if !is_enum && param.ty != fitting {
        param.ty = fitting;
        param.example = primary
            .value
            .filter(|_| !primary.disabled)
            .and_then(|v| typed(&param.ty, v));
    }
    let others: Vec<String> = entries
        .iter()
        .filter(|e| !std::ptr::eq(*e, primary))
        .filter_map(|e| e.value.filter(|v| !v.is_empty()))
        .map(|v| format!("`{v}`"))
        .collect();
    if !others.is_empty() {
        let line = format!("Other examples: {}.", others.join(", "));
        param.doc = Some(append(param.doc, &line));
    }
    param
}

/// The scalar type every value fits: their common type, else `String`.
fn common_scalar(values: &[&str]) -> Ty {
    let mut types = values.iter().map(|v| scalar(Some(v)).0);
    let first = types.next().unwrap_or(Ty::String);
    if types.all(|t| t == first) {
        first
    } else {
        Ty::String
    }
}

/// `value` as an example of type `ty`, when it is one (an enum's example is its text).
fn typed(ty: &Ty, value: &str) -> Option<Value> {
    match scalar(Some(value)) {
        (t, example) if t == *ty => example,
        _ if matches!(ty, Ty::String | Ty::Named(_)) => Some(Value::String(value.to_owned())),
        _ => None,
    }
}

fn append(doc: Option<String>, line: &str) -> String {
    match doc {
        Some(doc) => format!("{doc}\n\n{line}"),
        None => line.to_owned(),
    }
}
