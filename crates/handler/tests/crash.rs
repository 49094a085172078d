//! The handler killed with SIGKILL between its 2xx and `bizproc.event.send`, then restarted on
//! the same store: nothing is lost and nothing is done twice. Its logs never show a token.

use rulekit_sandbox::{start, Config, Running};
use serde_json::json;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use xtask::http::request;

struct Handler {
    child: Child,
    log: std::path::PathBuf,
}

fn spawn(port: u16, db: &std::path::Path, portal: &str, workers: u32, log: std::path::PathBuf) -> Handler {
    let child = Command::new(env!("CARGO_BIN_EXE_rulekit-handler"))
        .args(["--listen", &format!("127.0.0.1:{port}"), "--workers", &workers.to_string(), "--retry-base-ms", "50", "--portal", portal])
        .args(["--allow-host", "localhost", "--allow-http"])
        .arg("--db")
        .arg(db)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .expect("the handler binary starts");
    for _ in 0..200 {
        if request(([127, 0, 0, 1], port).into(), "GET", "/healthz", "text/plain", b"").is_ok_and(|a| a.status == 200) {
            return Handler { child, log };
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    let mut child = child;
    let _ = child.kill();
    let _ = child.wait();
    panic!("the handler did not start");
}

impl Handler {
    fn kill(mut self) -> String {
        self.child.kill().unwrap(); // SIGKILL: no chance to clean up
        self.child.wait().unwrap();
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

async fn sandbox(port: u16) -> Running {
    start(Config { dist: xtask::root().join("dist"), handler_url: Some(format!("http://127.0.0.1:{port}/run")), ..Config::default() })
        .await
        .unwrap()
}

fn portal_arg(s: &Running) -> String {
    s.sandbox.with_state(|st| format!("{}={}@{}", st.member_id, st.application_token, s.sandbox.portal_host))
}

fn secrets(s: &Running) -> Vec<String> {
    s.sandbox.with_state(|st| vec![st.tokens.access.clone(), st.tokens.refresh.clone(), st.application_token.clone()])
}

fn run_rule(s: &Running) -> String {
    let a = request(s.portal, "POST", "/sandbox/run", "application/json", br#"{"code":"rulekit_invoice","document_id":"DEAL_123"}"#).unwrap();
    assert_eq!(a.json()["run"]["handler_status"], 200, "{}", a.body);
    a.json()["run"]["event_token"].as_str().unwrap().to_string()
}

async fn until(what: &str, mut ready: impl FnMut() -> bool) {
    for _ in 0..600 {
        if ready() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("timed out waiting for {what}");
}

fn invoices(s: &Running) -> usize {
    s.sandbox.with_state(|st| st.items.iter().filter(|i| i.entity_type_id == 31).count())
}

fn run_state(s: &Running, token: &str) -> rulekit_sandbox::state::Run {
    s.sandbox.with_state(|st| st.runs.iter().find(|r| r.event_token == token).cloned().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kill_between_the_invoice_and_its_answer_loses_nothing_and_repeats_nothing() {
    let dir = std::env::temp_dir().join(format!("rulekit-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("store.sqlite");
    let port = xtask::free_port().unwrap();
    let s = sandbox(port).await;
    let portal = portal_arg(&s);
    let mut logs = String::new();

    // 1. The invoice is made, the answer is held by the portal, and the handler dies.
    s.sandbox.stall_event_send(true);
    let h = spawn(port, &db, &portal, 1, dir.join("first.log"));
    let token = tokio::task::block_in_place(|| run_rule(&s));
    until("the invoice and its rows", || {
        invoices(&s) == 1 && s.sandbox.with_state(|st| st.product_rows.iter().filter(|r| r.owner_type == "SI").count() == 2)
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    logs += &h.kill();
    s.sandbox.stall_event_send(false);
    assert_eq!(run_state(&s, &token).state, "waiting", "the workflow never got its answer");

    // 2. Restarted on the same store, it finishes the run without making a second invoice.
    let h = spawn(port, &db, &portal, 1, dir.join("second.log"));
    until("the answer", || run_state(&s, &token).state == "completed").await;
    let run = run_state(&s, &token);
    let invoice = s.sandbox.with_state(|st| st.items.iter().find(|i| i.entity_type_id == 31).map(|i| i.id).unwrap());
    assert_eq!(invoices(&s), 1, "no second invoice");
    assert_eq!(run.return_values, json!({"invoice_id": invoice}).as_object().unwrap().clone());
    assert_eq!(run.log.len(), 1, "answered once: {:?}", run.log);
    // The workflow has its answer a moment before the store records the run done (its group
    // commit): look beside the running handler until it has, then stop it.
    let jobs = || String::from_utf8_lossy(&Command::new(env!("CARGO_BIN_EXE_rulekit-handler")).args(["jobs", "--db"]).arg(&db).output().unwrap().stdout).into_owned();
    until("the run recorded done", || jobs().lines().any(|l| l.contains("\tdone\t"))).await;
    logs += &h.kill();

    // 3. Killed right after the 2xx, before any work: the stored run is done after the restart.
    let h = spawn(port, &db, &portal, 0, dir.join("third.log"));
    let second = tokio::task::block_in_place(|| run_rule(&s));
    logs += &h.kill();
    let h = spawn(port, &db, &portal, 1, dir.join("fourth.log"));
    until("the second answer", || run_state(&s, &second).state == "completed").await;
    assert_eq!(invoices(&s), 2);
    // The workflow has its answer a moment before the store records the run done (its group
    // commit): look beside the running handler until it has, then stop it.
    until("both runs recorded done", || jobs().lines().filter(|l| l.contains("\tdone\t")).count() == 2).await;
    logs += &h.kill();

    let listed = jobs();
    assert_eq!(listed.lines().filter(|l| l.contains("\tdone\t")).count(), 2, "{listed}");

    assert!(logs.contains("run.accepted") && logs.contains("run.done"), "structured logs: {logs}");
    for secret in secrets(&s) {
        assert!(!logs.contains(&secret) && !listed.contains(&secret), "a token reached a log");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
