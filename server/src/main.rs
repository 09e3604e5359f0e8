//! `accredit-server`: the command line around the library.

use accredit_server::api::body::MinimumRate;
use accredit_server::connections::Limits;
use accredit_server::rate_limit::RateLimit;
use accredit_server::security::{self, Actor};
use accredit_server::storage::Storage;
use accredit_server::storage::sqlite::Sqlite;
use accredit_server::upload_quota::{SizeLimit, UploadLimits};
use accredit_server::{Settings, auth, clock, cors, events, purge};
use axum::http::HeaderName;
use clap::{Args, Parser, Subcommand};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

#[derive(Parser)]
#[command(
    name = "accredit-server",
    version,
    about = "Reference backend for the accredit widget"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Append the security log (JSON lines: sign-in failures, exports,
    /// downloads, decisions, tokens, purges) to this file, created 0600.
    /// Without it the lines go to standard error with the rest.
    #[arg(long, global = true, env = "ACCREDIT_SECURITY_LOG")]
    security_log: Option<PathBuf>,
}

/// The general log (text, `RUST_LOG`) on standard error, and the security
/// log as JSON lines, on its own layer and never in the general log.
fn init_logging(security_log: Option<&Path>) -> Result<(), String> {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    use tracing_subscriber::{EnvFilter, Layer};
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "accredit_server=info,tower_http=warn".into())
        .add_directive(
            format!("{}=off", security::TARGET)
                .parse()
                .map_err(|e| format!("{e}"))?,
        );
    let general = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_filter(filter);
    tracing_subscriber::registry()
        .with(general)
        .with(security::layer(security_log)?)
        .try_init()
        .map_err(|e| e.to_string())
}

/// Where the data and the event configuration are (every command needs them).
#[derive(Args)]
struct Common {
    /// Where registrations and attachments are stored.
    #[arg(long, env = "ACCREDIT_DATA_DIR", default_value = "data")]
    data_dir: PathBuf,
    /// An event file (TOML or JSON) or a folder of them. By default the
    /// demo event, moved in the calendar so that it opens about seven weeks
    /// from today.
    #[arg(long, env = "ACCREDIT_CONFIG")]
    config: Option<PathBuf>,
    /// Run as if today (UTC) were this date, e.g. `2027-04-06`, to rehearse
    /// a deadline or a retention purge. Time of day and the passing of time
    /// stay real.
    #[arg(long, env = "ACCREDIT_TODAY")]
    today: Option<accredit_model::Date>,
}

impl Common {
    fn clock(&self) -> clock::Clock {
        self.today
            .map_or_else(clock::Clock::system, clock::Clock::on)
    }

    fn events(&self, clock: &clock::Clock) -> Result<events::Events, String> {
        match &self.config {
            Some(path) => events::load_path(path),
            None => Ok(events::demo_on(clock.today())),
        }
    }
}

