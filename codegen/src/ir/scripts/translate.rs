//! JavaScript → [`Step`]s: oxc parses the script; statements are read in order, with the
//! script's names for values kept as aliases (`var data = pm.response.json();`), and what Postman
//! would do to variables and to the request becomes steps. What the client cannot do is listed
//! with its line.

use std::collections::BTreeMap;

use oxc_allocator::Allocator;
use oxc_ast::ast::{
    Argument, ArrowFunctionBody, AssignmentOperator, AssignmentTarget, BinaryOperator,
    BindingPattern, Expression, LogicalOperator, ObjectPropertyKind, PropertyKey, Statement,
    UnaryOperator,
};
use oxc_parser::{ParseOptions, Parser};
use oxc_span::{GetSpan, SourceType};

use super::{Condition, Order, Scope, Step, Translation, Value};
use crate::collection::Script;

mod assertions;

/// Understands one script.
pub fn translate(script: &Script) -> Translation {
    let allocator = Allocator::default();
    let options = ParseOptions {
        allow_return_outside_function: true,
        ..ParseOptions::default()
    };
    let parsed = Parser::new(&allocator, &script.source, SourceType::cjs())
        .with_options(options)
        .parse();
    let mut translator = Translator {
        source: &script.source,
        aliases: BTreeMap::new(),
        untranslated: Vec::new(),
        needs_engine: false,
        assertions: Vec::new(),
        in_test: false,
    };
    // A syntax error is listed apart from `skip`: nothing, the engine included, can run it.
    let steps = match parsed.diagnostics.errors().next() {
        Some(error) => {
            let line = error
                .labels
                .as_ref()
                .first()
                .map_or(1, |label| translator.line(label.offset()));
            translator
                .untranslated
                .push((line, format!("not valid JavaScript ({error})")));
            Vec::new()
        }
        None => translator.statements(&parsed.program.body),
    };
    let mut untranslated = translator.untranslated;
    untranslated.sort_by_key(|(line, _)| *line);
    Translation {
        listen: script.listen,
        idioms: super::idioms::idioms(&parsed.program, script.listen),
        needs_engine: translator.needs_engine,
        steps,
        untranslated,
        assertions: translator.assertions,
        source: script.source.clone(),
    }
}

/// What a script's name stands for.
#[derive(Debug, Clone)]
enum Alias {
    /// A value the client can compute.
    Value(Value),
    /// A number the script wrote (`5`): text, but not to be joined with `+` as text.
    Number(String),
    /// The `uuid` module.
    Uuid,
    /// Something the client cannot compute.
    Unknown,
}

/// Reads statements in order.
struct Translator<'s> {
    source: &'s str,
    aliases: BTreeMap<String, Alias>,
    untranslated: Vec<(usize, String)>,
    /// Whether something other than flow control was not translated, or the script draws
    /// random numbers.
    needs_engine: bool,
    assertions: Vec<String>,
    /// Whether the statements read next are a `pm.test` function's own, where a failed
    /// assertion ends the function.
    in_test: bool,
}

