//! A mock of a collection's API, for testing code that uses its client without the real API
//! (feature `mock`).
//!
//! A generated client's `mock` module names [`MockServer`] for its own `Client`. The server
//! listens on 127.0.0.1 and answers every operation of the collection, matched by method and
//! path template, with the first 2xx example the collection saved for it (`200` with no body
//! when it saved none). A test changes that per operation with typed answers
//! ([`MockServer::on`]), reads what each operation received, typed
//! ([`MockServer::requests`]) or as it came ([`MockServer::received`]), and fails when a
//! request matched no operation: the message names the closest one.

use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::{Client, Operation, OperationId, RawResponse};

mod received;

pub use received::{Place, Received, Undecoded};

/// A piece of a path segment in a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    /// Literal text.
    Lit(&'static str),
    /// A path parameter, by its name in the collection (`userId`).
    Param(&'static str),
}

/// A response the collection saved for an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    /// Status code.
    pub status: u16,
    /// Headers as saved (framing headers left out).
    pub headers: &'static [(&'static str, &'static str)],
    /// Body text.
    pub body: &'static str,
}

/// How the mock recognizes an operation, and what the collection saved for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    /// The operation.
    pub id: OperationId,
    /// Key of the server the operation's requests go to.
    pub server: &'static str,
    /// Path segments after the server's base URL.
    pub segments: &'static [&'static [Piece]],
    /// Saved responses: the first of each status, in order of status.
    pub examples: &'static [Example],
}

/// An operation the mock can answer: generated for each operation's `Request`.
pub trait Mocked: Operation {
    /// How the mock recognizes the operation.
    const ROUTE: &'static Route;

    /// The response that decodes into `success`.
    fn success(success: Self::Success) -> Reply;

    /// The response that decodes into `error`.
    fn error(error: Self::Error) -> Reply;

    /// A request the mock received, read back into the operation's `Request`.
    fn request(received: &Received) -> Result<Self, Undecoded>
    where
        Self: Sized;
}

/// A collection's client, as the mock makes it: generated for each collection's `Client`.
pub trait MockedApi: AsRef<Client> + Sized {
    /// Every operation of the collection.
    const ROUTES: &'static [&'static Route];

    /// The collection's client (`Client::new()`) with `configure` applied to its runtime client.
    fn configured(configure: impl FnOnce(Client) -> Client) -> Self;
}

/// A response the mock sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    /// A response with `status` and no body.
    pub fn new(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// A response with `status` and `value` as its JSON body.
    pub fn json<T: serde::Serialize + ?Sized>(status: u16, value: &T) -> Self {
        // Serializing a generated type only fails for maps with non-text keys, which they
        // never hold; `null` stands in should it happen.
        let body = serde_json::to_vec(value).unwrap_or_else(|_| b"null".to_vec());
        Self::new(status)
            .header("content-type", "application/json")
            .body(body)
    }

    /// A response with `status` and `text` as its body.
    pub fn text(status: u16, text: impl Into<String>) -> Self {
        Self::new(status)
            .header("content-type", "text/plain; charset=utf-8")
            .body(text.into().into_bytes())
    }

    /// A response as it came: status, headers and body.
    pub fn raw(response: RawResponse) -> Self {
        let headers = response
            .headers
            .iter()
            .filter_map(|(name, value)| Some((name.to_string(), value.to_str().ok()?.to_owned())))
            .collect();
        Self {
            status: response.status.as_u16(),
            headers,
            body: response.body,
        }
    }

    /// A saved example as a response. A redirect leaves out its `Location`, so that the client
    /// stays on the mock rather than follow it to the real API.
    pub fn example(example: &Example) -> Self {
        let mut reply = Self::new(example.status).body(example.body.as_bytes().to_vec());
        let redirect = (300..400).contains(&example.status);
        for (name, value) in example.headers {
            if !(redirect && name.eq_ignore_ascii_case("location")) {
                reply = reply.header(*name, *value);
            }
        }
        reply
    }

    /// The response with one more header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The response with this body.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// The status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response for wiremock; headers that are not valid HTTP are left out.
    fn template(&self) -> wiremock::ResponseTemplate {
        let mut template = wiremock::ResponseTemplate::new(self.status);
        for (name, value) in &self.headers {
            let name = http::HeaderName::from_bytes(name.trim().as_bytes());
            let value = http::HeaderValue::from_str(value.trim());
            if let (Ok(name), Ok(value)) = (name, value) {
                template = template.append_header(name, value);
            }
        }
        template.set_body_bytes(self.body.clone())
    }
}

