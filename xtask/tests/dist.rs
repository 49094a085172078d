//! The release `dist/` (built by `cargo xtask build`, as the test command does first) works from a
//! plain static server at any base path: relative, hashed asset names, and the app starts in
//! headless Chromium and shows the form.

use serde_json::json;
use std::time::Duration;
use xtask::browser::Browser;
use xtask::serve::{serve_dist, with_stub, BX24_SCRIPT};

fn index() -> String {
    let path = xtask::root().join("dist/index.html");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e} (build it with `cargo xtask build`)", path.display()))
}

#[test]
fn dist_uses_relative_hashed_urls_and_the_official_bx24_address() {
    let page = index();
    assert!(page.contains(BX24_SCRIPT), "index.html loads BX24.js from its official address");
    for attr in ["href=\"", "src=\"", "from '", "module_or_path: '"] {
        for (i, _) in page.match_indices(attr) {
            let url = &page[i + attr.len()..];
            let ok = url.starts_with("./") || url.starts_with("//api.bitrix24.com/");
            assert!(ok, "absolute asset URL: {}", &url[..url.len().min(60)]);
        }
    }
    let files: Vec<String> = std::fs::read_dir(xtask::root().join("dist"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for ext in [".wasm", ".js", ".css"] {
        let f = files.iter().find(|f| f.ends_with(ext)).unwrap_or_else(|| panic!("no {ext} in dist"));
        let stem = f.trim_end_matches(ext).trim_end_matches("_bg");
        let hash = stem.rsplit('-').next().unwrap();
        assert!(hash.len() >= 8 && hash.chars().all(|c| c.is_ascii_hexdigit()), "{f} has no content hash");
    }
}

#[test]
fn only_the_bx24_script_address_changes_for_a_local_stand_in() {
    let page = index();
    let local = with_stub(&page, r#"{"init":{"LANG":"en"}}"#);
    assert!(!local.contains(BX24_SCRIPT));
    let (a, b) = (page.replace(BX24_SCRIPT, ""), local.lines().filter(|l| !l.contains("install_stub")).collect::<Vec<_>>().join("\n"));
    assert_eq!(a.lines().filter(|l| !l.trim().is_empty()).count(), b.lines().filter(|l| !l.trim().is_empty()).count());
}

#[tokio::test(flavor = "current_thread")]
async fn dist_starts_from_a_nested_base_path_on_a_plain_static_server() {
    let options: serde_json::Value = serde_json::from_str(&xtask::fixture("placement-options.robot-designer.json")).unwrap();
    let config = json!({"init": {"LANG": "de", "PLACEMENT": "BIZPROC_ACTIVITY_PROPERTIES_DIALOG", "PLACEMENT_OPTIONS": options}});
    let server = serve_dist(xtask::root().join("dist"), "/some/deep/base/", Some(config.to_string())).unwrap();
    let browser = Browser::start().await.expect("headless Chromium");
    browser.client.goto(&server.url()).await.unwrap();
    let ready = browser.wait_for("document.querySelector(\"[data-ready='1']\")", Duration::from_secs(20)).await;
    let title = browser.eval("return document.querySelector(\"label[for='rk-title']\")?.textContent").await.unwrap();
    let pushes = browser.eval("return window.__bx24.calls.filter(c => c.command === 'setPropertyValue').length").await.unwrap();
    let fitted = browser.eval("return window.__bx24.calls.some(c => c.command === 'fitWindow')").await.unwrap();
    browser.close().await;
    ready.expect("the release build starts and shows the form");
    assert_eq!(title, json!("Rechnungstitel"));
    assert_eq!(pushes, json!(0));
    assert_eq!(fitted, json!(true));
}

#[test]
fn a_plain_static_server_refuses_what_it_does_not_serve() {
    use std::io::{Read, Write};
    let server = serve_dist(xtask::root().join("dist"), "/base/", None).unwrap();
    let get = |req: &str| {
        let mut s = std::net::TcpStream::connect(server.addr).unwrap();
        s.write_all(req.as_bytes()).unwrap();
        let mut out = String::new();
        let _ = s.read_to_string(&mut out);
        out
    };
    assert!(get("GET /base/ HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 200"));
    assert!(get("GET /base/../Cargo.toml HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 404"));
    assert!(get("POST /base/ HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 405"));
    let page = get("GET /base/ HTTP/1.1\r\n\r\n");
    assert!(page.contains(BX24_SCRIPT), "without a stand-in, index.html is served as built");
}

#[tokio::test(flavor = "current_thread")]
async fn with_the_system_set_to_dark_the_form_stays_light_unless_the_portal_says_dark() {
    let options: serde_json::Value = serde_json::from_str(&xtask::fixture("placement-options.robot-designer.json")).unwrap();
    let config = json!({"init": {"LANG": "en", "PLACEMENT": "BIZPROC_ACTIVITY_PROPERTIES_DIALOG", "PLACEMENT_OPTIONS": options}});
    let server = serve_dist(xtask::root().join("dist"), "/", Some(config.to_string())).unwrap();
    let browser = Browser::start_with(&["--force-dark-mode"]).await.expect("headless Chromium");
    let look = "return [matchMedia('(prefers-color-scheme: dark)').matches, getComputedStyle(document.body).backgroundColor, \
                getComputedStyle(document.body).fontFamily.split(',')[0]]";
    browser.client.goto(&server.url()).await.unwrap();
    let ready = browser.wait_for("document.querySelector(\"[data-ready='1']\")", Duration::from_secs(20)).await;
    let light = browser.eval(look).await.unwrap();
    browser.client.goto(&[server.url(), "?THEME=dark".into()].concat()).await.unwrap();
    let ready_dark = browser.wait_for("document.querySelector(\"[data-ready='1']\")", Duration::from_secs(20)).await;
    let dark = browser.eval(look).await.unwrap();
    browser.close().await;
    ready.and(ready_dark).expect("the form starts");
    assert_eq!(light[0], json!(true), "the system prefers dark here");
    assert_eq!(light[1], json!("rgb(255, 255, 255)"), "the system alone does not turn the form dark");
    assert_eq!(light[2], json!("system-ui"), "the portal's font stack");
    assert_eq!(dark[1], json!("rgb(31, 35, 39)"), "dark when the portal says so");
}

