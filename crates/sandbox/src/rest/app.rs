//! The app itself: `app.info` and its options (`app.option.get`/`set`, the set admin only; the
//! caller checks). The options are the same `app_options` the placement shows as `APP_OPTIONS`.

use super::{param, param_value, Reply, RestError, RestResult};
use crate::state::State;
use rulekit_model::lenient::map_like;
use serde_json::{json, Value};

pub fn info(state: &State) -> RestResult {
    Ok(Reply::of(json!({"ID": 17, "CODE": state.client_id, "VERSION": state.app_version, "STATUS": "L",
        "INSTALLED": state.installed, "PAYMENT_EXPIRED": "N", "DAYS": null, "LICENSE": "en_project",
        "LANGUAGE_ID": "en", "member_id": state.member_id})))
}

/// `option`: one option's value (`null` when unset); without it, every option.
pub fn option_get(state: &State, params: &Value) -> RestResult {
    Ok(Reply::of(match param(params, "option").filter(|o| !o.is_empty()) {
        Some(name) => state.app_options.get(&name).cloned().unwrap_or(Value::Null),
        None => Value::Object(state.app_options.clone()),
    }))
}

/// `options: {name: value}`: each one set (or replaced).
pub fn option_set(state: &mut State, params: &Value) -> RestResult {
    let options = param_value(params, "options")
        .and_then(map_like)
        .filter(|m| !m.is_empty())
        .ok_or_else(|| RestError::bad("ERROR_ARGUMENT", "Argument 'options' is null or empty"))?;
    state.app_options.extend(options);
    Ok(Reply::of(json!(true)))
}
