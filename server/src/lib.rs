//! The reference backend of accredit: it serves the widget build and the
//! registration API, stores registrations durably in SQLite, gives
//! organisers their review API and exports, and re-validates everything it
//! receives with `accredit-model` (the same rules the widget runs).

pub mod api;
pub mod attachments;
pub mod auth;
pub mod clock;
pub mod connections;
pub mod cors;
pub mod deadline;
pub mod events;
pub mod export;
pub mod health;
pub mod history;
pub mod idempotency;
pub mod mail;
pub mod manage;
pub mod memory;
pub mod outbox;
pub mod private_files;
pub mod purge;
pub mod random;
pub mod rate_limit;
pub mod reference;
pub mod registration_body;
pub mod security;
pub mod static_files;
pub mod storage;
pub mod upload_quota;

use axum::Router;
use axum::http::HeaderName;
use events::Events;
use rate_limit::{Limiter, RateLimit};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use storage::SharedStorage;

/// `Strict-Transport-Security` with `--hsts`: a year, subdomains included.
pub const HSTS: &str = "max-age=31536000; includeSubDomains";

/// The sender when none is configured.
pub const DEFAULT_MAIL_FROM: &str = "Accreditation <accreditation@localhost>";

/// What the server needs to run, gathered from the command line.
pub struct Settings {
    pub events: Events,
    /// The widget build: demo page, loader, wasm, CSS.
    pub dist: PathBuf,
    /// Where the database lives (`accredit.sqlite3`).
    pub data_dir: PathBuf,
    /// The CSP `frame-ancestors` sources of served pages.
    pub frame_ancestors: String,
    /// Origins allowed to call the public endpoints cross-origin.
    pub cors: cors::AllowList,
    /// POSTs per client address; [`RateLimit::Off`] also lifts the limit on
    /// failed organiser sign-ins.
    pub rate_limit: RateLimit,
    /// Event id → reference prefix, for events that do not use the derived one.
    pub reference_prefixes: BTreeMap<String, String>,
    /// Header a trusted reverse proxy puts the client address in
    /// (`X-Forwarded-For`); without it the TCP peer is the client.
    pub client_ip_header: Option<HeaderName>,
    /// `smtp://`, `smtp+starttls://` or `smtps://` relay; without one,
    /// messages are written as `.eml` files under `{data_dir}/outbox/`.
    pub smtp_url: Option<String>,
    /// The sender of every message (`Name <address>`).
    pub mail_from: String,
    /// The key manage tokens are derived from (default
    /// `{data_dir}/secret.key`, created on first start).
    pub secret_file: Option<PathBuf>,
    /// The first retry delay of a failed delivery, in seconds (doubling
    /// from there).
    pub mail_retry_secs: i64,
    /// What "now" is for every rule that depends on the date (the system
    /// clock unless `--today` moves it).
    pub clock: clock::Clock,
    /// Connection cap and time limits of the HTTP server.
    pub connections: connections::Limits,
    /// The slowest request body the server waits for.
    pub body_rate: api::body::MinimumRate,
    /// Behind TLS: every response carries `Strict-Transport-Security`, and
    /// the server's own origin is `https://`.
    pub hsts: bool,
    /// Header a trusted reverse proxy puts the client's scheme in
    /// (`X-Forwarded-Proto`); without it the scheme is `https` with
    /// [`Settings::hsts`], else `http`.
    pub proto_header: Option<HeaderName>,
    /// Writes that may wait for the database writer; a request finding
    /// the queue full is answered 503 `storage.busy`.
    pub write_queue: usize,
    /// Unclaimed upload bytes per client address (last 24 hours) and per
    /// event; past either, an upload is answered 429.
    pub upload_limits: upload_quota::UploadLimits,
}

impl Settings {
    /// Settings with the defaults of the command line: frame-ancestors
    /// `'self'`, no cross-origin access, the default rate limit, derived
    /// reference prefixes, no proxy header.
    pub fn new(events: Events, dist: PathBuf, data_dir: PathBuf) -> Settings {
        Settings {
            events,
            dist,
            data_dir,
            frame_ancestors: "'self'".to_owned(),
            cors: cors::AllowList::default(),
            rate_limit: RateLimit::default(),
            reference_prefixes: BTreeMap::new(),
            client_ip_header: None,
            smtp_url: None,
            mail_from: DEFAULT_MAIL_FROM.to_owned(),
            secret_file: None,
            mail_retry_secs: 30,
            clock: clock::Clock::system(),
            connections: connections::Limits::default(),
            body_rate: api::body::MinimumRate::default(),
            hsts: false,
            proto_header: None,
            write_queue: storage::sqlite::DEFAULT_WRITE_QUEUE,
            upload_limits: upload_quota::UploadLimits::default(),
        }
    }

