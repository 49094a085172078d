//! rulekit's local Bitrix24: the portal page with the settings dialog around the app's frame, the
//! portal's side of the frame protocol, a BX24.js-compatible client, the REST methods rulekit uses,
//! and rule runs. Two origins, as in production: the portal on `localhost:<port>`, the app on
//! `127.0.0.1:<app port>`.

pub mod demo;
pub mod portal;
pub mod rest;
pub mod run;
pub mod state;

use axum::body::Bytes;
use axum::extract::{Path, Query, State as AxState};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use rest::{Bucket, RestError};
use serde_json::{json, Value};
use state::{random_hex, State};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

const BX24_JS: &str = include_str!("../assets/bx24.js");
const PORTAL_JS: &str = include_str!("../assets/portal.js");
const SANDBOX_CSS: &str = include_str!("../assets/sandbox.css");
/// The script address in the app's `index.html`; the only thing the sandbox changes in `dist/`.
pub const BX24_SCRIPT: &str = r#"<script src="//api.bitrix24.com/api/v1/"></script>"#;

pub struct Config {
    pub dist: PathBuf,
    pub portal_port: u16,
    pub app_port: u16,
    /// A `PLACEMENT_OPTIONS` JSON to show instead of the demo rule's.
    pub placement_options: Option<Value>,
    /// Where the state is loaded from (if it exists) and saved to.
    pub state_file: Option<PathBuf>,
    /// The demo rule's `HANDLER`; the sandbox's own receiver when `None`.
    pub demo_handler_url: Option<String>,
    /// rulekit's execution handler (its run URL): the invoice rule is registered to run there.
    pub handler_url: Option<String>,
    /// Where the app's install event (`ONAPPINSTALL`) is posted when the sandbox starts.
    pub install_url: Option<String>,
    /// Leaky bucket: requests drained per second, and the burst.
    pub rate: (f64, f64),
    /// Where the official JS SDK's browser build is, for the SDK check page.
    pub sdk_dir: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            dist: PathBuf::from("dist"),
            portal_port: 0,
            app_port: 0,
            placement_options: None,
            state_file: None,
            demo_handler_url: None,
            handler_url: None,
            install_url: None,
            rate: (2.0, 50.0),
            sdk_dir: None,
        }
    }
}

struct Inner {
    state: State,
    bucket: Bucket,
}

/// The app's OAuth client secret in the sandbox (its client id is in the state).
pub const CLIENT_SECRET: &str = "sandbox-client-secret";

#[derive(Clone)]
pub struct Sandbox {
    inner: Arc<Mutex<Inner>>,
    /// `localhost:<port>`: the portal's DOMAIN.
    pub portal_host: String,
    /// `http://127.0.0.1:<port>/`: the settings page.
    pub app_url: String,
    dist: Arc<PathBuf>,
    sdk_dir: Option<Arc<PathBuf>>,
    state_file: Option<Arc<PathBuf>>,
    /// For tests: while set, `bizproc.event.send` waits before doing anything.
    stall_event_send: Arc<std::sync::atomic::AtomicBool>,
}

pub struct Running {
    pub sandbox: Sandbox,
    pub portal: SocketAddr,
    pub app: SocketAddr,
}

impl Running {
    /// The page a person opens.
    pub fn portal_url(&self) -> String {
        format!("http://{}/", self.sandbox.portal_host)
    }
}

