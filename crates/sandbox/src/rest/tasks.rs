//! `bizproc.task.list` (any user: an administrator sees every task, others their own) and
//! `bizproc.workflow.template.list` (admin only; the caller checks), both lists of the portal's
//! old kind: `FILTER` with operator prefixes, `SELECT`, `ORDER`, pages of 50.

use super::auth::is_admin;
use super::listing::{filtered, ordered, select};
use super::{page, param_value, RestResult};
use crate::state::{Delegation, State, Task};
use rulekit_model::document::DocumentId;
use serde_json::{json, Map, Value};

/// The page of the document in the portal: `/crm/deal/details/124/`.
pub fn document_url(document_id: &str) -> Option<String> {
    DocumentId::parse(document_id).map(|d| format!("/crm/{}/details/{}/", d.entity.timeline_type(), d.id))
}

/// The portal's `DELEGATION_TYPE`: 0 subordinates, 1 anyone, 2 no one.
fn delegation_type(d: Delegation) -> &'static str {
    match d {
        Delegation::Subordinates => "0",
        Delegation::All => "1",
        Delegation::None => "2",
    }
}

/// What the task's activity shows (its buttons); the same for every task of one activity.
fn parameters(activity: &str) -> Value {
    match activity {
        "ApproveActivity" => json!({"TaskButton1Message": "Approve", "TaskButton2Message": "Reject", "CommentRequired": "N", "ShowComment": "Y"}),
        "ReviewActivity" => json!({"TaskButtonMessage": "Reviewed", "CommentRequired": "N", "ShowComment": "Y"}),
        _ => json!({"TaskButtonMessage": "Save", "ShowComment": "Y", "CommentRequired": "N"}),
    }
}

fn task_row(state: &State, t: &Task) -> Map<String, Value> {
    let wf = state.find_workflow(&t.workflow_id);
    let template = wf.and_then(|w| state.templates.iter().find(|tp| tp.id == w.template_id));
    let document_id = wf.map(|w| w.document_id.clone());
    json!({"ID": t.id.to_string(), "ACTIVITY": t.activity, "ACTIVITY_NAME": format!("A{}_{}", t.id, t.activity),
        "WORKFLOW_ID": t.workflow_id, "DOCUMENT_NAME": t.document_name, "DESCRIPTION": t.description, "NAME": t.name,
        "MODIFIED": t.modified, "WORKFLOW_STARTED": wf.map(|w| w.started.clone()),
        "WORKFLOW_STARTED_BY": wf.map(|w| w.started_by.to_string()), "OVERDUE_DATE": t.overdue_date,
        "WORKFLOW_TEMPLATE_ID": wf.map(|w| w.template_id.to_string()), "WORKFLOW_TEMPLATE_NAME": template.map(|tp| tp.name.clone()),
        "WORKFLOW_STATE": wf.map(|w| w.state.clone()), "STATUS": t.status.to_string(), "USER_ID": t.user_id.to_string(),
        "USER_STATUS": if t.status == 0 { "0" } else { "3" }, "MODULE_ID": wf.map_or("crm".into(), |w| w.module_id.clone()),
        "ENTITY": wf.map(|w| w.entity.clone()), "DOCUMENT_ID": document_id,
        "DOCUMENT_URL": wf.and_then(|w| document_url(&w.document_id)), "PARAMETERS": parameters(&t.activity),
        "DELEGATION_TYPE": delegation_type(t.delegation)})
    .as_object()
    .cloned()
    .unwrap_or_default()
}

/// Default select `ID, WORKFLOW_ID, DOCUMENT_NAME, NAME`, order `ID DESC`, as in the portal's source.
pub fn task_list(state: &State, user: u64, params: &Value) -> RestResult {
    let admin = is_admin(state, user);
    let rows: Vec<Map<String, Value>> = state.tasks.iter().filter(|t| admin || t.user_id == user).map(|t| task_row(state, t)).collect();
    let rows = ordered(filtered(rows, param_value(params, "FILTER")), params, ("ID", true));
    Ok(page(select(rows, params, &["ID", "WORKFLOW_ID", "DOCUMENT_NAME", "NAME"]), params))
}

/// Default select `ID`, order `ID ASC`, as the documentation says.
pub fn template_list(state: &State, params: &Value) -> RestResult {
    let rows: Vec<Map<String, Value>> = state
        .templates
        .iter()
        .map(|t| {
            json!({"ID": t.id.to_string(), "MODULE_ID": t.module_id, "ENTITY": t.entity, "DOCUMENT_TYPE": t.document_type,
                "AUTO_EXECUTE": t.auto_execute.to_string(), "NAME": t.name, "DESCRIPTION": t.description,
                "MODIFIED": t.modified, "IS_MODIFIED": "N", "USER_ID": t.user_id.to_string(), "SYSTEM_CODE": null})
            .as_object()
            .cloned()
            .unwrap_or_default()
        })
        .collect();
    let rows = ordered(filtered(rows, param_value(params, "FILTER")), params, ("ID", false));
    Ok(page(select(rows, params, &["ID"]), params))
}
