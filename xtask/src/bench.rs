//! `cargo xtask bench`: measures every budget and writes one Markdown
//! report to `target/bench/report.md` (the numbers README.md quotes).
//!
//! - sizes of the release build (here);
//! - the widget in headless Chromium: ready time against a static form,
//!   keystroke-to-DOM latency with 100 members (`accredit-e2e` bench);
//! - the organiser view with 10,000 participants: first load, search
//!   keystroke (`accredit-e2e` bench `organiser`);
//! - the server: ingest, latency under load, export, memory
//!   (`accredit-server` bench), when that bench exists.

use crate::dist;
use crate::sizes::{self, kb};
use crate::toolchain;
use crate::util::{self, Result, cargo, root, step};
use std::fs;

/// The whole delegate widget (module, glue with its styles, loader; the
/// English strings are in the module), brotli. The first-render budget
/// (every byte before `accredit:ready`) is measured in the browser.
const DELEGATE_BUNDLE_BUDGET: usize = 200_000;
/// Each language besides English, fetched on demand, brotli.
const CATALOGUE_BUDGET: usize = 8_000;
/// The loader a host page includes, brotli.
const LOADER_BUDGET: usize = 3_000;

pub fn run(args: &[String]) -> Result {
    if let Some(unknown) = args.first() {
        return Err(format!(
            "`cargo xtask bench` takes no arguments (got `{unknown}`)"
        ));
    }
    let dist = dist::build()?;
    let out = dist::target_dir().join("bench");
    fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;

    step("Sizes of the delegate bundle");
    let bundle = dist.delegate_bundle();
    let mut report = String::from("# accredit benchmark report\n\n## Sizes\n\n");
    report += &dist.size_table();
    report += &format!(
        "\n| Budget | Measured | Limit | Verdict |\n|---|---:|---:|---|\n\
         | The whole delegate widget, brotli | {} | {} | {} |\n",
        kb(bundle.brotli),
        kb(DELEGATE_BUNDLE_BUDGET),
        verdict(bundle.brotli <= DELEGATE_BUNDLE_BUDGET)
    );
    for catalogue in dist.catalogues() {
        report += &format!(
            "| `{}`, brotli | {} | {} | {} |\n",
            catalogue.name,
            kb(catalogue.sizes.brotli),
            kb(CATALOGUE_BUDGET),
            verdict(catalogue.sizes.brotli <= CATALOGUE_BUDGET)
        );
    }
    // The framework's share: the smallest Leptos form, built the same way.
    let floor = dist::compile(
        "accredit-size-floor",
        "the size floor (a one-field Leptos form)",
        dist::Goal::Size,
        &toolchain::wasm_bindgen()?.cli,
        &toolchain::wasm_opt()?,
    )?;
    let floor_brotli = sizes::brotli(&floor.wasm).len() + sizes::brotli(&floor.glue).len();
    report += &format!(
        "| Size floor: a one-field Leptos form (wasm + glue), brotli | {} | | for reference |\n",
        kb(floor_brotli)
    );
    let loader = dist.file("loader").sizes.brotli;
    report += &format!(
        "| Loader (`accredit.js`), brotli | {} | {} | {} |\n",
        kb(loader),
        kb(LOADER_BUDGET),
        verdict(loader <= LOADER_BUDGET)
    );

    step("The widget in headless Chromium (ready time, keystroke latency)");
    let browser = toolchain::browser()?;
    util::run(cargo().args(["build", "--release", "--package", "accredit-server"]))?;
    let server_bin = dist::target_dir().join("release/accredit-server");
    util::run(
        cargo()
            .args(["bench", "--package", "accredit-e2e", "--bench", "widget"])
            .env("ACCREDIT_DIST", &dist.dir)
            .env("ACCREDIT_SERVER_BIN", &server_bin)
            .env("CHROMEDRIVER", &browser.chromedriver)
            .env("CHROMIUM", &browser.chromium),
    )?;
    report += "\n## Widget\n\n";
    report += &read_part(&out.join("widget.md"))?;

    step("The organiser view in headless Chromium (10,000 participants)");
    util::run(
        cargo()
            .args(["bench", "--package", "accredit-e2e", "--bench", "organiser"])
            .env("ACCREDIT_DIST", &dist.dir)
            .env("ACCREDIT_SERVER_BIN", &server_bin)
            .env("CHROMEDRIVER", &browser.chromedriver)
            .env("CHROMIUM", &browser.chromium),
    )?;
    report += "\n## Organiser view\n\n";
    report += &read_part(&out.join("organiser.md"))?;

    if root().join("server/benches/server.rs").is_file() {
        step("The server (ingest, latency, export, memory)");
        util::run(cargo().args(["bench", "--package", "accredit-server", "--bench", "server"]))?;
        report += "\n## Server\n\n";
        report += &read_part(&out.join("server.md"))?;
    }

    println!("\n{report}");
    fs::write(out.join("report.md"), &report).map_err(|e| format!("cannot write report: {e}"))?;
    eprintln!("report written to {}", out.join("report.md").display());
    Ok(())
}

fn read_part(path: &std::path::Path) -> Result<String> {
    fs::read_to_string(path).map_err(|e| format!("the bench did not write {}: {e}", path.display()))
}

fn verdict(ok: bool) -> &'static str {
    if ok { "within budget" } else { "OVER BUDGET" }
}
