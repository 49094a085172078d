//! Runs resumed from a store written before a restart: they finish from where they were and do
//! no step twice. The jobs are written into the store as earlier versions of the handler wrote
//! them, then a handler is started on it.

mod common;

use common::*;
use rulekit_handler::record::Checkpoint;
use rulekit_handler::rules::timeline_comment::{Adding, TimelineCheckpoint};
use rulekit_handler::store::Store;
use rulekit_sandbox::Running as Sandbox;
use serde_json::{json, Value};
use std::path::Path;

/// A sandbox whose rules run on a handler that is not there yet: the tests write its store first.
async fn sandbox() -> Sandbox {
    rulekit_sandbox::start(rulekit_sandbox::Config {
        dist: xtask::root().join("dist"),
        handler_url: Some("http://127.0.0.1:9/run".into()),
        ..rulekit_sandbox::Config::default()
    })
    .await
    .unwrap()
}

/// A run the sandbox's queue would post, with its workflow waiting: its form body and event token.
fn prepared(s: &Sandbox, code: &str, document: &str) -> (String, String) {
    let (request, _) = s.sandbox.with_state(|st| rulekit_sandbox::run::prepare(st, &s.sandbox.portal_host, code, document)).unwrap();
    (request.to_form(), request.event_token)
}

/// Writes jobs (form body, checkpoint) into a fresh store, each claimed and checkpointed as a
/// worker would, then closes it as a stop would: running, with the checkpoint it had reached.
async fn stored(db: &Path, s: &Sandbox, code: &str, jobs: &[(&str, &str, Value)]) {
    let store = Store::open(db).unwrap();
    let member = s.sandbox.with_state(|st| st.member_id.clone());
    for (form, token, checkpoint) in jobs {
        assert!(store.enqueue(member.clone(), token.to_string(), code.into(), json!({"form": form})).await.unwrap());
        let job = store.claim().await.unwrap().expect("the run just stored");
        assert_eq!(job.event_token, *token);
        store.checkpoint(job.claim(), checkpoint.clone()).await.unwrap();
    }
}

/// A handler on the store, once the writer's thread has let go of it.
async fn handler_on(db: &Path) -> rulekit_handler::Running {
    let lock = db.with_extension("lock");
    for _ in 0..200 {
        // Locking and dropping the file at once leaves it free for the handler.
        if std::fs::OpenOptions::new().write(true).open(&lock).is_ok_and(|f| f.try_lock().is_ok()) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let db = db.to_path_buf();
    handler("", move |c| c.db = rulekit_handler::store::Target::Sqlite(db)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_from_the_previous_version_resumes_its_invoice_run_without_a_second_invoice() {
    let s = sandbox().await;
    let (form, token) = prepared(&s, "rulekit_invoice", "DEAL_123");
    // The invoice the earlier handler made before it stopped, rows copied, answer under way.
    let made = call(&s, "crm.item.add", json!({"entityTypeId": 31, "fields": {"title": "Invoice for Big deal & Co"}}));
    let invoice = made["result"]["item"]["id"].as_i64().unwrap();
    let db = scratch().join("store.sqlite");
    stored(&db, &s, "rulekit_invoice", &[(&form, &token, json!({"invoice_id": invoice, "rows": 2, "answering": true}))]).await;

    let h = handler_on(&db).await;
    let run = completed(&s, &token).await;
    assert_eq!(invoices(&s).len(), 1, "no second invoice");
    assert_eq!(run["return_values"], json!({"invoice_id": invoice}));
    assert_eq!(run["log"], json!([format!("Invoice #{invoice} created from deal 123 with 2 product rows.")]), "answered once");
    let rows = s.sandbox.with_state(|st| st.product_rows.iter().filter(|r| r.owner_type == "SI").count());
    assert_eq!(rows, 0, "the rows the checkpoint counts are not copied again");
    wait_for_jobs(&h, "done", 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_comment_run_resumed_after_its_mark_adds_exactly_one_comment() {
    let s = sandbox().await;
    let text = "Checked by the automation rule: Big deal & Co";
    // Run 1 stopped right after adding its comment, before recording its id.
    let (form1, token1) = prepared(&s, "rulekit_timeline_comment", "DEAL_123");
    let before = comments_on(&s, "deal", 123).last().map_or(0, |c| c.id);
    let added = call(&s, "crm.timeline.comment.add", json!({"fields": {"ENTITY_ID": 123, "ENTITY_TYPE": "deal", "COMMENT": text, "AUTHOR_ID": 1}}));
    let first = added["result"].as_u64().unwrap();
    // Run 2, with the same text, stopped after its mark, before adding.
    let (form2, token2) = prepared(&s, "rulekit_timeline_comment", "DEAL_123");
    let mark = |after: u64| {
        let mut cp = Checkpoint::default();
        cp.write(&TimelineCheckpoint { adding: Some(Adding { after }), comment_id: None });
        cp.to_json()
    };
    let db = scratch().join("store.sqlite");
    stored(&db, &s, "rulekit_timeline_comment", &[(&form1, &token1, mark(before)), (&form2, &token2, mark(first))]).await;

    let h = handler_on(&db).await;
    let (run1, run2) = (completed(&s, &token1).await, completed(&s, &token2).await);
    let on_deal = comments_on(&s, "deal", 123);
    assert_eq!(on_deal.len(), 2, "one comment per run: {on_deal:?}");
    assert!(on_deal.iter().all(|c| c.comment == text && c.author_id == 1), "{on_deal:?}");
    assert_eq!(run1["return_values"], json!({"comment_id": first}), "run 1 found the comment it had added");
    let second = on_deal.iter().map(|c| c.id).find(|id| *id != first).unwrap();
    assert_eq!(run2["return_values"], json!({"comment_id": second}), "run 2 added its own");
    wait_for_jobs(&h, "done", 2).await;
}
