//! The HTTP API under `/api/v1`.
//!
//! [`table`] is the single list of routes: the router is built from it, and
//! a test checks it against the paths and methods of `openapi.json`.

mod attachments;
pub mod body;
mod events;
mod exports;
mod my_registration;
mod openapi;
mod organiser;
pub mod problem;
mod registrations;

use crate::storage::StorageError;
use crate::{AppState, cors};
use accredit_model::api::problem_code;
use axum::Router;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, delete, get, patch, post, put};
use problem::Problem;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

type Handler = MethodRouter<Arc<AppState>>;

/// Every route: method, path below `/api/v1`, handler.
fn table() -> Vec<(Method, &'static str, Handler)> {
    vec![
        (Method::GET, "/openapi.json", get(openapi::document)),
        (Method::GET, "/events/{event}", get(events::get_event)),
        (
            Method::POST,
            "/events/{event}/registrations",
            post(registrations::create),
        ),
        (
            Method::GET,
            "/events/{event}/registrations",
            get(organiser::list),
        ),
        (
            Method::GET,
            "/events/{event}/registrations/{id}",
            get(organiser::detail),
        ),
        (
            Method::PATCH,
            "/events/{event}/registrations/{id}",
            patch(organiser::change_status),
        ),
        (
            Method::POST,
            "/events/{event}/registrations/{id}/manage-link",
            post(organiser::new_manage_link),
        ),
        (
            Method::GET,
            "/events/{event}/my-registration",
            get(my_registration::show),
        ),
        (
            Method::PUT,
            "/events/{event}/my-registration",
            put(my_registration::amend),
        ),
        (
            Method::DELETE,
            "/events/{event}/my-registration",
            delete(my_registration::withdraw),
        ),
        (
            Method::POST,
            "/events/{event}/attachments",
            post(attachments::upload),
        ),
        (
            Method::GET,
            "/events/{event}/attachments/{id}",
            get(attachments::download),
        ),
        (
            Method::GET,
            "/events/{event}/exports/participants.csv",
            get(exports::participants_csv),
        ),
        (
            Method::GET,
            "/events/{event}/exports/participants.xlsx",
            get(exports::participants_xlsx),
        ),
        (
            Method::GET,
            "/events/{event}/exports/participants.json",
            get(exports::participants_json),
        ),
        (
            Method::GET,
            "/events/{event}/exports/delegations.csv",
            get(exports::delegations_csv),
        ),
    ]
}

/// Method and path of every route (what the OpenAPI test compares).
pub fn routes() -> Vec<(Method, &'static str)> {
    table()
        .into_iter()
        .map(|(method, path, _)| (method, path))
        .collect()
}

pub fn router(state: Arc<AppState>, handler_timeout: std::time::Duration) -> Router {
    let cors = Arc::new(state.cors.clone());
    let mut router = Router::new();
    for (_, path, handler) in table() {
        router = router.route(path, handler);
    }
    // From the inside out: a handler's panic becomes a 500 and its time
    // limit a 503 while the CORS and header layers still see them, so a
    // widget on another origin can read those answers too; the outer
    // panic catcher covers the layers themselves.
    router
        .fallback(|| async {
            Problem::not_found(
                problem_code::ROUTE_UNKNOWN,
                "There is no such API endpoint.",
            )
        })
        .method_not_allowed_fallback(|| async {
            Problem::new(
                StatusCode::METHOD_NOT_ALLOWED,
                problem_code::METHOD_NOT_ALLOWED,
                "This endpoint does not support that method.",
            )
        })
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(panicked))
        .layer(middleware::from_fn_with_state(
            handler_timeout,
            crate::deadline::limit,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            rate_limit_posts,
        ))
        .layer(middleware::from_fn_with_state(cors, cors::middleware))
        .layer(middleware::from_fn(headers_and_errors))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(panicked))
        .with_state(state)
}

fn panicked(_: Box<dyn std::any::Any + Send>) -> Response {
    Problem::internal("a request handler panicked").into_response()
}

/// Personal data must not linger in caches: every API response is
/// `no-store` unless its handler said otherwise (the public event
/// configuration), and none may be content-sniffed or framed (the API is
/// read by scripts, never shown in a frame). Errors produced below the
/// handlers (a path or query the framework cannot parse) become problem
/// documents too, so clients see one error format.
async fn headers_and_errors(req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes() == problem::CONTENT_TYPE.as_bytes());
    let status = response.status();
    if (status.is_client_error() || status.is_server_error()) && !is_problem {
        let (parts, body) = response.into_parts();
        let text = axum::body::to_bytes(body, 4096).await.unwrap_or_default();
        let detail = String::from_utf8_lossy(&text).trim().to_owned();
        let detail = if detail.is_empty() {
            status.canonical_reason().unwrap_or("Error").to_owned()
        } else {
            detail
        };
        let mut rebuilt =
            Problem::new(status, problem_code::REQUEST_INVALID, detail).into_response();
        // Everything but the description of the old body: Retry-After,
        // Allow, WWW-Authenticate, and what CORS added (Vary, the
        // Access-Control-* headers).
        for (name, value) in &parts.headers {
            if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
                rebuilt.headers_mut().append(name, value.clone());
            }
        }
        response = rebuilt;
    }
    let h = response.headers_mut();
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
        );
    }
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

