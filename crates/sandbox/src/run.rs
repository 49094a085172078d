//! "Run the rule": the execution request the queue server would POST to the rule's `HANDLER`
//! (form-encoded: code, document, properties, event token, the app's tokens), built from what the
//! dialog saved, with expressions resolved from the document.

use crate::clock::{iso_now, now_unix};
use crate::random::random_hex;
use crate::state::{Run, State, Workflow};
use rulekit_model::document::DocumentId;
use rulekit_model::execution::{Auth, ExecutionRequest};
use rulekit_model::expression::{segments, Segment};
use rulekit_model::user::UserToken;
use rulekit_model::{PropertyType, PropertyValue};
use serde_json::Value;

/// A document field's value for `{=Document:FIELD}`, from the CRM item behind the document.
fn document_field(state: &State, document: DocumentId, field: &str) -> String {
    let Some(item) = state.items.iter().find(|i| i.entity_type_id == document.entity.type_id() && i.id == document.id) else {
        return String::new();
    };
    let get = |k: &str| item.fields.get(k).map(|v| rulekit_model::lenient::scalar_text(v).unwrap_or_default()).unwrap_or_default();
    match field {
        "ID" => item.id.to_string(),
        "TITLE" => get("title"),
        "OPPORTUNITY" => get("opportunity"),
        "CURRENCY_ID" => get("currencyId"),
        "CLOSEDATE" => get("closedate"),
        "COMPANY_ID" => get("companyId"),
        "ASSIGNED_BY_ID" => get("assignedById").parse().map(|id| UserToken::User(id).to_string()).unwrap_or_default(),
        _ => String::new(),
    }
}

/// Resolves `{=Document:…}` and document display forms; other expressions resolve to nothing
/// here (the sandbox runs no workflow template).
fn resolve(state: &State, document: DocumentId, catalog: &rulekit_model::Catalog, text: &str) -> String {
    let canonical = catalog.canonical(text);
    let mut out = String::new();
    for (range, seg) in segments(&canonical) {
        match seg {
            Segment::Literal(_) => out.push_str(&canonical[range]),
            Segment::Field { object: "Document", field, .. } => out.push_str(&document_field(state, document, field)),
            _ => {}
        }
    }
    out
}

/// The document a run is on when none is named: the first CRM record of the dialog's document
/// type (a lead such as `LEAD_45` for a loaded `--placement-options` of
/// `["crm", "CCrmDocumentLead", "LEAD"]`), else the demo deal.
pub fn default_document(state: &State, code: &str) -> String {
    let options = crate::placement::placement_options(state, code);
    let document_type: Vec<&str> = options.get("document_type").and_then(Value::as_array).map(|t| t.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
    let entity = match document_type[..] {
        ["crm", _, prefix] => DocumentId::parse(&format!("{prefix}_0")).map(|d| d.entity),
        _ => None,
    };
    entity
        .and_then(|e| state.items.iter().find(|i| i.entity_type_id == e.type_id()).map(|i| DocumentId::new(e, i.id).to_string()))
        .unwrap_or_else(|| "DEAL_123".into())
}

/// Creates the run, its waiting workflow, and the request for the handler.
pub fn prepare(state: &mut State, portal_host: &str, code: &str, document_id: &str) -> Result<(ExecutionRequest, String), String> {
    let code = code.to_string();
    let rule = state.rule(&code).ok_or_else(|| format!("the rule {code} is not registered"))?.clone();
    let document = DocumentId::parse(document_id)
        .ok_or_else(|| format!("{document_id:?} names no CRM document: give one such as DEAL_123 or LEAD_45"))?;
    let handler = rule.fields.get("HANDLER").and_then(Value::as_str).unwrap_or_default().to_string();
    let subscribe = rule.fields.get("USE_SUBSCRIPTION").and_then(Value::as_str) == Some("Y");
    let options = crate::placement::placement_options(state, &code);
    let parsed = rulekit_model::PlacementOptions::parse(&options).options;
    let catalog = parsed.catalog();
    let properties = parsed
        .properties
        .iter()
        .map(|p| {
            let (value, _) = parsed.opening_value(p);
            let resolved = match value {
                PropertyValue::Single(s) => PropertyValue::Single(resolve(state, document, &catalog, &s)),
                PropertyValue::Multiple(v) => PropertyValue::Multiple(
                    v.iter().map(|s| resolve(state, document, &catalog, s)).filter(|s| !s.is_empty() || p.kind == PropertyType::String).collect(),
                ),
            };
            (p.code.clone(), resolved)
        })
        .collect();
    let workflow_id = format!("{}.{}", &random_hex(14), &random_hex(8));
    let event_token = format!("{workflow_id}|{}|{}.{}", state.dialog.activity_name, random_hex(32), random_hex(10));
    let now = now_unix();
    let request = ExecutionRequest {
        workflow_id: workflow_id.clone(),
        code: code.clone(),
        document_id: document.bizproc_id(),
        document_type: document.entity.document_type(),
        event_token: event_token.clone(),
        properties,
        use_subscription: subscribe,
        timeout_duration: 0,
        ts: now,
        auth: Auth {
            access_token: state.tokens.access.clone(),
            refresh_token: state.tokens.refresh.clone(),
            application_token: state.application_token.clone(),
            expires: state.tokens.expires,
            expires_in: 3600,
            scope: "bizproc,crm,user,placement".into(),
            domain: portal_host.into(),
            server_endpoint: format!("http://{portal_host}/oauth-server/rest/"),
            status: "L".into(),
            client_endpoint: format!("http://{portal_host}/rest/"),
            member_id: state.member_id.clone(),
            user_id: rule.fields.get("AUTH_USER_ID").and_then(rulekit_model::lenient::scalar_text).unwrap_or_else(|| "1".into()),
        },
    };
    state.workflows.push(Workflow {
        id: workflow_id.clone(),
        template_id: 12,
        module_id: "crm".into(),
        entity: document.entity.document_class().into(),
        document_id: document.to_string(),
        started: iso_now(),
        started_by: state.current_user,
        modified: iso_now(),
        owned_until: None,
        state: if subscribe { "running".into() } else { "completed".into() },
        history: Vec::new(),
    });
    let mut run = Run {
        event_token,
        workflow_id,
        code,
        document_id: document.to_string(),
        state: if subscribe { "waiting".into() } else { "no subscription".into() },
        ..Run::default()
    };
    crate::run_outcome::sent(&mut run);
    state.runs.push(run);
    Ok((request, handler))
}
