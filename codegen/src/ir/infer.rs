//! Type inference from JSON examples: every example is unified into one shape, and the shape
//! becomes Rust types (structs named after their fields).

use serde_json::Value;

use super::{EnumDef, Field, StructDef, Ty, TypeDef};
use crate::naming::{camel, snake, Namespace};

/// What a set of JSON examples looks like.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// Nothing known yet (empty array elements).
    Unknown,
    /// Only `null` seen.
    Null,
    /// Booleans.
    Bool,
    /// Integers that fit `i64`.
    Int,
    /// Other numbers.
    Float,
    /// Strings.
    Str,
    /// Arrays of one shape.
    Array(Box<Shape>),
    /// Objects; fields in first-seen order, `true` when present in every example.
    Object(Vec<(String, Shape, bool)>),
    /// Shape or `null`.
    Nullable(Box<Shape>),
    /// Conflicting shapes.
    Any,
}

impl Shape {
    /// The shape of one value.
    pub fn of(value: &Value) -> Self {
        match value {
            Value::Null => Self::Null,
            Value::Bool(_) => Self::Bool,
            Value::Number(n) if n.as_i64().is_some() => Self::Int,
            Value::Number(_) => Self::Float,
            Value::String(_) => Self::Str,
            Value::Array(items) => Self::Array(Box::new(
                items.iter().map(Self::of).fold(Self::Unknown, Self::unify),
            )),
            Value::Object(map) => Self::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), Self::of(v), true))
                    .collect(),
            ),
        }
    }

    /// Marks the object fields named `keys`, at any depth, as not always present.
    pub fn mark_optional(&mut self, keys: &[String]) {
        match self {
            Self::Object(fields) => {
                for (key, shape, required) in fields {
                    if keys.contains(key) {
                        *required = false;
                    }
                    shape.mark_optional(keys);
                }
            }
            Self::Array(inner) | Self::Nullable(inner) => inner.mark_optional(keys),
            _ => {}
        }
    }

    /// The shape covering both.
    pub fn unify(self, other: Self) -> Self {
        use Shape::*;
        match (self, other) {
            (Unknown, s) | (s, Unknown) => s,
            (Null, Null) => Null,
            (Null, Nullable(s)) | (Nullable(s), Null) => Nullable(s),
            (Null, s) | (s, Null) => Nullable(Box::new(s)),
            (Nullable(a), Nullable(b)) => Nullable(Box::new(a.unify(*b))),
            (Nullable(a), b) | (b, Nullable(a)) => Nullable(Box::new(a.unify(b))),
            (Int, Float) | (Float, Int) => Float,
            (Array(a), Array(b)) => Array(Box::new(a.unify(*b))),
            (Object(a), Object(b)) => Object(merge_fields(a, b)),
            (a, b) if a == b => a,
            _ => Any,
        }
    }
}

fn merge_fields(
    mut a: Vec<(String, Shape, bool)>,
    b: Vec<(String, Shape, bool)>,
) -> Vec<(String, Shape, bool)> {
    for field in &mut a {
        if !b.iter().any(|(k, _, _)| *k == field.0) {
            field.2 = false;
        }
    }
    for (key, shape, required) in b {
        match a.iter_mut().find(|(k, _, _)| *k == key) {
            Some(existing) => {
                let old = std::mem::replace(&mut existing.1, Shape::Unknown);
                existing.1 = old.unify(shape);
                existing.2 &= required;
            }
            None => a.push((key, shape, false)),
        }
    }
    a
}

/// Whether a type is sent (typed exactly as the example shows) or received (typed to accept
/// what other responses may hold).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Use {
    Request,
    Response,
}

/// Words of a JSON key that name a measure rather than a count or an identifier.
const MEASURES: &[&str] = &[
    "amount",
    "average",
    "avg",
    "balance",
    "bottom",
    "confidence",
    "cost",
    "depth",
    "distance",
    "fee",
    "height",
    "lat",
    "latitude",
    "left",
    "lng",
    "lon",
    "longitude",
    "mean",
    "median",
    "pct",
    "percent",
    "percentage",
    "price",
    "probability",
    "rate",
    "ratio",
    "right",
    "score",
    "speed",
    "temperature",
    "top",
    "weight",
    "width",
    "x",
    "y",
    "z",
];

