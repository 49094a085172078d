//! Three handlers on one PostgreSQL database, runs arriving at all three as a load balancer sends
//! them: each run is done exactly once, a handler killed mid-run has its runs finished by the
//! others, and together they keep each portal under its REST limit.

mod common;

use common::*;
use rulekit_handler::store::Target;
use rulekit_sandbox::Running as Sandbox;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use xtask::http::request;
use xtask::pg_cluster::PgCluster;

/// A sandbox whose rules are posted by the test itself, round-robin, as a load balancer would.
async fn sandbox(rate: (f64, f64)) -> Sandbox {
    rulekit_sandbox::start(rulekit_sandbox::Config {
        dist: xtask::root().join("dist"),
        handler_url: Some("http://127.0.0.1:9/run".into()),
        rate,
        ..rulekit_sandbox::Config::default()
    })
    .await
    .unwrap()
}

fn portal_arg(s: &Sandbox) -> String {
    s.sandbox.with_state(|st| format!("{}={}@{}", st.member_id, st.application_token, s.sandbox.portal_host))
}

/// `n` invoice runs the sandbox's workflows wait for: their form bodies and event tokens.
fn runs(s: &Sandbox, n: usize) -> Vec<(String, String)> {
    (0..n)
        .map(|i| {
            // The demo portal's deal and lead.
            let document = if i % 2 == 0 { "DEAL_123" } else { "LEAD_45" };
            let (request, _) = s.sandbox.with_state(|st| rulekit_sandbox::run::prepare(st, &s.sandbox.portal_host, "rulekit_invoice", document)).unwrap();
            (request.to_form(), request.event_token)
        })
        .collect()
}

/// Posts each run to the next handler in turn; every one is taken (2xx).
fn post_round_robin(addrs: &[std::net::SocketAddr], runs: &[(String, String)]) {
    for (i, (form, _)) in runs.iter().enumerate() {
        let a = request(addrs[i % addrs.len()], "POST", "/run", "application/x-www-form-urlencoded", form.as_bytes()).unwrap();
        assert_eq!(a.status, 200, "{}", a.body);
    }
}

