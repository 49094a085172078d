//! The console's Runs section against the handler and the sandbox, in headless Chromium (the
//! release `dist/console/`, built by `cargo xtask build`): a run the portal refuses shows in the
//! console with its error and on the tab's badge; the cause is cleared, Retry, and the run is done
//! with its invoice (and, once the handler leaves a failed run's workflow step open, the workflow
//! gets the invoice's id). A handler that cannot be reached, or does not know the portal, is named
//! with what to check, while the rest of the console keeps working.

mod common;

use common::*;
use rulekit_handler::{start as start_handler, Config as HandlerConfig, Running as Handler};
use rulekit_sandbox::{start as start_sandbox, Config as SandboxConfig, Running as Sandbox};
use serde_json::json;
use std::time::Duration;
use xtask::browser::Browser;

const WAIT: Duration = Duration::from_secs(30);

/// The handler as its command line starts it, allowing the console at `origin` (the sandbox's
/// app origin) to call its API.
async fn handler_for_console(origin: &str) -> Handler {
    let args = [
        "--listen", "127.0.0.1:0",
        "--db", &scratch().join("store.sqlite").display().to_string(),
        "--dist", &xtask::root().join("dist").display().to_string(),
        "--workers", "2",
        "--retry-base-ms", "50",
        "--allow-host", "localhost",
        "--console-origin", origin,
    ];
    let mut args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    args.push("--allow-http".into());
    let config = HandlerConfig::from_args(args, |_| None).expect("the handler's flags, --console-origin among them");
    start_handler(config).await.expect("the handler starts")
}

/// The sandbox's app on `app_port` (0: any), with the manifest's rules running on `handler`
/// (`http://host:port`), and no install event.
fn sandbox_config(app_port: u16, handler: &str) -> SandboxConfig {
    SandboxConfig { app_port, dist: xtask::root().join("dist"), handler_url: Some(format!("{handler}/run")), rate: (50.0, 100.0), ..SandboxConfig::default() }
}

/// The sandbox on a chosen app port (the console's origin, which the handler must know first),
/// with the manifest's rules running on `h` and the install event delivered.
async fn sandbox_on(h: &Handler, app_port: u16) -> Sandbox {
    let install_url = Some(format!("http://{}/install", h.addr));
    let s = start_sandbox(SandboxConfig { install_url, ..sandbox_config(app_port, &format!("http://{}", h.addr)) }).await.unwrap();
    common::installed(h, s).await
}

/// Opens the app's page and enters the console's frame.
async fn console(s: &Sandbox) -> Browser {
    let b = Browser::start().await.expect("headless Chromium");
    b.client.goto(&format!("{}app", s.portal_url())).await.unwrap();
    b.wait_for("document.querySelector('iframe')", WAIT).await.unwrap();
    b.client.enter_frame(0).await.unwrap();
    b.wait_for("document.querySelector('[data-screen=console]')", WAIT).await.expect("the console in the frame");
    b
}

async fn click(b: &Browser, css: &str) {
    let js = format!("const e = document.querySelector({css:?}); if (!e) return false; e.click(); return true");
    assert_eq!(b.eval(&js).await.unwrap(), json!(true), "nothing to click at {css}");
}

async fn text(b: &Browser, css: &str) -> String {
    let js = format!("const e = document.querySelector({css:?}); return e ? e.textContent : ''");
    b.eval(&js).await.unwrap().as_str().unwrap_or_default().to_string()
}

/// What the console's retry leaves behind, for the tests to look at.
struct Retried {
    _handler: Handler,
    sandbox: Sandbox,
    browser: Browser,
    workflow: String,
    invoice: u64,
}

