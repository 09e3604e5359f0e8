//! `cargo xtask serve`: builds the widget and runs the server with the demo
//! event, keeping its data in ./data/.

use crate::dist;
use crate::util::{self, Result, cargo, step};

pub fn run(extra: &[String]) -> Result {
    let dist = dist::build()?;
    println!("\n{}", dist.size_table());
    step("Starting the server on http://127.0.0.1:8080 (Ctrl-C stops it)");
    util::run(
        cargo()
            .args(["run", "--release", "--package", "accredit-server", "--"])
            .args(["serve", "--addr", "127.0.0.1:8080", "--data-dir", "data"])
            .arg("--dist")
            .arg(&dist.dir)
            .args(extra),
    )
}
