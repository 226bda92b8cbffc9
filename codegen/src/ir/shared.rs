//! Types shared across operations: a struct or enum that several operations send or receive,
//! field for field (value for value) the same, is defined once in the client's `types` module
//! and named after what it is, not after the first operation that met it.
//!
//! An operation's own JSON body stays in its module (`update_a_user::Body`), with the setters
//! its `Request` forwards; the types nested in it are shared like any other.

use std::collections::{BTreeMap, BTreeSet};

use super::infer::RESERVED_TYPES;
use super::{Body, Module, Operation, ResponseKind, SharedType, StructDef, Ty, TypeDef};
use crate::naming::{camel, singular, Namespace};

/// Fields that name a content-derived type (`ErrorCodeMessage`).
const NAMING_FIELDS: usize = 3;

/// Moves the types that two or more operations share out of them, and returns
/// them, named, in the order they are first met (operations of a module, then its folders).
pub fn share_types(root: &mut Module) -> Vec<SharedType> {
    let mut operations = Vec::new();
    collect(root, "", &mut operations);
    let mut groups: Vec<Group> = Vec::new();
    let mut by_shape: BTreeMap<String, usize> = BTreeMap::new();
    // Each operation: local name → its group.
    let mut per_op: Vec<BTreeMap<String, usize>> = Vec::new();
    for (index, (name, op)) in operations.iter().enumerate() {
        let mut local = BTreeMap::new();
        for Shareable { shape, def, sent } in shareable(op) {
            let group = *by_shape.entry(shape).or_insert_with(|| {
                groups.push(Group {
                    def: def.clone(),
                    first_operation: index,
                    users: Vec::new(),
                    uses: Vec::new(),
                    sent: false,
                });
                groups.len() - 1
            });
            let group_of_op = &mut groups[group];
            if !group_of_op.users.contains(name) {
                group_of_op.users.push(name.clone());
            }
            group_of_op.sent |= sent;
            let local_name = def.name().to_owned();
            group_of_op.uses.push(Use {
                status: status_of(op, &local_name),
                local: local_name.clone(),
                path: op.path.clone(),
            });
            local.insert(local_name, group);
        }
        per_op.push(local);
    }
    let mut names = Namespace::with_reserved(RESERVED_TYPES);
    let group_names: Vec<Option<String>> = groups
        .iter()
        .map(|group| (group.users.len() > 1).then(|| names.claim(&group.name())))
        .collect();
    // Each operation: local name → shared name.
    let renames: Vec<BTreeMap<String, String>> = per_op
        .iter()
        .map(|local| {
            local
                .iter()
                .filter_map(|(name, &group)| Some((name.clone(), group_names[group].clone()?)))
                .collect()
        })
        .collect();
    let types = groups
        .into_iter()
        .zip(&group_names)
        .filter_map(|(group, name)| {
            let name = name.clone()?;
            let def = match group.def {
                TypeDef::Struct(mut def) => {
                    def.name = name;
                    for field in &mut def.fields {
                        field.ty = rewrite(&field.ty, &renames[group.first_operation]);
                    }
                    TypeDef::Struct(def)
                }
                TypeDef::Enum(mut def) => {
                    def.name = name;
                    TypeDef::Enum(def)
                }
            };
            Some(SharedType {
                def,
                users: group.users,
                sent: group.sent,
            })
        })
        .collect();
    let mut index = 0;
    apply(root, &renames, &mut index);
    types
}

/// A shape met in one or more operations.
struct Group {
    /// The first definition met.
    def: TypeDef,
    /// The operation that definition is in (an index in [`collect`]'s order).
    first_operation: usize,
    /// Module paths of the operations that have it, each once.
    users: Vec<String>,
    uses: Vec<Use>,
    /// Whether some operation sends it.
    sent: bool,
}

/// One operation's definition of a shape.
struct Use {
    local: String,
    /// The status whose body the definition is, when it is one (not a nested field's type).
    status: Option<u16>,
    path: String,
}

