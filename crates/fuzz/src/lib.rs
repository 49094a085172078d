//! A fuzz harness for the model, on stable Rust (cargo-fuzz needs nightly). Seeded generators and
//! a byte mutator make inputs in the shapes the portal sends; each runs under `catch_unwind` with
//! a time budget (`check`), in a worker process that a stack overflow may take down without
//! losing the run (`run`, `worker`). `cargo xtask fuzz` runs it; failing inputs are saved under
//! `regressions/`, which `tests/regressions.rs` replays.

pub mod check;
pub mod rng;
pub mod run;
pub mod targets;
pub mod text;
pub mod worker;

use std::path::PathBuf;

/// Where failing inputs are saved, and replayed from by the regression test.
pub fn regressions() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("regressions")
}
