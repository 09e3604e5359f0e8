//! `accredit-server`: the command line around the library.

use accredit_server::{Settings, events};
use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "accredit-server",
    version,
    about = "Reference backend for the accredit widget"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API, the widget files and the demo page.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "ACCREDIT_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// Where registrations and attachments are stored.
        #[arg(long, env = "ACCREDIT_DATA_DIR", default_value = "data")]
        data_dir: PathBuf,
        /// An event file (TOML or JSON) or a folder of them; the demo event by default.
        #[arg(long, env = "ACCREDIT_CONFIG")]
        config: Option<PathBuf>,
        /// The widget build (`cargo xtask dist` writes it).
        #[arg(long, env = "ACCREDIT_DIST", default_value = "dist")]
        dist: PathBuf,
        /// Sources allowed to frame the served pages (CSP frame-ancestors).
        #[arg(long, env = "ACCREDIT_FRAME_ANCESTORS", default_value = "'self'")]
        frame_ancestors: String,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "accredit_server=info,tower_http=warn".into()),
        )
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve {
            addr,
            data_dir,
            config,
            dist,
            frame_ancestors,
        } => serve(addr, data_dir, config, dist, frame_ancestors).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(
    addr: SocketAddr,
    data_dir: PathBuf,
    config: Option<PathBuf>,
    dist: PathBuf,
    frame_ancestors: String,
) -> Result<(), String> {
    let events = match config {
        Some(path) => events::load_path(&path)?,
        None => events::demo(),
    };
    std::fs::create_dir_all(&data_dir)
        .map_err(|e| format!("cannot create data directory {}: {e}", data_dir.display()))?;
    let settings = Settings {
        events,
        dist,
        frame_ancestors,
    };
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    tracing::info!("accredit listening on http://{addr}");
    accredit_server::serve(listener, settings)
        .await
        .map_err(|e| format!("server error: {e}"))
}