/// What went wrong setting up an answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MockError {
    /// The collection saved no response with this status for the operation.
    #[error("{operation} has no saved example with status {status} (saved: {saved:?})")]
    NoExample {
        /// The operation.
        operation: OperationId,
        /// The status asked for.
        status: u16,
        /// The statuses it has examples of.
        saved: Vec<u16>,
    },
}

/// A condition a stubbed answer holds under.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Condition {
    PathParam(String, String),
    Query(String, String),
    Header(String, String),
    BodyField(String, String),
}

impl Condition {
    fn holds(&self, request: &Received) -> bool {
        match self {
            Self::PathParam(name, value) => request.path_param(name) == Some(value.as_str()),
            Self::Query(key, value) => request.query_all(key).contains(&value.as_str()),
            Self::Header(name, value) => request.header(name) == Some(value.as_str()),
            Self::BodyField(name, value) => request.body_field(name).as_deref() == Some(value),
        }
    }
}

/// A stubbed answer: the newest stub whose operation and conditions match answers.
#[derive(Debug)]
struct Stubbed {
    operation: &'static str,
    conditions: Vec<Condition>,
    reply: Reply,
}

/// What the server shares with its request handler.
#[derive(Debug)]
struct State {
    routes: &'static [&'static Route],
    /// Path prefix of each server key (empty with one server).
    prefixes: Vec<(&'static str, String)>,
    stubs: Mutex<Vec<Stubbed>>,
    /// Each request with the operations it matched.
    received: Mutex<Vec<(Vec<&'static str>, Received)>>,
    unmatched: Mutex<Vec<String>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A mock of the API of the collection whose client is `C`, listening on 127.0.0.1.
///
/// Dropping it fails the test (panics) when a request matched no operation and
/// [`MockServer::take_unmatched`] did not take it.
pub struct MockServer<C> {
    server: wiremock::MockServer,
    state: Arc<State>,
    client: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for MockServer<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("uri", &self.server.uri())
            .finish_non_exhaustive()
    }
}

impl<C: MockedApi> MockServer<C> {
    /// Starts a server on 127.0.0.1 that answers every operation with its first saved 2xx
    /// example.
    pub async fn start() -> Self {
        let routes = C::ROUTES;
        let mut servers: Vec<&'static str> = routes.iter().map(|r| r.server).collect();
        servers.sort_unstable();
        servers.dedup();
        // With several servers, each gets a path of its own, so that routes alike on two
        // servers stay apart.
        let prefixes = match servers.len() {
            1 => vec![(servers[0], String::new())],
            _ => servers
                .iter()
                .enumerate()
                .map(|(i, key)| (*key, format!("/server-{i}")))
                .collect(),
        };
        let state = Arc::new(State {
            routes,
            prefixes,
            stubs: Mutex::default(),
            received: Mutex::default(),
            unmatched: Mutex::default(),
        });
        let server = wiremock::MockServer::builder()
            .disable_request_recording()
            .start()
            .await;
        wiremock::Mock::given(wiremock::matchers::any())
            .respond_with(Dispatch(state.clone()))
            .mount(&server)
            .await;
        Self {
            server,
            state,
            client: PhantomData,
        }
    }

    /// The collection's client with every server pointed at this mock, and the bearer token
    /// `mock-token`, so that operations whose collection fetches OAuth 2.0 tokens do not reach
    /// for its token endpoint (set another with `with_bearer_token`).
    pub fn client(&self) -> C {
        let bases: Vec<(&str, String)> = self
            .state
            .prefixes
            .iter()
            .map(|(key, prefix)| (*key, format!("{}{prefix}", self.server.uri())))
            .collect();
        C::configured(|client| {
            let mut client = client.with_bearer_token("mock-token");
            for (key, base) in bases {
                client = client.with_server(key, base);
            }
            client
        })
    }

    /// Answers operation `O` differently from its first saved 2xx example, for requests that
    /// meet the conditions set on the stub. The newest stub that matches answers (a stub of an
    /// operation on the same method and path answers for both).
    pub fn on<O: Mocked<Client = C>>(&self) -> Stub<'_, C, O> {
        Stub {
            server: self,
            conditions: Vec::new(),
            operation: PhantomData,
        }
    }

    /// The requests operation `O` received, in order (with those of operations on the same
    /// method and path, which the mock cannot tell apart).
    pub fn received<O: Mocked<Client = C>>(&self) -> Vec<Received> {
        lock(&self.state.received)
            .iter()
            .filter(|(names, _)| names.contains(&O::ROUTE.id.name))
            .map(|(_, request)| request.clone())
            .collect()
    }

    /// The requests operation `O` received, each read back into its `Request`: what the code
    /// under test built, typed. Fields the client filled from the collection's variables come
    /// back set. Fails on the first request that does not read, saying why.
    pub fn requests<O: Mocked<Client = C>>(&self) -> Result<Vec<O>, Undecoded> {
        self.received::<O>().iter().map(O::request).collect()
    }
}

