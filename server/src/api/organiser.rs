//! Organiser endpoints for reviewing registrations (bearer token).

use super::my_registration;
use super::problem::Problem;
use super::{ClientIp, body, storage_problem};
use crate::auth::{self, Organiser};
use crate::export::Loaded;
use crate::export::order::delegation_name;
use crate::mail::Letter;
use crate::storage::{self, ChangeOutcome, OutboxMessage, StatusChange, StoredRegistration};
use crate::{AppState, clock, history, manage, outbox};
use accredit_model::api::{
    Actor, AuditEntry, Decision, Delivery, ManageLinkSent, MessageInfo, MessageKind,
    RegistrationDetail, RegistrationList, RegistrationSummary, problem_code,
};
use accredit_model::review::{Filter, Status, changes};
use accredit_model::{HEAD_OF_DELEGATION, Member, Registration, country};
use axum::Json;
use axum::extract::{Path, Query, Request, State};
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;

/// Longest review note, in characters.
pub const NOTE_MAX_CHARS: usize = 2000;

/// Checks the event and the organiser's token.
pub async fn authorise(
    state: &AppState,
    event: &str,
    headers: &HeaderMap,
    client: IpAddr,
) -> Result<Organiser, Problem> {
    state.event(event)?;
    auth::organiser(state, headers, client, event).await
}

