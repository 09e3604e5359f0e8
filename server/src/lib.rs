//! The reference backend of accredit: it serves the widget build and the
//! registration API, and it re-validates everything it receives with
//! `accredit-model` (the same rules the widget runs).

pub mod api;
pub mod events;
pub mod static_files;

use accredit_model::EventConfig;
use axum::Router;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

/// What the server needs to run, gathered from the command line.
pub struct Settings {
    pub events: BTreeMap<String, EventConfig>,
    /// The widget build: demo page, loader, wasm, CSS.
    pub dist: PathBuf,
    /// The CSP `frame-ancestors` sources of served pages.
    pub frame_ancestors: String,
}

/// Shared, read-only state of every request handler.
pub struct AppState {
    pub events: BTreeMap<String, EventConfig>,
}

pub fn router(settings: Settings) -> Router {
    let state = Arc::new(AppState {
        events: settings.events,
    });
    Router::new()
        .nest("/api/v1", api::router(state))
        .route("/healthz", axum::routing::get(|| async { "ok" }))
        .fallback_service(static_files::service(
            settings.dist,
            &settings.frame_ancestors,
        ))
}

/// Serves until Ctrl-C or SIGTERM, then finishes the requests under way.
pub async fn serve(listener: tokio::net::TcpListener, settings: Settings) -> std::io::Result<()> {
    axum::serve(listener, router(settings))
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
