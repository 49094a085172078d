//! The timeline comment rule against the sandbox, in process: the comment with its resolved text
//! and author, its id back to the workflow, and documents the rule does not take.

mod common;

use common::*;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_comment_is_added_with_its_text_and_author_and_its_id_goes_back_to_the_workflow() {
    let h = handler("", |_| {}).await;
    let s = with_sandbox(&h, (2.0, 50.0)).await;

    // The saved default, its expression resolved by the portal; no author: the user the rule runs as.
    let done = run(&s, "rulekit_timeline_comment", "DEAL_123").await;
    let on_deal = comments_on(&s, "deal", 123);
    assert_eq!(on_deal.len(), 1, "{on_deal:?}");
    let comment = &on_deal[0];
    assert_eq!(comment.comment, "Checked by the automation rule: Big deal & Co");
    assert_eq!(comment.author_id, 1);
    assert_eq!(done["return_values"], json!({"comment_id": comment.id}));
    assert_eq!(done["log"], json!([format!("Comment #{} added to the timeline of deal 123.", comment.id)]));

    // An author chosen in the rule's settings writes the comment; the activity's code runs the same rule.
    s.sandbox.with_state(|st| {
        st.dialog.saved["rulekit_timeline_comment_activity"]["author"] = json!("user_7");
        st.dialog.saved["rulekit_timeline_comment_activity"]["comment"] = json!("Call back about {=Document:TITLE}");
    });
    let lead = run(&s, "rulekit_timeline_comment_activity", "LEAD_45").await;
    let on_lead = comments_on(&s, "lead", 45);
    assert_eq!(on_lead.len(), 1, "{on_lead:?}");
    assert_eq!((on_lead[0].author_id, on_lead[0].comment.starts_with("Call back about ")), (7, true), "{on_lead:?}");
    assert_eq!(lead["return_values"]["comment_id"], json!(on_lead[0].id));
    wait_for_jobs(&h, "done", 2).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_on_a_document_the_rule_does_not_take_is_told_so() {
    let h = handler("", |_| {}).await;
    let s = with_sandbox(&h, (2.0, 50.0)).await;
    let quote = run(&s, "rulekit_timeline_comment", "QUOTE_1").await;
    assert_eq!(
        quote["log"][0],
        "The comment was not added. This rule works on deals, leads, contacts and companies; it was started on \"QUOTE_1\".",
        "{quote}"
    );
    assert!(s.sandbox.with_state(|st| st.timeline_comments.is_empty()));
    wait_for_jobs(&h, "failed", 1).await;
}
