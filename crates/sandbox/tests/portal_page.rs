//! The sandbox's own page in headless Chromium: a failed run shown as failed with its timeline,
//! the page's words and the demo form in the chosen language, and a window 600 px wide.

mod common;

use common::page::{click, goto, open, text, WAIT};
use common::{call, capture, http, sandbox};
use rulekit_sandbox::Config;
use serde_json::{json, Value};
use xtask::browser::Browser;

async fn texts(b: &Browser, css: &str) -> Vec<String> {
    let v = b.eval(&format!("return [...document.querySelectorAll({css:?})].map(e => e.textContent)")).await.unwrap();
    serde_json::from_value(v).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_the_handler_failed_shows_failed_in_red_with_its_reason_and_timeline() {
    let (url, body) = capture();
    let r = sandbox(Config { demo_handler_url: Some(url), ..Config::default() }).await;
    let b = goto(&r, "").await;
    b.wait_for("document.querySelector('#run')", WAIT).await.unwrap();
    click(&b, "#run").await;
    let form = rulekit_model::form_encoding::decode(&body.recv_timeout(std::time::Duration::from_secs(10)).unwrap()).unwrap();
    b.wait_for("document.querySelector('#runs .run.pending')", WAIT).await.expect("the run waits for its answer");
    // What rulekit's handler sends for a failure no retry can repair: no return values, the reason.
    let reason = "The rule could not finish. Quantity: this field is required.";
    let sent = call(&r, "bizproc.event.send", json!({"event_token": form["event_token"], "return_values": {}, "log_message": reason}));
    assert_eq!(sent.0, 200);
    b.wait_for("document.querySelector('#runs .run.failed')", WAIT).await.expect("the page shows the run failed");
    let head = text(&b, "#runs .run.failed .run-head").await;
    assert_eq!(head, format!("rulekit_all_types on DEAL_123: FAILED — {reason}"));
    let color = b.eval("return getComputedStyle(document.querySelector('#runs .run.failed .run-head')).color").await.unwrap();
    assert_eq!(color, "rgb(204, 0, 0)", "in red");
    let steps = texts(&b, "#runs .run.failed .timeline li").await;
    assert_eq!(steps.len(), 3, "{steps:?}");
    assert!(steps[0].ends_with("sent to the handler"), "{steps:?}");
    assert!(steps[1].ends_with("acknowledged: HTTP 200"), "{steps:?}");
    assert!(steps[2].contains("answer (bizproc.event.send)") && steps[2].ends_with(reason), "{steps:?}");
    assert!(steps.iter().all(|s| s.as_bytes().get(2) == Some(&b':')), "each step has its time: {steps:?}");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_its_user_picker_and_the_demo_form_follow_the_language() {
    let r = sandbox(Config::default()).await;
    let b = open(&r, "?lang=ru").await;
    assert_eq!(text(&b, "label[for='rk-notes']").await, "Примечания", "the demo rule's names in Russian");
    assert_eq!(text(&b, "label[for='rk-title']").await, "Название счёта");
    click(&b, "[data-code='approvers'] .rk-choose").await;
    b.client.enter_parent_frame().await.unwrap();
    b.wait_for("!document.querySelector('#user-picker').hidden", WAIT).await.unwrap();
    assert_eq!(text(&b, "#user-picker-choose").await, "Выбрать");
    assert_eq!(texts(&b, "#user-picker button").await, ["Выбрать", "Отмена"]);
    assert_eq!((text(&b, "#save").await, text(&b, "#cancel").await), ("Сохранить".into(), "Отмена".into()));
    assert_eq!(text(&b, "#run").await, "Запустить правило на DEAL_123");
    let headings = texts(&b, ".panels h2").await;
    assert!(headings.contains(&"Зарегистрированные свойства".to_string()) && headings.contains(&"Журнал протокола".to_string()), "{headings:?}");
    assert_eq!(texts(&b, "#properties th").await, ["код", "название", "тип", "обязательное", "множественное"]);
    assert!(texts(&b, "#properties td").await.contains(&"Примечания".to_string()), "the registered names too");
    b.close().await;

    let b = open(&r, "?lang=de").await;
    assert_eq!(text(&b, "label[for='rk-notes']").await, "Notizen");
    assert_eq!(text(&b, "label[for='rk-send_copy']").await, "Kopie an den Kunden senden");
    assert!(texts(&b, "#rk-format option").await.contains(&"Word-Dokument".to_string()), "option titles too");
    b.client.enter_parent_frame().await.unwrap();
    assert_eq!((text(&b, "#save").await, text(&b, "#run").await), ("Speichern".into(), "Regel auf DEAL_123 ausführen".into()));
    b.close().await;
}

/// Nothing wider than the window, and each of `controls` inside it and shown.
async fn fits(b: &Browser, controls: &[&str]) {
    let widths = "document.documentElement.scrollWidth <= document.documentElement.clientWidth";
    if b.wait_for(widths, WAIT).await.is_err() {
        let w = b.eval("return [document.documentElement.scrollWidth, document.documentElement.clientWidth]").await;
        panic!("the page scrolls sideways (scroll width, client width): {w:?}");
    }
    for css in controls {
        let js = format!(
            "const e = document.querySelector({css:?}); const r = e.getBoundingClientRect(); \
             return r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= document.documentElement.clientWidth"
        );
        assert_eq!(b.eval(&js).await.unwrap(), Value::Bool(true), "{css} is shown inside the window");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_works_in_a_window_600_px_wide() {
    let r = sandbox(Config::default()).await;
    // A run with its timeline, so the runs panel has long lines too.
    let run = tokio::task::block_in_place(|| http(&r, "POST", "/sandbox/run", "application/json", "{}"));
    assert_eq!(run.0, 200);
    let b = open(&r, "").await;
    b.client.enter_parent_frame().await.unwrap();
    b.client.set_window_size(600, 900).await.unwrap();
    let width = b.eval("return window.innerWidth").await.unwrap().as_f64().unwrap();
    assert!(width <= 600.0, "the window is {width} px wide");
    b.wait_for("document.querySelector('#runs .run.succeeded .timeline li')", WAIT).await.unwrap();
    fits(&b, &["#rule-name", "iframe", "#save", "#cancel", "#run", ".langs", "#runs", "#properties", "#log"]).await;
    b.client.goto(&format!("{}app", r.portal_url())).await.unwrap();
    b.wait_for("document.querySelector('#update-app')", WAIT).await.unwrap();
    fits(&b, &["iframe", "#update-app"]).await;
    b.close().await;
}
