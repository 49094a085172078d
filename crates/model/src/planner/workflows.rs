//! Finding running workflows to stop in bulk (seed scenario 4): the `bizproc.workflow.instances`
//! query from the console's form, the same test applied to every listed row, and the preview the
//! administrator confirms before anything is stopped.

use super::job::JobItem;
use super::listing::Listing;
use crate::batch::Command;
use super::{row_text, row_uint};
use crate::{dates, instant};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

pub const INSTANCE_SELECT: [&str; 9] = ["ID", "MODIFIED", "OWNED_UNTIL", "MODULE_ID", "ENTITY", "DOCUMENT_ID", "STARTED", "STARTED_BY", "TEMPLATE_ID"];

/// A workflow whose lock (`OWNED_UNTIL`) is older than this is stuck (spec §4c).
pub const STUCK_AFTER_MS: u64 = 5 * 60 * 1000;

const DAY_MS: i64 = 86_400_000;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WorkflowQuery {
    /// `YYYY-MM-DD`, from a date input: started on that day or later (UTC).
    pub started_after: Option<String>,
    /// `YYYY-MM-DD`: started on that day or earlier (UTC), the whole day included.
    pub started_before: Option<String>,
    pub template_id: Option<u64>,
    /// The document class, e.g. `CCrmDocumentDeal`.
    pub entity: Option<String>,
    pub started_by: Option<u64>,
    pub stuck: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkflowRow {
    pub id: String,
    pub template_id: u64,
    pub entity: String,
    pub document_id: String,
    pub started: String,
    /// 0: started by the system.
    pub started_by: u64,
    pub owned_until: Option<String>,
    pub modified: String,
}

impl WorkflowRow {
    /// Reads a row in any key case, numbers as numbers or text; only `ID` is required.
    pub fn from_json(v: &Value) -> Option<Self> {
        let text = |k: &str| row_text(v, k).unwrap_or_default();
        Some(WorkflowRow {
            id: row_text(v, "ID")?,
            template_id: row_uint(v, "TEMPLATE_ID").unwrap_or(0),
            entity: text("ENTITY"),
            document_id: text("DOCUMENT_ID"),
            started: text("STARTED"),
            started_by: row_uint(v, "STARTED_BY").unwrap_or(0),
            owned_until: row_text(v, "OWNED_UNTIL"),
            modified: text("MODIFIED"),
        })
    }
}

/// Midnight UTC of a `YYYY-MM-DD` date, in milliseconds; an empty or unreadable field is no filter.
fn day_ms(date: &Option<String>) -> Option<i64> {
    dates::parse(date.as_deref()?).map(instant::day_start_ms)
}

impl WorkflowQuery {
    /// The range of start instants asked for: `[from, until)` in UTC milliseconds.
    fn started_range(&self) -> (Option<i64>, Option<i64>) {
        (day_ms(&self.started_after), day_ms(&self.started_before).map(|d| d + DAY_MS))
    }

    fn stuck_before_ms(now_ms: u64) -> i64 {
        now_ms.saturating_sub(STUCK_AFTER_MS) as i64
    }

    /// `bizproc.workflow.instances` params: `{"select": INSTANCE_SELECT, "order": {"STARTED": "ASC"}, "filter": {...}}`.
    /// The date bounds are ISO 8601 instants at midnight UTC, as the tutorial writes them; whether
    /// the portal applies a STARTED filter at all is spec §7 question 5, so `matches` checks every
    /// row again.
    pub fn params(&self, now_ms: u64) -> Value {
        let mut filter = Map::new();
        let (from, until) = self.started_range();
        // A bound past 9999-12-31 (the day after a `started_before` of that day) has no ISO form,
        // and nothing lies beyond it: it is left out, and `matches` still checks every row.
        if let Some(iso) = from.and_then(instant::iso_utc) {
            filter.insert(">=STARTED".into(), json!(iso));
        }
        if let Some(iso) = until.and_then(instant::iso_utc) {
            filter.insert("<STARTED".into(), json!(iso));
        }
        if let Some(id) = self.template_id {
            filter.insert("TEMPLATE_ID".into(), json!(id));
        }
        if let Some(entity) = self.entity.as_deref().filter(|e| !e.trim().is_empty()) {
            filter.insert("ENTITY".into(), json!(entity.trim()));
        }
        if let Some(id) = self.started_by {
            filter.insert("STARTED_BY".into(), json!(id));
        }
        if let Some(iso) = self.stuck.then(|| instant::iso_utc(Self::stuck_before_ms(now_ms))).flatten() {
            filter.insert("<OWNED_UNTIL".into(), json!(iso));
        }
        json!({"select": INSTANCE_SELECT, "order": {"STARTED": "ASC"}, "filter": filter})
    }

    /// The same test on a row, applied to every listed row: the portal's source may ignore a STARTED
    /// filter (spec §7 open question 5), so what is previewed is what matches here. Start times
    /// compare as instants; one that cannot be read matches no date filter.
    pub fn matches(&self, row: &WorkflowRow, now_ms: u64) -> bool {
        let (from, until) = self.started_range();
        let started = instant::parse_ms(&row.started);
        let in_range = match (from, until) {
            (None, None) => true,
            _ => started.is_some_and(|t| from.is_none_or(|f| t >= f) && until.is_none_or(|u| t < u)),
        };
        let entity_ok = match self.entity.as_deref().map(str::trim) {
            Some(e) if !e.is_empty() => row.entity.eq_ignore_ascii_case(e),
            _ => true,
        };
        // A row with no lock is not stuck.
        let stuck_ok = !self.stuck
            || row.owned_until.as_deref().and_then(instant::parse_ms).is_some_and(|t| t < Self::stuck_before_ms(now_ms));
        in_range
            && entity_ok
            && stuck_ok
            && self.template_id.is_none_or(|id| row.template_id == id)
            && self.started_by.is_none_or(|id| row.started_by == id)
    }

    pub fn listing(&self, now_ms: u64) -> Listing {
        Listing::new("bizproc.workflow.instances", self.params(now_ms))
    }
}

/// What the administrator sees before confirming: how many, by template and by document class,
/// and the first rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    pub total: usize,
    pub by_template: Vec<(u64, usize)>,
    pub by_entity: Vec<(String, usize)>,
    /// The first 20 rows.
    pub sample: Vec<WorkflowRow>,
}

