//! The console's REST work as plain-data state machines (sans-IO): each plan says which call to
//! make next and reads the answer it is handed, and the `Runner` paces the calls under the
//! portal's limits and retries what the portal refused. The console (BX24.js) and a native bench
//! do the IO, so everything here runs and is tested on the host, with time passed in as
//! milliseconds.

use serde::{Deserialize, Serialize};

pub mod departed;
pub mod job;
pub mod listing;
pub mod progress;
pub mod registration;
pub mod report;
pub mod runner;
pub mod urls;
pub mod workflows;

#[cfg(test)]
mod fake;

pub use job::{Job, JobItem, Outcome, Progress};
pub use listing::Listing;
pub use runner::{decide, Decision, Plan, RunStats, Runner, Step};

/// One REST call to make: a method and its parameters (JSON, as BX24.callMethod takes them).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Call {
    pub method: String,
    pub params: serde_json::Value,
}

/// A call that failed as a whole (HTTP error / REST error envelope). `status` 0: no answer at all
/// (a network failure).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CallError {
    pub status: u16,
    pub code: String,
    pub description: String,
}

impl CallError {
    pub fn new(status: u16, code: impl Into<String>, description: impl Into<String>) -> Self {
        CallError { status, code: code.into(), description: description.into() }
    }
}

/// A row's text field, in any key case; a document id sent whole (`["crm", "CCrmDocumentDeal",
/// "DEAL_1"]`) gives its last part. Empty text is none.
pub(crate) fn row_text(row: &serde_json::Value, key: &str) -> Option<String> {
    let value = crate::lenient::get_ci(row.as_object()?, key)?;
    let text = match value {
        serde_json::Value::Array(parts) => crate::lenient::scalar_text(parts.last()?)?,
        other => crate::lenient::scalar_text(other)?,
    };
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// A row's whole-number field, in any key case, as a number or as text.
pub(crate) fn row_uint(row: &serde_json::Value, key: &str) -> Option<u64> {
    crate::lenient::uint(crate::lenient::get_ci(row.as_object()?, key)?)
}
