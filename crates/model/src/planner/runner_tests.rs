use super::*;
use crate::planner::fake::{drive, Portal};
use serde_json::json;

/// Sends `n` calls `ping` with `{"n": i}` and keeps what came back.
#[derive(Default)]
struct Pings {
    n: usize,
    next: usize,
    answered: Vec<u64>,
    failed: Vec<(u64, String)>,
}

impl Plan for Pings {
    fn next_call(&mut self, _now: u64) -> Option<Call> {
        (self.next < self.n).then(|| {
            self.next += 1;
            Call { method: "ping".into(), params: json!({"n": self.next - 1}) }
        })
    }
    fn on_answer(&mut self, call: &Call, _answer: &Value, _now: u64) {
        self.answered.push(call.params["n"].as_u64().unwrap_or(u64::MAX));
    }
    fn on_failure(&mut self, call: &Call, error: &CallError, _now: u64) {
        self.failed.push((call.params["n"].as_u64().unwrap_or(u64::MAX), error.code.clone()));
    }
    fn is_done(&self) -> bool {
        self.next == self.n
    }
}

fn pings(n: usize) -> Runner<Pings> {
    Runner::new(Pings { n, ..Pings::default() })
}

fn err(status: u16, code: &str) -> CallError {
    CallError::new(status, code, "")
}

#[test]
fn decisions_follow_the_portal_s_error_codes() {
    assert_eq!(decide(&err(503, "QUERY_LIMIT_EXCEEDED"), 9), Decision::Refused, "refusals never run out");
    assert_eq!(decide(&err(429, "OPERATION_TIME_LIMIT"), 1), Decision::OperationLimit);
    assert_eq!(decide(&err(401, "expired_token"), 1), Decision::RefreshAuth);
    assert_eq!(decide(&err(401, "expired_token"), 2), Decision::Fail, "a second expired token in a row fails");
    assert_eq!(decide(&err(0, ""), 1), Decision::Retry { backoff_ms: 1_000 });
    assert_eq!(decide(&err(500, "INTERNAL_SERVER_ERROR"), 2), Decision::Retry { backoff_ms: 2_000 });
    assert_eq!(decide(&err(503, "OVERLOAD_LIMIT"), 3), Decision::Retry { backoff_ms: 4_000 });
    assert_eq!(decide(&err(503, "OVERLOAD_LIMIT"), 4), Decision::Fail, "three retries, then for good");
    for code in ["ACCESS_DENIED", "NO_AUTH_FOUND", "ERROR_WRONG_WORKFLOW_ID", "insufficient_scope"] {
        assert_eq!(decide(&err(403, code), 1), Decision::Fail, "{code}");
    }
}

#[test]
fn answers_are_read_from_their_envelope() {
    assert_eq!(read_answer(200, &json!({"result": 1})), Ok(json!({"result": 1})));
    assert_eq!(read_answer(401, &json!({"error": "expired_token", "error_description": "x"})), Err(CallError::new(401, "expired_token", "x")));
    assert_eq!(read_answer(502, &json!(null)).map_err(|e| e.status), Err(502));
}

#[test]
fn a_paced_run_is_never_refused() {
    let (mut runner, mut portal, mut now) = (pings(300), Portal::new(), 0);
    let last = drive(&mut runner, &mut now, |call, t| portal.answer(call, t, |_, _| Ok(json!(true))));
    assert_eq!(last, Step::Done);
    assert_eq!(runner.plan.answered, (0..300).collect::<Vec<_>>());
    assert_eq!(runner.stats(), RunStats { requests: 300, ..RunStats::default() });
    assert!(now < 140_000, "near the floor of (300 - 45) / 2 s: {now} ms");
}

