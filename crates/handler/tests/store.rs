//! The store on its own: one server per file, crash recovery that cannot loop forever, reading
//! next to a live server, one run per event token of each portal.

use rulekit_handler::store::{Portal, Store, StoreError, MAX_CRASHES};
use serde_json::json;

fn db(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("rulekit-store-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("store.sqlite")
}

#[tokio::test]
async fn one_server_owns_a_store_and_readers_change_nothing() {
    let path = db("lock");
    let store = Store::open(&path).unwrap();
    assert!(matches!(Store::open(&path), Err(StoreError::Locked(_))), "a second server is refused");
    assert!(store.enqueue("m1".into(), "t1".into(), "rulekit_invoice".into(), json!({"form": ""})).await.unwrap());
    let job = store.claim().await.unwrap().unwrap();
    let reader = Store::open_read_only(&path).unwrap();
    let seen = reader.jobs(None).await.unwrap();
    assert_eq!(seen[0].state, "running", "reading does not put a running job back in the queue");
    assert_eq!(job.id, seen[0].id);
}

#[tokio::test]
async fn a_store_from_the_first_version_is_migrated_with_its_jobs() {
    let path = db("migrate");
    {
        let old = rusqlite::Connection::open(&path).unwrap();
        old.execute_batch(
            "CREATE TABLE jobs (id INTEGER PRIMARY KEY AUTOINCREMENT, event_token TEXT NOT NULL UNIQUE, code TEXT NOT NULL,
                request TEXT NOT NULL, checkpoint TEXT NOT NULL DEFAULT '{}', state TEXT NOT NULL DEFAULT 'queued',
                attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL DEFAULT 0, last_error TEXT,
                created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
             CREATE INDEX jobs_due ON jobs (state, next_at);
             INSERT INTO jobs (event_token, code, request, created_at, updated_at) VALUES ('old', 'rulekit_invoice', '{}', 1, 1);",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let jobs = store.jobs(None).await.unwrap();
    assert_eq!((jobs.len(), jobs[0].event_token.as_str(), jobs[0].state.as_str()), (1, "old", "queued"));
    assert!(store.enqueue("m".into(), "new".into(), "c".into(), json!({})).await.unwrap(), "the new schema takes runs");
}

#[tokio::test]
async fn each_portal_has_its_own_event_tokens() {
    let store = Store::open(&db("tokens")).unwrap();
    assert!(store.enqueue("m1".into(), "same".into(), "c".into(), json!({})).await.unwrap());
    assert!(!store.enqueue("m1".into(), "same".into(), "c".into(), json!({})).await.unwrap(), "a repeat");
    assert!(store.enqueue("m2".into(), "same".into(), "c".into(), json!({})).await.unwrap(), "another portal's run");
}

#[tokio::test]
async fn a_run_that_keeps_crashing_the_handler_is_failed_in_the_end() {
    let path = db("crashes");
    {
        let store = Store::open(&path).unwrap();
        store.enqueue("m".into(), "t".into(), "c".into(), json!({})).await.unwrap();
    }
    // The first start finds it queued; each later start finds it interrupted once more.
    for start in 1..=MAX_CRASHES + 1 {
        // Each loop: start, claim the job, "crash" (drop without finishing).
        std::thread::sleep(std::time::Duration::from_millis(20));
        let store = loop {
            match Store::open(&path) {
                Ok(s) => break s,
                Err(StoreError::Locked(_)) => std::thread::sleep(std::time::Duration::from_millis(10)),
                Err(e) => panic!("{e}"),
            }
        };
        let jobs = store.jobs(None).await.unwrap();
        if start <= MAX_CRASHES {
            assert_eq!((jobs[0].state.as_str(), jobs[0].attempts), ("queued", start - 1));
            assert!(store.claim().await.unwrap().is_some());
        } else {
            assert_eq!(jobs[0].state, "failed");
            assert_eq!(jobs[0].last_error.as_deref(), Some("the handler stopped during this run too often"));
        }
    }
}

#[tokio::test]
async fn portals_stored_before_languages_gain_one_and_keep_it_across_restarts() {
    let path = db("languages");
    {
        let old = rusqlite::Connection::open(&path).unwrap();
        old.execute_batch(
            "CREATE TABLE portals (member_id TEXT PRIMARY KEY, domain TEXT NOT NULL, application_token TEXT NOT NULL);
             INSERT INTO portals VALUES ('m', 'a.bitrix24.de', 't');
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let portals = store.portals().await.unwrap();
    assert_eq!((portals[0].domain.as_str(), portals[0].language.as_deref()), ("a.bitrix24.de", None));
    let installed = Portal { language: Some("de".into()), ..portals[0].clone() };
    store.save_portal(installed).await.unwrap();
    // `--portal` without a language, saved again at the next start, keeps the installed one.
    store.save_portal(Portal { language: None, ..portals[0].clone() }).await.unwrap();
    assert_eq!(store.portals().await.unwrap()[0].language.as_deref(), Some("de"));
}

#[tokio::test]
async fn a_store_from_version_2_gains_documents_answers_and_steps_and_still_resumes() {
    let path = db("v3");
    let form = "workflow_id=w&code=rulekit_invoice&event_token=t&document_id[0]=crm&document_id[1]=X&document_id[2]=DEAL_7&auth[access_token]=a";
    {
        let old = rusqlite::Connection::open(&path).unwrap();
        old.execute_batch(
            "CREATE TABLE portals (member_id TEXT PRIMARY KEY, domain TEXT NOT NULL, application_token TEXT NOT NULL, language TEXT);
             CREATE TABLE jobs (id INTEGER PRIMARY KEY AUTOINCREMENT, member_id TEXT NOT NULL, event_token TEXT NOT NULL, code TEXT NOT NULL,
                request TEXT NOT NULL, checkpoint TEXT NOT NULL DEFAULT '{}', state TEXT NOT NULL DEFAULT 'queued',
                attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL DEFAULT 0, last_error TEXT,
                created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, UNIQUE (member_id, event_token));
             CREATE INDEX jobs_due ON jobs (state, next_at);
             PRAGMA user_version = 2;",
        )
        .unwrap();
        let request = json!({"form": form}).to_string();
        old.execute("INSERT INTO jobs (member_id, event_token, code, request, checkpoint, created_at, updated_at) VALUES ('m', 't', 'rulekit_invoice', ?1, '{\"invoice_id\": 5}', 1, 1)", [request]).unwrap();
    }
    let store = Store::open(&path).unwrap();
    let job = store.claim().await.unwrap().expect("the old run is still queued");
    assert_eq!(job.checkpoint, json!({"invoice_id": 5}), "it resumes from its checkpoint");
    store.finish(job.claim(), "failed", Some("why".into())).await.unwrap();
    let read = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = read.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    let document: String = read.query_row("SELECT document FROM jobs", [], |r| r.get(0)).unwrap();
    let steps: Vec<String> = read.prepare("SELECT step || ': ' || note FROM run_events ORDER BY id").unwrap().query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    assert_eq!((version, document.as_str()), (3, "DEAL_7"));
    assert_eq!(steps, ["attempt: Attempt 1 started.", "failed: why"]);
    let plan: String = read.query_row("EXPLAIN QUERY PLAN SELECT id FROM jobs WHERE member_id = 'm' AND state = 'failed' ORDER BY id DESC LIMIT 51", [], |r| r.get(3)).unwrap();
    assert!(plan.contains("jobs_member_state"), "listing by status uses its index: {plan}");
}