// Parsed once at start-up: the size of the `serve` variant costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Serve the API, the widget files and the demo page.
    Serve {
        #[command(flatten)]
        common: Common,
        /// Address to listen on.
        #[arg(long, env = "ACCREDIT_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// The widget build (`cargo xtask dist` writes it).
        #[arg(long, env = "ACCREDIT_DIST", default_value = "dist")]
        dist: PathBuf,
        /// Sources allowed to frame the served pages (CSP frame-ancestors).
        #[arg(long, env = "ACCREDIT_FRAME_ANCESTORS", default_value = "'self'")]
        frame_ancestors: String,
        /// An origin allowed to embed the widget: `https://host` for every
        /// event or `EVENT=https://host` for one. Repeatable; the variable
        /// takes a comma-separated list.
        #[arg(
            long = "cors-origin",
            env = "ACCREDIT_CORS_ORIGINS",
            value_delimiter = ','
        )]
        cors_origins: Vec<String>,
        /// POSTs per client address: `<n>/min`, or `off` (load tests).
        #[arg(long, env = "ACCREDIT_RATE_LIMIT", default_value_t = RateLimit::default())]
        rate_limit: RateLimit,
        /// Reference prefix of an event, `EVENT=PREFIX` (e.g.
        /// `islamabad-tip-som=ISB`). Repeatable; comma-separated in the variable.
        #[arg(
            long = "reference-prefix",
            env = "ACCREDIT_REFERENCE_PREFIXES",
            value_delimiter = ','
        )]
        reference_prefixes: Vec<String>,
        /// Behind a reverse proxy: the header it puts the client address in
        /// (e.g. `X-Forwarded-For`). Only set this when a proxy always sets it.
        #[arg(long, env = "ACCREDIT_CLIENT_IP_HEADER")]
        client_ip_header: Option<HeaderName>,
        /// Mail relay: `smtp://host:port` (plain), `smtp+starttls://…` or
        /// `smtps://…`, credentials as `user:password@`. Without it,
        /// messages are written as .eml files under DATA_DIR/outbox/.
        #[arg(long, env = "ACCREDIT_SMTP_URL")]
        smtp_url: Option<String>,
        /// The sender of every message.
        #[arg(long, env = "ACCREDIT_MAIL_FROM", default_value = accredit_server::DEFAULT_MAIL_FROM)]
        mail_from: String,
        /// The key manage links are derived from (created on first start;
        /// losing it invalidates every manage link).
        #[arg(
            long,
            env = "ACCREDIT_SECRET_FILE",
            default_value = "DATA_DIR/secret.key"
        )]
        secret_file: PathBuf,
        #[command(flatten)]
        net: Box<Net>,
        /// Writes that may wait for the database writer. A request that
        /// finds them all taken is answered 503 `storage.busy` with
        /// `Retry-After` (nothing stored; the widget retries).
        #[arg(
            long,
            env = "ACCREDIT_WRITE_QUEUE",
            default_value_t = accredit_server::storage::sqlite::DEFAULT_WRITE_QUEUE,
            value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..)
        )]
        write_queue: usize,
        /// Bytes of uploads not yet part of a registration that one client
        /// address may have from the last 24 hours (`50MB`, `off`). Past
        /// it: 429 `upload.quota_exceeded`.
        #[arg(long, env = "ACCREDIT_UPLOAD_QUOTA", default_value_t = SizeLimit::DEFAULT_PER_CLIENT)]
        upload_quota: SizeLimit,
        /// Bytes of uploads not yet part of a registration that one event
        /// may hold (`2GB`, `off`). Past it: 429 `upload.event_storage_full`.
        #[arg(long, env = "ACCREDIT_EVENT_UPLOAD_CAP", default_value_t = SizeLimit::DEFAULT_PER_EVENT)]
        event_upload_cap: SizeLimit,
    },
    /// Organiser tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Delete personal data whose retention period is over, and unused uploads.
    Purge {
        #[command(flatten)]
        common: Common,
    },
}

/// Connection limits and the headers of a deployment behind TLS.
#[derive(Args)]
struct Net {
    /// Behind TLS (a reverse proxy terminating HTTPS): send
    /// `Strict-Transport-Security: max-age=31536000; includeSubDomains` on
    /// every response, and take `https://` as the server's own scheme.
    #[arg(long, env = "ACCREDIT_HSTS")]
    hsts: bool,
    /// Behind a reverse proxy: the header it puts the client's scheme in
    /// (e.g. `X-Forwarded-Proto`). Only set this when a proxy always sets it.
    #[arg(long, env = "ACCREDIT_PROTO_HEADER")]
    proto_header: Option<HeaderName>,
    /// Connections served at once; more wait in the listen queue.
    #[arg(long, env = "ACCREDIT_MAX_CONNECTIONS",
          default_value_t = Limits::default().max_connections)]
    max_connections: usize,
    /// Seconds a client has to send a request's head (line and headers).
    #[arg(long, env = "ACCREDIT_HEADER_READ_TIMEOUT", value_name = "SECS",
          default_value_t = Limits::default().header_read_timeout.as_secs())]
    header_read_timeout: u64,
    /// Seconds without traffic, between requests, before a connection closes.
    #[arg(long, env = "ACCREDIT_IDLE_TIMEOUT", value_name = "SECS",
          default_value_t = Limits::default().idle_timeout.as_secs())]
    idle_timeout: u64,
    /// Seconds a handler may work on a request, not counting the time its
    /// body takes to arrive, before the answer is 503.
    #[arg(long, env = "ACCREDIT_HANDLER_TIMEOUT", value_name = "SECS",
          default_value_t = Limits::default().handler_timeout.as_secs())]
    handler_timeout: u64,
    /// Slowest request body waited for, in bytes per second: a body that
    /// brings less than this times --body-rate-window in a window is cut (408).
    #[arg(long, env = "ACCREDIT_BODY_MIN_RATE", value_name = "BYTES_PER_SEC",
          default_value_t = MinimumRate::default().bytes_per_sec)]
    body_min_rate: u64,
    /// The window of --body-min-rate, in seconds.
    #[arg(long, env = "ACCREDIT_BODY_RATE_WINDOW", value_name = "SECS",
          default_value_t = MinimumRate::default().window.as_secs())]
    body_rate_window: u64,
}

