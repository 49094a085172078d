//! How far a job has come, for the console's progress bar: counts, pace and time left.

use super::job::{Job, Outcome};
use super::Plan;
use serde::{Deserialize, Serialize};

/// Serializable, so a page can hand it to another (a bench's log, a status line).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub done: usize,
    pub failed: usize,
    pub cancelled: usize,
    pub total: usize,
    /// Items settled (done or failed) a second since the start.
    pub per_second: f64,
    pub eta_ms: Option<u64>,
    pub paused: bool,
    pub finished: bool,
}

impl Job {
    pub fn progress(&self, now_ms: u64) -> Progress {
        let count = |f: fn(&Outcome) -> bool| self.outcomes.iter().flatten().filter(|o| f(o)).count();
        let done = count(|o| matches!(o, Outcome::Done | Outcome::DoneBeforeReload));
        let failed = count(|o| matches!(o, Outcome::Failed { .. }));
        let cancelled = count(|o| matches!(o, Outcome::Cancelled));
        let elapsed_s = now_ms.saturating_sub(self.started_ms) as f64 / 1000.0;
        let per_second = if elapsed_s > 0.0 { (done + failed) as f64 / elapsed_s } else { 0.0 };
        let left = self.items.len() - done - failed - cancelled;
        let finished = self.is_done();
        let eta_ms = (!finished && !self.paused && per_second > 0.0).then(|| (left as f64 / per_second * 1000.0).round() as u64);
        Progress { done, failed, cancelled, total: self.items.len(), per_second, eta_ms, paused: self.paused, finished }
    }
}
