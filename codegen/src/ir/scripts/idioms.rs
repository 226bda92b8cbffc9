//! What a script does, by kind, for the census: found on its whole syntax tree (functions,
//! callbacks and loops included), apart from how far the translator understood it.

use std::collections::BTreeSet;

use oxc_ast::ast::{
    Argument, AssignmentExpression, CallExpression, Expression, IdentifierReference, Program,
    SimpleAssignmentTarget, ThrowStatement,
};
use oxc_ast_visit::{walk, Visit};

use super::translate::{callee_path, literal, setter, unsetter};
use super::Idiom;
use crate::collection::Listen;

/// The idioms `program`, a script run at `listen`, uses.
pub fn idioms(program: &Program<'_>, listen: Listen) -> BTreeSet<Idiom> {
    let mut finder = Finder {
        listen,
        found: BTreeSet::new(),
    };
    finder.visit_program(program);
    finder.found
}

/// Globals of library code that Postman's sandbox provides.
const LIBRARIES: &[&str] = &[
    "CryptoJS",
    "_",
    "moment",
    "btoa",
    "atob",
    "eval",
    "cheerio",
    "tv4",
    "xml2Json",
    "Ajv",
    "KJUR",
    "KEYUTIL",
    "jsrsasign",
    "forge",
];

struct Finder {
    listen: Listen,
    found: BTreeSet<Idiom>,
}

impl Finder {
    fn call(&mut self, path: &str, args: &[&Expression<'_>]) {
        let idiom = if setter(path).is_some() || unsetter(path).is_some() {
            match self.listen {
                Listen::Test => Idiom::Capture,
                Listen::PreRequest => Idiom::PreRequestVariable,
            }
        } else if path.starts_with("pm.request.") && !is_read(path) {
            Idiom::RequestEdit
        } else if path == "pm.test" || path == "pm.expect" || path.starts_with("pm.response.to.") {
            Idiom::Assertion
        } else if path == "require" || path == "pm.require" {
            let module = args.first().and_then(|a| literal(a));
            if module.as_deref() == Some("uuid") {
                return;
            }
            Idiom::Library
        } else if path == "pm.sendRequest" {
            Idiom::SendRequest
        } else if path.ends_with(".setNextRequest") || path == "pm.execution.skipRequest" {
            Idiom::FlowControl
        } else {
            return;
        };
        self.found.insert(idiom);
    }
}

/// Whether a call on `pm.request` reads it (`pm.request.headers.get`) rather than edits it.
fn is_read(path: &str) -> bool {
    let method = path.rsplit('.').next().unwrap_or_default();
    matches!(
        method,
        "get"
            | "has"
            | "toString"
            | "toJSON"
            | "toObject"
            | "each"
            | "filter"
            | "find"
            | "all"
            | "one"
            | "count"
            | "idx"
            | "indexOf"
            | "getHost"
            | "getPath"
            | "getQueryString"
            | "getPathWithQuery"
            | "getRemote"
            | "join"
            | "includes"
            | "map"
            | "reduce"
    )
}

impl<'a> Visit<'a> for Finder {
    fn visit_call_expression(&mut self, call: &CallExpression<'a>) {
        if let Some(path) = callee_path(&call.callee) {
            let args: Vec<&Expression<'_>> = call
                .arguments
                .iter()
                .filter_map(Argument::as_expression)
                .collect();
            self.call(&path, &args);
        }
        walk::walk_call_expression(self, call);
    }

    fn visit_throw_statement(&mut self, statement: &ThrowStatement<'a>) {
        self.found.insert(Idiom::Guard);
        walk::walk_throw_statement(self, statement);
    }

    fn visit_assignment_expression(&mut self, assignment: &AssignmentExpression<'a>) {
        if let Some(target) = assignment.left.as_simple_assignment_target() {
            let object = match target {
                SimpleAssignmentTarget::ComputedMemberExpression(member) => Some(&member.object),
                SimpleAssignmentTarget::StaticMemberExpression(member) => Some(&member.object),
                _ => None,
            };
            match object.and_then(|object| callee_path(object)).as_deref() {
                Some("tests") => {
                    self.found.insert(Idiom::Assertion);
                }
                Some(root) if root.starts_with("pm.request") => {
                    self.found.insert(Idiom::RequestEdit);
                }
                _ => {}
            }
        }
        walk::walk_assignment_expression(self, assignment);
    }

    fn visit_identifier_reference(&mut self, id: &IdentifierReference<'a>) {
        if LIBRARIES.contains(&id.name.as_str()) {
            self.found.insert(Idiom::Library);
        }
    }
}
