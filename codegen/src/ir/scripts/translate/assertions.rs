//! Assertions in a `pm.test` function that the client can check. A failed assertion ends its
//! function (`pm.test` catches it), so what follows one (a capture) runs only where it holds.

use oxc_ast::ast::{Argument, Expression};

use super::{callee_path, escape, literal, Translator};
use crate::ir::scripts::{Condition, Value};

/// Words of chai's chains that only read well.
const CHAIN: &[&str] = &[
    "to", "be", "been", "is", "that", "which", "and", "has", "have", "with", "at", "of", "same",
    "does", "still", "also", "an", "a", "deep",
];

impl Translator<'_> {
    /// The condition an assertion statement checks, where the client can check it:
    /// `pm.response.to.have.status(200)`, and on `pm.expect(x)`: `.property("id")` (with a
    /// value, or not), `.eql(y)` and its kin, `.oneOf([...])`, `.exist`, `.ok`, with `not`.
    /// A property that is there but `null` passes chai's `property`; the client counts it
    /// as absent.
    pub(super) fn assertion(&mut self, expression: &Expression<'_>) -> Option<Condition> {
        let (negated, condition) = match expression {
            Expression::CallExpression(call) => {
                let args = call
                    .arguments
                    .iter()
                    .map(Argument::as_expression)
                    .collect::<Option<Vec<_>>>()?;
                if callee_path(&call.callee).as_deref() == Some("pm.response.to.have.status") {
                    let [code] = args.as_slice() else {
                        return None;
                    };
                    return Some(Condition::Equals(Value::Status, self.value(code)?));
                }
                let Expression::StaticMemberExpression(member) = &call.callee else {
                    return None;
                };
                let (subject, negated) = self.expected(&member.object)?;
                let condition = match (member.property.name.as_str(), args.as_slice()) {
                    ("property", [key]) => Condition::Defined(member_of(&subject, key)?),
                    ("property", [key, value]) => {
                        Condition::Equals(member_of(&subject, key)?, self.value(value)?)
                    }
                    ("eql" | "eqls" | "equal" | "equals" | "eq", [value]) => {
                        Condition::Equals(subject.clone(), self.value(value)?)
                    }
                    ("oneOf", [Expression::ArrayExpression(list)]) => {
                        let mut any = Vec::new();
                        for element in &list.elements {
                            let value = self.value(element.as_expression()?)?;
                            any.push(Condition::Equals(subject.clone(), value));
                        }
                        Condition::Any(any)
                    }
                    _ => return None,
                };
                (negated, condition)
            }
            Expression::StaticMemberExpression(member) => {
                let (subject, negated) = self.expected(&member.object)?;
                let condition = match member.property.name.as_str() {
                    "exist" => Condition::Defined(subject),
                    "ok" => Condition::Truthy(subject),
                    _ => return None,
                };
                (negated, condition)
            }
            _ => return None,
        };
        Some(if negated {
            Condition::Not(Box::new(condition))
        } else {
            condition
        })
    }

    /// The value of `pm.expect(value)` under a chain of words (`to.have`, `to.not.be`), and
    /// whether `not` is among them.
    fn expected(&mut self, expression: &Expression<'_>) -> Option<(Value, bool)> {
        let mut negated = false;
        let mut at = expression;
        loop {
            match at {
                Expression::StaticMemberExpression(member) => {
                    match member.property.name.as_str() {
                        "not" => negated = !negated,
                        word if CHAIN.contains(&word) => {}
                        _ => return None,
                    }
                    at = &member.object;
                }
                Expression::CallExpression(call)
                    if callee_path(&call.callee).as_deref() == Some("pm.expect") =>
                {
                    let subject = call.arguments.first()?.as_expression()?;
                    return Some((self.value(subject)?, negated));
                }
                _ => return None,
            }
        }
    }
}

/// The value of `subject`'s property named by the literal `key`, where `subject` is a place in
/// the response body.
fn member_of(subject: &Value, key: &Expression<'_>) -> Option<Value> {
    let Value::Json(pointer) = subject else {
        return None;
    };
    Some(Value::Json(format!("{pointer}/{}", escape(&literal(key)?))))
}
