//! `POST /api/v1/events/{event}/registrations`: a delegation registers.
//!
//! The payload is never trusted: whatever the widget checked, the server
//! normalises it and validates it again with the model, and stores the
//! normalised form. The order of checks decides which error a client sees
//! first: unknown event (404), wrong content type (415), missing key (400),
//! key in flight (409), body too large (413), malformed JSON (400), key
//! reused (replay, or 422 for another body), registration closed (409),
//! wrong types or validation errors (422).

use super::body;
use super::problem::Problem;
use super::storage_problem;
use crate::attachments::{self, Kind, Purpose, Rejection};
use crate::idempotency::{self, HEADER, IN_FLIGHT_WAIT};
use crate::mail::Letter;
use crate::registration_body::{checked_registration, parse_json};
use crate::storage::{self, IdempotencyRecord, InsertOutcome, NewRegistration};
use crate::{AppState, manage, outbox, random, reference};
use accredit_model::api::header::IDEMPOTENT_REPLAYED;
use accredit_model::api::{MessageKind, Receipt, problem_code};
use accredit_model::codes;
use accredit_model::review::Status;
use accredit_model::{EventConfig, Registration, ValidationError, ValidationErrors};
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// Attempts at a free reference before giving up (each retry after three
/// collisions adds a character, so this is never reached in practice).
const REFERENCE_ATTEMPTS: usize = 12;

pub async fn create(
    State(state): State<Arc<AppState>>,
    Path(event_id): Path<String>,
    headers: HeaderMap,
    request_body: Body,
) -> Result<Response, Problem> {
    let event = state.event(&event_id)?;
    body::require_json(&headers)?;
    let key = idempotency::parse_key(headers.get(HEADER).map(HeaderValue::as_bytes))
        .map_err(|detail| Problem::bad_request(problem_code::IDEMPOTENCY_KEY_INVALID, detail))?
        .to_owned();
    // Held until the response is built, whatever happens.
    let Some(_claim) = state.in_flight.claim(&event_id, &key, IN_FLIGHT_WAIT).await else {
        return Err(in_flight());
    };
    let bytes = body::read(&headers, request_body, body::JSON_LIMIT, state.body_rate).await?;
    let (json, body_hash) = parse_json(&bytes)?;

    let (e, k) = (event_id.clone(), key.clone());
    let earlier = storage::run(&state.storage, move |s| s.idempotency_record(&e, &k))
        .await
        .map_err(storage_problem)?;
    if let Some(record) = earlier {
        return replay(&state, event, &event_id, &record, &body_hash).await;
    }

    let today = state.clock.today();
    if !event.is_open(today) {
        return Err(Problem::new(
            StatusCode::CONFLICT,
            problem_code::REGISTRATION_CLOSED,
            format!("Registration closed on {}.", event.registration_closes_on),
        ));
    }
    let (registration, mut errors) = checked_registration(json, event, today)?;
    let references = attachment_references(&registration);
    errors.extend(check_attachments(&state, &event_id, &references, None).await?);
    if !errors.is_empty() {
        errors.sort_form_order();
        return Err(Problem::invalid(errors.as_slice()));
    }

    let id = random::uuid();
    let payload = serde_json::to_string(&registration).map_err(Problem::internal)?;
    let prefix = state.reference_prefix(&event_id);
    let token = state.manage_key.token(&id, 1);
    let manage_link = event.manage_link(&token);
    for attempt in 0..REFERENCE_ATTEMPTS {
        let reference = reference::generate(&prefix, reference::length_for_attempt(attempt));
        // The stored response, replayed for the key, leaves the token out:
        // a replay derives it again (see `replay`), so it is never stored.
        let receipt = Receipt {
            id: id.clone(),
            reference: reference.clone(),
            status: Status::Pending,
            manage_token: None,
            manage_link: None,
        };
        let response = serde_json::to_string(&receipt).map_err(Problem::internal)?;
        let messages = outbox::compose(
            &state,
            &Letter {
                kind: MessageKind::Received,
                event,
                reference: &reference,
                registration: &registration,
                status: Status::Pending,
                note: None,
                manage_link: manage_link.as_deref(),
                changes: &[],
                member: None,
            },
        );
        let new = NewRegistration {
            id: id.clone(),
            event: event_id.clone(),
            reference,
            payload: payload.clone(),
            created_at: state.clock.now(),
            idempotency_key: key.clone(),
            body_hash,
            response_status: StatusCode::CREATED.as_u16(),
            response,
            attachments: references.iter().map(|r| r.id.clone()).collect(),
            manage_hash: manage::hash(&token),
            messages,
        };
        let outcome = storage::run(&state.storage, move |s| s.insert_registration(&new))
            .await
            .map_err(storage_problem)?;
        match outcome {
            InsertOutcome::Created => {
                tracing::info!(event = %event_id, %id, "registration stored");
                state.outbox.wake();
                let location = format!("/api/v1/events/{event_id}/registrations/{id}");
                let receipt = Receipt {
                    manage_token: Some(token),
                    manage_link,
                    ..receipt
                };
                let body = serde_json::to_string(&receipt).map_err(Problem::internal)?;
                return Ok(json_response(StatusCode::CREATED, body, Some(&location)));
            }
            InsertOutcome::ReferenceTaken => continue,
            InsertOutcome::KeyTaken(record) => {
                return replay(&state, event, &event_id, &record, &body_hash).await;
            }
            InsertOutcome::AttachmentsUnavailable(ids) => {
                let errors: Vec<_> = references
                    .iter()
                    .filter(|r| ids.contains(&r.id))
                    .map(|r| ValidationError::new(r.path.clone(), codes::ATTACHMENT_UNKNOWN))
                    .collect();
                return Err(Problem::invalid(&errors));
            }
        }
    }
    Err(Problem::internal("no free reference found"))
}

