//! The console's one road to the portal: a planner's calls go out through BX24.js, paced and
//! retried by the planner's `Runner`, and come back as plain data. The sections never call
//! BX24.js themselves; they only show the runner's state.

use leptos::prelude::*;
use rulekit_model::planner::{Call, CallError, Plan, Runner, Step};
use serde_json::Value;
use std::cell::RefCell;
use std::time::Duration;

pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// One call through BX24.js, as HTTP would give it: the status and the JSON body (for a failure,
/// the portal's error envelope, which the runner reads for its code and its reset time).
pub async fn send(call: &Call) -> (u16, Value) {
    match bx24::call(&call.method, &call.params, bx24::REST_TIMEOUT).await {
        Ok(whole) => (200, whole),
        Err(f) if f.body.get("error").is_some() => (f.status, f.body),
        Err(f) => (f.status, serde_json::json!({"error": f.code, "error_description": f.description})),
    }
}

/// The same, read as a result: the answer, or the portal's error.
pub async fn send_checked(call: &Call) -> Result<Value, CallError> {
    let (status, body) = send(call).await;
    rulekit_model::planner::runner::read_answer(status, &body)
}

/// The loop every plan runs in: take the next step, wait, send, hand the answer back; until the
/// plan is done or has nothing to send (paused), or its holder is gone (`step` gives `None`).
async fn steps(step: impl Fn(u64) -> Option<Step>, answered: impl Fn(u64, u16, &Value), sending: impl Fn()) {
    loop {
        let Some(next) = step(now_ms()) else { return };
        match next {
            Step::Wait(ms) => bx24::sleep(Duration::from_millis(ms)).await,
            Step::Send(call) => {
                sending();
                let (status, body) = send(&call).await;
                answered(now_ms(), status, &body);
            }
            Step::RefreshAuth => {
                let _ = bx24::refresh_auth().await;
            }
            Step::Done | Step::Idle => return,
        }
    }
}

/// Runs the runner a view shows. `sending` is called with it right after a call is handed out
/// and before it goes, so a job saved there already counts that call as in flight.
pub async fn drive<P>(runner: RwSignal<Runner<P>>, sending: impl Fn(&Runner<P>))
where
    P: Plan + Send + Sync + 'static,
{
    steps(|now| runner.try_update(|r| r.step(now)), |now, status, body| runner.update(|r| r.answered_body(now, status, body)), || runner.with_untracked(&sending)).await
}

/// Runs a plan no view shows to its end, and hands it back.
pub async fn run<P: Plan>(plan: P) -> P {
    let runner = RefCell::new(Runner::new(plan));
    steps(|now| Some(runner.borrow_mut().step(now)), |now, status, body| runner.borrow_mut().answered_body(now, status, body), || {}).await;
    runner.into_inner().plan
}

/// Every row of a list, read 50 pages to a request under the portal's limits.
pub async fn list_all(listing: rulekit_model::planner::Listing) -> Result<Vec<Value>, CallError> {
    let listing = run(listing).await;
    match listing.error() {
        Some(e) => Err(e.clone()),
        None => Ok(listing.rows().to_vec()),
    }
}
