//! Talking to the configured backend: load the event, submit safely.

pub mod retry;

use crate::browser;
use accredit_model::{EventConfig, ValidationError};
use gloo_net::http::{Request, Response};
use serde::Deserialize;

/// Why the event could not be loaded.
#[derive(Clone, Debug, PartialEq)]
pub enum LoadError {
    NoEvent,
    NotFound,
    Network,
    Server(u16),
    BadResponse,
}

pub async fn get_event(endpoint: &str, event: &str) -> Result<EventConfig, LoadError> {
    if event.is_empty() {
        return Err(LoadError::NoEvent);
    }
    let url = format!("{endpoint}/events/{event}");
    let res = Request::get(&url)
        .send()
        .await
        .map_err(|_| LoadError::Network)?;
    match res.status() {
        200 => res.json().await.map_err(|_| LoadError::BadResponse),
        404 => Err(LoadError::NotFound),
        s => Err(LoadError::Server(s)),
    }
}

/// What the server answers to an accepted registration.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Receipt {
    pub id: String,
    pub reference: String,
    pub status: String,
}

/// Why a submission did not go through.
#[derive(Clone, Debug, PartialEq)]
pub enum SubmitError {
    /// The server checked the answers and found problems (422).
    Invalid(Vec<ValidationError>),
    /// An upload or the whole request is larger than the server accepts (413).
    TooLarge,
    /// Registration is closed for this event.
    Closed,
    /// An earlier attempt with this submission's key was stored (its
    /// response was lost) and the answers have changed since: the
    /// registration exists, under this reference.
    AlreadyReceived(String),
    /// Still failing after every retry (network, 5xx, 409, 429).
    Unavailable,
    /// Anything else: a bug on one side or the other.
    Rejected(u16),
}

impl SubmitError {
    /// A stable name for the host page (`accredit:error` events).
    pub fn code(&self) -> &'static str {
        match self {
            SubmitError::Invalid(_) => "invalid",
            SubmitError::TooLarge => "too_large",
            SubmitError::Closed => "registration_closed",
            SubmitError::AlreadyReceived(_) => "already_received",
            SubmitError::Unavailable => "unavailable",
            SubmitError::Rejected(_) => "rejected",
        }
    }
}

/// An RFC 9457 problem document, as the server sends it.
#[derive(Debug, Default, Deserialize)]
struct Problem {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    errors: Vec<ValidationError>,
    #[serde(default)]
    reference: Option<String>,
}

/// POSTs `body` with `idempotency_key`, retrying transient failures with
/// backoff. The same key on every attempt means the server stores at most
/// one registration however many attempts reach it.
pub async fn submit(
    endpoint: &str,
    event: &str,
    body: &str,
    idempotency_key: &str,
) -> Result<Receipt, SubmitError> {
    let url = format!("{endpoint}/events/{event}/registrations");
    for attempt in 0..retry::MAX_ATTEMPTS {
        let sent = Request::post(&url)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", idempotency_key)
            .body(body)
            .map_err(|_| SubmitError::Rejected(0))?
            .send()
            .await;
        let (status, retry_after, code) = match sent {
            Ok(res) if res.ok() => {
                return res
                    .json()
                    .await
                    .map_err(|_| SubmitError::Rejected(res.status()));
            }
            Ok(res) => {
                let status = res.status();
                let retry_after = retry_after(&res);
                let problem = problem(res).await;
                match status {
                    422 if problem.code.as_deref() == Some("idempotency.key_reused") => {
                        return Err(SubmitError::AlreadyReceived(
                            problem.reference.unwrap_or_default(),
                        ));
                    }
                    422 => return Err(SubmitError::Invalid(problem.errors)),
                    413 => return Err(SubmitError::TooLarge),
                    409 if problem.code.as_deref() == Some("registration.closed") => {
                        return Err(SubmitError::Closed);
                    }
                    _ => {}
                }
                (Some(status), retry_after, problem.code)
            }
            Err(_) => (None, None, None),
        };
        if !retry::is_retryable(status, code.as_deref()) {
            return Err(SubmitError::Rejected(status.unwrap_or(0)));
        }
        if attempt + 1 < retry::MAX_ATTEMPTS {
            browser::sleep(retry::delay_ms(attempt, browser::random(), retry_after)).await;
        }
    }
    Err(SubmitError::Unavailable)
}

fn retry_after(res: &Response) -> Option<u32> {
    res.headers().get("Retry-After")?.trim().parse().ok()
}

async fn problem(res: Response) -> Problem {
    res.json().await.unwrap_or_default()
}