impl<C> MockServer<C> {
    /// The server's base URL (`http://127.0.0.1:port`).
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The requests that matched no operation (one message each, naming the closest
    /// operation), which then no longer fail the test.
    pub fn take_unmatched(&self) -> Vec<String> {
        std::mem::take(&mut *lock(&self.state.unmatched))
    }
}

impl<C> Drop for MockServer<C> {
    fn drop(&mut self) {
        let unmatched = self.take_unmatched();
        if !unmatched.is_empty() && !std::thread::panicking() {
            panic!(
                "the mock received {} request(s) that match no operation:\n{}",
                unmatched.len(),
                unmatched.join("\n")
            );
        }
    }
}

/// An answer being set up for operation `O`; see [`MockServer::on`].
#[must_use = "a stub answers only once `reply`, `fail`, `example` or `respond` is called"]
pub struct Stub<'a, C, O> {
    server: &'a MockServer<C>,
    conditions: Vec<Condition>,
    operation: PhantomData<fn() -> O>,
}

impl<C, O: Mocked> Stub<'_, C, O> {
    /// Only for requests whose path parameter `name` (as the collection names it) is `value`.
    pub fn path_param(mut self, name: &str, value: impl Into<String>) -> Self {
        let condition = Condition::PathParam(name.to_owned(), value.into());
        self.conditions.push(condition);
        self
    }

    /// Only for requests whose query holds `key=value`.
    pub fn query(mut self, key: &str, value: impl Into<String>) -> Self {
        self.conditions
            .push(Condition::Query(key.to_owned(), value.into()));
        self
    }

    /// Only for requests with header `name: value`.
    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.conditions
            .push(Condition::Header(name.to_owned(), value.into()));
        self
    }

    /// Only for requests whose body field `name` (JSON, form or multipart; see
    /// [`Received::body_field`]) is `value`.
    pub fn body_field(mut self, name: &str, value: impl Into<String>) -> Self {
        self.conditions
            .push(Condition::BodyField(name.to_owned(), value.into()));
        self
    }

    /// Answers with the response that decodes into `success`.
    pub fn reply(self, success: O::Success) {
        self.respond(O::success(success));
    }

    /// Answers with the response that decodes into `error`.
    pub fn fail(self, error: O::Error) {
        self.respond(O::error(error));
    }

    /// Answers with the collection's saved example of `status`.
    pub fn example(self, status: u16) -> Result<(), MockError> {
        let route = O::ROUTE;
        match route.examples.iter().find(|e| e.status == status) {
            Some(example) => {
                self.respond(Reply::example(example));
                Ok(())
            }
            None => Err(MockError::NoExample {
                operation: route.id,
                status,
                saved: route.examples.iter().map(|e| e.status).collect(),
            }),
        }
    }

    /// Answers with `reply`, whatever it holds.
    pub fn respond(self, reply: Reply) {
        lock(&self.server.state.stubs).push(Stubbed {
            operation: O::ROUTE.id.name,
            conditions: self.conditions,
            reply,
        });
    }
}

/// The server's one handler: routes each request to its operation.
struct Dispatch(Arc<State>);

impl wiremock::Respond for Dispatch {
    fn respond(&self, request: &wiremock::Request) -> wiremock::ResponseTemplate {
        let state = &self.0;
        let path = request.url.path();
        let Some(matched) = state.route(request.method.as_str(), path) else {
            let message = state.unmatched_message(request.method.as_str(), path);
            lock(&state.unmatched).push(message.clone());
            return wiremock::ResponseTemplate::new(404).set_body_string(message);
        };
        let names: Vec<&'static str> = matched.routes.iter().map(|r| r.id.name).collect();
        let received = Received::new(request, matched.params);
        let stubbed = lock(&state.stubs)
            .iter()
            .rev()
            .find(|stub| {
                names.contains(&stub.operation)
                    && stub.conditions.iter().all(|c| c.holds(&received))
            })
            .map(|stub| stub.reply.template());
        lock(&state.received).push((names, received));
        stubbed.unwrap_or_else(|| default_reply(matched.routes[0]).template())
    }
}

