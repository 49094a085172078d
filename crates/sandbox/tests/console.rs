//! The console (the release `dist/console/`) as the app's own page in the sandbox, in headless
//! Chromium over WebDriver: install, app update and Sync, a departed employee's workflows, a bulk
//! stop resumed after a reload, Pause and Cancel, and a user who is not an administrator.

mod common;

use common::{call, sandbox};
use fantoccini::Locator;
use rulekit_sandbox::{Config, Running};
use serde_json::{json, Value};
use std::time::Duration;
use xtask::browser::Browser;

const WAIT: Duration = Duration::from_secs(30);

/// Opens the app's page (`/app?…`) and enters the console's frame.
async fn open(running: &Running, query: &str) -> Browser {
    let b = Browser::start().await.expect("headless Chromium");
    b.client.goto(&format!("{}app{query}", running.portal_url())).await.unwrap();
    enter(&b).await;
    b
}

async fn enter(b: &Browser) {
    b.wait_for("document.querySelector('iframe')", WAIT).await.unwrap();
    b.client.enter_frame(0).await.unwrap();
    b.wait_for("document.querySelector('[data-screen]') && !document.querySelector('.rk-loading[role=status]:only-child')", WAIT)
        .await
        .expect("the console in the frame");
}

async fn click(b: &Browser, css: &str) {
    b.client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).click().await.unwrap();
}

async fn count(b: &Browser, css: &str) -> u64 {
    b.eval(&format!("return document.querySelectorAll({css:?}).length")).await.unwrap().as_u64().unwrap_or(0)
}

/// Waits until every rule row is in `state`.
async fn rules_all(b: &Browser, state: &str, rows: usize) {
    let js = format!("document.querySelectorAll(\"[data-role=rules] tr[data-state]\").length === {rows} && [...document.querySelectorAll(\"[data-role=rules] tr[data-code^=rulekit_][data-code]\")].filter(r => r.dataset.code !== 'rulekit_all_types').every(r => r.dataset.state === {state:?})");
    b.wait_for(&js, WAIT).await.unwrap_or_else(|e| panic!("every rule {state}: {e}"));
}

const MANIFEST_CODES: [&str; 4] = ["rulekit_invoice", "rulekit_invoice_activity", "rulekit_timeline_comment", "rulekit_timeline_comment_activity"];

fn registered(running: &Running) -> Vec<String> {
    running.sandbox.with_state(|s| s.rules.iter().map(|r| r.code.clone()).collect())
}

