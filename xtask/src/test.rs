//! `cargo xtask test`: every test there is, in the order that fails fastest.
//!
//! 1. formatting;
//! 2. native unit, property and integration tests (model, server, driver);
//! 3. the model compiled for wasm32;
//! 4. the release build;
//! 5. widget component tests in headless Chromium;
//! 6. end-to-end tests in headless Chromium against the real server.

use crate::dist;
use crate::toolchain::{self, WASM_TARGET};
use crate::util::{self, Result, cargo, root, step};

pub fn run(args: &[String]) -> Result {
    if let Some(unknown) = args.first() {
        return Err(format!(
            "`cargo xtask test` takes no arguments (got `{unknown}`)"
        ));
    }
    toolchain::wasm_target()?;

    step("Checking formatting (cargo fmt --check)");
    util::run(cargo().args(["fmt", "--all", "--check"]))?;

    let smtp_sink = toolchain::smtp_sink_python()?;

    step("Native tests: model rules and properties, server, build driver");
    util::run(
        cargo()
            .args([
                "test",
                "--workspace",
                "--exclude",
                "accredit",
                "--exclude",
                "accredit-e2e",
                "--all-features",
            ])
            .env("ACCREDIT_SMTP_SINK_PYTHON", &smtp_sink),
    )?;

    step("The model's tests on their own (no features unified in by other crates)");
    util::run(cargo().args(["test", "--package", "accredit-model"]))?;

    step("The model builds for wasm32");
    util::run(cargo().args([
        "build",
        "--package",
        "accredit-model",
        "--target",
        WASM_TARGET,
    ]))?;

    let dist = dist::build()?;
    println!("\n{}", dist.size_table());

    let browser = toolchain::browser()?;
    let bindgen = toolchain::wasm_bindgen()?;
    let axe = toolchain::axe_core_path()?;

    step("Widget component tests in headless Chromium (wasm-bindgen-test)");
    // The runner reads webdriver.json (Chromium flags) from the current
    // directory, which cargo() sets to the workspace root.
    util::run(
        cargo()
            .args(["test", "--package", "accredit", "--target", WASM_TARGET])
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                &bindgen.test_runner,
            )
            .env("CHROMEDRIVER", &browser.chromedriver)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
    )?;

    step("End to end in headless Chromium against the real server");
    // The tests start, kill and restart the real binary.
    util::run(cargo().args(["build", "--package", "accredit-server"]))?;
    let server_bin = dist::target_dir().join("debug/accredit-server");
    util::run(
        cargo()
            .args([
                "test",
                "--package",
                "accredit-e2e",
                "--",
                "--test-threads=1",
            ])
            .env("ACCREDIT_DIST", &dist.dir)
            .env("ACCREDIT_SERVER_BIN", &server_bin)
            .env("CHROMEDRIVER", &browser.chromedriver)
            .env("CHROMIUM", &browser.chromium)
            .env("AXE_CORE", &axe)
            .env("ACCREDIT_SMTP_SINK_PYTHON", &smtp_sink)
            .env("ACCREDIT_ARTIFACTS", root().join("target/artifacts")),
    )?;

    step("All tests passed");
    Ok(())
}
