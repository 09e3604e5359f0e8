//! `cargo xtask test`: every test there is, in the order that fails fastest.
//!
//! 1. formatting;
//! 2. clippy with warnings as errors: the workspace natively, then the
//!    widget and the organiser view for wasm32;
//! 3. the model's tests on their own (no features unified in by others);
//! 4. native unit, property and integration tests (model, server, driver,
//!    the code-literal check), then the model's and the server's again
//!    with the system clock moved to another year;
//! 5. the model compiled for wasm32;
//! 6. the release build;
//! 7. widget component tests in headless Chromium;
//! 8. end-to-end tests in headless Chromium against the real server.

use crate::dist;
use crate::toolchain::{self, WASM_TARGET};
use crate::util::{self, Result, cargo, root, step};
use std::path::PathBuf;

/// The native packages and features: everything but the two browser suites.
const NATIVE: [&str; 6] = [
    "--workspace",
    "--exclude",
    "accredit",
    "--exclude",
    "accredit-e2e",
    "--all-features",
];

/// Every package and target natively (the lint levels are the workspace's
/// `[workspace.lints]`).
const CLIPPY_NATIVE: [&str; 6] = [
    "clippy",
    "--workspace",
    "--all-targets",
    "--",
    "-D",
    "warnings",
];

/// The two browser crates as they ship (their code behind
/// `cfg(target_arch = "wasm32")` is linted only here).
const CLIPPY_WASM: [&str; 11] = [
    "clippy",
    "--package",
    "accredit",
    "--package",
    "accredit-organiser",
    "--target",
    WASM_TARGET,
    "--all-targets",
    "--",
    "-D",
    "warnings",
];

pub fn run(args: &[String]) -> Result {
    if let Some(unknown) = args.first() {
        return Err(format!(
            "`cargo xtask test` takes no arguments (got `{unknown}`)"
        ));
    }
    toolchain::wasm_target()?;

    step("Checking formatting (cargo fmt --check)");
    util::run(cargo().args(["fmt", "--all", "--check"]))?;

    step("Lints, natively (cargo clippy, warnings as errors)");
    util::run(cargo().args(CLIPPY_NATIVE))?;
    step("Lints of the widget and the organiser view for wasm32");
    util::run(cargo().args(CLIPPY_WASM))?;

    step("The model's tests on their own (no features unified in by other crates)");
    util::run(cargo().args(["test", "--package", "accredit-model"]))?;

    let smtp_sink = toolchain::smtp_sink_python()?;

    step("Native tests: model rules and properties, server, build driver");
    util::run(
        cargo()
            .arg("test")
            .args(NATIVE)
            .env("ACCREDIT_SMTP_SINK_PYTHON", &smtp_sink),
    )?;

    step(&format!(
        "The model's and the server's tests again, on {ANOTHER_DAY} (faketime)"
    ));
    on_another_day(&smtp_sink)?;

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
    toolchain::oracle_tools()?;
    // The tests start, kill and restart the real binary.
    util::run(cargo().args(["build", "--package", "accredit-server"]))?;
    let server_bin = dist::target_dir().join("debug/accredit-server");
    let e2e_env: Vec<(&str, std::ffi::OsString)> = vec![
        ("ACCREDIT_DIST", dist.dir.clone().into()),
        ("ACCREDIT_SERVER_BIN", server_bin.clone().into()),
        ("CHROMEDRIVER", browser.chromedriver.clone().into()),
        ("CHROMIUM", browser.chromium.clone().into()),
        ("AXE_CORE", axe.clone().into()),
        ("ACCREDIT_SMTP_SINK_PYTHON", smtp_sink.clone().into()),
        ("ACCREDIT_ARTIFACTS", root().join("target/artifacts").into()),
    ];
    util::run(
        cargo()
            .args([
                "test",
                "--package",
                "accredit-e2e",
                "--",
                "--test-threads=1",
            ])
            .envs(e2e_env.iter().map(|(k, v)| (*k, v))),
    )?;

    step(&format!(
        "End to end again, on {ANOTHER_DAY} (faketime): the server, ChromeDriver and Chromium all on that day"
    ));
    let e2e = test_binaries(&["--package", "accredit-e2e"], &["tests/e2e/Cargo.toml"])?;
    if e2e.len() < 8 {
        return Err(format!(
            "expected the end-to-end test binaries, found {e2e:?}"
        ));
    }
    on_another_day_run(&e2e, &["--test-threads=1"], &e2e_env)?;

    step("All tests passed");
    Ok(())
}

/// A day far from today and from the demo file's own calendar: the suite
/// must not depend on the date it runs.
const ANOTHER_DAY: &str = "2028-06-01 10:00:00";

/// Runs the model's and the server's test binaries (already built by the
/// native step) under `faketime`, each from its package folder as cargo
/// would. Cargo itself is not run under faketime: its build-cache checks
/// read the clock.
fn on_another_day(smtp_sink: &std::path::Path) -> Result {
    let binaries = test_binaries(&NATIVE, &["model/Cargo.toml", "server/Cargo.toml"])?;
    if binaries.len() < 4 {
        return Err(format!(
            "expected the model's and the server's test binaries, found {binaries:?}"
        ));
    }
    let env = [(
        "ACCREDIT_SMTP_SINK_PYTHON",
        smtp_sink.as_os_str().to_owned(),
    )];
    on_another_day_run(&binaries, &["--quiet"], &env)
}

/// The test binaries cargo has built for `args` (the same packages and
/// features as the step that built them, so that it lists them instead of
/// building others), of the packages whose manifest ends with one of
/// `manifests`, each with its package folder.
fn test_binaries(args: &[&str], manifests: &[&str]) -> Result<Vec<(String, PathBuf)>> {
    let listing = util::output(
        cargo()
            .args(["test", "--no-run", "--message-format=json"])
            .args(args),
    )
    .ok_or("cannot list the test binaries")?;
    let mut binaries = Vec::new();
    for line in listing.lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let is_test =
            message["reason"] == "compiler-artifact" && message["profile"]["test"] == true;
        let ours = manifests.iter().any(|m| {
            message["manifest_path"]
                .as_str()
                .is_some_and(|p| p.ends_with(m))
        });
        if let (true, Some(executable), Some(manifest)) = (
            is_test && ours,
            message["executable"].as_str(),
            message["manifest_path"].as_str(),
        ) {
            let folder = std::path::Path::new(manifest)
                .parent()
                .map_or_else(root, std::path::Path::to_path_buf);
            binaries.push((executable.to_owned(), folder));
        }
    }
    Ok(binaries)
}

/// Runs each binary under `faketime` on [`ANOTHER_DAY`], from its package
/// folder, with `args` and `env`.
fn on_another_day_run(
    binaries: &[(String, PathBuf)],
    args: &[&str],
    env: &[(&str, std::ffi::OsString)],
) -> Result {
    let faketime = toolchain::faketime()?;
    for (binary, folder) in binaries {
        util::run(
            std::process::Command::new(&faketime)
                .arg(ANOTHER_DAY)
                .arg(binary)
                .args(args)
                .current_dir(folder)
                .envs(env.iter().map(|(k, v)| (*k, v))),
        )?;
    }
    Ok(())
}