/// The routes a request matched, and its path parameters.
struct Matched {
    routes: Vec<&'static Route>,
    params: Vec<(String, String)>,
}

/// The first saved 2xx example of `route`, else `200` with no body.
fn default_reply(route: &Route) -> Reply {
    route
        .examples
        .iter()
        .find(|e| (200..300).contains(&e.status))
        .map_or_else(|| Reply::new(200), Reply::example)
}

impl State {
    /// The routes a request matches best, with its path parameters: of those whose method and
    /// path match, the ones with the fewest parameters (a literal segment wins). Operations on
    /// the same method and path (examples of one endpoint) match together, the first leading.
    fn route(&self, method: &str, path: &str) -> Option<Matched> {
        let mut best: Option<Matched> = None;
        for route in self.routes {
            if !route.id.method.eq_ignore_ascii_case(method) {
                continue;
            }
            let Some(params) = self.match_path(route, path) else {
                continue;
            };
            match &mut best {
                Some(matched) if params.len() == matched.params.len() => {
                    matched.routes.push(route);
                }
                Some(matched) if params.len() > matched.params.len() => {}
                _ => {
                    best = Some(Matched {
                        routes: vec![route],
                        params,
                    });
                }
            }
        }
        best
    }

    /// The path parameters of `path` on `route`: segment by segment, empty ones kept (an
    /// empty parameter leaves one), else with empty segments left out on both sides.
    fn match_path(&self, route: &Route, path: &str) -> Option<Vec<(String, String)>> {
        let prefix = self
            .prefixes
            .iter()
            .find(|(key, _)| *key == route.server)
            .map_or("", |(_, prefix)| prefix.as_str());
        let rest = path.strip_prefix(prefix)?;
        if !(rest.is_empty() || rest.starts_with('/')) {
            return None;
        }
        let strict = segments(rest, true);
        let written: Vec<&[Piece]> = route.segments.to_vec();
        if let Some(params) = match_segments(&strict, &written) {
            return Some(params);
        }
        let lenient = segments(rest, false);
        let written: Vec<&[Piece]> = written
            .into_iter()
            .filter(|s| !s.iter().all(|p| matches!(p, Piece::Lit(""))))
            .collect();
        match_segments(&lenient, &written)
    }

    /// Says that no operation matches, and which one comes closest.
    fn unmatched_message(&self, method: &str, path: &str) -> String {
        let wanted = segments(path, false);
        let closest = self
            .routes
            .iter()
            .enumerate()
            .max_by_key(|(i, route)| (likeness(route, method, &wanted), std::cmp::Reverse(*i)))
            .map(|(_, route)| route.id);
        match closest {
            Some(id) => format!("no operation matches {method} {path}; the closest is {id}"),
            None => format!("no operation matches {method} {path}; the collection has none"),
        }
    }
}

/// A path's segments after its leading `/`, percent-decoded; empty ones only when `empty`.
fn segments(path: &str, empty: bool) -> Vec<String> {
    let path = path.strip_prefix('/').unwrap_or(path);
    if path.is_empty() {
        return Vec::new();
    }
    path.split('/')
        .filter(|s| empty || !s.is_empty())
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect()
}

/// Matches segments against a route's, giving the parameters' values.
fn match_segments(segments: &[String], written: &[&[Piece]]) -> Option<Vec<(String, String)>> {
    if segments.len() != written.len() {
        return None;
    }
    let mut params = Vec::new();
    for (segment, pieces) in segments.iter().zip(written) {
        match_segment(segment, pieces, &mut params)?;
    }
    Some(params)
}

/// Matches one segment against its pieces, pushing the parameters' values.
fn match_segment(
    segment: &str,
    pieces: &[Piece],
    params: &mut Vec<(String, String)>,
) -> Option<()> {
    match pieces.split_first() {
        None => segment.is_empty().then_some(()),
        Some((Piece::Lit(text), rest)) => match_segment(segment.strip_prefix(text)?, rest, params),
        Some((Piece::Param(name), rest)) => {
            // A parameter takes the shortest text after which the rest matches.
            for end in (0..=segment.len()).filter(|&i| segment.is_char_boundary(i)) {
                let mut tail = Vec::new();
                if match_segment(&segment[end..], rest, &mut tail).is_some() {
                    params.push(((*name).to_owned(), segment[..end].to_owned()));
                    params.extend(tail);
                    return Some(());
                }
            }
            None
        }
    }
}

