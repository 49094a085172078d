//! `cargo xtask fuzz`: the model's fuzz harness (crates/fuzz), built with the `fuzz` profile:
//! optimized like release, but panics unwind (release aborts, and catch_unwind could not record
//! them) and overflow checks are on.

use crate::setup::{cmd, run, Result};
use std::ffi::OsStr;

/// Runs the harness with `args` (`--secs N`, `--target NAME`, `--seed S`, `--inputs N`,
/// `--replay FILE…`); an error when it found a failing input.
pub fn fuzz<S: AsRef<OsStr>>(args: impl IntoIterator<Item = S>) -> Result {
    let mut c = cmd("cargo");
    c.args(["run", "--locked", "--profile", "fuzz", "-p", "rulekit-fuzz", "--"]).args(args);
    run(c)
}

/// `cargo xtask test`'s short pass: a minute over every target.
pub fn ci_pass() -> Result {
    fuzz(["--secs", "60"])
}

/// `cargo xtask bench`'s part: a million inputs; the summary has inputs per target, panics and
/// the slowest call. Failing inputs are figures here, said but not an error.
pub fn bench() -> Result {
    println!("\nfuzz: 1,000,000 inputs over every target");
    fuzz(["--inputs", "1000000"]).or_else(|e| {
        println!("fuzz: failing inputs found ({e})");
        Ok(())
    })
}
