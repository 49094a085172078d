//! A fake portal for the planner's tests: the portal's leaky bucket in front, `batch` unpacked into
//! its commands (each `method?query` line decoded as the portal would), list methods answered in
//! pages of 50 from a Vec.

use super::{Call, CallError, Plan, Runner, Step};
use crate::rate::{LeakyBucket, PORTAL_BURST, PORTAL_RATE};
use crate::{batch, form_encoding, lenient};
use serde_json::{json, Map, Value};

/// One command's answer: its result, or `(code, description)`.
pub type Reply = Result<Value, (String, String)>;

pub struct Portal {
    pub bucket: LeakyBucket,
    /// Calls that reached the portal (not refused).
    pub served: usize,
}

impl Portal {
    pub fn new() -> Self {
        Portal { bucket: LeakyBucket::new(PORTAL_RATE, PORTAL_BURST), served: 0 }
    }

    /// Answers `call` at `now` with `one` answering each method (inside a batch or not), unless the
    /// bucket refuses it.
    pub fn answer(&mut self, call: &Call, now: u64, mut one: impl FnMut(&str, &Value) -> Reply) -> Result<Value, CallError> {
        if !self.bucket.try_take(now) {
            return Err(CallError::new(503, "QUERY_LIMIT_EXCEEDED", "Too many requests"));
        }
        self.served += 1;
        if call.method != "batch" {
            return match one(&call.method, &call.params) {
                Ok(v) if v.get("result").is_some() => Ok(v),
                Ok(v) => Ok(json!({ "result": v })),
                Err((code, text)) => Err(CallError::new(400, code, text)),
            };
        }
        Ok(batch_answer(&call.params, one))
    }
}

/// The answer of a `batch`: each `cmd` line decoded and answered by `one`.
pub fn batch_answer(params: &Value, mut one: impl FnMut(&str, &Value) -> Reply) -> Value {
    let (mut results, mut errors) = (Map::new(), Map::new());
    for (key, line) in params["cmd"].as_object().cloned().unwrap_or_default() {
        let line = line.as_str().unwrap_or_default();
        let (method, query) = line.split_once('?').unwrap_or((line, ""));
        let decoded = form_encoding::decode(query).unwrap_or_default();
        match one(method, &decoded) {
            // A list command's page comes back as its bare list inside a batch.
            Ok(v) => drop(results.insert(key, v.get("result").cloned().unwrap_or(v))),
            Err((code, text)) => drop(errors.insert(key, json!({"error": code, "error_description": text}))),
        }
    }
    json!({"result": {"result": results, "result_error": errors}})
}

/// One page of `rows`, at the `start` the parameters name.
pub fn page(rows: &[Value], params: &Value) -> Value {
    let start = lenient::uint(&params["start"]).unwrap_or(0) as usize;
    let end = (start + batch::PAGE).min(rows.len());
    let mut answer = json!({"result": rows.get(start..end).unwrap_or_default(), "total": rows.len()});
    if end < rows.len() {
        answer["next"] = json!(end);
    }
    answer
}

/// Runs `runner` against `serve` until it is done or idle, from `*now` on (advanced as it waits),
/// and returns the last step.
pub fn drive<P: Plan>(runner: &mut Runner<P>, now: &mut u64, mut serve: impl FnMut(&Call, u64) -> Result<Value, CallError>) -> Step {
    for _ in 0..100_000 {
        match runner.step(*now) {
            Step::Wait(ms) => *now += ms,
            Step::Send(call) => {
                let result = serve(&call, *now);
                *now += 10;
                runner.answered(*now, result);
            }
            Step::RefreshAuth => *now += 100,
            last => return last,
        }
    }
    panic!("the run did not end")
}
