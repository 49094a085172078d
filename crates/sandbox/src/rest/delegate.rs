//! `bizproc.task.delegate {TASK_IDS, FROM_USER_ID, TO_USER_ID}`: hands open tasks to another user
//! (https://apidocs.bitrix24.com/api-reference/bizproc/bizproc-task/bizproc-task-delegate.html).
//!
//! The sandbox's choices where the documentation is silent (spec §4d):
//! - an administrator may delegate anyone's tasks, a non-admin only their own (`FROM_USER_ID` is
//!   the caller, else `ERROR_DELEGATION_NOT_ALLOWED`);
//! - all or nothing: when any task is refused the call fails, with one message per refused task
//!   joined by `; `, and no task changes hands;
//! - a task that is unknown, closed or someone else's is "not responsible"; a task set to
//!   `none` refuses; one set to `subordinates` is allowed to an administrator only (the sandbox
//!   has no hierarchy: an admin counts as everyone's superior).

use super::auth::is_admin;
use super::{param, param_value, Reply, RestError, RestResult};
use crate::state::{Delegation, State};
use rulekit_model::lenient::{list_like, scalar_text};
use serde_json::{json, Value};

fn not_allowed(description: impl Into<String>) -> RestError {
    RestError::bad("ERROR_DELEGATION_NOT_ALLOWED", description)
}

fn task_ids(params: &Value) -> Result<Vec<u64>, RestError> {
    let invalid = || RestError::bad("ERROR_TASK_VALIDATION", "Invalid TASK_IDS");
    let given = param_value(params, "TASK_IDS").map(list_like).unwrap_or_default();
    let ids: Option<Vec<u64>> = given.iter().map(|v| scalar_text(v).and_then(|s| s.trim().parse().ok())).collect();
    ids.filter(|ids| !ids.is_empty()).ok_or_else(invalid)
}

/// A user id naming a known user (and an active one, when `active`).
fn user_id(state: &State, params: &Value, key: &str, active: bool) -> Result<u64, RestError> {
    param(params, key)
        .and_then(|s| s.trim().parse::<u64>().ok())
        .filter(|&id| state.user(id).is_some_and(|u| u.active || !active))
        .ok_or_else(|| RestError::bad("ERROR_INVALID_USER_ID", format!("Invalid {key}")))
}

pub fn delegate(state: &mut State, user: u64, params: &Value) -> RestResult {
    let ids = task_ids(params)?;
    let from = user_id(state, params, "FROM_USER_ID", false)?;
    let to = user_id(state, params, "TO_USER_ID", true)?;
    let admin = is_admin(state, user);
    if !admin && from != user {
        return Err(not_allowed("You can delegate only your own tasks"));
    }
    let mut positions = Vec::new();
    let mut refusals = Vec::new();
    for id in &ids {
        match state.tasks.iter().position(|t| t.id == *id && t.user_id == from && t.status == 0) {
            None => refusals.push("User is not responsible for the task"),
            Some(i) => match state.tasks[i].delegation {
                Delegation::None => refusals.push("Task delegation is not allowed"),
                Delegation::Subordinates if !admin => refusals.push("Task delegation is not allowed"),
                _ => positions.push(i),
            },
        }
    }
    if !refusals.is_empty() {
        return Err(not_allowed(refusals.join("; ")));
    }
    let now = crate::clock::iso_now();
    for i in positions {
        state.tasks[i].user_id = to;
        state.tasks[i].modified = now.clone();
    }
    Ok(Reply::of(json!(true)))
}
