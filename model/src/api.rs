//! The bodies of the HTTP API, shared by the server that writes them and
//! the widget and organiser view that read them, so the three cannot drift.
//!
//! Times are RFC 3339 strings in UTC (`2027-04-01T09:30:00Z`); versions
//! count from 1 (the registration as first submitted).

use crate::error::ValidationError;
use crate::payload::Registration;
use crate::review::{Change, Status};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Request and response headers of the API (lower case, as HTTP/2 sends them).
pub mod header {
    /// The client's key for one submission or amendment; a retry reuses it.
    pub const IDEMPOTENCY_KEY: &str = "idempotency-key";
    /// Set on a response replayed for an idempotency key already used.
    pub const IDEMPOTENT_REPLAYED: &str = "idempotent-replayed";
    /// The version an amendment was made against: `"<version>"`.
    pub const IF_MATCH: &str = "if-match";
    /// The version of a registration a response shows: `"<version>"`.
    pub const ETAG: &str = "etag";
}

/// Problem codes the server answers with besides the validation codes of
/// [`crate::codes`]; clients branch on them, never on the English detail.
pub mod problem_code {
    /// 422: the body has validation errors, listed in `errors`.
    pub const VALIDATION_FAILED: &str = "validation.failed";
    /// 409: registration closed for the event.
    pub const REGISTRATION_CLOSED: &str = crate::codes::REGISTRATION_CLOSED;
    /// 409: another request with this idempotency key is being processed.
    pub const IDEMPOTENCY_IN_FLIGHT: &str = "idempotency.in_flight";
    /// 422: the key was used before with a different body; `reference`
    /// names the registration stored under it.
    pub const IDEMPOTENCY_KEY_REUSED: &str = "idempotency.key_reused";
    /// 409: the event's amendment deadline has passed.
    pub const AMENDMENTS_CLOSED: &str = "amendments.closed";
    /// 409: a rejected or withdrawn registration cannot be changed.
    pub const REGISTRATION_FINAL: &str = "registration.final";
    /// 428: an amendment or decision must say which version it was made
    /// against (`If-Match`, or `version` in an organiser's decision).
    pub const PRECONDITION_REQUIRED: &str = "precondition.required";
    /// 412: the registration changed since that version.
    pub const PRECONDITION_FAILED: &str = "precondition.failed";
    /// 401: the manage token is wrong, revoked or for another event.
    pub const MANAGE_TOKEN_INVALID: &str = "manage_token.invalid";
    /// 422: a decision to reject or request changes needs a note.
    pub const NOTE_REQUIRED: &str = "note.required";
    /// 422: the note is too long.
    pub const NOTE_TOO_LONG: &str = "note.too_long";
    /// 422: the note holds control characters or direction overrides
    /// (the rule of every free-text answer, [`crate::rules::text`]).
    pub const NOTE_INVALID_CHARACTERS: &str = "note.invalid_characters";
    /// 409: the organiser's decision is not a move review allows.
    pub const TRANSITION_NOT_ALLOWED: &str = "status.transition_not_allowed";
    /// 409: the event has no `manage_page`, so no manage link can be sent.
    pub const MANAGE_PAGE_MISSING: &str = "manage_page.missing";
    /// 409: another new manage link was being sent at the same time;
    /// `Retry-After` says when to try again.
    pub const MANAGE_LINK_BUSY: &str = "manage_link.busy";

    /// 404: there is no such event.
    pub const EVENT_UNKNOWN: &str = "event.unknown";
    /// 404: there is no such registration (organiser endpoints).
    pub const REGISTRATION_UNKNOWN: &str = "registration.unknown";
    /// 404: no such attachment for the event (the validation code of a
    /// payload naming a file the server does not have).
    pub const ATTACHMENT_UNKNOWN: &str = crate::codes::ATTACHMENT_UNKNOWN;
    /// 404: there is no such API endpoint.
    pub const ROUTE_UNKNOWN: &str = "route.unknown";
    /// 405: the endpoint does not take this method.
    pub const METHOD_NOT_ALLOWED: &str = "method.not_allowed";
    /// 4xx or 5xx: a request the framework refused before any handler
    /// (a path or query it cannot parse), with its own status.
    pub const REQUEST_INVALID: &str = "request.invalid";

