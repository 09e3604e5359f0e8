//! Talking to the configured backend: load the event, submit safely.

pub mod retry;

use crate::browser;
pub use accredit_model::api::{MyRegistration, Problem, Receipt, Revision};
use accredit_model::api::{header, problem_code};
use accredit_model::{EventConfig, ValidationError};
use gloo_net::http::{Method, Request, RequestBuilder, Response};

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

/// Why a submission, an amendment or a withdrawal did not go through.
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
    /// The registration changed since it was loaded (412), or an earlier
    /// attempt of this amendment was stored with other answers.
    Changed,
    /// The amendment deadline has passed (409 `amendments.closed`).
    AmendmentsClosed,
    /// Rejected or withdrawn: it cannot change any more (409
    /// `registration.final`).
    Final,
    /// The manage link is wrong or was revoked (401).
    LinkInvalid,
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
            SubmitError::Changed => "changed_elsewhere",
            SubmitError::AmendmentsClosed => "amendments_closed",
            SubmitError::Final => "registration_final",
            SubmitError::LinkInvalid => "manage_link_invalid",
            SubmitError::Rejected(_) => "rejected",
        }
    }
}

/// How a request is sent: the method, and for the manage link its token and
/// the version the change was made against.
struct Send<'a> {
    method: &'a str,
    url: String,
    body: Option<&'a str>,
    idempotency_key: &'a str,
    token: Option<&'a str>,
    version: Option<u32>,
}

impl Send<'_> {
    fn request(&self) -> Result<Request, SubmitError> {
        let mut builder = match self.method {
            "PUT" => RequestBuilder::new(&self.url).method(Method::PUT),
            "DELETE" => RequestBuilder::new(&self.url).method(Method::DELETE),
            _ => RequestBuilder::new(&self.url).method(Method::POST),
        }
        .header("Idempotency-Key", self.idempotency_key);
        if let Some(token) = self.token {
            builder = builder.header("Authorization", &format!("Bearer {token}"));
        }
        if let Some(version) = self.version {
            builder = builder.header("If-Match", &etag(version));
        }
        match self.body {
            Some(body) => builder
                .header("Content-Type", "application/json")
                .body(body.to_owned()),
            None => builder.build(),
        }
        .map_err(|_| SubmitError::Rejected(0))
    }
}

/// Sends with the same idempotency key on every attempt, retrying transient
/// failures with backoff, so the server applies the request at most once
/// however many attempts reach it.
async fn send<T: serde::de::DeserializeOwned>(how: Send<'_>) -> Result<T, SubmitError> {
    for attempt in 0..retry::MAX_ATTEMPTS {
        let sent = how.request()?.send().await;
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
                if let Some(error) = final_error(status, &problem) {
                    return Err(error);
                }
                (Some(status), retry_after, problem.code)
            }
            Err(_) => (None, None, String::new()),
        };
        if !retry::is_retryable(status, Some(&code)) {
            return Err(SubmitError::Rejected(status.unwrap_or(0)));
        }
        if attempt + 1 < retry::MAX_ATTEMPTS {
            browser::sleep(retry::delay_ms(attempt, browser::random(), retry_after)).await;
        }
    }
    Err(SubmitError::Unavailable)
}

/// The answers that no retry can change.
pub fn final_error(status: u16, problem: &Problem) -> Option<SubmitError> {
    Some(match (status, problem.code.as_str()) {
        (422, problem_code::IDEMPOTENCY_KEY_REUSED) => {
            SubmitError::AlreadyReceived(problem.reference.clone().unwrap_or_default())
        }
        (422, _) => SubmitError::Invalid(problem.errors.iter().cloned().map(Into::into).collect()),
        (413, _) => SubmitError::TooLarge,
        (409, problem_code::REGISTRATION_CLOSED) => SubmitError::Closed,
        (409, problem_code::AMENDMENTS_CLOSED) => SubmitError::AmendmentsClosed,
        (409, problem_code::REGISTRATION_FINAL) => SubmitError::Final,
        (412, _) => SubmitError::Changed,
        (401, _) => SubmitError::LinkInvalid,
        _ => return None,
    })
}

/// POSTs a new registration.
pub async fn submit(
    endpoint: &str,
    event: &str,
    body: &str,
    idempotency_key: &str,
) -> Result<Receipt, SubmitError> {
    send(Send {
        method: "POST",
        url: format!("{endpoint}/events/{event}/registrations"),
        body: Some(body),
        idempotency_key,
        token: None,
        version: None,
    })
    .await
}

