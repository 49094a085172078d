//! `user.get`, `user.search`, `user.current`, `user.admin` and `profile`, as the caller sees them.

use super::auth::is_admin;
use super::{page, param, param_value, Reply, RestResult};
use crate::state::{State, User};
use rulekit_model::lenient::{flag, list_like, scalar_text};
use serde_json::{json, Map, Value};

pub fn to_json(u: &User) -> Value {
    json!({"ID": u.id.to_string(), "ACTIVE": u.active, "NAME": u.name, "LAST_NAME": u.last_name,
        "EMAIL": u.email, "WORK_POSITION": u.position})
}

/// A `LIKE` pattern: `%` at either end is a wildcard (`Dm%` starts with Dm), none means equal.
fn like(have: &str, pattern: &str) -> bool {
    let (h, p) = (have.to_lowercase(), pattern.to_lowercase());
    match (p.strip_prefix('%'), p.strip_suffix('%')) {
        (Some(rest), _) if rest.ends_with('%') => h.contains(rest.trim_end_matches('%')),
        (Some(rest), _) => h.ends_with(rest),
        (None, Some(rest)) => h.starts_with(rest),
        (None, None) => h == p,
    }
}

/// One `FILTER` condition. `ID` takes a value or a list; `ACTIVE` a flag; text fields compare
/// exactly, as a substring with `%`, or as a pattern with `=%`/`%=` (`{"=%NAME": "Dm%"}`).
fn matches(u: &User, key: &str, want: &Value) -> bool {
    let (op, field) = if let Some(f) = key.strip_prefix("=%").or_else(|| key.strip_prefix("%=")) {
        ("like", f)
    } else if let Some(f) = key.strip_prefix('%') {
        ("%", f)
    } else {
        ("", key.trim_start_matches(['=', '@']))
    };
    let text = |s: &str| {
        let w = scalar_text(want).unwrap_or_default();
        match op {
            "%" => s.to_lowercase().contains(&w.to_lowercase()),
            "like" => like(s, &w),
            _ => s.eq_ignore_ascii_case(&w),
        }
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

/// Users matching `FILTER` and a top-level `ID`. Without a filter on `ACTIVE` only active users
/// are listed, as on the portal; departed ones are found with `ACTIVE: false`. `ADMIN_MODE`
/// (an administrator's) lists departed users too: the sandbox's reading of "any user".
fn listed<'a>(state: &'a State, user: u64, params: &Value) -> Vec<&'a User> {
    let filter: Map<String, Value> = param_value(params, "FILTER").and_then(Value::as_object).cloned().unwrap_or_default();
    let top_id = param(params, "ID");
    let asks_active = filter.keys().any(|k| k.trim_start_matches(['=', '@']).eq_ignore_ascii_case("ACTIVE"));
    let admin_mode = param_value(params, "ADMIN_MODE").and_then(flag).unwrap_or(false) && is_admin(state, user);
    state
        .users
        .iter()
        .filter(|u| asks_active || admin_mode || u.active)
        .filter(|u| top_id.as_ref().is_none_or(|id| *id == u.id.to_string()))
        .filter(|u| filter.iter().all(|(k, v)| matches(u, k, v)))
        .collect()
}

pub fn get(state: &State, user: u64, params: &Value) -> RestResult {
    Ok(page(listed(state, user, params).into_iter().map(to_json).collect(), params))
}

/// The words `user.search` looks for, at the top level or inside `FILTER`: `FIND` (in the name,
/// last name or e-mail), `NAME` and `LAST_NAME`, each a case-insensitive substring.
const SEARCH_WORDS: [&str; 3] = ["FIND", "NAME", "LAST_NAME"];

/// `user.search`: what `user.get` takes, narrowed by the search words. The rest of `FILTER` (such
/// as `ACTIVE`) still filters as in `user.get`.
pub fn search(state: &State, user: u64, params: &Value) -> RestResult {
    let mut filter: Map<String, Value> = param_value(params, "FILTER").and_then(Value::as_object).cloned().unwrap_or_default();
    let word = |key: &str| param(params, key).or_else(|| filter.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).and_then(|(_, v)| scalar_text(v)));
    let [find, name, last] = SEARCH_WORDS.map(|k| word(k).unwrap_or_default().trim().to_lowercase());
    filter.retain(|k, _| !SEARCH_WORDS.iter().any(|w| k.eq_ignore_ascii_case(w)));
    let mut rest: Map<String, Value> = params.as_object().cloned().unwrap_or_default();
    rest.retain(|k, _| !k.eq_ignore_ascii_case("FILTER"));
    rest.insert("FILTER".into(), Value::Object(filter));
    let has = |text: &str, part: &str| text.to_lowercase().contains(part);
    let found = listed(state, user, &Value::Object(rest))
        .into_iter()
        .filter(|u| [&u.name, &u.last_name, &u.email].iter().any(|f| has(f, &find)) && has(&u.name, &name) && has(&u.last_name, &last))
        .map(to_json)
        .collect();
    Ok(page(found, params))
}

pub fn current(state: &State, user: u64) -> RestResult {
    Ok(Reply::of(state.user(user).map(to_json).unwrap_or(Value::Null)))
}

/// `user.admin`: whether the caller may change the portal's settings.
pub fn admin(state: &State, user: u64) -> RestResult {
    Ok(Reply::of(json!(is_admin(state, user))))
}

/// `profile`: the caller's `ID`, `ADMIN`, `NAME`, `LAST_NAME`.
pub fn profile(state: &State, user: u64) -> RestResult {
    let u = state.user(user);
    Ok(Reply::of(json!({"ID": user.to_string(), "ADMIN": is_admin(state, user), "NAME": u.map(|u| u.name.clone()),
        "LAST_NAME": u.map(|u| u.last_name.clone())})))
}