    /// Mistakes that stop the server: prefixes or CORS entries for events
    /// that do not exist, invalid prefixes.
    pub fn check(&self) -> Result<(), String> {
        for (event, prefix) in &self.reference_prefixes {
            if !self.events.contains_key(event) {
                return Err(format!("--reference-prefix names unknown event `{event}`"));
            }
            if !reference::is_valid_prefix(prefix) {
                return Err(format!(
                    "reference prefix `{prefix}` must be 1-8 upper-case letters A-Z and digits"
                ));
            }
        }
        if let Some(event) = self.cors.events().find(|e| !self.events.contains_key(*e)) {
            return Err(format!("--cors-origin names unknown event `{event}`"));
        }
        self.connections.check()?;
        if self.body_rate.bytes_per_sec == 0 || self.body_rate.window.is_zero() {
            return Err("--body-min-rate and --body-rate-window must be more than 0".into());
        }
        if self.write_queue == 0 {
            return Err("--write-queue must be at least 1".to_owned());
        }
        // A limit below an event's largest file would refuse that file for
        // ever, whatever the client did before.
        let limits = [
            ("--upload-quota", self.upload_limits.per_client),
            ("--event-upload-cap", self.upload_limits.per_event),
        ];
        for (flag, limit) in limits {
            let Some(bytes) = limit.bytes() else { continue };
            if let Some((id, event)) = self
                .events
                .iter()
                .find(|(_, e)| e.limits.attachment_max_bytes > bytes)
            {
                return Err(format!(
                    "{flag} {limit} is below the attachment size limit of event `{id}` \
                     ({} bytes)",
                    event.limits.attachment_max_bytes
                ));
            }
        }
        Ok(())
    }
}

/// Shared state of every request handler.
pub struct AppState {
    pub events: Events,
    pub storage: SharedStorage,
    pub in_flight: idempotency::InFlight,
    pub posts: Limiter,
    pub auth_failures: Limiter,
    pub cors: cors::Policy,
    pub reference_prefixes: BTreeMap<String, String>,
    pub client_ip_header: Option<HeaderName>,
    pub body_rate: api::body::MinimumRate,
    pub upload_limits: upload_quota::UploadLimits,
    pub manage_key: manage::ManageKey,
    pub outbox: outbox::Outbox,
    pub clock: clock::Clock,
}

/// What the background sender needs besides the state.
struct Mailer {
    transport: outbox::transport::Transport,
    from: lettre::message::Mailbox,
    retry_secs: i64,
}

impl AppState {
    pub fn reference_prefix(&self, event: &str) -> String {
        self.reference_prefixes
            .get(event)
            .cloned()
            .unwrap_or_else(|| reference::derive_prefix(event))
    }
}

fn build(settings: Settings) -> Result<(Router, Arc<AppState>, Mailer), String> {
    settings.check()?;
    let storage =
        storage::sqlite::Sqlite::open_with_queue(&settings.data_dir, settings.write_queue)?;
    let key_file = settings
        .secret_file
        .clone()
        .unwrap_or_else(|| settings.data_dir.join(manage::KEY_FILE));
    let manage_key = manage::ManageKey::load_or_create(&key_file)?;
    let mailer = Mailer {
        transport: outbox::transport::Transport::new(
            settings.smtp_url.as_deref(),
            &settings.data_dir,
        )?,
        from: outbox::transport::mailbox(&settings.mail_from)?,
        retry_secs: settings.mail_retry_secs.max(1),
    };
    let auth_limit = match settings.rate_limit {
        RateLimit::Off => RateLimit::Off,
        RateLimit::PerMinute(_) => RateLimit::AUTH_FAILURES,
    };
    let state = Arc::new(AppState {
        events: settings.events,
        storage: Arc::new(storage),
        in_flight: idempotency::InFlight::default(),
        posts: Limiter::new(settings.rate_limit),
        auth_failures: Limiter::new(auth_limit),
        cors: cors::Policy {
            allow: settings.cors,
            https: settings.hsts,
            proto_header: settings.proto_header,
        },
        reference_prefixes: settings.reference_prefixes,
        client_ip_header: settings.client_ip_header,
        body_rate: settings.body_rate,
        upload_limits: settings.upload_limits,
        manage_key,
        outbox: outbox::Outbox::new(&settings.mail_from),
        clock: settings.clock,
    });
    let handler_timeout = settings.connections.handler_timeout;
    // The API applies the handler time limit itself, inside its CORS layer
    // (see `api::router`); the layer here covers the rest.
    let mut router = Router::new()
        .route("/healthz", axum::routing::get(health::check))
        .fallback_service(static_files::service(
            settings.dist,
            &settings.frame_ancestors,
        ))
        .layer(axum::middleware::from_fn_with_state(
            handler_timeout,
            deadline::limit,
        ))
        .with_state(state.clone())
        .nest("/api/v1", api::router(state.clone(), handler_timeout));
    if settings.hsts {
        router = router.layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
            axum::http::header::STRICT_TRANSPORT_SECURITY,
            axum::http::HeaderValue::from_static(HSTS),
        ));
    }
    Ok((router, state, mailer))
}

