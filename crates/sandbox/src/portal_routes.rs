//! The portal's origin (`localhost:<port>`): its page with the settings dialog, BX24.js, the
//! dialog's own endpoints, "Run the rule", the REST edge and the OAuth server.

use crate::console_page::{self, ConsoleInput};
use crate::portal_page::{page, PageInput};
use crate::random::random_hex;
use crate::{console_endpoints as console, dialog_endpoints as dialog, oauth, rest_edge, run_endpoints as runs, Sandbox};
use axum::extract::{Query, State as AxState};
use axum::http::header;
use axum::response::{Html, IntoResponse};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use std::collections::HashMap;

const BX24_JS: &str = include_str!("../assets/bx24.js");
const PORTAL_JS: &str = include_str!("../assets/portal.js");
const SANDBOX_CSS: &str = include_str!("../assets/sandbox.css");

pub fn router(sandbox: Sandbox) -> Router {
    Router::new()
        .route("/", get(portal_page))
        .route("/app", get(console_page))
        .route("/sandbox/installed", post(installed))
        // The address the app's index.html loads BX24.js from, pointed here (see `app_files`).
        .route("/api/v1/", get(|| async { js(BX24_JS) }))
        .route("/api/v1", get(|| async { js(BX24_JS) }))
        .route("/portal.js", get(|| async { js(PORTAL_JS) }))
        .route("/sandbox.css", get(|| async { ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], SANDBOX_CSS) }))
        .route("/sandbox/state", get(|AxState(s): AxState<Sandbox>| async move { Json(s.public_state()) }))
        .route("/sandbox/save", post(dialog::save))
        .route("/sandbox/refresh", post(dialog::refresh))
        .route("/sandbox/expire", post(dialog::expire))
        .route("/sandbox/option", post(dialog::option))
        .route("/sandbox/run", post(runs::run_rule))
        .route("/sandbox/receiver", post(runs::receiver))
        .route("/sandbox/stats", get(console::stats))
        .route("/sandbox/stats/reset", post(console::reset_stats))
        .route("/sandbox/update-app", post(console::update))
        .route("/sandbox/fail-next", post(crate::failures::fail_next)).route("/sandbox/fail-next/clear", post(crate::failures::clear))
        .route("/rest/{method}", any(rest_edge::call))
        .route("/oauth-server/oauth/token/", any(oauth::token))
        .with_state(sandbox)
}

fn js(body: &'static str) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], body)
}

/// `/?rule=CODE&lang=xx&install=1`: the dialog of a rule (the default one when the code is
/// unknown), in a language of two letters, on the app's first run when asked.
async fn portal_page(AxState(s): AxState<Sandbox>, Query(q): Query<HashMap<String, String>>) -> Html<String> {
    let lang = page_lang(&q);
    let sid = random_hex(32);
    let inner = s.lock();
    let code = q.get("rule").filter(|c| inner.state.rule(c).is_some()).cloned().unwrap_or_else(|| inner.state.dialog.code.clone());
    let install = q.get("install").is_some_and(|v| v == "1");
    Html(page(PageInput { state: &inner.state, portal_host: &s.portal_host, app_url: &s.app_url, lang, app_sid: &sid, code: &code, install }))
}

/// The language of a page: two letters, `en` otherwise.
fn page_lang(q: &HashMap<String, String>) -> &str {
    q.get("lang").map(String::as_str).filter(|l| l.len() == 2 && l.chars().all(|c| c.is_ascii_alphabetic())).unwrap_or("en")
}

/// `/app?user=ID&lang=xx&install=1`: the app's own page (the console) as that user sees it (the
/// app's administrator by default), on the app's first run when asked.
async fn console_page(AxState(s): AxState<Sandbox>, Query(q): Query<HashMap<String, String>>) -> Html<String> {
    let lang = page_lang(&q).to_string();
    let sid = random_hex(32);
    let install = q.get("install").is_some_and(|v| v == "1");
    let console_url = format!("{}console/", s.app_url);
    s.with_state(|state| {
        let user = q.get("user").and_then(|u| u.parse().ok()).filter(|id| state.user(*id).is_some()).unwrap_or(state.current_user);
        // Install mode is the portal's answer to an app that is not installed yet.
        if install {
            state.installed = false;
        }
        let token = crate::rest::token_for(state, user);
        Html(console_page::page(ConsoleInput {
            state,
            portal_host: &s.portal_host,
            console_url: &console_url,
            lang: &lang,
            app_sid: &sid,
            user,
            token: &token,
            install,
        }))
    })
}

/// The install page called `BX24.installFinish()`: the app is installed.
async fn installed(AxState(s): AxState<Sandbox>) -> Json<serde_json::Value> {
    s.with_state(|state| state.installed = true);
    Json(serde_json::json!({"installed": true}))
}
