//! `/api/v1/events/{event}/my-registration`: the focal point's own
//! registration, opened with the manage token of their link.
//!
//! - `GET` shows it (document numbers masked) with its history; the
//!   `ETag` is its version.
//! - `PUT` replaces the payload. `If-Match` is required (428 without, 412
//!   when the registration changed meanwhile) and so is an
//!   `Idempotency-Key` (a retry replays the first answer). The model
//!   checks everything again, a masked number sent back unchanged keeps
//!   the stored one, every version is kept, and an approved or
//!   changes-requested registration goes back to pending.
//! - `DELETE` withdraws it: kept for the audit trail, never listed,
//!   exported or badged again. A repeated `DELETE` answers as the first.
//!
//! Amendments close on the event's `amendments_close` (409
//! `amendments.closed`); a withdrawal is accepted until the event ends, as
//! a delegation that will not come should always be able to say so.
//! Rejected and withdrawn registrations cannot be amended (409
//! `registration.final`).

use super::problem::Problem;
use super::registrations::{
    attachment_references, check_attachments, in_flight, json_response, replay_record,
};
use super::{ClientIp, body, storage_problem};
use crate::idempotency::{self, HEADER, IN_FLIGHT_WAIT};
use crate::mail::Letter;
use crate::registration_body::{parse_json, parse_registration};
use crate::storage::{
    self, AmendOutcome, Amendment, StoredRegistration, WithdrawOutcome, Withdrawal,
};
use crate::{AppState, history, manage, outbox};
use accredit_model::api::{MessageKind, MyRegistration, Revision, problem_code};
use accredit_model::codes;
use accredit_model::mask::{mask_registration, unmask};
use accredit_model::review::{self, Status, changes};
use accredit_model::{EventConfig, Registration, ValidationError, validate_contents};
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// `GET`: the registration, masked, with its history.
pub async fn show(
    State(state): State<Arc<AppState>>,
    Path(event_id): Path<String>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let stored = manage::authorise(&state, &event_id, &headers, client).await?;
    let event = state.event(&event_id)?;
    let (e, id) = (event_id.clone(), stored.id.clone());
    let (versions, trail) = storage::run(&state.storage, move |s| {
        Ok((s.versions(&e, &id)?, s.audit_trail(&e, &id)?))
    })
    .await
    .map_err(storage_problem)?;
    let registration = payload_of(&stored)?;
    let body = MyRegistration {
        id: stored.id.clone(),
        reference: stored.reference.clone(),
        status: stored.status,
        version: stored.version,
        note: history::latest_note(stored.status, &trail),
        amendable: review::amendable(stored.status, event, state.clock.today()),
        amendments_close: event.amendments_close_on().to_string(),
        registration: mask_registration(&registration),
        history: history::entries(&versions, &trail),
    };
    let json = serde_json::to_string(&body).map_err(Problem::internal)?;
    Ok(with_etag(
        json_response(StatusCode::OK, json, None),
        stored.version,
    ))
}

