//! What the runs API asks of either store: a page of a portal's runs, one run with its steps, a
//! failed run put back in the queue, and counts. The filter is checked once (`api::rows`) and
//! turned into SQL here, with each engine's own placeholders.

use serde::Serialize;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The status a person reads, from the job's state: a queued job that has been tried is retrying.
pub const STATUS: &str = "CASE WHEN state = 'queued' AND attempts = 0 THEN 'pending' WHEN state = 'queued' THEN 'retrying' ELSE state END";
pub const SUMMARY_COLUMNS: &str = "id, code, document, state, attempts, created_at, updated_at, last_error";
pub const STATUSES: [&str; 5] = ["pending", "running", "retrying", "done", "failed"];

/// Each rule's codes (its robot's and its activity's) to its own, built once: a manifest is not
/// cheap to build, and every listed run needs it.
pub fn codes() -> &'static HashMap<String, &'static str> {
    static CODES: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    CODES.get_or_init(|| rulekit_model::manifest::all().into_iter().flat_map(|m| [(m.code.to_string(), m.code), (m.activity_code(), m.code)]).collect())
}

/// The rule a run's code belongs to (an activity's code names its rule); unknown codes stay as they are.
pub fn rule_of(code: String) -> Cow<'static, str> {
    codes().get(&code).map_or(Cow::Owned(code), |c| Cow::Borrowed(*c))
}

/// A run as the list shows it (the API's RunSummary).
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct RunSummary {
    pub id: i64,
    pub rule: Cow<'static, str>,
    pub document_id: String,
    pub status: &'static str,
    pub attempts: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub last_error: Option<String>,
}

impl RunSummary {
    /// From the columns of `SUMMARY_COLUMNS`, in that order.
    #[allow(clippy::too_many_arguments)]
    pub fn new(id: i64, code: String, document: Option<String>, state: &str, attempts: i64, created_at: i64, updated_at: i64, last_error: Option<String>) -> RunSummary {
        let status = match state {
            "queued" if attempts == 0 => "pending",
            "queued" => "retrying",
            other => STATUSES.iter().find(|s| **s == other).copied().unwrap_or("failed"),
        };
        RunSummary { id, rule: rule_of(code), document_id: document.unwrap_or_default(), status, attempts, created_at, updated_at, last_error }
    }
}

/// One value a filter compares with.
#[derive(Debug, Clone, PartialEq)]
pub enum FilterValue {
    Text(String),
    Int(i64),
}

/// A checked `GET /api/runs` query.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunFilter {
    /// `pending` and `retrying` are queued jobs told apart by their attempts.
    pub status: Option<&'static str>,
    /// The codes of the asked rule (its robot's and its activity's).
    pub codes: Vec<String>,
    pub document: Option<String>,
    pub from: Option<i64>,
    pub to: Option<i64>,
    /// Runs older than this id (the cursor).
    pub before: Option<i64>,
    pub limit: i64,
}

impl RunFilter {
    /// The conditions after `member_id = <first>`, with `mark(n)` for the n-th value (from 2):
    /// `?n` in SQLite, `$n` in PostgreSQL.
    pub fn sql(&self, mark: impl Fn(usize) -> String) -> (String, Vec<FilterValue>) {
        let (mut sql, mut values) = (String::new(), Vec::new());
        let mut bind = |v: FilterValue| {
            values.push(v);
            mark(values.len() + 1)
        };
        match self.status {
            Some("pending") => sql.push_str(" AND state = 'queued' AND attempts = 0"),
            Some("retrying") => sql.push_str(" AND state = 'queued' AND attempts > 0"),
            Some(state) => sql.push_str(&format!(" AND state = {}", bind(FilterValue::Text(state.into())))),
            None => {}
        }
        if !self.codes.is_empty() {
            let marks: Vec<String> = self.codes.iter().map(|c| bind(FilterValue::Text(c.clone()))).collect();
            sql.push_str(&format!(" AND code IN ({})", marks.join(", ")));
        }
        if let Some(d) = &self.document {
            sql.push_str(&format!(" AND document = {}", bind(FilterValue::Text(d.clone()))));
        }
        for (cond, v) in [(" AND created_at >= ", self.from), (" AND created_at <= ", self.to), (" AND id < ", self.before)] {
            if let Some(v) = v {
                sql.push_str(&format!("{cond}{}", bind(FilterValue::Int(v))));
            }
        }
        (sql, values)
    }

    /// Whether a run that waits for its first attempt (status `pending`) is one this filter asks
    /// for: `sql`'s conditions, for runs the SQLite store keeps out of its database until then.
    pub fn admits_pending(&self, id: i64, code: &str, document: &str, created_at: i64) -> bool {
        matches!(self.status, None | Some("pending"))
            && (self.codes.is_empty() || self.codes.iter().any(|c| c == code))
            && self.document.as_deref().is_none_or(|d| d == document)
            && self.from.is_none_or(|from| created_at >= from)
            && self.to.is_none_or(|to| created_at <= to)
            && self.before.is_none_or(|before| id < before)
    }
}

/// One run in full, for `GET /api/runs/{id}`.
pub struct RunDetail {
    pub summary: RunSummary,
    /// The run as stored (JSON text, tokens included: the API picks what it shows).
    pub request: String,
    pub returned: Option<String>,
    pub next_at: i64,
    /// Each step: when, what, the note.
    pub steps: Vec<(i64, String, String)>,
}

/// Why a run could not be retried: unknown on this portal, or in a state with nothing to retry.
#[derive(Debug, PartialEq)]
pub enum NotRetried {
    Unknown,
    State(&'static str),
}

/// The step a retry from the console records.
pub const RETRY_NOTE: &str = "An administrator retried the run from the console; it resumes after its last finished step.";

/// A portal's counts for `GET /api/summary`: (code, status, n), and (hour, state, n) of runs
/// finished since the first hour.
pub type Counts = (Vec<(String, String, i64)>, Vec<(i64, String, i64)>);

/// What a failed run's checkpoint becomes when it is retried.
pub type Reset = Box<dyn FnOnce(Value) -> Value + Send>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_number_their_values_after_the_portal() {
        let f = RunFilter { status: Some("failed"), codes: vec!["a".into(), "b".into()], before: Some(9), limit: 5, ..Default::default() };
        let (sql, values) = f.sql(|n| format!("${n}"));
        assert_eq!(sql, " AND state = $2 AND code IN ($3, $4) AND id < $5");
        assert_eq!(values, [FilterValue::Text("failed".into()), FilterValue::Text("a".into()), FilterValue::Text("b".into()), FilterValue::Int(9)]);
        let (sql, values) = RunFilter { status: Some("retrying"), ..Default::default() }.sql(|n| format!("?{n}"));
        assert_eq!((sql.as_str(), values.len()), (" AND state = 'queued' AND attempts > 0", 0));
    }
}
