//! What REST was asked, for tests and benches of the console's planner: HTTP requests to `/rest`
//! (a batch is one), how many the leaky bucket refused, calls per method (each batch command
//! counts), and every `terminate`/`kill` per workflow id, so "each workflow stopped exactly once"
//! can be checked. Plain data, kept in the state but not saved with it.

use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct StopCalls {
    pub ok: u32,
    pub failed: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Stats {
    /// HTTP requests to `/rest/…`, refused ones included; a batch counts once.
    pub requests: u64,
    /// Requests refused with `QUERY_LIMIT_EXCEEDED`.
    pub refused: u64,
    /// Lower-case method → calls that reached it (batch commands included, `batch` itself too).
    pub methods: BTreeMap<String, u64>,
    /// Workflow id → `bizproc.workflow.terminate`/`kill` calls that succeeded or failed.
    pub stop_calls: BTreeMap<String, StopCalls>,
}

impl Stats {
    pub fn method(&mut self, name: &str) {
        *self.methods.entry(name.to_ascii_lowercase()).or_default() += 1;
    }

    pub fn stop(&mut self, workflow_id: &str, ok: bool) {
        let entry = self.stop_calls.entry(workflow_id.to_string()).or_default();
        if ok {
            entry.ok += 1;
        } else {
            entry.failed += 1;
        }
    }
}
