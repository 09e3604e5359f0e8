//! Installs what the build and the tests need, from the package registries
//! only: the wasm32 target (rustup), the wasm-bindgen CLI matching Cargo.lock
//! (crates.io), binaryen and axe-core (npm), Chromium and ChromeDriver (Debian),
//! and for fuzzing the nightly toolchain (rustup) and cargo-fuzz (crates.io).
//! Each probe is cheap, so every command calls these unconditionally.

use crate::util::{Result, cargo, output, root, run, step, which};
use std::path::PathBuf;
use std::process::Command;

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// Debian's binaryen 108 emits modules Chromium rejects
/// (`WebAssembly.Table.set(): Argument 1 is invalid`).
const MIN_BINARYEN: u32 = 116;

pub fn wasm_target() -> Result {
    let installed = output(Command::new("rustup").args(["target", "list", "--installed"]))
        .ok_or("rustup is needed to add the wasm32 target, and it could not be run")?;
    if installed.lines().any(|l| l.trim() == WASM_TARGET) {
        return Ok(());
    }
    step("Installing the wasm32-unknown-unknown target");
    run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

/// The wasm-bindgen version Cargo.lock resolved; the CLI must match it exactly.
pub fn locked_wasm_bindgen_version() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\""
            && let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \""))
        {
            return Ok(v.trim_end_matches('"').to_string());
        }
    }
    Err("Cargo.lock does not contain wasm-bindgen".into())
}

/// The toolchain cargo-fuzz builds with: libFuzzer's coverage
/// instrumentation and the sanitizers are nightly-only flags.
pub const NIGHTLY: &str = "nightly";

pub fn nightly() -> Result {
    let installed = output(Command::new("rustup").args(["toolchain", "list"]))
        .ok_or("rustup is needed to install the nightly toolchain, and it could not be run")?;
    if installed.lines().any(|l| l.starts_with(NIGHTLY)) {
        return Ok(());
    }
    step("Installing the nightly toolchain (rustup), which cargo-fuzz builds with");
    run(Command::new("rustup").args(["toolchain", "install", NIGHTLY, "--profile", "minimal"]))
}

pub fn cargo_fuzz() -> Result {
    if output(cargo().args(["fuzz", "--version"])).is_some() {
        return Ok(());
    }
    step("Installing cargo-fuzz from crates.io");
    run(cargo().args(["install", "cargo-fuzz"]))
}

pub struct WasmBindgen {
    pub cli: PathBuf,
    pub test_runner: PathBuf,
}

pub fn wasm_bindgen() -> Result<WasmBindgen> {
    let version = locked_wasm_bindgen_version()?;
    let current = which("wasm-bindgen").and_then(|p| output(Command::new(p).arg("--version")));
    let matches = current
        .as_deref()
        .is_some_and(|v| v.split_whitespace().nth(1) == Some(version.as_str()));
    if !matches || which("wasm-bindgen-test-runner").is_none() {
        step(&format!(
            "Installing wasm-bindgen-cli {version} from crates.io (found: {})",
            current.as_deref().map(str::trim).unwrap_or("none")
        ));
        // Not `--locked`: the CLI's own lockfile names a crate version that
        // the registry no longer serves.
        run(cargo().args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            &format!("={version}"),
            "--force",
        ]))?;
    }
    let cli = which("wasm-bindgen").ok_or("wasm-bindgen is not on PATH after installing")?;
    let test_runner = which("wasm-bindgen-test-runner")
        .ok_or("wasm-bindgen-test-runner is not on PATH after installing")?;
    Ok(WasmBindgen { cli, test_runner })
}

/// npm packages pinned in package-lock.json: binaryen (wasm-opt) and axe-core.
pub fn node_packages() -> Result {
    let root = root();
    let stamp = root.join("node_modules/.package-lock.json");
    let lock = root.join("package-lock.json");
    let fresh = match (stamp.metadata(), lock.metadata()) {
        (Ok(s), Ok(l)) => s.modified().ok() >= l.modified().ok(),
        _ => false,
    };
    if fresh && wasm_opt_path().is_file() {
        return Ok(());
    }
    which("npm")
        .ok_or("npm (Node.js) is needed for binaryen and axe-core; install Debian's `npm`")?;
    step("Installing npm packages (binaryen, axe-core) from package-lock.json");
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&root))
}