/// Waits until every run's workflow has its answer; each has exactly one.
async fn all_answered(s: &Sandbox, runs: &[(String, String)], within: Duration) {
    let started = Instant::now();
    loop {
        let (done, waiting): (usize, Vec<String>) = s.sandbox.with_state(|st| {
            let completed: std::collections::HashSet<&str> = st.runs.iter().filter(|r| r.state == "completed").map(|r| r.event_token.as_str()).collect();
            let open: Vec<String> = runs.iter().filter(|(_, t)| !completed.contains(t.as_str())).take(3).map(|(_, t)| t.clone()).collect();
            (runs.iter().filter(|(_, t)| completed.contains(t.as_str())).count(), open)
        });
        if done == runs.len() {
            break;
        }
        assert!(started.elapsed() < within, "{done} of {} runs answered after {within:?}; e.g. {waiting:?}", runs.len());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    s.sandbox.with_state(|st| {
        let asked: std::collections::HashSet<&str> = runs.iter().map(|(_, t)| t.as_str()).collect();
        for run in st.runs.iter().filter(|r| asked.contains(r.event_token.as_str())) {
            assert_eq!(run.log.len(), 1, "answered exactly once: {run:?}");
        }
    });
}

/// What psql prints for one query on the cluster's database `db`.
fn psql(cluster: &PgCluster, db: &str, sql: &str) -> String {
    let out = Command::new(cluster.program("psql"))
        .args(["-X", "-h", "127.0.0.1", "-p", &cluster.port().to_string(), "-U", "postgres", "-d", db, "-tAc", sql])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Waits until the database's store records `n` runs done: a workflow has its answer a moment
/// before its run's commit.
async fn until_done(cluster: &PgCluster, db: &str, n: usize) {
    for _ in 0..100 {
        if psql(cluster, db, "SELECT count(*) FROM jobs WHERE state = 'done'") == n.to_string() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A cluster with database `db`, a sandbox whose portal allows `rate` (calls a second, burst),
/// and three in-process handlers on the database keeping that rate: the handlers and their addresses.
async fn three_on_one_database(db: &str, rate: (f64, f64)) -> (PgCluster, Sandbox, Vec<rulekit_handler::Running>, Vec<std::net::SocketAddr>) {
    let cluster = PgCluster::start().unwrap();
    let url = cluster.create_database(db).unwrap();
    let s = sandbox(rate).await;
    let mut handlers = Vec::new();
    for _ in 0..3 {
        let (url, portal) = (url.clone(), portal_arg(&s));
        handlers.push(
            handler(&portal, move |c| {
                c.db = Target::Postgres(url);
                c.workers = 4;
                (c.portal_rate, c.portal_burst) = rate;
            })
            .await,
        );
    }
    let addrs = handlers.iter().map(|h| h.addr).collect();
    (cluster, s, handlers, addrs)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_handlers_do_3000_runs_sent_round_robin_each_exactly_once() {
    // A portal without a rate limit: this test is about claims, the next ones about the limit.
    let (cluster, s, _handlers, addrs) = three_on_one_database("exactly_once", (1e6, 1e6)).await;
    let runs = runs(&s, 3000);
    tokio::task::block_in_place(|| post_round_robin(&addrs, &runs));
    // A repeat of an event token (Bitrix24 resends) is taken by another handler, and not run again.
    tokio::task::block_in_place(|| post_round_robin(&addrs[1..], &runs[..10]));
    all_answered(&s, &runs, Duration::from_secs(240)).await;
    assert_eq!(invoices(&s).len(), 3000, "one invoice per run");
    until_done(&cluster, "exactly_once", 3000).await;
    assert_eq!(psql(&cluster, "exactly_once", "SELECT state || ' ' || count(*) FROM jobs GROUP BY state"), "done 3000");
    assert_eq!(psql(&cluster, "exactly_once", "SELECT count(DISTINCT owner) FROM jobs"), "3", "all three handlers did runs");
    let attempts = psql(&cluster, "exactly_once", "SELECT count(*) FROM run_events WHERE step = 'attempt'");
    assert_eq!(attempts, "3000", "each run was claimed once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_handlers_together_keep_a_portal_at_2_a_second_with_a_burst_of_50() {
    let (_cluster, s, _handlers, addrs) = three_on_one_database("limit", (2.0, 50.0)).await;
    let runs = runs(&s, 24);
    tokio::task::block_in_place(|| post_round_robin(&addrs, &runs));
    all_answered(&s, &runs, Duration::from_secs(120)).await;
    let stats = s.sandbox.stats();
    let (requests, refused) = (stats["requests"].as_u64().unwrap(), stats["refused"].as_u64().unwrap());
    assert!(requests > 60, "more calls than the burst, so the rate was reached: {requests}");
    assert_eq!(refused, 0, "no QUERY_LIMIT_EXCEEDED for {requests} calls from three handlers");
}

struct Process {
    child: Child,
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The handler's binary on the database, as a process of its own that can be SIGKILLed.
fn spawn(url: &str, portal: &str, lease_seconds: u32) -> (Process, std::net::SocketAddr) {
    let port = xtask::free_port().unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_rulekit-handler"))
        .args(["--listen", &format!("127.0.0.1:{port}"), "--workers", "2", "--retry-base-ms", "50", "--portal", portal])
        .args(["--allow-host", "localhost", "--allow-http", "--db", url, "--lease-seconds", &lease_seconds.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the handler binary starts");
    let process = Process { child };
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    for _ in 0..400 {
        if request(addr, "GET", "/healthz", "text/plain", b"").is_ok_and(|a| a.status == 200) {
            return (process, addr);
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    panic!("the handler did not start");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handler_killed_mid_run_has_its_runs_finished_by_the_others_with_nothing_repeated() {
    let cluster = PgCluster::start().unwrap();
    let url = cluster.create_database("takeover").unwrap();
    let s = sandbox((1e6, 1e6)).await;
    let portal = portal_arg(&s);
    let mut processes: Vec<_> = (0..3).map(|_| tokio::task::block_in_place(|| spawn(&url, &portal, 1))).collect();
    let addrs: Vec<_> = processes.iter().map(|(_, a)| *a).collect();
    // Every answer is held by the portal: each handler's two workers stop with an invoice made.
    s.sandbox.stall_event_send(true);
    let runs = runs(&s, 12);
    tokio::task::block_in_place(|| post_round_robin(&addrs, &runs));
    let held = || psql(&cluster, "takeover", "SELECT count(DISTINCT owner) FROM jobs WHERE state = 'running'");
    for _ in 0..400 {
        if invoices(&s).len() >= 6 && held() == "3" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(held(), "3", "each handler holds runs");
    // A handler names its claims host-pid-start.
    let pid = processes[0].0.child.id();
    let victim_runs = psql(&cluster, "takeover", &format!("SELECT count(*) FROM jobs WHERE state = 'running' AND owner LIKE '%-{pid}-%'"));
    // SIGKILL one: no chance to hand anything back.
    let (victim, _) = processes.remove(0);
    drop(victim);
    s.sandbox.stall_event_send(false);
    all_answered(&s, &runs, Duration::from_secs(60)).await;
    assert_eq!(invoices(&s).len(), 12, "no run made a second invoice");
    assert_ne!(victim_runs, "0");
    until_done(&cluster, "takeover", 12).await;
    assert_eq!(psql(&cluster, "takeover", "SELECT count(*) FROM jobs WHERE state = 'done'"), "12");
    let taken_over = psql(&cluster, "takeover", "SELECT count(*) FROM jobs WHERE attempts > 0");
    assert_ne!(taken_over, "0", "the killed handler's runs were taken over (an interrupted attempt each)");
    // `rulekit-handler jobs` reads the shared store beside the running handlers, and changes nothing.
    let jobs = |url: &str| Command::new(env!("CARGO_BIN_EXE_rulekit-handler")).args(["jobs", "--db", url]).output().unwrap();
    let listed = jobs(&url);
    assert_eq!(String::from_utf8_lossy(&listed.stdout).lines().filter(|l| l.contains("\tdone\t")).count(), 12);
    let empty = cluster.create_database("empty").unwrap();
    let refused = jobs(&empty);
    assert!(!refused.status.success() && String::from_utf8_lossy(&refused.stderr).contains("no rulekit store"), "{refused:?}");
    assert_eq!(psql(&cluster, "empty", "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), "0", "nothing was created in it");
}
