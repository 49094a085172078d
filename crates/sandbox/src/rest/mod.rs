//! REST emulation on `/rest/<method>` and `/rest/<method>.json`: auth checks, the error envelope
//! with the portal's HTTP statuses (400 for bad input, 401 for auth, 403 for rights, 404 for an
//! unknown method, 503 over the limit), pagination (50 a page), `batch`, and the leaky bucket.

pub mod batch;
pub mod bizproc;
pub mod crm;
pub mod listing;
pub mod timeline;
pub mod users;
pub mod workflows;

pub use batch::batch;

use crate::clock::now_unix;
use crate::state::State;
use rulekit_model::lenient::{get_ci, scalar_text};
use serde_json::{json, Value};
use std::time::Instant;

pub const PAGE: usize = 50;

#[derive(Debug, Clone, PartialEq)]
pub struct RestError {
    pub status: u16,
    pub error: String,
    pub description: String,
}

impl RestError {
    pub fn new(status: u16, error: &str, description: impl Into<String>) -> Self {
        RestError { status, error: error.into(), description: description.into() }
    }
    pub fn bad(error: &str, description: impl Into<String>) -> Self {
        Self::new(400, error, description)
    }
    pub fn body(&self) -> Value {
        json!({"error": self.error, "error_description": self.description})
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Reply {
    pub result: Value,
    pub total: Option<usize>,
    pub next: Option<usize>,
}

impl Reply {
    pub fn of(result: Value) -> Self {
        Reply { result, total: None, next: None }
    }
    pub fn body(&self) -> Value {
        let mut b = json!({"result": self.result});
        if let Some(t) = self.total {
            b["total"] = json!(t);
        }
        if let Some(n) = self.next {
            b["next"] = json!(n);
        }
        b["time"] = json!({"start": now_unix(), "finish": now_unix(), "duration": 0.001, "processing": 0.0,
            "operating": 0, "operating_reset_at": now_unix() + 600});
        b
    }
}

pub type RestResult = Result<Reply, RestError>;

/// One page of a list: `start` is the offset of the page (the previous answer's `next`); `-1`
/// skips the count, as the portal does for large sets.
pub fn page(items: Vec<Value>, params: &Value) -> Reply {
    let start = param(params, "start").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let count_total = start >= 0;
    let from = start.max(0) as usize;
    let total = items.len();
    let slice: Vec<Value> = items.into_iter().skip(from).take(PAGE).collect();
    let next = (from + PAGE < total).then_some(from + PAGE);
    Reply { result: Value::Array(slice), total: count_total.then_some(total), next }
}

/// A parameter as text, in any key case.
pub fn param(params: &Value, key: &str) -> Option<String> {
    params.as_object().and_then(|m| get_ci(m, key)).and_then(scalar_text)
}

/// A parameter as JSON, in any key case.
pub fn param_value<'a>(params: &'a Value, key: &str) -> Option<&'a Value> {
    params.as_object().and_then(|m| get_ci(m, key))
}

/// The per-portal leaky bucket: the model's, on the sandbox's clock, so the sandbox refuses exactly
/// when a caller pacing itself with the same model expects it to.
#[derive(Debug)]
pub struct Bucket {
    bucket: rulekit_model::rate::LeakyBucket,
    started: Instant,
}

impl Bucket {
    pub fn new(rate: f64, burst: f64) -> Self {
        Bucket { bucket: rulekit_model::rate::LeakyBucket::new(rate, burst), started: Instant::now() }
    }

    /// Takes one request; `false` when the bucket is full.
    pub fn take(&mut self) -> bool {
        self.bucket.try_take(self.started.elapsed().as_millis() as u64)
    }
}

/// Checks the `auth` token of a call.
pub fn check_auth(state: &State, token: Option<&str>) -> Result<(), RestError> {
    match token.filter(|t| !t.is_empty()) {
        None => Err(RestError::new(401, "NO_AUTH_FOUND", "Wrong authorization data")),
        Some(t) if t != state.tokens.access => Err(RestError::new(401, "invalid_token", "Unable to get application by token")),
        Some(_) if state.tokens.expires <= now_unix() => Err(RestError::new(401, "expired_token", "The access token provided has expired.")),
        Some(_) => Ok(()),
    }
}

/// Runs one method (not `batch`).
pub fn dispatch(state: &mut State, method: &str, params: &Value) -> RestResult {
    let m = method.to_ascii_lowercase();
    let m = m.strip_suffix(".json").unwrap_or(&m);
    match m {
        "bizproc.robot.add" => bizproc::add(state, params, true),
        "bizproc.activity.add" => bizproc::add(state, params, false),
        "bizproc.robot.update" => bizproc::update(state, params, true),
        "bizproc.activity.update" => bizproc::update(state, params, false),
        "bizproc.robot.delete" => bizproc::delete(state, params, true),
        "bizproc.activity.delete" => bizproc::delete(state, params, false),
        "bizproc.robot.list" => bizproc::list(state, true),
        "bizproc.activity.list" => bizproc::list(state, false),
        "bizproc.event.send" => workflows::event_send(state, params),
        "bizproc.activity.log" => workflows::activity_log(state, params),
        "bizproc.workflow.instances" | "bizproc.workflow.instance.list" => workflows::instances(state, params),
        "bizproc.workflow.terminate" => workflows::terminate(state, params, false),
        "bizproc.workflow.kill" => workflows::terminate(state, params, true),
        "bizproc.task.list" => workflows::task_list(state, params),
        "user.get" => users::get(state, params),
        "user.current" => users::current(state),
        "crm.item.get" => crm::get(state, params),
        "crm.item.add" => crm::add(state, params),
        "crm.item.list" => crm::list(state, params),
        "crm.item.productrow.list" => crm::rows_list(state, params),
        "crm.item.productrow.set" => crm::rows_set(state, params),
        "crm.timeline.comment.add" => timeline::add(state, params),
        "crm.timeline.comment.get" => timeline::get(state, params),
        "crm.timeline.comment.list" => timeline::list(state, params),
        "app.info" => Ok(Reply::of(json!({"ID": 17, "CODE": state.client_id, "VERSION": 1, "STATUS": "L",
            "INSTALLED": true, "PAYMENT_EXPIRED": "N", "DAYS": null, "LICENSE": "en_project",
            "LANGUAGE_ID": "en", "member_id": state.member_id}))),
        "batch" => Err(RestError::bad("ERROR_BATCH_METHOD_NOT_ALLOWED", "Batch call cannot contain batch")),
        _ => Err(RestError::new(404, "ERROR_METHOD_NOT_FOUND", format!("Method not found: {method}"))),
    }
}