fn writes(stats: &Value) -> u64 {
    ["add", "update", "delete"]
        .iter()
        .flat_map(|verb| ["robot", "activity"].map(|kind| format!("bizproc.{kind}.{verb}")))
        .map(|m| stats["methods"][&m].as_u64().unwrap_or(0))
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn install_mode_registers_every_rule_then_finishes_the_install() {
    let running = sandbox(Config::default()).await;
    assert!(MANIFEST_CODES.iter().all(|c| !registered(&running).contains(&c.to_string())), "a fresh portal has none of the app's rules");
    let b = Browser::start().await.unwrap();
    b.client.goto(&format!("{}app?install=1", running.portal_url())).await.unwrap();
    // installFinish reloads the portal's page out of install mode.
    b.wait_for("location.search.includes('install_finished=Y')", WAIT).await.expect("the install finished");
    let codes = registered(&running);
    assert!(MANIFEST_CODES.iter().all(|c| codes.contains(&c.to_string())), "{codes:?}");
    assert!(running.sandbox.with_state(|s| s.installed));
    let rule = running.sandbox.with_state(|s| s.rule("rulekit_invoice").unwrap().fields.clone());
    assert_eq!(rule["HANDLER"], json!(running.sandbox.rule_handler), "the handler from config.json");
    assert_eq!(rule["PLACEMENT_HANDLER"], json!(running.sandbox.app_url));
    enter(&b).await;
    rules_all(&b, "current", 5).await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_install_that_cannot_register_does_not_finish() {
    let running = sandbox(Config::default()).await;
    // The administrator saved an address the portal would refuse.
    running.sandbox.with_state(|s| {
        s.app_options.insert("rulekit_urls".into(), json!(json!({"handler": "http://localhost/run", "settings_page": ""}).to_string()));
    });
    let b = open(&running, "?install=1").await;
    b.wait_for("document.querySelector('[data-role=rules-message]')", WAIT).await.unwrap();
    let message = b.eval("return document.querySelector('[data-role=rules-message]').textContent").await.unwrap();
    assert!(message.as_str().unwrap().contains("dot"), "{message}");
    tokio::time::sleep(Duration::from_secs(1)).await;
    b.client.enter_parent_frame().await.unwrap();
    assert!(!b.eval("return location.search").await.unwrap().as_str().unwrap().contains("install_finished"));
    assert!(!running.sandbox.with_state(|s| s.installed), "the install is not finished as if all were well");
    assert!(!registered(&running).contains(&"rulekit_invoice".to_string()));
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_wipes_the_rules_the_console_restores_them_and_a_second_sync_writes_nothing() {
    let running = sandbox(Config::default()).await;
    let b = open(&running, "").await;
    b.wait_for("document.querySelectorAll('[data-role=rules] tr[data-state=missing]').length === 4", WAIT).await.unwrap();
    click(&b, "[data-role=sync]").await;
    rules_all(&b, "current", 5).await;

    running.sandbox.with_state(rulekit_sandbox::update_app);
    assert!(registered(&running).is_empty(), "the update deleted every rule");
    b.client.enter_parent_frame().await.unwrap();
    b.client.refresh().await.unwrap();
    enter(&b).await;
    b.wait_for("document.querySelector('[data-role=wiped]')", WAIT).await.expect("the console sees the rules are gone");
    click(&b, "[data-role=register-again]").await;
    rules_all(&b, "current", 4).await;
    assert!(MANIFEST_CODES.iter().all(|c| registered(&running).contains(&c.to_string())));

    running.sandbox.reset_stats();
    click(&b, "[data-role=sync]").await;
    b.wait_for("document.querySelector('[data-role=rules-message]')", WAIT).await.unwrap();
    rules_all(&b, "current", 4).await;
    let stats = running.sandbox.stats();
    assert_eq!(writes(&stats), 0, "a second Sync registers nothing: {stats}");
    assert_eq!(stats["methods"]["batch"].as_u64().unwrap_or(0), 0, "{stats}");
    assert!(stats["methods"]["bizproc.robot.list"].as_u64().unwrap_or(0) >= 1, "{stats}");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_who_is_not_an_administrator_is_told_why_and_nothing_is_called() {
    let running = sandbox(Config::default()).await;
    running.sandbox.reset_stats();
    let b = open(&running, "?user=7&lang=de").await;
    b.wait_for("document.querySelector('[data-screen=not-admin]')", WAIT).await.unwrap();
    let text = b.eval("return document.body.textContent").await.unwrap();
    assert!(text.as_str().unwrap().contains("Portaladministrator"), "in the user's language: {text}");
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(running.sandbox.stats()["requests"], 0, "no call at all");
    b.close().await;
}

/// The departed employee's demo data: Dmitri (12) waits in workflows 2, 4, 5, 6 and 7; his task in
/// workflow 6 refuses delegation.
fn wf(n: u32) -> String {
    format!("5f1a3c9e0a1b2.{n:08}")
}

async fn set_fate(b: &Browser, workflow: &str, fate: &str) {
    let js = format!("const s = document.querySelector('tr[data-workflow=\"{workflow}\"] [data-role=fate]'); s.value = '{fate}'; s.dispatchEvent(new Event('change')); return 1");
    b.eval(&js).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_departed_employees_workflows_are_delegated_terminated_and_killed_with_a_refusal_shown() {
    let running = sandbox(Config::default()).await;
    let b = open(&running, "").await;
    click(&b, "#tab-departed").await;
    b.wait_for("document.querySelector('[data-role=people] [data-user=\"12\"]')", WAIT).await.expect("Dmitri among the people who left");
    click(&b, "[data-user='12'] [data-role=choose-person]").await;
    b.wait_for("document.querySelectorAll('[data-role=workflows] tr[data-workflow]').length === 5", WAIT).await.unwrap();
    assert!(count(&b, ".rk-overdue").await >= 1, "overdue tasks are marked");
    set_fate(&b, &wf(4), "terminate").await;
    set_fate(&b, &wf(5), "kill").await;
    // Delegate the rest (2, 6, 7) to Nina, picked in the portal's own dialog.
    click(&b, "[data-role=choose-colleague]").await;
    b.client.enter_parent_frame().await.unwrap();
    b.wait_for("!document.querySelector('#user-picker').hidden", WAIT).await.unwrap();
    click(&b, "#user-picker input[value='9']").await;
    click(&b, "#user-picker-choose").await;
    b.client.enter_frame(0).await.unwrap();
    b.wait_for("document.querySelector('[data-role=colleague]').textContent.includes('Nina')", WAIT).await.unwrap();
    click(&b, "[data-role=review-button]").await;
    b.wait_for("document.querySelectorAll('[data-role=review] li').length === 5", WAIT).await.unwrap();
    assert_eq!(running.sandbox.with_state(|s| s.tasks.iter().filter(|t| t.user_id == 12 && t.status == 0).count()), 5, "nothing changed before the confirmation");
    click(&b, "[data-role=confirm]").await;
    b.wait_for("document.querySelectorAll('[data-role=report] tr[data-outcome]').length === 5", WAIT).await.expect("the report");
    assert_eq!(count(&b, "[data-role=report] tr[data-outcome=failed]").await, 1, "the refused delegation");
    b.wait_for("document.querySelector('[data-role=refused]')", WAIT).await.unwrap();

    running.sandbox.with_state(|s| {
        let owner = |n: u32| s.tasks.iter().filter(|t| t.workflow_id == wf(n)).map(|t| t.user_id).collect::<Vec<_>>();
        assert!(owner(2).iter().all(|u| *u == 9) && owner(7).iter().all(|u| *u == 9), "delegated to Nina");
        assert!(owner(6).contains(&12), "refused: still Dmitri's");
        let w4 = s.workflows.iter().find(|w| w.id == wf(4)).expect("a terminated workflow keeps its history");
        assert_eq!(w4.state, "terminated");
        assert!(w4.history.iter().any(|h| h.contains("Stopped: the employee has left")), "{:?}", w4.history);
        assert!(s.workflows.iter().all(|w| w.id != wf(5)), "killed");
    });

    // The refused one is stopped instead.
    click(&b, "[data-role=stop-refused-terminate]").await;
    b.wait_for("document.querySelectorAll('[data-role=report] tr[data-outcome=done]').length === 1", WAIT).await.unwrap();
    assert_eq!(running.sandbox.with_state(|s| s.workflows.iter().find(|w| w.id == wf(6)).map(|w| w.state.clone())), Some("terminated".into()));
    let csv = b.eval("return document.querySelector('[data-role=csv]').getAttribute('href')").await.unwrap();
    assert!(csv.as_str().unwrap().starts_with("blob:"), "the report downloads as CSV");
    b.close().await;
}

/// Kills the demo workflows, so that only the generated ones run.
fn only_generated(running: &Running) {
    let demo: Vec<String> = (1..=7).map(wf).collect();
    for id in demo {
        let reply = call(running, "bizproc.workflow.kill", json!({"ID": id}));
        assert_eq!(reply.0, 200, "{reply:?}");
    }
}

async fn find_all(b: &Browser, expected: usize) {
    click(b, "#tab-bulk").await;
    b.wait_for("document.querySelector('[data-role=find]') && !document.querySelector('[data-role=find]').disabled", WAIT).await.unwrap();
    click(b, "[data-role=find]").await;
    b.wait_for(&format!("document.querySelector('[data-role=count]') && document.querySelector('[data-role=count]').textContent === '{expected}'"), WAIT)
        .await
        .unwrap_or_else(|e| panic!("{expected} found: {e}"));
}

async fn done(b: &Browser) -> u64 {
    let text = b.eval("const s = document.querySelector('[data-role=job-status]'); return s ? s.textContent : ''").await.unwrap();
    text.as_str().unwrap_or_default().split(" / ").next().unwrap_or_default().trim().parse().unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_stop_of_1000_workflows_survives_a_reload_and_stops_each_exactly_once() {
    let running = sandbox(Config { workflows: 1000, ..Config::default() }).await;
    only_generated(&running);
    let b = open(&running, "").await;
    find_all(&b, 1000).await;
    click(&b, "[data-role=stop]").await;
    b.wait_for("document.querySelector('[role=alert]')", WAIT).await.expect("more than 100 asks for the count");
    b.client.find(Locator::Css("[data-role=confirm-count]")).await.unwrap().send_keys("1000").await.unwrap();
    // Each request takes a while now, so the page can be reloaded in the middle.
    running.sandbox.set_latency_ms(400);
    running.sandbox.reset_stats();
    click(&b, "[data-role=stop]").await;
    b.wait_for("document.querySelector('[data-role=job-status]') && parseInt(document.querySelector('[data-role=job-status]').textContent) >= 150", WAIT).await.unwrap();
    b.client.enter_parent_frame().await.unwrap();
    b.client.refresh().await.unwrap();
    enter(&b).await;
    click(&b, "#tab-bulk").await;
    b.wait_for("document.querySelector('[data-role=resumed]')", WAIT).await.expect("the job resumes after the reload");
    let after_reload = done(&b).await;
    assert!(after_reload < 1000, "reloaded in the middle: {after_reload}");
    running.sandbox.set_latency_ms(0);
    b.wait_for("document.querySelectorAll('[data-role=report] tr[data-outcome]').length === 1000", Duration::from_secs(90)).await.expect("the report");
    assert_eq!(count(&b, "[data-role=report] tr[data-outcome=done]").await, 1000);
    let stats = running.sandbox.stats();
    let calls = stats["stop_calls"].as_object().unwrap();
    assert_eq!(calls.len(), 1000, "every workflow was sent");
    assert!(calls.values().all(|c| c["ok"] == 1 && c["failed"].as_u64().unwrap_or(0) == 0), "each stopped exactly once");
    assert_eq!(stats["refused"], 0, "paced under the portal's limit: {stats}");
    assert_eq!(running.sandbox.with_state(|s| s.workflows.iter().filter(|w| w.state == "running").count()), 0);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_stop_pauses_resumes_and_cancels() {
    let running = sandbox(Config { workflows: 400, ..Config::default() }).await;
    only_generated(&running);
    let b = open(&running, "").await;
    find_all(&b, 400).await;
    b.eval("const k = document.querySelector('[data-role=kill]'); k.checked = true; k.dispatchEvent(new Event('change')); return 1").await.unwrap();
    b.client.find(Locator::Css("[data-role=confirm-count]")).await.unwrap().send_keys("400").await.unwrap();
    running.sandbox.set_latency_ms(500);
    click(&b, "[data-role=stop]").await;
    b.wait_for("document.querySelector('[data-role=job-status]') && parseInt(document.querySelector('[data-role=job-status]').textContent) >= 50", WAIT).await.unwrap();
    click(&b, "[data-role=pause]").await;
    b.wait_for("document.querySelector('[data-role=resume]')", WAIT).await.unwrap();
    tokio::time::sleep(Duration::from_millis(800)).await; // the batch that was out comes back
    let paused_at = done(&b).await;
    let killed = |r: &Running| r.sandbox.with_state(|s| 400 - s.workflows.iter().filter(|w| w.state == "running").count());
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(done(&b).await, paused_at, "nothing is sent while paused");
    assert_eq!(killed(&running), paused_at as usize);
    click(&b, "[data-role=resume]").await;
    b.wait_for(&format!("parseInt(document.querySelector('[data-role=job-status]').textContent) > {paused_at}"), WAIT).await.unwrap();
    click(&b, "[data-role=cancel]").await;
    b.wait_for("document.querySelectorAll('[data-role=report] tr[data-outcome]').length === 400", WAIT).await.expect("the report after Cancel");
    let stopped = count(&b, "[data-role=report] tr[data-outcome=done]").await;
    let cancelled = count(&b, "[data-role=report] tr[data-outcome=cancelled]").await;
    assert!(stopped > paused_at && cancelled > 0 && stopped + cancelled == 400, "{stopped} stopped, {cancelled} cancelled");
    assert_eq!(killed(&running), stopped as usize, "what the report says was done is what the portal did");
    b.close().await;
}
