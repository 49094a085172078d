//! The SQLite store's intake log: a run acknowledged waits in the log, not in the database, until
//! a worker claims it; everything the store answers counts it; a restart, even after SIGKILL,
//! finds it again; and ids and event tokens stay unique across the log and the database.

mod common;

use common::scratch;
use rulekit_handler::store::runs::{NotRetried, RunFilter};
use rulekit_handler::store::Store;
use serde_json::json;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

fn run(token: &str, document: &str) -> serde_json::Value {
    json!({"form": format!("workflow_id=w&code=rulekit_invoice&event_token={token}&document_id[0]=crm&document_id[1]=X&document_id[2]={document}")})
}

/// Rows in the database itself, read beside the store.
fn rows(db: &Path) -> Vec<(i64, String)> {
    let read = rusqlite::Connection::open(db).unwrap();
    let mut stmt = read.prepare("SELECT id, state FROM jobs ORDER BY id").unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
}

fn segments(db: &Path) -> usize {
    let name = format!("{}-intake.", db.file_name().unwrap().to_string_lossy());
    std::fs::read_dir(db.parent().unwrap()).unwrap().filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with(&name)).count()
}

/// A new store with `n` runs of portal `m` taken in (`t0`, `t1`, …), all waiting.
async fn with_runs(db: &Path, n: usize) -> Store {
    let store = Store::open(db).unwrap();
    for i in 0..n {
        store.enqueue("m".into(), format!("t{i}"), "rulekit_invoice".into(), run(&format!("t{i}"), "DEAL_1")).await.unwrap();
    }
    store
}

