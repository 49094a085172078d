//! rulekit's execution handler. It takes rule runs (verified against the portal's application
//! token, stored before the 2xx, done once per event token), install events, and serves the
//! settings app's files, which Bitrix24 opens with a POST; and the runs API for the console (`api`).

pub mod api;
pub mod attempt;
pub mod call_limit;
pub mod config;
mod install;
mod install_limit;
pub mod journal;
pub mod portal_api;
pub mod reason;
pub mod record;
pub mod rules;
pub mod settle;
pub mod store;
pub mod worker;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
pub use config::Config;
use portal_api::PortalApi;
use record::StoredRun;
use rulekit_model::intake::Intake;
use rulekit_model::text::Lang;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};
use store::{Portal, Store};
use subtle::ConstantTimeEq;
use tokio::sync::Notify;

#[derive(Clone)]
pub struct Shared {
    pub store: Store,
    pub config: Arc<Config>,
    pub api: PortalApi,
    /// Installed portals by `member_id`, kept in memory: a run is verified without a read.
    portals: Arc<RwLock<HashMap<String, Portal>>>,
    /// Wakes an idle worker when a run arrives.
    pub wake: Arc<Notify>,
    /// The runs API's verdict cache and per-portal buckets.
    pub gate: Arc<api::auth::Gate>,
    /// Install attempts per client address.
    installs: Arc<install_limit::InstallLimit>,
    /// When each portal was last read from a shared store for a request that did not match: a
    /// flood of forged requests reads the store once a second per portal, not once per request.
    synced: Arc<std::sync::Mutex<HashMap<String, std::time::Instant>>>,
    /// Counts changes to `portals` made here, so that a reload read before one does not undo it.
    changes: Arc<std::sync::atomic::AtomicU64>,
}

/// What a request gets back when it is refused. The message names the problem, never a value
/// that came with the request.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error("{0}")]
    BadRequest(String),
    #[error("the request is not from an installed portal, or its application token is wrong")]
    Unauthorized,
    /// An install no one vouches for: neither named by the operator nor confirmed by the portal.
    #[error("this handler takes installs only from the portals it is started with (--allow-install-from), \
             unless it has the app's client id to confirm them with the portal")]
    NotNamed,
    #[error("too many install attempts from this address; try again in {retry_after_s} s")]
    RateLimited { retry_after_s: u64 },
    #[error("the run could not be stored; Bitrix24 will not resend it, so this is logged")]
    Store(#[from] store::StoreError),
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let status = match self {
            Refusal::BadRequest(_) => StatusCode::BAD_REQUEST,
            Refusal::Unauthorized => StatusCode::UNAUTHORIZED,
            // Not 401: no credentials would change the answer, only the handler's configuration.
            Refusal::NotNamed => StatusCode::FORBIDDEN,
            Refusal::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Refusal::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        let mut response = (status, Json(json!({"error": self.to_string()}))).into_response();
        if let Refusal::RateLimited { retry_after_s } = self {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_s));
        }
        response
    }
}

