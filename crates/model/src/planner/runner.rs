//! Pacing and retries around any plan, one call at a time (sans-IO): the caller asks `step` what to
//! do, does it, and hands the answer to `answered`. Refusals for the request limit, the method's
//! time limit and an expired token are the portal's or the session's state, not the call's fault:
//! the same call goes again, so no plan ever sees them.

use super::{Call, CallError};
use crate::rate::Pacer;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub trait Plan {
    /// The next call, or None when nothing more is to be sent now (done, paused, or waiting for answers).
    fn next_call(&mut self, now_ms: u64) -> Option<Call>;
    /// The full JSON answer of a call that succeeded (`{"result": ..., "total": ..., "next": ...}`).
    fn on_answer(&mut self, call: &Call, answer: &Value, now_ms: u64);
    /// A call that failed for good (not a limit or an expired token: those the runner retries).
    fn on_failure(&mut self, call: &Call, error: &CallError, now_ms: u64);
    fn is_done(&self) -> bool;
    /// When a plan that has nothing to send now will have something again (it holds back work the
    /// portal refused inside a batch): the runner waits for it instead of going idle.
    fn resume_at(&self) -> Option<u64> {
        None
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// Ask again after this many milliseconds.
    Wait(u64),
    Send(Call),
    /// Refresh the session's token (`BX24.refreshAuth`), then ask again: the call is sent again.
    RefreshAuth,
    Done,
    /// Nothing to send: the plan is paused, or a call is out and its answer is awaited.
    Idle,
}

/// What to do about a failed call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// `QUERY_LIMIT_EXCEEDED`: the bucket is full (whoever filled it); the same call after the pacer's wait.
    Refused,
    /// `OPERATION_TIME_LIMIT`: the same call once the method's time resets.
    OperationLimit,
    /// An expired token, the first in a row: refresh, then the same call.
    RefreshAuth,
    /// A passing fault (no answer, a server error, an overload): the same call after `backoff_ms`.
    Retry { backoff_ms: u64 },
    /// For good: the plan is told.
    Fail,
}

/// Passing faults are retried this many times.
pub const MAX_RETRIES: u32 = 3;
/// Without the answer's `operating_reset_at`, an operation limit is waited out this long.
pub const OPERATION_WAIT_MS: u64 = 60_000;
/// The method time limit counts over ten one-minute buckets: no reset is further away than this.
const OPERATION_WAIT_MAX_MS: u64 = 10 * 60_000;

/// The decision for `error`, the `attempts`-th failure in a row of this call with this same error
/// (1 on the first).
pub fn decide(error: &CallError, attempts: u32) -> Decision {
    let code = error.code.as_str();
    let is = |c: &str| code.eq_ignore_ascii_case(c);
    if is("QUERY_LIMIT_EXCEEDED") {
        Decision::Refused
    } else if is("OPERATION_TIME_LIMIT") || error.status == 429 {
        Decision::OperationLimit
    } else if is("expired_token") {
        if attempts <= 1 { Decision::RefreshAuth } else { Decision::Fail }
    } else if matches!(error.status, 0 | 500 | 502 | 504) || is("OVERLOAD_LIMIT") || is("INTERNAL_SERVER_ERROR") {
        if attempts <= MAX_RETRIES { Decision::Retry { backoff_ms: 1_000 << (attempts.max(1) - 1) } } else { Decision::Fail }
    } else {
        Decision::Fail
    }
}

