//! The runs API's figures: p50 and p99 of `GET /api/runs` (a page of 50, newest first; and one
//! filtered by status) over a store of 100,000 runs, 64 concurrent clients, the handler on one
//! core. Beside them, measured in the same run on the same handler and core, a bare axum route
//! answering a fixed JSON page of the same size (a file of `--dist`): what the check of the
//! caller, the query and the encoding add. The caller is checked by the sandbox's `user.admin`
//! once; the verdict is then cached, as in production.

use crate::bench::{pinned, wait_until, Stopped};
use crate::http::request;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::TokioExecutor;
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const RUNS: usize = 100_000;
const CONCURRENCY: usize = 64;
const REQUESTS: usize = 5_000;
const WARMUP: usize = 500;

/// The sandbox as the portal: its member id, and its administrator's token from the app's frame.
fn sandbox() -> Result<(Stopped, SocketAddr, String, String), String> {
    let root = crate::root();
    let (port, app_port) = (crate::free_port().map_err(|e| e.to_string())?, crate::free_port().map_err(|e| e.to_string())?);
    let child = Command::new(root.join("target/debug/rulekit-sandbox"))
        .args(["--dist", &root.join("dist").to_string_lossy(), "--port", &port.to_string(), "--app-port", &app_port.to_string()])
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start the sandbox: {e}"))?;
    let (guard, portal) = (Stopped(child), SocketAddr::from(([127, 0, 0, 1], port)));
    wait_until(portal, "/sandbox/stats", "sandbox")?;
    let state = request(portal, "GET", "/sandbox/state", "text/plain", b"").map_err(|e| e.to_string())?.json();
    let member = state["member_id"].as_str().ok_or("the sandbox's state has no member_id")?.to_string();
    let page = request(portal, "GET", "/app", "text/plain", b"").map_err(|e| e.to_string())?.body;
    let marker = r#"name="AUTH_ID" value=""#;
    let at = page.find(marker).ok_or("no AUTH_ID on the portal's page")? + marker.len();
    let token = page[at..].split('"').next().unwrap_or_default().to_string();
    Ok((guard, portal, member, token))
}

/// 100,000 runs in the handler's store, written with SQL next to the running handler (WAL): 80%
/// the bench portal's, the rest another's; one in ten failed, one in fifty waiting, the rest done.
fn seed(db: &std::path::Path, member: &str) -> Result<(), String> {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64);
    let start = now - RUNS as i64 * 1000;
    let sql = format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {RUNS})
         INSERT INTO jobs (member_id, event_token, code, request, checkpoint, state, attempts, next_at, last_error, created_at, updated_at, document, returned)
         SELECT CASE WHEN i % 5 = 0 THEN 'another-portal' ELSE '{member}' END, 'bench-' || i,
             CASE WHEN i % 3 = 0 THEN 'rulekit_timeline_comment' ELSE 'rulekit_invoice' END, '{{\"form\":\"\"}}', '{{}}',
             CASE WHEN i % 10 = 3 THEN 'failed' WHEN i % 50 = 1 THEN 'queued' ELSE 'done' END, CASE WHEN i % 10 = 3 THEN 10 ELSE 1 END, 0,
             CASE WHEN i % 10 = 3 THEN 'The portal refused the call: OWNER_NOT_FOUND: Owner element is not found (400).' END,
             {start} + i * 1000, {start} + i * 1000 + 700, 'DEAL_' || (i % 5000),
             CASE WHEN i % 10 != 3 THEN '{{\"invoice_id\":' || i || '}}' END FROM n;"
    );
    // rusqlite with its own SQLite (the handler's), so no sqlite3 tool is needed on the machine.
    let conn = rusqlite::Connection::open(db).map_err(|e| format!("cannot open the store {}: {e}", db.display()))?;
    conn.busy_timeout(Duration::from_secs(10)).map_err(|e| e.to_string())?;
    conn.execute_batch(&sql).map_err(|e| format!("cannot seed the store: {e}"))
}

type Http = Client<HttpConnector, Full<Bytes>>;

/// One GET: how long it took, and the body (an error unless 2xx).
async fn get(client: &Http, url: &str, headers: &[(String, String)]) -> Result<(Duration, Bytes), String> {
    let mut r = hyper::Request::get(url);
    for (k, v) in headers {
        r = r.header(k, v);
    }
    let r = r.body(Full::new(Bytes::new())).map_err(|e| e.to_string())?;
    let start = Instant::now();
    let response = client.request(r).await.map_err(|e| e.to_string())?;
    let status = response.status();
    let body = response.into_body().collect().await.map_err(|e| e.to_string())?.to_bytes();
    if !status.is_success() {
        return Err(format!("{url} answered {status}: {}", String::from_utf8_lossy(&body)));
    }
    Ok((start.elapsed(), body))
}

