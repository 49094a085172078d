//! `bizproc.robot.*` and `bizproc.activity.*`: rule registration with the portal's validations and
//! error codes (https://apidocs.bitrix24.com/api-reference/bizproc/bizproc-robot/bizproc-robot-add.html).
//! Results of runs, workflows and tasks are in `workflows`.

use super::{param, param_value, Reply, RestError, RestResult};
use crate::state::{Rule, State};
use rulekit_model::lenient::{get_ci, map_like, scalar_text};
use serde_json::{json, Map, Value};

fn invalid(description: impl Into<String>) -> RestError {
    RestError::bad("ERROR_ACTIVITY_VALIDATION_FAILURE", description)
}

/// `checkCallback`: http or https, and a host with a dot (so `localhost` fails).
pub fn check_handler_url(url: &str) -> Result<(), RestError> {
    let (scheme, rest) = url.split_once("://").ok_or_else(|| RestError::bad("ERROR_WRONG_HANDLER_URL", "Wrong handler URL"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("").rsplit('@').next().unwrap_or("");
    let host = host.rsplit_once(':').map_or(host, |(h, port)| if port.bytes().all(|b| b.is_ascii_digit()) { h } else { host });
    if host.is_empty() || !host.contains('.') {
        return Err(RestError::bad("ERROR_WRONG_HANDLER_URL", "Wrong handler URL"));
    }
    if !matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https") {
        return Err(RestError::bad("ERROR_UNSUPPORTED_PROTOCOL", "Unsupported handler protocol"));
    }
    Ok(())
}

fn upper_keys(m: &Map<String, Value>) -> Map<String, Value> {
    m.iter().map(|(k, v)| (k.to_ascii_uppercase(), v.clone())).collect()
}

/// PROPERTIES as the portal stores them: codes checked, descriptor keys upper-cased (OPTIONS'
/// own keys are not), each with a name.
fn properties(value: &Value) -> Result<Map<String, Value>, RestError> {
    let map = map_like(value).ok_or_else(|| invalid("Wrong properties array!"))?;
    let mut out = Map::new();
    for (code, descriptor) in map {
        let valid = code.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err(invalid(format!("Wrong property key ({code})!")));
        }
        let d = descriptor.as_object().ok_or_else(|| invalid(format!("Wrong property key ({code})!")))?;
        let named = get_ci(d, "Name").is_some_and(|n| rulekit_model::Localized::from_json(n).is_some());
        if !named {
            return Err(invalid(format!("Empty property NAME ({code})!")));
        }
        out.insert(code, Value::Object(upper_keys(d)));
    }
    if serde_json::to_string(&out).map_or(0, |s| s.len()) >= 65535 {
        return Err(RestError::bad("ERROR_ACTIVITY_ADD_FAILURE", "Activity save error!"));
    }
    Ok(out)
}

fn normalize(fields: &mut Map<String, Value>) -> Result<(), RestError> {
    for key in ["PROPERTIES", "RETURN_PROPERTIES"] {
        if let Some(v) = fields.get(key).cloned() {
            fields.insert(key.into(), Value::Object(properties(&v)?));
        }
    }
    if let Some(f) = fields.get("FILTER") {
        if !(f.is_object() || f.is_array() || f.as_str() == Some("")) {
            return Err(invalid("Wrong activity FILTER!"));
        }
    }
    if let Some(u) = fields.get("USE_PLACEMENT").cloned() {
        let y = scalar_text(&u).is_some_and(|s| s == "Y");
        fields.insert("USE_PLACEMENT".into(), json!(if y { "Y" } else { "N" }));
    }
    if let Some(n) = fields.get("AUTH_USER_ID").and_then(scalar_text) {
        fields.insert("AUTH_USER_ID".into(), json!(n.parse::<u64>().unwrap_or(0)));
    }
    Ok(())
}

