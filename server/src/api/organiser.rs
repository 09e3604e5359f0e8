//! Organiser endpoints for reviewing registrations (bearer token).

use super::problem::Problem;
use super::{ClientIp, body, storage_problem};
use crate::auth::{self, Organiser};
use crate::export::Loaded;
use crate::export::order::delegation_name;
use crate::storage::{self, AuditEntry, ChangeOutcome, StatusChange};
use crate::{AppState, clock};
use accredit_model::review::Filter;
use accredit_model::review::Status;
use accredit_model::{HEAD_OF_DELEGATION, Member, country};
use axum::Json;
use axum::extract::{Path, Query, Request, State};
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
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

/// `GET .../registrations?status=&kind=&country=&category=&q=`: summaries,
/// oldest first (the review queue).
pub async fn list(
    State(state): State<Arc<AppState>>,
    Path(event): Path<String>,
    Query(mut query): Query<HashMap<String, String>>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    authorise(&state, &event, &headers, client).await?;
    // `include=registration` adds each stored payload, so the organiser view
    // gets everything it filters, counts and prints in one request.
    let with_payload = match query.remove("include").as_deref().map(str::trim) {
        None | Some("") => false,
        Some("registration") => true,
        Some(other) => {
            return Err(Problem::bad_request(
                "query.invalid",
                format!("include must be `registration`, not `{other}`"),
            ));
        }
    };
    let filter = Filter::parse(query.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .map_err(|d| Problem::bad_request("query.invalid", d))?;
    let rows = storage::run(&state.storage, move |s| s.registrations(&event))
        .await
        .map_err(storage_problem)?;
    let mut summaries = Vec::new();
    for stored in rows {
        let loaded = Loaded::parse(stored).map_err(Problem::internal)?;
        if filter.matches(loaded.status, &loaded.reference, &loaded.registration) {
            let mut row = summary(&loaded);
            if with_payload {
                row["registration"] = json!(loaded.registration);
            }
            summaries.push(row);
        }
    }
    Ok(Json(json!({"total": summaries.len(), "registrations": summaries})).into_response())
}

fn summary(loaded: &Loaded) -> Value {
    let r = &loaded.registration;
    let d = &r.delegation;
    let head = r
        .members
        .iter()
        .find(|m| m.category == HEAD_OF_DELEGATION)
        .map(Member::badge_text);
    json!({
        "id": loaded.id,
        "reference": loaded.reference,
        "status": loaded.status,
        "kind": d.kind,
        "country": d.country,
        "country_name": d.country.as_deref().and_then(country::english_name),
        "organisation": d.organisation,
        "name": delegation_name(d.kind, d.country.as_deref(), d.organisation.as_deref()),
        "head_of_delegation": head,
        "members": r.members.len(),
        "created_at": clock::rfc3339(loaded.created_at),
        "updated_at": clock::rfc3339(loaded.updated_at),
    })
}

fn audit_json(entry: &AuditEntry) -> Value {
    json!({
        "at": clock::rfc3339(entry.at),
        "by": {"token_id": entry.actor_token, "label": entry.actor_label},
        "from": entry.from,
        "to": entry.to,
        "note": entry.note,
    })
}

async fn detail_json(state: &AppState, event: &str, id: &str) -> Result<Value, Problem> {
    let (e, i) = (event.to_owned(), id.to_owned());
    let found = storage::run(&state.storage, move |s| {
        let registration = s.registration(&e, &i)?;
        let trail = match registration {
            Some(_) => s.audit_trail(&e, &i)?,
            None => Vec::new(),
        };
        Ok(registration.map(|r| (r, trail)))
    })
    .await
    .map_err(storage_problem)?;
    let (stored, trail) = found.ok_or_else(|| {
        Problem::not_found("registration.unknown", "There is no such registration.")
    })?;
    let payload: Value = serde_json::from_str(&stored.payload).map_err(Problem::internal)?;
    Ok(json!({
        "id": stored.id,
        "reference": stored.reference,
        "status": stored.status,
        "created_at": clock::rfc3339(stored.created_at),
        "updated_at": clock::rfc3339(stored.updated_at),
        "registration": payload,
        "audit": trail.iter().map(audit_json).collect::<Vec<_>>(),
    }))
}

/// `GET .../registrations/{id}`: the payload and its audit trail.
pub async fn detail(
    State(state): State<Arc<AppState>>,
    Path((event, id)): Path<(String, String)>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    authorise(&state, &event, &headers, client).await?;
    Ok(Json(detail_json(&state, &event, &id).await?).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Change {
    status: Status,
    #[serde(default)]
    note: String,
}

/// `PATCH .../registrations/{id}` with `{"status": …, "note": …}`.
pub async fn change_status(
    State(state): State<Arc<AppState>>,
    Path((event, id)): Path<(String, String)>,
    ClientIp(client): ClientIp,
    request: Request,
) -> Result<Response, Problem> {
    let (parts, request_body) = request.into_parts();
    let organiser = authorise(&state, &event, &parts.headers, client).await?;
    body::require_json(&parts.headers)?;
    let bytes = body::read(&parts.headers, request_body, body::JSON_LIMIT).await?;
    let change: Change = serde_json::from_slice(&bytes).map_err(|e| {
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "body.invalid",
            format!(
                "Expected {{\"status\": \"approved\" | \"rejected\" | \"changes_requested\", \"note\": \"…\"}}: {e}"
            ),
        )
    })?;
    let note = change.note.trim().to_owned();
    if note.chars().count() > NOTE_MAX_CHARS {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "note.too_long",
            format!("The note is longer than {NOTE_MAX_CHARS} characters."),
        ));
    }
    let request = StatusChange {
        event: event.clone(),
        registration_id: id.clone(),
        to: change.status,
        note,
        actor_token: organiser.token_id,
        actor_label: organiser.label,
        at: clock::now(),
    };
    let outcome = storage::run(&state.storage, move |s| s.change_status(&request))
        .await
        .map_err(storage_problem)?;
    match outcome {
        ChangeOutcome::Changed(entry) => {
            tracing::info!(%event, %id, from = entry.from.as_str(), to = entry.to.as_str(), by = %entry.actor_token, "status changed");
            Ok(Json(detail_json(&state, &event, &id).await?).into_response())
        }
        ChangeOutcome::NotFound => Err(Problem::not_found(
            "registration.unknown",
            "There is no such registration.",
        )),
        ChangeOutcome::NotAllowed { from } => Err(Problem::new(
            StatusCode::CONFLICT,
            "status.transition_not_allowed",
            format!(
                "A {} registration cannot become {}.",
                from.as_str(),
                change.status.as_str()
            ),
        )),
    }
}
