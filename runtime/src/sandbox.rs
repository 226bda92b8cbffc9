//! Scripts the generator could not translate in full, run as written in an embedded
//! JavaScript engine (boa, pure Rust), with the part of Postman's sandbox that collection
//! scripts use (`sandbox.js`): variables of every scope, the request's headers and query, the
//! response, `pm.sendRequest` (sent by the client, see `script_requests`), `btoa`/`atob`,
//! `Buffer`, `CryptoJS` hashes and HMACs (computed here, in Rust), the common part of lodash
//! and of moment, and `require` of those and of `uuid`; assertions, logging and flow control
//! do nothing. What a script writes is applied as translated steps are. Only with the
//! runtime's `js` feature.

use boa_engine::native_function::NativeFunction;
use boa_engine::{js_string, Context, JsArgs as _, JsNativeError, JsResult, JsValue, Source};
use hmac::digest::KeyInit;
use hmac::{Mac as _, SimpleHmac};
use serde_json::{json, Map, Value as Json};
use sha2::Digest as _;

use super::scripts::{Edit, Run, Scope};
use super::{BuildError, RequestBuilder};

/// The sandbox, run before each script.
const PRELUDE: &str = include_str!("sandbox.js");

/// Loop iterations a script may run: a script that never ends fails instead of hanging.
const LOOP_LIMIT: u64 = 1_000_000;

/// How deep a script's calls may nest.
const RECURSION_LIMIT: usize = 400;

/// Rounds of promise jobs and callbacks a script may take once its body has run.
const SETTLE_LIMIT: usize = 1_000;

/// Runs `source` in `run`'s engine over its variables, response and answers, and applies
/// what it did. A `throw` of the script's own in a pre-request script stops the request, as a
/// translated guard does; any other error (an API the client does not have, a bug in the
/// script) stops the script there, as in Postman, and the request goes on.
pub(super) fn run(run: &mut Run<'_>, source: &str) -> Result<(), BuildError> {
    let program = format!(
        "var __state = {};\n{PRELUDE}\n__script.run({});",
        state(run, source),
        Json::String(source.to_owned())
    );
    // Answers go to the scripts by their place among those run.
    run.sent.scripts += 1;
    let context = &mut run.engine.get_or_insert_with(Engine::new).0;
    // The prelude catches what the script throws; what is left is the engine's own limits.
    let limit =
        |error: boa_engine::JsError| BuildError::new(format!("a script could not run: {error}"));
    context
        .eval(Source::from_bytes(program.as_bytes()))
        .map_err(limit)?;
    // Promise jobs (`await pm.sendRequest(...)`), then the callbacks they make due, until
    // none is left.
    for _ in 0..SETTLE_LIMIT {
        context.run_jobs().map_err(limit)?;
        let ran = context
            .eval(Source::from_bytes("__script.settle()"))
            .map_err(limit)?;
        if !ran.to_boolean() {
            break;
        }
    }
    let record = context
        .eval(Source::from_bytes("__script.record()"))
        .map_err(limit)?
        .as_string()
        .map(|text| text.to_std_string_escaped())
        .unwrap_or_default();
    let record: Json = serde_json::from_str(&record).unwrap_or_default();
    apply(run, &record)
}

/// The engine the scripts of one run share (the collection's, the folders' and the request's,
/// one after the other), as Postman runs them in one context: what one leaves in the global
/// scope (`utils = {...}`, `Object.prototype.isSandbox = ...`), the next can use.
pub(super) struct Engine(Context);

impl Engine {
    fn new() -> Self {
        let mut context = Context::default();
        // A global of this name is free in a fresh context.
        let _ = context.register_global_builtin_callable(
            js_string!("__digest"),
            3,
            NativeFunction::from_fn_ptr(digest),
        );
        context
            .runtime_limits_mut()
            .set_loop_iteration_limit(LOOP_LIMIT);
        context
            .runtime_limits_mut()
            .set_recursion_limit(RECURSION_LIMIT);
        Self(context)
    }
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Engine")
    }
}

/// What scripts run as written did to the request's target: `pm.request.method = ...`,
/// `pm.request.url = ...`, `pm.request.url.path[i] = ...`.
#[derive(Debug, Default)]
pub(super) struct Target {
    /// The method they set.
    method: Option<String>,
    /// The URL they set, its variables resolved.
    url: Option<String>,
    /// The path's segments as the collection wrote them, and as they left them.
    path: Option<(Vec<String>, Vec<String>)>,
}

