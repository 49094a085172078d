//! The built pages opened outside a portal, where BX24.js throws as it loads (as the real library
//! does when the frame's name carries no portal): the page explains itself, and no uncaught page
//! error is left behind its message.

use std::path::Path;
use std::time::Duration;
use xtask::browser::Browser;
use xtask::serve::{serve_dist, BX24_SCRIPT};

/// Counts the page's uncaught errors: a listener that runs before every other one looks again
/// once they have all run, and keeps the errors none of them handled.
const WATCH: &str = r#"<script>window.__uncaught = []; addEventListener("error", function (e) { setTimeout(function () { if (!e.defaultPrevented) window.__uncaught.push(String(e.message)); }); }, true);</script>"#;

/// What BX24.js does outside a frame.
const THROWING_LIBRARY: &str = r#"<script>window.BX24 = null; throw new Error("Unable to initialize Bitrix24 JS library!");</script>"#;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e} (build it with `cargo xtask build`)", from.display())) {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

async fn uncaught_errors(page: &str, screen: &str) -> (serde_json::Value, serde_json::Value) {
    let dir = std::env::temp_dir().join(format!("rulekit-outside-{}-{}", std::process::id(), page.replace('/', "_")));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&xtask::root().join("dist"), &dir);
    let index = dir.join(page).join("index.html");
    let html = std::fs::read_to_string(&index).unwrap();
    assert!(html.contains(BX24_SCRIPT), "{page} loads BX24.js from its official address");
    let html = html.replacen("<head>", &["<head>", WATCH].concat(), 1).replace(BX24_SCRIPT, THROWING_LIBRARY);
    std::fs::write(&index, html).unwrap();
    // Each page is served from its own folder: the plain server has no directory index.
    let server = serve_dist(dir.join(page), "/", None).unwrap();
    let browser = Browser::start().await.expect("headless Chromium");
    browser.client.goto(&server.url()).await.unwrap();
    let shown = browser.wait_for(&format!("document.querySelector(\"{screen}\")"), Duration::from_secs(20)).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let errors = browser.eval("return window.__uncaught").await.unwrap();
    let text = browser.eval("return document.body.innerText").await.unwrap();
    browser.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    shown.unwrap_or_else(|e| panic!("{page}: the page does not explain itself: {e}"));
    (errors, text)
}

#[tokio::test(flavor = "current_thread")]
async fn the_settings_page_outside_a_portal_leaves_no_uncaught_error() {
    let (errors, text) = uncaught_errors("", "[data-screen='outside']").await;
    assert!(text.as_str().unwrap_or_default().contains("This page belongs inside Bitrix24"), "{text}");
    assert_eq!(errors, serde_json::json!([]), "no uncaught error behind the message");
}

#[tokio::test(flavor = "current_thread")]
async fn the_console_outside_a_portal_leaves_no_uncaught_error() {
    let (errors, _) = uncaught_errors("console/", "main").await;
    assert_eq!(errors, serde_json::json!([]), "no uncaught error behind the message");
}
