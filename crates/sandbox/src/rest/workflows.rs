//! The workflows rules run in: results of a run (`bizproc.event.send`, `bizproc.activity.log`),
//! running workflows (`bizproc.workflow.*`) and their tasks (`bizproc.task.list`).

use super::listing::{filtered, ordered, select};
use super::{page, param, param_value, Reply, RestError, RestResult};
use crate::state::State;
use serde_json::{json, Map, Value};

fn run_index(state: &State, params: &Value) -> Result<usize, RestError> {
    let token = param(params, "EVENT_TOKEN").unwrap_or_default();
    state
        .runs
        .iter()
        .position(|r| !token.is_empty() && r.event_token == token)
        .ok_or_else(|| RestError::new(403, "ACCESS_DENIED", "Access denied!"))
}

/// Closes the waiting step: return values (only declared ones, matched without regard to case),
/// the log message, and the workflow goes on. A second call for a closed step is ignored and
/// answers `true`: the documentation does not say what the portal does, this is the sandbox's choice.
pub fn event_send(state: &mut State, params: &Value) -> RestResult {
    let i = run_index(state, params)?;
    if state.runs[i].state == "completed" {
        return Ok(Reply::of(json!(true)));
    }
    let declared: Vec<String> = state
        .rule(&state.runs[i].code)
        .and_then(|r| r.fields.get("RETURN_PROPERTIES"))
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let mut values = Map::new();
    if let Some(Value::Object(given)) = param_value(params, "RETURN_VALUES") {
        for (k, v) in given {
            if let Some(code) = declared.iter().find(|d| d.eq_ignore_ascii_case(k)) {
                values.insert(code.clone(), v.clone());
            }
        }
    }
    let message = param(params, "LOG_MESSAGE").filter(|m| !m.is_empty()).unwrap_or_else(|| "Received response from the application".into());
    let run = &mut state.runs[i];
    run.return_values = values;
    run.log.push(message);
    run.state = "completed".into();
    let wf = run.workflow_id.clone();
    if let Some(w) = state.workflows.iter_mut().find(|w| w.id == wf) {
        w.state = "completed".into();
    }
    Ok(Reply::of(json!(true)))
}

pub fn activity_log(state: &mut State, params: &Value) -> RestResult {
    let i = run_index(state, params)?;
    let message = param(params, "LOG_MESSAGE").unwrap_or_default();
    if message.is_empty() {
        return Err(RestError::bad("ERROR_EMPTY_LOG_MESSAGE", "Empty log message!"));
    }
    state.runs[i].log.push(message);
    Ok(Reply::of(json!(true)))
}

/// Admin only. Filters take `''`, `!`, `<`, `<=`, `>`, `>=` with upper-case fields; dates compare
/// as ISO 8601 text. `STARTED` is compared too, unlike the portal, whose source ignores it.
pub fn instances(state: &State, params: &Value) -> RestResult {
    require_admin(state)?;
    let rows: Vec<Map<String, Value>> = state
        .workflows
        .iter()
        .filter(|w| w.state == "running")
        .map(|w| {
            json!({"ID": w.id, "MODIFIED": w.modified, "OWNED_UNTIL": w.owned_until, "MODULE_ID": w.module_id,
                "ENTITY": w.entity, "DOCUMENT_ID": w.document_id, "STARTED": w.started,
                "STARTED_BY": w.started_by.to_string(), "TEMPLATE_ID": w.template_id.to_string()})
            .as_object()
            .cloned()
            .unwrap_or_default()
        })
        .collect();
    let rows = ordered(filtered(rows, param_value(params, "FILTER")), params, ("MODIFIED", true));
    Ok(page(select(rows, params, &["ID", "MODIFIED", "OWNED_UNTIL"]), params))
}

fn require_admin(state: &State) -> Result<(), RestError> {
    match state.user(state.current_user) {
        Some(u) if u.admin => Ok(()),
        _ => Err(RestError::new(403, "ACCESS_DENIED", "Access denied!")),
    }
}

/// `terminate` stops a workflow and keeps its history; `kill` deletes it. Both close its tasks.
pub fn terminate(state: &mut State, params: &Value, kill: bool) -> RestResult {
    require_admin(state)?;
    let id = param(params, "ID").unwrap_or_default();
    if id.is_empty() {
        return Err(RestError::bad("ERROR_WRONG_WORKFLOW_ID", "Empty workflow instance ID"));
    }
    let i = state
        .workflows
        .iter()
        .position(|w| w.id == id && (w.state == "running" || kill))
        .ok_or_else(|| RestError::bad("ERROR_CORE", format!("Workflow instance {id} is not found")))?;
    if kill {
        state.workflows.remove(i);
        state.tasks.retain(|t| t.workflow_id != id);
    } else {
        state.workflows[i].state = "terminated".into();
        state.tasks.iter_mut().filter(|t| t.workflow_id == id).for_each(|t| t.status = 3);
    }
    Ok(Reply::of(json!(true)))
}

pub fn task_list(state: &State, params: &Value) -> RestResult {
    let admin = require_admin(state).is_ok();
    let rows: Vec<Map<String, Value>> = state
        .tasks
        .iter()
        .filter(|t| admin || t.user_id == state.current_user)
        .map(|t| {
            let wf = state.workflows.iter().find(|w| w.id == t.workflow_id);
            json!({"ID": t.id.to_string(), "ACTIVITY": t.activity, "WORKFLOW_ID": t.workflow_id, "NAME": t.name,
                "DOCUMENT_NAME": t.document_name, "USER_ID": t.user_id.to_string(), "STATUS": t.status.to_string(),
                "USER_STATUS": "0", "MODULE_ID": "crm", "ENTITY": wf.map(|w| w.entity.clone()),
                "DOCUMENT_ID": wf.map(|w| w.document_id.clone()), "WORKFLOW_STARTED": wf.map(|w| w.started.clone()),
                "WORKFLOW_STARTED_BY": wf.map(|w| w.started_by.to_string())})
            .as_object()
            .cloned()
            .unwrap_or_default()
        })
        .collect();
    let rows = ordered(filtered(rows, param_value(params, "FILTER")), params, ("ID", true));
    let rows = select(rows, params, &["ID", "WORKFLOW_ID", "DOCUMENT_NAME", "NAME"]);
    Ok(page(rows, params))
}
