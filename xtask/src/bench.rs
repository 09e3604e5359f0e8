//! `cargo xtask bench`: measures the budgets and writes a Markdown report to
//! `target/bench/report.md` (the numbers README.md quotes).

use crate::dist;
use crate::sizes::kb;
use crate::util::{Result, step};
use std::fs;

/// The delegate bundle (wasm + JS + CSS + English strings), brotli.
const DELEGATE_BUNDLE_BUDGET: usize = 60_000;

pub fn run(args: &[String]) -> Result {
    if let Some(unknown) = args.first() {
        return Err(format!(
            "`cargo xtask bench` takes no arguments (got `{unknown}`)"
        ));
    }
    let dist = dist::build()?;
    step("Sizes of the delegate bundle");
    let bundle = dist.delegate_bundle();
    let verdict = verdict(bundle.brotli <= DELEGATE_BUNDLE_BUDGET);
    let mut report = String::from("# accredit benchmark report\n\n## Sizes\n\n");
    report += &dist.size_table();
    report += &format!(
        "\n| Budget | Measured | Limit | Verdict |\n|---|---:|---:|---|\n\
         | Delegate bundle, brotli | {} | {} | {verdict} |\n",
        kb(bundle.brotli),
        kb(DELEGATE_BUNDLE_BUDGET)
    );
    println!("\n{report}");
    let out = dist::target_dir().join("bench");
    fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    fs::write(out.join("report.md"), &report).map_err(|e| format!("cannot write report: {e}"))?;
    eprintln!("report written to {}", out.join("report.md").display());
    Ok(())
}

fn verdict(ok: bool) -> &'static str {
    if ok { "within budget" } else { "OVER BUDGET" }
}
