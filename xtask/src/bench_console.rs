//! The console's figures: finding and stopping N workflows against the sandbox at the portal's
//! real limits (2 requests a second, a burst of 50), driven by the same planner the console runs
//! (`rulekit_model::planner`), over HTTP. Printed: the HTTP requests against the documented
//! ceiling ceil(N/50) + ceil(N/2500) + 3, the limiter's refusals (must be 0), and the wall time
//! against the bucket's own floor, (requests − 50) / 2 seconds, measured in the same run.

use crate::http::request;
use rulekit_model::planner::workflows::{stop_items, WorkflowQuery, WorkflowRow};
use rulekit_model::planner::{Job, Plan, Runner, Step};
use serde_json::Value;
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Workflows generated in the sandbox (the demo adds a few of its own).
pub const N: usize = 10_000;

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

struct Sandbox {
    child: Child,
    portal: SocketAddr,
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_sandbox() -> Result<Sandbox, String> {
    let root = crate::root();
    let (port, app_port) = (crate::free_port().map_err(|e| e.to_string())?, crate::free_port().map_err(|e| e.to_string())?);
    let child = Command::new(root.join("target/debug/rulekit-sandbox"))
        .args(["--dist", &root.join("dist").to_string_lossy(), "--port", &port.to_string(), "--app-port", &app_port.to_string()])
        .args(["--workflows", &N.to_string()])
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start the sandbox: {e}"))?;
    let sandbox = Sandbox { child, portal: SocketAddr::from(([127, 0, 0, 1], port)) };
    for _ in 0..200 {
        if request(sandbox.portal, "GET", "/sandbox/stats", "text/plain", b"").is_ok_and(|a| a.status == 200) {
            return Ok(sandbox);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err("the sandbox did not start".into())
}

/// The administrator's token, taken from the portal's page as the app's frame gets it.
fn token(portal: SocketAddr) -> Result<String, String> {
    let page = request(portal, "GET", "/app", "text/plain", b"").map_err(|e| e.to_string())?.body;
    let at = page.find(r#"name="AUTH_ID" value=""#).ok_or("no AUTH_ID on the portal's page")? + r#"name="AUTH_ID" value=""#.len();
    Ok(page[at..].split('"').next().unwrap_or_default().to_string())
}

/// Runs a plan to its end over HTTP, paced by its runner; the runner's request count.
fn drive<P: Plan>(portal: SocketAddr, auth: &str, plan: P) -> Result<(P, u64), String> {
    let mut runner = Runner::new(plan);
    loop {
        match runner.step(now_ms()) {
            Step::Wait(ms) => std::thread::sleep(Duration::from_millis(ms)),
            Step::Send(call) => {
                let mut params = call.params.clone();
                params["auth"] = Value::String(auth.to_string());
                let body = params.to_string();
                let path = format!("/rest/{}.json", call.method);
                match request(portal, "POST", &path, "application/json", body.as_bytes()) {
                    Ok(a) => runner.answered_body(now_ms(), a.status, &a.json()),
                    Err(e) => runner.answered(now_ms(), Err(rulekit_model::planner::CallError::new(0, "NETWORK_ERROR", e.to_string()))),
                }
            }
            Step::RefreshAuth => return Err("the token expired during the bench".into()),
            Step::Done | Step::Idle => break,
        }
    }
    let requests = runner.stats().requests;
    Ok((runner.plan, requests))
}

pub fn run() -> Result<(), String> {
    let sandbox = start_sandbox()?;
    let auth = token(sandbox.portal)?;
    request(sandbox.portal, "POST", "/sandbox/stats/reset", "application/json", b"{}").map_err(|e| e.to_string())?;
    let started = Instant::now();
    let query = WorkflowQuery::default();
    let (listing, _) = drive(sandbox.portal, &auth, query.listing(now_ms()))?;
    if let Some(e) = listing.error() {
        return Err(format!("listing failed: {}: {}", e.code, e.description));
    }
    let rows: Vec<WorkflowRow> = listing.rows().iter().filter_map(WorkflowRow::from_json).collect();
    let found = Instant::now();
    let (job, _) = drive(sandbox.portal, &auth, Job::new("bench", stop_items(&rows, true, ""), now_ms()))?;
    let wall = started.elapsed().as_secs_f64();
    let progress = job.progress(now_ms());
    let stats = request(sandbox.portal, "GET", "/sandbox/stats", "text/plain", b"").map_err(|e| e.to_string())?.json();
    let requests = stats["requests"].as_u64().unwrap_or(0);
    let refused = stats["refused"].as_u64().unwrap_or(0);
    let n = rows.len();
    let ceiling = n.div_ceil(50) + n.div_ceil(2500) + 3;
    let floor = (requests.saturating_sub(50)) as f64 / 2.0;
    println!("\nconsole: find and stop N workflows against the sandbox at the portal's limits (2/s, burst 50)");
    println!("  workflows found and stopped   {n} ({} stopped, {} failed)", progress.done, progress.failed);
    println!("  HTTP requests                 {requests} (ceiling ceil(N/50) + ceil(N/2500) + 3 = {ceiling})");
    println!("  limiter refusals              {refused}");
    println!("  listing                       {:.1} s", (found - started).as_secs_f64());
    println!("  wall time                     {wall:.1} s, against the bucket's floor (requests − 50) / 2 = {floor:.1} s: {:.2}x", wall / floor.max(0.001));
    if requests as usize > ceiling || refused > 0 || progress.done != n {
        return Err("the console's plan broke its bounds (see above)".into());
    }
    Ok(())
}
