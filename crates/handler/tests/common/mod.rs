//! What the handler's tests share: a handler and a sandbox in process, runs started the way the
//! sandbox's "Run the rule" button starts them, REST calls with the sandbox's token, and waits.
#![allow(dead_code)] // each test binary uses its own part

use rulekit_handler::{start as start_handler, Config as HandlerConfig, Running as Handler};
use rulekit_sandbox::{start as start_sandbox, Config as SandboxConfig, Running as Sandbox};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use xtask::http::request;

static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// A fresh folder for one test's store.
pub fn scratch() -> std::path::PathBuf {
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("rulekit-handler-test-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The environment variable that puts the tests' handlers on PostgreSQL: a server URL without a
/// database (`postgres://postgres@127.0.0.1:5432`), in which each handler gets a database of its
/// own. `cargo xtask test` runs the store-agnostic tests a second time that way, on a throwaway
/// cluster it starts and removes.
pub const PG_ENV: &str = "RULEKIT_TEST_PG";

/// Where a test's handler keeps its runs: a fresh SQLite file, or a fresh PostgreSQL database when
/// `RULEKIT_TEST_PG` is set.
pub async fn fresh_store() -> rulekit_handler::store::Target {
    use rulekit_handler::store::Target;
    let Ok(server) = std::env::var(PG_ENV) else { return Target::Sqlite(scratch().join("store.sqlite")) };
    let server = server.trim_end_matches('/').to_string();
    let (client, connection) = tokio_postgres::connect(&format!("{server}/postgres"), tokio_postgres::NoTls).await.expect("the test cluster answers");
    tokio::spawn(connection);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let name = format!("t_{}_{n}", std::process::id());
    client.batch_execute(&format!("CREATE DATABASE {name}")).await.expect("a database for the test");
    Target::Postgres(format!("{server}/{name}"))
}

pub async fn handler(portals: &str, tweak: impl FnOnce(&mut HandlerConfig)) -> Handler {
    let mut c = HandlerConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        db: fresh_store().await,
        dist: Some(xtask::root().join("dist")),
        workers: 2,
        retry_base_ms: 50,
        // The sandbox is a portal on localhost over plain http.
        allow_hosts: vec!["localhost".into()],
        allow_http: true,
        ..HandlerConfig::default()
    };
    for p in portals.split(',').filter(|p| !p.is_empty()) {
        c.portals.push(rulekit_handler::config::parse_portal(p).unwrap());
    }
    tweak(&mut c);
    start_handler(c).await.expect("the handler starts")
}

/// The sandbox with the invoice rule registered to run on `h`, and its install event delivered.
pub async fn with_sandbox(h: &Handler, rate: (f64, f64)) -> Sandbox {
    with_sandbox_on(h, rate, 0).await
}

pub async fn with_sandbox_on(h: &Handler, rate: (f64, f64), port: u16) -> Sandbox {
    let s = start_sandbox(SandboxConfig {
        portal_port: port,
        dist: xtask::root().join("dist"),
        handler_url: Some(format!("http://{}/run", h.addr)),
        install_url: Some(format!("http://{}/install", h.addr)),
        rate,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    installed(h, s).await
}

/// The sandbox `s` once its install event has reached `h` (it is posted as the sandbox starts).
pub async fn installed(h: &Handler, s: Sandbox) -> Sandbox {
    let member = s.sandbox.with_state(|st| st.member_id.clone());
    for _ in 0..200 {
        if h.shared.installed(&member) {
            return s;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the install event did not arrive");
}

pub fn post(addr: std::net::SocketAddr, path: &str, content_type: &str, body: &str) -> xtask::http::Answer {
    tokio::task::block_in_place(|| request(addr, "POST", path, content_type, body.as_bytes()).unwrap())
}

/// Runs a rule from the sandbox, as its "Run the rule" button does, and waits until the run has
/// an answer (or the handler has given up).
pub async fn run(s: &Sandbox, code: &str, document: &str) -> Value {
    let answer = post(s.portal, "/sandbox/run", "application/json", &json!({"code": code, "document_id": document}).to_string());
    assert_eq!(answer.status, 200, "{}", answer.body);
    let token = answer.json()["run"]["event_token"].as_str().unwrap().to_string();
    completed(s, &token).await
}

/// Waits until the run with this event token has its answer, or the handler has written why it
/// failed to the workflow's log (a failure a retry can repair leaves the step waiting).
pub async fn completed(s: &Sandbox, token: &str) -> Value {
    for _ in 0..400 {
        let run = s.sandbox.with_state(|st| st.runs.iter().find(|r| r.event_token == token).cloned()).unwrap();
        if run.state == "completed" || !run.log.is_empty() {
            return serde_json::to_value(run).unwrap();
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let runs = s.sandbox.with_state(|st| st.runs.clone());
    panic!("the run did not complete: {runs:?}");
}

pub fn invoices(s: &Sandbox) -> Vec<rulekit_sandbox::state::Item> {
    s.sandbox.with_state(|st| st.items.iter().filter(|i| i.entity_type_id == 31).cloned().collect())
}

pub async fn job_states(h: &Handler) -> Vec<(String, i64)> {
    h.shared.store.counts().await.unwrap()
}

pub async fn wait_for_jobs(h: &Handler, state: &str, n: i64) {
    for _ in 0..400 {
        if job_states(h).await.iter().any(|(s, c)| s == state && *c == n) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("no {n} {state} jobs: {:?}", job_states(h).await);
}


/// A REST call to the sandbox's portal with its access token; the answer's JSON.
pub fn call(s: &Sandbox, method: &str, mut params: Value) -> Value {
    params["auth"] = json!(s.sandbox.with_state(|st| st.tokens.access.clone()));
    let a = tokio::task::block_in_place(|| request(s.portal, "POST", &format!("/rest/{method}.json"), "application/json", params.to_string().as_bytes()).unwrap());
    assert_eq!(a.status, 200, "{method}: {}", a.body);
    a.json()
}

/// The comments on one document's timeline, oldest first.
pub fn comments_on(s: &Sandbox, entity_type: &str, entity_id: u64) -> Vec<rulekit_sandbox::state::TimelineComment> {
    s.sandbox.with_state(|st| st.timeline_comments.iter().filter(|c| c.entity_type == entity_type && c.entity_id == entity_id).cloned().collect())
}

/// A request with headers of its own (the runs API's), `Connection: close`, the whole answer back.
pub fn with_headers(addr: std::net::SocketAddr, method: &str, path: &str, headers: &[(&str, &str)]) -> xtask::http::Answer {
    exchange(std::net::TcpStream::connect(addr).unwrap(), addr, method, path, headers, b"")
}

/// One request on a connection already open to `addr` (from an address of the test's choice).
pub fn exchange(mut s: std::net::TcpStream, addr: std::net::SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> xtask::http::Answer {
    use std::io::{Read, Write};
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let extra: String = headers.iter().map(|(k, v)| format!("{k}: {v}\r\n")).collect();
    write!(s, "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n", body.len()).unwrap();
    s.write_all(body).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    xtask::http::Answer { status, headers: head.to_string(), body: body.to_string() }
}

/// The runs API as a portal user: `token` with the sandbox portal's member id and domain.
pub fn api(h: &Handler, s: &Sandbox, method: &str, path: &str, token: &str) -> xtask::http::Answer {
    let member = s.sandbox.with_state(|st| st.member_id.clone());
    let bearer = format!("Bearer {token}");
    let headers = [("Authorization", bearer.as_str()), ("X-Portal-Member", &member), ("X-Portal-Domain", &s.sandbox.portal_host)];
    tokio::task::block_in_place(|| with_headers(h.addr, method, path, &headers))
}

/// A second portal on the same handler: the demo portal's member id is fixed, so this one gets
/// its own, then its install event.
pub async fn second_portal(h: &Handler) -> Sandbox {
    let s = with_sandbox(h, (50.0, 500.0)).await;
    s.sandbox.with_state(|st| st.member_id = "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0".into());
    let installed = post(h.addr, "/install", "application/x-www-form-urlencoded", &rulekit_sandbox::install_event(&s.sandbox));
    assert_eq!(installed.status, 200, "{}", installed.body);
    s
}

/// Every log line of this test binary, at every level.
pub fn logs() -> Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let sink = buffer.clone();
        let _ = tracing_subscriber::fmt()
            .json()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || Capture(sink.clone()))
            .try_init();
        buffer
    })
    .clone()
}

struct Capture(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A POST straight into the handler's router, as `fn app` builds it: no connection, so no peer
/// address either.
pub async fn oneshot(h: &Handler, path: &str, body: impl Into<Vec<u8>>) -> xtask::http::Answer {
    use tower::ServiceExt;
    let body = axum::body::Body::from(body.into());
    let request = axum::http::Request::post(path).header("content-type", "application/x-www-form-urlencoded").body(body).unwrap();
    let response = rulekit_handler::app(h.shared.clone()).oneshot(request).await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().iter().map(|(k, v)| format!("{k}: {}\r\n", v.to_str().unwrap_or(""))).collect();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    xtask::http::Answer { status, headers, body: String::from_utf8_lossy(&body).into_owned() }
}