/// `PUT`: a new version of the whole payload.
pub async fn amend(
    State(state): State<Arc<AppState>>,
    Path(event_id): Path<String>,
    ClientIp(client): ClientIp,
    request: Request,
) -> Result<Response, Problem> {
    let (parts, request_body) = request.into_parts();
    let headers = &parts.headers;
    let stored = manage::authorise(&state, &event_id, headers, client).await?;
    let event = state.event(&event_id)?;
    body::require_json(headers)?;
    let expected = if_match(headers)?.ok_or_else(|| {
        Problem::new(
            StatusCode::PRECONDITION_REQUIRED,
            problem_code::PRECONDITION_REQUIRED,
            "Send If-Match with the version you amended (the ETag of GET my-registration).",
        )
    })?;
    let key = idempotency::parse_key(headers.get(HEADER).map(HeaderValue::as_bytes))
        .map_err(|detail| Problem::bad_request(problem_code::IDEMPOTENCY_KEY_INVALID, detail))?;
    // Amendment keys live beside registration keys; scoping them to the
    // registration keeps one delegation's key from replaying another's.
    let key = format!("amend:{}:{key}", stored.id);
    let Some(_claim) = state.in_flight.claim(&event_id, &key, IN_FLIGHT_WAIT).await else {
        return Err(in_flight());
    };
    let bytes = body::read(headers, request_body, body::JSON_LIMIT, state.body_rate).await?;
    let (json, body_hash) = parse_json(&bytes)?;
    let (e, k) = (event_id.clone(), key.clone());
    let earlier = storage::run(&state.storage, move |s| s.idempotency_record(&e, &k))
        .await
        .map_err(storage_problem)?;
    if let Some(record) = earlier {
        return replay_record(&record, &body_hash);
    }

    check_amendable(&stored, event, state.clock.today())?;
    if stored.version != expected {
        return Err(stale(stored.version));
    }
    let before = payload_of(&stored)?;
    let mut registration = parse_registration(json)?.normalised();
    unmask(&mut registration, &before);
    let mut errors = validate_contents(&registration, event, state.clock.today())
        .err()
        .unwrap_or_default();
    let references = attachment_references(&registration);
    errors.extend(check_attachments(&state, &event_id, &references, Some(&stored.id)).await?);
    if !errors.is_empty() {
        errors.sort_form_order();
        return Err(Problem::invalid(errors.as_slice()));
    }

    let what_changed = changes(&before, &registration);
    let messages = outbox::compose(
        &state,
        &Letter {
            kind: MessageKind::Amended,
            event,
            reference: &stored.reference,
            registration: &registration,
            status: Status::Pending,
            note: None,
            manage_link: current_link(&state, event, &stored).as_deref(),
            changes: &what_changed,
            member: None,
        },
    );
    let revision = Revision {
        version: expected + 1,
        status: Status::Pending,
    };
    let response = serde_json::to_string(&revision).map_err(Problem::internal)?;
    let amendment = Amendment {
        event: event_id.clone(),
        registration_id: stored.id.clone(),
        expected_version: expected,
        payload: serde_json::to_string(&registration).map_err(Problem::internal)?,
        at: state.clock.now(),
        idempotency_key: key,
        body_hash,
        response: response.clone(),
        attachments: references.iter().map(|r| r.id.clone()).collect(),
        messages,
    };
    let outcome = storage::run(&state.storage, move |s| s.amend(&amendment))
        .await
        .map_err(storage_problem)?;
    match outcome {
        AmendOutcome::Amended { version, from } => {
            tracing::info!(event = %event_id, id = %stored.id, version, from = from.as_str(), "registration amended");
            state.outbox.wake();
            Ok(with_etag(
                json_response(StatusCode::OK, response, None),
                version,
            ))
        }
        AmendOutcome::KeyTaken(record) => replay_record(&record, &body_hash),
        AmendOutcome::Stale { current } => Err(stale(current)),
        AmendOutcome::Final(status) => Err(final_status(status)),
        AmendOutcome::NotFound => Err(Problem::internal("a manage token's registration vanished")),
        AmendOutcome::AttachmentsUnavailable(ids) => {
            let errors: Vec<_> = references
                .iter()
                .filter(|r| ids.contains(&r.id))
                .map(|r| ValidationError::new(r.path.clone(), codes::ATTACHMENT_UNKNOWN))
                .collect();
            Err(Problem::invalid(&errors))
        }
    }
}

