//! Attachments: `POST .../attachments` (public, from the widget) and
//! `GET .../attachments/{id}` (organisers).
//!
//! An upload is the raw file as the request body. Its type comes from its
//! bytes (JPEG, PNG or PDF), never from the declared Content-Type, and
//! image metadata is stripped before anything is stored. The returned id
//! goes into the payload (`members[i].photo`, `delegation.credentials_letter`);
//! ids that no registration uses expire after 24 hours.

use super::problem::Problem;
use super::{ClientIp, body, storage_problem};
use crate::attachments::{self, Kind, Rejection};
use crate::storage::{self, NewAttachment};
use crate::{AppState, auth, random};
use axum::Json;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

pub async fn upload(
    State(state): State<Arc<AppState>>,
    Path(event_id): Path<String>,
    request: Request,
) -> Result<Response, Problem> {
    let event = state.event(&event_id)?;
    if !event.is_open(state.clock.today()) {
        return Err(Problem::new(
            StatusCode::CONFLICT,
            "registration.closed",
            format!("Registration closed on {}.", event.registration_closes_on),
        ));
    }
    let limit = usize::try_from(event.limits.attachment_max_bytes).unwrap_or(usize::MAX);
    let (parts, request_body): (_, Body) = request.into_parts();
    let bytes = body::read(&parts.headers, request_body, limit).await?;
    let (kind, data) = attachments::prepare(&bytes).map_err(|rejection| match rejection {
        Rejection::UnsupportedType => Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "attachment.unsupported_type",
            "Only JPEG and PNG images and PDF documents are accepted.",
        ),
        Rejection::Malformed(why) => Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "attachment.malformed",
            format!("The file could not be read: {why}."),
        ),
    })?;
    let new = NewAttachment {
        id: random::uuid(),
        event: event_id,
        media_type: kind.media_type(),
        data,
        created_at: state.clock.now(),
    };
    let response = serde_json::json!({
        "id": new.id,
        "media_type": new.media_type,
        "size": new.data.len(),
    });
    storage::run(&state.storage, move |s| s.insert_attachment(&new))
        .await
        .map_err(storage_problem)?;
    Ok((StatusCode::CREATED, Json(response)).into_response())
}

pub async fn download(
    State(state): State<Arc<AppState>>,
    Path((event_id, id)): Path<(String, String)>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    state.event(&event_id)?;
    auth::organiser(&state, &headers, client, &event_id).await?;
    let attachment = storage::run(&state.storage, move |s| s.attachment(&event_id, &id))
        .await
        .map_err(storage_problem)?
        .ok_or_else(|| Problem::not_found("attachment.unknown", "There is no such attachment."))?;
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
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    Ok(response)
}
