//! `batch`: several methods in one request, each answered or failed on its own.

use super::{dispatch_as, param, param_value, Reply, RestError, RestResult};
use crate::state::State;
use rulekit_model::lenient::scalar_text;
use serde_json::{json, Map, Value};

pub const BATCH_LIMIT: usize = 50;

/// `batch` as the app's user, `current_user`.
pub fn batch(state: &mut State, params: &Value) -> RestResult {
    let user = state.current_user;
    let out = batch_as(state, user, params);
    state.settle();
    out
}

/// `batch`: up to 50 commands `{key: "method?query"}`, each answered or failed on its own, as
/// `user`; with `halt`, the first failure stops the rest.
pub fn batch_as(state: &mut State, user: u64, params: &Value) -> RestResult {
    state.stats.method("batch");
    let cmd = param_value(params, "cmd").cloned().unwrap_or(Value::Null);
    let commands: Vec<(String, String)> = match &cmd {
        Value::Object(m) => m.iter().map(|(k, v)| (k.clone(), scalar_text(v).unwrap_or_default())).collect(),
        Value::Array(items) => items.iter().enumerate().map(|(i, v)| (i.to_string(), scalar_text(v).unwrap_or_default())).collect(),
        _ => return Err(RestError::bad("ERROR_BATCH_EMPTY", "Empty batch")),
    };
    if commands.len() > BATCH_LIMIT {
        return Err(RestError::bad("ERROR_BATCH_LENGTH_EXCEEDED", format!("Max batch length exceeded ({BATCH_LIMIT})")));
    }
    let halt = param(params, "halt").is_some_and(|h| h == "1" || h.eq_ignore_ascii_case("true") || h == "Y");
    let (mut result, mut errors, mut totals, mut nexts) = (Map::new(), Map::new(), Map::new(), Map::new());
    for (key, command) in commands {
        let (method, query) = command.split_once('?').unwrap_or((&command, ""));
        let sub = rulekit_model::form_encoding::decode(query).unwrap_or(json!({}));
        let outcome = if method.eq_ignore_ascii_case("batch") {
            Err(RestError::bad("ERROR_BATCH_METHOD_NOT_ALLOWED", "Batch call cannot contain batch"))
        } else {
            dispatch_as(state, user, method, &sub)
        };
        match outcome {
            Ok(reply) => {
                result.insert(key.clone(), reply.result);
                if let Some(t) = reply.total {
                    totals.insert(key.clone(), json!(t));
                }
                if let Some(n) = reply.next {
                    nexts.insert(key, json!(n));
                }
            }
            Err(e) => {
                errors.insert(key, e.body());
                if halt {
                    break;
                }
            }
        }
    }
    Ok(Reply::of(json!({"result": result, "result_error": errors, "result_total": totals,
        "result_next": nexts, "result_time": {}})))
}
