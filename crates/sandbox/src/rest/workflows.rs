//! The workflows rules run in: results of a run (`bizproc.event.send`, `bizproc.activity.log`) and
//! stopping workflows (`bizproc.workflow.terminate`/`kill`). Listing them is `instances`, their
//! tasks `tasks` and `delegate`.

use super::auth::require_admin;
use super::{param, param_value, Reply, RestError, RestResult};
use crate::clock::iso_now;
use crate::state::State;
use crate::state_index::KILLED;
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
    crate::run_outcome::answered(run, &values, &message, !declared.is_empty());
    run.return_values = values;
    run.log.push(message);
    run.state = "completed".into();
    let wf = run.workflow_id.clone();
    if let Some(i) = state.workflow_pos(&wf).filter(|&i| state.workflows[i].state == "running") {
        state.workflows[i].state = "completed".into();
    }
    Ok(Reply::of(json!(true)))
}

pub fn activity_log(state: &mut State, params: &Value) -> RestResult {
    let i = run_index(state, params)?;
    let message = param(params, "LOG_MESSAGE").unwrap_or_default();
    if message.is_empty() {
        return Err(RestError::bad("ERROR_EMPTY_LOG_MESSAGE", "Empty log message!"));
    }
    crate::run_outcome::logged(&mut state.runs[i], &message);
    state.runs[i].log.push(message);
    Ok(Reply::of(json!(true)))
}

/// `terminate` stops a running workflow, closes its tasks and keeps it with its history (the
/// status text and the time); a second `terminate` fails, since it is no longer running. `kill`
/// deletes a workflow in any state with its tasks and history (`State::settle` removes it once the
/// request is done). Admin only. Every call with an id is counted in `stats.stop_calls`.
pub fn terminate(state: &mut State, user: u64, params: &Value, kill: bool) -> RestResult {
    let id = param(params, "ID").unwrap_or_default();
    let out = stop(state, user, &id, params, kill);
    if !id.is_empty() {
        state.stats.stop(&id, out.is_ok());
    }
    out
}

fn stop(state: &mut State, user: u64, id: &str, params: &Value, kill: bool) -> RestResult {
    require_admin(state, user)?;
    if id.is_empty() {
        return Err(RestError::bad("ERROR_WRONG_WORKFLOW_ID", "Empty workflow instance ID"));
    }
    let i = state
        .workflow_pos(id)
        .filter(|&i| kill || state.workflows[i].state == "running")
        .ok_or_else(|| RestError::bad("ERROR_CORE", format!("Workflow instance {id} is not found")))?;
    let now = iso_now();
    let w = &mut state.workflows[i];
    if kill {
        w.state = KILLED.into();
        w.history.clear();
        return Ok(Reply::of(json!(true)));
    }
    let status = param(params, "STATUS").filter(|s| !s.is_empty()).unwrap_or_else(|| "Terminated".into());
    w.state = "terminated".into();
    w.modified = now.clone();
    w.owned_until = None;
    w.history.push(format!("{now} terminated: {status}"));
    state.tasks.iter_mut().filter(|t| t.workflow_id == id && t.status == 0).for_each(|t| t.status = 3);
    Ok(Reply::of(json!(true)))
}