impl Net {
    fn apply(self, settings: &mut Settings) {
        settings.hsts = self.hsts;
        settings.proto_header = self.proto_header;
        settings.connections = Limits {
            header_read_timeout: Duration::from_secs(self.header_read_timeout),
            idle_timeout: Duration::from_secs(self.idle_timeout),
            max_connections: self.max_connections,
            handler_timeout: Duration::from_secs(self.handler_timeout),
        };
        settings.body_rate = MinimumRate {
            bytes_per_sec: self.body_min_rate,
            window: Duration::from_secs(self.body_rate_window),
        };
    }
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create a token for one event and print it (only its hash is stored).
    Create {
        #[command(flatten)]
        common: Common,
        /// The event the token gives access to.
        #[arg(long)]
        event: String,
        /// Who or what the token is for; shown in the audit trail.
        #[arg(long, default_value = "organiser")]
        label: String,
        /// How long the token is valid: days (`90d`) or hours (`12h`).
        #[arg(long, default_value = "90d", value_parser = auth::parse_lifetime)]
        expires: i64,
    },
    /// List the tokens of every configured event (ids and labels; the
    /// tokens themselves are never stored).
    List {
        #[command(flatten)]
        common: Common,
    },
    /// Revoke a token by its id (`tok_…`, as `list` shows it): requests with
    /// it are refused at once.
    Revoke {
        #[command(flatten)]
        common: Common,
        /// The token's id.
        id: String,
    },
}

fn main() -> ExitCode {
    accredit_server::memory::limit_arenas();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("the async runtime starts")
        .block_on(run())
}

