//! Idempotency keys: a retried submission must never register a delegation
//! twice, whatever the network did to the first attempt.
//!
//! Three layers, each covering what the one before cannot:
//! - the [`InFlight`] table serialises requests with the same key inside this
//!   process, from the moment their headers arrive, so a retry that overtakes
//!   a slow first attempt waits for it instead of racing it;
//! - the stored record (written in the same transaction as the registration)
//!   replays the first response to every later retry, across restarts;
//! - the storage's primary key on (event, key) is the final arbiter when
//!   several instances share a database.

use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::watch;

pub const HEADER: &str = "idempotency-key";

/// How long a request waits for an in-flight request with its key before
/// answering 409. Long enough that concurrent duplicates of a normal request
/// all get the replayed response; short enough that a client retrying a
/// stuck request hears back promptly.
pub const IN_FLIGHT_WAIT: Duration = Duration::from_secs(2);

/// The shortest key accepted: 16 characters leave room for about 95 bits
/// of randomness, so two clients cannot pick the same key by chance (a
/// UUIDv4, 36 characters, has 122).
pub const MIN_KEY_LEN: usize = 16;
/// The longest key accepted; what is stored per key stays small.
pub const MAX_KEY_LEN: usize = 255;

/// Checks an `Idempotency-Key` value: 16–255 characters from
/// `A–Z a–z 0–9 - _ . :` (a UUID fits, and nothing that needs escaping).
pub fn parse_key(value: Option<&[u8]>) -> Result<&str, &'static str> {
    let bytes = value.ok_or("The Idempotency-Key header is required.")?;
    let ok_len = (MIN_KEY_LEN..=MAX_KEY_LEN).contains(&bytes.len());
    let ok_chars = bytes
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
    if !ok_len || !ok_chars {
        return Err(
            "The Idempotency-Key header must be 16 to 255 characters from A-Z a-z 0-9 - _ . :",
        );
    }
    Ok(std::str::from_utf8(bytes).expect("ASCII"))
}

/// SHA-256 of the body's JSON with object keys sorted, so a retry that
/// serialises the same payload with another key order or spacing counts as
/// the same body.
pub fn body_hash(value: &serde_json::Value) -> [u8; 32] {
    let mut hasher = Sha256::new();
    write_canonical(value, &mut hasher);
    hasher.finalize().into()
}

fn write_canonical(value: &serde_json::Value, out: &mut Sha256) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.update(b"{");
            for (i, (key, value)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.update(b",");
                }
                out.update(serde_json::to_string(key).unwrap_or_default().as_bytes());
                out.update(b":");
                write_canonical(value, out);
            }
            out.update(b"}");
        }
        Value::Array(items) => {
            out.update(b"[");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.update(b",");
                }
                write_canonical(item, out);
            }
            out.update(b"]");
        }
        scalar => out.update(scalar.to_string().as_bytes()),
    }
}

type Slot = (String, String);

/// Keys whose first request is still being processed by this process.
#[derive(Default)]
pub struct InFlight {
    slots: Arc<Mutex<HashMap<Slot, watch::Receiver<()>>>>,
}

/// Holding a claim means being the one request processing this key; the
/// claim ends (and waiters wake) when it is dropped, whatever the outcome.
pub struct Claim {
    slots: Arc<Mutex<HashMap<Slot, watch::Receiver<()>>>>,
    slot: Slot,
    _done: watch::Sender<()>,
}

impl Drop for Claim {
    fn drop(&mut self) {
        // Waiters hold receivers; dropping `_done` right after wakes them.
        self.slots
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&self.slot);
    }
}

impl InFlight {
    /// Claims `key` for `event`, waiting up to `wait` for a request that
    /// holds it. `None` when that request is still in flight afterwards.
    pub async fn claim(&self, event: &str, key: &str, wait: Duration) -> Option<Claim> {
        let slot = (event.to_owned(), key.to_owned());
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let mut holder = {
                let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
                match slots.get(&slot) {
                    Some(receiver) => receiver.clone(),
                    None => {
                        let (done, receiver) = watch::channel(());
                        slots.insert(slot.clone(), receiver);
                        return Some(Claim {
                            slots: self.slots.clone(),
                            slot,
                            _done: done,
                        });
                    }
                }
            };
            // `changed` fails once the holder's sender is gone: it finished.
            match tokio::time::timeout_at(deadline, holder.changed()).await {
                Ok(_) => continue,
                Err(_) => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_checked() {
        assert!(parse_key(None).is_err());
        assert!(parse_key(Some(b"short")).is_err());
        assert!(parse_key(Some(&[b'a'; 15])).is_err());
        assert!(parse_key(Some(&[b'a'; 16])).is_ok());
        assert!(parse_key(Some(&[b'a'; 255])).is_ok());
        assert!(parse_key(Some(&[b'a'; 256])).is_err());
        assert!(parse_key(Some(b"has spaces in the key")).is_err());
        assert!(parse_key(Some("ключ-ключ-ключ-ключ".as_bytes())).is_err());
        assert_eq!(
            parse_key(Some(b"A-Za-z0-9_.:-key-ok")),
            Ok("A-Za-z0-9_.:-key-ok")
        );
        assert_eq!(
            parse_key(Some(b"0b9c7c2e-4f61-4a51-9d55-0c3c5b1f8e3a")),
            Ok("0b9c7c2e-4f61-4a51-9d55-0c3c5b1f8e3a")
        );
    }

    #[test]
    fn key_order_and_spacing_do_not_change_the_hash() {
        let a: serde_json::Value =
            serde_json::from_str(r#"{"a": 1, "b": [true, {"y": "z", "x": null}]}"#).unwrap();
        let b: serde_json::Value =
            serde_json::from_str(r#"{"b":[true,{"x":null,"y":"z"}],"a":1}"#).unwrap();
        let c: serde_json::Value =
            serde_json::from_str(r#"{"b":[true,{"x":null,"y":"Z"}],"a":1}"#).unwrap();
        assert_eq!(body_hash(&a), body_hash(&b));
        assert_ne!(body_hash(&a), body_hash(&c));
    }

    #[tokio::test]
    async fn a_second_claim_waits_for_the_first() {
        let table = InFlight::default();
        let first = table.claim("e", "key", Duration::ZERO).await.unwrap();
        assert!(
            table
                .claim("e", "key", Duration::from_millis(20))
                .await
                .is_none()
        );
        assert!(table.claim("e", "other", Duration::ZERO).await.is_some());
        let waiter = tokio::spawn({
            let slots = table.slots.clone();
            async move {
                let table = InFlight { slots };
                table
                    .claim("e", "key", Duration::from_secs(5))
                    .await
                    .is_some()
            }
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        drop(first);
        assert!(waiter.await.unwrap());
    }
}
