//! The generated API of a client as a flat map from the path of each public item
//! (`users::update_a_user::Request.login_type`) to what callers see of it.

use std::collections::BTreeMap;

use crate::ir::{Api, Body, Module, Operation, Response, ResponseKind, Ty, TypeDef};

/// One public item of a generated client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// An operation: its module, its `Request` and the client's method for it.
    Operation {
        /// `PATCH /users/:userId`, the request it sends.
        route: String,
        /// Server key and auth scheme: what it is sent to and with.
        sending: String,
    },
    /// A field of a struct callers build or read.
    Field {
        /// Its Rust type.
        ty: String,
        /// Whether `new` takes it (it is not an `Option`).
        required: bool,
        /// What it is (`query parameter \`page\``, `JSON field \`id\``).
        what: String,
    },
    /// A struct.
    Struct,
    /// An enum of values.
    Enum,
    /// A value of an enum, with its wire value.
    Value(String),
    /// A status variant of `Success` or `Error`, with the type of its body.
    Status(Option<String>),
    /// A server key of the client, with its default URL.
    Server(String),
    /// How an operation pages (`Request::pages` and `items`): the scheme and the item type.
    Paging {
        /// The scheme's name.
        scheme: String,
        /// The type `items` yields.
        item: String,
    },
}

/// Every public item of the client generated from `api`, by path.
pub fn surface(api: &Api) -> BTreeMap<String, Item> {
    let mut items = BTreeMap::new();
    for server in &api.servers {
        items.insert(
            format!("Client server `{}`", server.key),
            Item::Server(server.default.clone()),
        );
    }
    for shared in &api.types {
        type_items("types::", &shared.def, &mut items);
    }
    module_items(&api.root, "", &mut items);
    items
}

fn module_items(module: &Module, parents: &str, items: &mut BTreeMap<String, Item>) {
    for op in &module.operations {
        operation_items(op, &format!("{parents}{}", op.ident), items);
    }
    for child in &module.modules {
        module_items(child, &format!("{parents}{}::", child.ident), items);
    }
}

fn operation_items(op: &Operation, path: &str, items: &mut BTreeMap<String, Item>) {
    items.insert(
        path.to_owned(),
        Item::Operation {
            route: format!("{} {}", op.method, op.path),
            sending: format!(
                "server `{}`, auth {:?}, {}",
                op.server,
                op.auth,
                body_mode(&op.body)
            ),
        },
    );
    if let Some(paging) = &op.paging {
        items.insert(
            format!("{path}::Request::pages"),
            Item::Paging {
                scheme: paging.scheme.name().to_owned(),
                item: ty_name(&paging.item),
            },
        );
    }
    for param in &op.params {
        let what = format!("{} `{}`", param.place.describe(), param.key);
        field(
            items,
            &format!("{path}::Request.{}", param.field),
            &param.ty,
            !param.optional,
            what,
        );
    }
    let body_ty = match &op.body {
        Body::None => None,
        Body::Json { ty, .. } => Some(ty_name(ty)),
        Body::Form(fields) | Body::Multipart(fields) => {
            items.insert(format!("{path}::Body"), Item::Struct);
            for param in fields {
                let what = format!("form field `{}`", param.key);
                field(
                    items,
                    &format!("{path}::Body.{}", param.field),
                    &param.ty,
                    !param.optional,
                    what,
                );
            }
            Some("Body".to_owned())
        }
        Body::Raw { .. } => Some("String".to_owned()),
        Body::Binary => Some("Vec<u8>".to_owned()),
        Body::GraphQl { variables_ty, .. } => Some(match variables_ty {
            Some(ty) => format!("runtime::GraphQlBody<{}>", ty_name(ty)),
            None => "runtime::GraphQlBody".to_owned(),
        }),
    };
    if let Some(ty) = body_ty {
        items.insert(
            format!("{path}::Request.body"),
            Item::Field {
                ty,
                required: true,
                what: "request body".to_owned(),
            },
        );
    }
    for def in &op.types {
        type_items(&format!("{path}::"), def, items);
    }
    for response in &op.responses {
        let side = if response.is_success() {
            "Success"
        } else {
            "Error"
        };
        items.insert(
            format!("{path}::{side}::{}", response.variant),
            Item::Status(payload(response)),
        );
    }
}

/// How the body goes on the wire.
fn body_mode(body: &Body) -> String {
    match body {
        Body::None => "no body".to_owned(),
        Body::Json { mime, .. } => format!("a JSON body (`{mime}`)"),
        Body::Form(_) => "a url-encoded body".to_owned(),
        Body::Multipart(_) => "a multipart body".to_owned(),
        Body::Raw { mime, .. } => format!("a text body (`{mime}`)"),
        Body::GraphQl { .. } => "a GraphQL body".to_owned(),
        Body::Binary => "a binary body".to_owned(),
    }
}

/// The type a status variant holds, as the generator emits it.
fn payload(response: &Response) -> Option<String> {
    match &response.kind {
        ResponseKind::Json(ty) => Some(ty_name(ty)),
        ResponseKind::Text => Some("String".to_owned()),
        ResponseKind::Empty => None,
    }
}

fn field(items: &mut BTreeMap<String, Item>, path: &str, ty: &Ty, required: bool, what: String) {
    let ty = if required {
        ty_name(ty)
    } else {
        format!("Option<{}>", ty_name(ty))
    };
    items.insert(path.to_owned(), Item::Field { ty, required, what });
}

fn type_items(module: &str, def: &TypeDef, items: &mut BTreeMap<String, Item>) {
    match def {
        TypeDef::Struct(def) => {
            items.insert(format!("{module}{}", def.name), Item::Struct);
            for f in &def.fields {
                items.insert(
                    format!("{module}{}.{}", def.name, f.ident),
                    Item::Field {
                        ty: ty_name(&f.ty),
                        required: !matches!(f.ty, Ty::Option(_)),
                        what: format!("JSON field `{}`", f.key),
                    },
                );
            }
        }
        TypeDef::Enum(def) => {
            items.insert(format!("{module}{}", def.name), Item::Enum);
            for (variant, value) in &def.variants {
                items.insert(
                    format!("{module}{}::{variant}", def.name),
                    Item::Value(value.clone()),
                );
            }
        }
    }
}

/// A type as the generated code names it.
fn ty_name(ty: &Ty) -> String {
    match ty {
        Ty::String => "String".to_owned(),
        Ty::I64 => "i64".to_owned(),
        Ty::F64 => "f64".to_owned(),
        Ty::Bool => "bool".to_owned(),
        Ty::Value => "serde_json::Value".to_owned(),
        Ty::File => "runtime::FilePart".to_owned(),
        Ty::Vec(inner) => format!("Vec<{}>", ty_name(inner)),
        Ty::Option(inner) => format!("Option<{}>", ty_name(inner)),
        Ty::Named(name) => name.clone(),
        Ty::Shared(name) => format!("types::{name}"),
    }
}
