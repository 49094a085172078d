//! REST emulation on `/rest/<method>` and `/rest/<method>.json`: auth checks, the error envelope
//! with the portal's HTTP statuses (400 for bad input, 401 for auth, 403 for rights, 404 for an
//! unknown method, 503 over the limit), pagination (50 a page), `batch`, and the leaky bucket.

pub mod app;
pub mod auth;
pub mod batch;
pub mod bizproc;
pub mod crm;
pub mod delegate;
pub mod instances;
pub mod listing;
pub mod tasks;
pub mod timeline;
pub mod users;
pub mod workflows;

pub use auth::{check_auth, token_for};
pub use batch::{batch, batch_as};

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
    let mut items = Some(items);
    page_of(items.as_ref().map_or(0, Vec::len), params, |from, to| {
        items.take().unwrap_or_default().into_iter().skip(from).take(to - from).collect()
    })
}

/// The offset a list call asks for (`start`; `-1` and nonsense are 0).
pub fn page_start(params: &Value) -> usize {
    param(params, "start").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0).max(0) as usize
}

/// One page of `total` rows, of which only the page's (`from..to`) are built.
pub fn page_of(total: usize, params: &Value, rows: impl FnOnce(usize, usize) -> Vec<Value>) -> Reply {
    let count_total = param(params, "start").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0) >= 0;
    let from = page_start(params).min(total);
    let to = (from + PAGE).min(total);
    let next = (from + PAGE < total).then_some(from + PAGE);
    Reply { result: Value::Array(rows(from, to)), total: count_total.then_some(total), next }
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

/// Runs one method (not `batch`) as the app's user, `current_user`.
pub fn dispatch(state: &mut State, method: &str, params: &Value) -> RestResult {
    let user = state.current_user;
    let out = dispatch_as(state, user, method, params);
    state.settle();
    out
}

/// Runs one method (not `batch`) as `user`, counted in the stats. What `kill` removed is only
/// marked until `State::settle`, which the caller runs once the request is done.
pub fn dispatch_as(state: &mut State, user: u64, method: &str, params: &Value) -> RestResult {
    let m = method.to_ascii_lowercase();
    let m = m.strip_suffix(".json").unwrap_or(&m);
    state.stats.method(m);
    if let Some(refused) = state.failures.take(m) {
        return Err(refused);
    }
    let admin = || auth::require_admin(state, user);
    match m {
        "bizproc.robot.add" | "bizproc.activity.add" => admin().and_then(|_| bizproc::add(state, params, m.contains("robot"))),
        "bizproc.robot.update" | "bizproc.activity.update" => admin().and_then(|_| bizproc::update(state, params, m.contains("robot"))),
        "bizproc.robot.delete" | "bizproc.activity.delete" => admin().and_then(|_| bizproc::delete(state, params, m.contains("robot"))),
        "bizproc.robot.list" | "bizproc.activity.list" => admin().and_then(|_| bizproc::list(state, m.contains("robot"))),
        "bizproc.event.send" => workflows::event_send(state, params),
        "bizproc.activity.log" => workflows::activity_log(state, params),
        "bizproc.workflow.instances" | "bizproc.workflow.instance.list" => admin().and_then(|_| instances::instances(state, params)),
        "bizproc.workflow.terminate" => workflows::terminate(state, user, params, false),
        "bizproc.workflow.kill" => workflows::terminate(state, user, params, true),
        "bizproc.workflow.template.list" => admin().and_then(|_| tasks::template_list(state, params)),
        "bizproc.task.list" => tasks::task_list(state, user, params),
        "bizproc.task.delegate" => delegate::delegate(state, user, params),
        "user.get" => users::get(state, user, params),
        "user.search" => users::search(state, user, params),
        "user.current" => users::current(state, user),
        "user.admin" => users::admin(state, user),
        "profile" => users::profile(state, user),
        "crm.item.get" => crm::get(state, params),
        "crm.item.add" => crm::add(state, params),
        "crm.item.list" => crm::list(state, params),
        "crm.item.productrow.list" => crm::rows_list(state, params),
        "crm.item.productrow.set" => crm::rows_set(state, params),
        "crm.timeline.comment.add" => timeline::add(state, user, params),
        "crm.timeline.comment.get" => timeline::get(state, params),
        "crm.timeline.comment.list" => timeline::list(state, params),
        "app.info" => app::info(state),
        "app.option.get" => app::option_get(state, params),
        "app.option.set" => admin().and_then(|_| app::option_set(state, params)),
        "batch" => Err(RestError::bad("ERROR_BATCH_METHOD_NOT_ALLOWED", "Batch call cannot contain batch")),
        _ => Err(RestError::new(404, "ERROR_METHOD_NOT_FOUND", format!("Method not found: {method}"))),
    }
}