/// `DELETE`: the delegation withdraws.
pub async fn withdraw(
    State(state): State<Arc<AppState>>,
    Path(event_id): Path<String>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let stored = manage::authorise(&state, &event_id, &headers, client).await?;
    let event = state.event(&event_id)?;
    let expected = if_match(&headers)?;
    let answer = |version| -> Result<Response, Problem> {
        let revision = Revision {
            version,
            status: Status::Withdrawn,
        };
        let json = serde_json::to_string(&revision).map_err(Problem::internal)?;
        Ok(with_etag(
            json_response(StatusCode::OK, json, None),
            version,
        ))
    };
    if stored.status == Status::Withdrawn {
        return answer(stored.version);
    }
    if !stored.status.is_amendable() {
        return Err(final_status(stored.status));
    }
    if state.clock.today() > event.ends_on {
        return Err(closed(event.ends_on));
    }
    let registration = payload_of(&stored)?;
    let messages = outbox::compose(
        &state,
        &Letter {
            kind: MessageKind::Withdrawn,
            event,
            reference: &stored.reference,
            registration: &registration,
            status: Status::Withdrawn,
            note: None,
            manage_link: None,
            changes: &[],
            member: None,
        },
    );
    let withdrawal = Withdrawal {
        event: event_id.clone(),
        registration_id: stored.id.clone(),
        expected_version: expected,
        at: state.clock.now(),
        messages,
    };
    let outcome = storage::run(&state.storage, move |s| s.withdraw(&withdrawal))
        .await
        .map_err(storage_problem)?;
    match outcome {
        WithdrawOutcome::Withdrawn { version } => {
            tracing::info!(event = %event_id, id = %stored.id, "registration withdrawn");
            state.outbox.wake();
            answer(version)
        }
        WithdrawOutcome::AlreadyWithdrawn { version } => answer(version),
        WithdrawOutcome::Stale { current } => Err(stale(current)),
        WithdrawOutcome::Final(status) => Err(final_status(status)),
        WithdrawOutcome::NotFound => {
            Err(Problem::internal("a manage token's registration vanished"))
        }
    }
}

fn payload_of(stored: &StoredRegistration) -> Result<Registration, Problem> {
    serde_json::from_str(&stored.payload).map_err(Problem::internal)
}

/// The link of the registration's current token, when the event has a
/// manage page.
pub(super) fn current_link(
    state: &AppState,
    event: &EventConfig,
    stored: &StoredRegistration,
) -> Option<String> {
    event.manage_link(&state.manage_key.token(&stored.id, stored.manage_generation))
}

fn check_amendable(
    stored: &StoredRegistration,
    event: &EventConfig,
    today: accredit_model::Date,
) -> Result<(), Problem> {
    if !stored.status.is_amendable() {
        return Err(final_status(stored.status));
    }
    if !event.amendments_open(today) {
        return Err(closed(event.amendments_close_on()));
    }
    Ok(())
}

fn closed(on: accredit_model::Date) -> Problem {
    Problem::new(
        StatusCode::CONFLICT,
        problem_code::AMENDMENTS_CLOSED,
        format!("Amendments closed on {on}; write to the secretariat instead."),
    )
}

fn final_status(status: Status) -> Problem {
    Problem::new(
        StatusCode::CONFLICT,
        problem_code::REGISTRATION_FINAL,
        format!(
            "A {} registration cannot be changed any more.",
            status.as_str()
        ),
    )
}

pub(super) fn stale(current: u32) -> Problem {
    Problem::new(
        StatusCode::PRECONDITION_FAILED,
        problem_code::PRECONDITION_FAILED,
        format!("The registration changed meanwhile; it is now at version {current}."),
    )
}

/// `If-Match: "<version>"` (a weak or bare number is accepted too).
fn if_match(headers: &HeaderMap) -> Result<Option<u32>, Problem> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .map(|v| v.trim().trim_start_matches("W/").trim_matches('"'))
        .and_then(|v| v.parse::<u32>().ok())
        .map(Some)
        .ok_or_else(|| {
            Problem::bad_request(
                problem_code::PRECONDITION_INVALID,
                "If-Match must be the ETag of the registration, e.g. \"3\".",
            )
        })
}

pub(super) fn with_etag(mut response: Response, version: u32) -> Response {
    if let Ok(value) = HeaderValue::from_str(&format!("\"{version}\"")) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_reads_entity_tags() {
        let mut headers = HeaderMap::new();
        assert_eq!(if_match(&headers).unwrap(), None);
        for (value, version) in [("\"3\"", 3), ("W/\"12\"", 12), ("7", 7)] {
            headers.insert(header::IF_MATCH, value.parse().unwrap());
            assert_eq!(if_match(&headers).unwrap(), Some(version), "{value}");
        }
        headers.insert(header::IF_MATCH, "\"abc\"".parse().unwrap());
        assert!(if_match(&headers).is_err());
    }
}