impl Target {
    /// Gives `builder` the method, URL or path segments the scripts set.
    pub(super) fn apply(&self, builder: &mut RequestBuilder) {
        if let Some(method) = &self.method {
            match http::Method::from_bytes(method.as_bytes()) {
                Ok(method) => builder.method = method,
                Err(_) => {
                    let message = format!("a script set the method to `{method}`");
                    return builder.fail(BuildError::new(message));
                }
            }
        }
        // A URL that is not absolute (the sandbox knows the request's path, not its server)
        // leaves the request's URL as it is.
        if let Some(mut parsed) = self
            .url
            .as_deref()
            .and_then(|u| reqwest::Url::parse(u).ok())
        {
            builder.query.clear();
            let pairs: Vec<(String, String)> = parsed.query_pairs().into_owned().collect();
            for (key, value) in pairs {
                builder.query(&key, value);
            }
            parsed.set_query(None);
            parsed.set_fragment(None);
            builder.url = parsed.as_str().to_owned();
        } else if let Some((written, edited)) = &self.path {
            Self::edit_path(builder, written, edited);
        }
    }

    /// Replaces the segments of `builder`'s path that the scripts changed: the path's last
    /// `written.len()` segments are the collection's, those before them the server's. A
    /// segment the scripts left keeps its value, a segment they added or changed is theirs, and
    /// one they took off goes.
    fn edit_path(builder: &mut RequestBuilder, written: &[String], edited: &[String]) {
        let Ok(mut url) = reqwest::Url::parse(&builder.url) else {
            return;
        };
        let built: Vec<String> = url
            .path_segments()
            .map(|segments| segments.map(str::to_owned).collect())
            .unwrap_or_default();
        let Some(server) = built.len().checked_sub(written.len()) else {
            return;
        };
        let mut segments: Vec<String> = built[..server].to_vec();
        for (i, now) in edited.iter().enumerate() {
            if written.get(i) == Some(now) {
                segments.push(built[server + i].clone());
            } else if matches!(now.as_str(), "." | "..") {
                let message = format!(
                    "a script set the path segment `{now}`, which would leave its place in the path"
                );
                return builder.fail(BuildError::new(message));
            } else {
                segments.push(encode_segment(now));
            }
        }
        url.set_path(&segments.join("/"));
        builder.url = url.as_str().to_owned();
    }
}

/// `segment` percent-encoded as a path segment.
fn encode_segment(segment: &str) -> String {
    percent_encoding::utf8_percent_encode(segment, super::builder::PATH_PARAM).to_string()
}

/// The requests scripts send (`pm.sendRequest`) in one run of an operation's steps. The
/// engine does no I/O: a script records the requests it sends, and those without an answer
/// stop the steps; the client sends them and runs the steps again with their answers (see
/// `Client::run_sending`), so that each callback runs with its response, after its script,
/// as in Postman.
#[derive(Debug, Default)]
pub(super) struct Sent {
    /// Whether requests may be sent: false where a request is built without being sent (their
    /// callbacks then never run).
    pub(super) sending: bool,
    /// The answers so far, per script in the order the scripts ran, per request in the order
    /// it sent them: a response as `{code, status, headers, body}`, or `{error}`.
    pub(super) answers: Vec<Vec<Json>>,
    /// The scripts run so far.
    scripts: usize,
    /// Requests still to send: the script's place among those run, and the request as
    /// `{method, url, headers, body}`.
    pub(super) pending: Vec<(usize, Json)>,
}

/// `__digest(algorithm, key, data)`: the hash (`MD5`, `SHA1`, `SHA224`, `SHA256`, `SHA384`,
/// `SHA512`) of `data`, or its HMAC under `key` when that is not `null`; bytes in and out as
/// hexadecimal text. The sandbox's `CryptoJS` is built on it.
fn digest(_: &JsValue, args: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
    let algorithm = args
        .get_or_undefined(0)
        .to_string(context)?
        .to_std_string_escaped();
    let key = args.get_or_undefined(1);
    let key = if key.is_null_or_undefined() {
        None
    } else {
        Some(bytes_of(&key.to_string(context)?.to_std_string_escaped())?)
    };
    let data = bytes_of(
        &args
            .get_or_undefined(2)
            .to_string(context)?
            .to_std_string_escaped(),
    )?;
    let out = match (algorithm.as_str(), key) {
        ("MD5", None) => md5::Md5::digest(&data).to_vec(),
        ("SHA1", None) => sha1::Sha1::digest(&data).to_vec(),
        ("SHA224", None) => sha2::Sha224::digest(&data).to_vec(),
        ("SHA256", None) => sha2::Sha256::digest(&data).to_vec(),
        ("SHA384", None) => sha2::Sha384::digest(&data).to_vec(),
        ("SHA512", None) => sha2::Sha512::digest(&data).to_vec(),
        ("MD5", Some(key)) => hmac::<md5::Md5>(&key, &data),
        ("SHA1", Some(key)) => hmac::<sha1::Sha1>(&key, &data),
        ("SHA224", Some(key)) => hmac::<sha2::Sha224>(&key, &data),
        ("SHA256", Some(key)) => hmac::<sha2::Sha256>(&key, &data),
        ("SHA384", Some(key)) => hmac::<sha2::Sha384>(&key, &data),
        ("SHA512", Some(key)) => hmac::<sha2::Sha512>(&key, &data),
        (other, _) => {
            let message = format!("the hash {other} is not available in the client");
            return Err(JsNativeError::typ().with_message(message).into());
        }
    };
    let hex: String = out.iter().map(|byte| format!("{byte:02x}")).collect();
    Ok(JsValue::from(js_string!(hex)))
}

