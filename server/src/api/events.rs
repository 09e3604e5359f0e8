//! `GET /api/v1/events/{event}`: the public configuration the widget renders.

use crate::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

pub async fn get_event(State(state): State<Arc<AppState>>, Path(event): Path<String>) -> Response {
    match state.events.get(&event) {
        Some(config) => Json(config).into_response(),
        None => (StatusCode::NOT_FOUND, "unknown event").into_response(),
    }
}