/// A run the portal refuses, seen in the console (badge, row, summary, details); the cause
/// cleared, Retry in the row, until the row and the details say done with the invoice returned.
async fn refused_then_retried_in_the_console() -> Retried {
    let app_port = xtask::free_port().unwrap();
    let h = handler_for_console(&format!("http://127.0.0.1:{app_port}")).await;
    let s = sandbox_on(&h, app_port).await;

    // The portal refuses the invoice: ACCESS_DENIED is final, so the run fails without retries.
    // Armed over HTTP as a person at the sandbox would (cleared below from Rust).
    let armed = post(s.portal, "/sandbox/fail-next", "application/json", r#"{"method": "crm.item.add", "error": "ACCESS_DENIED"}"#);
    assert_eq!((armed.status, armed.json()["armed"]["error"].clone()), (200, json!("ACCESS_DENIED")), "{}", armed.body);
    let told = run(&s, "rulekit_invoice", "DEAL_123").await;
    wait_for_jobs(&h, "failed", 1).await;
    assert!(invoices(&s).is_empty());
    let workflow = told["workflow_id"].as_str().unwrap().to_string();

    let b = console(&s).await;
    b.wait_for("document.querySelector('[data-role=unseen-failures]') && document.querySelector('[data-role=unseen-failures]').textContent === '1'", WAIT)
        .await
        .expect("the tab counts the failure before the section is opened");
    click(&b, "#tab-runs").await;
    b.wait_for("document.querySelector('[data-role=runs] [data-run][data-status=failed]')", WAIT).await.expect("the failed run in the table");
    let error = text(&b, "[data-role=runs] [data-run][data-status=failed] [data-role=run-error]").await;
    assert!(error.contains("ACCESS_DENIED"), "the row says why: {error}");
    b.wait_for("!document.querySelector('[data-role=unseen-failures]')", WAIT).await.expect("opening the section clears the badge");
    b.wait_for("document.querySelector('[data-role=runs-summary] [data-status=failed] strong')", WAIT).await.expect("the summary");
    assert_eq!(text(&b, "[data-role=runs-summary] [data-status=failed] strong").await, "1", "the summary counts it");

    // The details name the error.
    click(&b, "[data-role=runs] [data-run][data-status=failed]").await;
    b.wait_for("document.querySelector('[data-role=run-details][data-status=failed]')", WAIT).await.expect("the run's details");
    assert!(text(&b, "[data-role=run-details] [data-role=run-error]").await.contains("ACCESS_DENIED"));

    // The cause is cleared, then Retry in the row.
    s.sandbox.clear_failures();
    click(&b, "[data-role=runs] [data-run][data-status=failed] [data-role=retry]").await;
    b.wait_for("document.querySelector('[data-role=runs] [data-run][data-status=done]')", WAIT).await.expect("the row is done after the retry");
    wait_for_jobs(&h, "done", 1).await;
    let made = invoices(&s);
    assert_eq!(made.len(), 1, "one invoice, made by the retry");
    let returned = format!("document.querySelector('[data-role=run-details][data-status=done] [data-role=run-returned] [data-key=invoice_id]') && document.querySelector('[data-role=run-returned] [data-key=invoice_id]').textContent === '{}'", made[0].id);
    b.wait_for(&returned, WAIT).await.expect("the details show the invoice's id returned");
    Retried { _handler: h, sandbox: s, browser: b, workflow, invoice: made[0].id }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_run_shows_in_the_console_and_a_retry_makes_its_invoice() {
    refused_then_retried_in_the_console().await.browser.close().await;
}

/// The workflow itself gets the invoice's id: a failure the portal caused only writes to the
/// workflow's log (`bizproc.activity.log`) and leaves its step waiting, so the retried run's
/// answer closes it with the return values.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retry_from_the_console_returns_the_invoice_to_the_workflow() {
    let r = refused_then_retried_in_the_console().await;
    let mut returned = json!(null);
    for _ in 0..200 {
        returned = r.sandbox.sandbox.with_state(|st| st.runs.iter().find(|run| run.workflow_id == r.workflow).map(|run| json!(run.return_values))).unwrap();
        if returned.get("invoice_id").is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(returned["invoice_id"], json!(r.invoice), "the workflow got the invoice's id");
    let log = r.sandbox.sandbox.with_state(|st| st.runs.iter().find(|run| run.workflow_id == r.workflow).map(|run| run.log.clone())).unwrap();
    assert!(log.iter().any(|l| l.contains("ACCESS_DENIED") && l.contains("retry")), "the failure was written to the workflow's log: {log:?}");
    assert_eq!(r.sandbox.sandbox.with_state(|st| st.runs.iter().find(|run| run.workflow_id == r.workflow).map(|run| run.state.clone())).unwrap(), "completed");
    r.browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handler_that_cannot_be_reached_is_named_and_the_rest_of_the_console_works() {
    // Rules point at a port nothing listens on.
    let closed = xtask::free_port().unwrap();
    let s = start_sandbox(sandbox_config(0, &format!("http://127.0.0.1:{closed}"))).await.unwrap();
    let b = console(&s).await;
    click(&b, "#tab-runs").await;
    b.wait_for("document.querySelector('[data-role=runs-problem][data-problem=unreachable]')", WAIT).await.expect("the section says the handler is unreachable");
    let said = text(&b, "[data-role=runs-problem]").await;
    assert!(said.contains("Where the rules point") && said.contains("--console-origin") && said.contains("http://127.0.0.1:"), "what to check: {said}");
    click(&b, "#tab-rules").await;
    b.wait_for("document.querySelectorAll('[data-role=rules] tr[data-state]').length >= 4", WAIT).await.expect("the rules section still works");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_portal_the_handler_never_installed_is_told_to_check_the_install() {
    let app_port = xtask::free_port().unwrap();
    let h = handler_for_console(&format!("http://127.0.0.1:{app_port}")).await;
    // The rules point at the handler, but the install event never reached it.
    let s = start_sandbox(sandbox_config(app_port, &format!("http://{}", h.addr))).await.unwrap();
    let b = console(&s).await;
    click(&b, "#tab-runs").await;
    b.wait_for("document.querySelector('[data-role=runs-problem][data-problem=unauthorized]')", WAIT).await.expect("the section says the handler refused");
    let said = text(&b, "[data-role=runs-problem]").await;
    assert!(said.contains("installed the app on this handler"), "what to check: {said}");
    b.close().await;
}
