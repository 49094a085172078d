//! Every input in `regressions/` (the fuzz run's failures, and hand-made edges) replayed through
//! the target its name starts with, under the run's own checks: no panic, within the budget (see
//! `check::DEBUG_SCALE` for an unoptimized build). A bug fixed once stays fixed: the inputs of
//! issue 11's findings are here (the floods of unclosed braces, 4,096 names against 4,096 items,
//! 10,000-deep options, the ends of the date range, the form round trips).

use rulekit_fuzz::targets::{self, TARGETS};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

fn saved() -> Vec<(String, PathBuf)> {
    let dir = rulekit_fuzz::regressions();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a readable folder").path())
        .filter(|path| path.extension().is_some_and(|e| e == "bin"))
        .map(|path| (path.file_name().unwrap_or_default().to_string_lossy().into_owned(), path))
        .collect();
    files.sort();
    files
}

/// Each input in a process of its own (the harness's `--replay`), so that one that overflows the
/// stack fails this test with its name instead of ending the test binary.
#[test]
fn every_saved_input_passes_its_target() {
    let failures: Vec<String> = saved()
        .into_iter()
        .filter_map(|(name, path)| {
            assert!(targets::of_file(&name).is_some(), "{name}: no target is named by its first word");
            let out = Command::new(env!("CARGO_BIN_EXE_rulekit-fuzz")).arg("--replay").arg(&path).output().expect("the harness runs");
            let said = String::from_utf8_lossy(&out.stdout).trim().to_string() + String::from_utf8_lossy(&out.stderr).trim();
            (!out.status.success()).then(|| format!("{name}: {said} ({})", out.status))
        })
        .collect();
    assert!(failures.is_empty(), "saved inputs that fail again:\n{}", failures.join("\n"));
}

#[test]
fn every_target_has_a_saved_input() {
    let covered: BTreeSet<&str> = saved().iter().filter_map(|(name, _)| targets::of_file(name)).map(|t| t.name).collect();
    let missing: Vec<&str> = TARGETS.iter().map(|t| t.name).filter(|n| !covered.contains(n)).collect();
    assert!(missing.is_empty(), "no saved input for {missing:?}");
}