/// `GET .../registrations?status=&kind=&country=&category=&q=&amended=`:
/// summaries, oldest first (the review queue). Withdrawn registrations
/// appear only with `status=withdrawn`.
pub async fn list(
    State(state): State<Arc<AppState>>,
    Path(event): Path<String>,
    Query(mut query): Query<HashMap<String, String>>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let organiser = authorise(&state, &event, &headers, client).await?;
    // `include=registration` adds each stored payload, so the organiser view
    // gets everything it filters, counts and prints in one request.
    let with_payload = match query.remove("include").as_deref().map(str::trim) {
        None | Some("") => false,
        Some("registration") => true,
        Some(other) => {
            return Err(Problem::bad_request(
                problem_code::QUERY_INVALID,
                format!("include must be `registration`, not `{other}`"),
            ));
        }
    };
    let filter = Filter::parse(query.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .map_err(|d| Problem::bad_request(problem_code::QUERY_INVALID, d))?;
    let id = event.clone();
    let rows = storage::run(&state.storage, move |s| s.registrations(&id))
        .await
        .map_err(storage_problem)?;
    let mut summaries = Vec::new();
    for stored in rows {
        let loaded = Loaded::parse(stored).map_err(Problem::internal)?;
        if filter.matches_amended(loaded.amended)
            && filter.matches(loaded.status, &loaded.reference, &loaded.registration)
        {
            summaries.push(summary(loaded, with_payload));
        }
    }
    // With the payloads, the list is an export of every field (what the
    // organiser view loads), and is logged as one.
    if with_payload {
        crate::security::export(
            &event,
            &organiser.token_id,
            client,
            "registrations?include=registration",
            summaries.len(),
        );
    }
    Ok(Json(RegistrationList {
        total: summaries.len(),
        registrations: summaries,
    })
    .into_response())
}

fn summary(loaded: Loaded, with_payload: bool) -> RegistrationSummary {
    let r = &loaded.registration;
    let d = &r.delegation;
    let head = r
        .members
        .iter()
        .find(|m| m.category == HEAD_OF_DELEGATION)
        .map(Member::badge_text);
    RegistrationSummary {
        id: loaded.id.clone(),
        reference: loaded.reference.clone(),
        status: loaded.status,
        version: loaded.version,
        amended: loaded.amended,
        kind: d.kind,
        country: d.country.clone(),
        country_name: d
            .country
            .as_deref()
            .and_then(country::english_name)
            .map(str::to_owned),
        organisation: d.organisation.clone(),
        name: delegation_name(d.kind, d.country.as_deref(), d.organisation.as_deref()),
        head_of_delegation: head,
        members: r.members.len(),
        created_at: clock::rfc3339(loaded.created_at),
        updated_at: clock::rfc3339(loaded.updated_at),
        registration: with_payload.then(|| loaded.registration.clone()),
    }
}

fn audit_entry(entry: &storage::AuditEntry) -> AuditEntry {
    AuditEntry {
        at: clock::rfc3339(entry.at),
        by: Actor {
            token_id: entry.actor_token.clone(),
            label: entry.actor_label.clone(),
        },
        from: entry.from,
        to: entry.to,
        note: entry.note.clone(),
    }
}

pub(super) fn message_info(m: &OutboxMessage) -> MessageInfo {
    MessageInfo {
        id: m.message.id.clone(),
        kind: m.message.kind,
        to: m.message.to_email.clone(),
        subject: m.message.subject.clone(),
        created_at: clock::rfc3339(m.created_at),
        delivery: match (m.sent_at, m.failed_at) {
            (Some(_), _) => Delivery::Sent,
            (None, Some(_)) => Delivery::Failed,
            (None, None) => Delivery::Queued,
        },
        sent_at: m.sent_at.map(clock::rfc3339),
        attempts: m.attempts,
        last_error: m.last_error.clone(),
    }
}

/// Everything about one registration an organiser reviews.
async fn load_detail(
    state: &AppState,
    event: &str,
    id: &str,
) -> Result<(StoredRegistration, RegistrationDetail), Problem> {
    let (e, i) = (event.to_owned(), id.to_owned());
    let found = storage::run(&state.storage, move |s| {
        let Some(registration) = s.registration(&e, &i)? else {
            return Ok(None);
        };
        Ok(Some((
            registration,
            s.audit_trail(&e, &i)?,
            s.versions(&e, &i)?,
            s.messages(&e, &i)?,
        )))
    })
    .await
    .map_err(storage_problem)?;
    let (stored, trail, versions, messages) = found.ok_or_else(|| {
        Problem::not_found(
            problem_code::REGISTRATION_UNKNOWN,
            "There is no such registration.",
        )
    })?;
    let registration: Registration =
        serde_json::from_str(&stored.payload).map_err(Problem::internal)?;
    let what_changed = match stored.reviewed_version {
        Some(reviewed) if reviewed < stored.version => versions
            .iter()
            .find(|v| v.version == reviewed)
            .and_then(|v| serde_json::from_str::<Registration>(&v.payload).ok())
            .map(|before| changes(&before, &registration))
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let detail = RegistrationDetail {
        id: stored.id.clone(),
        reference: stored.reference.clone(),
        status: stored.status,
        version: stored.version,
        reviewed_version: stored.reviewed_version,
        created_at: clock::rfc3339(stored.created_at),
        updated_at: clock::rfc3339(stored.updated_at),
        registration,
        audit: trail.iter().map(audit_entry).collect(),
        changes: what_changed,
        history: history::entries(&versions, &trail),
        messages: messages.iter().map(message_info).collect(),
    };
    Ok((stored, detail))
}

/// `GET .../registrations/{id}`: the payload, what changed since the last
/// decision, the history, the audit trail and the messages.
pub async fn detail(
    State(state): State<Arc<AppState>>,
    Path((event, id)): Path<(String, String)>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    authorise(&state, &event, &headers, client).await?;
    let (stored, detail) = load_detail(&state, &event, &id).await?;
    Ok(my_registration::with_etag(
        Json(detail).into_response(),
        stored.version,
    ))
}

/// `PATCH .../registrations/{id}` with a [`Decision`]. Rejecting and
/// requesting changes need a note, which the delegation reads; a
/// `version` older than the registration's (the delegation amended it
/// meanwhile) is refused with 412, so nobody approves what they did not see.
pub async fn change_status(
    State(state): State<Arc<AppState>>,
    Path((event, id)): Path<(String, String)>,
    ClientIp(client): ClientIp,
    request: Request,
) -> Result<Response, Problem> {
    let (parts, request_body) = request.into_parts();
    let organiser = authorise(&state, &event, &parts.headers, client).await?;
    let config = state.event(&event)?;
    body::require_json(&parts.headers)?;
    let bytes = body::read(
        &parts.headers,
        request_body,
        body::JSON_LIMIT,
        state.body_rate,
    )
    .await?;
    let decision: Decision = serde_json::from_slice(&bytes).map_err(|e| {
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            problem_code::BODY_INVALID,
            format!(
                "Expected {{\"status\": \"approved\" | \"rejected\" | \"changes_requested\", \"note\": \"…\", \"version\": 2}}: {e}"
            ),
        )
    })?;
    let note = decision.note.trim().to_owned();
    // The note is free text the delegation reads: the model's rule for
    // every free-text answer applies (line feeds allowed).
    match accredit_model::rules::text::check_multi_line(&note, NOTE_MAX_CHARS) {
        Ok(()) => {}
        Err(v) if v.code == accredit_model::codes::TEXT_TOO_LONG => {
            return Err(Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                problem_code::NOTE_TOO_LONG,
                format!("The note is longer than {NOTE_MAX_CHARS} characters."),
            ));
        }
        Err(_) => {
            return Err(Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                problem_code::NOTE_INVALID_CHARACTERS,
                "The note holds control characters or characters that override the direction of the text.",
            ));
        }
    }
    if decision.status.needs_note() && note.is_empty() {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            problem_code::NOTE_REQUIRED,
            "Say why: the delegation reads this note.",
        ));
    }
    let (e, i) = (event.clone(), id.clone());
    let stored = storage::run(&state.storage, move |s| s.registration(&e, &i))
        .await
        .map_err(storage_problem)?
        .ok_or_else(|| {
            Problem::not_found(
                problem_code::REGISTRATION_UNKNOWN,
                "There is no such registration.",
            )
        })?;
    let registration: Registration =
        serde_json::from_str(&stored.payload).map_err(Problem::internal)?;
    let kind = match decision.status {
        Status::Approved => Some(MessageKind::Approved),
        Status::Rejected => Some(MessageKind::Rejected),
        Status::ChangesRequested => Some(MessageKind::ChangesRequested),
        Status::Pending | Status::Withdrawn => None,
    };
    let link = my_registration::current_link(&state, config, &stored);
    let messages = match kind {
        Some(kind) => outbox::compose(
            &state,
            &Letter {
                kind,
                event: config,
                reference: &stored.reference,
                registration: &registration,
                status: decision.status,
                note: Some(note.as_str()).filter(|n| !n.is_empty()),
                manage_link: link.as_deref(),
                changes: &[],
                member: None,
            },
        ),
        None => Vec::new(),
    };
    let request = StatusChange {
        event: event.clone(),
        registration_id: id.clone(),
        to: decision.status,
        note,
        actor_token: organiser.token_id.clone(),
        actor_label: organiser.label,
        at: state.clock.now(),
        expected_version: decision.version,
        messages,
    };
    let outcome = storage::run(&state.storage, move |s| s.change_status(&request))
        .await
        .map_err(storage_problem)?;
    match outcome {
        ChangeOutcome::Changed(entry) => {
            crate::security::status_changed(
                &event,
                &organiser.token_id,
                client,
                &id,
                entry.from.as_str(),
                entry.to.as_str(),
            );
            state.outbox.wake();
            let (stored, detail) = load_detail(&state, &event, &id).await?;
            Ok(my_registration::with_etag(
                Json(detail).into_response(),
                stored.version,
            ))
        }
        ChangeOutcome::NotFound => Err(Problem::not_found(
            problem_code::REGISTRATION_UNKNOWN,
            "There is no such registration.",
        )),
        ChangeOutcome::Stale { current } => Err(my_registration::stale(current)),
        ChangeOutcome::NotAllowed { from } => Err(Problem::new(
            StatusCode::CONFLICT,
            problem_code::TRANSITION_NOT_ALLOWED,
            format!(
                "A {} registration cannot become {}.",
                from.as_str(),
                decision.status.as_str()
            ),
        )),
    }
}

