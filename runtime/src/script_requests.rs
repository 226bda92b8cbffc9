//! Requests that scripts send (`pm.sendRequest`), with the `js` feature. The engine does no
//! I/O: a run of an operation's steps stops at a script that sent requests without answers;
//! the client sends them through its HTTP client and runs the steps again, from the same
//! variables, with the answers, until no script asks for more. Only the last run's writes are
//! kept. So each callback runs with its response once its script has run, as in Postman.

use serde_json::{json, Value as Json};

use super::scripts::{RequestEdits, Run, Step, Written};
use super::{BuildError, Client, OperationId, RawResponse};

/// Rounds of sending one run of steps may take. A round sends what the scripts asked for
/// since the last: the requests of a script's body, those its callbacks send in turn, each
/// `await pm.sendRequest(...)` in sequence, the next script's.
const MAX_ROUNDS: usize = 32;

/// Requests one run of steps may send.
const MAX_REQUESTS: usize = 64;

/// What a run of steps that sent requests came to.
pub(super) struct Finished {
    /// Whether a guard stopped it.
    pub(super) result: Result<(), BuildError>,
    /// The request edits of pre-request steps.
    pub(super) edits: RequestEdits,
    /// The variables set (name, value), in order.
    pub(super) captured: Vec<(String, String)>,
}

/// Whether `steps` run a script in the engine, which may send requests.
pub(super) fn may_send(steps: &[Step]) -> bool {
    steps.iter().any(|step| match step {
        Step::Script { .. } => true,
        Step::If {
            then, otherwise, ..
        } => may_send(then) || may_send(otherwise),
        _ => false,
    })
}

impl Client {
    /// Runs `steps` (on `response` for test steps), sending the requests their scripts send,
    /// and keeps what the last run wrote.
    pub(super) async fn run_sending(
        &self,
        operation: OperationId,
        steps: &[Step],
        response: Option<&RawResponse>,
        view: &(dyn Fn() -> Json + Sync),
    ) -> Finished {
        let variables = &self.script_variables();
        let written: &Written = &self.written;
        let mut answers: Vec<Vec<Json>> = Vec::new();
        let mut sent = 0;
        let mut round = 0;
        // Every round draws the numbers the first drew.
        let seed = self.script_seed();
        loop {
            let scratch = written.scratch();
            let (finished, pending) = {
                let mut run = Run::new(&scratch, variables, response);
                run.operation = Some(operation);
                run.seeded(seed);
                run.view_request(steps, view);
                run.sent.sending = round < MAX_ROUNDS && sent < MAX_REQUESTS;
                run.sent.answers.clone_from(&answers);
                let result = run.steps(steps);
                let pending = std::mem::take(&mut run.sent.pending);
                let finished = Finished {
                    result,
                    edits: run.edits,
                    captured: run.captured,
                };
                (finished, pending)
            };
            if pending.is_empty() || finished.result.is_err() {
                written.commit(scratch);
                return finished;
            }
            for (script, request) in pending.into_iter().take(MAX_REQUESTS - sent) {
                if answers.len() <= script {
                    answers.resize_with(script + 1, Vec::new);
                }
                answers[script].push(self.answer(&request).await);
                sent += 1;
            }
            round += 1;
        }
    }

    /// Sends a request a script sent (`{method, url, headers, body}`) as it is, without the
    /// client's default headers or credentials, as Postman does: the response as
    /// `{code, status, headers, body}`, or `{error}` when none came.
    async fn answer(&self, request: &Json) -> Json {
        let text = |key: &str| request[key].as_str().unwrap_or_default();
        let Ok(method) = reqwest::Method::from_bytes(text("method").as_bytes()) else {
            return json!({"error": format!("`{}` is not an HTTP method", text("method"))});
        };
        let mut builder = self.http.request(method, text("url"));
        for pair in request["headers"].as_array().into_iter().flatten() {
            if let (Some(name), Some(value)) = (pair[0].as_str(), pair[1].as_str()) {
                builder = builder.header(name, value);
            }
        }
        if let Some(body) = request["body"].as_str() {
            builder = builder.body(body.to_owned());
        }
        if let Some(timeout) = self.timeout {
            builder = builder.timeout(timeout);
        }
        let response = match builder.send().await {
            Ok(response) => response,
            Err(error) => return json!({"error": error.to_string()}),
        };
        let (status, headers) = (response.status(), response.headers().clone());
        match response.bytes().await {
            Ok(body) => super::sandbox::response_json(status, &headers, &body),
            Err(error) => json!({"error": error.to_string()}),
        }
    }
}
