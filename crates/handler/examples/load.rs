//! The handler bench's load generator (`cargo xtask bench handler`), built in release so that it is
//! not what the figures measure: `CONNECTIONS` keep-alive connections post rule runs, each with a
//! fresh event token, to the URLs in turn, as a load balancer would. Prints one line:
//! `runs_per_second p50_ms p99_ms`.
//!
//! usage: load CONNECTIONS WARMUP RUNS TEMPLATE_FILE URL...

use bytes::Bytes;
use http_body_util::Full;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The event token in the fixture, replaced per run.
const TOKEN: &str = "hsyUws1j4XiwqPqN45eH66CcQtEvpUIP";

async fn load(urls: &[String], template: &str, connections: usize, from: usize, count: usize) -> (Vec<Duration>, Duration) {
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).pool_max_idle_per_host(connections).build_http();
    let next = Arc::new(AtomicUsize::new(from));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let (client, next, urls, template) = (client.clone(), next.clone(), urls.to_vec(), template.to_string());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= from + count {
                    return latencies;
                }
                let body = template.replace(TOKEN, &format!("{i:032}"));
                let request = axum::http::Request::post(&urls[i % urls.len()])
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(Full::new(Bytes::from(body)))
                    .expect("a request");
                let sent = Instant::now();
                let response = client.request(request).await.expect("the server answers");
                assert!(response.status().is_success(), "the server answered {}", response.status());
                latencies.push(sent.elapsed());
            }
        }));
    }
    let mut all = Vec::with_capacity(count);
    for t in tasks {
        all.extend(t.await.expect("a load task"));
    }
    (all, start.elapsed())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |i: usize| args.get(i).and_then(|a| a.parse::<usize>().ok()).expect("usage: load CONNECTIONS WARMUP RUNS TEMPLATE_FILE URL...");
    let (connections, warmup, runs) = (number(0), number(1), number(2));
    let template = std::fs::read_to_string(&args[3]).expect("the template file");
    let urls = args[4..].to_vec();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    runtime.block_on(async {
        load(&urls, &template, connections, 0, warmup).await;
        let (mut latencies, elapsed) = load(&urls, &template, connections, warmup, runs).await;
        latencies.sort();
        let pick = |p: f64| latencies[((latencies.len() - 1) as f64 * p) as usize].as_secs_f64() * 1000.0;
        println!("{:.1} {:.3} {:.3}", runs as f64 / elapsed.as_secs_f64(), pick(0.5), pick(0.99));
    });
}
