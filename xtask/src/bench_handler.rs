//! The handler's figures: rule runs acknowledged per second on one core with durability on
//! (every 2xx after its run is committed to SQLite with `synchronous=FULL`), p50 and p99
//! latency, and the peak resident memory.

use bytes::Bytes;
use http_body_util::Full;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const CONCURRENCY: usize = 64;
const RUNS: usize = 20_000;
const WARMUP: usize = 1_000;

/// Peak resident set of a process, in kB.
fn peak_rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|l| l.strip_prefix("VmHWM:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn has_taskset() -> bool {
    Command::new("taskset").arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success())
}

async fn fire(client: &Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>, url: &str, body: String) -> Result<Duration, String> {
    let request = axum_free_request(url, body)?;
    let start = Instant::now();
    let response = client.request(request).await.map_err(|e| e.to_string())?;
    if !response.status().is_success() {
        return Err(format!("the handler answered {}", response.status()));
    }
    Ok(start.elapsed())
}

fn axum_free_request(url: &str, body: String) -> Result<hyper::Request<Full<Bytes>>, String> {
    hyper::Request::post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| e.to_string())
}

async fn load(url: &str, template: &str, from: usize, count: usize) -> Result<(Vec<Duration>, Duration), String> {
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).pool_max_idle_per_host(CONCURRENCY).build_http();
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(from));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CONCURRENCY {
        let (client, next, url, template) = (client.clone(), next.clone(), url.to_string(), template.to_string());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                if i >= from + count {
                    return Ok::<_, String>(latencies);
                }
                // A run of its own: a fresh event token.
                let body = template.replace("hsyUws1j4XiwqPqN45eH66CcQtEvpUIP", &format!("{i:032}"));
                latencies.push(fire(&client, &url, body).await?);
            }
        }));
    }
    let mut all = Vec::with_capacity(count);
    for t in tasks {
        all.extend(t.await.map_err(|e| e.to_string())??);
    }
    Ok((all, start.elapsed()))
}

pub async fn run() -> Result<(), String> {
    let root = crate::root();
    let mut build = crate::setup::cmd("cargo");
    build.args(["build", "--quiet", "--release", "--locked", "-p", "rulekit-handler"]);
    crate::setup::run(build)?;
    let binary = root.join("target/release/rulekit-handler");
    let dir = std::env::temp_dir().join(format!("rulekit-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let port = crate::free_port().map_err(|e| e.to_string())?;
    let pinned = has_taskset();
    let mut command = if pinned {
        let mut c = Command::new("taskset");
        c.args(["-c", "0"]).arg(&binary);
        c
    } else {
        Command::new(&binary)
    };
    command
        .args(["--listen", &format!("127.0.0.1:{port}"), "--threads", "1", "--workers", "0"])
        .args(["--portal", "a223c6b3710f85df22e9377d6c4f7553=51856fefc120afa4b628cc82d3935cce@example.bitrix24.de"])
        .arg("--db")
        .arg(dir.join("bench.sqlite"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut child = command.spawn().map_err(|e| format!("cannot start the handler: {e}"))?;
    if pinned {
        // The load generator runs on the other core.
        let _ = Command::new("taskset").args(["-cp", "1", &std::process::id().to_string()]).stdout(Stdio::null()).status();
    }
    let url = format!("http://127.0.0.1:{port}/run");
    let mut ready = false;
    for _ in 0..200 {
        if crate::http::request(([127, 0, 0, 1], port).into(), "GET", "/healthz", "text/plain", b"").is_ok_and(|a| a.status == 200) {
            ready = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    if !ready {
        let _ = child.kill();
        return Err("the handler did not start".into());
    }
    let template = crate::fixture("execution.invoice-deal.form");
    let result = async {
        load(&url, &template, 0, WARMUP).await?;
        load(&url, &template, WARMUP, RUNS).await
    }
    .await;
    // The handler's process is a child of `taskset` only until exec: its pid is the child's.
    let rss = peak_rss_kb(child.id());
    let _ = child.kill();
    let _ = child.wait();
    let (mut latencies, elapsed) = result?;
    latencies.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let pick = |p: f64| ms(latencies[((latencies.len() - 1) as f64 * p) as usize]);
    println!("\nexecution handler: {RUNS} rule runs, {CONCURRENCY} connections, durable (SQLite WAL, synchronous=FULL, group commit)");
    println!("  handler on {}", if pinned { "one core (taskset -c 0), one request thread" } else { "one request thread (taskset missing: not pinned)" });
    println!("  acknowledged per second   {:>10.0}", RUNS as f64 / elapsed.as_secs_f64());
    println!("  latency p50 / p99 (ms)    {:>10.2} / {:.2}", pick(0.50), pick(0.99));
    match rss {
        Some(kb) => println!("  peak RSS (MB)             {:>10.1}", kb as f64 / 1024.0),
        None => println!("  peak RSS                  not readable"),
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
