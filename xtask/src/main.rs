//! The build and test driver: `cargo xtask <command>`.
//!
//! Every command installs what it is missing (from crates.io, npm and Debian
//! only) and says what it does, so the two README commands work on a fresh
//! machine.

mod bench;
mod catalogues;
mod dist;
mod fuzz;
mod serve;
mod sizes;
mod test;
mod toolchain;
mod util;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  dist    build the widget for release into dist/ (hashed names, SRI, sizes)
  serve   build everything and serve the demo on http://127.0.0.1:8080
  test    run every test: model, server, widget in Chromium, end to end
  bench   measure the size and speed budgets
  fuzz    run the libFuzzer targets (10 minutes in all; --minutes N, --seconds N)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("dist") => dist::build().map(|d| {
            println!("\n{}", d.size_table());
        }),
        Some("serve") => serve::run(&args[1..]),
        Some("test") => test::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("fuzz") => fuzz::run(&args[1..]),
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown or missing command\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\x1b[1;31merror:\x1b[0m {e}");
            ExitCode::FAILURE
        }
    }
}