pub const SAMPLE: usize = 20;

/// Counts per key, the largest first, then by key.
fn breakdown<K: Ord>(keys: impl Iterator<Item = K>) -> Vec<(K, usize)> {
    let mut counts = std::collections::BTreeMap::new();
    for k in keys {
        *counts.entry(k).or_insert(0) += 1;
    }
    let mut out: Vec<(K, usize)> = counts.into_iter().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

pub fn preview(rows: &[WorkflowRow]) -> Preview {
    Preview {
        total: rows.len(),
        by_template: breakdown(rows.iter().map(|r| r.template_id)),
        by_entity: breakdown(rows.iter().map(|r| r.entity.clone())),
        sample: rows.iter().take(SAMPLE).cloned().collect(),
    }
}

/// The command that stops one workflow (`kill` deletes it and its data; `terminate` keeps its
/// history with `status_text`), checked by listing the instance by id.
pub fn stop_item(workflow_id: &str, label: &str, kill: bool, status_text: &str) -> JobItem {
    let command = if kill {
        Command::new(workflow_id, "bizproc.workflow.kill", json!({"ID": workflow_id}))
    } else {
        Command::new(workflow_id, "bizproc.workflow.terminate", json!({"ID": workflow_id, "STATUS": status_text}))
    };
    let verify = Command::new(workflow_id, "bizproc.workflow.instances", json!({"select": ["ID"], "filter": {"ID": workflow_id}}));
    JobItem { id: workflow_id.into(), label: label.into(), command, verify: Some(verify) }
}

/// Stop commands for listed workflows, labelled by their documents.
pub fn stop_items(rows: &[WorkflowRow], kill: bool, status_text: &str) -> Vec<JobItem> {
    rows.iter().map(|r| stop_item(&r.id, if r.document_id.is_empty() { &r.id } else { &r.document_id }, kill, status_text)).collect()
}

#[cfg(test)]
#[path = "workflows_tests.rs"]
mod tests;
