//! The demo rule the sandbox opens: every property type, `Multiple` values, saved values with
//! expressions, the robot designer's document fields and template (the shared fixture).

use crate::rest::bizproc;
use crate::state::State;
use serde_json::{json, Value};

pub const DEMO_CODE: &str = "rulekit_all_types";
const FIXTURE: &str = include_str!("../../../fixtures/placement-options.robot-designer.json");

pub fn fixture() -> Value {
    serde_json::from_str(FIXTURE).unwrap_or(Value::Null)
}

/// Registers the demo rule as a robot with the settings page as its placement handler, through
/// the same `bizproc.robot.add` the app would call, and saves the fixture's values for it.
pub fn register_demo_rules(state: &mut State, app_url: &str, handler_url: &str) {
    let f = fixture();
    let params = json!({
        "CODE": DEMO_CODE,
        "HANDLER": handler_url,
        "AUTH_USER_ID": 1,
        "USE_SUBSCRIPTION": "Y",
        "NAME": {"en": "Every kind of setting (rulekit demo)", "ru": "Все виды настроек (демо rulekit)", "de": "Alle Arten von Einstellungen (rulekit-Demo)"},
        "DESCRIPTION": {"en": "A demo rule with one property of every type."},
        "USE_PLACEMENT": "Y",
        "PLACEMENT_HANDLER": app_url,
        "PROPERTIES": f["properties"],
        "RETURN_PROPERTIES": {"result": {"Name": "Result", "Type": "string"}},
        "FILTER": {"INCLUDE": [["crm", "CCrmDocumentDeal"], ["crm", "CCrmDocumentLead"]]},
    });
    if let Err(e) = bizproc::add(state, &params, true) {
        eprintln!("sandbox: the demo rule could not be registered: {}", e.description);
    }
    state.dialog.saved.insert(DEMO_CODE.into(), f["current_values"].clone());
}

/// Registers the invoice rule (robot and activity, from its manifest) to run on `handler_url`,
/// with settings a newcomer can run at once.
pub fn register_invoice(state: &mut State, app_url: &str, handler_url: &str) {
    let m = rulekit_model::manifest::invoice();
    for robot in [true, false] {
        let code = if robot { m.code.to_string() } else { m.activity_code() };
        state.rules.retain(|r| r.code != code);
        if let Err(e) = bizproc::add(state, &m.registration(robot, handler_url, app_url, 1), robot) {
            eprintln!("sandbox: the invoice rule could not be registered: {}", e.description);
        }
        state.dialog.saved.entry(code).or_insert_with(|| {
            json!({"invoice_title": "Invoice for {=Document:TITLE}", "mycompany_id": "1", "copy_products": "Y",
                "due_in_days": "14", "observers": ["user_1", "user_7"], "comments": "Created in the rulekit sandbox"})
        });
    }
}

/// What the dialog's document offers to expressions, and the robot designer's template.
pub fn document_fields_and_template() -> (Value, Value) {
    let f = fixture();
    (f["document_fields"].clone(), f["template"].clone())
}
