//! Organiser bearer tokens.
//!
//! `accredit-server token create --event ID` prints a token once; only its
//! SHA-256 is stored. A presented token is hashed and compared with every
//! stored hash of the event in constant time (no early exit, no
//! data-dependent branch), so response timing reveals nothing about how
//! close a guess was. Tokens carry 256 random bits, so the hash needs no
//! salt or stretching: there is nothing to brute-force.

use crate::AppState;
use crate::api::problem::Problem;
use crate::random;
use crate::storage::{self, TokenRecord};
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

/// A new token for `event`: the secret to show once, and the record to store.
pub fn new_token(event: &str, label: &str, now: i64) -> (String, TokenRecord) {
    let secret = format!("{TOKEN_PREFIX}{}", random::hex(&random::bytes::<32>()));
    let record = TokenRecord {
        id: format!("tok_{}", random::hex(&random::bytes::<6>())),
        event: event.to_owned(),
        label: label.to_owned(),
        hash: hash(&secret),
        created_at: now,
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

/// Authenticates an organiser request for `event`. Failures count against
/// the client's failed-login budget; an exhausted budget gives 429 before
/// the token is even looked at.
pub async fn organiser(
    state: &AppState,
    headers: &HeaderMap,
    client: IpAddr,
    event: &str,
) -> Result<Organiser, Problem> {
    if let Err(wait) = state.auth_failures.check(client) {
        return Err(Problem::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "Too many failed sign-ins from this address; wait before trying again.",
        )
        .retry_after(wait));
    }
    let unauthorised = |detail: &str| {
        let _ = state.auth_failures.take(client);
        Problem::new(
            StatusCode::UNAUTHORIZED,
            "auth.invalid_token",
            detail.to_owned(),
        )
    };
    let Some(token) = bearer(headers) else {
        return Err(unauthorised(
            "An organiser token is required (Authorization: Bearer …).",
        ));
    };
    let presented = hash(token);
    let event_owned = event.to_owned();
    let records = storage::run(&state.storage, move |s| s.tokens(&event_owned))
        .await
        .map_err(crate::api::storage_problem)?;
    match find(&presented, &records) {
        Some(record) => Ok(Organiser {
            token_id: record.id.clone(),
            label: record.label.clone(),
        }),
        None => Err(unauthorised(
            "The organiser token is not valid for this event.",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_found_by_hash_only() {
        let (secret, record) = new_token("e", "registration desk", 0);
        assert!(secret.starts_with(TOKEN_PREFIX) && secret.len() == 68);
        assert_ne!(record.hash, [0; 32]);
        let (_, other) = new_token("e", "other", 0);
        let records = vec![other, record.clone()];
        assert_eq!(find(&hash(&secret), &records), Some(&record));
        assert_eq!(find(&hash("acc_guess"), &records), None);
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