    /// 415: the body is not `application/json`.
    pub const BODY_UNSUPPORTED_MEDIA_TYPE: &str = "body.unsupported_media_type";
    /// 413: the body is over the size limit.
    pub const BODY_TOO_LARGE: &str = "body.too_large";
    /// 408: the body arrived more slowly than the minimum data rate.
    pub const BODY_TIMEOUT: &str = "body.timeout";
    /// 400: the body could not be read.
    pub const BODY_UNREADABLE: &str = "body.unreadable";
    /// 400: the body is not JSON.
    pub const BODY_MALFORMED_JSON: &str = "body.malformed_json";
    /// 422: a value of the wrong type; also the code of that error in
    /// `errors`, at the value's path.
    pub const BODY_INVALID: &str = "body.invalid";
    /// 400: a query parameter the endpoint does not understand.
    pub const QUERY_INVALID: &str = "query.invalid";
    /// 400: the `Idempotency-Key` header is missing or malformed.
    pub const IDEMPOTENCY_KEY_INVALID: &str = "idempotency.key_invalid";
    /// 400: `If-Match` is not a version (`"<version>"`).
    pub const PRECONDITION_INVALID: &str = "precondition.invalid";

    /// 400: an upload names a purpose the server does not know.
    pub const ATTACHMENT_UNKNOWN_PURPOSE: &str = "attachment.unknown_purpose";
    /// 415: an upload of a type no attachment field takes.
    pub const ATTACHMENT_UNSUPPORTED_TYPE: &str = "attachment.unsupported_type";
    /// 422: an upload that is not what its type says (an unreadable image
    /// or PDF).
    pub const ATTACHMENT_MALFORMED: &str = "attachment.malformed";
    /// 429: the client address's unclaimed uploads of the last 24 hours
    /// are at the quota; `Retry-After` says when the oldest leaves the window.
    pub const UPLOAD_QUOTA_EXCEEDED: &str = "upload.quota_exceeded";
    /// 429: the event's unclaimed uploads are at its cap.
    pub const UPLOAD_EVENT_STORAGE_FULL: &str = "upload.event_storage_full";

    /// 401: the organiser's bearer token is missing, wrong, expired or revoked.
    pub const AUTH_INVALID_TOKEN: &str = "auth.invalid_token";
    /// 429: too many submissions, failed sign-ins or manage-link attempts
    /// from this address; `Retry-After` says when to try again (undotted,
    /// as first published).
    pub const RATE_LIMITED: &str = "rate_limited";
    /// 403: a cross-origin request from an origin the event does not allow.
    pub const CORS_ORIGIN_NOT_ALLOWED: &str = "cors.origin_not_allowed";

    /// 507: the server's disk is full; nothing was stored.
    pub const STORAGE_FULL: &str = "storage.full";
    /// 503: the database cannot be used.
    pub const STORAGE_UNAVAILABLE: &str = "storage.unavailable";
    /// 503: the database is busy; `Retry-After` says when to try again.
    pub const STORAGE_BUSY: &str = "storage.busy";
    /// 500: the server could not complete the request; nothing was stored.
    pub const SERVER_ERROR: &str = "server.error";
    /// 503: the server did not finish the request within its time limit.
    pub const SERVER_TIMEOUT: &str = "server.timeout";

    /// Every problem code above (two are validation codes too:
    /// [`REGISTRATION_CLOSED`] and [`ATTACHMENT_UNKNOWN`]).
    pub const ALL: &[&str] = &[
        VALIDATION_FAILED,
        REGISTRATION_CLOSED,
        IDEMPOTENCY_IN_FLIGHT,
        IDEMPOTENCY_KEY_REUSED,
        AMENDMENTS_CLOSED,
        REGISTRATION_FINAL,
        PRECONDITION_REQUIRED,
        PRECONDITION_FAILED,
        MANAGE_TOKEN_INVALID,
        NOTE_REQUIRED,
        NOTE_TOO_LONG,
        NOTE_INVALID_CHARACTERS,
        TRANSITION_NOT_ALLOWED,
        MANAGE_PAGE_MISSING,
        MANAGE_LINK_BUSY,
        EVENT_UNKNOWN,
        REGISTRATION_UNKNOWN,
        ATTACHMENT_UNKNOWN,
        ROUTE_UNKNOWN,
        METHOD_NOT_ALLOWED,
        REQUEST_INVALID,
        BODY_UNSUPPORTED_MEDIA_TYPE,
        BODY_TOO_LARGE,
        BODY_TIMEOUT,
        BODY_UNREADABLE,
        BODY_MALFORMED_JSON,
        BODY_INVALID,
        QUERY_INVALID,
        IDEMPOTENCY_KEY_INVALID,
        PRECONDITION_INVALID,
        ATTACHMENT_UNKNOWN_PURPOSE,
        ATTACHMENT_UNSUPPORTED_TYPE,
        ATTACHMENT_MALFORMED,
        UPLOAD_QUOTA_EXCEEDED,
        UPLOAD_EVENT_STORAGE_FULL,
        AUTH_INVALID_TOKEN,
        RATE_LIMITED,
        CORS_ORIGIN_NOT_ALLOWED,
        STORAGE_FULL,
        STORAGE_UNAVAILABLE,
        STORAGE_BUSY,
        SERVER_ERROR,
        SERVER_TIMEOUT,
    ];
}