/// PUTs the amended registration, made against `version`. A key reused
/// with other answers means an earlier attempt was stored: the registration
/// changed under this one, as with a failed precondition.
pub async fn amend(
    endpoint: &str,
    event: &str,
    token: &str,
    version: u32,
    body: &str,
    idempotency_key: &str,
) -> Result<Revision, SubmitError> {
    send(Send {
        method: "PUT",
        url: my_registration(endpoint, event),
        body: Some(body),
        idempotency_key,
        token: Some(token),
        version: Some(version),
    })
    .await
    .map_err(|e| match e {
        SubmitError::AlreadyReceived(_) => SubmitError::Changed,
        e => e,
    })
}

/// DELETEs (withdraws) the registration, as seen at `version`.
pub async fn withdraw(
    endpoint: &str,
    event: &str,
    token: &str,
    version: u32,
    idempotency_key: &str,
) -> Result<Revision, SubmitError> {
    send(Send {
        method: "DELETE",
        url: my_registration(endpoint, event),
        body: None,
        idempotency_key,
        token: Some(token),
        version: Some(version),
    })
    .await
}

/// Why the registration behind a manage link could not be loaded.
#[derive(Clone, Debug, PartialEq)]
pub enum ManageError {
    /// Wrong, revoked or for another event (401), or unknown (404).
    LinkInvalid,
    Network,
    Server(u16),
    BadResponse,
}

/// The focal point's registration, and the version its `ETag` names.
pub async fn get_my_registration(
    endpoint: &str,
    event: &str,
    token: &str,
) -> Result<MyRegistration, ManageError> {
    let res = Request::get(&my_registration(endpoint, event))
        .header("Authorization", &format!("Bearer {token}"))
        .send()
        .await
        .map_err(|_| ManageError::Network)?;
    match res.status() {
        200 => {
            let etag = res.headers().get(header::ETAG);
            let mut mine: MyRegistration =
                res.json().await.map_err(|_| ManageError::BadResponse)?;
            if let Some(version) = etag.as_deref().and_then(parse_etag) {
                mine.version = version;
            }
            Ok(mine)
        }
        401 | 404 => Err(ManageError::LinkInvalid),
        s => Err(ManageError::Server(s)),
    }
}

fn my_registration(endpoint: &str, event: &str) -> String {
    format!("{endpoint}/events/{event}/my-registration")
}

/// `"3"` for version 3, as `If-Match` and `ETag` carry it.
pub fn etag(version: u32) -> String {
    format!("\"{version}\"")
}

/// The version in an `ETag` (`"3"`, or weak `W/"3"`).
pub fn parse_etag(value: &str) -> Option<u32> {
    value
        .trim()
        .trim_start_matches("W/")
        .trim_matches('"')
        .parse()
        .ok()
}

fn retry_after(res: &Response) -> Option<u32> {
    res.headers().get("Retry-After")?.trim().parse().ok()
}

async fn problem(res: Response) -> Problem {
    res.json().await.unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn problem(code: &str) -> Problem {
        Problem {
            code: code.into(),
            ..Problem::default()
        }
    }

    #[test]
    fn amendment_answers_map_to_their_errors() {
        use problem_code::*;
        assert_eq!(
            final_error(412, &problem(PRECONDITION_FAILED)),
            Some(SubmitError::Changed)
        );
        assert_eq!(
            final_error(409, &problem(AMENDMENTS_CLOSED)),
            Some(SubmitError::AmendmentsClosed)
        );
        assert_eq!(
            final_error(409, &problem(REGISTRATION_FINAL)),
            Some(SubmitError::Final)
        );
        assert_eq!(
            final_error(401, &problem(MANAGE_TOKEN_INVALID)),
            Some(SubmitError::LinkInvalid)
        );
        assert_eq!(final_error(409, &problem(IDEMPOTENCY_IN_FLIGHT)), None);
        assert_eq!(final_error(503, &Problem::default()), None);
        let invalid: Problem = serde_json::from_str(
            r#"{"code":"validation.failed","errors":[{"path":"members[0].email","code":"email.invalid"}]}"#,
        )
        .unwrap();
        let Some(SubmitError::Invalid(errors)) = final_error(422, &invalid) else {
            panic!("a 422 is invalid answers");
        };
        assert_eq!(errors[0].path, "members[0].email");
    }

    #[test]
    fn etags_carry_the_version() {
        assert_eq!(etag(3), "\"3\"");
        assert_eq!(parse_etag("\"12\""), Some(12));
        assert_eq!(parse_etag("W/\"4\""), Some(4));
        assert_eq!(parse_etag("abc"), None);
    }
}