/// Reads an HTTP answer: an `error` in the body (any status) is a failed call.
pub fn read_answer(status: u16, body: &Value) -> Result<Value, CallError> {
    match body.get("error") {
        Some(code) => {
            let code = crate::lenient::scalar_text(code).unwrap_or_default();
            let description = body.get("error_description").and_then(Value::as_str).unwrap_or_default();
            Err(CallError::new(status, code, description))
        }
        None if (200..300).contains(&status) => Ok(body.clone()),
        None => Err(CallError::new(status, "HTTP_ERROR", format!("HTTP {status}"))),
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunStats {
    /// Calls handed out to be sent, retries included.
    pub requests: u64,
    /// `QUERY_LIMIT_EXCEEDED` answers seen.
    pub refusals: u64,
    /// Calls sent again (after a refusal, a limit, a refresh or a passing fault).
    pub retries: u64,
    pub refreshes: u64,
}

#[derive(Clone, Debug)]
struct Attempt {
    call: Call,
    sent_ms: u64,
    /// The last failure's status and code, and how many times in a row it came.
    last: Option<(u16, String)>,
    in_a_row: u32,
}

pub struct Runner<P: Plan> {
    pub plan: P,
    pacer: Pacer,
    /// The call out, awaiting its answer.
    out: Option<Attempt>,
    /// A call to send again.
    again: Option<Attempt>,
    refresh: bool,
    /// A backoff: no request before this time.
    not_before_ms: u64,
    stats: RunStats,
}

impl<P: Plan> Runner<P> {
    pub fn new(plan: P) -> Self {
        Runner::with_pacer(plan, Pacer::portal())
    }

    pub fn with_pacer(plan: P, pacer: Pacer) -> Self {
        Runner { plan, pacer, out: None, again: None, refresh: false, not_before_ms: 0, stats: RunStats::default() }
    }

    pub fn step(&mut self, now_ms: u64) -> Step {
        if self.out.is_some() {
            return Step::Idle;
        }
        if self.refresh {
            self.refresh = false;
            self.stats.refreshes += 1;
            return Step::RefreshAuth;
        }
        if self.again.is_none() && self.plan.is_done() {
            return Step::Done;
        }
        let wait = self.pacer.delay_ms(now_ms).max(self.not_before_ms.saturating_sub(now_ms));
        if wait > 0 {
            return Step::Wait(wait);
        }
        let attempt = match self.again.take() {
            Some(a) => {
                self.stats.retries += 1;
                Attempt { sent_ms: now_ms, ..a }
            }
            None => match self.plan.next_call(now_ms) {
                Some(call) => Attempt { call, sent_ms: now_ms, last: None, in_a_row: 0 },
                None if self.plan.is_done() => return Step::Done,
                None => {
                    return match self.plan.resume_at() {
                        Some(at) if at > now_ms => Step::Wait(at - now_ms),
                        _ => Step::Idle,
                    }
                }
            },
        };
        self.stats.requests += 1;
        let call = attempt.call.clone();
        self.out = Some(attempt);
        Step::Send(call)
    }

    /// The answer to the call `step` handed out (ignored when none is out).
    pub fn answered(&mut self, now_ms: u64, result: Result<Value, CallError>) {
        self.settle(now_ms, result, None);
    }

    /// The answer as it came over HTTP: its status and JSON body (an error envelope carries
    /// `time.operating_reset_at`, in unix seconds, when a method's time limit was hit; `now_ms`
    /// is then taken as unix milliseconds).
    pub fn answered_body(&mut self, now_ms: u64, status: u16, body: &Value) {
        let reset_ms = crate::lenient::uint(&body["time"]["operating_reset_at"]).map(|s| s.saturating_mul(1000));
        self.settle(now_ms, read_answer(status, body), reset_ms);
    }

    fn settle(&mut self, now_ms: u64, result: Result<Value, CallError>, reset_ms: Option<u64>) {
        let Some(mut attempt) = self.out.take() else { return };
        let error = match result {
            Ok(answer) => {
                self.pacer.sent(attempt.sent_ms);
                self.plan.on_answer(&attempt.call, &answer, now_ms);
                return;
            }
            Err(e) => e,
        };
        let key = (error.status, error.code.clone());
        attempt.in_a_row = if attempt.last.as_ref() == Some(&key) { attempt.in_a_row + 1 } else { 1 };
        attempt.last = Some(key);
        let decision = decide(&error, attempt.in_a_row);
        if decision == Decision::Refused {
            // A refused request took nothing from the bucket, and says it is full.
            self.stats.refusals += 1;
            self.pacer.refused(now_ms);
        } else {
            self.pacer.sent(attempt.sent_ms);
        }
        match decision {
            Decision::Refused => {}
            Decision::OperationLimit => {
                // A reset out of range (a skewed clock, a bench on relative time) is not trusted.
                let reset = reset_ms.filter(|r| *r > now_ms && *r <= now_ms + OPERATION_WAIT_MAX_MS);
                self.pacer.operation_limit(now_ms, reset.unwrap_or(now_ms + OPERATION_WAIT_MS));
            }
            Decision::RefreshAuth => self.refresh = true,
            Decision::Retry { backoff_ms } => self.not_before_ms = now_ms + backoff_ms,
            Decision::Fail => {
                self.plan.on_failure(&attempt.call, &error, now_ms);
                return;
            }
        }
        self.again = Some(attempt);
    }

    pub fn stats(&self) -> RunStats {
        self.stats
    }
}

#[cfg(test)]
#[path = "runner_tests.rs"]
mod tests;
