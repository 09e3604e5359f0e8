//! `GET /api/v1/openapi.json`: the contract, for other backends and clients.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// The OpenAPI 3.1 document (kept in `server/openapi.json`; a test checks
/// that it lists exactly the routes the router serves).
pub const DOCUMENT: &str = include_str!("../../openapi.json");

pub async fn document() -> Response {
    let mut response = DOCUMENT.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}