/// Whether the key names a measure (`width`, `unitPrice`, `lat`): its last word is one, so
/// `rate_limit` and `x_request_id` stay integers. Integers in examples of a measure may be
/// fractions in other responses.
fn is_measure(key: &str) -> bool {
    snake(key, "")
        .rsplit('_')
        .next()
        .is_some_and(|word| MEASURES.contains(&word))
}

/// Turns shapes into types, collecting the struct and enum definitions of one operation.
#[derive(Debug)]
pub struct Typer {
    names: Namespace,
    /// Definitions made so far.
    pub defs: Vec<TypeDef>,
}

/// Type names every operation module defines or that would shadow the prelude.
pub(super) const RESERVED_TYPES: &[&str] = &[
    "Request",
    "Success",
    "Error",
    "Ops",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Debug",
    "Iterator",
    "IntoIterator",
    "From",
    "Into",
    "ToString",
    "ToOwned",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Hash",
    "Extend",
    "AsRef",
    "AsMut",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Self",
];

impl Default for Typer {
    fn default() -> Self {
        Self::new()
    }
}

impl Typer {
    /// A typer for one operation module.
    pub fn new() -> Self {
        Self {
            names: Namespace::with_reserved(RESERVED_TYPES),
            defs: Vec::new(),
        }
    }

    /// Claims a type name.
    pub fn claim(&mut self, name: &str) -> String {
        self.names.claim(name)
    }

    /// The type of a request value for `shape`, as the example shows it; objects become
    /// structs named after `hint`.
    pub fn ty(&mut self, shape: &Shape, hint: &str) -> Ty {
        self.ty_for(shape, hint, Use::Request)
    }

    /// The type of a response body for `shape`. Examples show only what some responses held,
    /// so it fails soft: every object field is an `Option` (absent or `null` decode as `None`,
    /// and a collection that gains an example does not turn a field optional under its users),
    /// and integers whose name says they measure something (`width`, `price`, `latitude`)
    /// are `f64`, since the next response may hold `1.5`.
    pub fn response_ty(&mut self, shape: &Shape, hint: &str) -> Ty {
        self.ty_for(shape, hint, Use::Response)
    }

    fn ty_for(&mut self, shape: &Shape, hint: &str, usage: Use) -> Ty {
        match shape {
            Shape::Unknown | Shape::Null | Shape::Any => Ty::Value,
            Shape::Bool => Ty::Bool,
            Shape::Int if usage == Use::Response && is_measure(hint) => Ty::F64,
            Shape::Int => Ty::I64,
            Shape::Float => Ty::F64,
            Shape::Str => Ty::String,
            Shape::Nullable(inner) => Ty::Option(Box::new(self.ty_for(inner, hint, usage))),
            Shape::Array(inner) => {
                Ty::Vec(Box::new(self.ty_for(inner, &format!("{hint}Item"), usage)))
            }
            Shape::Object(fields) if fields.is_empty() => Ty::Value,
            Shape::Object(fields) => {
                let mut field_names = Namespace::default();
                let mut out = Vec::new();
                for (key, shape, required) in fields {
                    let ident = field_names.claim(&snake(key, "field"));
                    // `self` in `_links` names a `LinksSelf`, not a `Self2`.
                    let reserved = RESERVED_TYPES.contains(&camel(key, "T").as_str());
                    let child = if reserved {
                        format!("{hint} {key}")
                    } else {
                        key.clone()
                    };
                    let mut ty = self.ty_for(shape, &child, usage);
                    let optional = !required || usage == Use::Response;
                    if optional && !matches!(ty, Ty::Option(_)) {
                        ty = Ty::Option(Box::new(ty));
                    }
                    out.push(Field {
                        ident,
                        key: key.clone(),
                        ty,
                        optional,
                    });
                }
                // The same shape seen again (a `status` object in every response) is one type.
                let existing = self.defs.iter().find_map(|def| match def {
                    TypeDef::Struct(s) if s.fields == out => Some(s.name.clone()),
                    _ => None,
                });
                if let Some(name) = existing {
                    return Ty::Named(name);
                }
                let name = self.claim(&camel(hint, "T"));
                self.defs.push(TypeDef::Struct(StructDef {
                    name: name.clone(),
                    fields: out,
                }));
                Ty::Named(name)
            }
        }
    }

