//! One suite, two stores: every case runs on SQLite and on PostgreSQL (a throwaway cluster of the
//! test's own, each case on a fresh database), so the engines mean the same thing.

use rulekit_handler::store::runs::{NotRetried, RunFilter};
use rulekit_handler::store::{Portal, Store, StoreError, Target};
use serde_json::{json, Value};
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;
use xtask::pg_cluster::PgCluster;

type Case = fn(Store) -> Pin<Box<dyn Future<Output = ()>>>;

/// Each case by name, for the failure message.
const CASES: &[(&str, Case)] = &[
    ("event tokens are unique per portal", |s| Box::pin(event_tokens_are_unique_per_portal(s))),
    ("a claimed job is no one else's and settles", |s| Box::pin(a_claimed_job_is_no_one_elses_and_settles(s))),
    ("a retried job comes back with its checkpoint when due", |s| Box::pin(a_retried_job_comes_back_with_its_checkpoint_when_due(s))),
    ("portals keep their language", |s| Box::pin(portals_keep_their_language(s))),
    ("the runs API pages and filters a portal's runs only", |s| Box::pin(the_runs_api_pages_and_filters_a_portals_runs_only(s))),
    ("a failed run is retried once, with its checkpoint reset", |s| Box::pin(a_failed_run_is_retried_once(s))),
];

fn form(token: &str, document: &str) -> Value {
    json!({"form": format!("workflow_id=w&code=rulekit_invoice&event_token={token}&document_id[0]=crm&document_id[1]=X&document_id[2]={document}")})
}

async fn event_tokens_are_unique_per_portal(s: Store) {
    assert!(s.enqueue("m1".into(), "same".into(), "c".into(), json!({})).await.unwrap());
    assert!(!s.enqueue("m1".into(), "same".into(), "c".into(), json!({})).await.unwrap(), "a repeat");
    assert!(s.enqueue("m2".into(), "same".into(), "c".into(), json!({})).await.unwrap(), "another portal's run");
    assert_eq!(s.jobs(None).await.unwrap().len(), 2);
}

async fn a_claimed_job_is_no_one_elses_and_settles(s: Store) {
    s.enqueue("m".into(), "t1".into(), "rulekit_invoice".into(), form("t1", "DEAL_1")).await.unwrap();
    let job = s.claim().await.unwrap().expect("a queued job");
    assert_eq!((job.event_token.as_str(), job.state.as_str(), job.attempts), ("t1", "running", 0));
    assert!(s.claim().await.unwrap().is_none(), "a running job is not claimed twice");
    s.checkpoint_step(job.claim(), json!({"invoice_id": 5}), "invoice", "Invoice 5 made.".into()).await.unwrap();
    s.done(job.claim(), json!({"invoice_id": 5}), "Answered.".into()).await.unwrap();
    assert_eq!(s.counts().await.unwrap(), [("done".to_string(), 1)]);
    let detail = s.run_detail("m".into(), job.id).await.unwrap().unwrap();
    let steps: Vec<&str> = detail.steps.iter().map(|(_, step, _)| step.as_str()).collect();
    assert_eq!(steps, ["attempt", "invoice", "done"]);
    assert_eq!((detail.summary.status, detail.summary.document_id.as_str()), ("done", "DEAL_1"));
    assert_eq!(detail.returned.as_deref().map(|r| serde_json::from_str::<Value>(r).unwrap()), Some(json!({"invoice_id": 5})));
}

async fn a_retried_job_comes_back_with_its_checkpoint_when_due(s: Store) {
    s.enqueue("m".into(), "t".into(), "c".into(), json!({})).await.unwrap();
    let job = s.claim().await.unwrap().unwrap();
    s.checkpoint(job.claim(), json!({"step": 1})).await.unwrap();
    let at = rulekit_handler::store::now() + 300;
    s.retry(job.claim(), at, "the portal is busy.".into()).await.unwrap();
    assert!(s.claim().await.unwrap().is_none(), "not before it is due");
    tokio::time::sleep(Duration::from_millis(350)).await;
    let again = s.claim().await.unwrap().expect("due now");
    assert_eq!((again.id, again.attempts, again.checkpoint.clone()), (job.id, 1, json!({"step": 1})));
    assert_eq!(again.last_error.as_deref(), Some("the portal is busy."));
    s.finish(again.claim(), "failed", Some("gave up".into())).await.unwrap();
    assert_eq!(s.jobs(Some("failed".into())).await.unwrap().len(), 1);
}

async fn portals_keep_their_language(s: Store) {
    let p = Portal { member_id: "m".into(), domain: "a.bitrix24.de".into(), application_token: "t".into(), language: Some("de".into()) };
    s.save_portal(p.clone()).await.unwrap();
    // Saved again without a language (`--portal` at the next start): the installed one stays.
    s.save_portal(Portal { language: None, application_token: "t2".into(), ..p.clone() }).await.unwrap();
    let got = s.portal("m".into()).await.unwrap().unwrap();
    assert_eq!((got.application_token.as_str(), got.language.as_deref()), ("t2", Some("de")));
    assert_eq!(s.portals().await.unwrap().len(), 1);
    s.delete_portal("m".into()).await.unwrap();
    assert_eq!(s.portal("m".into()).await.unwrap(), None);
}

