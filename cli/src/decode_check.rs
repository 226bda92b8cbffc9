//! Decode checks: does a saved response decode into the type generated for it?
//!
//! Each [`Case`] is one saved JSON response and the type inferred for its operation and
//! status, either from every example (control) or from every example but this one
//! (leave-one-out: would the client decode a response it was not inferred from?).
//! [`program`] emits a Rust program that decodes every case with the emitted types and the
//! runtime's own decoder, so the check runs real serde over the code users get.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use postman_codegen::collection::{parse_collection, Example, Item, RequestItem};
use postman_codegen::diagnostics::Diagnostics;
use postman_codegen::emit;
use postman_codegen::ir::{lower_responses, status_of, ResponseKind, Ty, TypeDef, Typer};

/// How a case's type was inferred.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// From every saved example, this one included.
    Control,
    /// From every saved example but this one.
    LeaveOneOut,
    /// A response observed in a report (`learn`'s input), typed from every saved example.
    Observed,
}

/// One saved body to decode.
#[derive(Debug, Clone)]
pub struct Case {
    /// Which check it belongs to.
    pub check: Check,
    /// Folder and request names.
    pub item_path: Vec<String>,
    /// Status of the example.
    pub status: u16,
    /// The body.
    pub body: String,
    /// Index of its [`Group`]; `None` when the status is decoded as text, which always works.
    pub group: Option<usize>,
}

/// A type inferred for one operation and status, with the definitions it needs.
#[derive(Debug, Clone)]
pub struct Group {
    /// The body type.
    pub ty: Ty,
    /// Structs and enums it refers to.
    pub defs: Vec<TypeDef>,
}

/// The cases of one or more collections.
#[derive(Debug, Clone, Default)]
pub struct Cases {
    /// Inferred types.
    pub groups: Vec<Group>,
    /// Bodies to decode.
    pub cases: Vec<Case>,
    /// Group index by its type and definitions.
    known: BTreeMap<String, usize>,
}

impl Cases {
    /// Adds the cases of one collection; requests with saved JSON responses contribute.
    pub fn add_collection(
        &mut self,
        source: &str,
        file: &str,
    ) -> Result<(), postman_codegen::Error> {
        let mut diags = Diagnostics::new(file);
        let collection =
            parse_collection(source, &mut diags).map_err(postman_codegen::Error::Input)?;
        let mut path = Vec::new();
        self.add_items(&collection.items, &mut path);
        Ok(())
    }

    /// Adds the observed `responses` of the collection `source` (see
    /// [`postman_codegen::learn::paired`]), each typed from the collection's saved examples of its
    /// request and status; a status without a JSON type gets no group.
    pub fn add_observed(
        &mut self,
        source: &str,
        file: &str,
        responses: &[postman_codegen::learn::PairedResponse],
    ) -> Result<(), postman_codegen::Error> {
        let mut diags = Diagnostics::new(file);
        let collection =
            parse_collection(source, &mut diags).map_err(postman_codegen::Error::Input)?;
        let mut requests = Vec::new();
        ranked_requests(&collection.items, &mut Vec::new(), &mut requests);
        // The types of each request, inferred once.
        let mut types: BTreeMap<usize, BTreeMap<u16, Group>> = BTreeMap::new();
        for response in responses {
            let Some(index) = requests.iter().position(|(p, _)| *p == response.item_path) else {
                continue;
            };
            let (path, item) = &requests[index];
            let names: Vec<String> = path.iter().map(|(n, _)| n.clone()).collect();
            let typed = types.entry(index).or_insert_with(|| {
                let all: Vec<&Example> = item.responses.iter().collect();
                typed(&all, &names)
            });
            let group = self.group(typed.get(&response.status));
            self.cases.push(Case {
                check: Check::Observed,
                item_path: names,
                status: response.status,
                body: response.body.clone().unwrap_or_default(),
                group,
            });
        }
        Ok(())
    }

    fn add_items(&mut self, items: &[Item], path: &mut Vec<String>) {
        for item in items {
            match item {
                Item::Folder(folder) => {
                    path.push(folder.name.clone());
                    self.add_items(&folder.items, path);
                    path.pop();
                }
                Item::Request(request) => {
                    path.push(request.name.clone());
                    self.add_request(request, path);
                    path.pop();
                }
            }
        }
    }