impl Shared {
    // A worker that panicked while holding the lock left the map whole: each write is one insert
    // or remove.
    fn portals(&self) -> RwLockReadGuard<'_, HashMap<String, Portal>> {
        self.portals.read().unwrap_or_else(|p| p.into_inner())
    }

    fn portals_mut(&self) -> RwLockWriteGuard<'_, HashMap<String, Portal>> {
        self.portals.write().unwrap_or_else(|p| p.into_inner())
    }

    /// The portal a request claims to come from, if its token matches (in constant time) and its
    /// domain is the one installed.
    fn verify(&self, member_id: &str, application_token: &str, domain: &str) -> Result<(), Refusal> {
        let portals = self.portals();
        let portal = portals.get(member_id).ok_or(Refusal::Unauthorized)?;
        let same = portal.application_token.as_bytes().ct_eq(application_token.as_bytes());
        let domain_ok = portal.domain.eq_ignore_ascii_case(domain);
        if application_token.is_empty() || !bool::from(same) || !domain_ok {
            return Err(Refusal::Unauthorized);
        }
        Ok(())
    }

    /// Whether a portal is installed (for tests and health checks; no token involved).
    pub fn installed(&self, member_id: &str) -> bool {
        self.portals().contains_key(member_id)
    }

    /// The language a portal's workflows are told things in: the one it was installed with, else
    /// the handler's `--lang`.
    pub fn lang_of(&self, member_id: &str) -> Lang {
        self.portals().get(member_id).and_then(|p| p.language.as_deref()).map_or(self.config.lang, Lang::from_code)
    }

    pub(crate) fn known(&self, member_id: &str) -> Option<Portal> {
        self.portals().get(member_id).cloned()
    }

    fn forget(&self, member_id: &str) {
        self.portals_mut().remove(member_id);
        self.changes.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    fn remember(&self, portal: Portal) {
        self.portals_mut().insert(portal.member_id.clone(), portal);
        self.changes.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    /// On a shared store another handler may have installed, reinstalled or removed this portal:
    /// its entry in memory is brought up to date from the store. Nothing to do on a store of our own.
    pub(crate) async fn sync_portal(&self, member_id: &str) {
        if !self.store.shared() || member_id.is_empty() {
            return;
        }
        {
            let mut synced = self.synced.lock().unwrap_or_else(|p| p.into_inner());
            let now = std::time::Instant::now();
            if synced.get(member_id).is_some_and(|at| now.duration_since(*at) < std::time::Duration::from_secs(1)) {
                return;
            }
            if synced.len() > 10_000 {
                synced.clear();
            }
            synced.insert(member_id.to_string(), now);
        }
        match self.store.portal(member_id.to_string()).await {
            Ok(Some(p)) => self.remember(p),
            Ok(None) => self.forget(member_id),
            Err(e) => tracing::warn!(event = "store.error", error = %e),
        }
    }
}

/// How often a handler on a shared store reloads every portal, so that one removed through
/// another handler stops being accepted here too.
const PORTALS_RELOAD: std::time::Duration = std::time::Duration::from_secs(30);

/// A body as text: one that is not UTF-8 is 400, whatever it claims.
fn body_text(body: &[u8]) -> Result<&str, Refusal> {
    std::str::from_utf8(body).map_err(|_| Refusal::BadRequest("the body is not UTF-8 text".into()))
}

/// A form body (PHP brackets) as JSON. A body that cannot be read is 400 whatever it claims, since
/// it carries no credentials to check; the reason is said in fixed words, never the decoder's,
/// which quote the body.
fn decode_form(text: &str) -> Result<Value, Refusal> {
    rulekit_model::form_encoding::decode(text)
        .map_err(|_| Refusal::BadRequest("the body is not a form (application/x-www-form-urlencoded, PHP-style brackets) that can be read".into()))
}

/// `POST` of a rule run. Verified, checked, stored, then 2xx; the work happens in a worker.
///
/// The body is stored as it came, and only the fields the intake checks are read from it
/// (`rulekit_model::intake`): the worker reads the rest. A body Bitrix24 sends is plainly a form
/// that can be read, and its fields are read straight off it; anything less plain is decoded in
/// full, so a body that cannot be read is refused with 400 whatever it carries, and its fields
/// are the worker's own reading.
async fn run(State(s): State<Shared>, body: Bytes) -> Result<Response, Refusal> {
    let text = body_text(&body)?;
    let (run, plain) = match Intake::plain(text) {
        Some(run) => (run, true),
        None => (Intake::from_decoded(&decode_form(text)?), false),
    };
    // Verify before anything else is checked: a forged request learns nothing about what else
    // was wrong.
    if s.verify(&run.member_id, &run.application_token, &run.domain).is_err() {
        // Installed (or reinstalled) through another handler, perhaps.
        s.sync_portal(&run.member_id).await;
        s.verify(&run.member_id, &run.application_token, &run.domain)?;
    }
    run.check().map_err(|e| Refusal::BadRequest(format!("not a rule run: {e}")))?;
    s.config.endpoint_allowed(&run.client_endpoint, &run.domain).map_err(Refusal::BadRequest)?;
    let (member_id, code, workflow_id) = (&*run.member_id, &*run.code, &*run.workflow_id);
    let new = s
        .store
        .enqueue_run(member_id.to_string(), run.event_token.to_string(), code.to_string(), run.document.to_string(), StoredRun::intake_text(text, plain))
        .await
        .inspect_err(|e| tracing::error!(event = "run.not_stored", code, workflow_id, error = %e))?;
    tracing::info!(event = if new { "run.accepted" } else { "run.repeated" }, code, member_id, workflow_id);
    if new {
        s.wake.notify_one();
    }
    // Fixed JSON, not built per run.
    let answer = if new { r#"{"status":"accepted"}"# } else { r#"{"status":"already accepted"}"# };
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], answer).into_response())
}