/// How alike a request is to a route: same segment count, then matching segments, then
/// method.
fn likeness(route: &Route, method: &str, wanted: &[String]) -> (bool, usize, bool) {
    let written: Vec<&[Piece]> = route.segments.to_vec();
    let alike = wanted
        .iter()
        .zip(&written)
        .filter(|(segment, pieces)| match_segment(segment, pieces, &mut Vec::new()).is_some())
        .count();
    (
        written.len() == wanted.len(),
        alike,
        route.id.method.eq_ignore_ascii_case(method),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn route(
        name: &'static str,
        server: &'static str,
        segments: &'static [&'static [Piece]],
    ) -> Route {
        Route {
            id: OperationId {
                name,
                method: "GET",
                path: "",
            },
            server,
            segments,
            examples: &[],
        }
    }

    static ME: Route = route("me", "a", &[&[Piece::Lit("users")], &[Piece::Lit("me")]]);
    static USER: Route = route(
        "user",
        "a",
        &[&[Piece::Lit("users")], &[Piece::Param("id")]],
    );
    static USER_AGAIN: Route = route(
        "user_again",
        "a",
        &[&[Piece::Lit("users")], &[Piece::Param("id")]],
    );
    static ON_B: Route = route(
        "on_b",
        "b",
        &[&[Piece::Lit("users")], &[Piece::Param("id")]],
    );

    static ROUTES: [&Route; 4] = [&ME, &USER, &USER_AGAIN, &ON_B];

    fn state(prefixes: &[(&'static str, &str)]) -> State {
        State {
            routes: &ROUTES,
            prefixes: prefixes
                .iter()
                .map(|(k, p)| (*k, (*p).to_owned()))
                .collect(),
            stubs: Mutex::default(),
            received: Mutex::default(),
            unmatched: Mutex::default(),
        }
    }

    fn names(state: &State, path: &str) -> Vec<&'static str> {
        let matched = state.route("GET", path);
        matched.map_or_else(Vec::new, |m| m.routes.iter().map(|r| r.id.name).collect())
    }

    #[test]
    fn requests_go_to_the_most_literal_route_and_alike_routes_together() {
        let state = state(&[("a", "/server-0"), ("b", "/server-1")]);
        assert_eq!(names(&state, "/server-0/users/me"), ["me"]);
        assert_eq!(names(&state, "/server-0/users/7"), ["user", "user_again"]);
        let matched = state.route("GET", "/server-0/users/7").unwrap();
        assert_eq!(matched.params, [("id".to_owned(), "7".to_owned())]);
        assert_eq!(names(&state, "/server-1/users/7"), ["on_b"]);
        assert!(
            names(&state, "/server-10/users/7").is_empty(),
            "a prefix is a whole segment"
        );
        assert!(names(&state, "/server-0/users/7/x").is_empty());
    }

    #[test]
    fn an_empty_parameter_leaves_an_empty_segment() {
        let state = state(&[("a", ""), ("b", "/server-1")]);
        let matched = state.route("GET", "/users/").unwrap();
        assert_eq!(matched.params, [("id".to_owned(), String::new())]);
        assert!(
            state.route("POST", "/users/7").is_none(),
            "the method counts"
        );
        let message = state.unmatched_message("GET", "/user/7");
        assert!(message.contains("the closest is user (GET )"), "{message}");
    }

    #[test]
    fn a_saved_redirect_stays_on_the_mock() {
        let example = Example {
            status: 302,
            headers: &[
                ("Location", "https://api.example.com/elsewhere"),
                ("X-Id", "1"),
            ],
            body: "",
        };
        let reply = Reply::example(&example);
        assert_eq!(reply.headers, [("X-Id".to_owned(), "1".to_owned())]);
    }

    #[test]
    fn segments_match_literals_and_parameters() {
        let mut params = Vec::new();
        let pieces = [
            Piece::Lit("v"),
            Piece::Param("version"),
            Piece::Lit(".json"),
        ];
        assert!(match_segment("v2.json", &pieces, &mut params).is_some());
        assert_eq!(params, [("version".to_owned(), "2".to_owned())]);
        assert!(match_segment("v2.xml", &pieces, &mut Vec::new()).is_none());
        assert!(match_segment("users", &[Piece::Lit("user")], &mut Vec::new()).is_none());
    }
}
