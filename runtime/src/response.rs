use super::decode::parse_json;
use super::{decode_json, ApiError, DecodeError, Error, JsonError, OperationId};

/// A decoded response with the status and headers it came with.
#[derive(Debug, Clone, PartialEq)]
pub struct Response<T> {
    status: http::StatusCode,
    headers: http::HeaderMap,
    value: T,
    captured: Vec<(String, String)>,
}

impl<T> Response<T> {
    /// A response holding `value`.
    pub fn new(status: http::StatusCode, headers: http::HeaderMap, value: T) -> Self {
        Self {
            status,
            headers,
            value,
            captured: Vec::new(),
        }
    }

    /// The response with the variables its test scripts captured.
    pub(super) fn with_captured(mut self, captured: Vec<(String, String)>) -> Self {
        self.captured = captured;
        self
    }

    /// The variables the collection's test scripts set from this response, in order (name,
    /// value): the same with scripts off, when the client keeps none of them.
    pub fn captured(&self) -> &[(String, String)] {
        &self.captured
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

#[cfg(test)]
mod tests {
    use super::*;

    const OP: OperationId = OperationId {
        name: "items::list",
        method: "GET",
        path: "/items",
    };

    fn raw(status: u16, body: &[u8]) -> RawResponse {
        let response = http::Response::builder()
            .status(status)
            .header("etag", "\"v1\"")
            .body(body.to_vec())
            .unwrap();
        RawResponse::from_http(response)
    }

    #[test]
    fn raw_response_reads_text_and_json() {
        let response = raw(201, b"{\"a\": [1, 2]}");
        assert_eq!(response.status, http::StatusCode::CREATED);
        assert_eq!(response.headers["etag"], "\"v1\"");
        assert_eq!(response.text(), "{\"a\": [1, 2]}");
        assert_eq!(
            response.json_value().unwrap(),
            serde_json::json!({"a": [1, 2]})
        );
        assert_eq!(raw(200, b"ok \xff").text(), "ok \u{fffd}");
        assert_eq!(raw(200, b"<html>").json_value().unwrap_err().path, "$");
        let decoded: std::collections::BTreeMap<String, Vec<u8>> = response.json(OP).unwrap();
        assert_eq!(decoded["a"], [1, 2]);
        let error = response.json::<Vec<u8>>(OP).unwrap_err();
        assert_eq!(error.operation(), OP);
        assert_eq!(error.response(), &response);
        assert_eq!(error.json_error().path, "$");
    }

    #[test]
    fn successes_keep_status_and_headers() {
        let ok = raw(202, b"[1]")
            .ok_json::<Vec<u32>, _, ()>(OP, |v| v.len())
            .unwrap();
        assert_eq!(ok.status(), http::StatusCode::ACCEPTED);
        assert_eq!(ok.headers()["etag"], "\"v1\"");
        assert_eq!(*ok.value(), 1);
        let (status, headers, value) = ok.into_parts();
        assert_eq!((status.as_u16(), headers.len(), value), (202, 1, 1));

        let text = raw(200, b"hi").ok_text::<_, ()>(|t| t + "!").unwrap();
        assert_eq!(text.into_inner(), "hi!");
        let kept = raw(299, b"odd").ok_raw::<_, ()>(|r| r).unwrap();
        assert_eq!(kept.status().as_u16(), 299);
        assert_eq!(kept.value().body, b"odd");
        assert_eq!(kept.headers(), &kept.value().headers);

        let Err(Error::Decode(error)) = raw(200, b"{}").ok_json::<Vec<u32>, _, ()>(OP, |v| v)
        else {
            panic!("a decode error");
        };
        assert_eq!(error.status(), http::StatusCode::OK);
    }

    #[test]
    fn failures_keep_the_typed_error_and_the_response() {
        #[derive(Debug, PartialEq, serde::Deserialize)]
        struct Problem {
            code: u32,
        }
        let Err(Error::Api(api)) =
            raw(422, br#"{"code": 7}"#).fail_json::<Problem, (), _>(OP, |p| p.code)
        else {
            panic!("an API error");
        };
        assert_eq!((api.status().as_u16(), *api.error()), (422, 7));
        assert_eq!(api.response().headers["etag"], "\"v1\"");

        let Err(Error::Api(api)) = raw(500, b"boom").fail_text::<(), _>(OP, |t| t) else {
            panic!("an API error");
        };
        assert_eq!(api.error(), "boom");
        // A body that does not decode is a decode error, not the typed error.
        let failed = raw(422, b"nope").fail_json::<Problem, (), u32>(OP, |p| p.code);
        assert!(matches!(failed, Err(Error::Decode(e)) if e.status().as_u16() == 422));
    }
}
