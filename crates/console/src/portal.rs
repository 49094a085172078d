//! The console's one road to the portal: a planner's calls go out through BX24.js, paced and
//! retried by the planner's `Runner`, and come back as plain data. The sections never call
//! BX24.js themselves; they only show the runner's state.

use leptos::prelude::*;
use rulekit_model::planner::{Call, CallError, Plan, Runner, Step};
use serde_json::Value;
use std::time::Duration;

pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// One call through BX24.js, its failure read as the portal's error code.
pub async fn send(call: &Call) -> Result<Value, CallError> {
    bx24::call(&call.method, &call.params, bx24::REST_TIMEOUT)
        .await
        .map_err(|e| CallError { status: e.status, code: e.code, description: e.description })
}

/// Runs `runner` until its plan is done or has nothing to send (paused). `sending` is called with
/// the runner right after a call is handed out and before it goes, so a job saved there already
/// counts that call as in flight.
pub async fn drive<P>(runner: RwSignal<Runner<P>>, sending: impl Fn(&Runner<P>))
where
    P: Plan + Send + Sync + 'static,
{
    loop {
        let Some(step) = runner.try_update(|r| r.step(now_ms())) else { return };
        match step {
            Step::Wait(ms) => bx24::sleep(Duration::from_millis(ms)).await,
            Step::Send(call) => {
                runner.with_untracked(&sending);
                let answer = send(&call).await;
                runner.update(|r| r.answered(now_ms(), answer));
            }
            Step::RefreshAuth => {
                let _ = bx24::refresh_auth().await;
            }
            Step::Done | Step::Idle => return,
        }
    }
}

/// Every row of a list, read 50 pages to a request under the portal's limits.
pub async fn list_all(listing: rulekit_model::planner::Listing) -> Result<Vec<Value>, CallError> {
    let runner = RwSignal::new(Runner::new(listing));
    drive(runner, |_| {}).await;
    runner.with_untracked(|r| match r.plan.error() {
        Some(e) => Err(e.clone()),
        None => Ok(r.plan.rows().to_vec()),
    })
}
