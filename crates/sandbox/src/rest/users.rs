//! `user.get` and `user.current`.

use super::{page, param, param_value, Reply, RestResult};
use crate::state::{State, User};
use rulekit_model::lenient::{flag, list_like, scalar_text};
use serde_json::{json, Value};

pub fn to_json(u: &User) -> Value {
    json!({"ID": u.id.to_string(), "ACTIVE": u.active, "NAME": u.name, "LAST_NAME": u.last_name,
        "EMAIL": u.email, "WORK_POSITION": u.position})
}

/// One `FILTER` condition. `ID` takes a value or a list; `ACTIVE` a flag; text fields compare
/// exactly, or as a substring with `%`.
fn matches(u: &User, key: &str, want: &Value) -> bool {
    let (op, field) = match key.strip_prefix('%') {
        Some(f) => ("%", f),
        None => ("", key.trim_start_matches(['=', '@'])),
    };
    let text = |s: &str| {
        let w = scalar_text(want).unwrap_or_default();
        if op == "%" { s.to_lowercase().contains(&w.to_lowercase()) } else { s.eq_ignore_ascii_case(&w) }
    };
    match field.to_ascii_uppercase().as_str() {
        "ID" => list_like(want).iter().filter_map(scalar_text).any(|id| id == u.id.to_string()),
        "ACTIVE" => flag(want).is_none_or(|a| a == u.active),
        "NAME" => text(&u.name),
        "LAST_NAME" => text(&u.last_name),
        "EMAIL" => text(&u.email),
        _ => true,
    }
}

/// Without a filter on `ACTIVE`, only active users are listed, as on the portal; departed ones
/// are found with `ACTIVE: false`.
pub fn get(state: &State, params: &Value) -> RestResult {
    let filter = param_value(params, "FILTER").and_then(Value::as_object).cloned().unwrap_or_default();
    let top_id = param(params, "ID");
    let asks_active = filter.keys().any(|k| k.trim_start_matches(['=', '@']).eq_ignore_ascii_case("ACTIVE"));
    let users: Vec<Value> = state
        .users
        .iter()
        .filter(|u| asks_active || u.active)
        .filter(|u| top_id.as_ref().is_none_or(|id| *id == u.id.to_string()))
        .filter(|u| filter.iter().all(|(k, v)| matches(u, k, v)))
        .map(to_json)
        .collect();
    Ok(page(users, params))
}

pub fn current(state: &State) -> RestResult {
    Ok(Reply::of(state.user(state.current_user).map(to_json).unwrap_or(Value::Null)))
}