impl Sandbox {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` on the state, then saves it to the state file when there is one.
    pub fn with_state<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        let mut inner = self.lock();
        let out = f(&mut inner.state);
        if let Some(path) = &self.state_file {
            if let Ok(text) = serde_json::to_string_pretty(&inner.state) {
                if let Err(e) = std::fs::write(path.as_ref(), text) {
                    eprintln!("sandbox: cannot save the state to {}: {e}", path.display());
                }
            }
        }
        out
    }

    /// Holds every `bizproc.event.send` (before it does anything) until called with `false`.
    pub fn stall_event_send(&self, stall: bool) {
        self.stall_event_send.store(stall, std::sync::atomic::Ordering::SeqCst);
    }

    /// The state as JSON with every token masked.
    pub fn public_state(&self) -> Value {
        let inner = self.lock();
        let mut v = serde_json::to_value(&inner.state).unwrap_or(Value::Null);
        v["tokens"] = json!({"access": "•••", "refresh": "•••", "expires": inner.state.tokens.expires});
        v["application_token"] = json!("•••");
        v
    }
}

/// Starts both servers on loopback and returns once they listen.
pub async fn start(config: Config) -> std::io::Result<Running> {
    let portal_listener = tokio::net::TcpListener::bind(("127.0.0.1", config.portal_port)).await?;
    let app_listener = tokio::net::TcpListener::bind(("127.0.0.1", config.app_port)).await?;
    let (portal, app) = (portal_listener.local_addr()?, app_listener.local_addr()?);
    let portal_host = format!("localhost:{}", portal.port());
    let app_url = format!("http://127.0.0.1:{}/", app.port());
    let receiver = format!("http://127.0.0.1:{}/sandbox/receiver", portal.port());
    let loaded = config.state_file.as_ref().filter(|p| p.exists()).map(|p| -> std::io::Result<State> {
        let text = std::fs::read_to_string(p)?;
        serde_json::from_str(&text).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, format!("{}: {e}", p.display())))
    });
    let mut state = match loaded {
        Some(s) => s?,
        None => State::demo(&app_url, config.demo_handler_url.as_deref().unwrap_or(&receiver)),
    };
    // Ports change between runs: keep the rules pointing at this run's pages.
    for rule in state.rules.iter_mut().filter(|r| r.code == demo::DEMO_CODE) {
        rule.fields.insert("PLACEMENT_HANDLER".into(), json!(app_url));
        rule.fields.insert("HANDLER".into(), json!(config.demo_handler_url.clone().unwrap_or(receiver.clone())));
    }
    if let Some(handler) = &config.handler_url {
        demo::register_invoice(&mut state, &app_url, handler);
    }
    if let Some(options) = config.placement_options {
        state.dialog.options_override = Some(options);
        state.dialog.saved.clear();
    }
    let sandbox = Sandbox {
        inner: Arc::new(Mutex::new(Inner { state, bucket: Bucket::new(config.rate.0, config.rate.1) })),
        portal_host,
        app_url,
        dist: Arc::new(config.dist),
        sdk_dir: config.sdk_dir.map(Arc::new),
        state_file: config.state_file.map(Arc::new),
        stall_event_send: Arc::default(),
    };
    let portal_app = portal_router(sandbox.clone());
    let app_app = app_router(sandbox.clone());
    tokio::spawn(async move { axum::serve(portal_listener, portal_app).await });
    tokio::spawn(async move { axum::serve(app_listener, app_app).await });
    if let Some(url) = config.install_url {
        let body = install_event(&sandbox);
        tokio::spawn(async move {
            // The handler may still be starting: try for a while.
            for _ in 0..50 {
                match post_form(&url, body.clone()).await {
                    Ok(200..=299) => return,
                    Ok(status) => eprintln!("sandbox: the install event got {status} from {url}"),
                    Err(_) => {}
                }
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            }
            eprintln!("sandbox: the install event could not be delivered to {url}");
        });
    }
    Ok(Running { sandbox, portal, app })
}

/// `ONAPPINSTALL` as the portal posts it to the app's event handler.
pub fn install_event(s: &Sandbox) -> String {
    let inner = s.lock();
    let st = &inner.state;
    rulekit_model::form_encoding::encode(&json!({
        "event": "ONAPPINSTALL", "data": {"VERSION": "1", "ACTIVE": "Y", "INSTALLED": "Y", "LANGUAGE_ID": "en"},
        "ts": state::now_unix().to_string(),
        "auth": {"access_token": st.tokens.access, "expires": st.tokens.expires.to_string(), "expires_in": "3600",
            "scope": "bizproc,crm,user,placement", "domain": s.portal_host, "server_endpoint": format!("http://{}/oauth-server/rest/", s.portal_host),
            "status": "L", "client_endpoint": format!("http://{}/rest/", s.portal_host), "member_id": st.member_id,
            "user_id": "1", "refresh_token": st.tokens.refresh, "application_token": st.application_token}
    }))
    .unwrap_or_default()
}

/// The OAuth server's refresh (spec §3.3): new tokens for the app's refresh token.
async fn oauth_token(AxState(s): AxState<Sandbox>, uri: axum::http::Uri, body: Bytes) -> Response {
    let text = format!("{}&{}", uri.query().unwrap_or(""), String::from_utf8_lossy(&body));
    let v = rulekit_model::form_encoding::decode(text.trim_matches('&')).unwrap_or(json!({}));
    let get = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let answer = s.with_state(|st| {
        let ok = get("grant_type") == "refresh_token" && get("client_id") == st.client_id && get("client_secret") == CLIENT_SECRET
            && get("refresh_token") == st.tokens.refresh;
        if !ok {
            return None;
        }
        st.tokens.access = random_hex(40);
        st.tokens.refresh = random_hex(40);
        st.tokens.expires = state::now_unix() + 3600;
        Some(json!({"access_token": st.tokens.access, "refresh_token": st.tokens.refresh, "expires_in": 3600,
            "expires": st.tokens.expires, "member_id": st.member_id, "domain": s.portal_host,
            "client_endpoint": format!("http://{}/rest/", s.portal_host), "status": "L"}))
    });
    match answer {
        Some(a) => Json(a).into_response(),
        None => (StatusCode::BAD_REQUEST, Json(json!({"error": "invalid_grant", "error_description": "Invalid refresh token"}))).into_response(),
    }
}

pub fn portal_router(sandbox: Sandbox) -> Router {
    Router::new()
        .route("/", get(portal_page))
        .route("/api/v1/", get(|| async { js(BX24_JS) }))
        .route("/api/v1", get(|| async { js(BX24_JS) }))
        .route("/portal.js", get(|| async { js(PORTAL_JS) }))
        .route("/sandbox.css", get(|| async { ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], SANDBOX_CSS) }))
        .route("/sandbox/state", get(|AxState(s): AxState<Sandbox>| async move { Json(s.public_state()) }))
        .route("/sandbox/save", post(save))
        .route("/sandbox/refresh", post(refresh))
        .route("/sandbox/expire", post(expire))
        .route("/sandbox/option", post(option))
        .route("/sandbox/run", post(run_rule))
        .route("/sandbox/receiver", post(receiver))
        .route("/rest/{method}", any(rest_call))
        .route("/oauth-server/oauth/token/", any(oauth_token))
        .with_state(sandbox)
}

fn js(body: &'static str) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], body)
}

async fn portal_page(AxState(s): AxState<Sandbox>, Query(q): Query<std::collections::HashMap<String, String>>) -> Html<String> {
    let lang = q.get("lang").map(String::as_str).filter(|l| l.len() == 2 && l.chars().all(|c| c.is_ascii_alphabetic())).unwrap_or("en");
    let sid = random_hex(32);
    let inner = s.lock();
    let code = q.get("rule").filter(|c| inner.state.rule(c).is_some()).cloned().unwrap_or_else(|| inner.state.dialog.code.clone());
    let install = q.get("install").is_some_and(|v| v == "1");
    Html(portal::page(portal::PageInput { state: &inner.state, portal_host: &s.portal_host, app_url: &s.app_url, lang, app_sid: &sid, code: &code, install }))
}

async fn save(AxState(s): AxState<Sandbox>, Json(body): Json<Value>) -> Json<Value> {
    let values = body.get("values").and_then(Value::as_object).cloned().unwrap_or_default();
    Json(s.with_state(|st| {
        let rule = body.get("code").and_then(Value::as_str).map(str::to_string).unwrap_or_else(|| st.dialog.code.clone());
        let known = portal::placement_options(st, &rule)["properties"].as_object().cloned().unwrap_or_default();
        let mut saved = st.saved(&rule);
        for (code, v) in values {
            if known.contains_key(&code) {
                saved.insert(code, v);
            }
        }
        st.dialog.saved.insert(rule, Value::Object(saved.clone()));
        Value::Object(saved)
    }))
}

async fn refresh(AxState(s): AxState<Sandbox>) -> Json<Value> {
    Json(s.with_state(|st| {
        st.tokens.access = random_hex(40);
        st.tokens.refresh = random_hex(40);
        st.tokens.expires = state::now_unix() + 3600;
        json!({"AUTH_ID": st.tokens.access, "AUTH_EXPIRES": "3600", "REFRESH_ID": st.tokens.refresh})
    }))
}

/// For tests: the access token expires now.
async fn expire(AxState(s): AxState<Sandbox>) -> StatusCode {
    s.with_state(|st| st.tokens.expires = 0);
    StatusCode::NO_CONTENT
}

async fn option(AxState(s): AxState<Sandbox>, Json(body): Json<Value>) -> Json<Value> {
    let name = body.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
    let value = body.get("value").cloned().unwrap_or(Value::Null);
    let app = body.get("scope").and_then(Value::as_str) == Some("app");
    Json(s.with_state(|st| {
        let target = if app { &mut st.app_options } else { &mut st.user_options };
        target.insert(name, value);
        Value::Object(target.clone())
    }))
}

async fn post_form(url: &str, body: String) -> Result<u16, String> {
    use http_body_util::Full;
    use hyper_util::client::legacy::Client;
    use hyper_util::rt::TokioExecutor;
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let request = axum::http::Request::post(url)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| e.to_string())?;
    match tokio::time::timeout(std::time::Duration::from_secs(10), client.request(request)).await {
        Ok(Ok(response)) => Ok(response.status().as_u16()),
        Ok(Err(e)) => Err(format!("cannot reach the handler: {e}")),
        Err(_) => Err("the handler did not answer within 10 s".into()),
    }
}

/// Runs the dialog's rule on a document (`{"document_id": "DEAL_123"}` by default): POSTs the
/// execution request to the rule's HANDLER, as the queue server does.
async fn run_rule(AxState(s): AxState<Sandbox>, body: Bytes) -> Response {
    let body: Value = serde_json::from_slice(&body).unwrap_or(json!({}));
    let document = body.get("document_id").and_then(Value::as_str).unwrap_or("DEAL_123").to_string();
    let code = body.get("code").and_then(Value::as_str).map(str::to_string);
    let prepared = s.with_state(|st| {
        let code = code.unwrap_or_else(|| st.dialog.code.clone());
        run::prepare(st, &s.portal_host, &code, &document)
    });
    let (request, handler) = match prepared {
        Ok(p) => p,
        Err(e) => return (StatusCode::BAD_REQUEST, Json(json!({"error": e}))).into_response(),
    };
    let token = request.event_token.clone();
    let outcome = post_form(&handler, request.to_form()).await;
    let run = s.with_state(|st| {
        let run = st.runs.iter_mut().find(|r| r.event_token == token)?;
        match outcome {
            Ok(status) => run.handler_status = Some(status),
            Err(e) => run.handler_error = Some(e),
        }
        serde_json::to_value(&*run).ok()
    });
    Json(json!({"run": run})).into_response()
}

/// The receiver the demo rule runs against until a real handler is configured: it takes the run
/// and answers at once through `bizproc.event.send`, so the whole loop shows on the page.
async fn receiver(AxState(s): AxState<Sandbox>, body: String) -> StatusCode {
    let Ok(form) = rulekit_model::form_encoding::decode(&body) else { return StatusCode::BAD_REQUEST };
    let token = form.get("event_token").and_then(Value::as_str).unwrap_or_default().to_string();
    let count = form.get("properties").and_then(Value::as_object).map_or(0, |p| p.len());
    let params = json!({"EVENT_TOKEN": token, "RETURN_VALUES": {"result": format!("{count} properties received")},
        "LOG_MESSAGE": "The sandbox's demo receiver took the run."});
    match s.with_state(|st| rest::bizproc::event_send(st, &params)) {
        Ok(_) => StatusCode::OK,
        Err(_) => StatusCode::UNAUTHORIZED,
    }
}

fn rest_response(status: u16, body: Value) -> Response {
    let mut r = (StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST), Json(body)).into_response();
    let h = r.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    r
}

/// Parameters from the query string and the body (form-encoded with PHP brackets, or JSON).
fn rest_params(query: Option<&str>, headers: &HeaderMap, body: &[u8]) -> Result<Value, RestError> {
    let bad = |e: String| RestError::bad("INVALID_REQUEST", format!("the request could not be read: {e}"));
    let mut params = rulekit_model::form_encoding::decode(query.unwrap_or("")).map_err(bad)?;
    let text = std::str::from_utf8(body).map_err(|e| bad(e.to_string()))?;
    if !text.trim().is_empty() {
        let is_json = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|c| c.contains("json"));
        let from_body = if is_json { serde_json::from_str(text).map_err(|e| bad(e.to_string()))? } else { rulekit_model::form_encoding::decode(text).map_err(bad)? };
        if let (Some(p), Value::Object(b)) = (params.as_object_mut(), from_body) {
            p.extend(b);
        }
    }
    Ok(params)
}

async fn rest_call(
    AxState(s): AxState<Sandbox>,
    Path(method): Path<String>,
    method_kind: Method,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if method_kind == Method::OPTIONS {
        let mut r = StatusCode::NO_CONTENT.into_response();
        let h = r.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
        h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, POST, OPTIONS"));
        h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("content-type, authorization"));
        return r;
    }
    let result = (|| {
        let mut params = rest_params(uri.query(), &headers, &body)?;
        let bearer = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).map(str::to_string);
        let token = rest::param(&params, "auth").or(bearer);
        if let Some(m) = params.as_object_mut() {
            m.retain(|k, _| !k.eq_ignore_ascii_case("auth"));
        }
        let name = method.strip_suffix(".json").unwrap_or(&method).to_string();
        Ok::<_, RestError>((params, token, name))
    })();
    let (params, token, name) = match result {
        Ok(parts) => parts,
        Err(e) => return rest_response(e.status, e.body()),
    };
    if name.eq_ignore_ascii_case("bizproc.event.send") {
        while s.stall_event_send.load(std::sync::atomic::Ordering::SeqCst) {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
    let result = (|| {
        let mut inner = s.lock();
        if !inner.bucket.take() {
            return Err(RestError::new(503, "QUERY_LIMIT_EXCEEDED", "Too many requests"));
        }
        rest::check_auth(&inner.state, token.as_deref())?;
        drop(inner);
        s.with_state(|st| if name.eq_ignore_ascii_case("batch") { rest::batch(st, &params) } else { rest::dispatch(st, &name, &params) })
    })();
    match result {
        Ok(reply) => rest_response(200, reply.body()),
        Err(e) => rest_response(e.status, e.body()),
    }
}

/// The app's origin: `dist/` with GET and POST on the page (Bitrix24 opens a placement with a
/// POST), BX24.js pointed at the sandbox, and the SDK check page when the SDK is installed.
pub fn app_router(sandbox: Sandbox) -> Router {
    Router::new()
        .route("/", get(app_index).post(app_index))
        .route("/index.html", get(app_index).post(app_index))
        .route("/__sdk/{file}", get(sdk_file).post(sdk_file))
        .route("/{file}", get(dist_file))
        .with_state(sandbox)
}

async fn app_index(AxState(s): AxState<Sandbox>) -> Response {
    let path = s.dist.join("index.html");
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

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("js") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("html") => "text/html; charset=utf-8",
        _ => "application/octet-stream",
    }
}

async fn dist_file(AxState(s): AxState<Sandbox>, Path(file): Path<String>) -> Response {
    if file.contains("..") || file.contains('/') {
        return StatusCode::NOT_FOUND.into_response();
    }
    match std::fs::read(s.dist.join(&file)) {
        Ok(bytes) => ([(header::CONTENT_TYPE, content_type(&file))], bytes).into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

const SDK_CHECK: &str = include_str!("../assets/sdk-check.html");

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