/// `POST .../registrations/{id}/manage-link`: a new manage token, which
/// invalidates the old one at once, e-mailed to the focal point.
pub async fn new_manage_link(
    State(state): State<Arc<AppState>>,
    Path((event, id)): Path<(String, String)>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    authorise(&state, &event, &headers, client).await?;
    let config = state.event(&event)?;
    if config.manage_page.is_none() {
        return Err(Problem::new(
            StatusCode::CONFLICT,
            problem_code::MANAGE_PAGE_MISSING,
            "The event has no manage_page, so there is no link to send.",
        ));
    }
    // Two organisers clicking at once: one wins each round, the other
    // tries the next generation.
    for _ in 0..3 {
        let (e, i) = (event.clone(), id.clone());
        let stored = storage::run(&state.storage, move |s| s.registration(&e, &i))
            .await
            .map_err(storage_problem)?
            .ok_or_else(|| {
                Problem::not_found(
                    problem_code::REGISTRATION_UNKNOWN,
                    "There is no such registration.",
                )
            })?;
        if stored.status == Status::Withdrawn {
            return Err(Problem::new(
                StatusCode::CONFLICT,
                problem_code::REGISTRATION_FINAL,
                "The registration was withdrawn; it has no manage link any more.",
            ));
        }
        let registration: Registration =
            serde_json::from_str(&stored.payload).map_err(Problem::internal)?;
        let generation = stored.manage_generation + 1;
        let token = state.manage_key.token(&stored.id, generation);
        let link = config.manage_link(&token);
        let mut messages = outbox::compose(
            &state,
            &Letter {
                kind: MessageKind::ManageLink,
                event: config,
                reference: &stored.reference,
                registration: &registration,
                status: stored.status,
                note: None,
                manage_link: link.as_deref(),
                changes: &[],
                member: None,
            },
        );
        let Some(message) = messages.pop() else {
            return Err(Problem::internal("no manage-link message was composed"));
        };
        let answer = ManageLinkSent {
            message: message.id.clone(),
            to: message.to_email.clone(),
        };
        let (e, i, hash) = (event.clone(), id.clone(), manage::hash(&token));
        let at = state.clock.now();
        let renewed = storage::run(&state.storage, move |s| {
            s.renew_manage_token(&e, &i, generation, &hash, &message, at)
        })
        .await
        .map_err(storage_problem)?;
        if renewed {
            tracing::info!(%event, %id, generation, "new manage link sent");
            state.outbox.wake();
            return Ok((StatusCode::ACCEPTED, Json(answer)).into_response());
        }
    }
    Err(Problem::new(
        StatusCode::CONFLICT,
        problem_code::MANAGE_LINK_BUSY,
        "Another new link was being sent at the same time; try again.",
    )
    .retry_after(1))
}
