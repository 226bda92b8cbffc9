use super::decode::parse_json;
use super::{decode_json, ApiError, DecodeError, Error, JsonError, OperationId};

/// A decoded response with the status and headers it came with.
#[derive(Debug, Clone, PartialEq)]
pub struct Response<T> {
    status: http::StatusCode,
    headers: http::HeaderMap,
    value: T,
}

impl<T> Response<T> {
    /// A response holding `value`.
    pub fn new(status: http::StatusCode, headers: http::HeaderMap, value: T) -> Self {
        Self {
            status,
            headers,
            value,
        }
    }

    /// Status code.
    pub fn status(&self) -> http::StatusCode {
        self.status
    }

    /// Response headers (`Location`, `ETag`, rate limits, pagination `Link`, ...).
    pub fn headers(&self) -> &http::HeaderMap {
        &self.headers
    }

    /// The decoded value.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The decoded value, dropping status and headers.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// Status, headers and value.
    pub fn into_parts(self) -> (http::StatusCode, http::HeaderMap, T) {
        (self.status, self.headers, self.value)
    }
}

/// A response kept as it came: status, headers and body.
#[derive(Debug, Clone, PartialEq)]
pub struct RawResponse {
    /// Status code.
    pub status: http::StatusCode,
    /// Response headers.
    pub headers: http::HeaderMap,
    /// Response body.
    pub body: Vec<u8>,
}

impl RawResponse {
    /// Takes a response apart.
    pub fn from_http(response: http::Response<Vec<u8>>) -> Self {
        let (parts, body) = response.into_parts();
        Self {
            status: parts.status,
            headers: parts.headers,
            body,
        }
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as untyped JSON.
    pub fn json_value(&self) -> Result<serde_json::Value, JsonError> {
        parse_json(&self.body)
    }

    /// Decodes the body of a response to `operation` as JSON of type `T`.
    pub fn json<T: serde::de::DeserializeOwned>(
        &self,
        operation: OperationId,
    ) -> Result<T, Box<DecodeError>> {
        decode_json(&self.body).map_err(|error| {
            Box::new(DecodeError {
                operation,
                response: self.clone(),
                error,
            })
        })
    }

    /// A success holding `value`, with this response's status and headers.
    pub fn ok<T, E>(self, value: T) -> Result<Response<T>, Error<E>> {
        Ok(Response::new(self.status, self.headers, value))
    }

    /// A success holding the body of a response to `operation`, decoded as JSON.
    pub fn ok_json<T: serde::de::DeserializeOwned, S, E>(
        self,
        operation: OperationId,
        wrap: impl FnOnce(T) -> S,
    ) -> Result<Response<S>, Error<E>> {
        let value = self.json(operation)?;
        self.ok(wrap(value))
    }

    /// A success holding the body as text.
    pub fn ok_text<S, E>(self, wrap: impl FnOnce(String) -> S) -> Result<Response<S>, Error<E>> {
        let text = self.text();
        self.ok(wrap(text))
    }

    /// A success holding the response itself (a status the collection does not document).
    pub fn ok_raw<T, E>(self, wrap: impl FnOnce(Self) -> T) -> Result<Response<T>, Error<E>> {
        let (status, headers) = (self.status, self.headers.clone());
        Ok(Response::new(status, headers, wrap(self)))
    }

    /// An error status of `operation` whose body decodes as JSON, beside this response.
    pub fn fail_json<T: serde::de::DeserializeOwned, S, E>(
        self,
        operation: OperationId,
        wrap: impl FnOnce(T) -> E,
    ) -> Result<Response<S>, Error<E>> {
        let value = self.json(operation)?;
        self.fail(operation, wrap(value))
    }

    /// An error status of `operation` with a text body, beside this response.
    pub fn fail_text<S, E>(
        self,
        operation: OperationId,
        wrap: impl FnOnce(String) -> E,
    ) -> Result<Response<S>, Error<E>> {
        let text = self.text();
        self.fail(operation, wrap(text))
    }

    /// An error status of `operation`: `error` beside this response.
    pub fn fail<T, E>(self, operation: OperationId, error: E) -> Result<Response<T>, Error<E>> {
        Err(Error::Api(Box::new(ApiError {
            operation,
            response: self,
            error,
        })))
    }
}