async fn rate_limit_posts(
    State(state): State<Arc<AppState>>,
    req: Request,
    next: Next,
) -> Response {
    if req.method() == Method::POST {
        let client = client_ip(&state, &req);
        if let Err(wait) = state.posts.take(client) {
            return Problem::new(
                StatusCode::TOO_MANY_REQUESTS,
                problem_code::RATE_LIMITED,
                "Too many requests from this address; wait before trying again.",
            )
            .retry_after(wait)
            .into_response();
        }
    }
    next.run(req).await
}

/// The client's address: the TCP peer, or, behind a reverse proxy that is
/// configured with `--client-ip-header`, the last address in that header
/// (the one the proxy itself added; earlier ones are client-supplied).
pub fn client_ip<B>(state: &AppState, req: &axum::http::Request<B>) -> IpAddr {
    client_ip_from(state, req.headers(), req.extensions())
}

/// The client's address as an extractor (see [`client_ip`]).
pub struct ClientIp(pub IpAddr);

impl axum::extract::FromRequestParts<Arc<AppState>> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(client_ip_from(
            state,
            &parts.headers,
            &parts.extensions,
        )))
    }
}

pub fn client_ip_from(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    extensions: &axum::http::Extensions,
) -> IpAddr {
    if let Some(name) = &state.client_ip_header {
        // Only the last entry: everything before it came from the client.
        let forwarded = headers
            .get_all(name)
            .iter()
            .next_back()
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse::<IpAddr>().ok());
        if let Some(ip) = forwarded {
            return ip;
        }
    }
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |ConnectInfo(addr)| {
            addr.ip()
        })
}

/// `Retry-After` of a full write queue: the writer drains it within a few
/// commits, far less than this.
pub const STORAGE_BUSY_RETRY_SECS: u64 = 1;

/// The problem for a failed storage call. Nothing was stored, and the
/// client is told so with a 5xx, never a 2xx.
pub fn storage_problem(error: StorageError) -> Problem {
    match error {
        StorageError::Full => {
            tracing::error!("storage is full");
            Problem::new(
                StatusCode::INSUFFICIENT_STORAGE,
                problem_code::STORAGE_FULL,
                "The server's storage is full; nothing was stored. Please try again later.",
            )
            .retry_after(60)
        }
        StorageError::ReadOnly | StorageError::Busy | StorageError::Io(_) => {
            tracing::error!("{error}");
            Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                problem_code::STORAGE_UNAVAILABLE,
                "The server cannot store data right now; nothing was stored. Please try again.",
            )
            .retry_after(5)
        }
        // Not an error of the server: a burst larger than the writer's
        // queue. The write was never queued, so a retry (with the same
        // idempotency key) stores it once.
        StorageError::Overloaded => {
            tracing::warn!("{error}; answering 503");
            Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                problem_code::STORAGE_BUSY,
                "The server is busy; nothing was stored. Please try again in a moment.",
            )
            .retry_after(STORAGE_BUSY_RETRY_SECS)
        }
        StorageError::Other(_) => Problem::internal(error),
    }
}

impl AppState {
    /// The event, or 404.
    pub fn event(&self, id: &str) -> Result<&accredit_model::EventConfig, Problem> {
        self.events
            .get(id)
            .ok_or_else(|| Problem::unknown_event(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_in_the_openapi_document() {
        let doc: serde_json::Value = serde_json::from_str(openapi::DOCUMENT).unwrap();
        assert_eq!(doc["openapi"], "3.1.0");
        let paths = doc["paths"].as_object().unwrap();
        let mut documented = Vec::new();
        for (path, item) in paths {
            for method in item.as_object().unwrap().keys() {
                if matches!(method.as_str(), "get" | "post" | "patch" | "put" | "delete") {
                    documented.push((method.to_uppercase(), path.clone()));
                }
            }
        }
        let mut routed: Vec<_> = routes()
            .into_iter()
            .map(|(m, p)| (m.to_string(), p.to_string()))
            .collect();
        documented.sort();
        routed.sort();
        assert_eq!(documented, routed);
    }
}