pub fn wasm_opt_path() -> PathBuf {
    root().join("node_modules/.bin/wasm-opt")
}

pub fn wasm_opt() -> Result<PathBuf> {
    node_packages()?;
    let path = wasm_opt_path();
    let version = output(Command::new(&path).arg("--version"))
        .ok_or_else(|| format!("{} does not run", path.display()))?;
    let major: u32 = version
        .split_whitespace()
        .find_map(|w| w.parse().ok())
        .ok_or_else(|| format!("cannot read wasm-opt's version from `{}`", version.trim()))?;
    if major < MIN_BINARYEN {
        return Err(format!(
            "wasm-opt {major} is too old: binaryen {MIN_BINARYEN} or newer is needed"
        ));
    }
    Ok(path)
}

pub fn axe_core_path() -> Result<PathBuf> {
    node_packages()?;
    Ok(root().join("node_modules/axe-core/axe.min.js"))
}

pub struct Browser {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
}

/// Debian's Chromium and ChromeDriver. Test drivers never download browsers.
pub fn browser() -> Result<Browser> {
    let find = || Some((which("chromium")?, which("chromedriver")?));
    if let Some((chromium, chromedriver)) = find() {
        return Ok(Browser {
            chromium,
            chromedriver,
        });
    }
    step("Installing Chromium and ChromeDriver from Debian (apt-get)");
    apt_install(&["chromium", "chromium-driver"])?;
    let (chromium, chromedriver) =
        find().ok_or("chromium and chromedriver are not on PATH after apt-get install")?;
    Ok(Browser {
        chromium,
        chromedriver,
    })
}

/// Installs Debian packages (through sudo when not root).
fn apt_install(packages: &[&str]) -> Result {
    let sudo = output(Command::new("id").arg("-u")).is_some_and(|uid| uid.trim() != "0");
    let apt = |args: &[&str]| {
        let mut cmd = if sudo {
            let mut c = Command::new("sudo");
            c.arg("apt-get");
            c
        } else {
            Command::new("apt-get")
        };
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        run(&mut cmd)
    };
    apt(&["update", "-q"])?;
    let mut install = vec!["install", "-y", "-q"];
    install.extend_from_slice(packages);
    apt(&install)
}

/// Debian's Python with `aiosmtpd`: the real SMTP server the mail tests
/// deliver to. Its path goes to the tests as `ACCREDIT_SMTP_SINK_PYTHON`.
pub fn smtp_sink_python() -> Result<PathBuf> {
    let python = PathBuf::from("/usr/bin/python3");
    let has_module = || {
        Command::new(&python)
            .args(["-c", "import aiosmtpd"])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !has_module() {
        step("Installing aiosmtpd from Debian (apt-get), the SMTP server of the mail tests");
        apt_install(&["python3-aiosmtpd"])?;
        if !has_module() {
            return Err("/usr/bin/python3 cannot import aiosmtpd after apt-get install".into());
        }
    }
    Ok(python)
}

/// Debian's `faketime`, which runs a program with the system clock moved
/// (LD_PRELOAD of libfaketime); installed when missing.
/// Debian's `openssl`, `gzip` and `pdftotext` (poppler-utils): the build's
/// hashes and compressed copies, and the printed PDFs, are checked with
/// them, not with the code that made them. Installed when missing.
pub fn oracle_tools() -> Result {
    let missing: Vec<&str> = [
        ("/usr/bin/openssl", "openssl"),
        ("/usr/bin/gzip", "gzip"),
        ("/usr/bin/pdftotext", "poppler-utils"),
    ]
    .into_iter()
    .filter(|(path, _)| !std::path::Path::new(path).exists())
    .map(|(_, package)| package)
    .collect();
    if !missing.is_empty() {
        step(&format!(
            "Installing {} from Debian (apt-get), to check the build and the printed PDFs",
            missing.join(", ")
        ));
        apt_install(&missing)?;
    }
    Ok(())
}

pub fn faketime() -> Result<PathBuf> {
    let path = PathBuf::from("/usr/bin/faketime");
    if !path.exists() {
        step("Installing faketime from Debian (apt-get), to run the suite on another day");
        apt_install(&["faketime"])?;
    }
    Ok(path)
}
