//! Per-client rate limits: token buckets keyed by client address.
//!
//! A bucket holds up to `n` requests and refills at `n` per minute, so a
//! delegation secretary uploading thirty photos in a burst is fine while a
//! script hammering the API is slowed to the refill rate. IPv6 clients are
//! keyed by their /64, which is what one subscriber usually gets.

use std::collections::HashMap;
use std::net::IpAddr;
use std::str::FromStr;
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

/// A configured limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateLimit {
    /// No limit (load tests and benchmarks).
    Off,
    /// At most this many requests per minute per client, in bursts of as many.
    PerMinute(u32),
}

impl RateLimit {
    /// POSTs per client: a 30-member delegation uploading a photo per member
    /// plus a credentials letter stays well inside.
    pub const DEFAULT_POSTS: RateLimit = RateLimit::PerMinute(120);
    /// Failed organiser logins per client: enough for typos, far too few to
    /// guess a 256-bit token (which is hopeless anyway) or to load the server.
    pub const AUTH_FAILURES: RateLimit = RateLimit::PerMinute(10);
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit::DEFAULT_POSTS
    }
}

impl FromStr for RateLimit {
    type Err = String;

    /// `off`, `120/min` or `120`.
    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("off") {
            return Ok(RateLimit::Off);
        }
        let number = text.strip_suffix("/min").unwrap_or(text);
        match number.trim().parse::<u32>() {
            Ok(n) if n > 0 => Ok(RateLimit::PerMinute(n)),
            _ => Err(format!(
                "expected `off` or `<n>/min` with n ≥ 1, not `{text}`"
            )),
        }
    }
}

impl std::fmt::Display for RateLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RateLimit::Off => f.write_str("off"),
            RateLimit::PerMinute(n) => write!(f, "{n}/min"),
        }
    }
}

struct Bucket {
    tokens: f64,
    updated: Instant,
}

/// Buckets for one kind of request.
pub struct Limiter {
    limit: RateLimit,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

/// Above this many tracked clients, full (idle) buckets are forgotten.
const PRUNE_ABOVE: usize = 10_000;

impl Limiter {
    pub fn new(limit: RateLimit) -> Self {
        Limiter {
            limit,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request from the client's bucket; `Err(seconds)` to wait
    /// when it is empty. Refill, test and take happen under one lock, so
    /// concurrent callers never take more than the bucket holds.
    pub fn take(&self, client: IpAddr) -> Result<(), u64> {
        let RateLimit::PerMinute(n) = self.limit else {
            return Ok(());
        };
        let capacity = f64::from(n);
        let per_sec = capacity / 60.0;
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        if buckets.len() > PRUNE_ABOVE {
            buckets.retain(|_, b| {
                b.tokens + now.duration_since(b.updated).as_secs_f64() * per_sec < capacity
            });
        }
        let bucket = buckets.entry(client_key(client)).or_insert(Bucket {
            tokens: capacity,
            updated: now,
        });
        let elapsed = now.duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * per_sec).min(capacity);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - bucket.tokens) / per_sec).ceil().max(1.0) as u64)
        }
    }
}

/// The address a client is counted under: itself, an IPv4-mapped IPv6
/// address as IPv4, and any other IPv6 address as its /64. The upload
/// quota counts under the same key.
pub fn client_key(client: IpAddr) -> IpAddr {
    match client {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mut segments = v6.segments();
                segments[4..].fill(0);
                IpAddr::V6(segments.into())
            }
        },
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_setting() {
        assert_eq!("off".parse(), Ok(RateLimit::Off));
        assert_eq!("OFF".parse(), Ok(RateLimit::Off));
        assert_eq!("30/min".parse(), Ok(RateLimit::PerMinute(30)));
        assert_eq!("30".parse(), Ok(RateLimit::PerMinute(30)));
        assert!("0/min".parse::<RateLimit>().is_err());
        assert!("fast".parse::<RateLimit>().is_err());
        assert_eq!(RateLimit::PerMinute(5).to_string(), "5/min");
    }

    #[test]
    fn a_bucket_empties_and_tells_how_long_to_wait() {
        let limiter = Limiter::new(RateLimit::PerMinute(3));
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        for _ in 0..3 {
            assert_eq!(limiter.take(ip), Ok(()));
        }
        let wait = limiter.take(ip).unwrap_err();
        assert!((1..=20).contains(&wait), "{wait}");
        assert_eq!(limiter.take("192.0.2.2".parse().unwrap()), Ok(()));
    }

    #[test]
    fn off_never_limits() {
        let limiter = Limiter::new(RateLimit::Off);
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        assert!((0..10_000).all(|_| limiter.take(ip).is_ok()));
    }

    #[test]
    fn ipv6_clients_share_their_slash_64() {
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        assert_eq!(client_key(a), client_key(b));
        let mapped: IpAddr = "::ffff:192.0.2.1".parse().unwrap();
        assert_eq!(client_key(mapped), "192.0.2.1".parse::<IpAddr>().unwrap());
    }
}
