//! The real app (the release `dist/`) inside the sandbox's settings dialog, in headless Chromium
//! driven over WebDriver: edit, save, cancel, resize, foreign messages, fixtures, tokens.

mod common;

use common::page::{click, enter_app, open, text, WAIT};
use fantoccini::Locator;
use rulekit_sandbox::{start, Config, Running};
use serde_json::{json, Value};
use xtask::browser::Browser;

async fn sandbox(placement_options: Option<Value>) -> Running {
    let config = Config {
        dist: xtask::root().join("dist"),
        placement_options,
        sdk_dir: Some(xtask::root().join("node_modules/@bitrix24/b24jssdk/dist/umd")),
        ..Config::default()
    };
    start(config).await.expect("the sandbox starts")
}

async fn state(running: &Running) -> Value {
    running.sandbox.public_state()
}

async fn type_into(b: &Browser, css: &str, text: &str) {
    let el = b.client.find(Locator::Css(css)).await.unwrap();
    el.clear().await.unwrap();
    el.send_keys(text).await.unwrap();
}

async fn value(b: &Browser, css: &str) -> Value {
    b.eval(&format!("return document.querySelector({css:?}).value")).await.unwrap()
}

/// Clicks Save in the portal's dialog and waits for the dialog to open again with the saved values.
async fn save(b: &Browser) {
    b.client.enter_parent_frame().await.unwrap();
    b.eval("window.__before_save = true; return 1").await.unwrap();
    click(b, "#save").await;
    b.wait_for("!window.__before_save", WAIT).await.unwrap();
    enter_app(b).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editing_every_kind_of_field_and_saving_keeps_the_values() {
    let running = sandbox(None).await;
    let b = open(&running, "").await;
    b.wait_for("document.body.textContent.includes('Olga Ivanova')", WAIT).await.expect("user names through REST");
    type_into(&b, "#rk-title", "Paid {{Deal name}}").await;
    type_into(&b, "#rk-quantity", "7").await;
    type_into(&b, "#rk-discount", "2,5").await;
    type_into(&b, "#rk-notes", "New notes").await;
    click(&b, "[data-code='send_copy'] .rk-switch").await;
    b.eval("const s = document.querySelector('#rk-format'); s.value = 'pdf'; s.dispatchEvent(new Event('change')); return 1").await.unwrap();
    type_into(&b, "#rk-due_date", "24.12.2026").await;
    type_into(&b, "#rk-remind_at", "2026-12-20 09:30").await;
    click(&b, "[data-code='tags'] .rk-add").await;
    b.wait_for("document.querySelectorAll(\"[data-code='tags'] select\").length === 2", WAIT).await.unwrap();
    b.eval("const s = document.querySelectorAll(\"[data-code='tags'] select\")[1]; s.value = 'repeat'; s.dispatchEvent(new Event('change')); return 1").await.unwrap();
    click(&b, "[data-code='emails'] .rk-add").await;
    b.wait_for("document.querySelectorAll(\"[data-code='emails'] .rk-item\").length === 3", WAIT).await.unwrap();
    b.client.find(Locator::Css("#rk-emails-2")).await.unwrap().send_keys("ceo@example.com").await.unwrap();
    // The portal's own user picker, in the parent page.
    click(&b, "[data-code='approvers'] .rk-choose").await;
    b.client.enter_parent_frame().await.unwrap();
    b.wait_for("!document.querySelector('#user-picker').hidden", WAIT).await.unwrap();
    click(&b, "#user-picker input[value='9']").await;
    click(&b, "#user-picker-choose").await;
    b.client.enter_frame(0).await.unwrap();
    b.wait_for("document.body.textContent.includes('Nina Novak')", WAIT).await.unwrap();
    click(&b, "#rk-title").await; // blur the last field
    save(&b).await;

    let saved = state(&running).await["dialog"]["saved"]["rulekit_all_types"].clone();
    assert_eq!(saved["title"], "Paid {=Document:TITLE}", "a display form is saved as an expression");
    assert_eq!(saved["quantity"], "7");
    assert_eq!(saved["discount"], "2.5", "a decimal comma is saved as a point");
    assert_eq!(saved["notes"], "New notes");
    assert_eq!(saved["send_copy"], "Y");
    assert_eq!(saved["format"], "pdf");
    assert_eq!(saved["due_date"], "24.12.2026");
    assert_eq!(saved["emails"], json!(["billing@example.com", "{=Document:ASSIGNED_BY_ID > printable}", "ceo@example.com"]));
    assert_eq!(saved["approvers"], json!(["user_1", "user_7", "user_9"]));
    assert_eq!(saved["remind_at"], "2026-12-20 09:30");
    assert_eq!(saved["tags"], json!(["vip", "repeat"]));
    // The dialog opens again with what was saved, the expression in its readable form.
    assert_eq!(value(&b, "#rk-title").await, json!("Paid {{Deal name}}"));
    assert_eq!(value(&b, "#rk-quantity").await, json!("7"));
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_discards_what_the_app_pushed() {
    let running = sandbox(None).await;
    let b = open(&running, "").await;
    type_into(&b, "#rk-title", "Never saved").await;
    b.client.enter_parent_frame().await.unwrap();
    b.wait_for("document.querySelector('#pushed').textContent.includes('Never saved')", WAIT).await.unwrap();
    b.eval("window.__before = true; return 1").await.unwrap();
    click(&b, "#cancel").await;
    b.wait_for("!window.__before", WAIT).await.unwrap();
    enter_app(&b).await;
    assert_eq!(state(&running).await["dialog"]["saved"]["rulekit_all_types"]["title"], "Invoice for {{Deal name}}");
    assert_eq!(value(&b, "#rk-title").await, json!("Invoice for {{Deal name}}"));
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_frame_follows_the_form_and_foreign_messages_are_ignored() {
    let running = sandbox(None).await;
    let b = open(&running, "").await;
    let content = b.eval("const m = document.querySelector('main'); return m.offsetTop + m.offsetHeight").await.unwrap().as_f64().unwrap();
    b.client.enter_parent_frame().await.unwrap();
    b.wait_for("document.querySelector('iframe').offsetHeight > 350", WAIT).await.expect("the frame grew from 350 px");
    let frame = b.eval("return document.querySelector('iframe').offsetHeight").await.unwrap().as_f64().unwrap();
    assert!((frame - content).abs() <= 2.0, "frame {frame} vs content {content}");

    // A message from the portal's own origin, and one from the app's origin with another APP_SID.
    b.eval("window.postMessage('setPropertyValue:{\"title\":\"from the wrong origin\"}::' + JSON.parse(document.getElementById('sandbox-data').textContent).appSid, '*'); return 1")
        .await
        .unwrap();
    b.client.enter_frame(0).await.unwrap();
    b.eval("parent.postMessage('setPropertyValue:{\"title\":\"with a wrong sid\"}::0123456789abcdef0123456789abcdef', '*'); return 1").await.unwrap();
    b.client.enter_parent_frame().await.unwrap();
    b.wait_for("document.querySelector('#log').textContent.includes('wrong APP_SID')", WAIT).await.unwrap();
    b.wait_for("document.querySelector('#log').textContent.includes('message from http://localhost')", WAIT).await.unwrap();
    assert_eq!(text(&b, "#pushed").await, "{}", "neither message was taken");

    // More items make the frame taller.
    b.client.enter_frame(0).await.unwrap();
    for _ in 0..5 {
        click(&b, "[data-code='emails'] .rk-add").await;
    }
    b.client.enter_parent_frame().await.unwrap();
    b.wait_for(&format!("document.querySelector('iframe').offsetHeight > {}", frame + 150.0), WAIT).await.expect("the frame grew with the form");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shared_fixtures_load_and_tokens_never_reach_the_log() {
    let workflow: Value = serde_json::from_str(&xtask::fixture("placement-options.workflow-designer.json")).unwrap();
    let running = sandbox(Some(workflow)).await;
    let b = open(&running, "?lang=de").await;
    assert_eq!(text(&b, "label[for='rk-title']").await, "Rechnungstitel");
    assert_eq!(value(&b, "#rk-title").await, json!("Invoice for {=Document:TITLE}"));
    assert!(b.eval("return document.querySelectorAll('.rk-picker-group').length").await.is_ok());
    type_into(&b, "#rk-quantity", "9").await;
    b.client.enter_parent_frame().await.unwrap();
    b.wait_for("document.querySelector('#pushed').textContent.includes('9')", WAIT).await.unwrap();
    let secrets: Vec<String> = serde_json::from_value(b.eval("return JSON.parse(document.getElementById('sandbox-data').textContent).secrets").await.unwrap()).unwrap();
    let log = text(&b, "#log").await;
    assert!(log.contains("getInitData") && log.contains("•••"), "the log shows the handshake, masked");
    for s in secrets.iter().filter(|s| !s.is_empty()) {
        assert!(!log.contains(s.as_str()), "a token reached the log");
    }
    b.close().await;

    let init: Value = serde_json::from_str(&xtask::fixture("init-data.robot-designer.json")).unwrap();
    let running = sandbox(Some(init["PLACEMENT_OPTIONS"].clone())).await;
    let b = open(&running, "?lang=ru").await;
    assert_eq!(text(&b, "label[for='rk-title']").await, "Название счёта");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_options_are_explained_inside_the_dialog() {
    let running = sandbox(Some(Value::String("{\"code\": \"broken\", \"properties\": ".into()))).await;
    let b = Browser::start().await.unwrap();
    b.client.goto(&running.portal_url()).await.unwrap();
    b.wait_for("document.querySelector('iframe')", WAIT).await.unwrap();
    b.client.enter_frame(0).await.unwrap();
    b.wait_for("document.querySelector('.rk-problems')", WAIT).await.expect("a message, not a blank page");
    let text = text(&b, ".rk-problems").await;
    assert!(text.contains("PLACEMENT_OPTIONS: not valid JSON"), "{text}");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_js_sdk_completes_the_handshake_and_its_calls() {
    let running = sandbox(None).await;
    // Point the demo rule's placement at the SDK check page, through the REST API as an app would.
    let page = format!("{}__sdk/check.html", running.sandbox.app_url);
    running
        .sandbox
        .with_state(|st| rulekit_sandbox::rest::dispatch(st, "bizproc.robot.update", &json!({"CODE": "rulekit_all_types",
            "PLACEMENT_HANDLER": page, "FIELDS": {"USE_PLACEMENT": "Y", "PLACEMENT_HANDLER": page}})))
        .expect("robot.update");
    let b = Browser::start().await.unwrap();
    b.client.goto(&running.portal_url()).await.unwrap();
    b.wait_for("document.querySelector('iframe')", WAIT).await.unwrap();
    b.client.enter_frame(0).await.unwrap();
    if let Err(e) = b.wait_for("document.body && document.body.getAttribute('data-done') === '1'", WAIT).await {
        let shown = b.eval("return document.body ? document.body.innerText : ''").await;
        b.client.enter_parent_frame().await.unwrap();
        let log = text(&b, "#log").await;
        panic!("the SDK check did not finish: {e}\npage: {shown:?}\nportal log: {log}");
    }
    let result: Value = serde_json::from_str(&text(&b, "#result").await).unwrap();
    assert!(result.get("error").is_none(), "the SDK failed: {result}");
    assert_eq!(result["placement"], "BIZPROC_ACTIVITY_PROPERTIES_DIALOG");
    assert_eq!(result["options"]["code"], "rulekit_all_types");
    assert_eq!(result["resize"]["height"], 420, "resizeWindow answered: {result}");
    assert_eq!(result["rest"]["CODE"], "local.rulekit.sandbox", "a REST call answered: {result}");
    b.client.enter_parent_frame().await.unwrap();
    b.wait_for("document.querySelector('#pushed').textContent.includes('set by the official SDK')", WAIT).await.expect("setPropertyValue reached the portal");
    b.close().await;
}