    fn add_request(&mut self, item: &RequestItem, path: &[String]) {
        let mut diags = Diagnostics::new("");
        let mut json: BTreeMap<u16, Vec<usize>> = BTreeMap::new();
        for (i, example) in item.responses.iter().enumerate() {
            if let Some(status) = status_of(example, path, &mut diags) {
                if json_document(example) {
                    json.entry(status).or_default().push(i);
                }
            }
        }
        if json.is_empty() {
            return;
        }
        let all: Vec<&Example> = item.responses.iter().collect();
        let control = typed(&all, path);
        for (&status, indices) in &json {
            let group = self.group(control.get(&status));
            for &i in indices {
                self.push(Check::Control, path, status, &item.responses[i], group);
            }
            if indices.len() < 2 {
                continue;
            }
            for &i in indices {
                let rest: Vec<&Example> = all
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| j != i)
                    .map(|(_, e)| *e)
                    .collect();
                let group = self.group(typed(&rest, path).get(&status));
                self.push(Check::LeaveOneOut, path, status, &item.responses[i], group);
            }
        }
    }

    /// The index of `typed` among the groups; equal groups (control and most leave-one-out
    /// runs infer the same type) are one.
    fn group(&mut self, typed: Option<&Group>) -> Option<usize> {
        let group = canonical(typed?);
        let key = format!("{:?}", (&group.ty, &group.defs));
        let next = self.groups.len();
        let index = *self.known.entry(key).or_insert(next);
        if index == next {
            self.groups.push(group);
        }
        Some(index)
    }

    fn push(
        &mut self,
        check: Check,
        path: &[String],
        status: u16,
        example: &Example,
        group: Option<usize>,
    ) {
        self.cases.push(Case {
            check,
            item_path: path.to_vec(),
            status,
            body: example.body.clone().unwrap_or_default(),
            group,
        });
    }
}

/// Every request with its folder and request names, each ranked among equal sibling names (as
/// [`postman_codegen::learn::PairedResponse`] names them).
fn ranked_requests<'a>(
    items: &'a [Item],
    path: &mut Vec<(String, usize)>,
    out: &mut Vec<(Vec<(String, usize)>, &'a RequestItem)>,
) {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for item in items {
        let name = match item {
            Item::Folder(folder) => &folder.name,
            Item::Request(request) => &request.name,
        };
        let rank = seen.entry(name).or_default();
        path.push((name.clone(), *rank));
        *rank += 1;
        match item {
            Item::Folder(folder) => ranked_requests(&folder.items, path, out),
            Item::Request(request) => out.push((path.clone(), request)),
        }
        path.pop();
    }
}

/// The group with every definition renamed after its content (`OkBody` becomes
/// `OkBody_<hash>`), so that equal definitions of different groups have one name and are
/// emitted once, and different ones never clash. Decoding does not depend on type names.
fn canonical(group: &Group) -> Group {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    fn rename(ty: &Ty, names: &BTreeMap<String, String>) -> Ty {
        match ty {
            Ty::Named(name) => Ty::Named(names.get(name).cloned().unwrap_or_else(|| name.clone())),
            Ty::Vec(inner) => Ty::Vec(Box::new(rename(inner, names))),
            Ty::Option(inner) => Ty::Option(Box::new(rename(inner, names))),
            other => other.clone(),
        }
    }
    // Definitions come after those they refer to (the typer defines fields' types first).
    let defs = group
        .defs
        .iter()
        .map(|def| {
            let mut hasher = DefaultHasher::new();
            let def = match def {
                TypeDef::Struct(s) => {
                    let mut s = s.clone();
                    for field in &mut s.fields {
                        field.ty = rename(&field.ty, &names);
                        (&field.key, &field.ident, format!("{:?}", field.ty)).hash(&mut hasher);
                    }
                    TypeDef::Struct(s)
                }
                TypeDef::Enum(e) => {
                    e.variants.hash(&mut hasher);
                    TypeDef::Enum(e.clone())
                }
            };
            let old = def.name().to_owned();
            let new = format!("{old}_{:016x}", hasher.finish());
            names.insert(old, new.clone());
            match def {
                TypeDef::Struct(mut s) => {
                    s.name = new;
                    TypeDef::Struct(s)
                }
                TypeDef::Enum(mut e) => {
                    e.name = new;
                    TypeDef::Enum(e)
                }
            }
        })
        .collect();
    Group {
        ty: rename(&group.ty, &names),
        defs,
    }
}

/// Whether an example's body is a JSON object or array (what gets typed).
fn json_document(example: &Example) -> bool {
    example
        .body
        .as_deref()
        .and_then(|b| serde_json::from_str::<Value>(b).ok())
        .is_some_and(|v| v.is_object() || v.is_array())
}

/// The JSON body types, by status, that the generator infers from `examples`.
fn typed(examples: &[&Example], path: &[String]) -> BTreeMap<u16, Group> {
    let mut typer = Typer::new();
    let mut diags = Diagnostics::new("");
    let responses = lower_responses(examples, &mut typer, path, &mut diags);
    responses
        .into_iter()
        .filter_map(|r| match r.kind {
            ResponseKind::Json(ty) => Some((
                r.status,
                Group {
                    defs: reachable(&ty, &typer.defs),
                    ty,
                },
            )),
            _ => None,
        })
        .collect()
}

/// The definitions `ty` refers to, directly or through other definitions, in their order.
fn reachable(ty: &Ty, defs: &[TypeDef]) -> Vec<TypeDef> {
    fn visit(ty: &Ty, defs: &[TypeDef], seen: &mut Vec<String>) {
        match ty {
            Ty::Vec(inner) | Ty::Option(inner) => visit(inner, defs, seen),
            Ty::Named(name) if !seen.contains(name) => {
                seen.push(name.clone());
                if let Some(TypeDef::Struct(def)) = defs.iter().find(|d| d.name() == name) {
                    for field in &def.fields {
                        visit(&field.ty, defs, seen);
                    }
                }
            }
            _ => {}
        }
    }
    let mut seen = Vec::new();
    visit(ty, defs, &mut seen);
    defs.iter()
        .filter(|d| seen.iter().any(|n| n == d.name()))
        .cloned()
        .collect()
}

