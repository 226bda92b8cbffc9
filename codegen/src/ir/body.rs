//! Request bodies in every mode: JSON (typed from the example), other raw text, url-encoded and
//! multipart fields, GraphQL, binary.

use serde_json::Value;

use super::infer::{Shape, Typer};
use super::json_template::{parse_template, Repairs};
use super::params::{file_param, param, Entry};
use super::{Body, ParamIn};
use crate::collection::{self, KeyValue};
use crate::diagnostics::Diagnostics;
use crate::naming::Namespace;

/// Where body lowering reports to.
pub struct BodyCtx<'a> {
    /// Item path for warnings.
    pub item_path: &'a [String],
    /// Warnings.
    pub diags: &'a mut Diagnostics,
    /// JSON pointer of the body.
    pub location: String,
}

/// Lowers a body; `content_type` is the request's hand-set `Content-Type` header, if any.
///
/// Runs before any other typing of the operation, so a form body's struct is always `Body`.
pub fn lower_body(
    body: Option<&collection::Body>,
    content_type: Option<&str>,
    typer: &mut Typer,
    ctx: BodyCtx<'_>,
) -> Body {
    match body {
        None => Body::None,
        Some(collection::Body::Raw { text, language }) => {
            raw(text, language.as_deref(), content_type, typer, ctx)
        }
        Some(collection::Body::UrlEncoded(fields)) => {
            typer.claim("Body");
            let params = form_fields(fields, false, typer);
            if params.is_empty() {
                Body::None
            } else {
                Body::Form(params)
            }
        }
        Some(collection::Body::FormData(fields)) => {
            typer.claim("Body");
            let params = form_fields(fields, true, typer);
            if params.is_empty() {
                Body::None
            } else {
                Body::Multipart(params)
            }
        }
        Some(collection::Body::File { .. }) => Body::Binary,
        Some(collection::Body::GraphQl { query, variables }) => {
            let variables = variables
                .as_deref()
                .filter(|v| !v.trim().is_empty())
                .map(|v| {
                    serde_json::from_str(v).unwrap_or_else(|e| {
                        ctx.diags.warn(
                            ctx.item_path,
                            &ctx.location,
                            format!("GraphQL variables are not JSON ({e}); example uses null"),
                        );
                        Value::Null
                    })
                })
                .unwrap_or(Value::Null);
            let variables_ty = variables
                .as_object()
                .filter(|fields| !fields.is_empty())
                .map(|_| typer.ty(&Shape::of(&variables), "Variables"));
            Body::GraphQl {
                query: query.clone(),
                variables,
                variables_ty,
            }
        }
    }
}

fn raw(
    text: &str,
    language: Option<&str>,
    content_type: Option<&str>,
    typer: &mut Typer,
    ctx: BodyCtx<'_>,
) -> Body {
    if text.trim().is_empty() {
        return Body::None;
    }
    let trimmed = text.trim_start();
    // Sent as Postman sends it: the declared type, else the one of the body's language
    // (`text/plain` when none is set). A body that looks like JSON and declares nothing is
    // typed as JSON even then.
    let declared = content_type.filter(|ct| !ct.trim().is_empty() && !ct.contains("{{"));
    let mime = declared.map(|ct| ct.trim().to_owned()).unwrap_or_else(|| {
        match language {
            Some("json") => "application/json",
            Some("xml") => "application/xml",
            Some("html") => "text/html",
            Some("javascript") => "application/javascript",
            _ => "text/plain",
        }
        .to_owned()
    });
    let looks_like_json = declared.is_none()
        && language.is_none()
        && (trimmed.starts_with('{') || trimmed.starts_with('['));
    if !mime.to_ascii_lowercase().contains("json") && !looks_like_json {
        return Body::Raw {
            mime,
            example: text.to_owned(),
        };
    }
    let raw = || Body::Raw {
        mime: mime.clone(),
        example: text.to_owned(),
    };
    let is_container = |value: &Value| value.is_object() || value.is_array();
    let (value, repairs) = match serde_json::from_str::<Value>(text) {
        Ok(value) => (value, Repairs::default()),
        Err(e) => match parse_template(text).filter(|(value, _)| is_container(value)) {
            Some(repaired) => repaired,
            None => {
                ctx.diags.warn(
                    ctx.item_path,
                    &ctx.location,
                    format!("raw JSON body does not parse ({e}); typed as a string sent as it is"),
                );
                return raw();
            }
        },
    };
    if !is_container(&value) {
        return raw();
    }
    if repairs != Repairs::default() {
        ctx.diags.warn(
            ctx.item_path,
            &ctx.location,
            format!(
                "raw JSON body read leniently as a template: {}",
                repairs.describe()
            ),
        );
    }
    let mut shape = Shape::of(&value);
    shape.mark_optional(&repairs.optional_keys);
    Body::Json {
        ty: typer.ty(&shape, "Body"),
        example: value,
        mime,
        unquoted: repairs.variables,
    }
}

fn form_fields(fields: &[KeyValue], multipart: bool, typer: &mut Typer) -> Vec<super::Param> {
    let mut names = Namespace::default();
    fields
        .iter()
        .map(|field| {
            if multipart && field.kind.as_deref() == Some("file") {
                return file_param(
                    &field.key,
                    field.description.as_deref(),
                    field.disabled,
                    &mut names,
                );
            }
            let entry = Entry {
                key: &field.key,
                value: field.value.as_deref(),
                description: field.description.as_deref(),
                required: false,
                disabled: field.disabled,
            };
            param(&entry, ParamIn::Form, true, typer, &mut names)
        })
        .collect()
}
