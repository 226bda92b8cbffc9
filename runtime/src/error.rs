use std::fmt;

use super::{JsonError, OperationId, RawResponse, TokenError};

/// A request could not be built: a missing server, an invalid header value, ...
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot build request: {message}")]
pub struct BuildError {
    message: String,
}

impl BuildError {
    /// A build error with this message.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

/// Everything an operation can fail with; `E` is the operation's own error enum.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The server answered with an error status, documented or not.
    Api(Box<ApiError<E>>),
    /// A response body did not fit the type the collection's examples describe.
    Decode(Box<DecodeError>),
    /// The request could not be built.
    Build(BuildError),
    /// The request could not be sent or the response not read.
    Transport(Box<TransportError>),
    /// No OAuth 2.0 access token could be had for the request.
    Token(TokenError),
}

impl Error<std::convert::Infallible> {
    /// The same failure as an error of any operation (it holds no operation's error).
    pub fn widen<E>(self) -> Error<E> {
        match self {
            Self::Api(api) => match api.error {},
            Self::Decode(e) => Error::Decode(e),
            Self::Build(e) => Error::Build(e),
            Self::Transport(e) => Error::Transport(e),
            Self::Token(e) => Error::Token(e),
        }
    }
}

impl<E> Error<E> {
    /// The status of the response, when there was one.
    pub fn status(&self) -> Option<http::StatusCode> {
        self.response().map(|r| r.status)
    }

    /// The response as it came, when there was one.
    pub fn response(&self) -> Option<&RawResponse> {
        match self {
            Self::Api(e) => Some(&e.response),
            Self::Decode(e) => Some(&e.response),
            Self::Build(_) | Self::Transport(_) | Self::Token(_) => None,
        }
    }

    /// The operation that failed, when it got as far as sending.
    pub fn operation(&self) -> Option<OperationId> {
        match self {
            Self::Api(e) => Some(e.operation),
            Self::Decode(e) => Some(e.operation),
            Self::Transport(e) => Some(e.operation),
            Self::Build(_) | Self::Token(_) => None,
        }
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Api(e) => e.fmt(f),
            Self::Decode(e) => e.fmt(f),
            Self::Build(e) => e.fmt(f),
            Self::Transport(e) => e.fmt(f),
            Self::Token(e) => e.fmt(f),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Transport(e) => Some(&e.source),
            Self::Token(e) => Some(e),
            Self::Api(_) | Self::Decode(_) | Self::Build(_) => None,
        }
    }
}

impl<E> From<BuildError> for Error<E> {
    fn from(error: BuildError) -> Self {
        Self::Build(error)
    }
}

impl<E> From<Box<DecodeError>> for Error<E> {
    fn from(error: Box<DecodeError>) -> Self {
        Self::Decode(error)
    }
}

/// Longest body excerpt in error messages, in characters.
const EXCERPT: usize = 200;

/// The start of a body for messages: one line, at most [`EXCERPT`] characters.
pub(super) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return "(empty body)".to_owned();
    }
    match text.char_indices().nth(EXCERPT) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text,
    }
}

/// An error status: the operation's typed error beside the response as it came.
#[derive(Debug, Clone)]
pub struct ApiError<E> {
    pub(super) operation: OperationId,
    pub(super) response: RawResponse,
    pub(super) error: E,
}

impl<E> ApiError<E> {
    /// The operation that failed.
    pub fn operation(&self) -> OperationId {
        self.operation
    }

    /// Status code.
    pub fn status(&self) -> http::StatusCode {
        self.response.status
    }

    /// The response as it came: status, headers and body.
    pub fn response(&self) -> &RawResponse {
        &self.response
    }

    /// The documented error this status maps to, typed from the collection's examples.
    pub fn error(&self) -> &E {
        &self.error
    }

    /// The typed error, dropping the response.
    pub fn into_error(self) -> E {
        self.error
    }
}

impl<E> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.operation,
            self.response.status,
            excerpt(&self.response.body)
        )
    }
}

impl<E: fmt::Debug> std::error::Error for ApiError<E> {}

/// A response body that does not fit its type; the response is kept.
#[derive(Debug, Clone)]
pub struct DecodeError {
    pub(super) operation: OperationId,
    pub(super) response: RawResponse,
    pub(super) error: JsonError,
}

impl DecodeError {
    /// The operation whose response did not decode.
    pub fn operation(&self) -> OperationId {
        self.operation
    }

    /// Status code.
    pub fn status(&self) -> http::StatusCode {
        self.response.status
    }

    /// The response as it came.
    pub fn response(&self) -> &RawResponse {
        &self.response
    }

    /// Where decoding failed (`$.report.user.email`) and why.
    pub fn json_error(&self) -> &JsonError {
        &self.error
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: the {} response does not decode at {}; body: {}",
            self.operation,
            self.response.status,
            self.error,
            excerpt(&self.response.body)
        )
    }
}

impl std::error::Error for DecodeError {}

/// The request could not be sent or its response not read. The URL, which may hold
/// credentials, is removed from the underlying error.
#[derive(Debug)]
pub struct TransportError {
    pub(super) operation: OperationId,
    pub(super) source: reqwest::Error,
}