/// 409 for a key whose first request is still being processed.
pub(super) fn in_flight() -> Problem {
    Problem::new(
        StatusCode::CONFLICT,
        problem_code::IDEMPOTENCY_IN_FLIGHT,
        "A request with this Idempotency-Key is still being processed; retry shortly.",
    )
    .retry_after(1)
}

pub(super) fn json_response(status: StatusCode, body: String, location: Option<&str>) -> Response {
    let mut response = (status, body).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Some(location) = location.and_then(|l| HeaderValue::from_str(l).ok()) {
        h.insert(header::LOCATION, location);
    }
    response
}

/// The first response again for the same body; 422 for a different one.
/// The manage token is derived again for the replay (it is never stored),
/// as long as the registration still uses its first one.
async fn replay(
    state: &AppState,
    event: &EventConfig,
    event_id: &str,
    record: &IdempotencyRecord,
    body_hash: &[u8; 32],
) -> Result<Response, Problem> {
    let mut response = replay_record(record, body_hash)?;
    let Ok(mut receipt) = serde_json::from_str::<Receipt>(&record.response) else {
        return Ok(response);
    };
    let location = format!("/api/v1/events/{event_id}/registrations/{}", receipt.id);
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    let (e, id) = (event_id.to_owned(), receipt.id.clone());
    let current = storage::run(&state.storage, move |s| s.registration(&e, &id))
        .await
        .map_err(storage_problem)?
        .map(|r| r.manage_generation);
    if current == Some(1) {
        let token = state.manage_key.token(&receipt.id, 1);
        receipt.manage_link = event.manage_link(&token);
        receipt.manage_token = Some(token);
        let body = serde_json::to_string(&receipt).map_err(Problem::internal)?;
        let (parts, _) = response.into_parts();
        response = Response::from_parts(parts, Body::from(body));
    }
    Ok(response)
}

/// The stored response for the key, or 422 when the body differs.
pub(super) fn replay_record(
    record: &IdempotencyRecord,
    body_hash: &[u8; 32],
) -> Result<Response, Problem> {
    if &record.body_hash != body_hash {
        // The key's first request was stored: say under which reference, so
        // a client whose answers changed after a lost response can tell its
        // user the registration was received instead of sending it twice.
        let mut problem = Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            problem_code::IDEMPOTENCY_KEY_REUSED,
            "This Idempotency-Key was already used with a different body; use a new key for a new submission.",
        );
        problem.reference = serde_json::from_str::<serde_json::Value>(&record.response)
            .ok()
            .and_then(|body| body["reference"].as_str().map(str::to_owned));
        return Err(problem);
    }
    let status = StatusCode::from_u16(record.status).map_err(Problem::internal)?;
    let mut response = json_response(status, record.response.clone(), None);
    response
        .headers_mut()
        .insert(IDEMPOTENT_REPLAYED, HeaderValue::from_static("true"));
    Ok(response)
}

