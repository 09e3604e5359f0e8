//! Every API error as RFC 9457 `application/problem+json`.
//!
//! The body always has `type`, `title`, `status`, `detail` and a stable
//! dotted `code` that clients branch on (the widget retries a 409
//! `idempotency.in_flight` but not a 409 `registration.closed`). Validation
//! failures add `errors: [{path, code, message, params}]`, the same shape
//! the model produces, so the widget shows server-found errors next to the
//! right input exactly as it shows its own.

use accredit_model::ValidationError;
use accredit_model::api::problem_code;
use accredit_model::codes;
use accredit_model::messages::Catalogue;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::LazyLock;

pub const CONTENT_TYPE: &str = "application/problem+json";

/// An API error response.
#[derive(Debug)]
pub struct Problem {
    pub status: StatusCode,
    pub code: Cow<'static, str>,
    pub detail: String,
    pub errors: Vec<FieldError>,
    pub retry_after_secs: Option<u64>,
    /// The reference of a registration the request is about (a reused
    /// idempotency key: what was stored under it).
    pub reference: Option<String>,
}

/// One validation error as sent to clients.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub path: String,
    pub code: String,
    pub message: String,
    pub params: BTreeMap<String, String>,
}

impl From<&ValidationError> for FieldError {
    fn from(error: &ValidationError) -> Self {
        FieldError {
            path: error.path.clone(),
            code: error.code.to_string(),
            message: message(error),
            params: error.params.clone(),
        }
    }
}

#[derive(Serialize)]
struct Body<'a> {
    #[serde(rename = "type")]
    kind: String,
    title: &'a str,
    status: u16,
    detail: &'a str,
    code: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    errors: &'a [FieldError],
    #[serde(skip_serializing_if = "Option::is_none")]
    reference: Option<&'a str>,
}

impl Problem {
    pub fn new(
        status: StatusCode,
        code: impl Into<Cow<'static, str>>,
        detail: impl Into<String>,
    ) -> Self {
        Problem {
            status,
            code: code.into(),
            detail: detail.into(),
            errors: Vec::new(),
            retry_after_secs: None,
            reference: None,
        }
    }

    /// 422 listing validation errors.
    pub fn invalid(errors: &[ValidationError]) -> Self {
        let mut problem = Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            problem_code::VALIDATION_FAILED,
            "The registration has errors; each is listed in `errors` with its path.",
        );
        problem.errors = errors.iter().map(FieldError::from).collect();
        problem
    }

    /// 422 for a single rule of the model refusing what was sent (a file
    /// too small for a badge photo): the model's code, its message as the
    /// detail, and the error in `errors` for clients that show it by a field.
    pub fn refused(error: ValidationError) -> Self {
        let field = FieldError::from(&error);
        let mut problem = Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            error.code,
            format!("{}.", field.message),
        );
        problem.errors = vec![field];
        problem
    }

    pub fn retry_after(mut self, secs: u64) -> Self {
        self.retry_after_secs = Some(secs);
        self
    }

    pub fn not_found(code: &'static str, detail: impl Into<String>) -> Self {
        Problem::new(StatusCode::NOT_FOUND, code, detail)
    }

    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Self {
        Problem::new(StatusCode::BAD_REQUEST, code, detail)
    }

    pub fn unknown_event(event: &str) -> Self {
        Problem::not_found(
            problem_code::EVENT_UNKNOWN,
            format!("There is no event `{event}`."),
        )
    }

    /// A server-side failure; the detail goes to the log, never to the client.
    pub fn internal(what: impl std::fmt::Display) -> Self {
        tracing::error!("internal error: {what}");
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            problem_code::SERVER_ERROR,
            "The server could not complete the request; nothing was stored.",
        )
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let body = Body {
            kind: format!("urn:accredit:problem:{}", self.code),
            title: self.status.canonical_reason().unwrap_or("Error"),
            status: self.status.as_u16(),
            detail: &self.detail,
            code: &self.code,
            errors: &self.errors,
            reference: self.reference.as_deref(),
        };
        let json = serde_json::to_vec(&body).unwrap_or_else(|_| b"{}".to_vec());
        let mut response = (self.status, json).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"accredit\""),
            );
        }
        if let Some(secs) = self.retry_after_secs {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

static ENGLISH: LazyLock<Catalogue> = LazyLock::new(Catalogue::english);

/// Codes only the server produces (the model does not know attachments or
/// request bodies), with their English messages.
const SERVER_MESSAGES: &[(&str, &str)] = &[
    (
        codes::ATTACHMENT_UNKNOWN,
        "The attached file was not found; please upload it again",
    ),
    (
        codes::ATTACHMENT_WRONG_TYPE,
        "This file type is not accepted here",
    ),
    (
        codes::ATTACHMENT_IN_USE,
        "This file is already part of another registration; please upload it again",
    ),
    (
        problem_code::BODY_INVALID,
        "The form data has a value of the wrong type",
    ),
];

/// The English sentence for a validation error. Model codes come from the
/// model's message catalogue, so the server and the widget say the same
/// thing; server-only codes from [`SERVER_MESSAGES`].
fn message(err: &ValidationError) -> String {
    if let Some((_, text)) = SERVER_MESSAGES.iter().find(|(code, _)| *code == err.code) {
        return (*text).to_owned();
    }
    ENGLISH.message(err, &|_, _| None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_come_from_the_catalogue() {
        let err = ValidationError::new("members[0].email", codes::EMAIL_INVALID);
        let text = message(&err);
        assert_ne!(text, codes::EMAIL_INVALID);
        assert!(!text.is_empty());
        let server = ValidationError::new("members[0].photo", "attachment.unknown");
        assert!(message(&server).contains("not found"));
    }
}