/// A `main.rs` that decodes the cases of the groups in `part`: it reads the cases file (a JSON
/// array of `[group or null, body]`) named by its first argument and prints, for each case of
/// those groups, its index, a tab and `ok`, or `err`, a tab and the error.
pub fn program(cases: &Cases, part: std::ops::Range<usize>) -> Result<String, syn::Error> {
    let runtime = emit::runtime::module(&Default::default());
    let mut defined = std::collections::BTreeSet::new();
    let defs: Vec<TokenStream> = cases.groups[part.clone()]
        .iter()
        .flat_map(|group| &group.defs)
        .filter(|def| defined.insert(def.name()))
        .map(emit::types::type_def)
        .collect();
    let arms = part.map(|i| {
        let ty = emit::types::ty_tokens(&cases.groups[i].ty);
        quote!(#i => Some(runtime::decode_json::<#ty>(body).map(drop).map_err(|e| e.to_string())),)
    });
    let tokens: TokenStream = quote! {
        #![allow(warnings, clippy::all)]

        #runtime
        #(#defs)*

        fn decode(group: usize, body: &[u8]) -> Option<Result<(), String>> {
            match group {
                #(#arms)*
                _ => None,
            }
        }

        fn main() {
            let path = std::env::args().nth(1).expect("the cases file");
            let text = std::fs::read_to_string(&path).expect("a readable cases file");
            let cases: Vec<(Option<usize>, String)> =
                serde_json::from_str(&text).expect("a JSON array of cases");
            for (i, (group, body)) in cases.into_iter().enumerate() {
                match group.and_then(|g| decode(g, body.as_bytes())) {
                    None => {}
                    Some(Ok(())) => println!("{i}\tok"),
                    Some(Err(e)) => println!("{i}\terr\t{}", e.replace(['\n', '\t'], " ")),
                }
            }
        }
    };
    emit::format(tokens)
}

/// Splits the groups into ranges of about `fields` struct fields each, for programs that
/// compile in parallel and within memory.
pub fn parts(cases: &Cases, fields: usize) -> Vec<std::ops::Range<usize>> {
    let mut parts = Vec::new();
    let (mut start, mut size) = (0, 0);
    let mut counted = std::collections::BTreeSet::new();
    for (i, group) in cases.groups.iter().enumerate() {
        size += 1 + group
            .defs
            .iter()
            .filter(|d| counted.insert(d.name()))
            .map(|d| match d {
                TypeDef::Struct(s) => s.fields.len(),
                TypeDef::Enum(e) => e.variants.len(),
            })
            .sum::<usize>();
        if size >= fields {
            parts.push(start..i + 1);
            (start, size) = (i + 1, 0);
        }
    }
    if start < cases.groups.len() {
        parts.push(start..cases.groups.len());
    }
    parts
}

/// The cases file [`program`] reads.
pub fn cases_file(cases: &Cases) -> String {
    let list: Vec<Value> = cases
        .cases
        .iter()
        .map(|c| serde_json::json!([c.group, c.body]))
        .collect();
    Value::Array(list).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn example(code: u16, body: &Value) -> Value {
        json!({"name": format!("{code}"), "code": code, "body": body.to_string()})
    }

    #[test]
    fn every_json_example_is_a_control_case_and_repeated_statuses_leave_one_out() {
        let collection = json!({
            "info": {"name": "c", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
            "item": [{"name": "Get", "request": {"method": "GET", "url": "https://x.test/a"},
                "response": [
                    example(200, &json!({"a": 1})),
                    example(200, &json!({"a": 2, "b": "x"})),
                    example(404, &json!({"e": "gone"})),
                    {"name": "text", "code": 500, "body": "oops"}
                ]}]
        });
        let mut cases = Cases::default();
        cases
            .add_collection(&collection.to_string(), "c.json")
            .expect("a collection");
        let checks: Vec<(Check, u16)> = cases.cases.iter().map(|c| (c.check, c.status)).collect();
        assert_eq!(
            checks,
            [
                (Check::Control, 200),
                (Check::Control, 200),
                (Check::LeaveOneOut, 200),
                (Check::LeaveOneOut, 200),
                (Check::Control, 404),
            ]
        );
        // Control (a, b), without the first (a, b) again, without the second (a only), 404.
        assert_eq!(cases.groups.len(), 3);
        assert_eq!(cases.cases[0].group, cases.cases[2].group);
        let code = program(&cases, 0..cases.groups.len()).unwrap();
        assert_eq!(code.matches("pub struct OkBody_").count(), 2);
        assert_eq!(parts(&cases, 1).len(), 3);
    }
}
