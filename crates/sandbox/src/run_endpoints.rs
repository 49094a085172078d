//! "Run the rule": the execution request the queue server POSTs to a rule's `HANDLER`, and the
//! receiver that answers for the demo rule when no handler is configured.

use crate::outgoing::post_form;
use crate::{rest, run, Sandbox};
use axum::body::Bytes;
use axum::extract::State as AxState;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

/// `{"code", "document_id"}` (the dialog's rule, on a record of its document type by default:
/// `run::default_document`): POSTs the run to the rule's handler and answers with the run, the
/// handler's status or error in it.
pub async fn run_rule(AxState(s): AxState<Sandbox>, body: Bytes) -> Response {
    let body: Value = serde_json::from_slice(&body).unwrap_or(json!({}));
    let document = body.get("document_id").and_then(Value::as_str).map(str::to_string);
    let code = body.get("code").and_then(Value::as_str).map(str::to_string);
    let prepared = s.with_state(|st| {
        let code = code.unwrap_or_else(|| st.dialog.code.clone());
        let document = document.unwrap_or_else(|| run::default_document(st, &code));
        run::prepare(st, &s.portal_host, &code, &document)
    });
    let (request, handler) = match prepared {
        Ok(p) => p,
        Err(e) => return (StatusCode::BAD_REQUEST, Json(json!({"error": e}))).into_response(),
    };
    let token = request.event_token.clone();
    let outcome = post_form(&handler, request.to_form()).await;
    let run = s.with_state(|st| {
        let run = st.runs.iter_mut().find(|r| r.event_token == token)?;
        crate::run_outcome::acknowledged(run, &outcome);
        match outcome {
            Ok(status) => run.handler_status = Some(status),
            Err(e) => run.handler_error = Some(e),
        }
        serde_json::to_value(&*run).ok()
    });
    Json(json!({"run": run})).into_response()
}

/// The demo rule's handler until a real one is configured: it takes the run and answers at once
/// through `bizproc.event.send`, so the whole loop shows on the page.
pub async fn receiver(AxState(s): AxState<Sandbox>, body: String) -> StatusCode {
    let Ok(form) = rulekit_model::form_encoding::decode(&body) else { return StatusCode::BAD_REQUEST };
    let token = form.get("event_token").and_then(Value::as_str).unwrap_or_default().to_string();
    let count = form.get("properties").and_then(Value::as_object).map_or(0, |p| p.len());
    let params = json!({"EVENT_TOKEN": token, "RETURN_VALUES": {"result": format!("{count} properties received")},
        "LOG_MESSAGE": "The sandbox's demo receiver took the run."});
    match s.with_state(|st| rest::workflows::event_send(st, &params)) {
        Ok(_) => StatusCode::OK,
        Err(_) => StatusCode::UNAUTHORIZED,
    }
}