/// `count` GETs of `url` from `CONCURRENCY` clients: latencies, wall time, the last body's size.
async fn load(url: &str, headers: &[(String, String)], count: usize) -> Result<(Vec<Duration>, Duration, usize), String> {
    let client: Http = Client::builder(TokioExecutor::new()).pool_max_idle_per_host(CONCURRENCY).build_http();
    let (next, headers) = (Arc::new(std::sync::atomic::AtomicUsize::new(0)), Arc::new(headers.to_vec()));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CONCURRENCY {
        let (client, next, url, headers) = (client.clone(), next.clone(), url.to_string(), headers.clone());
        tasks.push(tokio::spawn(async move {
            let (mut latencies, mut size) = (Vec::new(), 0);
            while next.fetch_add(1, std::sync::atomic::Ordering::SeqCst) < count {
                let (took, bytes) = get(&client, &url, &headers).await?;
                latencies.push(took);
                size = bytes.len();
            }
            Ok::<_, String>((latencies, size))
        }));
    }
    let (mut all, mut size) = (Vec::with_capacity(count), 0);
    for t in tasks {
        let (l, s) = t.await.map_err(|e| e.to_string())??;
        all.extend(l);
        size = size.max(s);
    }
    let wall = start.elapsed();
    all.sort();
    Ok((all, wall, size))
}

pub async fn run() -> Result<(), String> {
    let root = crate::root();
    let mut build = crate::setup::cmd("cargo");
    build.args(["build", "--quiet", "--profile", "server", "--locked", "-p", "rulekit-handler"]);
    crate::setup::run(build)?;
    let mut build = crate::setup::cmd("cargo");
    build.args(["build", "--quiet", "--locked", "-p", "rulekit-sandbox"]);
    crate::setup::run(build)?;
    let (_sandbox, portal, member, token) = sandbox()?;
    let dir = std::env::temp_dir().join(format!("rulekit-bench-api-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("web")).map_err(|e| e.to_string())?;
    let (db, domain, port) = (dir.join("bench.sqlite"), format!("localhost:{}", portal.port()), crate::free_port().map_err(|e| e.to_string())?);
    let taskset = pinned();
    let mut command = Command::new(if taskset { "taskset".into() } else { root.join("target/server/rulekit-handler") });
    if taskset {
        command.args(["-c", "0"]).arg(root.join("target/server/rulekit-handler"));
    }
    command
        .args(["--listen", &format!("127.0.0.1:{port}"), "--threads", "1", "--workers", "0", "--allow-host", "localhost", "--allow-http"])
        .args(["--portal", &format!("{member}=bench-application-token@{domain}"), "--api-rate", "1000000", "--api-burst", "1000000"])
        .arg("--db")
        .arg(&db)
        .arg("--dist")
        .arg(dir.join("web"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let _handler = Stopped(command.spawn().map_err(|e| format!("cannot start the handler: {e}"))?);
    let handler = SocketAddr::from(([127, 0, 0, 1], port));
    wait_until(handler, "/healthz", "handler")?;
    seed(&db, &member)?;
    if taskset {
        // The load generator runs on the other core.
        let _ = Command::new("taskset").args(["-cp", "1", &std::process::id().to_string()]).stdout(Stdio::null()).status();
    }
    let headers = vec![
        ("authorization".to_string(), format!("Bearer {token}")),
        ("x-portal-member".to_string(), member.clone()),
        ("x-portal-domain".to_string(), domain.clone()),
    ];
    // The first request asks the portal; its page is the baseline's fixed answer.
    let base = format!("http://{handler}");
    let client: Http = Client::builder(TokioExecutor::new()).build_http();
    let runs_url = format!("{base}/api/runs?limit=50");
    let (_, body) = get(&client, &runs_url, &headers).await?;
    std::fs::write(dir.join("web/page.json"), &body).map_err(|e| e.to_string())?;
    let cases = [
        ("GET /api/runs?limit=50 (newest first)", runs_url.clone(), headers.clone()),
        ("GET /api/runs?status=failed&limit=50", format!("{base}/api/runs?status=failed&limit=50"), headers.clone()),
        ("baseline: bare axum route, fixed JSON", format!("{base}/page.json"), Vec::new()),
    ];
    let mut results = Vec::new();
    for (name, url, h) in &cases {
        load(url, h, WARMUP).await?;
        results.push((name, load(url, h, REQUESTS).await?));
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let pick = |l: &[Duration], p: f64| ms(l[((l.len() - 1) as f64 * p) as usize]);
    let (_, (base_l, _, _)) = &results[2];
    let (base50, base99) = (pick(base_l, 0.50), pick(base_l, 0.99));
    println!("\nruns API: {RUNS} runs in the store (80% one portal's), {REQUESTS} requests a case, {CONCURRENCY} concurrent clients");
    println!("  handler on {}", if taskset { "one core (taskset -c 0), one request thread" } else { "one request thread (taskset missing: not pinned)" });
    println!("  {:<42} {:>8} {:>10} {:>10} {:>10} {:>16}", "case", "bytes", "req/s", "p50 ms", "p99 ms", "p50 / p99 ratio");
    for (name, (l, wall, size)) in &results {
        let (p50, p99) = (pick(l, 0.50), pick(l, 0.99));
        let rate = l.len() as f64 / wall.as_secs_f64();
        println!("  {name:<42} {size:>8} {rate:>10.0} {p50:>10.2} {p99:>10.2} {:>7.1}x / {:.1}x", p50 / base50.max(0.001), p99 / base99.max(0.001));
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
