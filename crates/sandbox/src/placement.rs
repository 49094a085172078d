//! What the portal hands the settings page: `PLACEMENT_OPTIONS` for a rule's dialog, and the
//! `getInitData` answer around it (what BX24.js asks the parent page for when the frame starts).

use crate::state::State;
use rulekit_model::lenient::get_ci;
use serde_json::{json, Map, Value};

/// The placement the rules' settings pages are opened in.
pub const PLACEMENT: &str = "BIZPROC_ACTIVITY_PROPERTIES_DIALOG";

/// `current_values` as the portal hands them over: the saved value of each property, else its
/// registered default.
fn current_values(properties: &Map<String, Value>, saved: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for (code, d) in properties {
        if let Some(v) = saved.get(code) {
            out.insert(code.clone(), v.clone());
        } else if let Some(default) = d.as_object().and_then(|d| get_ci(d, "DEFAULT")) {
            out.insert(code.clone(), default.clone());
        }
    }
    out
}

/// `PLACEMENT_OPTIONS` for the dialog: from the registered rule and the document stored for it,
/// or the loaded file as it is (with `current_values` from what was saved here, once something was).
pub fn placement_options(state: &State, code: &str) -> Value {
    let d = &state.dialog;
    let saved = state.saved(code);
    if let (Some(loaded), true) = (&d.options_override, code == d.code) {
        let mut o = loaded.clone();
        if !saved.is_empty() {
            o["current_values"] = Value::Object(saved);
        }
        return o;
    }
    let properties = state
        .rule(code)
        .and_then(|r| r.fields.get("PROPERTIES"))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    // A rule an app registered at run time has no stored document: the dialog is on a deal.
    let document = d.documents.get(code).cloned().unwrap_or_else(crate::demo_rules::deal_document);
    let mut options = json!({
        "code": code,
        "activity_name": d.activity_name,
        "properties": properties,
        "current_values": current_values(&properties, &saved),
        "document_type": d.document_type,
        "document_fields": document.fields,
    });
    // Only the robot designer sends a template.
    if let Some(template) = document.template {
        options["template"] = template;
    }
    options
}

/// What `getInitData` answers.
pub fn init_data(state: &State, portal_host: &str, lang: &str, code: &str) -> Value {
    json!({
        "LANG": lang, "DOMAIN": portal_host, "PROTOCOL": 0, "PATH": "/rest",
        "AUTH_ID": state.tokens.access, "AUTH_EXPIRES": "3600", "REFRESH_ID": state.tokens.refresh,
        "MEMBER_ID": state.member_id, "FIRST_RUN": false, "IS_ADMIN": true, "INSTALL": false,
        "USER_OPTIONS": state.user_options, "APP_OPTIONS": state.app_options,
        "PLACEMENT": PLACEMENT, "PLACEMENT_OPTIONS": placement_options(state, code),
    })
}