/// The HMAC of `data` under `key` with the hash `D`.
fn hmac<D>(key: &[u8], data: &[u8]) -> Vec<u8>
where
    D: sha2::Digest + hmac::digest::core_api::BlockSizeUser,
{
    // HMAC takes keys of any length.
    let Ok(mut mac) = <SimpleHmac<D> as KeyInit>::new_from_slice(key) else {
        return Vec::new();
    };
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// The bytes hexadecimal `text` writes.
fn bytes_of(text: &str) -> JsResult<Vec<u8>> {
    let bad = || JsNativeError::typ().with_message("__digest takes hexadecimal text");
    if !text.len().is_multiple_of(2) {
        return Err(bad().into());
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2).ok_or_else(bad)?, 16).map_err(|_| bad()))
        .map(|byte| byte.map_err(Into::into))
        .collect()
}

/// What the sandbox starts from for `source`: the variables of each scope, the request, the
/// response, and where its random numbers start.
fn state(run: &Run<'_>, source: &str) -> Json {
    let variables = run.written.over(run.variables);
    let layer = |values: &std::collections::BTreeMap<String, super::variables::Variable>| {
        let map: Map<String, Json> = values
            .iter()
            .map(|(name, variable)| (name.clone(), Json::String(variable.value.clone())))
            .collect();
        Json::Object(map)
    };
    let (method, name, path) = run
        .operation
        .map_or(("GET", "", ""), |op| (op.method, op.name, op.path));
    let response = run
        .response
        .map(|response| response_json(response.status, &response.headers, &response.body));
    json!({
        "scopes": {
            "globals": layer(&variables.globals),
            "collection": layer(&variables.collection),
            "environment": layer(&variables.environment),
            "local": layer(&variables.local),
        },
        // The method and path as the run's earlier scripts left them.
        "request": {
            "method": run.edits.target.method.as_deref().unwrap_or(method),
            "name": name,
            "path": path,
            "segments": run.edits.target.path.as_ref().map(|(_, edited)| edited),
            "built": run.request,
        },
        "response": response,
        "listen": if run.response.is_some() { "test" } else { "prerequest" },
        "answers": run.sent.answers.get(run.sent.scripts).cloned().unwrap_or_default(),
        "random": super::random::Random::for_script(run.seed, source).state(),
    })
}

/// A response as the sandbox reads it: `{code, status, headers: [[name, value]], body}`.
pub(super) fn response_json(
    status: http::StatusCode,
    headers: &http::HeaderMap,
    body: &[u8],
) -> Json {
    let headers: Vec<Json> = headers
        .iter()
        .map(|(name, value)| json!([name.as_str(), String::from_utf8_lossy(value.as_bytes())]))
        .collect();
    json!({
        "code": status.as_u16(),
        "status": status.canonical_reason().unwrap_or_default(),
        "headers": headers,
        "body": String::from_utf8_lossy(body),
    })
}