/// Opens the store again once the last one's thread has let go of its lock.
async fn reopen(db: &Path) -> Store {
    for _ in 0..200 {
        if let Ok(store) = Store::open(db) {
            return store;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the store stayed locked");
}

#[tokio::test]
async fn a_run_waits_in_the_log_until_claimed_and_everything_counts_it() {
    let db = scratch().join("store.sqlite");
    let store = Store::open(&db).unwrap();
    for (i, member) in ["m", "m", "other"].iter().enumerate() {
        assert!(store.enqueue(member.to_string(), format!("t{i}"), "rulekit_invoice".into(), run(&format!("t{i}"), &format!("DEAL_{i}"))).await.unwrap());
    }
    assert!(rows(&db).is_empty(), "acknowledged runs are in the log, not yet in the database");
    assert!(!store.enqueue("m".into(), "t0".into(), "rulekit_invoice".into(), json!({})).await.unwrap(), "a repeat of a waiting run");

    let jobs = store.jobs(None).await.unwrap();
    assert_eq!(jobs.iter().map(|j| (j.id, j.state.as_str(), j.attempts)).collect::<Vec<_>>(), [(1, "queued", 0), (2, "queued", 0), (3, "queued", 0)]);
    assert_eq!(jobs[0].request, run("t0", "DEAL_0"), "the run as stored");
    assert_eq!(store.counts().await.unwrap(), [("queued".to_string(), 3)]);
    let listed = store.list_runs("m".into(), RunFilter { limit: 10, ..RunFilter::default() }).await.unwrap();
    assert_eq!(listed.iter().map(|r| (r.id, r.status)).collect::<Vec<_>>(), [(2, "pending"), (1, "pending")]);
    let detail = store.run_detail("m".into(), 1).await.unwrap().expect("a waiting run in full");
    assert_eq!((detail.summary.document_id.as_str(), detail.steps.len()), ("DEAL_0", 0));
    assert!(detail.request.contains("event_token=t0"));
    assert!(store.run_detail("other".into(), 1).await.unwrap().is_none(), "not another portal's");
    assert_eq!(store.retry_failed("m".into(), 1, Box::new(|v| v)).await.unwrap(), Err(NotRetried::State("pending")));

    // A reader beside the running store (`rulekit-handler jobs`) sees them too.
    let reader = Store::open_read_only(&db).unwrap();
    assert_eq!(reader.jobs(Some("queued".into())).await.unwrap().len(), 3);

    let first = store.claim().await.unwrap().expect("the oldest waiting run");
    assert_eq!((first.id, first.event_token.as_str(), first.state.as_str()), (1, "t0", "running"));
    assert_eq!(rows(&db), [(1, "running".to_string())], "its row is written as it is claimed");
    assert!(!store.enqueue("m".into(), "t0".into(), "rulekit_invoice".into(), json!({})).await.unwrap(), "a repeat of a claimed run");
    let steps = store.run_detail("m".into(), 1).await.unwrap().unwrap().steps;
    assert_eq!(steps.iter().map(|s| s.2.as_str()).collect::<Vec<_>>(), ["Attempt 1 started."]);
    store.finish(first.claim(), "done", None).await.unwrap();
    assert_eq!(store.counts().await.unwrap(), [("done".to_string(), 1), ("queued".to_string(), 2)]);
}

#[tokio::test]
async fn waiting_runs_survive_a_restart_and_ids_are_never_given_twice() {
    let db = scratch().join("store.sqlite");
    let store = with_runs(&db, 4).await;
    let claimed = store.claim().await.unwrap().unwrap();
    store.finish(claimed.claim(), "done", None).await.unwrap();
    drop(store);

    let store = reopen(&db).await;
    let ids: Vec<i64> = store.jobs(Some("queued".into())).await.unwrap().iter().map(|j| j.id).collect();
    assert_eq!(ids, [2, 3, 4], "the three still waiting, with their ids");
    assert!(!store.enqueue("m".into(), "t3".into(), "rulekit_invoice".into(), json!({})).await.unwrap(), "still a repeat after the restart");
    assert!(store.enqueue("m".into(), "t9".into(), "rulekit_invoice".into(), run("t9", "DEAL_1")).await.unwrap());
    assert_eq!(store.jobs(None).await.unwrap().last().unwrap().id, 5, "a new run's id follows every id given");
    // Claimed in the order they came, then the log holds nothing: its old segments are deleted.
    for want in [2, 3, 4, 5] {
        let job = store.claim().await.unwrap().unwrap();
        assert_eq!(job.id, want);
        store.finish(job.claim(), "done", None).await.unwrap();
    }
    assert!(store.claim().await.unwrap().is_none());
    drop(store);
    let store = reopen(&db).await;
    assert_eq!(store.counts().await.unwrap(), [("done".to_string(), 5)], "no run came back twice");
    assert_eq!(segments(&db), 1, "only the segment a new run would go to is left");
    // Ids go on past the highest ever, though nothing waits.
    store.enqueue("m".into(), "t10".into(), "rulekit_invoice".into(), run("t10", "DEAL_1")).await.unwrap();
    assert_eq!(store.jobs(Some("queued".into())).await.unwrap()[0].id, 6);
}

#[tokio::test]
async fn the_runs_api_merges_waiting_runs_with_the_databases_newest_first() {
    let db = scratch().join("store.sqlite");
    let store = Store::open(&db).unwrap();
    for i in 1..=6 {
        let code = if i % 2 == 0 { "rulekit_timeline_comment" } else { "rulekit_invoice" };
        store.enqueue("m".into(), format!("t{i}"), code.into(), run(&format!("t{i}"), &format!("DEAL_{i}"))).await.unwrap();
    }
    // 1 and 2 are in the database (1 done, 2 running); 3 to 6 wait in the log.
    let one = store.claim().await.unwrap().unwrap();
    store.finish(one.claim(), "done", None).await.unwrap();
    store.claim().await.unwrap().unwrap();
    let list = |filter: RunFilter| {
        let store = store.clone();
        async move { store.list_runs("m".into(), filter).await.unwrap().iter().map(|r| (r.id, r.status)).collect::<Vec<_>>() }
    };
    assert_eq!(list(RunFilter { limit: 3, ..Default::default() }).await, [(6, "pending"), (5, "pending"), (4, "pending"), (3, "pending")]);
    assert_eq!(list(RunFilter { limit: 2, before: Some(4), ..Default::default() }).await, [(3, "pending"), (2, "running"), (1, "done")]);
    assert_eq!(list(RunFilter { limit: 9, status: Some("done"), ..Default::default() }).await, [(1, "done")]);
    let comments = RunFilter { limit: 9, codes: vec!["rulekit_timeline_comment".into()], ..Default::default() };
    assert_eq!(list(comments).await, [(6, "pending"), (4, "pending"), (2, "running")]);
    assert_eq!(list(RunFilter { limit: 9, document: Some("DEAL_5".into()), ..Default::default() }).await, [(5, "pending")]);
    let now = rulekit_handler::store::now();
    assert_eq!(list(RunFilter { limit: 9, from: Some(now + 60_000), ..Default::default() }).await, []);
    let (mut by_code, _) = store.counts_for("m".into(), 0, 3_600_000).await.unwrap();
    by_code.sort();
    let want = [("rulekit_invoice", "done", 1), ("rulekit_invoice", "pending", 2), ("rulekit_timeline_comment", "pending", 2), ("rulekit_timeline_comment", "running", 1)];
    assert_eq!(by_code, want.map(|(c, s, n)| (c.to_string(), s.to_string(), n)));
}

const PORTAL: &str = "a223c6b3710f85df22e9377d6c4f7553=51856fefc120afa4b628cc82d3935cce@example.bitrix24.de";
/// The fixture's event token, replaced per run.
const TOKEN: &str = "hsyUws1j4XiwqPqN45eH66CcQtEvpUIP";

/// A handler process, SIGKILLed when dropped (a failed assertion included).
struct Process(std::process::Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn post(port: u16, body: &str) -> Option<u16> {
    xtask::http::request(([127, 0, 0, 1], port).into(), "POST", "/run", "application/x-www-form-urlencoded", body.as_bytes()).ok().map(|a| a.status)
}

/// Runs posted from four threads while the handler is SIGKILLed: every run that got its 2xx is
/// there after the restart, once.
#[test]
fn every_run_acknowledged_before_a_sigkill_is_there_after_the_restart() {
    let dir = scratch();
    let db = dir.join("handler.sqlite");
    let template = std::fs::read_to_string(xtask::root().join("fixtures/execution.invoice-deal.form")).unwrap();
    let start = || {
        let port = xtask::free_port().unwrap();
        let child = Process(
            Command::new(env!("CARGO_BIN_EXE_rulekit-handler"))
                .args(["--listen", &format!("127.0.0.1:{port}"), "--workers", "0", "--portal", PORTAL, "--db"])
                .arg(&db)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
        for _ in 0..400 {
            if xtask::http::request(([127, 0, 0, 1], port).into(), "GET", "/healthz", "text/plain", b"").is_ok_and(|a| a.status == 200) {
                return (child, port);
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("the handler did not start");
    };
    let (child, port) = start();
    let acknowledged = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|threads| {
        for t in 0..4 {
            let (template, acknowledged) = (&template, &acknowledged);
            threads.spawn(move || {
                for i in 0..10_000 {
                    let token = format!("{t}x{i:030}");
                    match post(port, &template.replace(TOKEN, &token)) {
                        Some(200) => acknowledged.lock().unwrap().push(token),
                        // Killed: refused or cut off.
                        _ => return,
                    }
                }
            });
        }
        while acknowledged.lock().unwrap().len() < 300 {
            std::thread::sleep(Duration::from_millis(2));
        }
        drop(child);
    });
    let acknowledged = acknowledged.into_inner().unwrap();
    assert!(acknowledged.len() >= 300);

    let (_child, port) = start();
    let reader = Store::open_read_only(&db).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let jobs = runtime.block_on(reader.jobs(None)).unwrap();
    let stored: std::collections::HashSet<&str> = jobs.iter().map(|j| j.event_token.rsplit('|').next().unwrap().split('.').next().unwrap()).collect();
    assert_eq!(stored.len(), jobs.len(), "no run twice");
    let lost: Vec<&String> = acknowledged.iter().filter(|t| !stored.contains(t.as_str())).collect();
    assert!(lost.is_empty(), "{} of {} acknowledged runs lost: {:?}", lost.len(), acknowledged.len(), &lost[..lost.len().min(5)]);
    // A repeat of an acknowledged run is still known as one.
    let token = &acknowledged[acknowledged.len() / 2];
    let answer = xtask::http::request(([127, 0, 0, 1], port).into(), "POST", "/run", "application/x-www-form-urlencoded", template.replace(TOKEN, token).as_bytes()).unwrap();
    assert_eq!((answer.status, answer.body.as_str()), (200, r#"{"status":"already accepted"}"#));
}

#[tokio::test]
async fn past_the_logs_share_of_memory_runs_go_into_the_database_and_keep_their_order() {
    let db = scratch().join("store.sqlite");
    let store = Store::open(&db).unwrap();
    // Four-megabyte runs: fifteen fit in the waiting runs' share, the sixteenth does not.
    let big = "x".repeat(4 << 20);
    for i in 1..=20 {
        assert!(store.enqueue("m".into(), format!("t{i}"), "rulekit_invoice".into(), json!({"form": format!("{big}{i}")})).await.unwrap());
    }
    assert!(!store.enqueue("m".into(), "t20".into(), "rulekit_invoice".into(), json!({})).await.unwrap(), "a repeat of a run in the database");
    let in_database: Vec<i64> = rows(&db).iter().map(|r| r.0).collect();
    assert_eq!(in_database, (16..=20).collect::<Vec<_>>(), "what did not fit is queued in the database, with the ids that follow");
    assert_eq!(store.counts().await.unwrap(), [("queued".to_string(), 20)]);
    // Claimed in the order they came, from the log and then from the database.
    for want in 1..=20 {
        let job = store.claim().await.unwrap().unwrap();
        assert_eq!((job.id, job.event_token.clone()), (want, format!("t{want}")));
        store.finish(job.claim(), "done", None).await.unwrap();
    }
    // With room again, a new run waits in the log.
    store.enqueue("m".into(), "t21".into(), "rulekit_invoice".into(), run("t21", "DEAL_1")).await.unwrap();
    assert_eq!(rows(&db).len(), 20);
    assert_eq!(store.jobs(Some("queued".into())).await.unwrap()[0].id, 21);
}

#[tokio::test]
async fn claims_and_reads_in_one_batch_take_different_runs_and_see_each_once() {
    let db = scratch().join("store.sqlite");
    let store = with_runs(&db, 3).await;
    let Store::Sqlite(inner) = &store else { unreachable!("a SQLite store") };
    // The store's thread is held up, so that everything sent meanwhile is one batch.
    let blocker = inner.exec(|_| {
        std::thread::sleep(Duration::from_millis(300));
        Ok(())
    });
    let batch = async {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let listed = store.list_runs("m".into(), RunFilter { limit: 10, ..Default::default() });
        tokio::join!(store.claim(), store.claim(), store.claim(), store.claim(), listed, store.counts(), store.run_detail("m".into(), 1))
    };
    let (blocked, (a, b, c, d, listed, counts, detail)) = tokio::join!(blocker, batch);
    blocked.unwrap();
    let mut ids: Vec<i64> = [a, b, c].into_iter().map(|j| j.unwrap().expect("a waiting run").id).collect();
    ids.sort();
    assert_eq!(ids, [1, 2, 3]);
    assert!(d.unwrap().is_none(), "three runs, three claims");
    let listed: Vec<(i64, &str)> = listed.as_ref().unwrap().iter().map(|r| (r.id, r.status)).collect();
    assert_eq!(listed, [(3, "running"), (2, "running"), (1, "running")], "each run once, as the batch left it");
    assert_eq!(counts.unwrap(), [("running".to_string(), 3)]);
    assert_eq!(detail.unwrap().unwrap().summary.status, "running");
    assert_eq!(rows(&db).iter().filter(|r| r.1 == "running").count(), 3);
}
