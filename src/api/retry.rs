//! When to try a submission again, and how long to wait first.
//!
//! Exponential backoff with full jitter keeps a crowd of delegations that
//! lost the connection at the same moment from coming back at the same
//! moment. A server's `Retry-After` wins when it asks for longer.

/// Attempts in one go before the user is asked to try again.
pub const MAX_ATTEMPTS: u32 = 5;
const BASE_MS: f64 = 400.0;
const CAP_MS: f64 = 8_000.0;

/// Whether an HTTP status (or a network failure, `None`) is worth retrying
/// with the same idempotency key: the request may not have been processed,
/// or the server asked us to come back.
pub fn is_retryable(status: Option<u16>, code: Option<&str>) -> bool {
    use accredit_model::api::problem_code::{
        AMENDMENTS_CLOSED, REGISTRATION_CLOSED, REGISTRATION_FINAL,
    };
    match status {
        None => true,
        // 409 means "still in flight" unless registration or amendments
        // are closed, or the registration cannot change any more.
        Some(409) => !matches!(
            code,
            Some(REGISTRATION_CLOSED | AMENDMENTS_CLOSED | REGISTRATION_FINAL)
        ),
        Some(429) => true,
        Some(s) => s >= 500,
    }
}

/// The wait before attempt `attempt + 1` (attempt counts from 0), given a
/// uniform random number in [0, 1) and the server's `Retry-After` seconds.
pub fn delay_ms(attempt: u32, random: f64, retry_after_secs: Option<u32>) -> u32 {
    let ceiling = (BASE_MS * 2f64.powi(attempt as i32)).min(CAP_MS);
    // At least half the ceiling: full jitter can otherwise retry instantly.
    let jittered = ceiling * (0.5 + 0.5 * random.clamp(0.0, 1.0));
    let server = retry_after_secs.map_or(0.0, |s| f64::from(s.min(60)) * 1000.0);
    jittered.max(server) as u32
}

// Run in the browser with the component tests (`cargo xtask test`).
#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn only_transient_failures_are_retried() {
        assert!(is_retryable(None, None));
        assert!(is_retryable(Some(500), None));
        assert!(is_retryable(Some(503), None));
        assert!(is_retryable(Some(429), None));
        assert!(is_retryable(Some(409), Some("idempotency.in_flight")));
        assert!(!is_retryable(Some(409), Some("registration.closed")));
        assert!(!is_retryable(Some(409), Some("amendments.closed")));
        assert!(!is_retryable(Some(409), Some("registration.final")));
        assert!(!is_retryable(Some(412), Some("precondition.failed")));
        assert!(!is_retryable(Some(428), Some("precondition.required")));
        assert!(!is_retryable(Some(401), Some("manage_token.invalid")));
        assert!(!is_retryable(Some(422), None));
        assert!(!is_retryable(Some(413), None));
        assert!(!is_retryable(Some(400), None));
    }

    #[test]
    fn delays_grow_are_capped_and_honour_retry_after() {
        let d: Vec<u32> = (0..6).map(|a| delay_ms(a, 1.0, None)).collect();
        assert_eq!(d, vec![400, 800, 1600, 3200, 6400, 8000]);
        assert_eq!(delay_ms(0, 0.0, None), 200);
        assert_eq!(delay_ms(0, 0.5, Some(3)), 3000);
        assert_eq!(delay_ms(10, 0.5, Some(3600)), 60_000);
    }
}
