use super::*;
use crate::planner::fake::{batch_answer, drive, Portal, Reply};
use crate::planner::workflows::WorkflowRow;
use crate::planner::{Runner, Step};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};

/// The portal's running workflows, and how often each was stopped.
struct Workflows {
    live: BTreeSet<String>,
    stops: BTreeMap<String, u32>,
    /// Ids whose stop the portal refuses.
    refuse: BTreeSet<String>,
}

impl Workflows {
    fn new(n: usize) -> Self {
        Workflows { live: (0..n).map(|i| format!("w{i}")).collect(), stops: BTreeMap::new(), refuse: BTreeSet::new() }
    }

    fn reply(&mut self, method: &str, params: &Value) -> Reply {
        let id = params["ID"].as_str().or(params["filter"]["ID"].as_str()).unwrap_or_default().to_string();
        match method {
            "bizproc.workflow.instances" => Ok(json!(if self.live.contains(&id) { vec![json!({"ID": id})] } else { vec![] })),
            _ if self.refuse.contains(&id) => Err(("ACCESS_DENIED".into(), "Access denied!".into())),
            "bizproc.workflow.kill" | "bizproc.workflow.terminate" if self.live.remove(&id) => {
                *self.stops.entry(id).or_insert(0) += 1;
                Ok(json!(true))
            }
            _ => Err(("ERROR_WRONG_WORKFLOW_ID".into(), "Unknown workflow instance".into())),
        }
    }
}

fn rows(n: usize) -> Vec<WorkflowRow> {
    (0..n)
        .filter_map(|i| WorkflowRow::from_json(&json!({"ID": format!("w{i}"), "DOCUMENT_ID": format!("DEAL_{i}")})))
        .collect()
}

fn run(job: Job, portal: &mut Workflows) -> Runner<Job> {
    let mut runner = Runner::new(job);
    let mut bucket = Portal::new();
    assert_eq!(drive(&mut runner, &mut 0, |call, now| bucket.answer(call, now, |m, p| portal.reply(m, p))), Step::Done);
    runner
}

#[test]
fn a_thousand_items_take_twenty_batches() {
    let mut portal = Workflows::new(1_000);
    let runner = run(Job::new("Stop", stop_items(&rows(1_000), true, ""), 0), &mut portal);
    assert_eq!((runner.stats().requests, runner.plan.sent), (20, 20));
    assert!(portal.live.is_empty() && portal.stops.values().all(|n| *n == 1));
    assert!(runner.plan.outcomes.iter().all(|o| *o == Some(Outcome::Done)));
}

#[test]
fn stop_items_kill_or_terminate_and_check_by_id() {
    let items = stop_items(&rows(1), false, "Left the company");
    assert_eq!(items[0].command.method, "bizproc.workflow.terminate");
    assert_eq!(items[0].command.params, json!({"ID": "w0", "STATUS": "Left the company"}));
    assert_eq!(items[0].label, "DEAL_0");
    let verify = items[0].verify.clone().unwrap();
    assert_eq!((verify.method.as_str(), verify.params), ("bizproc.workflow.instances", json!({"select": ["ID"], "filter": {"ID": "w0"}})));
    assert_eq!(stop_items(&rows(1), true, "")[0].command.params, json!({"ID": "w0"}));
}

/// Sends two batches, then the third is out when the page closes: the portal `applied` it or
/// not. The job read back from storage finishes, and every workflow is stopped exactly once.
fn reload_in_the_middle(applied: bool) -> (Job, Workflows) {
    let mut portal = Workflows::new(120);
    let mut job = Job::new("Stop", stop_items(&rows(120), true, ""), 0);
    for _ in 0..2 {
        let call = job.next_call(0).unwrap();
        job.on_answer(&call, &batch_answer(&call.params, |m, p| portal.reply(m, p)), 0);
    }
    let call = job.next_call(0).unwrap();
    let stored = job.to_json();
    if applied {
        batch_answer(&call.params, |m, p| portal.reply(m, p)); // the answer never reached the page
    }
    let mut job = Job::from_json(&stored).expect("a stored job reads back");
    assert_eq!(job.in_flight.len(), 20, "the items of the call out were stored as in flight");
    job.reloaded();
    let job = run(job, &mut portal).plan;
    (job, portal)
}

#[test]
fn a_reload_in_the_middle_stops_every_workflow_exactly_once() {
    for applied in [true, false] {
        let (job, portal) = reload_in_the_middle(applied);
        assert!(portal.live.is_empty(), "applied: {applied}");
        assert_eq!(portal.stops.len(), 120);
        assert!(portal.stops.values().all(|n| *n == 1), "applied: {applied}: {:?}", portal.stops.iter().find(|(_, n)| **n != 1));
        let before = job.outcomes.iter().filter(|o| **o == Some(Outcome::DoneBeforeReload)).count();
        assert_eq!(before, if applied { 20 } else { 0 });
        assert_eq!(job.progress(1).done, 120);
    }
}