    /// An enum of `values` named after `hint`; a code with a label (`1` - Basic) is named after
    /// it (`Basic`), other values after themselves (`Active`, `V11`).
    pub fn string_enum(&mut self, values: &[String], labels: &[Option<String>], hint: &str) -> Ty {
        let name = self.claim(&camel(hint, "T"));
        let mut variant_names = Namespace::default();
        let variants = values
            .iter()
            .enumerate()
            .map(|(i, value)| {
                // A value with letters (`active`) names itself; codes (`1`) take their label.
                let label = labels.get(i).and_then(Option::as_ref);
                let mut variant = match label {
                    Some(label) if !value.chars().any(char::is_alphabetic) => camel(label, "V"),
                    _ => camel(value, "V"),
                };
                // `None`, `Some`, `Ok` and `Err` read as the prelude's.
                if matches!(variant.as_str(), "None" | "Some" | "Ok" | "Err") {
                    variant.push('_');
                }
                (variant_names.claim(&variant), value.clone())
            })
            .collect();
        self.defs.push(TypeDef::Enum(EnumDef {
            name: name.clone(),
            variants,
        }));
        Ty::Named(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn unify_all(values: &[Value]) -> Shape {
        values
            .iter()
            .map(Shape::of)
            .fold(Shape::Unknown, Shape::unify)
    }

    #[test]
    fn field_missing_from_one_example_is_optional() {
        let shape = unify_all(&[json!({"a": 1, "b": "x"}), json!({"a": 2.5})]);
        assert_eq!(
            shape,
            Shape::Object(vec![
                ("a".into(), Shape::Float, true),
                ("b".into(), Shape::Str, false)
            ])
        );
    }

    #[test]
    fn null_makes_nullable_and_conflicts_become_any() {
        assert_eq!(
            unify_all(&[json!("x"), json!(null)]),
            Shape::Nullable(Box::new(Shape::Str))
        );
        assert_eq!(unify_all(&[json!("x"), json!(1)]), Shape::Any);
    }

    #[test]
    fn response_fields_are_optional_and_measures_are_floats() {
        let shape =
            Shape::of(&json!({"id": 1, "width": 2, "sizes": [{"maxX": 3, "rate_limit": 4}]}));
        let mut typer = Typer::new();
        typer.response_ty(&shape, "OkBody");
        let fields: Vec<(String, Ty)> = typer
            .defs
            .iter()
            .flat_map(|def| match def {
                TypeDef::Struct(s) => s.fields.clone(),
                TypeDef::Enum(_) => Vec::new(),
            })
            .map(|f| (f.key, f.ty))
            .collect();
        let opt = |ty: Ty| Ty::Option(Box::new(ty));
        assert_eq!(
            fields,
            vec![
                ("maxX".into(), opt(Ty::F64)),
                ("rate_limit".into(), opt(Ty::I64)),
                ("id".into(), opt(Ty::I64)),
                ("width".into(), opt(Ty::F64)),
                (
                    "sizes".into(),
                    opt(Ty::Vec(Box::new(Ty::Named("SizesItem".into()))))
                ),
            ]
        );
        let mut request = Typer::new();
        request.ty(&shape, "Body");
        let TypeDef::Struct(body) = &request.defs[1] else {
            panic!("expected a struct")
        };
        assert_eq!(body.fields[1].ty, Ty::I64);
    }

    #[test]
    fn objects_become_named_structs() {
        let mut typer = Typer::new();
        let ty = typer.ty(
            &Shape::of(&json!({"items": [{"id": 1}], "type": "x"})),
            "Body",
        );
        assert_eq!(ty, Ty::Named("Body".into()));
        assert_eq!(typer.defs.len(), 2);
        let TypeDef::Struct(item) = &typer.defs[0] else {
            panic!("expected a struct")
        };
        assert_eq!(item.name, "ItemsItem");
    }
}
