//! The invoice rule's `due_in_days` at its edges, against the sandbox in process: a number past
//! ten years, or before today, or past what a number holds, stops the run with a sentence the
//! workflow can show, and nothing is made.

mod common;

use common::*;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_due_date_out_of_range_is_told_to_the_workflow_and_nothing_is_made() {
    let h = handler("", |_| {}).await;
    let s = with_sandbox(&h, (2.0, 50.0)).await;
    let cases = ["9223372036854775807", "-1000000000", "99999999999999999999", "3651", "-1"];
    for (n, days) in cases.iter().enumerate() {
        s.sandbox.with_state(|st| st.dialog.saved["rulekit_invoice"]["due_in_days"] = json!(days));
        let told = run(&s, "rulekit_invoice", "DEAL_123").await;
        let log = told["log"][0].as_str().unwrap_or_default();
        let want = format!("The invoice was not created. Due in (days): \"{days}\" is out of range. Enter a whole number from 0 to 3650.");
        assert_eq!(log, want, "{told}");
        assert_eq!(told["state"], "completed", "the same value would fail again: the step is closed, {told}");
        wait_for_jobs(&h, "failed", n as i64 + 1).await;
    }
    assert!(invoices(&s).is_empty(), "nothing was made");
    let failed = h.shared.store.jobs(Some("failed".into())).await.unwrap();
    assert!(failed.iter().all(|j| j.last_error.as_deref().is_some_and(|e| e.contains("is out of range"))), "{failed:?}");

    // The ends of the range are due dates: today, and ten years from it.
    for (days, made) in [("0", 1), ("3650", 2)] {
        s.sandbox.with_state(|st| st.dialog.saved["rulekit_invoice"]["due_in_days"] = json!(days));
        let done = run(&s, "rulekit_invoice", "DEAL_123").await;
        assert!(done["return_values"]["invoice_id"].is_number(), "{days}: {done}");
        assert_eq!(invoices(&s).len(), made);
    }
    let dates: Vec<_> = invoices(&s).iter().map(|i| (i.fields["begindate"].clone(), i.fields["closedate"].clone())).collect();
    assert_eq!(dates[0].0, dates[0].1, "due today");
    let (begin, due) = (dates[1].0.as_str().unwrap(), dates[1].1.as_str().unwrap());
    let years = due[..4].parse::<i32>().unwrap() - begin[..4].parse::<i32>().unwrap();
    assert!((9..=10).contains(&years), "{begin} .. {due}");
}