async fn the_runs_api_pages_and_filters_a_portals_runs_only(s: Store) {
    for i in 0..5 {
        s.enqueue("m".into(), format!("t{i}"), "rulekit_invoice".into(), form(&format!("t{i}"), &format!("DEAL_{i}"))).await.unwrap();
    }
    s.enqueue("other".into(), "x".into(), "rulekit_invoice".into(), form("x", "DEAL_1")).await.unwrap();
    let page = s.list_runs("m".into(), RunFilter { limit: 2, ..RunFilter::default() }).await.unwrap();
    assert_eq!(page.len(), 3, "a page and one more, to tell there is a next page");
    assert!(page[0].id > page[1].id, "newest first");
    let next = s.list_runs("m".into(), RunFilter { limit: 10, before: Some(page[1].id), ..RunFilter::default() }).await.unwrap();
    assert_eq!(next.len(), 3);
    let by_document = s.list_runs("m".into(), RunFilter { limit: 10, document: Some("DEAL_1".into()), ..RunFilter::default() }).await.unwrap();
    assert_eq!(by_document.len(), 1, "the other portal's DEAL_1 is not listed");
    let pending = RunFilter { limit: 10, status: Some("pending"), codes: vec!["rulekit_invoice".into()], ..RunFilter::default() };
    assert_eq!(s.list_runs("m".into(), pending).await.unwrap().len(), 5);
    let (by_code, hours) = s.counts_for("m".into(), 0, 3_600_000).await.unwrap();
    assert_eq!(by_code, [("rulekit_invoice".to_string(), "pending".to_string(), 5)]);
    assert!(hours.is_empty(), "nothing finished yet");
}

async fn a_failed_run_is_retried_once(s: Store) {
    s.enqueue("m".into(), "t".into(), "c".into(), json!({})).await.unwrap();
    let job = s.claim().await.unwrap().unwrap();
    let early = s.retry_failed("m".into(), job.id, Box::new(|v| v)).await.unwrap();
    assert_eq!(early, Err(NotRetried::State("running")));
    s.checkpoint(job.claim(), json!({"kept": true})).await.unwrap();
    s.finish(job.claim(), "failed", Some("no".into())).await.unwrap();
    assert_eq!(s.retry_failed("x".into(), job.id, Box::new(|v| v)).await.unwrap(), Err(NotRetried::Unknown), "another portal's run");
    let reset = Box::new(|mut v: Value| {
        v["answering"] = json!(true);
        v
    });
    let run = s.retry_failed("m".into(), job.id, reset).await.unwrap().unwrap();
    assert_eq!((run.status, run.attempts), ("pending", 0));
    let again = s.claim().await.unwrap().unwrap();
    assert_eq!(again.checkpoint, json!({"kept": true, "answering": true}));
    assert_eq!(s.retry_failed("m".into(), job.id, Box::new(|v| v)).await.unwrap(), Err(NotRetried::State("running")));
}

async fn run_all(open: impl AsyncFn(&str) -> Store) {
    for (name, case) in CASES {
        // A failing case's assertion follows this line in the test's output.
        eprintln!("case: {name}");
        case(open(name).await).await;
    }
}

