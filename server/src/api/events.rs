//! `GET /api/v1/events/{event}`: the public configuration the widget renders.

use super::problem::Problem;
use crate::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// The only API response without personal data, so the only cacheable
/// one; `no-cache` makes browsers revalidate, so a changed configuration
/// is seen at once.
pub async fn get_event(
    State(state): State<Arc<AppState>>,
    Path(event): Path<String>,
) -> Result<Response, Problem> {
    let config = state.event(&event)?;
    let mut response = Json(config).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(response)
}
