//! The security log: one JSON line per access to personal data or change
//! of who may access it, for an auditor to answer "who read the passport
//! numbers, and from where".
//!
//! Every line goes through `tracing` with the target
//! `accredit_server::security` (this module's path), so the command line's
//! subscriber can write these lines, and only these, as JSON to their own
//! file ([`layer`]). Each line names the `action`, the `event`, the
//! organiser `token_id` (the id, never the token), the `client` address
//! (or `command-line` / `server` for what no client asked for) and the
//! `count` of records concerned. Nothing else: no names, document numbers,
//! e-mail addresses or free text a registrant typed.

use crate::storage::Deleted;
use std::fs::OpenOptions;
use std::net::IpAddr;
use std::path::Path;
use std::sync::Arc;
use tracing::Subscriber;
use tracing_subscriber::Layer;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::fmt::writer::BoxMakeWriter;
use tracing_subscriber::registry::LookupSpan;

/// The `tracing` target of every security line.
pub const TARGET: &str = "accredit_server::security";

/// Who asked for what a line records.
#[derive(Clone, Copy, Debug)]
pub enum Actor {
    /// A request from this address.
    Client(IpAddr),
    /// An operator's command (`token create`, `purge`).
    CommandLine,
    /// The server on its own (the hourly purge).
    Server,
}

impl std::fmt::Display for Actor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Actor::Client(ip) => ip.fmt(f),
            Actor::CommandLine => f.write_str("command-line"),
            Actor::Server => f.write_str("server"),
        }
    }
}

/// A layer that writes the security lines, and nothing else, as JSON
/// lines: appended to `file` (created 0600), or to standard error.
pub fn layer<S>(file: Option<&Path>) -> Result<impl Layer<S>, String>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    let writer = match file {
        Some(path) => {
            let mut options = OpenOptions::new();
            options.create(true).append(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let file = options
                .open(path)
                .map_err(|e| format!("cannot open the security log {}: {e}", path.display()))?;
            BoxMakeWriter::new(Arc::new(file))
        }
        None => BoxMakeWriter::new(std::io::stderr),
    };
    Ok(tracing_subscriber::fmt::layer()
        .json()
        .flatten_event(true)
        .with_current_span(false)
        .with_span_list(false)
        .with_writer(writer)
        .with_filter(Targets::new().with_target(TARGET, tracing::Level::INFO)))
}

/// A refused organiser token: `reason` is `missing`, `unknown` or
/// `expired` (then with the token's id); `limited` when answered 429.
pub fn auth_failed(
    event: &str,
    token_id: Option<&str>,
    client: IpAddr,
    reason: &str,
    limited: bool,
) {
    tracing::warn!(
        target: TARGET,
        action = "auth.failed",
        event,
        token_id = token_id.unwrap_or(""),
        client = %client,
        count = 0,
        reason,
        status = if limited { 429 } else { 401 },
    );
}

/// An export of `count` rows (`what` is e.g. `participants.csv`).
pub fn export(event: &str, token_id: &str, client: IpAddr, what: &str, count: usize) {
    tracing::info!(
        target: TARGET,
        action = "export",
        event,
        token_id,
        client = %client,
        count,
        what,
    );
}

/// An organiser's download of one attachment (a photo or a letter).
pub fn attachment_download(event: &str, token_id: &str, client: IpAddr, attachment_id: &str) {
    tracing::info!(
        target: TARGET,
        action = "attachment.download",
        event,
        token_id,
        client = %client,
        count = 1,
        attachment_id,
    );
}

/// An organiser's decision on one registration.
pub fn status_changed(
    event: &str,
    token_id: &str,
    client: IpAddr,
    registration_id: &str,
    from: &str,
    to: &str,
) {
    tracing::info!(
        target: TARGET,
        action = "status.changed",
        event,
        token_id,
        client = %client,
        count = 1,
        registration_id,
        from,
        to,
    );
}

/// A new organiser token, valid until `expires_at` (Unix seconds).
pub fn token_created(event: &str, token_id: &str, actor: Actor, expires_at: i64) {
    tracing::info!(
        target: TARGET,
        action = "token.created",
        event,
        token_id,
        client = %actor,
        count = 1,
        expires_at = %crate::clock::rfc3339(expires_at),
    );
}

/// A revoked organiser token (`event` empty if it was of no configured event).
pub fn token_revoked(event: &str, token_id: &str, actor: Actor) {
    tracing::info!(
        target: TARGET,
        action = "token.revoked",
        event,
        token_id,
        client = %actor,
        count = 1,
    );
}

/// An event's data deleted; `reason` is `retention` or `unconfigured`.
pub fn purge(event: &str, actor: Actor, reason: &str, deleted: &Deleted) {
    tracing::info!(
        target: TARGET,
        action = "purge",
        event,
        token_id = "",
        client = %actor,
        count = deleted.registrations,
        reason,
        attachments = deleted.attachments,
        tokens = deleted.tokens,
    );
}
