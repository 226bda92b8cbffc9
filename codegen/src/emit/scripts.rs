//! An operation's scripts: the steps the client runs, as `runtime::scripts` constants of its
//! `Operation` impl, and what its docs say of each script.

use proc_macro2::TokenStream;
use quote::quote;

use crate::collection::Listen;
use crate::ir::scripts::{Condition, Coverage, Order, Scope, Step, Value};
use crate::ir::Operation;

/// `const PRE_REQUEST` and `const TEST` of the operation's `Operation` impl, where it has steps;
/// `root` is the path to the client's root, which holds the scripts' sources ([`sources`]).
pub fn consts(op: &Operation, root: &TokenStream) -> TokenStream {
    let pre_request = (!op.pre_request.is_empty()).then(|| {
        let steps = steps(&op.pre_request, root);
        quote!(const PRE_REQUEST: &'static [runtime::scripts::Step] = #steps;)
    });
    let test = (!op.test.is_empty()).then(|| {
        let steps = steps(&op.test, root);
        quote!(const TEST: &'static [runtime::scripts::Step] = #steps;)
    });
    // What pre-request scripts run as written read of the request's own auth.
    let as_written = op
        .pre_request
        .iter()
        .any(|step| matches!(step, Step::Script { .. }));
    let auth = op
        .request_auth
        .as_deref()
        .filter(|_| as_written)
        .map(|kind| quote!(const REQUEST_AUTH: Option<&'static str> = Some(#kind);));
    quote!(#pre_request #test #auth)
}

/// The root's `SCRIPTS`: the sources of the scripts the runtime's JavaScript engine runs, each
/// once however many operations run it.
pub fn sources(sources: &[String]) -> TokenStream {
    if sources.is_empty() {
        return TokenStream::new();
    }
    let count = proc_macro2::Literal::usize_unsuffixed(sources.len());
    let sources = sources
        .iter()
        .map(|source| super::format::text_literal(source));
    quote! {
        /// The scripts not translated in full, as written, for the runtime's JavaScript engine.
        const SCRIPTS: [&str; #count] = [#(#sources),*];
    }
}

/// The docs' section on scripts: which run, what is left out, what the tests check.
pub fn doc(op: &Operation) -> String {
    if op.scripts.is_empty() {
        return String::new();
    }
    let mut text = String::from("\n\n# Scripts\n\n");
    for script in &op.scripts {
        let t = &script.translation;
        let listen = match t.listen {
            Listen::PreRequest => "pre-request script",
            Listen::Test => "test script",
        };
        let whose = match &script.owner {
            Some(owner) => format!("The {listen} of {owner}"),
            None => format!("Its own {listen}"),
        };
        let coverage = match t.coverage() {
            Coverage::Full if t.steps.is_empty() => "does nothing the client needs to run",
            Coverage::Full => "runs in the client",
            Coverage::Partial => "runs in the client in part",
            Coverage::None => "is not run by the client",
        };
        text.push_str(&format!("- {whose} {coverage}"));
        let mut lines: Vec<String> = t.untranslated.iter().map(|(l, _)| l.to_string()).collect();
        lines.dedup();
        match lines.as_slice() {
            [] => {}
            [line] if t.coverage() == Coverage::Partial => {
                text.push_str(&format!(" (line {line} is not)"));
            }
            lines if t.coverage() == Coverage::Partial => {
                text.push_str(&format!(" (lines {} are not)", lines.join(", ")));
            }
            [line] => text.push_str(&format!(" (line {line})")),
            lines => text.push_str(&format!(" (lines {})", lines.join(", "))),
        }
        text.push('.');
        if t.sandboxed() {
            text.push_str(
                " With the client crate's `js` feature, the whole script runs as written, in the \
                 runtime's JavaScript engine.",
            );
        }
        if !t.assertions.is_empty() {
            let checks: Vec<String> = t.assertions.iter().map(|a| format!("\"{a}\"")).collect();
            text.push_str(&format!(
                " Its checks, which the client does not run: {}.",
                checks.join(", ")
            ));
        }
        text.push('\n');
        if script.owner.is_none() && t.coverage() != Coverage::Full {
            let fence = "`".repeat(longest_backtick_run(&t.source).max(2) + 1);
            text.push_str(&format!("\n  {fence}javascript\n"));
            for line in t.source.trim_end().lines() {
                text.push_str("  ");
                text.push_str(line);
                text.push('\n');
            }
            text.push_str(&format!("  {fence}\n"));
        }
    }
    text.push_str("\nSee [`runtime::scripts`] for how scripts run.");
    text
}

/// The longest run of backticks in `text`, so that a fence around it is longer.
fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

fn steps(steps: &[Step], root: &TokenStream) -> TokenStream {
    let steps = steps.iter().map(|s| step(s, root));
    quote!(&[#(#steps),*])
}

fn step(step: &Step, root: &TokenStream) -> TokenStream {
    match step {
        Step::Script { source, fallback } => {
            let (source, fallback) = (
                proc_macro2::Literal::usize_unsuffixed(*source),
                steps(fallback, root),
            );
            quote!(runtime::scripts::Step::Script {
                source: #root SCRIPTS[#source],
                fallback: #fallback,
            })
        }
        Step::Set { scope, name, value } => {
            let (scope, value) = (self::scope(*scope), self::value(value));
            quote!(runtime::scripts::Step::Set { scope: #scope, name: #name, value: #value })
        }
        Step::Unset { scope, name } => {
            let scope = self::scope(*scope);
            quote!(runtime::scripts::Step::Unset { scope: #scope, name: #name })
        }
        Step::SetHeader { name, value } => {
            let value = self::value(value);
            quote!(runtime::scripts::Step::SetHeader { name: #name, value: #value })
        }
        Step::AddHeader { name, value } => {
            let value = self::value(value);
            quote!(runtime::scripts::Step::AddHeader { name: #name, value: #value })
        }
        Step::RemoveHeader { name } => quote!(runtime::scripts::Step::RemoveHeader { name: #name }),
        Step::SetQuery { name, value } => {
            let value = self::value(value);
            quote!(runtime::scripts::Step::SetQuery { name: #name, value: #value })
        }
        Step::AddQuery { name, value } => {
            let value = self::value(value);
            quote!(runtime::scripts::Step::AddQuery { name: #name, value: #value })
        }
        Step::RemoveQuery { name } => quote!(runtime::scripts::Step::RemoveQuery { name: #name }),
        Step::Fail { message } => {
            let message = value(message);
            quote!(runtime::scripts::Step::Fail { message: #message })
        }
        Step::If {
            condition,
            then,
            otherwise,
        } => {
            let (condition, then, otherwise) = (
                self::condition(condition),
                steps(then, root),
                steps(otherwise, root),
            );
            quote!(runtime::scripts::Step::If {
                condition: #condition,
                then: #then,
                otherwise: #otherwise,
            })
        }
    }
}

fn scope(scope: Scope) -> TokenStream {
    match scope {
        Scope::Globals => quote!(runtime::scripts::Scope::Globals),
        Scope::Collection => quote!(runtime::scripts::Scope::Collection),
        Scope::Environment => quote!(runtime::scripts::Scope::Environment),
        Scope::Local => quote!(runtime::scripts::Scope::Local),
    }
}

fn value(value: &Value) -> TokenStream {
    match value {
        Value::Text(text) => quote!(runtime::scripts::Value::Text(#text)),
        Value::Variable(name) => quote!(runtime::scripts::Value::Variable(#name)),
        Value::Template(text) => quote!(runtime::scripts::Value::Template(#text)),
        Value::Concat(parts) => {
            let parts = parts.iter().map(self::value);
            quote!(runtime::scripts::Value::Concat(&[#(#parts),*]))
        }
        Value::Json(pointer) => quote!(runtime::scripts::Value::Json(#pointer)),
        Value::JsonText(pointer) => quote!(runtime::scripts::Value::JsonText(#pointer)),
        Value::Header(name) => quote!(runtime::scripts::Value::Header(#name)),
        Value::Status => quote!(runtime::scripts::Value::Status),
        Value::NowMillis => quote!(runtime::scripts::Value::NowMillis),
        Value::NowSeconds => quote!(runtime::scripts::Value::NowSeconds),
        Value::NowIso => quote!(runtime::scripts::Value::NowIso),
        Value::Uuid => quote!(runtime::scripts::Value::Uuid),
        Value::Body => quote!(runtime::scripts::Value::Body),
        Value::RandomInt { low, high } => {
            quote!(runtime::scripts::Value::RandomInt { low: #low, high: #high })
        }
        Value::Length(inner) => {
            let inner = self::value(inner);
            quote!(runtime::scripts::Value::Length(&#inner))
        }
    }
}

fn order(order: Order) -> TokenStream {
    match order {
        Order::Less => quote!(runtime::scripts::Order::Less),
        Order::LessOrEqual => quote!(runtime::scripts::Order::LessOrEqual),
        Order::Greater => quote!(runtime::scripts::Order::Greater),
        Order::GreaterOrEqual => quote!(runtime::scripts::Order::GreaterOrEqual),
    }
}

fn condition(condition: &Condition) -> TokenStream {
    match condition {
        Condition::Truthy(v) => {
            let v = value(v);
            quote!(runtime::scripts::Condition::Truthy(#v))
        }
        Condition::Defined(v) => {
            let v = value(v);
            quote!(runtime::scripts::Condition::Defined(#v))
        }
        Condition::Equals(a, b) => {
            let (a, b) = (value(a), value(b));
            quote!(runtime::scripts::Condition::Equals(#a, #b))
        }
        Condition::Compare(a, order, b) => {
            let (a, order, b) = (value(a), self::order(*order), value(b));
            quote!(runtime::scripts::Condition::Compare(#a, #order, #b))
        }
        Condition::Not(inner) => {
            let inner = self::condition(inner);
            quote!(runtime::scripts::Condition::Not(&#inner))
        }
        Condition::All(all) => {
            let all = all.iter().map(self::condition);
            quote!(runtime::scripts::Condition::All(&[#(#all),*]))
        }
        Condition::Any(any) => {
            let any = any.iter().map(self::condition);
            quote!(runtime::scripts::Condition::Any(&[#(#any),*]))
        }
    }
}
