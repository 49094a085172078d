//! A frozen list of commands run 50 to a `batch`, that survives a reload of the page: the console
//! stores `to_json()` after every step, and a job read back checks what was out before sending
//! anything again. A sent command is never sent twice unless its check proved it did not happen.

use super::{Call, CallError, Plan};
use crate::batch::{self, Answer, Command};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use super::progress::Progress;
pub use super::workflows::{stop_item, stop_items};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobItem {
    /// The workflow id (for a delegation too), or a rule's code.
    pub id: String,
    pub label: String,
    /// Sent under a key of the job's own (`i<index>`): ids are not always safe batch keys.
    pub command: Command,
    /// A list call whose empty result proves the command took effect (the workflow is gone, the task
    /// left the user). Without one, a command out when the page closed cannot be checked.
    pub verify: Option<Command>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Outcome {
    Done,
    /// Confirmed by verify after a reload.
    DoneBeforeReload,
    Failed { code: String, description: String },
    Cancelled,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Job {
    pub title: String,
    pub items: Vec<JobItem>,
    pub outcomes: Vec<Option<Outcome>>,
    /// Items in the call out, marked before it is handed out.
    #[serde(default)]
    pub in_flight: Vec<usize>,
    /// Items that were out when the page closed, to check first.
    #[serde(default)]
    pub to_verify: Vec<usize>,
    /// Items whose check is out.
    #[serde(default)]
    pub verifying: Vec<usize>,
    #[serde(default)]
    pub paused: bool,
    #[serde(default)]
    pub cancelled: bool,
    #[serde(default)]
    pub started_ms: u64,
    /// `batch` calls handed out.
    #[serde(default)]
    pub sent: u64,
    /// Items the portal refused inside a batch for its limits are sent again from this time.
    #[serde(default)]
    pub hold_until_ms: u64,
}

/// A command refused inside a batch for these did not run: it is sent again after a while.
const LIMIT_HOLDS: [(&str, u64); 2] = [("QUERY_LIMIT_EXCEEDED", 2_000), ("OPERATION_TIME_LIMIT", 60_000)];

pub const UNKNOWN: &str = "UNKNOWN";

impl Job {
    pub fn new(title: &str, items: Vec<JobItem>, now_ms: u64) -> Self {
        let outcomes = vec![None; items.len()];
        Job {
            title: title.into(),
            items,
            outcomes,
            in_flight: Vec::new(),
            to_verify: Vec::new(),
            verifying: Vec::new(),
            paused: false,
            cancelled: false,
            started_ms: now_ms,
            sent: 0,
            hold_until_ms: 0,
        }
    }

    pub fn pause(&mut self) {
        self.paused = true;
    }

    pub fn resume(&mut self) {
        self.paused = false;
    }

    /// Items not yet sent become Cancelled; the ones out still get their answers.
    pub fn cancel(&mut self) {
        self.cancelled = true;
        for i in self.unsent() {
            self.outcomes[i] = Some(Outcome::Cancelled);
        }
    }

    fn unsent(&self) -> Vec<usize> {
        let busy = |i: &usize| self.in_flight.contains(i) || self.to_verify.contains(i) || self.verifying.contains(i);
        (0..self.items.len()).filter(|i| self.outcomes[*i].is_none() && !busy(i)).collect()
    }

    /// Called on a Job loaded back from storage (the page was reloaded): items that were in flight
    /// are not sent again blindly: their `verify` command is sent first (an empty result: done
    /// before the reload; still there: sent again). Items with no verify are marked Failed UNKNOWN.
    pub fn reloaded(&mut self) {
        let checks = std::mem::take(&mut self.verifying);
        for i in std::mem::take(&mut self.in_flight).into_iter().chain(checks) {
            if self.items[i].verify.is_some() {
                self.to_verify.push(i);
            } else {
                self.outcomes[i] = Some(Outcome::Failed {
                    code: UNKNOWN.into(),
                    description: "the page was closed while this was being sent; check it".into(),
                });
            }
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A stored job; `None` when the text is not one (or its lists do not fit its items).
    pub fn from_json(text: &str) -> Option<Job> {
        let job: Job = serde_json::from_str(text).ok()?;
        let n = job.items.len();
        let fits = job.outcomes.len() == n && job.in_flight.iter().chain(&job.to_verify).chain(&job.verifying).all(|i| *i < n);
        fits.then_some(job)
    }

    pub fn report(&self) -> Vec<(String, String, Option<Outcome>)> {
        self.items.iter().zip(&self.outcomes).map(|(item, o)| (item.id.clone(), item.label.clone(), o.clone())).collect()
    }

    /// A batch call of up to 50 commands under the job's keys (`i<index>`, or `v<index>` for
    /// checks) and the items it carries: the first unsent items, or the first ones to check.
    fn batch_call(&mut self, prefix: &str, command: fn(&JobItem) -> Option<&Command>) -> Option<(Vec<usize>, Call)> {
        let pool = if prefix == "v" { std::mem::take(&mut self.to_verify) } else { self.unsent() };
        let (picked, rest) = pool.split_at(pool.len().min(batch::MAX_COMMANDS));
        let commands: Vec<Command> = picked
            .iter()
            .filter_map(|i| command(&self.items[*i]).map(|c| Command::new(format!("{prefix}{i}"), c.method.clone(), c.params.clone())))
            .collect();
        if prefix == "v" {
            self.to_verify = rest.to_vec();
        }
        let params = match batch::requests(&commands) {
            Ok(r) => r.into_iter().next()?,
            Err(e) => {
                for i in picked {
                    self.outcomes[*i] = Some(Outcome::Failed { code: "BAD_PARAMETERS".into(), description: e.clone() });
                }
                return None;
            }
        };
        self.sent += 1;
        Some((picked.to_vec(), Call { method: "batch".into(), params }))
    }

    fn settle(&mut self, items: Vec<usize>, outcome: impl Fn(&mut Self, usize) -> Option<Outcome>) {
        for i in items {
            self.outcomes[i] = outcome(self, i);
        }
    }
}

fn failed(code: &str, description: &str) -> Option<Outcome> {
    Some(Outcome::Failed { code: code.into(), description: description.into() })
}

impl Plan for Job {
    fn next_call(&mut self, now_ms: u64) -> Option<Call> {
        if !self.in_flight.is_empty() || !self.verifying.is_empty() || self.paused {
            return None;
        }
        if !self.to_verify.is_empty() {
            let (items, call) = self.batch_call("v", |item| item.verify.as_ref())?;
            self.verifying = items;
            return Some(call);
        }
        if self.cancelled || now_ms < self.hold_until_ms {
            return None;
        }
        // A batch whose parameters cannot be encoded fails its items; the next ones still go.
        while !self.unsent().is_empty() {
            if let Some((items, call)) = self.batch_call("i", |item| Some(&item.command)) {
                self.in_flight = items;
                return Some(call);
            }
        }
        None
    }

    fn on_answer(&mut self, _call: &Call, answer: &Value, now_ms: u64) {
        let read = Answer::read(answer);
        let checks = std::mem::take(&mut self.verifying);
        self.settle(checks, |job, i| match read.error(&format!("v{i}")) {
            Some(e) => failed(&e.code, &format!("could not check whether it was done: {}", e.description)),
            None if read.results.get(&format!("v{i}")).is_some_and(|r| crate::lenient::list_like(r).is_empty()) => Some(Outcome::DoneBeforeReload),
            // Still there: it did not happen, so it may be sent (again).
            None if job.cancelled => Some(Outcome::Cancelled),
            None => None,
        });
        let sent = std::mem::take(&mut self.in_flight);
        self.settle(sent, |job, i| match read.error(&format!("i{i}")) {
            None => Some(Outcome::Done),
            Some(e) => match LIMIT_HOLDS.iter().find(|(code, _)| e.code == *code) {
                Some(_) if job.cancelled => Some(Outcome::Cancelled),
                Some((_, hold)) => {
                    job.hold_until_ms = job.hold_until_ms.max(now_ms + hold);
                    None
                }
                None => failed(&e.code, &e.description),
            },
        });
    }

    /// The runner gave up on the call: its items are Failed (a sent command is not sent again).
    fn on_failure(&mut self, _call: &Call, error: &CallError, _now_ms: u64) {
        let items: Vec<usize> = std::mem::take(&mut self.in_flight).into_iter().chain(std::mem::take(&mut self.verifying)).collect();
        self.settle(items, |_, _| failed(&error.code, &error.description));
    }

    fn is_done(&self) -> bool {
        self.outcomes.iter().all(Option::is_some)
    }

    fn resume_at(&self) -> Option<u64> {
        (self.hold_until_ms > 0 && !self.paused && !self.is_done()).then_some(self.hold_until_ms)
    }
}

#[cfg(test)]
#[path = "job_tests.rs"]
mod tests;