async fn run() -> ExitCode {
    let cli = Cli::parse();
    if let Err(e) = init_logging(cli.security_log.as_deref()) {
        eprintln!("error: {e}");
        return ExitCode::FAILURE;
    }
    let result = match cli.command {
        Command::Serve {
            common,
            addr,
            dist,
            frame_ancestors,
            cors_origins,
            rate_limit,
            reference_prefixes,
            client_ip_header,
            smtp_url,
            mail_from,
            secret_file,
            net,
            write_queue,
            upload_quota,
            event_upload_cap,
        } => {
            async {
                let secret_file =
                    (secret_file != Path::new("DATA_DIR/secret.key")).then_some(secret_file);
                let clock = common.clock();
                let mut settings = Settings::new(common.events(&clock)?, dist, common.data_dir);
                settings.clock = clock;
                settings.smtp_url = smtp_url;
                settings.mail_from = mail_from;
                settings.secret_file = secret_file;
                settings.frame_ancestors = frame_ancestors;
                settings.cors = cors::AllowList::parse(cors_origins.iter().map(String::as_str))?;
                settings.rate_limit = rate_limit;
                settings.reference_prefixes = parse_prefixes(&reference_prefixes)?;
                settings.client_ip_header = client_ip_header;
                settings.write_queue = write_queue;
                settings.upload_limits = UploadLimits {
                    per_client: upload_quota,
                    per_event: event_upload_cap,
                };
                net.apply(&mut settings);
                settings.check()?;
                serve(addr, settings).await
            }
            .await
        }
        Command::Token {
            command:
                TokenCommand::Create {
                    common,
                    event,
                    label,
                    expires,
                },
        } => create_token(&common, &event, &label, expires),
        Command::Token {
            command: TokenCommand::List { common },
        } => list_tokens(&common),
        Command::Token {
            command: TokenCommand::Revoke { common, id },
        } => revoke_token(&common, &id),
        Command::Purge { common } => run_purge(&common),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn list_tokens(common: &Common) -> Result<(), String> {
    let clock = common.clock();
    let events = common.events(&clock)?;
    let storage = Sqlite::open(&common.data_dir)?;
    println!("id\tevent\tcreated\texpires\tlabel");
    for event in events.keys() {
        let mut tokens = storage.tokens(event).map_err(|e| e.to_string())?;
        tokens.sort_by_key(|t| t.created_at);
        for t in tokens {
            let expired = if t.expires_at <= clock.now() {
                " (expired)"
            } else {
                ""
            };
            println!(
                "{}\t{}\t{}\t{}{expired}\t{}",
                t.id,
                t.event,
                clock::rfc3339(t.created_at),
                clock::rfc3339(t.expires_at),
                t.label
            );
        }
    }
    Ok(())
}

fn revoke_token(common: &Common, id: &str) -> Result<(), String> {
    let events = common.events(&common.clock())?;
    let storage = Sqlite::open(&common.data_dir)?;
    // The token's event, for the security log.
    let mut event = String::new();
    for name in events.keys() {
        let tokens = storage.tokens(name).map_err(|e| e.to_string())?;
        if tokens.iter().any(|t| t.id == id) {
            event.clone_from(name);
        }
    }
    if storage.revoke_token(id).map_err(|e| e.to_string())? {
        security::token_revoked(&event, id, Actor::CommandLine);
        eprintln!("Revoked token {id}; requests with it are refused from now on.");
        Ok(())
    } else {
        Err(format!(
            "there is no token {id} (`accredit-server token list` shows them)"
        ))
    }
}

fn parse_prefixes(entries: &[String]) -> Result<BTreeMap<String, String>, String> {
    entries
        .iter()
        .map(|entry| {
            entry
                .split_once('=')
                .map(|(event, prefix)| (event.trim().to_owned(), prefix.trim().to_owned()))
                .ok_or_else(|| format!("`{entry}`: expected EVENT=PREFIX"))
        })
        .collect()
}

async fn serve(addr: SocketAddr, settings: Settings) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    tracing::info!(
        "accredit listening on http://{addr} (data in {}, rate limit {})",
        settings.data_dir.display(),
        settings.rate_limit
    );
    accredit_server::serve(listener, settings)
        .await
        .map_err(|e| format!("server error: {e}"))
}

fn create_token(
    common: &Common,
    event: &str,
    label: &str,
    lifetime_secs: i64,
) -> Result<(), String> {
    let clock = common.clock();
    let events = common.events(&clock)?;
    if !events.contains_key(event) {
        let known: Vec<_> = events.keys().map(String::as_str).collect();
        return Err(format!(
            "unknown event `{event}` (configured: {})",
            known.join(", ")
        ));
    }
    let storage = Sqlite::open(&common.data_dir)?;
    let (secret, record) = auth::new_token(event, label, clock.now(), lifetime_secs);
    storage.insert_token(&record).map_err(|e| e.to_string())?;
    security::token_created(event, &record.id, Actor::CommandLine, record.expires_at);
    eprintln!(
        "Created token {} (\"{label}\") for {event}, valid until {}. It is shown only once; \
         keep it secret.",
        record.id,
        clock::rfc3339(record.expires_at)
    );
    println!("{secret}");
    Ok(())
}

fn run_purge(common: &Common) -> Result<(), String> {
    let clock = common.clock();
    let events = common.events(&clock)?;
    let storage = Sqlite::open(&common.data_dir)?;
    let report = purge::run(
        &storage,
        &events,
        clock.today(),
        clock.now(),
        Actor::CommandLine,
    )
    .map_err(|e| e.to_string())?;
    for (event, deleted) in &report.events {
        let why = if events.contains_key(event) {
            "retention period over"
        } else {
            "no longer configured"
        };
        println!(
            "{event}: {why}; deleted {} registrations, {} attachments and {} organiser tokens",
            deleted.registrations, deleted.attachments, deleted.tokens
        );
    }
    println!("unused attachments deleted: {}", report.expired_attachments);
    for (id, event) in &events {
        let date = purge::deletion_date(event);
        if clock.today() < date {
            println!("{id}: personal data will be deleted on {date}");
        }
    }
    Ok(())
}