#[test]
fn a_command_without_a_check_is_not_sent_again_after_a_reload() {
    let mut items = stop_items(&rows(3), true, "");
    items[1].verify = None;
    let mut job = Job::new("x", items, 0);
    job.next_call(0).unwrap();
    let mut job = Job::from_json(&job.to_json()).unwrap();
    job.reloaded();
    assert!(matches!(&job.outcomes[1], Some(Outcome::Failed { code, .. }) if code == UNKNOWN));
    assert_eq!(job.to_verify, [0, 2]);
    assert_eq!(Job::from_json("{}"), None);
    assert_eq!(Job::from_json("not json"), None);
}

#[test]
fn pause_holds_calls_and_cancel_marks_the_rest() {
    let mut job = Job::new("x", stop_items(&rows(120), true, ""), 0);
    job.pause();
    assert_eq!(job.next_call(0), None);
    let mut runner = Runner::new(job);
    assert_eq!(runner.step(0), Step::Idle, "paused");
    runner.plan.resume();
    let Step::Send(call) = runner.step(0) else { panic!("a call once resumed") };
    runner.plan.cancel();
    let mut portal = Workflows::new(120);
    runner.answered(10, Ok(batch_answer(&call.params, |m, p| portal.reply(m, p))));
    assert_eq!(runner.step(20), Step::Done);
    let p = runner.plan.progress(1_000);
    assert_eq!((p.done, p.cancelled, p.failed, p.finished), (50, 70, 0, true), "the call out still got its answers");
}

#[test]
fn one_item_s_error_does_not_stop_the_others() {
    let mut portal = Workflows::new(60);
    portal.refuse.insert("w7".into());
    let job = run(Job::new("x", stop_items(&rows(60), false, "stop"), 0), &mut portal).plan;
    let report = job.report();
    assert_eq!(report[7].2, Some(Outcome::Failed { code: "ACCESS_DENIED".into(), description: "Access denied!".into() }));
    assert_eq!(report.iter().filter(|r| r.2 == Some(Outcome::Done)).count(), 59);
    assert_eq!((report[8].0.as_str(), report[8].1.as_str()), ("w8", "DEAL_8"));
}

#[test]
fn a_batch_that_failed_for_good_fails_its_items_only() {
    let mut job = Job::new("x", stop_items(&rows(60), true, ""), 0);
    let call = job.next_call(0).unwrap();
    job.on_failure(&call, &CallError::new(0, "", "no answer"), 0);
    assert_eq!(job.outcomes.iter().filter(|o| matches!(o, Some(Outcome::Failed { .. }))).count(), 50);
    let call = job.next_call(0).unwrap();
    assert_eq!(call.params["cmd"].as_object().map(|m| m.len()), Some(10), "the rest still go");
}

#[test]
fn commands_refused_for_limits_inside_a_batch_go_again_later() {
    let mut job = Job::new("x", stop_items(&rows(2), true, ""), 0);
    let call = job.next_call(0).unwrap();
    let answer = json!({"result": {"result": {"i0": true}, "result_error": {"i1": {"error": "OPERATION_TIME_LIMIT", "error_description": "Method is blocked"}}}});
    job.on_answer(&call, &answer, 1_000);
    assert_eq!(job.outcomes, [Some(Outcome::Done), None]);
    assert_eq!((job.next_call(2_000), job.resume_at()), (None, Some(61_000)));
    let again = job.next_call(61_000).unwrap();
    assert_eq!(again.params["cmd"], json!({"i1": "bizproc.workflow.kill?ID=w1"}));
}

#[test]
fn progress_counts_pace_and_time_left() {
    let mut portal = Workflows::new(100);
    let mut job = Job::new("x", stop_items(&rows(100), true, ""), 1_000);
    let call = job.next_call(1_000).unwrap();
    job.on_answer(&call, &batch_answer(&call.params, |m, p| portal.reply(m, p)), 6_000);
    let p = job.progress(6_000);
    assert_eq!((p.done, p.failed, p.total, p.per_second, p.eta_ms, p.finished), (50, 0, 100, 10.0, Some(5_000), false));
    job.pause();
    assert_eq!(job.progress(6_000).eta_ms, None, "no time left while paused");
    assert!(Job::new("empty", vec![], 0).progress(0).finished);
}
