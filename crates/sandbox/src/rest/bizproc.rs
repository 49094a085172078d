//! `bizproc.*`: rule registration with the portal's validations and error codes
//! (https://apidocs.bitrix24.com/api-reference/bizproc/bizproc-robot/bizproc-robot-add.html),
//! results of rule runs (`bizproc.event.send`, `bizproc.activity.log`), workflows and tasks.

use super::listing::{filtered, ordered, select};
use super::{page, param, param_value, Reply, RestError, RestResult};
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
