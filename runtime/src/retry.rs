use std::time::Duration;

/// When to send a request again: on 429 and 503 responses and on connection errors and
/// timeouts, for idempotent methods only unless told otherwise, waiting as `Retry-After`
/// says or with exponential backoff and jitter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    pub(super) max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    all_methods: bool,
}

impl RetryPolicy {
    /// At most `max_retries` retries after the first attempt; backoff starts at 500 ms and
    /// doubles up to 30 s.
    pub fn new(max_retries: u32) -> Self {
        Self {
            max_retries,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            all_methods: false,
        }
    }

    /// Backoff starting at `initial` and doubling up to `max`. A `Retry-After` longer than
    /// `max` is not waited for: the response is returned instead.
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max;
        self
    }

    /// Also retries methods that are not idempotent (`POST`, `PATCH`, ...), which may then
    /// take effect twice.
    pub fn retry_all_methods(mut self) -> Self {
        self.all_methods = true;
        self
    }

    pub(super) fn allows(&self, method: &http::Method) -> bool {
        self.all_methods
            || matches!(
                *method,
                http::Method::GET
                    | http::Method::HEAD
                    | http::Method::OPTIONS
                    | http::Method::TRACE
                    | http::Method::PUT
                    | http::Method::DELETE
            )
    }

    /// Backoff before retry number `retries + 1`: half of the doubled delay, plus a random
    /// part of the other half.
    pub(super) fn backoff(&self, retries: u32) -> Duration {
        let doubled = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(retries))
            .min(self.max_backoff);
        let half = doubled / 2;
        let jitter = u64::try_from(half.as_millis()).unwrap_or(u64::MAX);
        half + Duration::from_millis(fastrand::u64(0..=jitter))
    }

    /// How long to wait before retrying after `response`; `None` when it is not retried.
    pub(super) fn delay_after(
        &self,
        response: &http::Response<Vec<u8>>,
        retries: u32,
    ) -> Option<Duration> {
        let status = response.status();
        if status != http::StatusCode::TOO_MANY_REQUESTS
            && status != http::StatusCode::SERVICE_UNAVAILABLE
        {
            return None;
        }
        match retry_after(response.headers()) {
            Some(wait) if wait > self.max_backoff => None,
            Some(wait) => Some(wait),
            None => Some(self.backoff(retries)),
        }
    }
}

/// The wait a `Retry-After` header asks for, in seconds or until an HTTP date.
fn retry_after(headers: &http::HeaderMap) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(
        date.duration_since(std::time::SystemTime::now())
            .unwrap_or_default(),
    )
}
