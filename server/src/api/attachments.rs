//! Attachments: `POST .../attachments` (public, from the widget) and
//! `GET .../attachments/{id}` (organisers).
//!
//! An upload is the raw file as the request body. Its type comes from its
//! bytes (JPEG, PNG or PDF), never from the declared Content-Type, and
//! image metadata is stripped before anything is stored. Images over 40
//! megapixels are refused from their header, before any further work;
//! with `?purpose=photo` the badge-photo rules of the model apply at once
//! (`?purpose=letter` for a credentials letter). A file a model rule
//! refuses is a 422 whose `code` is the model's and whose `errors` hold
//! that one error, as in a refused registration. The returned id
//! goes into the payload (`members[i].photo`, `delegation.credentials_letter`);
//! ids that no registration uses expire after 24 hours.
//!
//! Unclaimed uploads are limited per client address and per event
//! ([`crate::upload_quota`]): past either limit an upload is a 429 with
//! `Retry-After`, `upload.quota_exceeded` or `upload.event_storage_full`.

use super::problem::Problem;
use super::{ClientIp, body, storage_problem};
use crate::attachments::{self, Kind, Purpose, Rejection};
use crate::storage::{self, AttachmentOutcome, NewAttachment};
use crate::{AppState, auth, random, rate_limit, upload_quota};
use accredit_model::api::problem_code;
use axum::Json;
use axum::body::Body;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize)]
pub struct UploadQuery {
    purpose: Option<String>,
}

pub async fn upload(
    State(state): State<Arc<AppState>>,
    Path(event_id): Path<String>,
    Query(query): Query<UploadQuery>,
    ClientIp(client): ClientIp,
    request: Request,
) -> Result<Response, Problem> {
    let event = state.event(&event_id)?;
    if !event.is_open(state.clock.today()) {
        return Err(Problem::new(
            StatusCode::CONFLICT,
            problem_code::REGISTRATION_CLOSED,
            format!("Registration closed on {}.", event.registration_closes_on),
        ));
    }
    let purpose = match query.purpose.as_deref() {
        None => None,
        Some(name) => Some(Purpose::from_name(name).ok_or_else(|| {
            Problem::bad_request(
                problem_code::ATTACHMENT_UNKNOWN_PURPOSE,
                "`purpose` is `photo` or `letter`.",
            )
        })?),
    };
    let max_bytes = event.limits.attachment_max_bytes;
    let limit = usize::try_from(max_bytes).unwrap_or(usize::MAX);
    let (parts, request_body): (_, Body) = request.into_parts();
    let bytes = body::read(&parts.headers, request_body, limit, state.body_rate).await?;
    let (kind, data) = attachments::prepare(&bytes, purpose, max_bytes).map_err(rejected)?;
    let now = state.clock.now();
    let new = NewAttachment {
        id: random::uuid(),
        event: event_id.clone(),
        media_type: kind.media_type(),
        data,
        created_at: now,
        client: rate_limit::client_key(client).to_string(),
    };
    let response = serde_json::json!({
        "id": new.id,
        "media_type": new.media_type,
        "size": new.data.len(),
    });
    let limits = state.upload_limits;
    let outcome = storage::run(&state.storage, move |s| s.insert_attachment(&new, &limits))
        .await
        .map_err(storage_problem)?;
    match outcome {
        AttachmentOutcome::Stored => Ok((StatusCode::CREATED, Json(response)).into_response()),
        AttachmentOutcome::QuotaExceeded { until } => Err(Problem::new(
            StatusCode::TOO_MANY_REQUESTS,
            problem_code::UPLOAD_QUOTA_EXCEEDED,
            format!(
                "Files uploaded from this address and not yet part of a registration \
                 have reached {}; submit the registration that uses them, or try again later.",
                limits.per_client
            ),
        )
        .retry_after(until.saturating_sub(now).max(1) as u64)),
        AttachmentOutcome::EventFull => {
            tracing::warn!(event = %event_id, "unclaimed uploads reached the event's cap");
            Err(Problem::new(
                StatusCode::TOO_MANY_REQUESTS,
                problem_code::UPLOAD_EVENT_STORAGE_FULL,
                "This event holds as many uploaded files not yet part of a registration as it \
                 can; please try again later.",
            )
            .retry_after(upload_quota::EVENT_FULL_RETRY_SECS as u64))
        }
    }
}

/// The problem for a refused upload.
fn rejected(rejection: Rejection) -> Problem {
    match rejection {
        Rejection::UnsupportedType => Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            problem_code::ATTACHMENT_UNSUPPORTED_TYPE,
            "Only JPEG and PNG images and PDF documents are accepted.",
        ),
        Rejection::Malformed(why) => Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            problem_code::ATTACHMENT_MALFORMED,
            format!("The file could not be read: {why}."),
        ),
        Rejection::Refused(violation) => Problem::refused(violation.at("")),
    }
}

pub async fn download(
    State(state): State<Arc<AppState>>,
    Path((event_id, id)): Path<(String, String)>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    state.event(&event_id)?;
    let organiser = auth::organiser(&state, &headers, client, &event_id).await?;
    let event = event_id.clone();
    let attachment = storage::run(&state.storage, move |s| s.attachment(&event_id, &id))
        .await
        .map_err(storage_problem)?
        .ok_or_else(|| {
            Problem::not_found(
                problem_code::ATTACHMENT_UNKNOWN,
                "There is no such attachment.",
            )
        })?;
    crate::security::attachment_download(&event, &organiser.token_id, client, &attachment.id);
    let extension = Kind::from_media_type(&attachment.media_type).map_or("bin", Kind::extension);
    let mut response = attachment.data.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&attachment.media_type).map_err(Problem::internal)?,
    );
    let disposition = format!("attachment; filename=\"{}.{extension}\"", attachment.id);
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).map_err(Problem::internal)?,
    );
    // Should a browser render it anyway (a PDF viewer), it runs nothing.
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox; frame-ancestors 'none'"),
    );
    Ok(response)
}
