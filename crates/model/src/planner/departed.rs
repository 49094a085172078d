//! A departed employee's open tasks (seed scenario 3): listed, grouped per workflow, and each
//! workflow given a fate: its tasks delegated to someone else (the workflow goes on), or the
//! workflow terminated or killed. A refused delegation comes back per workflow with the portal's
//! code, so the console can offer terminate or kill for exactly those.

use super::job::{stop_item, JobItem};
use super::listing::Listing;
use super::{row_text, row_uint};
use crate::batch::Command;
use crate::document::{CrmEntity, DocumentId};
use crate::instant;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskRow {
    pub id: u64,
    pub workflow_id: String,
    pub name: String,
    pub document_name: String,
    pub document_id: String,
    pub entity: String,
    pub document_url: Option<String>,
    pub template_id: Option<u64>,
    pub template_name: String,
    pub started: Option<String>,
    pub started_by: Option<u64>,
    pub overdue_date: Option<String>,
    pub user_id: u64,
}

impl TaskRow {
    /// Reads a `bizproc.task.list` row in any key case; `ID` and `WORKFLOW_ID` are required.
    pub fn from_json(v: &Value) -> Option<Self> {
        let text = |k: &str| row_text(v, k).unwrap_or_default();
        Some(TaskRow {
            id: row_uint(v, "ID")?,
            workflow_id: row_text(v, "WORKFLOW_ID")?,
            name: text("NAME"),
            document_name: text("DOCUMENT_NAME"),
            document_id: text("DOCUMENT_ID"),
            entity: text("ENTITY"),
            document_url: row_text(v, "DOCUMENT_URL"),
            template_id: row_uint(v, "WORKFLOW_TEMPLATE_ID"),
            template_name: text("WORKFLOW_TEMPLATE_NAME"),
            started: row_text(v, "WORKFLOW_STARTED"),
            started_by: row_uint(v, "WORKFLOW_STARTED_BY"),
            overdue_date: row_text(v, "OVERDUE_DATE"),
            user_id: row_uint(v, "USER_ID").unwrap_or(0),
        })
    }
}

pub const TASK_SELECT: [&str; 15] = [
    "ID", "WORKFLOW_ID", "NAME", "DOCUMENT_NAME", "DOCUMENT_ID", "ENTITY", "DOCUMENT_URL", "WORKFLOW_TEMPLATE_ID",
    "WORKFLOW_TEMPLATE_NAME", "WORKFLOW_STARTED", "WORKFLOW_STARTED_BY", "OVERDUE_DATE", "USER_ID", "STATUS", "MODULE_ID",
];

/// The user's open tasks (`STATUS` 0: running), every page.
pub fn task_listing(user_id: u64) -> Listing {
    Listing::new("bizproc.task.list", json!({"select": TASK_SELECT, "filter": {"USER_ID": user_id, "STATUS": 0}}))
}

/// One workflow waiting on the departed user, with its open tasks.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkflowTasks {
    pub workflow_id: String,
    pub document_name: String,
    pub document_id: String,
    pub entity: String,
    pub document_url: Option<String>,
    pub template_name: String,
    pub started: Option<String>,
    pub started_by: Option<u64>,
    pub tasks: Vec<TaskRow>,
    /// A task is past its due time.
    pub overdue: bool,
}

/// A task's due time has passed (one that cannot be read has not).
fn overdue(task: &TaskRow, now_ms: u64) -> bool {
    task.overdue_date.as_deref().and_then(instant::parse_ms).is_some_and(|t| t < now_ms as i64)
}

/// One entry per workflow, in the order the workflows first appear.
pub fn group(tasks: &[TaskRow], now_ms: u64) -> Vec<WorkflowTasks> {
    let mut out: Vec<WorkflowTasks> = Vec::new();
    for t in tasks {
        let i = match out.iter().position(|w| w.workflow_id == t.workflow_id) {
            Some(i) => i,
            None => {
                out.push(WorkflowTasks {
                    workflow_id: t.workflow_id.clone(),
                    document_name: t.document_name.clone(),
                    document_id: t.document_id.clone(),
                    entity: t.entity.clone(),
                    document_url: t.document_url.clone(),
                    template_name: t.template_name.clone(),
                    started: t.started.clone(),
                    started_by: t.started_by,
                    tasks: Vec::new(),
                    overdue: false,
                });
                out.len() - 1
            }
        };
        let entry = &mut out[i];
        entry.overdue |= overdue(t, now_ms);
        entry.tasks.push(t.clone());
    }
    out
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Fate {
    Delegate { to_user: u64 },
    Terminate { status: String },
    Kill,
}

/// The commands for the chosen fates. A delegation is checked (after a reload) by looking for its
/// first task still open on the departed user: gone means it was delegated.
pub fn departed_items(from_user: u64, chosen: &[(WorkflowTasks, Fate)]) -> Vec<JobItem> {
    chosen
        .iter()
        .filter_map(|(w, fate)| {
            let label = if w.document_name.is_empty() { &w.workflow_id } else { &w.document_name };
            Some(match fate {
                Fate::Delegate { to_user } => {
                    let first = w.tasks.first()?.id;
                    let ids: Vec<u64> = w.tasks.iter().map(|t| t.id).collect();
                    let params = json!({"TASK_IDS": ids, "FROM_USER_ID": from_user, "TO_USER_ID": to_user});
                    let check = json!({"select": ["ID"], "filter": {"ID": first, "USER_ID": from_user, "STATUS": 0}});
                    JobItem {
                        id: w.workflow_id.clone(),
                        label: label.clone(),
                        command: Command::new(&w.workflow_id, "bizproc.task.delegate", params),
                        verify: Some(Command::new(&w.workflow_id, "bizproc.task.list", check)),
                    }
                }
                Fate::Terminate { status } => stop_item(&w.workflow_id, label, false, status),
                Fate::Kill => stop_item(&w.workflow_id, label, true, ""),
            })
        })
        .collect()
}

/// The path openPath may open for a CRM document (spec §5: only /crm/(deal|lead|contact|company)/...):
/// `DEAL_123` → `/crm/deal/details/123/`; None for any other document.
pub fn open_path(document_id: &str) -> Option<String> {
    let doc = DocumentId::parse(document_id)?;
    matches!(doc.entity, CrmEntity::Deal | CrmEntity::Lead | CrmEntity::Contact | CrmEntity::Company)
        .then(|| format!("/crm/{}/details/{}/", doc.entity.timeline_type(), doc.id))
}

#[cfg(test)]
#[path = "departed_tests.rs"]
mod tests;
