//! The rules the sandbox registers, through the same `bizproc.robot.add` / `bizproc.activity.add`
//! an app calls: the demo rule (every property type, the robot designer's shared fixture), and
//! every rule of rulekit's manifest with saved values a newcomer can run at once. Each rule's
//! dialog gets its document (fields, template) stored in the state beside it.

use crate::demo_names;
use crate::rest::bizproc;
use crate::state::{DialogDocument, State};
use rulekit_model::document::CrmEntity::{Deal, Lead};
use rulekit_model::manifest::RuleManifest;
use rulekit_model::user::UserToken;
use rulekit_model::{Property, PropertyType};
use serde_json::{json, Map, Value};

pub const DEMO_CODE: &str = "rulekit_all_types";
const FIXTURE: &str = include_str!("../../../fixtures/placement-options.robot-designer.json");

fn fixture() -> Value {
    serde_json::from_str(FIXTURE).unwrap_or(Value::Null)
}

/// The demo rule's dialog: a deal's fields and the robot designer's template, from the fixture.
fn demo_document() -> DialogDocument {
    let f = fixture();
    DialogDocument { fields: f["document_fields"].as_object().cloned().unwrap_or_default(), template: Some(f["template"].clone()) }
}

/// A deal's fields as the designer offers them on a deal (the fixture's), with no template.
pub fn deal_document() -> DialogDocument {
    DialogDocument { template: None, ..demo_document() }
}

/// Registers the demo rule as a robot with the settings page as its placement handler, and saves
/// the fixture's values for it.
pub fn register_demo_rule(state: &mut State, app_url: &str, handler_url: &str) {
    let f = fixture();
    let mut properties = f["properties"].clone();
    demo_names::localize(&mut properties);
    let params = json!({
        "CODE": DEMO_CODE,
        "HANDLER": handler_url,
        "AUTH_USER_ID": 1,
        "USE_SUBSCRIPTION": "Y",
        "NAME": demo_names::localized(demo_names::RULE_NAME),
        "DESCRIPTION": demo_names::localized(demo_names::RULE_DESCRIPTION),
        "USE_PLACEMENT": "Y",
        "PLACEMENT_HANDLER": app_url,
        "PROPERTIES": properties,
        "RETURN_PROPERTIES": {"result": {"Name": demo_names::localized(demo_names::RESULT_NAME), "Type": "string"}},
        "FILTER": {"INCLUDE": [["crm", Deal.document_class()], ["crm", Lead.document_class()]]},
    });
    if let Err(e) = bizproc::add(state, &params, true) {
        eprintln!("sandbox: the demo rule could not be registered: {}", e.description);
    }
    state.dialog.saved.insert(DEMO_CODE.into(), f["current_values"].clone());
    state.dialog.documents.insert(DEMO_CODE.into(), demo_document());
}

/// A loaded state's demo rule: ports change between runs, so it is pointed at this run's pages;
/// a state file written before documents were stored per rule gets the demo's, and one written
/// before the names were translated gets them.
pub fn refresh_demo_rule(state: &mut State, app_url: &str, handler_url: &str) {
    let Some(rule) = state.rules.iter_mut().find(|r| r.code == DEMO_CODE) else { return };
    rule.fields.insert("PLACEMENT_HANDLER".into(), json!(app_url));
    rule.fields.insert("HANDLER".into(), json!(handler_url));
    if let Some(properties) = rule.fields.get_mut("PROPERTIES") {
        demo_names::localize(properties);
    }
    state.dialog.documents.entry(DEMO_CODE.into()).or_insert_with(demo_document);
}

/// Registers every manifest rule, robot and activity, to run on `handler_url`: its dialog offers a
/// deal's fields, and values saved before are kept.
pub fn register_manifest_rules(state: &mut State, app_url: &str, handler_url: &str) {
    for m in rulekit_model::manifest::all() {
        for robot in [true, false] {
            let code = if robot { m.code.to_string() } else { m.activity_code() };
            state.rules.retain(|r| r.code != code);
            if let Err(e) = bizproc::add(state, &m.registration(robot, handler_url, app_url, 1), robot) {
                eprintln!("sandbox: the rule {code} could not be registered: {}", e.description);
            }
            state.dialog.documents.insert(code.clone(), deal_document());
            state.dialog.saved.entry(code).or_insert_with(|| Value::Object(ready_values(&m)));
        }
    }
}

/// Saved values to run at once: the manifest's defaults, a sandbox value for each required
/// property without one, and the demo's own choices for the rule.
fn ready_values(m: &RuleManifest) -> Map<String, Value> {
    let mut out = Map::new();
    for p in &m.properties {
        let value = match &p.default {
            Some(default) => Some(default.to_json()),
            None if p.required => sandbox_value(p),
            None => None,
        };
        if let Some(v) = value {
            out.insert(p.code.clone(), v);
        }
    }
    out.extend(demo_choices(m.code));
    out
}

/// A value for a required property the manifest gives no default: the sandbox's first record
/// (its own company and its administrator both have ID 1), the first option, today.
fn sandbox_value(p: &Property) -> Option<Value> {
    let one = match &p.kind {
        PropertyType::Int | PropertyType::Double => "1".to_string(),
        PropertyType::User => UserToken::User(1).to_string(),
        PropertyType::Bool => "N".to_string(),
        PropertyType::Select => p.options.first()?.0.clone(),
        PropertyType::Date | PropertyType::Datetime => crate::clock::iso_now()[..10].to_string(),
        PropertyType::String | PropertyType::Text => "Set in the rulekit sandbox".to_string(),
        PropertyType::Other(_) => return None,
    };
    Some(if p.multiple { json!([one]) } else { json!(one) })
}

/// What the demo sets beyond defaults. The invoice's values are the ones the handler's tests
/// check on the invoice they create.
fn demo_choices(code: &str) -> Map<String, Value> {
    let user = |id| UserToken::User(id).to_string();
    let choices = match code {
        "rulekit_invoice" => json!({"due_in_days": "14", "observers": [user(1), user(7)], "comments": "Created in the rulekit sandbox"}),
        _ => json!({}),
    };
    choices.as_object().cloned().unwrap_or_default()
}
