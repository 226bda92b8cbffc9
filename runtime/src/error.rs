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