/// An attachment id in the payload, where it is and what it is for.
pub(super) struct AttachmentReference {
    pub(super) path: String,
    pub(super) id: String,
    purpose: Purpose,
}

pub(super) fn attachment_references(registration: &Registration) -> Vec<AttachmentReference> {
    let letter = registration
        .delegation
        .credentials_letter
        .as_ref()
        .map(|id| {
            (
                "delegation.credentials_letter".to_owned(),
                id,
                Purpose::CredentialsLetter,
            )
        });
    let photos = registration
        .members
        .iter()
        .enumerate()
        .filter_map(|(i, m)| {
            m.photo
                .as_ref()
                .map(|id| (format!("members[{i}].photo"), id, Purpose::Photo))
        });
    letter
        .into_iter()
        .chain(photos)
        .filter(|(_, id, _)| !id.is_empty())
        .map(|(path, id, purpose)| AttachmentReference {
            path,
            id: id.clone(),
            purpose,
        })
        .collect()
}

/// Each referenced attachment must exist for this event, be unused by
/// other registrations than `owner` (an amended registration keeps its
/// files), and be of a type its purpose accepts.
pub(super) async fn check_attachments(
    state: &AppState,
    event: &str,
    references: &[AttachmentReference],
    owner: Option<&str>,
) -> Result<ValidationErrors, Problem> {
    let mut errors = ValidationErrors::new();
    if references.is_empty() {
        return Ok(errors);
    }
    let ids: Vec<String> = references.iter().map(|r| r.id.clone()).collect();
    let event_id = event.to_owned();
    let event = event.to_owned();
    let found = storage::run(&state.storage, move |s| s.attachment_info(&event, &ids))
        .await
        .map_err(storage_problem)?;
    for reference in references {
        let Some(info) = found.iter().find(|info| info.id == reference.id) else {
            errors.push(ValidationError::new(
                reference.path.clone(),
                codes::ATTACHMENT_UNKNOWN,
            ));
            continue;
        };
        if info.registration_id.is_some() && info.registration_id.as_deref() != owner {
            errors.push(ValidationError::new(
                reference.path.clone(),
                codes::ATTACHMENT_IN_USE,
            ));
            continue;
        }
        let accepted =
            Kind::from_media_type(&info.media_type).is_some_and(|k| reference.purpose.accepts(k));
        if !accepted {
            let mut error =
                ValidationError::new(reference.path.clone(), codes::ATTACHMENT_WRONG_TYPE);
            let allowed = match reference.purpose {
                Purpose::Photo => "image/jpeg, image/png",
                Purpose::CredentialsLetter => "application/pdf, image/jpeg, image/png",
            };
            error
                .params
                .insert("accepted".to_owned(), allowed.to_owned());
            errors.push(error);
            continue;
        }
        if reference.purpose == Purpose::Photo {
            // The upload may not have said it was a photo: the rules are
            // held against the stored file here in any case.
            let (event, id) = (event_id.clone(), reference.id.clone());
            let stored = storage::run(&state.storage, move |s| s.attachment(&event, &id))
                .await
                .map_err(storage_problem)?;
            let (Some(stored), Some(kind)) = (stored, Kind::from_media_type(&info.media_type))
            else {
                continue;
            };
            let max_bytes = state.event(&event_id)?.limits.attachment_max_bytes;
            match attachments::photo_rules(kind, &stored.data, max_bytes) {
                Ok(()) => {}
                Err(Rejection::Refused(violation)) => {
                    errors.push(violation.at(reference.path.clone()));
                }
                Err(_) => errors.push(ValidationError::new(
                    reference.path.clone(),
                    codes::ATTACHMENT_WRONG_TYPE,
                )),
            }
        }
    }
    Ok(errors)
}
