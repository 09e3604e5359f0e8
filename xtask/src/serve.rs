//! `cargo xtask serve`: builds the widget and the organiser view, then runs
//! the server with the demo event, keeping its data in ./data/. It prints
//! an organiser token for the demo event, so the organiser view can be
//! tried at once.

use crate::dist;
use crate::util::{self, Result, cargo, step};

const DEMO_EVENT: &str = "islamabad-tip-som";

pub fn run(extra: &[String]) -> Result {
    let dist = dist::build()?;
    println!("\n{}", dist.size_table());
    step("Building the server");
    util::run(cargo().args(["build", "--release", "--package", "accredit-server"]))?;
    let server = dist::target_dir().join("release/accredit-server");
    step("Creating an organiser token for the demo event");
    let token = util::output(
        std::process::Command::new(&server)
            .args([
                "token",
                "create",
                "--event",
                DEMO_EVENT,
                "--data-dir",
                "data",
            ])
            .args(["--label", "Demo organiser"])
            .current_dir(util::root()),
    )
    .ok_or("`accredit-server token create` failed")?;
    step("Starting the server (Ctrl-C stops it)");
    println!(
        "  Registration form: http://127.0.0.1:8080/\n  \
         Organiser view:    http://127.0.0.1:8080/organiser.html\n  \
         Organiser token:   {}\n  \
         Outgoing e-mail:   {}\n",
        token.trim(),
        if extra.iter().any(|a| a.starts_with("--smtp-url")) {
            "sent through the --smtp-url relay".to_owned()
        } else {
            format!(
                "{} (one .eml file per message; `cargo xtask serve --smtp-url smtp://…` sends them)",
                util::root().join("data/outbox").display()
            )
        }
    );
    util::run(
        std::process::Command::new(&server)
            .args(["serve", "--addr", "127.0.0.1:8080", "--data-dir", "data"])
            .arg("--dist")
            .arg(&dist.dir)
            .args(extra)
            .current_dir(util::root()),
    )
}
