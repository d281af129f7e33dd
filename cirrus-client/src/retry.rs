//! Retries: which failed calls are sent again, how long the client waits,
//! and the bounds on both.
//!
//! # What is retried
//!
//! - **429 Too Many Requests**, for every method: the server refused the
//!   request without acting on it. The wait is the server's `Retry-After`
//!   (whole or fractional seconds, rounded up, or an HTTP date), or the
//!   backoff when it sends none.
//! - **Failures to connect**, for every method: nothing was sent.
//! - **5xx responses (but 501), timeouts and broken connections**, for GET
//!   and DELETE only. These may come after the server acted on the request;
//!   sending a POST or PATCH again could create a second conversation or
//!   send a customer the same message twice, so they are retried only when
//!   the caller opts in for that call with
//!   [`RetryPolicy::retry_non_idempotent`]. The error of such a call says so
//!   ([`Error::may_have_been_processed`](crate::Error::may_have_been_processed)).
//!
//! Nothing else is retried: a 400, 401, 404 or 501 will not change by
//! asking again, and a response that does not decode was processed.
//!
//! # Defaults and bounds
//!
//! [`RetryPolicy::default`] makes at most 3 attempts, waits at most 30 s in
//! all, and backs off from 250 ms doubling up to 8 s, with jitter so that
//! many clients do not retry in step. A wait that would go past the bound
//! (a `Retry-After` of two minutes, say) is not waited: the call fails at
//! once with the throttling error, which carries the server's
//! [`retry_after`](crate::Error::retry_after). Set a policy for the client
//! with [`ClientBuilder::retry`](crate::ClientBuilder::retry) and for one
//! call with the request's `retry` method; [`RetryPolicy::never`] turns
//! retries off.

use crate::{Error, ErrorKind};
use std::time::Duration;

/// How a call is retried; see the [module docs](self) for what is retried.
///
/// ```
/// use cirrus_client::RetryPolicy;
/// use std::time::Duration;
///
/// let patient = RetryPolicy::default()
///     .max_attempts(5)
///     .max_wait(Duration::from_secs(60));
/// let once = RetryPolicy::never();
/// # let _ = (patient, once);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    max_wait: Duration,
    initial_backoff: Duration,
    max_backoff: Duration,
    non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            max_wait: Duration::from_secs(30),
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// No retries: every call is sent once.
    pub fn never() -> Self {
        RetryPolicy::default().max_attempts(1)
    }

    /// How many times a call is sent at most, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The longest the client waits between attempts of one call, in all.
    pub fn max_wait(mut self, wait: Duration) -> Self {
        self.max_wait = wait;
        self
    }

    /// The first backoff, doubled after each attempt.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest single backoff.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Also retry POST and PATCH after a 5xx, a timeout or a broken
    /// connection, accepting that the server may act on it twice. Meant for
    /// one call whose effect is known to be safe to repeat.
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.non_idempotent = retry;
        self
    }

    /// How long to wait before attempt `attempt + 1` after `error`, having
    /// waited `waited` so far; `None` to give up with the error.
    pub(crate) fn next_wait(
        &self,
        method: &str,
        error: &Error,
        attempt: u32,
        waited: Duration,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let idempotent = matches!(method, "GET" | "DELETE" | "HEAD" | "OPTIONS");
        let retryable = match error.kind() {
            ErrorKind::Throttled => true,
            ErrorKind::Transport | ErrorKind::Timeout if !error.may_have_been_processed() => true,
            ErrorKind::ServerError
            | ErrorKind::ServiceUnavailable
            | ErrorKind::Transport
            | ErrorKind::Timeout => idempotent || self.non_idempotent,
            _ => false,
        };
        if !retryable {
            return None;
        }
        let wait = error.retry_after().unwrap_or_else(|| self.backoff(attempt));
        (waited + wait <= self.max_wait).then_some(wait)
    }

    /// Exponential backoff with equal jitter: half the step is fixed, so a
    /// wait never collapses to nothing, half is random, so clients spread.
    fn backoff(&self, attempt: u32) -> Duration {
        let doubling = 2u32.saturating_pow(attempt.saturating_sub(1));
        let step = self
            .initial_backoff
            .saturating_mul(doubling)
            .min(self.max_backoff);
        let half = step / 2;
        let jitter_nanos = fastrand::u64(0..=half.as_nanos().min(u128::from(u64::MAX)) as u64);
        half + Duration::from_nanos(jitter_nanos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_within_bounds() {
        let policy = RetryPolicy::default();
        for attempt in 1..=8 {
            let step = Duration::from_millis(250)
                .saturating_mul(2u32.pow(attempt - 1))
                .min(Duration::from_secs(8));
            let wait = policy.backoff(attempt);
            assert!(
                wait >= step / 2 && wait <= step,
                "attempt {attempt}: {wait:?} vs {step:?}"
            );
        }
    }

    #[test]
    fn only_safe_failures_are_retried() {
        let policy = RetryPolicy::default();
        let server = Error::new(ErrorKind::ServerError);
        assert!(
            policy
                .next_wait("GET", &server, 1, Duration::ZERO)
                .is_some()
        );
        assert!(
            policy
                .next_wait("POST", &server, 1, Duration::ZERO)
                .is_none()
        );
        let opted_in = policy.clone().retry_non_idempotent(true);
        assert!(
            opted_in
                .next_wait("POST", &server, 1, Duration::ZERO)
                .is_some()
        );
        assert!(
            policy
                .next_wait("GET", &Error::new(ErrorKind::NotFound), 1, Duration::ZERO)
                .is_none()
        );
        assert!(
            policy
                .next_wait("GET", &server, 3, Duration::ZERO)
                .is_none()
        );
    }
}