#[tokio::test]
async fn the_suite_on_sqlite() {
    let root = std::env::temp_dir().join(format!("rulekit-suite-{}", std::process::id()));
    run_all(async |name: &str| {
        let dir = root.join(name.replace(' ', "-"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Store::open(&dir.join("store.sqlite")).unwrap()
    })
    .await;
    let _ = std::fs::remove_dir_all(&root);
}

#[tokio::test]
async fn the_suite_on_postgres() {
    let cluster = PgCluster::start().unwrap();
    let n = std::sync::atomic::AtomicUsize::new(0);
    run_all(async |_: &str| {
        let db = format!("suite{}", n.fetch_add(1, std::sync::atomic::Ordering::SeqCst));
        let url = cluster.create_database(&db).unwrap();
        Store::connect(&Target::Postgres(url), Duration::from_secs(30)).await.unwrap()
    })
    .await;
}

#[tokio::test]
async fn a_lease_that_runs_out_hands_the_job_to_another_handler_and_locks_out_the_first() {
    let cluster = PgCluster::start().unwrap();
    let target = Target::Postgres(cluster.create_database("lease").unwrap());
    let first = Store::connect(&target, Duration::from_millis(300)).await.unwrap();
    let second = Store::connect(&target, Duration::from_millis(300)).await.unwrap();
    first.enqueue("m".into(), "t".into(), "c".into(), json!({})).await.unwrap();
    let job = first.claim().await.unwrap().unwrap();
    first.checkpoint(job.claim(), json!({"made": 1})).await.unwrap();
    assert!(second.claim().await.unwrap().is_none(), "held under its lease");
    first.renew(job.claim()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    let taken = second.claim().await.unwrap().expect("taken over once the lease ran out");
    assert_eq!((taken.id, taken.attempts, taken.checkpoint.clone()), (job.id, 1, json!({"made": 1})), "the interrupted attempt counts; the checkpoint stays");
    assert!(matches!(first.checkpoint(job.claim(), json!({})).await, Err(StoreError::LeaseLost(_))), "the first can no longer write it");
    assert!(matches!(first.renew(job.claim()).await, Err(StoreError::LeaseLost(_))));
    assert!(matches!(first.finish(job.claim(), "done", None).await, Err(StoreError::LeaseLost(_))));
    // The same handler taking over its own run (one of its workers stalled past the lease): the
    // stalled worker's claim is as dead as another handler's.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let again = second.claim().await.unwrap().expect("taken over again");
    assert_eq!((again.id, again.attempts), (job.id, 2));
    assert!(matches!(second.checkpoint(taken.claim(), json!({})).await, Err(StoreError::LeaseLost(_))), "the stalled worker of the same handler");
    second.done(again.claim(), json!({}), "Answered.".into()).await.unwrap();
    assert_eq!(second.counts().await.unwrap(), [("done".to_string(), 1)]);
}

#[tokio::test]
async fn two_handlers_starting_on_an_empty_database_migrate_it_once() {
    let cluster = PgCluster::start().unwrap();
    let target = Target::Postgres(cluster.create_database("migrate").unwrap());
    let (a, b) = tokio::join!(Store::connect(&target, Duration::from_secs(30)), Store::connect(&target, Duration::from_secs(30)));
    let (a, _b) = (a.unwrap(), b.unwrap());
    assert!(a.enqueue("m".into(), "t".into(), "c".into(), json!({})).await.unwrap());
    // A later start on the same database finds it at its version and its runs in place.
    let again = Store::connect(&target, Duration::from_secs(30)).await.unwrap();
    assert_eq!(again.jobs(None).await.unwrap().len(), 1);
    let psql = std::process::Command::new(cluster.program("psql"))
        .args(["-X", "-h", "127.0.0.1", "-p", &cluster.port().to_string(), "-U", "postgres", "-d", "migrate", "-tAc", "SELECT count(*) FROM rulekit_migrations"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&psql.stdout).trim(), "1", "each migration recorded once");
}

#[tokio::test]
async fn a_database_url_that_cannot_be_read_or_reached_is_said_without_its_password() {
    let e = Store::connect(&Target::Postgres("postgres://rk:s3cret@127.0.0.1:1/x".into()), Duration::from_secs(1)).await.err().unwrap();
    assert!(!e.to_string().contains("s3cret") && e.to_string().contains("the store failed"), "{e}");
    let e = Store::connect(&Target::Postgres("postgres://rk:s3cret@[bad/x".into()), Duration::from_secs(1)).await.err().unwrap();
    assert!(!e.to_string().contains("s3cret"), "{e}");
}

#[tokio::test]
async fn a_database_that_asks_for_tls_is_reached_over_it_with_its_own_authority() {
    let cluster = PgCluster::start().unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    params.subject_alt_names.push(rcgen::SanType::IpAddress([127, 0, 0, 1].into()));
    let cert = params.self_signed(&key).unwrap();
    cluster.enable_tls(&cert.pem(), &key.serialize_pem()).unwrap();
    let url = format!("{}?sslmode=require", cluster.create_database("tls").unwrap());
    let target = Target::Postgres(url);
    // Without the database's own authority its certificate is not trusted: said, and no secret in it.
    let refused = Store::connect(&target, Duration::from_secs(30)).await.err().expect("an unknown authority is refused");
    assert!(refused.to_string().contains("the store failed"), "{refused}");
    let dir = std::env::temp_dir().join(format!("rulekit-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ca = dir.join("ca.pem");
    std::fs::write(&ca, cert.pem()).unwrap();
    let store = Store::connect_with(&target, Duration::from_secs(30), Some(&ca)).await.unwrap();
    assert!(store.enqueue("m".into(), "t".into(), "c".into(), json!({})).await.unwrap());
    let over_tls = std::process::Command::new(cluster.program("psql"))
        .args(["-X", "-h", "127.0.0.1", "-p", &cluster.port().to_string(), "-U", "postgres", "-d", "tls", "-tAc"])
        .arg("SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE s.ssl AND a.datname = 'tls' AND a.application_name = ''")
        .output()
        .unwrap();
    assert_ne!(String::from_utf8_lossy(&over_tls.stdout).trim(), "0", "the store's connections use TLS");
    let bad = dir.join("empty.pem");
    std::fs::write(&bad, "not a certificate").unwrap();
    let e = Store::connect_with(&target, Duration::from_secs(30), Some(&bad)).await.err().unwrap();
    assert!(e.to_string().contains("--db-ca") && e.to_string().contains("no PEM certificate"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}