/// The whole application (opens the database). [`serve`] is what runs it;
/// this is for embedding it in another router.
pub fn router(settings: Settings) -> Result<Router, String> {
    build(settings).map(|(router, _, _)| router)
}

/// Serves until Ctrl-C or SIGTERM, then finishes the requests under way.
/// Also runs the retention purge at start-up and every hour.
pub async fn serve(listener: tokio::net::TcpListener, settings: Settings) -> std::io::Result<()> {
    serve_until(listener, settings, shutdown_signal()).await
}

/// [`serve`] until `shutdown` completes instead of a signal: stops
/// accepting, finishes the requests under way, then returns.
pub async fn serve_until(
    listener: tokio::net::TcpListener,
    settings: Settings,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let limits = settings.connections;
    let (router, state, mailer) = tokio::task::spawn_blocking(move || build(settings))
        .await
        .map_err(std::io::Error::other)?
        .map_err(std::io::Error::other)?;
    if let Some(folder) = mailer.transport.folder() {
        tracing::info!(
            "no --smtp-url: messages are written to {}",
            folder.display()
        );
    }
    let sender = tokio::spawn(outbox::sender::run(
        state.clone(),
        mailer.transport,
        mailer.from,
        mailer.retry_secs,
    ));
    let purger = tokio::spawn(purge::periodically(state));
    #[cfg(unix)]
    let size_limit_watch = tokio::spawn(report_file_size_limit(tokio::signal::unix::signal(
        tokio::signal::unix::SignalKind::from_raw(libc::SIGXFSZ),
    )?));
    let result = connections::serve(listener, router, limits, shutdown).await;
    purger.abort();
    sender.abort();
    #[cfg(unix)]
    size_limit_watch.abort();
    result
}

/// A process that exceeds its file size limit (`ulimit -f`) is killed by
/// SIGXFSZ unless it handles it. Handling it turns the failed write into an
/// ordinary storage error, answered with a 5xx, and the server stays up.
#[cfg(unix)]
async fn report_file_size_limit(mut signals: tokio::signal::unix::Signal) {
    while signals.recv().await.is_some() {
        tracing::error!("a file reached the process's file size limit; writes are failing");
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_naming_unknown_events_or_bad_prefixes_are_refused() {
        let new = || Settings::new(events::demo(), "dist".into(), "data".into());
        assert_eq!(new().check(), Ok(()));
        let mut s = new();
        s.reference_prefixes
            .insert("no-such-event".into(), "ISB".into());
        assert!(s.check().unwrap_err().contains("unknown event"));
        let mut s = new();
        s.reference_prefixes
            .insert("islamabad-tip-som".into(), "isb".into());
        assert!(s.check().is_err());
        let mut s = new();
        s.cors = cors::AllowList::parse(["other=https://x.org"]).unwrap();
        assert!(s.check().unwrap_err().contains("unknown event"));
    }

    #[test]
    fn upload_limits_below_an_events_file_size_limit_are_refused() {
        let new = || Settings::new(events::demo(), "dist".into(), "data".into());
        let mut s = new();
        s.upload_limits.per_client = upload_quota::SizeLimit::Bytes(1024 * 1024);
        let refusal = s.check().unwrap_err();
        assert!(refusal.contains("--upload-quota 1MB"), "{refusal}");
        let mut s = new();
        s.upload_limits.per_event = upload_quota::SizeLimit::Bytes(1024);
        assert!(s.check().unwrap_err().contains("--event-upload-cap"));
        let mut s = new();
        s.upload_limits.per_client = upload_quota::SizeLimit::Off;
        s.upload_limits.per_event = upload_quota::SizeLimit::Bytes(5 * 1024 * 1024);
        assert_eq!(s.check(), Ok(()));
    }
}