impl Group {
    /// What the shape is, where its users agree: the field that holds it (`settings` holds
    /// `Settings`, `users: [...]` holds `User`s), or for a success body the resource of its
    /// path (`/users/:userId` is a `User`). Otherwise its first fields (`CodeMessage`), after
    /// `Error` for error bodies. Never the name one user gave it from its status
    /// (`BadRequestBody`).
    fn name(&self) -> String {
        let candidates: BTreeSet<Option<String>> = self
            .uses
            .iter()
            .filter(|u| u.status.is_none_or(|s| (200..300).contains(&s)))
            .map(|u| match u.status {
                None => Some(held_name(&u.local)),
                Some(_) => resource(&u.path),
            })
            .collect();
        if let [Some(name)] = candidates.iter().collect::<Vec<_>>().as_slice() {
            return (*name).clone();
        }
        // One thing, met as an item (`/products/:id`) and from its collection (`POST
        // /products` answers the product it made): `Product`.
        let singulars: BTreeSet<Option<String>> = candidates
            .iter()
            .map(|name| name.as_deref().map(singular))
            .collect();
        if let [Some(name)] = singulars.iter().collect::<Vec<_>>().as_slice() {
            return (*name).clone();
        }
        let fields: Vec<&str> = match &self.def {
            TypeDef::Struct(def) => def
                .fields
                .iter()
                .take(NAMING_FIELDS)
                .map(|f| f.key.as_str())
                .collect(),
            TypeDef::Enum(def) => def
                .variants
                .iter()
                .take(NAMING_FIELDS)
                .map(|(variant, _)| variant.as_str())
                .collect(),
        };
        let errors = self.uses.iter().all(|u| u.status.is_some_and(|s| s >= 300));
        let prefix = if errors { "Error " } else { "" };
        camel(&format!("{prefix}{}", fields.join(" ")), "Shape")
    }
}

/// The name of a type nested in a field: the field's name (`Settings`), and for the items of
/// a list (`UsersItem`, or `UsersItem2` numbered beside another of its operation's types) the
/// singular of the list's (`User`).
fn held_name(local: &str) -> String {
    let item = local
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .strip_suffix("Item");
    match item {
        Some(list) if !list.is_empty() => singular(list),
        _ => local.to_owned(),
    }
}

/// The resource a path names: its last literal segment, singular when a parameter follows it
/// (`/users/:userId` is a `User`, `/users` are `Users`).
fn resource(path: &str) -> Option<String> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let is_param = |s: &str| s.starts_with(':') || s.starts_with('{');
    let last = segments.iter().rposition(|s| !is_param(s))?;
    let word = segments[last];
    let word = if last + 1 < segments.len() {
        singular(word)
    } else {
        word.to_owned()
    };
    let name = camel(&word, "");
    (!name.is_empty()).then_some(name)
}

/// Every operation with its module path (`users::get_a_user`), operations of a module before
/// its folders'.
fn collect<'a>(module: &'a Module, parents: &str, out: &mut Vec<(String, &'a Operation)>) {
    for op in &module.operations {
        out.push((format!("{parents}{}", op.ident), op));
    }
    for child in &module.modules {
        collect(child, &format!("{parents}{}::", child.ident), out);
    }
}

/// A type an operation defines, with its shape.
struct Shareable<'a> {
    /// Its fields (values, for an enum) and, in place of the names of nested types, their
    /// shapes.
    shape: String,
    def: &'a TypeDef,
    /// Whether the operation sends it.
    sent: bool,
}

/// The operation's types that its parameters, body or responses reach, except its own JSON
/// body, whose fields its `Request` sets.
fn shareable(op: &Operation) -> Vec<Shareable<'_>> {
    let mut sent = BTreeSet::new();
    for ty in sent_types(op) {
        reach(ty, &op.types, &mut sent);
    }
    let mut reached = sent.clone();
    for response in &op.responses {
        if let ResponseKind::Json(ty) = &response.kind {
            reach(ty, &op.types, &mut reached);
        }
    }
    let own_body = match &op.body {
        Body::Json { ty, .. }
        | Body::GraphQl {
            variables_ty: Some(ty),
            ..
        } => top_name(ty),
        _ => None,
    };
    // The typer defines nested types before the types holding them.
    let mut shapes: BTreeMap<&str, String> = BTreeMap::new();
    let mut out = Vec::new();
    for def in &op.types {
        let name = def.name();
        if !reached.contains(name) || own_body == Some(name) {
            continue;
        }
        let shape = match def {
            TypeDef::Struct(def) => shape(def, &shapes),
            TypeDef::Enum(def) => Some(format!("enum{:?}", def.variants)),
        };
        let Some(shape) = shape else { continue };
        shapes.insert(name, shape.clone());
        out.push(Shareable {
            shape,
            def,
            sent: sent.contains(name),
        });
    }
    out
}

/// The types of what the operation sends: parameters and body.
fn sent_types(op: &Operation) -> Vec<&Ty> {
    let mut tys: Vec<&Ty> = op.params.iter().map(|p| &p.ty).collect();
    match &op.body {
        Body::Json { ty, .. } => tys.push(ty),
        Body::GraphQl {
            variables_ty: Some(ty),
            ..
        } => tys.push(ty),
        Body::Form(fields) | Body::Multipart(fields) => tys.extend(fields.iter().map(|p| &p.ty)),
        _ => {}
    }
    tys
}

