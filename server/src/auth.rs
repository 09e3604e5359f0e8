//! Organiser bearer tokens.
//!
//! `accredit-server token create --event ID` prints a token once; only its
//! SHA-256 is stored. A presented token is hashed and compared with every
//! stored hash of the event in constant time (no early exit, no
//! data-dependent branch), so response timing reveals nothing about how
//! close a guess was. Tokens carry 256 random bits, so the hash needs no
//! salt or stretching: there is nothing to brute-force.
//!
//! Every token expires (`--expires`, 90 days by default), read on the
//! server's [`crate::clock::Clock`].
//!
//! A valid token is always accepted, whatever the address has tried
//! before: one client behind the same NAT guessing tokens must not lock
//! the protocol desk out. Only failures are limited, and each failure
//! takes from the address's budget in one step under the limiter's lock
//! (the decision to answer 401 or 429 is that step's result), so a burst
//! of concurrent guesses cannot slip past the limit.

use crate::AppState;
use crate::api::problem::Problem;
use crate::random;
use crate::security;
use crate::storage::{self, TokenRecord};
use accredit_model::api::problem_code;
use axum::http::{HeaderMap, StatusCode, header};
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use subtle::ConstantTimeEq;

/// Every token starts with this, so a leaked one is easy to recognise in
/// logs and by secret scanners.
pub const TOKEN_PREFIX: &str = "acc_";

/// Who made an organiser request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Organiser {
    pub token_id: String,
    pub label: String,
}

pub fn hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// How long a token lives unless told otherwise: 90 days.
pub const DEFAULT_LIFETIME_SECS: i64 = 90 * 86_400;

/// A lifetime as the command line takes it: `90d`, `12h` (a number and a
/// unit, days or hours), in seconds.
pub fn parse_lifetime(text: &str) -> Result<i64, String> {
    let text = text.trim();
    let error = || format!("expected a lifetime such as `90d` or `12h`, not `{text}`");
    let (number, unit_secs) = if let Some(days) = text.strip_suffix('d') {
        (days, 86_400)
    } else if let Some(hours) = text.strip_suffix('h') {
        (hours, 3_600)
    } else {
        return Err(error());
    };
    match number.trim().parse::<i64>() {
        // At most ten years: anything longer is a typo.
        Ok(n) if n > 0 && n.saturating_mul(unit_secs) <= 3_650 * 86_400 => Ok(n * unit_secs),
        _ => Err(error()),
    }
}

/// A new token for `event`, valid for `lifetime_secs` from `now`: the
/// secret to show once, and the record to store.
pub fn new_token(event: &str, label: &str, now: i64, lifetime_secs: i64) -> (String, TokenRecord) {
    let secret = format!("{TOKEN_PREFIX}{}", random::hex(&random::bytes::<32>()));
    let record = TokenRecord {
        id: format!("tok_{}", random::hex(&random::bytes::<6>())),
        event: event.to_owned(),
        label: label.to_owned(),
        hash: hash(&secret),
        created_at: now,
        expires_at: now.saturating_add(lifetime_secs),
    };
    (secret, record)
}

/// The record whose hash equals `presented`'s, comparing with all of them.
pub fn find<'a>(presented: &[u8; 32], records: &'a [TokenRecord]) -> Option<&'a TokenRecord> {
    let mut found = None;
    for record in records {
        if bool::from(record.hash.ct_eq(presented)) {
            found = Some(record);
        }
    }
    found
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Authenticates an organiser request for `event`. A valid, unexpired
/// token is accepted whatever the address's budget; a failure takes one
/// from it, and is answered 429 instead of 401 once it is spent.
pub async fn organiser(
    state: &AppState,
    headers: &HeaderMap,
    client: IpAddr,
    event: &str,
) -> Result<Organiser, Problem> {
    let unauthorised = |reason: &str, token_id: Option<&str>, detail: &str| {
        let taken = state.auth_failures.take(client);
        security::auth_failed(event, token_id, client, reason, taken.is_err());
        match taken {
            Ok(()) => Problem::new(
                StatusCode::UNAUTHORIZED,
                problem_code::AUTH_INVALID_TOKEN,
                detail.to_owned(),
            ),
            Err(wait) => Problem::new(
                StatusCode::TOO_MANY_REQUESTS,
                problem_code::RATE_LIMITED,
                "Too many failed sign-ins from this address; wait before trying again.",
            )
            .retry_after(wait),
        }
    };
    let Some(token) = bearer(headers) else {
        return Err(unauthorised(
            "missing",
            None,
            "An organiser token is required (Authorization: Bearer …).",
        ));
    };
    let presented = hash(token);
    let event_owned = event.to_owned();
    let records = storage::run(&state.storage, move |s| s.tokens(&event_owned))
        .await
        .map_err(crate::api::storage_problem)?;
    match find(&presented, &records) {
        Some(record) if record.expires_at <= state.clock.now() => Err(unauthorised(
            "expired",
            Some(&record.id),
            "The organiser token has expired; ask for a new one.",
        )),
        Some(record) => Ok(Organiser {
            token_id: record.id.clone(),
            label: record.label.clone(),
        }),
        None => Err(unauthorised(
            "unknown",
            None,
            "The organiser token is not valid for this event.",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_found_by_hash_only() {
        let (secret, record) = new_token("e", "registration desk", 0, DEFAULT_LIFETIME_SECS);
        assert!(secret.starts_with(TOKEN_PREFIX) && secret.len() == 68);
        assert_ne!(record.hash, [0; 32]);
        assert_eq!(record.expires_at, 90 * 86_400);
        let (_, other) = new_token("e", "other", 0, 3_600);
        let records = vec![other, record.clone()];
        assert_eq!(find(&hash(&secret), &records), Some(&record));
        assert_eq!(find(&hash("acc_guess"), &records), None);
    }

    #[test]
    fn lifetimes_are_days_or_hours() {
        assert_eq!(parse_lifetime("90d"), Ok(90 * 86_400));
        assert_eq!(parse_lifetime("12h"), Ok(12 * 3_600));
        assert_eq!(parse_lifetime(" 1d "), Ok(86_400));
        for bad in ["", "d", "0d", "-1d", "90", "90m", "1.5d", "99999d"] {
            assert!(parse_lifetime(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn bearer_scheme_is_case_insensitive() {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, "bearer acc_x".parse().unwrap());
        assert_eq!(bearer(&headers), Some("acc_x"));
        headers.insert(header::AUTHORIZATION, "Basic abc".parse().unwrap());
        assert_eq!(bearer(&headers), None);
    }
}
