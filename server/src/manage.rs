//! Manage tokens: the bearer secret in a focal point's manage link.
//!
//! A token is HMAC-SHA256 of the registration's id and the token's
//! generation under the server's secret key, in base64url: 256 bits that
//! nobody without the key can predict. The database keeps only the token's
//! SHA-256 and its generation, never the token, so a copy of the database
//! opens no registration. Deriving rather than drawing the token lets the
//! server say it again where the protocol needs it (a replayed `201` for
//! the same idempotency key, the e-mail composed in the registration's
//! transaction) without storing it. A new link (organiser's "Send a new
//! manage link") moves to the next generation, which invalidates the old
//! token at once. Losing the key file invalidates every link: organisers
//! then send new ones.
//!
//! Manage tokens and organiser tokens are different secrets looked up in
//! different places: neither opens the other's endpoints.

use crate::AppState;
use crate::api::problem::Problem;
use crate::api::storage_problem;
use crate::storage::{self, StoredRegistration};
use accredit_model::api::problem_code;
use axum::http::{HeaderMap, StatusCode, header};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use std::path::Path;

/// The key file inside the data directory.
pub const KEY_FILE: &str = "secret.key";

/// The server's secret for deriving manage tokens.
#[derive(Clone)]
pub struct ManageKey([u8; 32]);

impl std::fmt::Debug for ManageKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ManageKey(…)")
    }
}

impl ManageKey {
    /// Reads the key from `path`, creating it (32 random bytes, readable by
    /// the server's user only) when there is none.
    pub fn load_or_create(path: &Path) -> Result<ManageKey, String> {
        match std::fs::read(path) {
            Ok(bytes) => {
                let key: [u8; 32] = bytes
                    .try_into()
                    .map_err(|_| format!("{} must hold exactly 32 bytes", path.display()))?;
                Ok(ManageKey(key))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = crate::random::bytes::<32>();
                write_private(path, &key)
                    .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
                Ok(ManageKey(key))
            }
            Err(e) => Err(format!("cannot read {}: {e}", path.display())),
        }
    }

    /// A key from bytes (tests, benchmarks).
    pub fn from_bytes(bytes: [u8; 32]) -> ManageKey {
        ManageKey(bytes)
    }

    /// The token of `registration_id`'s manage link, generation `generation`.
    pub fn token(&self, registration_id: &str, generation: u32) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(b"accredit manage link\0");
        mac.update(registration_id.as_bytes());
        mac.update(b"\0");
        mac.update(&generation.to_be_bytes());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// What the database keeps of a token.
pub fn hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// The registration a request's manage token opens.
///
/// A valid token is always accepted. Only failures count against the
/// client's budget of failed attempts (shared with organiser sign-ins),
/// and an exhausted budget turns further failures into 429, so guessing
/// is throttled while a focal point behind the same address as a guesser
/// is never locked out.
pub async fn authorise(
    state: &AppState,
    event: &str,
    headers: &HeaderMap,
    client: IpAddr,
) -> Result<StoredRegistration, Problem> {
    state.event(event)?;
    let presented = bearer(headers).filter(|t| looks_like_token(t));
    let found = match presented {
        Some(token) => {
            let (event, hash) = (event.to_owned(), hash(token));
            storage::run(&state.storage, move |s| {
                s.registration_by_manage_hash(&event, &hash)
            })
            .await
            .map_err(storage_problem)?
        }
        None => None,
    };
    if let Some(registration) = found {
        return Ok(registration);
    }
    if let Err(wait) = state.auth_failures.take(client) {
        return Err(Problem::new(
            StatusCode::TOO_MANY_REQUESTS,
            problem_code::RATE_LIMITED,
            "Too many failed attempts from this address; wait before trying again.",
        )
        .retry_after(wait));
    }
    Err(Problem::new(
        StatusCode::UNAUTHORIZED,
        problem_code::MANAGE_TOKEN_INVALID,
        "This manage link is not valid (it may have been replaced by a newer one).",
    ))
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// 43 base64url characters (256 bits); anything else is not worth a lookup.
fn looks_like_token(token: &str) -> bool {
    token.len() == 43
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_bits_per_registration_and_generation() {
        let key = ManageKey::from_bytes([7; 32]);
        let token = key.token("r1", 1);
        assert!(looks_like_token(&token), "{token}");
        assert_eq!(URL_SAFE_NO_PAD.decode(&token).unwrap().len(), 32);
        assert_eq!(token, key.token("r1", 1), "derivable again");
        assert_ne!(token, key.token("r1", 2));
        assert_ne!(token, key.token("r2", 1));
        assert_ne!(token, ManageKey::from_bytes([8; 32]).token("r1", 1));
        // Organiser tokens have another shape altogether.
        assert!(!looks_like_token(&format!("acc_{}", "0".repeat(64))));
    }

    #[test]
    fn the_key_file_is_created_once_and_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(KEY_FILE);
        let first = ManageKey::load_or_create(&path).unwrap();
        let again = ManageKey::load_or_create(&path).unwrap();
        assert_eq!(first.token("r", 1), again.token("r", 1));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&path, b"short").unwrap();
        assert!(ManageKey::load_or_create(&path).is_err());
    }
}