impl Translator<'_> {
    /// The 1-based line of byte `offset`.
    fn line(&self, offset: u32) -> usize {
        let end = (offset as usize).min(self.source.len());
        self.source.as_bytes()[..end]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1
    }

    /// The source of `span`, on one line and at most 60 characters long.
    fn snippet(&self, span: oxc_span::Span) -> String {
        let text = self
            .source
            .get(span.start as usize..span.end as usize)
            .unwrap_or_default();
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        match text.char_indices().nth(60) {
            Some((at, _)) => format!("{}...", &text[..at]),
            None => text,
        }
    }

    /// Records that the statement at `offset` is not run, and why.
    fn skip(&mut self, offset: u32, what: impl Into<String>) {
        self.needs_engine = true;
        self.skip_flow(offset, what);
    }

    /// Records a statement that picks the next request of a collection run: not run, and
    /// nothing the JavaScript engine could do either.
    fn skip_flow(&mut self, offset: u32, what: impl Into<String>) {
        let line = self.line(offset);
        self.untranslated.push((line, what.into()));
    }

    /// Statements in order; `return` ends them, and `if (c) { ...; return; }` makes the
    /// statements after it the `else` of `c`.
    fn statements(&mut self, statements: &[Statement<'_>]) -> Vec<Step> {
        let in_test = std::mem::take(&mut self.in_test);
        let mut steps = Vec::new();
        for (i, statement) in statements.iter().enumerate() {
            let checked = match statement {
                Statement::ExpressionStatement(e) if in_test => self.assertion(&e.expression),
                _ => None,
            };
            if let Some(condition) = checked {
                // What follows an assertion runs only where it holds.
                self.in_test = true;
                let then = self.statements(&statements[i + 1..]);
                if !then.is_empty() {
                    steps.push(Step::If {
                        condition,
                        then,
                        otherwise: Vec::new(),
                    });
                }
                return steps;
            }
            match statement {
                Statement::ReturnStatement(_) => return steps,
                Statement::IfStatement(early)
                    if early.alternate.is_none() && returns(&early.consequent) =>
                {
                    let then = match &early.consequent {
                        Statement::BlockStatement(block) => self.statements(&block.body),
                        _ => Vec::new(),
                    };
                    let rest = self.statements(&statements[i + 1..]);
                    match self.condition(&early.test) {
                        Some(condition) => steps.push(Step::If {
                            condition,
                            then,
                            otherwise: rest,
                        }),
                        None => {
                            let text = self.snippet(early.test.span());
                            self.skip(
                                early.span.start,
                                format!("the condition `{text}`, and the statements after it"),
                            );
                        }
                    }
                    return steps;
                }
                _ => self.statement(statement, &mut steps),
            }
        }
        steps
    }

    fn statement(&mut self, statement: &Statement<'_>, steps: &mut Vec<Step>) {
        let at = statement.span().start;
        match statement {
            Statement::EmptyStatement(_)
            | Statement::FunctionDeclaration(_)
            | Statement::DebuggerStatement(_) => {}
            Statement::BlockStatement(block) => steps.extend(self.statements(&block.body)),
            Statement::VariableDeclaration(declaration) => {
                for declarator in &declaration.declarations {
                    let BindingPattern::BindingIdentifier(id) = &declarator.id else {
                        self.skip(declarator.span.start, "a destructuring declaration");
                        continue;
                    };
                    let alias = match &declarator.init {
                        Some(init) => self.alias(init),
                        None => Alias::Unknown,
                    };
                    self.aliases.insert(id.name.to_string(), alias);
                }
            }
            Statement::ExpressionStatement(statement) => {
                self.expression_statement(&statement.expression, at, steps);
            }
            Statement::IfStatement(statement) => {
                let mut then = Vec::new();
                self.statement(&statement.consequent, &mut then);
                let mut otherwise = Vec::new();
                if let Some(alternate) = &statement.alternate {
                    self.statement(alternate, &mut otherwise);
                }
                if then.is_empty() && otherwise.is_empty() {
                    return;
                }
                match self.condition(&statement.test) {
                    Some(condition) => steps.push(Step::If {
                        condition,
                        then,
                        otherwise,
                    }),
                    None => {
                        let text = self.snippet(statement.test.span());
                        self.skip(at, format!("the condition `{text}`"));
                    }
                }
            }
            Statement::TryStatement(statement) => {
                steps.extend(self.statements(&statement.block.body));
                if let Some(handler) = &statement.handler {
                    let mut recovered = Vec::new();
                    for inner in &handler.body.body {
                        self.statement(inner, &mut recovered);
                    }
                    if !recovered.is_empty() {
                        self.skip(handler.span.start, "steps in a `catch` block");
                    }
                }
                if let Some(finalizer) = &statement.finalizer {
                    for inner in &finalizer.body {
                        self.statement(inner, steps);
                    }
                }
            }
            Statement::ThrowStatement(statement) => {
                let message = match &statement.argument {
                    Expression::NewExpression(new) if callee_path(&new.callee).is_some() => new
                        .arguments
                        .first()
                        .and_then(Argument::as_expression)
                        .and_then(|e| self.value(e)),
                    other => self.value(other),
                };
                match message {
                    Some(message) => steps.push(Step::Fail { message }),
                    None => self.skip(at, "a `throw` whose message the client cannot compute"),
                }
            }
            Statement::ReturnStatement(_) => self.skip(at, "`return` inside a branch"),
            Statement::ForStatement(_)
            | Statement::ForInStatement(_)
            | Statement::ForOfStatement(_)
            | Statement::WhileStatement(_)
            | Statement::DoWhileStatement(_) => self.skip(at, "a loop"),
            Statement::SwitchStatement(_) => self.skip(at, "a `switch`"),
            _ => self.skip(at, "a statement the client does not run"),
        }
    }

    fn expression_statement(
        &mut self,
        expression: &Expression<'_>,
        at: u32,
        steps: &mut Vec<Step>,
    ) {
        // `pm.expect(x).to.equal(y)`, `pm.response.to.have.header("X")`: checks, not run.
        if chain_root(expression).is_some_and(|root| is_assertion(&root)) {
            return;
        }
        match expression {
            Expression::CallExpression(call) => {
                let Some(callee) = callee_path(&call.callee) else {
                    self.skip(at, "a call the client does not know");
                    return;
                };
                let args: Vec<&Expression<'_>> = call
                    .arguments
                    .iter()
                    .filter_map(Argument::as_expression)
                    .collect();
                self.call(&callee, &args, at, steps);
            }
            Expression::AssignmentExpression(assignment) => match &assignment.left {
                // `tests["Status is 200"] = responseCode.code === 200;`
                AssignmentTarget::ComputedMemberExpression(member) if matches!(&member.object, Expression::Identifier(id) if id.name == "tests") => {
                    if let Expression::StringLiteral(name) = &member.expression {
                        self.assertions.push(name.value.to_string());
                    }
                }
                // A declared name, or one a sloppy script assigns without declaring it.
                AssignmentTarget::AssignmentTargetIdentifier(id)
                    if assignment.operator == AssignmentOperator::Assign =>
                {
                    let alias = self.alias(&assignment.right);
                    self.aliases.insert(id.name.to_string(), alias);
                }
                _ => {
                    let text = self.snippet(assignment.span);
                    self.skip(at, format!("the assignment `{text}`"));
                }
            },
            Expression::LogicalExpression(logical) if logical.operator == LogicalOperator::And => {
                // `data.id && pm.environment.set("id", data.id)`
                let mut then = Vec::new();
                self.expression_statement(&logical.right, at, &mut then);
                if then.is_empty() {
                    return;
                }
                match self.condition(&logical.left) {
                    Some(condition) => steps.push(Step::If {
                        condition,
                        then,
                        otherwise: Vec::new(),
                    }),
                    None => {
                        let text = self.snippet(logical.left.span());
                        self.skip(at, format!("the condition `{text}`"));
                    }
                }
            }
            Expression::ParenthesizedExpression(inner) => {
                self.expression_statement(&inner.expression, at, steps);
            }
            Expression::StringLiteral(_) => {} // "use strict"
            _ => self.skip(at, "an expression the client does not run"),
        }
    }

    /// A call statement: the variable and request calls become steps; tests and logging are
    /// noted; the rest is not run.
    fn call(&mut self, callee: &str, args: &[&Expression<'_>], at: u32, steps: &mut Vec<Step>) {
        if let Some(scope) = setter(callee) {
            let (Some(name), Some(value)) = (args.first().and_then(|a| literal(a)), args.get(1))
            else {
                return self.skip(
                    at,
                    format!("`{callee}` with a name the client cannot compute"),
                );
            };
            match self.value(value) {
                Some(value) => steps.push(Step::Set { scope, name, value }),
                None => {
                    let text = self.snippet(value.span());
                    self.skip(at, format!("`{callee}(\"{name}\", {text})`"));
                }
            }
            return;
        }
        if let Some(scope) = unsetter(callee) {
            match args.first().and_then(|a| literal(a)) {
                Some(name) => steps.push(Step::Unset { scope, name }),
                None => self.skip(
                    at,
                    format!("`{callee}` with a name the client cannot compute"),
                ),
            }
            return;
        }
        match callee {
            "pm.request.headers.add" | "pm.request.headers.upsert" | "pm.request.addHeader" => {
                match args.first().and_then(|a| self.header_object(a)) {
                    Some((name, value)) if callee.ends_with("upsert") => {
                        steps.push(Step::SetHeader { name, value });
                    }
                    Some((name, value)) => steps.push(Step::AddHeader { name, value }),
                    None => self.skip(
                        at,
                        format!("`{callee}` with a header the client cannot compute"),
                    ),
                }
            }
            "pm.request.url.query.add" | "pm.request.url.query.upsert" => {
                match args.first().and_then(|a| self.query_object(a)) {
                    Some((name, value)) if callee.ends_with("upsert") => {
                        steps.push(Step::SetQuery { name, value });
                    }
                    Some((name, value)) => steps.push(Step::AddQuery { name, value }),
                    None => self.skip(
                        at,
                        format!("`{callee}` with a parameter the client cannot compute"),
                    ),
                }
            }
            "pm.request.url.query.remove" => match args.first().and_then(|a| literal(a)) {
                Some(name) => steps.push(Step::RemoveQuery { name }),
                None => self.skip(
                    at,
                    format!("`{callee}` with a key the client cannot compute"),
                ),
            },
            "pm.request.headers.remove" | "pm.request.removeHeader" => {
                match args.first().and_then(|a| literal(a)) {
                    Some(name) => steps.push(Step::RemoveHeader { name }),
                    None => self.skip(
                        at,
                        format!("`{callee}` with a name the client cannot compute"),
                    ),
                }
            }
            "pm.test" => {
                if let Some(name) = args.first().and_then(|a| literal(a)) {
                    self.assertions.push(name);
                }
                // The test's function runs at once: what it writes (a captured id) is kept,
                // where the assertions before it hold.
                if let Some(function) = args.get(1) {
                    self.in_test = true;
                    let body = self.callback(function, at);
                    self.in_test = false;
                    if let Some(body) = body {
                        steps.extend(body);
                    }
                }
            }
            "pm.expect"
            | "pm.response.to.have.status"
            | "pm.response.to.be.ok"
            | "pm.test.skip"
            | "pm.visualizer.set" => {}
            _ if callee.starts_with("console.") || callee.starts_with("pm.expect(") => {}
            "postman.setNextRequest" | "pm.execution.setNextRequest" => {
                self.skip_flow(
                    at,
                    format!("`{callee}` (the order of requests is the caller's)"),
                );
            }
            "pm.execution.skipRequest" => self.skip(at, "`pm.execution.skipRequest`"),
            "pm.sendRequest" => self.skip(at, "`pm.sendRequest` (a request of its own)"),
            _ => self.skip(at, format!("`{callee}(...)`")),
        }
    }

    /// The steps of a function the script passes (`function () {...}` or an arrow), or `None`
    /// when `expression` is not one.
    fn callback(&mut self, expression: &Expression<'_>, at: u32) -> Option<Vec<Step>> {
        let empty: &[Statement<'_>] = &[];
        let (statements, concise) = match expression {
            Expression::FunctionExpression(function) => {
                (&function.body.as_ref()?.statements[..], None)
            }
            Expression::ArrowFunctionExpression(arrow) => match &arrow.body {
                ArrowFunctionBody::FunctionBody(body) => (&body.statements[..], None),
                concise => (empty, concise.as_expression()),
            },
            _ => return None,
        };
        let mut steps = self.statements(statements);
        if let Some(expression) = concise {
            self.expression_statement(expression, at, &mut steps);
        }
        Some(steps)
    }

    /// `{key: "page", value: ...}` or `"page=2"` as a query parameter.
    fn query_object(&mut self, expression: &Expression<'_>) -> Option<(String, Value)> {
        if let Some(text) = literal(expression) {
            let (key, value) = text.split_once('=').unwrap_or((text.as_str(), ""));
            return Some((key.to_owned(), Value::Text(value.to_owned())));
        }
        self.header_object(expression)
    }

    /// `{key: "X-Name", value: ...}` or `"X-Name: value"` as a header.
    fn header_object(&mut self, expression: &Expression<'_>) -> Option<(String, Value)> {
        match expression {
            Expression::ObjectExpression(object) => {
                let mut key = None;
                let mut value = None;
                for property in &object.properties {
                    let ObjectPropertyKind::ObjectProperty(property) = property else {
                        return None;
                    };
                    let name = match &property.key {
                        PropertyKey::StaticIdentifier(id) => id.name.to_string(),
                        PropertyKey::StringLiteral(s) => s.value.to_string(),
                        _ => return None,
                    };
                    match name.as_str() {
                        "key" | "name" => key = Some(literal(&property.value)?),
                        "value" => value = Some(self.value(&property.value)?),
                        _ => {}
                    }
                }
                Some((key?, value.unwrap_or(Value::Text(String::new()))))
            }
            other => {
                let text = literal(other)?;
                let (name, value) = text.split_once(':')?;
                Some((name.trim().to_owned(), Value::Text(value.trim().to_owned())))
            }
        }
    }

    /// What a declaration's initializer stands for.
    fn alias(&mut self, expression: &Expression<'_>) -> Alias {
        if let Expression::CallExpression(call) = expression {
            if callee_path(&call.callee).as_deref() == Some("require") {
                let module = call
                    .arguments
                    .first()
                    .and_then(Argument::as_expression)
                    .and_then(literal);
                return match module.as_deref() {
                    Some("uuid") => Alias::Uuid,
                    _ => Alias::Unknown,
                };
            }
        }
        if let Expression::NumericLiteral(number) = expression {
            return Alias::Number(number_text(number.value));
        }
        self.value(expression).map_or(Alias::Unknown, Alias::Value)
    }

    /// The value of `expression`, if the client can compute it.
    fn value(&mut self, expression: &Expression<'_>) -> Option<Value> {
        match expression {
            Expression::StringLiteral(s) => Some(Value::Text(s.value.to_string())),
            Expression::NumericLiteral(n) => Some(Value::Text(number_text(n.value))),
            Expression::BooleanLiteral(b) => Some(Value::Text(b.value.to_string())),
            Expression::ParenthesizedExpression(inner) => self.value(&inner.expression),
            Expression::TemplateLiteral(template) => {
                let mut parts = Vec::new();
                for (i, quasi) in template.quasis.iter().enumerate() {
                    let text = quasi.value.cooked.as_ref()?.to_string();
                    if !text.is_empty() {
                        parts.push(Value::Text(text));
                    }
                    if let Some(expression) = template.expressions.get(i) {
                        parts.push(self.value(expression)?);
                    }
                }
                Some(concat(parts))
            }
            Expression::Identifier(id)
                if id.name == "responseBody" && !self.aliases.contains_key("responseBody") =>
            {
                Some(Value::Body)
            }
            Expression::Identifier(id) => match self.aliases.get(id.name.as_str())? {
                Alias::Value(value) => Some(value.clone()),
                Alias::Number(text) => Some(Value::Text(text.clone())),
                Alias::Uuid | Alias::Unknown => None,
            },
            Expression::BinaryExpression(binary) if binary.operator == BinaryOperator::Addition => {
                let (left, right) = (self.value(&binary.left)?, self.value(&binary.right)?);
                if let (Value::RandomInt { low, high }, Expression::NumericLiteral(n)) =
                    (&left, &binary.right)
                {
                    if n.value >= 0.0 && n.value.fract() == 0.0 && n.value < 1e15 {
                        let add = n.value as u64;
                        return Some(Value::RandomInt {
                            low: low + add,
                            high: high + add,
                        });
                    }
                }
                let textual = |v: &Value, e: &Expression<'_>| {
                    !matches!(e, Expression::NumericLiteral(_)) && is_text(v)
                };
                (textual(&left, &binary.left) || textual(&right, &binary.right))
                    .then(|| concat(vec![left, right]))
            }
            Expression::BinaryExpression(binary) if binary.operator == BinaryOperator::Division => {
                // `Math.floor(Date.now() / 1000)` is handled by its call; a bare division is not.
                None
            }
            Expression::StaticMemberExpression(member) => {
                if let Some(path) = callee_path(expression) {
                    if let Some(value) = known_property(&path) {
                        return Some(value);
                    }
                }
                let object = self.value(&member.object)?;
                if member.property.name == "length" {
                    return Some(Value::Length(Box::new(object)));
                }
                let Value::Json(pointer) = object else {
                    return None;
                };
                Some(Value::Json(format!(
                    "{pointer}/{}",
                    escape(&member.property.name)
                )))
            }
            Expression::ComputedMemberExpression(member) => {
                if let Some(path) = callee_path(&member.object) {
                    if let ("environment" | "globals" | "data", Some(name)) =
                        (path.as_str(), literal(&member.expression))
                    {
                        return Some(Value::Variable(name));
                    }
                }
                let Value::Json(pointer) = self.value(&member.object)? else {
                    return None;
                };
                let key = match &member.expression {
                    Expression::NumericLiteral(n) if n.value >= 0.0 && n.value.fract() == 0.0 => {
                        number_text(n.value)
                    }
                    other => literal(other)?,
                };
                Some(Value::Json(format!("{pointer}/{}", escape(&key))))
            }
            Expression::ChainExpression(_) => None,
            Expression::CallExpression(call) => {
                let args: Vec<&Expression<'_>> = call
                    .arguments
                    .iter()
                    .filter_map(Argument::as_expression)
                    .collect();
                self.call_value(&call.callee, &args)
            }
            Expression::NewExpression(_) => None,
            _ => None,
        }
    }

    /// The value a call gives, for the calls the client knows.
    fn call_value(&mut self, callee: &Expression<'_>, args: &[&Expression<'_>]) -> Option<Value> {
        // `new Date().toISOString()`, `new Date().getTime()`
        if let Expression::StaticMemberExpression(member) = callee {
            if let Expression::NewExpression(new) = &member.object {
                if callee_path(&new.callee).as_deref() == Some("Date") && new.arguments.is_empty() {
                    return match member.property.name.as_str() {
                        "toISOString" | "toJSON" => Some(Value::NowIso),
                        "getTime" | "valueOf" => Some(Value::NowMillis),
                        _ => None,
                    };
                }
            }
            // `uuid.v4()` where `const uuid = require('uuid')`
            if let Expression::Identifier(id) = &member.object {
                if matches!(self.aliases.get(id.name.as_str()), Some(Alias::Uuid))
                    && member.property.name == "v4"
                {
                    return Some(Value::Uuid);
                }
            }
            // `require('uuid').v4()`
            if let Expression::CallExpression(require) = &member.object {
                let module = require
                    .arguments
                    .first()
                    .and_then(Argument::as_expression)
                    .and_then(literal);
                if callee_path(&require.callee).as_deref() == Some("require")
                    && module.as_deref() == Some("uuid")
                    && member.property.name == "v4"
                {
                    return Some(Value::Uuid);
                }
            }
        }
        if let Expression::Identifier(id) = callee {
            if matches!(self.aliases.get(id.name.as_str()), Some(Alias::Uuid)) {
                return Some(Value::Uuid);
            }
        }
        let path = callee_path(callee)?;
        let name = || args.first().and_then(|a| literal(a));
        match path.as_str() {
            "pm.environment.get"
            | "pm.variables.get"
            | "pm.collectionVariables.get"
            | "pm.globals.get"
            | "pm.iterationData.get"
            | "postman.getEnvironmentVariable"
            | "postman.getGlobalVariable" => Some(Value::Variable(name()?)),
            "pm.variables.replaceIn" | "pm.environment.replaceIn" => Some(Value::Template(name()?)),
            "pm.response.json" | "JSON.parse" if is_body(args) || path == "pm.response.json" => {
                Some(Value::Json(String::new()))
            }
            "pm.response.text" => Some(Value::Body),
            "pm.response.headers.get" | "postman.getResponseHeader" => Some(Value::Header(name()?)),
            "JSON.stringify" => match self.value(args.first()?)? {
                Value::Json(pointer) => Some(Value::JsonText(pointer)),
                Value::Text(text) => Some(Value::Text(
                    serde_json::to_string(&text).unwrap_or_default(),
                )),
                _ => None,
            },
            "String" => self.value(args.first()?),
            "Date.now" => Some(Value::NowMillis),
            "crypto.randomUUID" => Some(Value::Uuid),
            "Math.floor" | "Math.round" | "parseInt" => match args.first()? {
                Expression::BinaryExpression(b) if b.operator == BinaryOperator::Division => {
                    let millis = matches!(self.value(&b.left), Some(Value::NowMillis));
                    let thousand =
                        matches!(&b.right, Expression::NumericLiteral(n) if n.value == 1000.0);
                    (millis && thousand).then_some(Value::NowSeconds)
                }
                other if path == "Math.floor" => {
                    let (low, span) = random_range(other)?;
                    // With the engine, a script that draws runs as written, from a seed of its
                    // own (the runtime's `Client::with_script_seed`).
                    self.needs_engine = true;
                    Some(Value::RandomInt {
                        low,
                        high: low + span,
                    })
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// A condition of an `if`, if the client can evaluate it.
    fn condition(&mut self, expression: &Expression<'_>) -> Option<Condition> {
        match expression {
            Expression::ParenthesizedExpression(inner) => self.condition(&inner.expression),
            Expression::UnaryExpression(unary) if unary.operator == UnaryOperator::LogicalNot => {
                Some(Condition::Not(Box::new(self.condition(&unary.argument)?)))
            }
            Expression::LogicalExpression(logical) => {
                let (left, right) = (
                    self.condition(&logical.left)?,
                    self.condition(&logical.right)?,
                );
                match logical.operator {
                    LogicalOperator::And => Some(Condition::All(vec![left, right])),
                    LogicalOperator::Or => Some(Condition::Any(vec![left, right])),
                    LogicalOperator::Coalesce => None,
                }
            }
            Expression::BinaryExpression(binary) if undefined_test(binary).is_some() => {
                let (operand, negated) = undefined_test(binary)?;
                let defined = Condition::Defined(self.value(operand)?);
                Some(if negated {
                    defined
                } else {
                    Condition::Not(Box::new(defined))
                })
            }
            Expression::CallExpression(call)
                if callee_path(&call.callee)
                    .is_some_and(|p| p.ends_with(".has") && p.starts_with("pm.")) =>
            {
                let name = call
                    .arguments
                    .first()
                    .and_then(Argument::as_expression)
                    .and_then(literal)?;
                Some(Condition::Defined(Value::Variable(name)))
            }
            Expression::BinaryExpression(binary) => {
                let equals = |this: &mut Self| -> Option<Condition> {
                    Some(Condition::Equals(
                        this.value(&binary.left)?,
                        this.value(&binary.right)?,
                    ))
                };
                let compare = |this: &mut Self, order: Order| -> Option<Condition> {
                    Some(Condition::Compare(
                        this.value(&binary.left)?,
                        order,
                        this.value(&binary.right)?,
                    ))
                };
                match binary.operator {
                    BinaryOperator::Equality | BinaryOperator::StrictEquality => equals(self),
                    BinaryOperator::Inequality | BinaryOperator::StrictInequality => {
                        Some(Condition::Not(Box::new(equals(self)?)))
                    }
                    BinaryOperator::LessThan => compare(self, Order::Less),
                    BinaryOperator::LessEqualThan => compare(self, Order::LessOrEqual),
                    BinaryOperator::GreaterThan => compare(self, Order::Greater),
                    BinaryOperator::GreaterEqualThan => compare(self, Order::GreaterOrEqual),
                    _ => None,
                }
            }
            other => Some(Condition::Truthy(self.value(other)?)),
        }
    }
}

/// Whether `statement` ends in `return`: a `return`, or a block whose last statement is one.
fn returns(statement: &Statement<'_>) -> bool {
    match statement {
        Statement::ReturnStatement(_) => true,
        Statement::BlockStatement(block) => {
            matches!(block.body.last(), Some(Statement::ReturnStatement(_)))
        }
        _ => false,
    }
}

/// `Math.random() * N` or `Math.random() * N + M` (N and M whole): `(M, N)`.
fn random_range(expression: &Expression<'_>) -> Option<(u64, u64)> {
    let whole = |e: &Expression<'_>| match e {
        Expression::NumericLiteral(n)
            if n.value >= 0.0 && n.value.fract() == 0.0 && n.value < 1e15 =>
        {
            Some(n.value as u64)
        }
        _ => None,
    };
    let Expression::BinaryExpression(binary) = expression.without_parentheses() else {
        return None;
    };
    match binary.operator {
        BinaryOperator::Addition => {
            let (low, (zero, span)) = (whole(&binary.right)?, random_range(&binary.left)?);
            (zero == 0).then_some((low, span))
        }
        BinaryOperator::Multiplication => {
            let random = matches!(binary.left.without_parentheses(), Expression::CallExpression(call)
                if callee_path(&call.callee).as_deref() == Some("Math.random"));
            random.then_some((0, whole(&binary.right)?))
        }
        _ => None,
    }
}

/// For `typeof x === "undefined"`, `x == null`, `x === undefined` and their negations: the
/// operand `x`, and whether the test is that it is defined.
fn undefined_test<'e, 'a>(
    binary: &'e oxc_ast::ast::BinaryExpression<'a>,
) -> Option<(&'e Expression<'a>, bool)> {
    let negated = match binary.operator {
        BinaryOperator::Equality | BinaryOperator::StrictEquality => false,
        BinaryOperator::Inequality | BinaryOperator::StrictInequality => true,
        _ => return None,
    };
    let is_nothing = |e: &Expression<'_>| match e {
        Expression::NullLiteral(_) => true,
        Expression::Identifier(id) => id.name == "undefined",
        _ => false,
    };
    let typeof_of = |e: &'e Expression<'a>| match e {
        Expression::UnaryExpression(u) if u.operator == UnaryOperator::Typeof => Some(&u.argument),
        _ => None,
    };
    let undefined_text = |e: &Expression<'_>| literal(e).as_deref() == Some("undefined");
    let (left, right) = (&binary.left, &binary.right);
    if let Some(operand) = typeof_of(left).filter(|_| undefined_text(right)) {
        return Some((operand, negated));
    }
    if let Some(operand) = typeof_of(right).filter(|_| undefined_text(left)) {
        return Some((operand, negated));
    }
    if is_nothing(right) {
        return Some((left, negated));
    }
    if is_nothing(left) {
        return Some((right, negated));
    }
    None
}

/// Whether `args` is `responseBody` (or `pm.response.text()`), what `JSON.parse` reads.
fn is_body(args: &[&Expression<'_>]) -> bool {
    match args.first() {
        Some(Expression::Identifier(id)) => id.name == "responseBody",
        Some(Expression::CallExpression(call)) => {
            callee_path(&call.callee).as_deref() == Some("pm.response.text")
        }
        _ => false,
    }
}

/// Properties of Postman's objects that are values: the status code.
fn known_property(path: &str) -> Option<Value> {
    match path {
        "pm.response.code" | "responseCode.code" | "pm.response.status_code" => Some(Value::Status),
        _ => None,
    }
}

/// The scope a setter writes (`pm.environment.set`), if `callee` is one.
pub(super) fn setter(callee: &str) -> Option<Scope> {
    Some(match callee {
        "pm.environment.set" | "postman.setEnvironmentVariable" => Scope::Environment,
        "pm.globals.set" | "postman.setGlobalVariable" => Scope::Globals,
        "pm.collectionVariables.set" => Scope::Collection,
        "pm.variables.set" => Scope::Local,
        _ => return None,
    })
}

/// The scope an unsetter clears, if `callee` is one.
pub(super) fn unsetter(callee: &str) -> Option<Scope> {
    Some(match callee {
        "pm.environment.unset" | "postman.clearEnvironmentVariable" => Scope::Environment,
        "pm.globals.unset" | "postman.clearGlobalVariable" => Scope::Globals,
        "pm.collectionVariables.unset" => Scope::Collection,
        "pm.variables.unset" => Scope::Local,
        _ => return None,
    })
}

/// The name path a chain of calls and members starts from: `pm.expect` for
/// `pm.expect(x).to.equal(y)`, `pm.response.to.have.status` for the call of that name.
fn chain_root(expression: &Expression<'_>) -> Option<String> {
    match expression {
        Expression::CallExpression(call) => {
            callee_path(&call.callee).or_else(|| chain_root(&call.callee))
        }
        Expression::StaticMemberExpression(member) => {
            callee_path(expression).or_else(|| chain_root(&member.object))
        }
        Expression::ComputedMemberExpression(member) => chain_root(&member.object),
        Expression::ParenthesizedExpression(inner) => chain_root(&inner.expression),
        _ => None,
    }
}

/// Whether a chain starting at `root` is one of Postman's checks.
fn is_assertion(root: &str) -> bool {
    root == "pm.expect" || root.starts_with("pm.response.to.") || root.starts_with("pm.request.to.")
}

/// `a.b.c` for a chain of names (`pm.environment.set`).
pub(super) fn callee_path(expression: &Expression<'_>) -> Option<String> {
    match expression {
        Expression::Identifier(id) => Some(id.name.to_string()),
        Expression::StaticMemberExpression(member) => Some(format!(
            "{}.{}",
            callee_path(&member.object)?,
            member.property.name
        )),
        Expression::ParenthesizedExpression(inner) => callee_path(&inner.expression),
        _ => None,
    }
}

/// A text the script wrote literally: a string, or a template without expressions.
pub(super) fn literal(expression: &Expression<'_>) -> Option<String> {
    match expression {
        Expression::StringLiteral(s) => Some(s.value.to_string()),
        Expression::TemplateLiteral(t) if t.expressions.is_empty() => {
            Some(t.quasis.first()?.value.cooked.as_ref()?.to_string())
        }
        _ => None,
    }
}

/// `parts` joined: one value when there is one.
fn concat(parts: Vec<Value>) -> Value {
    let mut flat = Vec::with_capacity(parts.len());
    for part in parts {
        match part {
            Value::Concat(inner) => flat.extend(inner),
            other => flat.push(other),
        }
    }
    match <[Value; 1]>::try_from(flat) {
        Ok([one]) => one,
        Err(flat) if flat.is_empty() => Value::Text(String::new()),
        Err(flat) => Value::Concat(flat),
    }
}

/// Whether `+` with this value joins texts rather than adding numbers.
fn is_text(value: &Value) -> bool {
    !matches!(
        value,
        Value::Json(_)
            | Value::Status
            | Value::NowMillis
            | Value::NowSeconds
            | Value::Length(_)
            | Value::RandomInt { .. }
    )
}

/// A number as JavaScript writes it (`5`, `2.5`).
fn number_text(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        value.to_string()
    }
}

/// A key as a JSON pointer token.
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collection::Listen;
    use crate::ir::scripts::Idiom;

    fn run(source: &str) -> Translation {
        translate(&Script {
            listen: Listen::Test,
            source: source.to_owned(),
            location: "/event/0/script/exec".to_owned(),
        })
    }

    fn set(scope: Scope, name: &str, value: Value) -> Step {
        Step::Set {
            scope,
            name: name.to_owned(),
            value,
        }
    }

    #[test]
    fn captures_through_aliases_and_legacy_forms() {
        let t = run(r#"
            var data = JSON.parse(responseBody);
            pm.environment.set("cart-id", data.id);
            postman.setEnvironmentVariable("first", data.results[0]["the/id"]);
            pm.collectionVariables.set("token", pm.response.json().access_token);
            pm.globals.set("props", JSON.stringify(data.properties));
            pm.test("Status is 200", function () { pm.response.to.have.status(200); });
            pm.expect(data.id).to.be.a("string");
            pm.response.to.have.header("Location");
            pm.expect(pm.response.code).to.equal(200);
        "#);
        assert_eq!(t.untranslated, vec![]);
        assert_eq!(
            t.steps,
            vec![
                set(Scope::Environment, "cart-id", Value::Json("/id".into())),
                set(
                    Scope::Environment,
                    "first",
                    Value::Json("/results/0/the~1id".into())
                ),
                set(
                    Scope::Collection,
                    "token",
                    Value::Json("/access_token".into())
                ),
                set(
                    Scope::Globals,
                    "props",
                    Value::JsonText("/properties".into())
                ),
            ]
        );
        assert_eq!(t.assertions, vec!["Status is 200".to_owned()]);
    }

    #[test]
    fn what_a_test_function_writes_is_a_capture_and_the_census_sees_it() {
        let t = run(r#"
            pm.test("Extract id", function () {
                var jsonData = pm.response.json();
                pm.expect(jsonData).to.have.property("id");
                pm.collectionVariables.set("invoice_id", jsonData.id);
            });
            pm.test("Token", () => pm.environment.set("token", pm.response.json().token));
            postman.setNextRequest("Next");
        "#);
        assert_eq!(
            t.steps,
            vec![
                Step::If {
                    condition: Condition::Defined(Value::Json("/id".into())),
                    then: vec![set(
                        Scope::Collection,
                        "invoice_id",
                        Value::Json("/id".into())
                    )],
                    otherwise: Vec::new(),
                },
                set(Scope::Environment, "token", Value::Json("/token".into())),
            ]
        );
        assert_eq!(t.assertions, ["Extract id", "Token"]);
        assert_eq!(t.untranslated.len(), 1, "setNextRequest is not run");
        assert!(
            !t.sandboxed(),
            "flow control is nothing the engine could run"
        );
        let idioms: Vec<Idiom> = t.idioms.iter().copied().collect();
        assert_eq!(
            idioms,
            [Idiom::Capture, Idiom::Assertion, Idiom::FlowControl]
        );
        let loop_ = run("[1, 2].forEach(n => pm.environment.set('n', n)); throw new Error('x');");
        assert!(loop_.sandboxed());
        let idioms: Vec<Idiom> = loop_.idioms.iter().copied().collect();
        assert_eq!(idioms, [Idiom::Capture, Idiom::Guard]);
    }

    #[test]
    fn what_follows_an_assertion_in_a_test_runs_where_it_holds() {
        let t = run(r#"
            pm.expect(pm.response.code).to.eql(500);
            pm.test("Created", () => {
                pm.response.to.have.status(201);
                pm.expect(pm.response.code).to.not.be.oneOf([400, 500]);
                const body = pm.response.json();
                pm.expect(body).to.be.an("object");
                pm.expect(body.data).to.have.property("kind", "user");
                pm.expect(body.id).to.exist;
                pm.environment.set("id", body.id);
            });
            pm.test("Nothing after", function () { pm.expect(pm.response.code).to.eql(200); });
        "#);
        assert_eq!(t.untranslated, vec![]);
        let text = |s: &str| Value::Text(s.into());
        let when = |condition, then| Step::If {
            condition,
            then: vec![then],
            otherwise: Vec::new(),
        };
        let capture = set(Scope::Environment, "id", Value::Json("/id".into()));
        let steps = when(Condition::Defined(Value::Json("/id".into())), capture);
        let steps = when(
            Condition::Equals(Value::Json("/data/kind".into()), text("user")),
            steps,
        );
        let steps = when(
            Condition::Not(Box::new(Condition::Any(vec![
                Condition::Equals(Value::Status, text("400")),
                Condition::Equals(Value::Status, text("500")),
            ]))),
            steps,
        );
        let steps = when(Condition::Equals(Value::Status, text("201")), steps);
        assert_eq!(
            t.steps,
            vec![steps],
            "the assertion outside a test is not one"
        );
    }

    #[test]
    fn conditions_on_presence_and_status_guard_steps() {
        let t = run(r#"
            var jsonData = pm.response.json();
            if (jsonData && jsonData.data && jsonData.data[0]) {
                pm.environment.set('account', jsonData.data[0].id);
            }
            if (pm.response.code === 201) { pm.variables.set("created", "yes"); } else { pm.variables.unset("created"); }
        "#);
        assert_eq!(t.untranslated, vec![]);
        let Step::If { condition, .. } = &t.steps[0] else {
            panic!("{:?}", t.steps)
        };
        assert!(matches!(condition, Condition::All(_)));
        assert_eq!(
            t.steps[1],
            Step::If {
                condition: Condition::Equals(Value::Status, Value::Text("201".into())),
                then: vec![set(Scope::Local, "created", Value::Text("yes".into()))],
                otherwise: vec![Step::Unset {
                    scope: Scope::Local,
                    name: "created".into()
                }],
            }
        );
    }

    #[test]
    fn pre_request_values_dates_uuids_and_concatenation() {
        let t = run(r#"
            const uuid = require('uuid');
            pm.variables.set("ts", Math.floor(Date.now() / 1000));
            pm.variables.set("iso", new Date().toISOString());
            pm.variables.set("id", uuid.v4());
            pm.variables.set("auth", "Bearer " + pm.environment.get("token"));
            pm.variables.set("range", `0-${pm.variables.get("size")}`);
            pm.request.headers.upsert({ key: "X-Request-Id", value: pm.variables.get("id") });
            pm.request.url.query.remove("debug");
            if (!pm.environment.get("device_id")) { throw new Error("'device_id' must be set"); }
        "#);
        assert_eq!(t.untranslated, vec![]);
        assert_eq!(t.steps[0], set(Scope::Local, "ts", Value::NowSeconds));
        assert_eq!(t.steps[1], set(Scope::Local, "iso", Value::NowIso));
        assert_eq!(t.steps[2], set(Scope::Local, "id", Value::Uuid));
        assert_eq!(
            t.steps[3],
            set(
                Scope::Local,
                "auth",
                Value::Concat(vec![
                    Value::Text("Bearer ".into()),
                    Value::Variable("token".into())
                ])
            )
        );
        assert_eq!(
            t.steps[5],
            Step::SetHeader {
                name: "X-Request-Id".into(),
                value: Value::Variable("id".into())
            }
        );
        assert_eq!(
            t.steps[6],
            Step::RemoveQuery {
                name: "debug".into()
            }
        );
        assert_eq!(
            t.steps[7],
            Step::If {
                condition: Condition::Not(Box::new(Condition::Truthy(Value::Variable(
                    "device_id".into()
                )))),
                then: vec![Step::Fail {
                    message: Value::Text("'device_id' must be set".into())
                }],
                otherwise: vec![],
            }
        );
    }

    #[test]
    fn what_cannot_be_translated_is_listed_with_its_line() {
        let t = run("pm.environment.set('a', '1');\npm.sendRequest('https://x', function () {});\npostman.setNextRequest('Next');\npm.variables.set('n', Date.now() + 60000);");
        assert_eq!(t.steps.len(), 1);
        let lines: Vec<usize> = t.untranslated.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, vec![2, 3, 4]);
        assert!(t.untranslated[0].1.contains("pm.sendRequest"));
        assert_eq!(t.coverage(), super::super::Coverage::Partial);
    }

    #[test]
    fn a_syntax_error_is_one_located_entry() {
        let t = run("var a = 1;\npm.environment.set('x', ;\n");
        assert!(t.steps.is_empty());
        assert_eq!(t.untranslated.len(), 1);
        assert_eq!(t.untranslated[0].0, 2, "{:?}", t.untranslated);
        assert!(t.untranslated[0].1.contains("not valid JavaScript"));
        assert_eq!(t.coverage(), super::super::Coverage::None);
    }
}
