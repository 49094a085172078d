//! The runs API's retry, against the sandbox: a run that failed after it made its invoice resumes
//! from its checkpoint and makes no second one; a run's detail tells its steps and no secret;
//! nothing the API does puts a token in a log line.

mod common;

use common::*;
use serde_json::{json, Value};
use std::time::Duration;

fn steps(detail: &Value) -> Vec<String> {
    detail["steps"].as_array().unwrap().iter().map(|s| s["step"].as_str().unwrap().to_string()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_failed_after_its_invoice_is_retried_to_done_with_one_invoice() {
    let logs = logs();
    let h = handler("", |_| {}).await;
    let s = with_sandbox(&h, (50.0, 500.0)).await;
    let token = s.sandbox.token_for(1);
    // Each call takes a while, so the invoice can be taken away between its creation and the
    // rows being set on it: `crm.item.productrow.set` then fails with OWNER_NOT_FOUND.
    s.sandbox.set_latency_ms(150);
    let started = post(s.portal, "/sandbox/run", "application/json", &json!({"code": "rulekit_invoice", "document_id": "DEAL_123"}).to_string());
    assert_eq!(started.status, 200, "{}", started.body);
    let mut taken = None;
    for _ in 0..2000 {
        taken = s.sandbox.with_state(|st| {
            let at = st.items.iter().position(|i| i.entity_type_id == 31)?;
            Some(st.items.remove(at))
        });
        if taken.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let invoice = taken.expect("the invoice was made");
    wait_for_jobs(&h, "failed", 1).await;
    s.sandbox.set_latency_ms(0);
    let id = api(&h, &s, "GET", "/api/runs?status=failed", &token).json()["runs"][0]["id"].as_i64().unwrap();
    let failed = api(&h, &s, "GET", &format!("/api/runs/{id}"), &token).json();
    assert_eq!(failed["status"], "failed", "{failed}");
    assert!(failed["last_error"].as_str().unwrap().contains("OWNER_NOT_FOUND"), "{failed}");
    assert_eq!(steps(&failed), ["received", "attempt", "invoice", "failed"], "{failed}");
    assert_eq!(failed["steps"][2]["note"], format!("Invoice #{} created.", invoice.id));
    assert_eq!((failed["returned"].clone(), failed["next_attempt_at"].clone()), (Value::Null, Value::Null));

    // The cause cleared: the invoice is back. The retry resumes after it.
    s.sandbox.with_state(|st| st.items.push(invoice.clone()));
    let retried = api(&h, &s, "POST", &format!("/api/runs/{id}/retry"), &token);
    assert_eq!(retried.status, 200, "{}", retried.body);
    let run = &retried.json()["run"];
    assert_eq!((run["id"].as_i64(), run["attempts"].as_i64(), run["last_error"].clone()), (Some(id), Some(0), Value::Null), "{run}");
    assert!(["pending", "running", "done"].contains(&run["status"].as_str().unwrap()), "{run}");
    wait_for_jobs(&h, "done", 1).await;
    assert_eq!(invoices(&s).len(), 1, "exactly one invoice");
    let rows = s.sandbox.with_state(|st| st.product_rows.iter().filter(|r| r.owner_type == "SI" && r.owner_id == invoice.id).count());
    assert_eq!(rows, 2);
    let done = api(&h, &s, "GET", &format!("/api/runs/{id}"), &token).json();
    assert_eq!(steps(&done), ["received", "attempt", "invoice", "failed", "retry requested", "attempt", "rows", "done"], "{done}");
    assert_eq!(done["returned"], json!({"invoice_id": invoice.id}));
    assert_eq!((done["rule"].as_str(), done["document_id"].as_str()), (Some("rulekit_invoice"), Some("DEAL_123")));
    assert!(done["workflow_id"].as_str().is_some_and(|w| !w.is_empty()), "{done}");
    assert_eq!(done["properties"]["copy_products"], "Y", "{done}");
    let again = api(&h, &s, "POST", &format!("/api/runs/{id}/retry"), &token);
    assert_eq!((again.status, again.json()["error"].as_str()), (409, Some("conflict")));
    assert_eq!(again.json()["message"], "This run is done: there is nothing to retry.");

    // No secret in the detail, in any answer, or in any log line of this test.
    let (app_token, access, refresh, event) = s.sandbox.with_state(|st| {
        let run = st.runs.last().unwrap();
        (st.application_token.clone(), st.tokens.access.clone(), st.tokens.refresh.clone(), run.event_token.clone())
    });
    let olga = s.sandbox.token_for(7);
    assert_eq!(api(&h, &s, "GET", "/api/summary", &olga).status, 403);
    assert_eq!(api(&h, &s, "GET", "/api/summary", "forged-secret-token").status, 401);
    let text = done.to_string();
    assert!(done.get("auth").is_none() && done["properties"].get("auth").is_none());
    let logged = String::from_utf8_lossy(&logs.lock().unwrap()).into_owned();
    assert!(logged.contains("run.done"), "the log is captured");
    for secret in [&app_token, &access, &refresh, &event, &olga, &token, &"forged-secret-token".to_string()] {
        assert!(!text.contains(secret.as_str()), "the detail shows a secret");
        assert!(!retried.body.contains(secret.as_str()) && !again.body.contains(secret.as_str()));
        assert!(!logged.contains(secret.as_str()), "a log line shows a secret");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runs_waiting_or_running_cannot_be_retried() {
    let h = handler("", |c| c.workers = 0).await;
    let s = with_sandbox(&h, (50.0, 500.0)).await;
    let token = s.sandbox.token_for(1);
    post(s.portal, "/sandbox/run", "application/json", r#"{"code":"rulekit_invoice","document_id":"DEAL_123"}"#);
    wait_for_jobs(&h, "queued", 1).await;
    let id = h.shared.store.jobs(None).await.unwrap()[0].id;
    let pending = api(&h, &s, "GET", &format!("/api/runs/{id}"), &token).json();
    assert_eq!((pending["status"].as_str(), pending["steps"].as_array().map(Vec::len)), (Some("pending"), Some(1)), "{pending}");
    let conflict = api(&h, &s, "POST", &format!("/api/runs/{id}/retry"), &token);
    assert_eq!((conflict.status, conflict.json()["error"].as_str()), (409, Some("conflict")), "{}", conflict.body);
    // Claimed, then sent back with a delay: retrying, with its next attempt's time.
    let job = h.shared.store.claim().await.unwrap().unwrap();
    assert_eq!(api(&h, &s, "GET", &format!("/api/runs/{id}"), &token).json()["status"], "running");
    assert_eq!(api(&h, &s, "POST", &format!("/api/runs/{id}/retry"), &token).status, 409);
    let at = rulekit_handler::store::now() + 60_000;
    h.shared.store.retry(job.claim(), at, "The portal was busy.".into()).await.unwrap();
    let retrying = api(&h, &s, "GET", &format!("/api/runs/{id}"), &token).json();
    assert_eq!((retrying["status"].as_str(), retrying["next_attempt_at"].as_i64()), (Some("retrying"), Some(at)), "{retrying}");
    assert!(retrying["steps"][2]["note"].as_str().unwrap().starts_with("The portal was busy. Next attempt in"), "{retrying}");
    assert_eq!(api(&h, &s, "POST", &format!("/api/runs/{id}/retry"), &token).status, 409);
    let summary = api(&h, &s, "GET", "/api/summary", &token).json();
    assert_eq!(summary["by_status"]["retrying"], 1);
}
