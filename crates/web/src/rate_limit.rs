//! Per-client rate limiting for the public endpoints (certificate verification, status lists),
//! so that nobody can walk the certificate register by brute force.
//!
//! The algorithm is GCRA (the generic cell rate algorithm, a token bucket kept as one
//! timestamp per client): each request moves the client's "theoretical arrival time" one
//! interval forward; a request is refused while that time runs more than `burst` intervals
//! ahead of now. Clients are told how long to wait (`Retry-After`). Memory is one entry per
//! recently seen client address; entries that have fully drained are dropped when the table
//! grows.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// How many requests a client may make to the public endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicRate {
    /// Sustained requests per minute per client address.
    pub per_minute: u32,
    /// Requests a client may make at once before the sustained rate applies.
    pub burst: u32,
}

impl Default for PublicRate {
    /// One verification a second on average, twenty at once: more than a person at a counter
    /// or an HR clerk checking a list needs, far less than a scraper wants.
    fn default() -> Self {
        PublicRate { per_minute: 60, burst: 20 }
    }
}

impl PublicRate {
    /// Sign-in attempts per client address: ten at once, then one every three seconds. An
    /// office behind one address signing in at nine o'clock fits; password spraying across
    /// accounts does not (each account also locks after five failures).
    pub const SIGN_IN: PublicRate = PublicRate { per_minute: 20, burst: 10 };
}

pub struct RateLimiter {
    interval: Duration,
    tolerance: Duration,
    clients: Mutex<HashMap<IpAddr, Instant>>,
}

/// Entries kept before drained ones are swept out.
const SWEEP_AT: usize = 100_000;

impl RateLimiter {
    pub fn new(rate: PublicRate) -> RateLimiter {
        let interval = Duration::from_secs(60) / rate.per_minute.max(1);
        RateLimiter { interval, tolerance: interval * rate.burst.max(1), clients: Mutex::new(HashMap::new()) }
    }

    /// Admits one request from `client` at `now`, or says how long it must wait.
    pub fn check(&self, client: IpAddr, now: Instant) -> Result<(), Duration> {
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        if clients.len() >= SWEEP_AT {
            clients.retain(|_, tat| *tat > now);
        }
        let tat = clients.get(&client).copied().filter(|t| *t > now).unwrap_or(now);
        let next = tat + self.interval;
        let ahead = next - now;
        if ahead > self.tolerance {
            return Err(ahead - self.tolerance);
        }
        clients.insert(client, next);
        Ok(())
    }
}

/// Middleware for the public routes: 429 `rate_limited` with `Retry-After` when a client
/// exceeds its rate. The client is the peer address of the connection, or the forwarded one
/// behind a trusted proxy (`auth::client_addresses`).
pub async fn limit(State(limiter): State<Arc<RateLimiter>>, req: Request, next: Next) -> Response {
    let client = crate::auth::peer_ip(req.extensions()).unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    match limiter.check(client, Instant::now()) {
        Ok(()) => next.run(req).await,
        Err(wait) => ApiError::RateLimited { retry_after_secs: wait.as_secs().max(1) }.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(last: u8) -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(10, 0, 0, last))
    }

    #[test]
    fn a_burst_is_admitted_then_the_sustained_rate_applies() {
        let limiter = RateLimiter::new(PublicRate { per_minute: 60, burst: 5 });
        let t0 = Instant::now();
        for i in 0..5 {
            assert_eq!(limiter.check(ip(1), t0), Ok(()), "request {i} of the burst");
        }
        let wait = limiter.check(ip(1), t0).expect_err("the sixth at once is refused");
        assert_eq!(wait, Duration::from_secs(1));
        // One interval later exactly one more is admitted.
        assert_eq!(limiter.check(ip(1), t0 + Duration::from_secs(1)), Ok(()));
        assert!(limiter.check(ip(1), t0 + Duration::from_secs(1)).is_err());
    }

    #[test]
    fn clients_are_limited_separately() {
        let limiter = RateLimiter::new(PublicRate { per_minute: 60, burst: 1 });
        let t0 = Instant::now();
        assert_eq!(limiter.check(ip(1), t0), Ok(()));
        assert!(limiter.check(ip(1), t0).is_err());
        assert_eq!(limiter.check(ip(2), t0), Ok(()), "another address has its own allowance");
    }

    #[test]
    fn a_quiet_client_gets_its_whole_burst_back() {
        let limiter = RateLimiter::new(PublicRate { per_minute: 60, burst: 3 });
        let t0 = Instant::now();
        for _ in 0..3 {
            limiter.check(ip(1), t0).unwrap();
        }
        assert!(limiter.check(ip(1), t0).is_err());
        let later = t0 + Duration::from_secs(10);
        for i in 0..3 {
            assert_eq!(limiter.check(ip(1), later), Ok(()), "request {i} after a quiet spell");
        }
        assert!(limiter.check(ip(1), later).is_err());
    }
}