pub fn add(state: &mut State, params: &Value, robot: bool) -> RestResult {
    let raw = params.as_object().filter(|m| !m.is_empty()).ok_or_else(|| invalid("Empty data!"))?;
    let mut fields = upper_keys(raw);
    fields.remove("AUTH");
    let code = fields.get("CODE").and_then(scalar_text).unwrap_or_default();
    if code.is_empty() {
        return Err(invalid("Empty activity code!"));
    }
    if code.len() > 128 || !code.chars().all(|c| c.is_ascii_alphanumeric() || ".-_".contains(c)) {
        return Err(invalid("Wrong activity code!"));
    }
    check_handler_url(&fields.get("HANDLER").and_then(scalar_text).unwrap_or_default())?;
    let named = fields.get("NAME").is_some_and(|n| rulekit_model::Localized::from_json(n).is_some());
    if !named {
        return Err(invalid("Empty activity NAME!"));
    }
    normalize(&mut fields)?;
    if fields.get("USE_PLACEMENT").and_then(Value::as_str) == Some("Y") {
        check_handler_url(&fields.get("PLACEMENT_HANDLER").and_then(scalar_text).unwrap_or_default())?;
    }
    if state.rule(&code).is_some() {
        return Err(RestError::bad("ERROR_ACTIVITY_ALREADY_INSTALLED", "Activity or Robot already installed!"));
    }
    state.rules.push(Rule { code, robot, fields });
    Ok(Reply::of(json!(true)))
}

pub fn update(state: &mut State, params: &Value, robot: bool) -> RestResult {
    let code = param(params, "CODE").unwrap_or_default();
    let index = state
        .rules
        .iter()
        .position(|r| r.code == code && r.robot == robot)
        .ok_or_else(|| RestError::bad("ERROR_ACTIVITY_NOT_FOUND", "Activity or Robot not found!"))?;
    let mut fields = param_value(params, "FIELDS").and_then(Value::as_object).map(upper_keys).unwrap_or_default();
    fields.retain(|k, _| {
        ["HANDLER", "AUTH_USER_ID", "USE_SUBSCRIPTION", "USE_PLACEMENT", "NAME", "DESCRIPTION", "PROPERTIES",
         "RETURN_PROPERTIES", "DOCUMENT_TYPE", "FILTER", "PLACEMENT_HANDLER"].contains(&k.as_str())
    });
    // The portal does not count PLACEMENT_HANDLER as a field to update: alone, nothing changes.
    if fields.keys().all(|k| k == "PLACEMENT_HANDLER") {
        return Err(invalid("No fields to update"));
    }
    if fields.get("NAME").is_some_and(|n| rulekit_model::Localized::from_json(n).is_none()) {
        fields.remove("NAME");
    }
    if let Some(h) = fields.get("HANDLER").and_then(scalar_text) {
        check_handler_url(&h)?;
    }
    if fields.contains_key("PLACEMENT_HANDLER") {
        // The portal validates the top-level PLACEMENT_HANDLER, not the one inside FIELDS.
        check_handler_url(&param(params, "PLACEMENT_HANDLER").unwrap_or_default())?;
    }
    normalize(&mut fields)?;
    let rule = &mut state.rules[index];
    for (k, v) in fields {
        if matches!(k.as_str(), "DOCUMENT_TYPE" | "FILTER") && (v.is_null() || v.as_str() == Some("")) {
            rule.fields.remove(&k);
        } else {
            rule.fields.insert(k, v);
        }
    }
    if rule.fields.get("USE_PLACEMENT").and_then(Value::as_str) == Some("N") {
        rule.fields.remove("PLACEMENT_HANDLER");
    }
    Ok(Reply::of(json!(true)))
}

pub fn delete(state: &mut State, params: &Value, robot: bool) -> RestResult {
    let code = param(params, "CODE").unwrap_or_default();
    let before = state.rules.len();
    state.rules.retain(|r| !(r.code == code && r.robot == robot));
    if state.rules.len() == before {
        return Err(RestError::bad("ERROR_ACTIVITY_NOT_FOUND", "Activity or Robot not found!"));
    }
    Ok(Reply::of(json!(true)))
}

pub fn list(state: &State, robot: bool) -> RestResult {
    Ok(Reply::of(json!(state.rules.iter().filter(|r| r.robot == robot).map(|r| r.code.clone()).collect::<Vec<_>>())))
}