/// An RFC 9457 `application/problem+json` body.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// `urn:accredit:problem:<code>`.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The HTTP reason phrase.
    #[serde(default)]
    pub title: String,
    /// The HTTP status.
    #[serde(default)]
    pub status: u16,
    /// English, for people reading logs; clients show their own words.
    #[serde(default)]
    pub detail: String,
    /// The stable code clients branch on.
    #[serde(default)]
    pub code: String,
    /// Validation errors (422 `validation.failed`), in form order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// The registration the problem is about (a reused idempotency key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

/// One validation error: where, which rule, its params, and the English
/// sentence from the model's catalogue.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// `members[1].email`, or `event`.
    pub path: String,
    /// A code of [`crate::codes`].
    pub code: String,
    /// The English message.
    #[serde(default)]
    pub message: String,
    /// The code's params.
    #[serde(default)]
    pub params: BTreeMap<String, String>,
}

impl From<FieldError> for ValidationError {
    fn from(error: FieldError) -> Self {
        ValidationError {
            path: error.path,
            code: error.code.into(),
            params: error.params,
        }
    }
}

/// `201` to `POST …/registrations`, and to every replay with its key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// The registration's id.
    pub id: String,
    /// The reference people quote (`ISL-NHK2`).
    pub reference: String,
    /// Always `pending` when created.
    pub status: Status,
    /// The bearer secret of the manage link (base64url, 256 bits). Only its
    /// hash is stored; a backend without manage links leaves it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manage_token: Option<String>,
    /// `{manage_page}#accredit-manage={manage_token}`, when the event has a
    /// manage page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manage_link: Option<String>,
}

/// Who made a version or a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Author {
    /// The delegation's focal point (with the manage link).
    FocalPoint,
    /// The conference's organisers.
    Organiser,
}

/// What happened to a registration, as the focal point sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum HistoryKind {
    /// The first version.
    Submitted,
    /// A new version from the focal point.
    Amended {
        /// How many changes it made.
        changes: usize,
    },
    /// An organiser's decision.
    Decided {
        /// The new status.
        status: Status,
    },
    /// Withdrawn by the focal point.
    Withdrawn,
}

/// One line of a registration's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// When.
    pub at: String,
    /// Who.
    pub by: Author,
    /// The version it made or applied to.
    pub version: u32,
    /// What.
    #[serde(flatten)]
    pub what: HistoryKind,
    /// One English line, for readers of the raw API.
    pub summary: String,
}

/// `GET …/my-registration`: the focal point's view of their registration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyRegistration {
    /// The registration's id.
    pub id: String,
    /// Its reference.
    pub reference: String,
    /// Where review stands.
    pub status: Status,
    /// The current version (also the `ETag`).
    pub version: u32,
    /// The organiser's latest note, when changes were requested or the
    /// registration was rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Whether it can still be amended or withdrawn (the status allows it
    /// and the amendment deadline has not passed).
    pub amendable: bool,
    /// The last day amendments are accepted (`YYYY-MM-DD`).
    pub amendments_close: String,
    /// The payload, identity-document numbers masked (see [`crate::mask`]).
    pub registration: Registration,
    /// Oldest first.
    pub history: Vec<HistoryEntry>,
}

/// `200` to `PUT …/my-registration` (and to `DELETE`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    /// The new version.
    pub version: u32,
    /// The status after the change (`pending` after an amendment,
    /// `withdrawn` after a withdrawal).
    pub status: Status,
}

/// `PATCH …/registrations/{id}`: an organiser's decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// `approved`, `rejected` or `changes_requested`.
    pub status: Status,
    /// Why; required for `rejected` and `changes_requested`, and sent to
    /// the focal point.
    #[serde(default)]
    pub note: String,
    /// The version the organiser looked at; a decision on a version the
    /// focal point has since amended is refused (`412`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
}

/// The organiser who made a status change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The organiser token's id; `focal_point` for the delegation's own
    /// withdrawal.
    pub token_id: String,
    /// The token's label ("Protocol desk").
    pub label: String,
}

/// One status change in the organiser's audit trail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// When.
    pub at: String,
    /// Who.
    pub by: Actor,
    /// Status before.
    pub from: Status,
    /// Status after.
    pub to: Status,
    /// The note given.
    pub note: String,
}

/// What a message is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// Registration received, with the manage link.
    Received,
    /// An amendment received, with what changed.
    Amended,
    /// Approved: the accreditation.
    Approved,
    /// Changes requested, with the note and the link.
    ChangesRequested,
    /// Rejected, with the note.
    Rejected,
    /// Withdrawal confirmed.
    Withdrawn,
    /// A new manage link (the old one no longer works).
    ManageLink,
    /// A member's own accreditation (events with `notify_members`).
    MemberAccredited,
}

/// Where a message is in the outbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// Waiting for its first or next attempt.
    Queued,
    /// Accepted by the mail server (or written to the outbox folder).
    Sent,
    /// Given up after 48 hours of attempts, or refused for good.
    Failed,
}