/// Adds the names of the definitions `ty` reaches to `seen`.
fn reach(ty: &Ty, defs: &[TypeDef], seen: &mut BTreeSet<String>) {
    match ty {
        Ty::Vec(inner) | Ty::Option(inner) => reach(inner, defs, seen),
        Ty::Named(name) if seen.insert(name.clone()) => {
            if let Some(TypeDef::Struct(def)) = defs.iter().find(|d| d.name() == name) {
                for field in &def.fields {
                    reach(&field.ty, defs, seen);
                }
            }
        }
        _ => {}
    }
}

/// The shape of a struct whose nested structs all have shapes in `known`.
fn shape(def: &StructDef, known: &BTreeMap<&str, String>) -> Option<String> {
    let mut text = String::from("{");
    for field in &def.fields {
        let ty = ty_shape(&field.ty, known)?;
        text.push_str(&format!(
            "{:?}:{:?}:{}:{ty},",
            field.key, field.ident, field.optional
        ));
    }
    text.push('}');
    Some(text)
}

fn ty_shape(ty: &Ty, known: &BTreeMap<&str, String>) -> Option<String> {
    Some(match ty {
        Ty::Vec(inner) => format!("[{}]", ty_shape(inner, known)?),
        Ty::Option(inner) => format!("?{}", ty_shape(inner, known)?),
        Ty::Named(name) => known.get(name.as_str())?.clone(),
        other => format!("{other:?}"),
    })
}

/// The status whose body `name` is, when a response decodes into it directly or as a list.
fn status_of(op: &Operation, name: &str) -> Option<u16> {
    op.responses
        .iter()
        .find_map(|response| match &response.kind {
            ResponseKind::Json(ty) if top_name(ty) == Some(name) => Some(response.status),
            _ => None,
        })
}

fn top_name(ty: &Ty) -> Option<&str> {
    match ty {
        Ty::Vec(inner) | Ty::Option(inner) => top_name(inner),
        Ty::Named(name) => Some(name),
        _ => None,
    }
}

/// `ty` with the names in `renames` pointing at shared types.
fn rewrite(ty: &Ty, renames: &BTreeMap<String, String>) -> Ty {
    match ty {
        Ty::Vec(inner) => Ty::Vec(Box::new(rewrite(inner, renames))),
        Ty::Option(inner) => Ty::Option(Box::new(rewrite(inner, renames))),
        Ty::Named(name) => match renames.get(name) {
            Some(shared) => Ty::Shared(shared.clone()),
            None => ty.clone(),
        },
        other => other.clone(),
    }
}

/// Drops the shared definitions from each operation and points its types at them; `index`
/// counts operations in the order of [`collect`].
fn apply(module: &mut Module, renames: &[BTreeMap<String, String>], index: &mut usize) {
    for op in &mut module.operations {
        let renames = &renames[*index];
        *index += 1;
        op.types.retain(|def| !renames.contains_key(def.name()));
        for param in &mut op.params {
            param.ty = rewrite(&param.ty, renames);
        }
        match &mut op.body {
            Body::Json { ty, .. }
            | Body::GraphQl {
                variables_ty: Some(ty),
                ..
            } => *ty = rewrite(ty, renames),
            Body::Form(fields) | Body::Multipart(fields) => {
                for field in fields {
                    field.ty = rewrite(&field.ty, renames);
                }
            }
            _ => {}
        }
        for def in &mut op.types {
            if let TypeDef::Struct(def) = def {
                for field in &mut def.fields {
                    field.ty = rewrite(&field.ty, renames);
                }
            }
        }
        for response in &mut op.responses {
            if let ResponseKind::Json(ty) = &mut response.kind {
                *ty = rewrite(ty, renames);
            }
        }
    }
    for child in &mut module.modules {
        apply(child, renames, index);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_names_its_resource() {
        assert_eq!(resource("/users/:userId").as_deref(), Some("User"));
        assert_eq!(resource("/users").as_deref(), Some("Users"));
        assert_eq!(
            resource("/users/{{id}}/settings").as_deref(),
            Some("Settings")
        );
        assert_eq!(resource("/:id"), None);
        assert_eq!(resource("/policies/:id").as_deref(), Some("Policy"));
    }

    #[test]
    fn a_list_names_its_items() {
        assert_eq!(held_name("UsersItem"), "User");
        assert_eq!(held_name("Settings"), "Settings");
        assert_eq!(held_name("StatusItem"), "Status");
        assert_eq!(held_name("Item"), "Item");
        assert_eq!(held_name("UserQosItem"), "UserQos");
        assert_eq!(held_name("PhoneNumbersItem"), "PhoneNumber");
        assert_eq!(held_name("RegistrantsItem2"), "Registrant");
        assert_eq!(held_name("Oauth2"), "Oauth2");
        assert_eq!(held_name("ActionBatchesItem"), "ActionBatch");
        assert_eq!(held_name("StatusesItem"), "Status");
        assert_eq!(held_name("AddressesItem"), "Address");
        assert_eq!(held_name("ResponsesItem"), "Response");
    }
}
