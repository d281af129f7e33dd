//! Faults for users' own tests, and the request-rate limit.

use std::time::{Duration, Instant};

/// Faults the sandbox injects, all off by default.
///
/// A share is a fraction of requests from `0.0` (never) to `1.0` (every
/// request). Shares are exact and evenly spread, not random, so tests are
/// repeatable: a share of `0.25` hits the 4th, 8th, 12th... request that
/// reaches that fault. Faults apply to requests with a valid token, in this
/// order: latency, closed connection, forced 429, server error; a stall
/// applies to the answer.
///
/// ```
/// use cirrus_sandbox::Faults;
/// use std::time::Duration;
///
/// let flaky = Faults {
///     server_error_share: 0.5,
///     latency: Duration::from_millis(20),
///     ..Faults::default()
/// };
/// assert!(flaky.is_active());
/// assert!(!Faults::default().is_active());
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Faults {
    /// Share of requests answered `500` with an error envelope.
    pub server_error_share: f64,
    /// Added before every answer.
    pub latency: Duration,
    /// Share of requests whose answer stalls after the headers: the status
    /// and headers are sent, the body only after [`stall`](Self::stall).
    pub stall_share: f64,
    /// How long a stalled answer waits before its body.
    pub stall: Duration,
    /// Share of requests whose connection is closed without an answer.
    pub close_share: f64,
    /// Share of requests answered `429` with `Retry-After`.
    pub throttle_share: f64,
}

impl Faults {
    /// Whether any fault is on.
    pub fn is_active(&self) -> bool {
        self.server_error_share > 0.0
            || !self.latency.is_zero()
            || (self.stall_share > 0.0 && !self.stall.is_zero())
            || self.close_share > 0.0
            || self.throttle_share > 0.0
    }

    /// The shares, each clamped to `0.0..=1.0` (NaN is `0.0`).
    pub(crate) fn clamped(mut self) -> Faults {
        for share in [
            &mut self.server_error_share,
            &mut self.stall_share,
            &mut self.close_share,
            &mut self.throttle_share,
        ] {
            *share = if share.is_nan() {
                0.0
            } else {
                share.clamp(0.0, 1.0)
            };
        }
        self
    }
}

/// Counts requests that reach one fault and says which ones it hits.
#[derive(Debug, Default, Clone)]
pub(crate) struct ShareCounter {
    seen: u64,
}

impl ShareCounter {
    /// Counts a request; `true` when the share hits it. The n-th request is
    /// hit when `floor(n * share)` grows, so hits are exact and spread.
    pub(crate) fn hit(&mut self, share: f64) -> bool {
        if share <= 0.0 {
            return false;
        }
        self.seen += 1;
        let n = self.seen as f64;
        (n * share).floor() > ((n - 1.0) * share).floor()
    }
}

/// The live faults of a running sandbox.
#[derive(Debug, Default)]
pub(crate) struct FaultState {
    pub(crate) faults: Faults,
    pub(crate) forced_throttles: u64,
    pub(crate) server_errors: ShareCounter,
    pub(crate) stalls: ShareCounter,
    pub(crate) closes: ShareCounter,
    pub(crate) throttles: ShareCounter,
    /// Faults due but not yet applied, in the order close, throttle, server
    /// error, stall: when two fall on one request, the second is applied to
    /// the next request instead of being lost, so every share holds.
    pub(crate) owed: [u64; 4],
}

/// Which faults a request gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FaultHits {
    pub(crate) close: bool,
    pub(crate) throttle: bool,
    pub(crate) server_error: bool,
    pub(crate) stall: bool,
}

impl FaultState {
    /// Counts a request against every share and picks at most one fault
    /// for it: the first one owed, in the order close, throttle, server
    /// error, stall.
    pub(crate) fn next_faults(&mut self) -> FaultHits {
        let faults = &self.faults;
        let due = [
            self.closes.hit(faults.close_share),
            self.throttles.hit(faults.throttle_share),
            self.server_errors.hit(faults.server_error_share),
            !faults.stall.is_zero() && self.stalls.hit(faults.stall_share),
        ];
        for (owed, due) in self.owed.iter_mut().zip(due) {
            *owed += u64::from(due);
        }
        if self.forced_throttles > 0 {
            self.forced_throttles -= 1;
            return FaultHits {
                close: false,
                throttle: true,
                server_error: false,
                stall: false,
            };
        }
        let Some(pick) = self.owed.iter().position(|&owed| owed > 0) else {
            return FaultHits {
                close: false,
                throttle: false,
                server_error: false,
                stall: false,
            };
        };
        self.owed[pick] -= 1;
        FaultHits {
            close: pick == 0,
            throttle: pick == 1,
            server_error: pick == 2,
            stall: pick == 3,
        }
    }
}

