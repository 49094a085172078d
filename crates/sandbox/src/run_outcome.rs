//! Whether a run worked, read from what its handler did, and the run's timeline: sent,
//! acknowledged (the handler's HTTP status), the answer (`bizproc.event.send`) and the log lines
//! (`bizproc.activity.log`), in the order they came.
//!
//! rulekit's handler reports a failure in one of two ways (crates/handler/src/settle.rs): one no
//! retry can repair closes the step with `bizproc.event.send`, no return values and the reason as
//! the log message; one a retry can repair writes the reason with `bizproc.activity.log`, ending
//! in the model's "the step waits" note, and leaves the step waiting. The workflow step's own
//! state (`Run::state`) stays as the portal keeps it, since a closed step is not a success.

use crate::clock::iso_now;
use crate::state::{Run, RunStep};
use rulekit_model::text::{run_note, Lang, RunNote};
use serde_json::{Map, Value};

pub const PENDING: &str = "pending";
pub const SUCCEEDED: &str = "succeeded";
pub const FAILED: &str = "failed";

fn step<'a>(run: &'a mut Run, step: &str, text: &str) -> &'a mut RunStep {
    run.timeline.push(RunStep { at: iso_now(), step: step.into(), text: text.into(), ..RunStep::default() });
    run.timeline.last_mut().expect("just pushed")
}

fn fail(run: &mut Run, why: &str) {
    run.outcome = FAILED.into();
    run.error = Some(why.to_string());
}

/// The run was posted to its handler.
pub fn sent(run: &mut Run) {
    run.outcome = PENDING.into();
    step(run, "sent", "");
}

/// What the POST to the handler came back with: a status, or why there is none. A refusal fails
/// the run unless the handler has answered the workflow already (it may answer before its HTTP
/// reply). A run whose workflow waits for no answer is done once the handler took it.
pub fn acknowledged(run: &mut Run, outcome: &Result<u16, String>) {
    match outcome {
        Ok(status) => {
            step(run, "acknowledged", "").status = Some(*status);
            let pending = run.outcome == PENDING;
            if !(200..300).contains(status) && pending {
                fail(run, &format!("The handler answered HTTP {status}."));
            } else if pending && run.state == "no subscription" {
                run.outcome = SUCCEEDED.into();
            }
        }
        Err(e) => {
            step(run, "unreachable", e);
            fail(run, e);
        }
    }
}

/// `bizproc.event.send` closed the step. An answer without any of the return values the rule
/// declares is the handler's failure, its log message the reason.
pub fn answered(run: &mut Run, values: &Map<String, Value>, message: &str, declares_returns: bool) {
    step(run, "answer", message).return_values = Some(values.clone());
    if declares_returns && values.is_empty() {
        fail(run, message);
    } else {
        run.outcome = SUCCEEDED.into();
        run.error = None;
    }
}

/// `bizproc.activity.log` wrote a line. The handler's failure that waits for a retry fails the run
/// (until a retried run's answer comes); any other line is only shown.
pub fn logged(run: &mut Run, message: &str) {
    step(run, "log", message);
    if waits_for_retry(message) {
        fail(run, message);
    }
}

/// A line ending in the handler's "the step waits for a retry" note, in any of its languages.
fn waits_for_retry(message: &str) -> bool {
    Lang::ALL.iter().any(|lang| message.trim_end().ends_with(run_note(*lang, &RunNote::WaitsForRetry).as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_failure_is_read_from_either_way_the_handler_reports_it() {
        let mut run = Run { state: "waiting".into(), ..Run::default() };
        sent(&mut run);
        acknowledged(&mut run, &Ok(200));
        assert_eq!(run.outcome, PENDING);
        logged(&mut run, "Creating the invoice");
        assert_eq!(run.outcome, PENDING, "a plain log line is no failure");
        let note = format!("Счёт не создан. NOT_FOUND. {}", run_note(Lang::from_code("ru"), &RunNote::WaitsForRetry));
        logged(&mut run, &note);
        assert_eq!((run.outcome.as_str(), run.error.as_deref()), (FAILED, Some(note.as_str())));
        let values = json!({"invoice_id": 7}).as_object().cloned().unwrap();
        answered(&mut run, &values, "Invoice #7 created", true);
        assert_eq!((run.outcome.as_str(), run.error.as_deref()), (SUCCEEDED, None), "the retried run's answer");
        answered(&mut run, &Map::new(), "The invoice was not created.", true);
        assert_eq!(run.error.as_deref(), Some("The invoice was not created."));
        let steps: Vec<&str> = run.timeline.iter().map(|s| s.step.as_str()).collect();
        assert_eq!(steps, ["sent", "acknowledged", "log", "log", "answer", "answer"]);
    }

    #[test]
    fn a_refusal_or_no_answer_from_the_handler_fails_the_run() {
        let mut run = Run::default();
        sent(&mut run);
        acknowledged(&mut run, &Ok(500));
        assert_eq!((run.outcome.as_str(), run.error.as_deref()), (FAILED, Some("The handler answered HTTP 500.")));
        let mut run = Run::default();
        sent(&mut run);
        acknowledged(&mut run, &Err("cannot reach the handler".into()));
        assert_eq!((run.outcome.as_str(), run.timeline[1].step.as_str()), (FAILED, "unreachable"));
    }
}