/// Applies the sandbox's record (`{ops, error, requests}`: variable writes, request edits and
/// the method, URL or path the script set, in `ops`; the error that stopped it; the requests
/// it sent that have no answer yet) to `run`.
fn apply(run: &mut Run<'_>, record: &Json) -> Result<(), BuildError> {
    let ops = record["ops"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    for op in ops {
        let field = |i: usize| op.get(i).and_then(Json::as_str);
        match (field(0), field(1), field(2)) {
            (Some("set" | "unset"), Some(scope), Some(name)) => {
                let Some(scope) = scope_named(scope) else {
                    continue;
                };
                let value = field(3).filter(|_| field(0) == Some("set"));
                if let Some(value) = value {
                    run.captured.push((name.to_owned(), value.to_owned()));
                }
                run.written.set(scope, name, value.map(str::to_owned));
            }
            (Some(list @ ("header" | "query")), Some(kind), Some(name)) => {
                run.edits.edits.push(Edit {
                    query: list == "query",
                    name: name.to_owned(),
                    value: field(3).filter(|_| kind != "remove").map(str::to_owned),
                    replace: kind != "add",
                });
            }
            (Some("method"), Some(method), _) => run.edits.target.method = Some(method.to_owned()),
            (Some("url"), Some(url), _) => run.edits.target.url = Some(url.to_owned()),
            (Some("path"), _, _) => {
                let segments = |i: usize| -> Vec<String> {
                    op.get(i)
                        .and_then(Json::as_array)
                        .into_iter()
                        .flatten()
                        .map(|segment| segment.as_str().unwrap_or_default().to_owned())
                        .collect()
                };
                run.edits.target.path = Some((segments(1), segments(2)));
            }
            (Some("skip"), _, _) if run.response.is_none() => {
                return Err(BuildError::new(
                    "a script skipped the request (`pm.execution.skipRequest`)",
                ));
            }
            _ => {}
        }
    }
    if run.sent.sending {
        let script = run.sent.scripts.saturating_sub(1);
        let requests = record["requests"].as_array().cloned().unwrap_or_default();
        run.sent
            .pending
            .extend(requests.into_iter().map(|request| (script, request)));
    }
    let error = &record["error"];
    let own = matches!(error["name"].as_str(), Some("Error" | "thrown"));
    if run.response.is_none() && own && error["unavailable"] != Json::Bool(true) {
        let message = error["message"].as_str().unwrap_or_default();
        return Err(BuildError::new(format!(
            "a script stopped the request: {message}"
        )));
    }
    Ok(())
}

fn scope_named(name: &str) -> Option<Scope> {
    Some(match name {
        "globals" => Scope::Globals,
        "collection" => Scope::Collection,
        "environment" => Scope::Environment,
        "local" => Scope::Local,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::super::scripts::Written;
    use super::super::variables::{Variable, Variables};
    use super::super::{OperationId, RawResponse};
    use super::*;

    const OP: OperationId = OperationId {
        name: "users::get_user",
        method: "GET",
        path: "/users/:id",
    };

    fn variables(pairs: &[(&str, &str)]) -> Arc<Variables> {
        let mut variables = Variables::default();
        for (name, value) in pairs {
            let variable = Variable::new(name, value, false);
            variables.environment.insert((*name).to_owned(), variable);
        }
        Arc::new(variables)
    }

    /// What a script run gave: the variables it captured, its result, and its request edits
    /// (query, name, value, replace).
    type Outcome = (
        Vec<(String, String)>,
        Result<(), BuildError>,
        Vec<(bool, String, Option<String>, bool)>,
    );

    /// Runs `source` as a test script on a JSON `body` (or as a pre-request script without
    /// one): the variables it captured, and the result.
    fn script(source: &str, body: Option<&str>, base: &[(&str, &str)]) -> Outcome {
        let written = Written::default();
        let base = variables(base);
        let response = body.map(|body| RawResponse {
            status: http::StatusCode::CREATED,
            headers: http::HeaderMap::from_iter([(
                http::header::LOCATION,
                http::HeaderValue::from_static("/users/7"),
            )]),
            body: body.as_bytes().to_vec(),
        });
        let mut run = Run::new(&written, &base, response.as_ref());
        run.operation = Some(OP);
        let result = super::run(&mut run, source);
        let edits = run
            .edits
            .edits
            .iter()
            .map(|e| (e.query, e.name.clone(), e.value.clone(), e.replace))
            .collect();
        (run.captured, result, edits)
    }

    #[test]
    fn captures_through_loops_regular_expressions_and_functions() {
        let source = r#"
            const data = pm.response.json();
            let total = 0;
            data.items.forEach(function (item) { total += item.price; });
            pm.environment.set("total", total.toFixed(2));
            function host(link) { return link.replace(/localhost/g, pm.environment.get("host")); }
            postman.setEnvironmentVariable("self", host(data.selfLink));
            pm.test("has items", function () {
                pm.expect(data.items).to.have.lengthOf(2);
                pm.collectionVariables.set("first", data.items[0].id);
            });
            pm.globals.set("location", pm.response.headers.get("location"));
            pm.environment.set("count", isNaN(Number(pm.environment.get("count"))) ? 0 : 1);
            tests["status"] = pm.response.code === 201;
        "#;
        let body = r#"{"items": [{"id": "a", "price": 1.5}, {"id": "b", "price": 2}],
                       "selfLink": "https://localhost/x"}"#;
        let (captured, result, _) = script(source, Some(body), &[("host", "bigiq.test")]);
        assert_eq!(result, Ok(()));
        let captured: Vec<(&str, &str)> = captured
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            captured,
            [
                ("total", "3.50"),
                ("self", "https://bigiq.test/x"),
                ("first", "a"),
                ("location", "/users/7"),
                ("count", "0"),
            ]
        );
    }

    #[test]
    fn a_failed_assertion_ends_its_test_function_and_no_more() {
        let source = r#"
            pm.expect(pm.response.code).to.eql(500);
            const data = pm.response.json();
            pm.test("payer", function () {
                pm.expect(data).to.have.property("payer_id");
                pm.environment.set("payer", data.payer_id);
            });
            pm.test("id", () => {
                pm.response.to.have.status(201);
                pm.expect(pm.response.code).to.not.be.oneOf([400, 500]);
                pm.expect(data).to.be.an("object").and.have.property("id", "u1");
                pm.expect(data.none).to.not.exist;
                pm.expect(data.id).to.be.ok.and.to.equal("u1");
                pm.expect(data).to.eql({ id: "u1", kind: null });
                pm.environment.set("id", data.id);
            });
            pm.test("status", () => {
                pm.response.to.have.status(200);
                pm.environment.set("ok", "yes");
            });
            pm.environment.set("after", "ran");
        "#;
        let (captured, result, _) = script(source, Some(r#"{"id": "u1", "kind": null}"#), &[]);
        assert_eq!(result, Ok(()));
        let names: Vec<&str> = captured.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["id", "after"]);
    }

    #[test]
    fn pre_request_scripts_edit_the_request_and_guards_stop_it() {
        let source = r#"
            const token = btoa(pm.variables.get("user") + ":" + pm.variables.get("password"));
            pm.request.headers.upsert({key: "Authorization", value: "Basic " + token});
            pm.request.headers.add("X-Trace: " + require("uuid").v4().length);
            pm.request.url.query.remove("debug");
            if (pm.request.url.path.indexOf(":id") !== 1) { throw new Error("no id"); }
            setTimeout(() => pm.variables.set("later", "yes"), 10);
        "#;
        let (captured, result, edits) = script(source, None, &[("user", "u"), ("password", "p")]);
        assert_eq!(result, Ok(()));
        assert_eq!(captured, [("later".to_owned(), "yes".to_owned())]);
        assert_eq!(
            edits,
            [
                (
                    false,
                    "Authorization".into(),
                    Some("Basic dTpw".into()),
                    true
                ),
                (false, "X-Trace".into(), Some("36".into()), false),
                (true, "debug".into(), None, true),
            ]
        );

        let guard =
            "if (!pm.environment.get('device_id')) { throw new Error('device_id must be set'); }";
        let (_, result, _) = script(guard, None, &[]);
        assert_eq!(
            result.unwrap_err().to_string(),
            "cannot build request: a script stopped the request: device_id must be set"
        );
    }

    #[test]
    fn what_the_client_lacks_stops_the_script_not_the_request() {
        let source = r#"
            pm.environment.set("before", "1");
            const page = cheerio.load("<p>a</p>");
            pm.environment.set("after", "2");
        "#;
        let (captured, result, _) = script(source, None, &[]);
        assert_eq!(
            result,
            Ok(()),
            "a ReferenceError is the script's, not a guard"
        );
        assert_eq!(captured, [("before".to_owned(), "1".to_owned())]);

        // Where a request is built without being sent, a request the script sends is not sent
        // either: its callback never runs, and the script goes on.
        let fetch = "pm.sendRequest('https://token.example', (err, res) => { pm.environment.set('t', 'x'); });\n\
                     pm.environment.set('x', '1');";
        let (captured, result, _) = script(fetch, None, &[]);
        assert_eq!(result, Ok(()));
        assert_eq!(captured, [("x".to_owned(), "1".to_owned())]);

        let (_, result, _) = script("while (true) {}", None, &[]);
        assert!(
            result.unwrap_err().to_string().contains("could not run"),
            "a script that never ends is stopped"
        );
        let (_, result, _) = script("this is not javascript", None, &[]);
        assert_eq!(result, Ok(()), "a syntax error stops the script only");

        // Line and paragraph separators are valid in JSON text and in JavaScript strings.
        let body = "{\"note\": \"a\u{2028}b\u{2029}c\"}";
        let (captured, result, _) = script(
            "pm.environment.set('n', pm.response.json().note.length);",
            Some(body),
            &[("odd", "x\u{2028}y")],
        );
        assert_eq!(result, Ok(()));
        assert_eq!(captured, [("n".to_owned(), "5".to_owned())]);
    }

    /// Runs the pre-request `source` as the client does on the way to sending, with
    /// `answers` to the requests it sends: the variables it set and the requests still to send.
    fn sending(source: &str, answers: Vec<Json>) -> (Vec<(String, String)>, Vec<Json>) {
        let written = Written::default();
        let base = variables(&[("base_url", "https://api.example")]);
        let mut run = Run::new(&written, &base, None);
        run.operation = Some(OP);
        run.sent.sending = true;
        run.sent.answers = vec![answers];
        super::run(&mut run, source).expect("the script runs");
        let pending = run.sent.pending.into_iter().map(|(script, request)| {
            assert_eq!(script, 0, "one script ran");
            request
        });
        (run.captured, pending.collect())
    }

    #[test]
    fn requests_a_script_sends_are_asked_for_and_their_callbacks_get_the_answers() {
        let source = r#"
            pm.environment.set("before", "1");
            pm.sendRequest({
                url: pm.variables.get("base_url") + "/oauth2/token",
                method: "post",
                header: {"Accept": "application/json"},
                auth: {type: "basic", basic: [{key: "username", value: "u"}, {key: "password", value: "p"}]},
                body: {mode: "urlencoded", urlencoded: [
                    {key: "grant_type", value: "client_credentials"},
                    {key: "scope", value: "a b", disabled: true},
                ]},
            }, function (err, res) {
                if (err) { pm.environment.set("failed", err.message); return; }
                pm.environment.set("token", res.json().access_token);
                pm.environment.set("type", res.headers.get("content-type") + " " + res.code);
                pm.sendRequest("https://api.example/me", function (err, me) {
                    pm.environment.set("me", me.text());
                });
            });
            pm.environment.set("after", "2");
        "#;
        let names = |captured: &[(String, String)]| -> Vec<String> {
            captured.iter().map(|(name, _)| name.clone()).collect()
        };
        // First run: the request is asked for, and its callback waits.
        let (captured, pending) = sending(source, Vec::new());
        assert_eq!(names(&captured), ["before", "after"]);
        assert_eq!(
            pending,
            [json!({
                "method": "POST",
                "url": "https://api.example/oauth2/token",
                "headers": [
                    ["Accept", "application/json"],
                    ["Content-Type", "application/x-www-form-urlencoded"],
                    ["Authorization", "Basic dTpw"],
                ],
                "body": "grant_type=client_credentials",
            })]
        );
        // With its answer, the callback runs once the script has, and asks for the next one.
        let token = json!({
            "code": 200,
            "status": "OK",
            "headers": [["Content-Type", "application/json"]],
            "body": "{\"access_token\": \"t0k\"}",
        });
        let (captured, pending) = sending(source, vec![token.clone()]);
        assert_eq!(captured[2], ("token".to_owned(), "t0k".to_owned()));
        assert_eq!(
            captured[3],
            ("type".to_owned(), "application/json 200".to_owned())
        );
        assert_eq!(pending.len(), 1);
        assert_eq!(pending[0]["url"], "https://api.example/me");
        assert_eq!(pending[0]["method"], "GET");
        let me = json!({"code": 200, "status": "OK", "headers": [], "body": "me!"});
        let (captured, pending) = sending(source, vec![token, me]);
        assert_eq!(names(&captured), ["before", "after", "token", "type", "me"]);
        assert!(pending.is_empty());
        // A request that got no response gives its callback the error.
        let (captured, _) = sending(source, vec![json!({"error": "connection refused"})]);
        assert_eq!(
            captured[2],
            ("failed".to_owned(), "connection refused".to_owned())
        );
    }

    #[test]
    fn a_request_sent_without_a_callback_is_a_promise() {
        let source = r#"
            (async () => {
                const res = await pm.sendRequest("https://api.example/id");
                pm.collectionVariables.set("id", res.json().id);
            })();
        "#;
        let (captured, pending) = sending(source, Vec::new());
        assert!(captured.is_empty());
        assert_eq!(pending.len(), 1);
        let answer = json!({"code": 200, "status": "OK", "headers": [], "body": "{\"id\": 7}"});
        let (captured, pending) = sending(source, vec![answer]);
        assert_eq!(captured, [("id".to_owned(), "7".to_owned())]);
        assert!(pending.is_empty());
    }

    #[test]
    fn buffer_converts_as_node_does() {
        let source = r#"
            pm.environment.set("b64", Buffer.from("a:é").toString("base64"));
            pm.environment.set("back", Buffer.from("YTrDqQ==", "base64").toString());
            pm.environment.set("hex", Buffer.from("hi").toString("hex"));
            pm.environment.set("url", Buffer.from("\u00ff\u00fe", "latin1").toString("base64url"));
        "#;
        let (captured, result, _) = script(source, None, &[]);
        assert_eq!(result, Ok(()));
        let values: Vec<&str> = captured.iter().map(|(_, v)| v.as_str()).collect();
        assert_eq!(values, ["YTrDqQ==", "a:é", "6869", "__4"]);
    }

    #[test]
    fn crypto_js_lodash_and_the_legacy_globals_are_there() {
        let source = r#"
            const fox = "The quick brown fox jumps over the lazy dog";
            pm.environment.set("hmac256", CryptoJS.HmacSHA256(fox, "key").toString());
            pm.environment.set("hmac1", CryptoJS.enc.Base64.stringify(CryptoJS.HmacSHA1(fox, "key")));
            pm.environment.set("sha256", CryptoJS.SHA256("abc").toString(CryptoJS.enc.Hex));
            pm.environment.set("md5", require("crypto-js").MD5("").toString());
            pm.environment.set("utf8", CryptoJS.enc.Utf8.stringify(CryptoJS.enc.Base64.parse("w6k=")));
            const data = {a: {b: [{id: 1}, {id: 2, on: true}]}};
            pm.environment.set("lodash", [
                _.get(data, "a.b[1].id"), _.has(data, "a.b"), _.has(data, "a.c"),
                _.find(data.a.b, {on: true}).id, _.isEmpty({}), require("lodash").map(data.a.b, "id").join("+"),
            ].join(","));
            pm.environment.set("has", responseBody.has("ok") + "," + request.method);
        "#;
        let (captured, result, _) = script(source, Some(r#"{"ok": 1}"#), &[]);
        assert_eq!(result, Ok(()));
        let values: Vec<&str> = captured.iter().map(|(_, v)| v.as_str()).collect();
        assert_eq!(
            values,
            [
                "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
                "3nybhbi3iqa8ino29wqQcBydtNk=",
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                "d41d8cd98f00b204e9800998ecf8427e",
                "é",
                "2,true,false,2,true,1+2",
                "true,GET",
            ]
        );
    }

    #[test]
    fn a_script_may_await_at_its_top_level() {
        let source = r#"
            const res = await pm.sendRequest("https://api.example/id");
            pm.environment.set("id", res.json().id);
            throw new Error("after the answer");
        "#;
        let (captured, pending) = sending(source, Vec::new());
        assert!(captured.is_empty());
        assert_eq!(pending.len(), 1);
        let answer = json!({"code": 200, "status": "OK", "headers": [], "body": "{\"id\": 3}"});
        let written = Written::default();
        let base = variables(&[]);
        let mut run = Run::new(&written, &base, None);
        run.sent.sending = true;
        run.sent.answers = vec![vec![answer]];
        let result = super::run(&mut run, source);
        assert_eq!(run.captured, [("id".to_owned(), "3".to_owned())]);
        assert_eq!(
            result.unwrap_err().to_string(),
            "cannot build request: a script stopped the request: after the answer"
        );
    }

    /// The request `source` (a pre-request script) leaves: method and URL.
    fn retargeted(source: &str) -> Result<(String, String), BuildError> {
        let written = Written::default();
        let base = variables(&[("base", "https://other.example")]);
        let mut run = Run::new(&written, &base, None);
        run.operation = Some(OP);
        super::run(&mut run, source)?;
        let client = crate::Client::with_servers("main", &[("main", "https://api.example/v2")]);
        let mut builder = RequestBuilder::new(&client, "GET", "main")?;
        builder.segment(&[crate::Piece::Lit("users")]);
        builder.segment(&[crate::Piece::Param("7")]);
        builder.query("fields", "a");
        builder.apply(run.edits);
        let prepared = builder.finish()?;
        Ok((prepared.method.to_string(), prepared.url))
    }

    /// Scripts read the request as it was built before they ran, and Postman's SDK parses its
    /// query, as Twitter's OAuth 1.0 script does; a URL set from it retargets the request.
    #[test]
    fn scripts_read_the_built_url_its_query_and_its_auth() {
        let source = r#"
            const sdk = require('postman-collection');
            if (pm.request.auth && pm.request.auth.type === 'oauth1') {
                const params = sdk.QueryParam.parse(pm.request.url.getQueryString());
                pm.environment.set('base', pm.request.url.getOAuth1BaseUrl());
                pm.environment.set('keys', params.map(p => p.key + ':' + p.value).join(','));
                pm.environment.set('full', pm.request.url.toString());
                pm.environment.set('host', pm.request.url.getHost());
                pm.request.url = `${pm.request.url.getOAuth1BaseUrl()}?q=${encodeURIComponent('a b')}`;
            }
        "#;
        let written = Written::default();
        let base = variables(&[]);
        let mut run = Run::new(&written, &base, None);
        run.operation = Some(OP);
        run.request = Some(json!({
            "url": "HTTPS://API.example.com:8443/2/users/7",
            "query": [["q", "a b"], ["flag", ""]],
            "auth": "oauth1",
        }));
        super::run(&mut run, source).unwrap();
        let captured: Vec<(&str, &str)> = run
            .captured
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            captured,
            [
                ("base", "https://api.example.com:8443/2/users/7"),
                ("keys", "q:a b,flag:null"),
                ("full", "HTTPS://API.example.com:8443/2/users/7?q=a b&flag"),
                ("host", "API.example.com"),
            ]
        );
        let client = crate::Client::with_servers("main", &[("main", "https://api.example/v2")]);
        let mut builder = RequestBuilder::new(&client, "GET", "main").unwrap();
        builder.apply(run.edits);
        let prepared = builder.finish().unwrap();
        assert_eq!(
            prepared.url,
            "https://api.example.com:8443/2/users/7?q=a%20b"
        );
        // Without the request built (a test script), the URL is the path, and there is no auth.
        let (captured, ..) = script(
            "pm.environment.set('url', pm.request.url.toString() + (pm.request.auth ? '!' : ''));",
            Some("{}"),
            &[],
        );
        assert_eq!(captured, [("url".to_owned(), "/users/:id".to_owned())]);
    }

    /// One step per script, each run as written.
    fn as_written(sources: &[&'static str]) -> Vec<super::super::scripts::Step> {
        sources
            .iter()
            .map(|source| super::super::scripts::Step::Script {
                source,
                fallback: &[],
            })
            .collect()
    }

    #[test]
    fn the_scripts_of_a_run_edit_one_path() {
        let steps = as_written(&[
            "pm.request.url.path[1] = 'me';",
            "pm.request.url.path.push(pm.request.url.path[1] + 'x');",
        ]);
        let written = Written::default();
        let base = variables(&[]);
        let mut run = Run::new(&written, &base, None);
        run.operation = Some(OP);
        run.steps(&steps).expect("runs");
        let client = crate::Client::with_servers("main", &[("main", "https://api.example/v2")]);
        let mut builder = RequestBuilder::new(&client, "GET", "main").expect("builds");
        builder.segment(&[crate::Piece::Lit("users")]);
        builder.segment(&[crate::Piece::Param("7")]);
        builder.apply(run.edits);
        let prepared = builder.finish().expect("builds");
        assert_eq!(prepared.url, "https://api.example/v2/users/me/mex");
    }

    #[test]
    fn scripts_set_the_method_the_url_and_path_segments() {
        let segment = r#"
            const at = pm.request.url.path.indexOf(":id");
            pm.request.url.path[at] = "me too";
            pm.request.method = "post";
        "#;
        assert_eq!(
            retargeted(segment).unwrap(),
            (
                "POST".to_owned(),
                "https://api.example/v2/users/me%20too?fields=a".to_owned()
            )
        );
        let url = "pm.request.url = '{{base}}/people?name=' + encodeURIComponent('a b');";
        assert_eq!(
            retargeted(url).unwrap(),
            (
                "GET".to_owned(),
                "https://other.example/people?name=a%20b".to_owned()
            )
        );
        let untouched = "pm.request.method = 'GET'; pm.request.url.path.includes(':id');";
        assert_eq!(
            retargeted(untouched).unwrap().1,
            "https://api.example/v2/users/7?fields=a"
        );
        let relative = "pm.request.url = pm.request.url.toString() + '?b=1';";
        assert_eq!(
            retargeted(relative).unwrap().1,
            "https://api.example/v2/users/7?fields=a",
            "a URL without its server leaves the request as it is"
        );
        let longer = "pm.request.url.path.push('all');";
        assert_eq!(
            retargeted(longer).unwrap().1,
            "https://api.example/v2/users/7/all?fields=a"
        );
        let error = retargeted("pm.request.url.path[1] = '..';").unwrap_err();
        assert!(
            error.to_string().contains("would leave its place"),
            "{error}"
        );
        // A credential in the query of a URL a script set is redacted where it is shown.
        let written = Written::default();
        let base = variables(&[]);
        let mut run = Run::new(&written, &base, None);
        run.operation = Some(OP);
        super::run(
            &mut run,
            "pm.request.url = 'https://api.example/x?api_key=k1';",
        )
        .unwrap();
        let client = crate::Client::with_servers("main", &[("main", "https://api.example")]);
        let mut builder = RequestBuilder::new(&client, "GET", "main").unwrap();
        builder.apply(run.edits);
        let prepared = builder.finish().unwrap();
        assert_eq!(prepared.url, "https://api.example/x?api_key=k1");
        assert!(!prepared.to_curl().contains("k1"), "{}", prepared.to_curl());
    }

    #[test]
    fn the_scripts_of_a_run_share_their_globals_as_in_postman() {
        let steps = as_written(&[
            "utils = {greet: (n) => 'hi ' + n}; const local = 1;",
            "pm.environment.set('g', utils.greet('ada') + ' ' + typeof local);",
        ]);
        let written = Written::default();
        let base = variables(&[]);
        let mut run = Run::new(&written, &base, None);
        run.steps(&steps).expect("runs");
        assert_eq!(
            run.captured,
            [("g".to_owned(), "hi ada undefined".to_owned())]
        );
        // Another run starts from a fresh engine.
        let mut again = Run::new(&written, &base, None);
        again.steps(&steps[1..]).expect("runs");
        assert!(again.captured.is_empty(), "utils is not defined there");
    }

    #[test]
    fn moment_computes_dates_as_scripts_use_it() {
        let source = r#"
            const m = moment.utc("2024-01-31T10:05:09.007Z");
            pm.environment.set("dates", [
                m.format("YYYY-MM-DD HH:mm:ss.SSS"),
                m.add(1, "months").format("YYYY-MM-DD"),
                m.add(60, "days").format(),
                m.subtract(2, "h").format("h:mm A [at] X"),
                m.startOf("day").toISOString(),
                moment.utc("2024-03-01").diff(moment.utc("2024-01-31"), "days"),
                require("moment")().isAfter(m),
            ].join(" | "));
        "#;
        let (captured, result, _) = script(source, None, &[]);
        assert_eq!(result, Ok(()));
        assert_eq!(
            captured[0].1,
            "2024-01-31 10:05:09.007 | 2024-02-29 | 2024-03-31T10:05:09Z | 8:05 AM at \
             1706688309 | 2024-01-31T00:00:00.000Z | 30 | true"
        );
    }
}