async fn healthz(State(s): State<Shared>) -> Response {
    match s.store.counts().await {
        Ok(counts) => Json(json!({"status": "ok", "jobs": counts.into_iter().collect::<HashMap<_, _>>()})).into_response(),
        Err(e) => (StatusCode::SERVICE_UNAVAILABLE, Json(json!({"status": e.to_string()}))).into_response(),
    }
}

fn with_cache(mut r: Response, value: &'static str) -> Response {
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    r
}

/// A page of `dist/` (`index.html` of the settings page or of `console/`), for GET and for the
/// POST Bitrix24 opens it with. Never forbids framing.
fn page(s: &Shared, folder: &str, headers: &HeaderMap) -> Response {
    let Some(dist) = &s.config.dist else {
        return (StatusCode::NOT_FOUND, "this handler serves no app pages (start it with --dist)").into_response();
    };
    match read_asset(&dist.join(folder), "index.html", headers) {
        Some(r) => with_cache(r, "no-cache"),
        None => (StatusCode::SERVICE_UNAVAILABLE, "the app is not built; run `cargo xtask build`").into_response(),
    }
}

/// `name` in `dir`, as its smallest precompressed copy the browser accepts (written by `cargo
/// xtask build`) or as it is: a settings page that every rule user opens goes out as brotli, a
/// third of its bytes.
fn read_asset(dir: &std::path::Path, name: &str, headers: &HeaderMap) -> Option<Response> {
    let accept = headers.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let (bytes, coding) = rulekit_model::site::candidates(name, accept)
        .into_iter()
        .find_map(|(file, coding)| Some((std::fs::read(dir.join(file)).ok()?, coding)))?;
    let mut r = ([(header::CONTENT_TYPE, rulekit_model::site::content_type(name))], bytes).into_response();
    if rulekit_model::site::compressible(name) {
        r.headers_mut().insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    if let Some(coding) = coding {
        r.headers_mut().insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
    }
    Some(r)
}

/// The settings page (a rule's PLACEMENT_HANDLER).
async fn index(State(s): State<Shared>, headers: HeaderMap) -> Response {
    page(&s, "", &headers)
}

/// The console (the app's main URL).
async fn console(State(s): State<Shared>, headers: HeaderMap) -> Response {
    page(&s, "console", &headers)
}

/// A file of `dist/` or of `dist/console/`: top level of each only, so no path leaves them.
fn file(s: &Shared, folder: &str, file: &str, headers: &HeaderMap) -> Response {
    let Some(dist) = &s.config.dist else { return StatusCode::NOT_FOUND.into_response() };
    if file.contains("..") || file.contains('/') || file == "index.html" {
        return StatusCode::NOT_FOUND.into_response();
    }
    // Trunk puts a content hash in every asset's name: such a file never changes. The deploy-time
    // `config.json` has no hash and may change at any time.
    let cache = if file.ends_with(".json") { "no-cache" } else { "public, max-age=31536000, immutable" };
    match read_asset(&dist.join(folder), file, headers) {
        Some(r) => with_cache(r, cache),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn asset(State(s): State<Shared>, Path(name): Path<String>, headers: HeaderMap) -> Response {
    file(&s, "", &name, &headers)
}

async fn console_asset(State(s): State<Shared>, Path(name): Path<String>, headers: HeaderMap) -> Response {
    file(&s, "console", &name, &headers)
}

pub fn app(shared: Shared) -> Router {
    let limit = shared.config.max_body;
    Router::new()
        .merge(api::router(shared.clone()))
        .route("/run", post(run))
        .route("/install", post(install::install))
        .route("/healthz", get(healthz))
        .route("/", get(index).post(index))
        .route("/settings", get(index).post(index))
        .route("/settings/", get(index).post(index))
        .route("/settings/{file}", get(asset))
        // The pages use relative addresses: `/console` must become `/console/` (308 keeps the POST).
        .route("/console", any(|| async { axum::response::Redirect::permanent("/console/") }))
        .route("/console/", get(console).post(console))
        .route("/console/{file}", get(console_asset))
        .route("/{file}", get(asset))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(shared)
}

pub struct Running {
    pub addr: SocketAddr,
    pub shared: Shared,
}

/// Opens the store, loads the portals, starts the workers and the server.
pub async fn start(config: Config) -> Result<Running, String> {
    let store = Store::connect_with(&config.db, config.lease, config.db_ca.as_deref()).await.map_err(|e| format!("cannot open the store {}: {e}", config.db.shown()))?;
    for p in &config.portals {
        store.save_portal(p.clone()).await.map_err(|e| e.to_string())?;
    }
    let portals = store.portals().await.map_err(|e| e.to_string())?;
    let listener = tokio::net::TcpListener::bind(config.listen).await.map_err(|e| match e.kind() {
        // Said with the port's number: the next step is to find what holds it.
        std::io::ErrorKind::AddrInUse => format!("port {} is already in use: stop what uses it (another handler, or `cargo xtask run`?) or choose another with --listen", config.listen.port()),
        _ => format!("cannot listen on {}: {e}", config.listen),
    })?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let workers = config.workers;
    let gate = Arc::new(api::auth::Gate::new(config.api_rate as f64, config.api_burst as f64));
    let api = PortalApi::limited(call_limit::CallLimit::new(config.portal_rate, config.portal_burst, &store));
    let shared = Shared {
        store,
        config: Arc::new(config),
        api,
        portals: Arc::new(RwLock::new(portals.into_iter().map(|p| (p.member_id.clone(), p)).collect())),
        wake: Arc::new(Notify::new()),
        gate,
        installs: Arc::default(),
        synced: Arc::default(),
        changes: Arc::default(),
    };
    worker::spawn(shared.clone(), workers);
    if shared.store.shared() {
        let reload = shared.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(PORTALS_RELOAD).await;
                let before = reload.changes.load(std::sync::atomic::Ordering::SeqCst);
                match reload.store.portals().await {
                    Ok(all) => {
                        let mut portals = reload.portals_mut();
                        // A portal installed or removed here while the store was read stays as it is
                        // now; the next reload takes the store's word.
                        if reload.changes.load(std::sync::atomic::Ordering::SeqCst) == before {
                            *portals = all.into_iter().map(|p| (p.member_id.clone(), p)).collect();
                        }
                    }
                    Err(e) => tracing::warn!(event = "store.error", error = %e),
                }
            }
        });
    }
    // With the peer's address, which install attempts are counted by.
    let router = app(shared.clone()).into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, router).await });
    Ok(Running { addr, shared })
}