#[test]
fn a_refusal_caused_by_another_app_is_retried_and_nothing_is_lost() {
    let (mut runner, mut portal, mut now) = (pings(100), Portal::new(), 0);
    let mut sent = 0;
    drive(&mut runner, &mut now, |call, t| {
        sent += 1;
        if sent == 20 {
            portal.bucket.fill(t); // another app takes all the room
        }
        portal.answer(call, t, |_, _| Ok(json!(true)))
    });
    assert_eq!(runner.plan.answered, (0..100).collect::<Vec<_>>(), "every call answered once, in order");
    assert!(runner.plan.failed.is_empty());
    let stats = runner.stats();
    assert_eq!((stats.refusals, stats.retries, stats.requests), (1, 1, 101));
}

#[test]
fn an_operation_limit_waits_until_its_reset() {
    let mut runner = pings(1);
    let now = 1_700_000_000_000;
    assert!(matches!(runner.step(now), Step::Send(_)));
    let body = json!({"error": "OPERATION_TIME_LIMIT", "error_description": "Method is blocked", "time": {"operating_reset_at": 1_700_000_120}});
    runner.answered_body(now, 429, &body);
    assert_eq!(runner.step(now), Step::Wait(120_000));
    assert!(matches!(runner.step(now + 120_000), Step::Send(c) if c.params["n"] == 0), "the same call again");
    runner.answered(now + 120_010, Ok(json!({"result": true})));
    assert_eq!(runner.step(now + 120_020), Step::Done);

    let mut runner = pings(1);
    runner.step(0);
    runner.answered(0, Err(err(429, "OPERATION_TIME_LIMIT")));
    assert_eq!(runner.step(0), Step::Wait(OPERATION_WAIT_MS), "no reset given: a minute");
}

#[test]
fn an_expired_token_is_refreshed_once_then_the_call_resent() {
    let mut runner = pings(2);
    let Step::Send(first) = runner.step(0) else { panic!("a call") };
    runner.answered(10, Err(err(401, "expired_token")));
    assert_eq!(runner.step(20), Step::RefreshAuth);
    assert_eq!(runner.step(30), Step::Send(first.clone()));
    runner.answered(40, Ok(json!({"result": true})));
    assert_eq!(runner.plan.answered, [0]);

    let Step::Send(second) = runner.step(50) else { panic!("a call") };
    runner.answered(60, Err(err(401, "expired_token")));
    assert_eq!(runner.step(70), Step::RefreshAuth);
    assert_eq!(runner.step(80), Step::Send(second));
    runner.answered(90, Err(err(401, "expired_token")));
    assert_eq!(runner.plan.failed, [(1, "expired_token".to_string())], "a second expired token in a row fails the call");
    assert_eq!(runner.step(100), Step::Done);
    assert_eq!(runner.stats().refreshes, 2);
}

#[test]
fn passing_faults_are_retried_three_times_with_backoff() {
    let mut runner = pings(1);
    let mut now = 0;
    let mut failures = 0;
    drive(&mut runner, &mut now, |_, _| {
        failures += 1;
        if failures <= 3 { Err(err(0, "")) } else { Ok(json!({"result": true})) }
    });
    assert_eq!(runner.plan.answered, [0]);
    assert!(now >= 7_000, "1 + 2 + 4 s of backoff: {now}");

    let mut runner = pings(1);
    drive(&mut runner, &mut 0, |_, _| Err(err(503, "OVERLOAD_LIMIT")));
    assert_eq!(runner.plan.failed, [(0, "OVERLOAD_LIMIT".to_string())]);
    assert_eq!(runner.stats().requests, 4);

    let mut runner = pings(1);
    drive(&mut runner, &mut 0, |_, _| Err(err(403, "ACCESS_DENIED")));
    assert_eq!((runner.plan.failed.len(), runner.stats().requests), (1, 1), "other errors fail at once");
}

#[test]
fn nothing_is_sent_while_a_call_is_out() {
    let mut runner = pings(2);
    assert!(matches!(runner.step(0), Step::Send(_)));
    assert_eq!(runner.step(0), Step::Idle);
    runner.answered(5, Ok(json!({"result": 1})));
    assert!(matches!(runner.step(5), Step::Send(_)));
}