/// A message of a registration, in the organiser's detail view.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageInfo {
    /// The outbox id.
    pub id: String,
    /// What it is about.
    pub kind: MessageKind,
    /// The recipient's address.
    pub to: String,
    /// The subject line (it starts with the reference).
    pub subject: String,
    /// When it was queued.
    pub created_at: String,
    /// Where it is.
    pub delivery: Delivery,
    /// When it was sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_at: Option<String>,
    /// Attempts so far.
    pub attempts: u32,
    /// The last failure, for the organiser to act on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
}

/// One registration in the organiser's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationSummary {
    /// Id.
    pub id: String,
    /// Reference.
    pub reference: String,
    /// Review status.
    pub status: Status,
    /// Current version.
    pub version: u32,
    /// Changed by the focal point since an organiser last decided.
    pub amended: bool,
    /// Delegation kind.
    pub kind: crate::DelegationKind,
    /// Alpha-2, for State delegations.
    pub country: Option<String>,
    /// English short name of the country.
    pub country_name: Option<String>,
    /// Organisation, for the others.
    pub organisation: Option<String>,
    /// The delegation's name as listed.
    pub name: String,
    /// The head of delegation's badge name.
    pub head_of_delegation: Option<String>,
    /// Number of members.
    pub members: usize,
    /// First submitted.
    pub created_at: String,
    /// Last changed.
    pub updated_at: String,
    /// The payload, with `?include=registration`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration: Option<Registration>,
}

/// `GET …/registrations` (organiser).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationList {
    /// How many matched.
    pub total: usize,
    /// Oldest first.
    pub registrations: Vec<RegistrationSummary>,
}

/// `GET …/registrations/{id}` (organiser), and the answer to a decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationDetail {
    /// Id.
    pub id: String,
    /// Reference.
    pub reference: String,
    /// Review status.
    pub status: Status,
    /// Current version.
    pub version: u32,
    /// The version an organiser last decided on, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed_version: Option<u32>,
    /// First submitted.
    pub created_at: String,
    /// Last changed.
    pub updated_at: String,
    /// The payload (unmasked: organisers see document numbers).
    pub registration: Registration,
    /// Status changes, oldest first.
    pub audit: Vec<AuditEntry>,
    /// What changed since the reviewed version (empty when never decided
    /// or not amended since).
    pub changes: Vec<Change>,
    /// The versions, oldest first.
    pub history: Vec<HistoryEntry>,
    /// Messages sent about it, oldest first.
    pub messages: Vec<MessageInfo>,
}

/// `202` to `POST …/registrations/{id}/manage-link` (organiser).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManageLinkSent {
    /// The outbox id of the message carrying the new link.
    pub message: String,
    /// Where it goes.
    pub to: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_codes_are_unique_lower_case_identifiers() {
        let mut seen = std::collections::BTreeSet::new();
        for code in problem_code::ALL {
            assert!(seen.insert(*code), "duplicate {code}");
            assert!(
                !code.is_empty()
                    && code
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b == b'_' || b == b'.'),
                "{code}"
            );
        }
    }

    #[test]
    fn receipt_reads_bodies_of_backends_without_manage_links() {
        let receipt: Receipt =
            serde_json::from_str(r#"{"id":"r1","reference":"ISL-AB2","status":"pending"}"#)
                .unwrap();
        assert_eq!(receipt.manage_token, None);
        assert_eq!(receipt.status, Status::Pending);
    }

    #[test]
    fn history_entries_are_flat() {
        let entry = HistoryEntry {
            at: "2027-03-01T10:00:00Z".into(),
            by: Author::Organiser,
            version: 2,
            what: HistoryKind::Decided {
                status: Status::ChangesRequested,
            },
            summary: "Changes requested".into(),
        };
        let json = serde_json::to_value(&entry).unwrap();
        assert_eq!(json["kind"], "decided");
        assert_eq!(json["status"], "changes_requested");
        assert_eq!(json["by"], "organiser");
        assert_eq!(serde_json::from_value::<HistoryEntry>(json).unwrap(), entry);
    }

    #[test]
    fn a_problem_turns_into_validation_errors() {
        let problem: Problem = serde_json::from_str(
            r#"{"type":"urn:accredit:problem:validation.failed","title":"Unprocessable Entity","status":422,"detail":"","code":"validation.failed","errors":[{"path":"members[0].email","code":"email.invalid","message":"Enter…","params":{}}]}"#,
        )
        .unwrap();
        let errors: Vec<ValidationError> = problem.errors.into_iter().map(Into::into).collect();
        assert_eq!(errors[0].path, "members[0].email");
        assert_eq!(errors[0].code, crate::codes::EMAIL_INVALID);
    }
}