/// At most [`requests`](Self::requests) per [`per`](Self::per); more are
/// answered `429` with `Retry-After` in whole seconds until the window ends.
///
/// ```
/// use cirrus_sandbox::RateLimit;
/// use std::time::Duration;
///
/// let limit = RateLimit::per_second(10);
/// assert_eq!(limit, RateLimit { requests: 10, per: Duration::from_secs(1) });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed in each window.
    pub requests: u32,
    /// The window.
    pub per: Duration,
}

impl RateLimit {
    /// `requests` per second.
    pub fn per_second(requests: u32) -> RateLimit {
        RateLimit {
            requests,
            per: Duration::from_secs(1),
        }
    }
}

/// A fixed-window counter for a [`RateLimit`].
#[derive(Debug)]
pub(crate) struct Window {
    limit: RateLimit,
    start: Option<Instant>,
    count: u32,
}

impl Window {
    pub(crate) fn new(limit: RateLimit) -> Window {
        Window {
            limit,
            start: None,
            count: 0,
        }
    }

    /// Counts a request at `now`; `Some(wait)` in whole seconds (at least 1)
    /// when it is over the limit.
    pub(crate) fn check(&mut self, now: Instant) -> Option<u64> {
        let start = match self.start {
            Some(start) if now.duration_since(start) < self.limit.per => start,
            _ => {
                self.start = Some(now);
                self.count = 0;
                now
            }
        };
        self.count = self.count.saturating_add(1);
        if self.count <= self.limit.requests {
            return None;
        }
        let left = self.limit.per.saturating_sub(now.duration_since(start));
        Some((left.as_secs_f64().ceil() as u64).max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_shares_are_all_applied() {
        let mut state = FaultState::default();
        let faults = Faults {
            throttle_share: 0.01,
            stall: Duration::from_millis(1),
            stall_share: 0.01,
            ..Faults::default()
        };
        state.faults = faults;
        let mut throttled = Vec::new();
        let mut stalled = Vec::new();
        for n in 1..=400 {
            let decision = state.next_faults();
            if decision.throttle {
                throttled.push(n);
            }
            if decision.stall {
                stalled.push(n);
            }
        }
        // Both fall due on every 100th request; the stall moves to the next.
        assert_eq!(throttled, [100, 200, 300, 400]);
        assert_eq!(stalled, [101, 201, 301]);
    }

    #[test]
    fn shares_are_exact_and_spread() {
        let mut counter = ShareCounter::default();
        let hits: Vec<bool> = (0..8).map(|_| counter.hit(0.25)).collect();
        assert_eq!(hits, [false, false, false, true, false, false, false, true]);
        let mut all = ShareCounter::default();
        assert!((0..5).all(|_| all.hit(1.0)));
        let mut none = ShareCounter::default();
        assert!((0..5).all(|_| !none.hit(0.0)));
    }

    #[test]
    fn clamping() {
        let faults = Faults {
            server_error_share: 3.0,
            close_share: f64::NAN,
            throttle_share: -1.0,
            ..Faults::default()
        }
        .clamped();
        assert_eq!(faults.server_error_share, 1.0);
        assert_eq!(faults.close_share, 0.0);
        assert_eq!(faults.throttle_share, 0.0);
    }

    #[test]
    fn window_limits_and_says_how_long_to_wait() {
        let mut window = Window::new(RateLimit {
            requests: 2,
            per: Duration::from_secs(10),
        });
        let t0 = Instant::now();
        assert_eq!(window.check(t0), None);
        assert_eq!(window.check(t0 + Duration::from_millis(100)), None);
        // 2.5 s into a 10 s window: 7.5 s left, rounded up.
        assert_eq!(window.check(t0 + Duration::from_millis(2500)), Some(8));
        // A new window.
        assert_eq!(window.check(t0 + Duration::from_secs(10)), None);
    }
}
