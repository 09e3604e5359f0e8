//! `cargo xtask fuzz [--minutes N | --seconds N]`: the libFuzzer targets of
//! `fuzz/` (cargo-fuzz, nightly), each for an equal share of the time (ten
//! minutes in all by default), one after the other.
//!
//! Each target starts from the committed seeds in `fuzz/seeds/<target>/`
//! and from what earlier runs kept in `fuzz/corpus/<target>/` (where new
//! inputs go; not committed). A crash, a panic or an input that runs for
//! more than ten seconds stops the target; its input is left in
//! `fuzz/artifacts/<target>/` and the command fails naming it.

use crate::dist;
use crate::toolchain::{self, NIGHTLY};
use crate::util::{Result, describe, root, step};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The targets, as named in `fuzz/Cargo.toml`.
const TARGETS: [&str; 3] = ["registration", "image", "pdf"];
const DEFAULT_SECONDS: u64 = 10 * 60;
/// One input running this long is a hang, reported as a crash is.
const INPUT_TIMEOUT_SECS: u64 = 10;

pub fn run(args: &[String]) -> Result {
    let total = total_seconds(args)?;
    let share = (total / TARGETS.len() as u64).max(1);
    toolchain::nightly()?;
    toolchain::cargo_fuzz()?;
    // Apart from the other builds: every crate is compiled with
    // instrumentation here, which would invalidate their artefacts.
    let target_dir = dist::target_dir().join("fuzz");

    step("Building the fuzz targets (nightly, libFuzzer, AddressSanitizer)");
    let mut build = cargo_fuzz("build", &target_dir);
    crate::util::run(&mut build)?;

    let mut runs = Vec::new();
    for target in TARGETS {
        step(&format!("Fuzzing `{target}` for {share} s"));
        runs.push(fuzz(target, share, &target_dir)?);
    }

    step("Fuzzing summary");
    eprintln!("{}", summary(&runs));
    let crashed: Vec<&Run> = runs.iter().filter(|r| !r.passed).collect();
    if crashed.is_empty() {
        return Ok(());
    }
    let mut message = String::from("fuzzing found failing inputs:");
    for run in crashed {
        let artefact = run
            .artefact
            .as_deref()
            .unwrap_or("(no artefact named; see the output above)");
        message += &format!("\n  {}: {artefact}", run.target);
    }
    Err(message)
}

fn total_seconds(args: &[String]) -> Result<u64> {
    match args {
        [] => Ok(DEFAULT_SECONDS),
        [flag, n] if flag == "--minutes" || flag == "--seconds" => {
            let n: u64 = n
                .parse()
                .ok()
                .filter(|&n| n > 0)
                .ok_or_else(|| format!("`{flag}` takes a positive whole number (got `{n}`)"))?;
            Ok(if flag == "--minutes" { n * 60 } else { n })
        }
        _ => Err(format!(
            "usage: cargo xtask fuzz [--minutes N | --seconds N] (got `{}`)",
            args.join(" ")
        )),
    }
}

/// `cargo +nightly fuzz <command>` in the workspace, building into
/// `target_dir`.
fn cargo_fuzz(command: &str, target_dir: &Path) -> Command {
    let mut cmd = Command::new("rustup");
    cmd.args(["run", NIGHTLY, "cargo", "fuzz", command])
        .arg("--target-dir")
        .arg(target_dir)
        .current_dir(root());
    cmd
}

struct Run {
    target: &'static str,
    passed: bool,
    elapsed: Duration,
    /// libFuzzer's own last lines: `#N DONE …`, `Done N runs in …`,
    /// `stat::number_of_executed_units: N`.
    report: Vec<String>,
    /// The input that failed (`Test unit written to …`).
    artefact: Option<String>,
}

fn fuzz(target: &'static str, seconds: u64, target_dir: &Path) -> Result<Run> {
    let fuzz_dir = root().join("fuzz");
    let corpus = fuzz_dir.join("corpus").join(target);
    let seeds = fuzz_dir.join("seeds").join(target);
    std::fs::create_dir_all(&corpus)
        .map_err(|e| format!("cannot create {}: {e}", corpus.display()))?;
    let mut cmd = cargo_fuzz("run", target_dir);
    cmd.arg(target)
        .arg(&corpus)
        .arg(&seeds)
        .arg("--")
        .arg(format!("-max_total_time={seconds}"))
        .arg(format!("-timeout={INPUT_TIMEOUT_SECS}"))
        .arg("-print_final_stats=1")
        .stderr(Stdio::piped());
    eprintln!("    $ {}", describe(&cmd));
    let start = Instant::now();
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("could not start `{}`: {e}", describe(&cmd)))?;
    let mut report = Vec::new();
    let mut artefact = None;
    // Shown as it comes, and the lines that matter kept for the summary.
    let stderr = child.stderr.take().expect("standard error is piped");
    for line in BufReader::new(stderr).lines() {
        let line = line.map_err(|e| format!("cannot read the fuzzer's output: {e}"))?;
        eprintln!("{line}");
        if let Some(path) = line.split("Test unit written to ").nth(1) {
            artefact = Some(path.trim().to_owned());
        }
        // `#108109\tDONE   cov: …`
        let done = line.starts_with('#') && line.split_whitespace().nth(1) == Some("DONE");
        if done || line.starts_with("Done ") || line.starts_with("stat::number_of_executed_units") {
            report.push(line);
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("`{}` did not finish: {e}", describe(&cmd)))?;
    Ok(Run {
        target,
        passed: status.success(),
        elapsed: start.elapsed(),
        report,
        artefact,
    })
}

fn summary(runs: &[Run]) -> String {
    let mut out = String::from("| Target | Executions | Time | Result |\n|---|---:|---:|---|\n");
    for run in runs {
        let executions = run
            .report
            .iter()
            .find_map(|l| l.strip_prefix("stat::number_of_executed_units:"))
            .map_or_else(|| "?".to_owned(), |n| n.trim().to_owned());
        let result = if run.passed { "no crash" } else { "FAILED" };
        out += &format!(
            "| `{}` | {executions} | {} s | {result} |\n",
            run.target,
            run.elapsed.as_secs()
        );
    }
    for run in runs {
        for line in &run.report {
            out += &format!("{}: {line}\n", run.target);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn the_time_is_ten_minutes_unless_told() {
        assert_eq!(total_seconds(&[]), Ok(600));
        assert_eq!(total_seconds(&args(&["--minutes", "3"])), Ok(180));
        assert_eq!(total_seconds(&args(&["--seconds", "45"])), Ok(45));
        assert!(total_seconds(&args(&["--minutes", "0"])).is_err());
        assert!(total_seconds(&args(&["--minutes"])).is_err());
        assert!(total_seconds(&args(&["--hours", "1"])).is_err());
    }
}
