//! The HTTP API under `/api/v1`.

mod events;

use crate::AppState;
use axum::Router;
use std::sync::Arc;

pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/events/{event}", axum::routing::get(events::get_event))
        .with_state(state)
}
