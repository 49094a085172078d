//! The app's origin (`127.0.0.1:<port>`): the built app (`dist/`: the settings page, and the
//! console in `dist/console/`) with BX24.js pointed at the sandbox, the deploy-time `config.json`
//! naming this sandbox's addresses, and the page that checks the official JS SDK against the portal.

use crate::Sandbox;
use axum::extract::{Path, State as AxState};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use rulekit_model::site::{content_type, BX24_SCRIPT};

const SDK_CHECK: &str = include_str!("../assets/sdk-check.html");

/// GET and POST on the page: Bitrix24 opens a placement with a POST of its fields.
pub fn router(sandbox: Sandbox) -> Router {
    Router::new()
        .route("/", get(index).post(index))
        .route("/index.html", get(index).post(index))
        .route("/config.json", get(config_json))
        .route("/console", get(|| async { axum::response::Redirect::permanent("/console/") }))
        .route("/console/", get(console).post(console))
        .route("/console/{file}", get(console_file))
        .route("/__sdk/{file}", get(sdk_file).post(sdk_file))
        .route("/{file}", get(dist_file))
        .with_state(sandbox)
}

/// A page of `dist/` (`folder` "" or "console"), with BX24.js from the sandbox instead of its
/// official address: the one change to `dist/`.
fn page(s: &Sandbox, folder: &str) -> Response {
    let path = s.dist.join(folder).join("index.html");
    match std::fs::read_to_string(&path) {
        Ok(page) => {
            let local = format!(r#"<script src="http://{}/api/v1/"></script>"#, s.portal_host);
            Html(page.replace(BX24_SCRIPT, &local)).into_response()
        }
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("The app is not built ({}: {e}). Run `cargo xtask build`, or start the sandbox with `cargo xtask run`.", path.display()),
        )
            .into_response(),
    }
}

async fn index(AxState(s): AxState<Sandbox>) -> Response {
    page(&s, "")
}

async fn console(AxState(s): AxState<Sandbox>) -> Response {
    page(&s, "console")
}

/// A file of `dist/` or `dist/console/`, top level only: no path leaves the folder.
fn file(s: &Sandbox, folder: &str, file: &str) -> Response {
    if file.contains("..") || file.contains('/') {
        return StatusCode::NOT_FOUND.into_response();
    }
    match std::fs::read(s.dist.join(folder).join(file)) {
        Ok(bytes) => ([(header::CONTENT_TYPE, content_type(file))], bytes).into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn dist_file(AxState(s): AxState<Sandbox>, Path(name): Path<String>) -> Response {
    file(&s, "", &name)
}

async fn console_file(AxState(s): AxState<Sandbox>, Path(name): Path<String>) -> Response {
    file(&s, "console", &name)
}

/// What a deployment writes beside the pages: where the rules run and where their settings page
/// is. Here, this sandbox's own addresses.
async fn config_json(AxState(s): AxState<Sandbox>) -> Json<serde_json::Value> {
    Json(serde_json::json!({"handler": s.rule_handler, "settings_page": s.app_url}))
}

/// The SDK check page and the SDK's browser build, when the sandbox was given `--sdk-dir`.
async fn sdk_file(AxState(s): AxState<Sandbox>, Path(file): Path<String>) -> Response {
    let Some(dir) = &s.sdk_dir else { return StatusCode::NOT_FOUND.into_response() };
    match file.as_str() {
        "check.html" => Html(SDK_CHECK).into_response(),
        "b24jssdk.js" => match std::fs::read(dir.join("index.min.js")) {
            Ok(bytes) => ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], bytes).into_response(),
            Err(_) => StatusCode::NOT_FOUND.into_response(),
        },
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}
