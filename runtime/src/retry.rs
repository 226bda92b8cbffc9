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

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, retry_after: Option<&str>) -> http::Response<Vec<u8>> {
        let mut builder = http::Response::builder().status(status);
        if let Some(value) = retry_after {
            builder = builder.header("retry-after", value);
        }
        builder.body(Vec::new()).unwrap()
    }

    fn between(delay: Duration, low_ms: u64, high_ms: u64) -> bool {
        (Duration::from_millis(low_ms)..=Duration::from_millis(high_ms)).contains(&delay)
    }

    #[test]
    fn only_idempotent_methods_retry_unless_told_otherwise() {
        let policy = RetryPolicy::new(3);
        for method in ["GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"] {
            assert!(policy.allows(&method.parse().unwrap()), "{method}");
        }
        for method in ["POST", "PATCH", "CONNECT", "PURGE"] {
            assert!(!policy.allows(&method.parse().unwrap()), "{method}");
        }
        let all = policy.retry_all_methods();
        assert!(all.allows(&http::Method::POST));
        assert!(all.allows(&"PURGE".parse().unwrap()));
    }

    #[test]
    fn backoff_doubles_with_jitter_up_to_the_maximum() {
        let policy = RetryPolicy::new(5);
        for _ in 0..50 {
            assert!(between(policy.backoff(0), 250, 500));
            assert!(between(policy.backoff(1), 500, 1000));
            assert!(between(policy.backoff(3), 2000, 4000));
            assert!(between(policy.backoff(10), 15_000, 30_000));
            assert!(between(policy.backoff(u32::MAX), 15_000, 30_000));
        }
        let custom =
            RetryPolicy::new(1).with_backoff(Duration::from_millis(10), Duration::from_millis(25));
        for _ in 0..50 {
            assert!(between(custom.backoff(0), 5, 10));
            assert!(between(custom.backoff(2), 12, 25));
        }
        let none = RetryPolicy::new(1).with_backoff(Duration::ZERO, Duration::ZERO);
        assert_eq!(none.backoff(4), Duration::ZERO);
    }

    #[test]
    fn only_429_and_503_are_retried() {
        let policy = RetryPolicy::new(2);
        for status in [200, 400, 401, 404, 500, 502, 504] {
            assert_eq!(policy.delay_after(&response(status, Some("1")), 0), None);
        }
        for status in [429, 503] {
            let delay = policy.delay_after(&response(status, None), 1).unwrap();
            assert!(between(delay, 500, 1000), "{delay:?}");
        }
    }

    #[test]
    fn retry_after_is_waited_for_unless_longer_than_the_maximum() {
        let policy = RetryPolicy::new(2);
        let delay = |value: &str| policy.delay_after(&response(429, Some(value)), 0);
        assert_eq!(delay("3"), Some(Duration::from_secs(3)));
        assert_eq!(delay(" 0 "), Some(Duration::ZERO));
        assert_eq!(delay("30"), Some(Duration::from_secs(30)));
        assert_eq!(delay("31"), None);
        // A date in the past waits for nothing; one in the future until then.
        assert_eq!(delay("Wed, 21 Oct 2015 07:28:00 GMT"), Some(Duration::ZERO));
        let soon = std::time::SystemTime::now() + Duration::from_secs(10);
        let wait = delay(&httpdate::fmt_http_date(soon)).unwrap();
        assert!(between(wait, 8_000, 10_000), "{wait:?}");
        let later = std::time::SystemTime::now() + Duration::from_secs(3600);
        assert_eq!(delay(&httpdate::fmt_http_date(later)), None);
        // What is neither falls back to backoff.
        for value in ["soon", "-1", "1.5"] {
            assert!(between(delay(value).unwrap(), 250, 500), "{value}");
        }
    }
}