impl TransportError {
    /// The operation that failed.
    pub fn operation(&self) -> OperationId {
        self.operation
    }

    /// Whether the request timed out.
    pub fn is_timeout(&self) -> bool {
        self.source.is_timeout()
    }

    /// Whether the connection could not be made.
    pub fn is_connect(&self) -> bool {
        self.source.is_connect()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: the request could not be sent or its response not read",
            self.operation
        )
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OP: OperationId = OperationId {
        name: "users::get_user",
        method: "GET",
        path: "/users/:id",
    };

    fn raw(status: u16, body: &str) -> RawResponse {
        RawResponse {
            status: http::StatusCode::from_u16(status).unwrap(),
            headers: http::HeaderMap::new(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn excerpt_is_one_short_line() {
        assert_eq!(excerpt(b""), "(empty body)");
        assert_eq!(excerpt(b" \n\t "), "(empty body)");
        assert_eq!(excerpt(b"{\n  \"a\":\t1\r\n}"), "{ \"a\": 1 }");
        assert_eq!(excerpt(b"bad \xff byte"), "bad \u{fffd} byte");
        let exact = "é".repeat(EXCERPT);
        assert_eq!(excerpt(exact.as_bytes()), exact);
        let long = "é".repeat(EXCERPT + 1);
        assert_eq!(excerpt(long.as_bytes()), format!("{exact}..."));
    }

    #[test]
    fn api_error_shows_operation_status_and_body() {
        let Err(error) = raw(404, "no such\nuser").fail::<(), _>(OP, "NotFound") else {
            panic!("an error");
        };
        assert_eq!(
            error.to_string(),
            "users::get_user (GET /users/:id): 404 Not Found: no such user"
        );
        assert_eq!(error.status(), Some(http::StatusCode::NOT_FOUND));
        assert_eq!(error.operation(), Some(OP));
        assert_eq!(error.response().unwrap().text(), "no such\nuser");
        assert!(std::error::Error::source(&error).is_none());
        let Error::Api(api) = error else {
            panic!("an API error");
        };
        assert_eq!(api.status(), http::StatusCode::NOT_FOUND);
        assert_eq!(api.operation(), OP);
        assert_eq!(*api.error(), "NotFound");
        assert_eq!(api.into_error(), "NotFound");
    }

    #[test]
    fn decode_error_shows_where_the_body_did_not_fit() {
        let decode = raw(200, r#"{"id": "x"}"#)
            .json::<std::collections::BTreeMap<String, u32>>(OP)
            .unwrap_err();
        assert_eq!(decode.json_error().path, "$.id");
        assert_eq!(decode.operation(), OP);
        assert_eq!(decode.status(), http::StatusCode::OK);
        let error: Error<()> = decode.into();
        assert_eq!(
            error.to_string(),
            "users::get_user (GET /users/:id): the 200 OK response does not decode at \
             $.id: invalid type: string \"x\", expected u32; body: {\"id\": \"x\"}"
        );
        assert_eq!(error.status(), Some(http::StatusCode::OK));
        assert_eq!(error.response().unwrap().body, br#"{"id": "x"}"#);
    }

    #[test]
    fn build_and_token_errors_have_no_response() {
        let error: Error<()> = BuildError::new("no base URL").into();
        assert_eq!(error.to_string(), "cannot build request: no base URL");
        assert!(matches!(&error, Error::Build(e) if *e == BuildError::new("no base URL")));
        assert_eq!(error.status(), None);
        assert_eq!(error.operation(), None);
        assert!(error.response().is_none());

        let cause = std::io::Error::other("refused");
        let error: Error<()> = Error::Token(TokenError::new("no token").with_source(cause));
        assert_eq!(error.to_string(), "no token");
        assert_eq!(error.operation(), None);
        let source = std::error::Error::source(&error).unwrap();
        assert_eq!(source.to_string(), "no token");
        assert_eq!(source.source().unwrap().to_string(), "refused");
    }

    #[test]
    fn widen_keeps_the_failure() {
        let narrow: Error<std::convert::Infallible> = BuildError::new("x").into();
        let wide: Error<String> = narrow.widen();
        assert!(matches!(wide, Error::Build(_)));
        let narrow: Error<std::convert::Infallible> = Error::Token(TokenError::new("t"));
        assert_eq!(narrow.widen::<u8>().to_string(), "t");
    }

    #[test]
    fn transport_error_names_the_operation() {
        // A request that fails before anything is sent still gives a `reqwest::Error`.
        let source = reqwest::Client::new()
            .get("https://user:pass@host.example/?api_key=k")
            .header("bad\nname", "v")
            .build()
            .unwrap_err();
        let error: Error<()> = Error::Transport(Box::new(TransportError {
            operation: OP,
            source,
        }));
        assert_eq!(
            error.to_string(),
            "users::get_user (GET /users/:id): the request could not be sent or its response not read"
        );
        assert_eq!(error.operation(), Some(OP));
        assert_eq!(error.status(), None);
        let Error::Transport(transport) = &error else {
            panic!("a transport error");
        };
        assert!(!transport.is_timeout());
        assert!(!transport.is_connect());
        assert!(std::error::Error::source(&error).is_some());
    }
}
