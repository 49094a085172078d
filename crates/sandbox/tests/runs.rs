//! "Run the rule" and the state around it: what the queue server posts, the demo receiver, every
//! rulekit rule registered ready to run, and state files, including ones written before.

mod common;

use common::{call, capture, error_of, http, sandbox};
use rulekit_sandbox::{start, Config};
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn running_the_rule_posts_what_the_queue_server_posts() {
    let (url, body) = capture();
    let r = sandbox(Config { demo_handler_url: Some(url), ..Config::default() }).await;
    let (status, run) = tokio::task::block_in_place(|| http(&r, "POST", "/sandbox/run", "application/json", r#"{"document_id":"DEAL_123"}"#));
    assert_eq!(status, 200, "{run}");
    assert_eq!(run["run"]["handler_status"], 200);
    let body = body.recv_timeout(std::time::Duration::from_secs(5)).unwrap();
    assert!(body.contains("properties%5Bapprovers%5D%5B0%5D=user_1") || body.contains("properties[approvers][0]=user_1"), "{body}");
    let form = rulekit_model::form_encoding::decode(&body).unwrap();
    assert_eq!(form["code"], "rulekit_all_types");
    assert_eq!(form["document_id"], json!(["crm", "CCrmDocumentDeal", "DEAL_123"]));
    assert_eq!(form["properties"]["title"], "Invoice for Big deal & Co", "expressions are resolved from the deal");
    assert_eq!(form["auth"]["application_token"], json!(r.sandbox.with_state(|st| st.application_token.clone())));
    assert_eq!(form["use_subscription"], "Y");
    let token = form["event_token"].as_str().unwrap().to_string();
    assert!(token.starts_with(form["workflow_id"].as_str().unwrap()));
    // The handler answers through bizproc.event.send; the run completes with its return value.
    let log = call(&r, "bizproc.activity.log", json!({"EVENT_TOKEN": token, "LOG_MESSAGE": ""}));
    assert_eq!(error_of(&log).1, "ERROR_EMPTY_LOG_MESSAGE");
    assert_eq!(call(&r, "bizproc.activity.log", json!({"EVENT_TOKEN": token, "LOG_MESSAGE": "working"})).0, 200);
    let sent = call(&r, "bizproc.event.send", json!({"event_token": token, "return_values": {"RESULT": "done", "unknown": 1}, "log_message": "finished"}));
    assert_eq!(sent.0, 200);
    let run = r.sandbox.with_state(|st| st.runs[0].clone());
    assert_eq!(run.state, "completed");
    assert_eq!(run.return_values, json!({"result": "done"}).as_object().unwrap().clone(), "declared keys only, any case");
    assert_eq!(run.log, ["working", "finished"]);
    assert_eq!(call(&r, "bizproc.event.send", json!({"event_token": token})).0, 200, "a second answer is ignored");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_state_is_saved_to_its_file_and_loaded_again() {
    let file = std::env::temp_dir().join(format!("rulekit-sandbox-state-{}.json", std::process::id()));
    let _ = std::fs::remove_file(&file);
    let r = sandbox(Config { state_file: Some(file.clone()), ..Config::default() }).await;
    let added = call(&r, "crm.item.add", json!({"entityTypeId": 2, "fields": {"title": "Kept across runs"}}));
    let id = added.1["result"]["item"]["id"].clone();
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert!(saved["items"].as_array().unwrap().iter().any(|i| i["fields"]["title"] == "Kept across runs"));
    drop(r);
    let again = sandbox(Config { state_file: Some(file.clone()), ..Config::default() }).await;
    let got = call(&again, "crm.item.get", json!({"entityTypeId": 2, "id": id}));
    assert_eq!(got.1["result"]["item"]["title"], "Kept across runs");
    std::fs::write(&file, "{ not json").unwrap();
    let broken = start(Config { state_file: Some(file.clone()), ..Config::default() }).await;
    let message = broken.err().expect("a broken state file is refused").to_string();
    assert!(message.contains(&file.display().to_string()), "{message}");
    let _ = std::fs::remove_file(&file);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_receiver_closes_the_loop_without_a_handler() {
    let r = sandbox(Config::default()).await;
    let (status, run) = tokio::task::block_in_place(|| http(&r, "POST", "/sandbox/run", "application/json", "{}"));
    assert_eq!(status, 200);
    assert_eq!(run["run"]["state"], "completed", "{run}");
    assert_eq!(run["run"]["return_values"]["result"], "11 properties received");
    let (status, refused) = tokio::task::block_in_place(|| http(&r, "POST", "/sandbox/run", "application/json", r#"{"document_id":"the big deal"}"#));
    assert_eq!(status, 400);
    assert!(refused["error"].as_str().is_some_and(|e| e.contains("DEAL_123")), "the message shows what a document id looks like: {refused}");
    let contact = tokio::task::block_in_place(|| http(&r, "POST", "/sandbox/run", "application/json", r#"{"document_id":"CONTACT_4"}"#));
    assert_eq!(contact.0, 200, "any CRM document can be named; the rule decides what it accepts");
    assert_eq!(r.sandbox.with_state(|st| st.workflows.last().map(|w| w.entity.clone())), Some("CCrmDocumentContact".into()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_state_file_written_before_per_rule_documents_and_comments_loads() {
    let file = std::env::temp_dir().join(format!("rulekit-sandbox-old-state-{}.json", std::process::id()));
    let _ = std::fs::remove_file(&file);
    let r = sandbox(Config { state_file: Some(file.clone()), ..Config::default() }).await;
    r.sandbox.with_state(|_| ());
    drop(r);
    // The shape the sandbox wrote before: no timeline comments, no documents in the dialog.
    let mut old: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    old.as_object_mut().unwrap().remove("timeline_comments").expect("written today");
    old["dialog"].as_object_mut().unwrap().remove("documents").expect("written today");
    std::fs::write(&file, old.to_string()).unwrap();

    let again = sandbox(Config { state_file: Some(file.clone()), ..Config::default() }).await;
    let options = again.sandbox.with_state(|st| rulekit_sandbox::placement::placement_options(st, "rulekit_all_types"));
    assert_eq!(options["document_fields"]["TITLE"]["Name"], "Deal name", "the demo's dialog keeps its document");
    assert_eq!(options["template"]["variables"][0]["Id"], "Approver", "and the robot designer's template");
    let added = call(&again, "crm.timeline.comment.add", json!({"fields": {"ENTITY_ID": 123, "ENTITY_TYPE": "deal", "COMMENT": "After the upgrade"}}));
    assert_eq!(added.0, 200, "{added:?}");
    let _ = std::fs::remove_file(&file);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_rulekit_rule_is_registered_ready_to_run() {
    let (url, body) = capture();
    let r = sandbox(Config { handler_url: Some(url), ..Config::default() }).await;
    let manifests = rulekit_model::manifest::all();
    let page = tokio::task::block_in_place(|| xtask::http::request(r.portal, "GET", "/", "text/html", b"").unwrap()).body;
    for m in &manifests {
        for code in [m.code.to_string(), m.activity_code()] {
            assert!(page.contains(&format!("rule={code}\"")), "{code} is in the rule switcher");
            let (saved, document) = r.sandbox.with_state(|st| (st.saved(&code), st.dialog.documents.get(&code).cloned()));
            for p in m.properties.iter().filter(|p| p.required) {
                let value = saved.get(&p.code).map(value_text).unwrap_or_default();
                assert!(!value.is_empty(), "{code}: the required {} has a value to run with", p.code);
            }
            let document = document.expect("a document for the dialog");
            assert!(document.fields.contains_key("TITLE") && document.template.is_none(), "{code}: a deal's fields");
        }
    }
    let invoice = r.sandbox.with_state(|st| st.saved("rulekit_invoice"));
    assert_eq!(Value::Object(invoice), json!({"invoice_title": "Invoice for {=Document:TITLE}", "mycompany_id": "1", "copy_products": "Y",
        "due_in_days": "14", "observers": ["user_1", "user_7"], "comments": "Created in the rulekit sandbox"}), "the handler's tests rely on these");

    // The newest rule runs from the page as it is.
    let last = manifests.last().unwrap();
    let run = tokio::task::block_in_place(|| http(&r, "POST", "/sandbox/run", "application/json", &json!({"code": last.code}).to_string()));
    assert_eq!((run.0, run.1["run"]["handler_status"].clone()), (200, json!(200)), "{run:?}");
    let form = rulekit_model::form_encoding::decode(&body.recv_timeout(std::time::Duration::from_secs(5)).unwrap()).unwrap();
    assert_eq!(form["code"], last.code);
    for p in last.properties.iter().filter(|p| p.required) {
        assert!(!value_text(&form["properties"][&p.code]).is_empty(), "{} is resolved and sent", p.code);
    }
}

/// A property value as text: a list's items joined.
fn value_text(v: &Value) -> String {
    match v {
        Value::Array(items) => items.iter().map(value_text).collect::<Vec<_>>().join(","),
        other => rulekit_model::lenient::scalar_text(other).unwrap_or_default(),
    }
}

/// The run as `/sandbox/state` (what the page reads) shows it.
fn run_json(r: &rulekit_sandbox::Running, index: usize) -> Value {
    tokio::task::block_in_place(|| http(r, "GET", "/sandbox/state", "application/json", "")).1["runs"][index].clone()
}

fn steps(run: &Value) -> Vec<String> {
    run["timeline"].as_array().unwrap().iter().map(|s| s["step"].as_str().unwrap().to_string()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_the_handler_failed_is_failed_with_its_reason_and_its_timeline() {
    use rulekit_model::text::{run_note, Lang, RunNote};
    let (url, body) = capture();
    let r = sandbox(Config { demo_handler_url: Some(url), ..Config::default() }).await;
    tokio::task::block_in_place(|| http(&r, "POST", "/sandbox/run", "application/json", "{}"));
    let token = rulekit_model::form_encoding::decode(&body.recv_timeout(std::time::Duration::from_secs(5)).unwrap()).unwrap()["event_token"].clone();
    let run = run_json(&r, 0);
    assert_eq!((run["outcome"].as_str(), steps(&run)), (Some("pending"), vec!["sent".to_string(), "acknowledged".into()]));
    assert_eq!(run["timeline"][1]["status"], 200, "the handler's HTTP status");
    assert!(run["timeline"][0]["at"].as_str().is_some_and(|t| t.len() == 25 && t.contains('T')), "{run}");

    // A failure a retry may repair: the handler logs why and leaves the step waiting.
    let why = format!("The rule could not finish. NOT_FOUND. {}", run_note(Lang::from_code("de"), &RunNote::WaitsForRetry));
    assert_eq!(call(&r, "bizproc.activity.log", json!({"EVENT_TOKEN": token, "LOG_MESSAGE": why})).0, 200);
    let run = run_json(&r, 0);
    assert_eq!((run["state"].as_str(), run["outcome"].as_str(), run["error"].as_str()), (Some("waiting"), Some("failed"), Some(why.as_str())));
    // The retried run's answer closes the step: the run is done after all.
    call(&r, "bizproc.event.send", json!({"EVENT_TOKEN": token, "RETURN_VALUES": {"result": "ok"}, "LOG_MESSAGE": "Done on the retry"}));
    let run = run_json(&r, 0);
    assert_eq!((run["outcome"].as_str(), &run["error"]), (Some("succeeded"), &Value::Null));
    assert_eq!(steps(&run), ["sent", "acknowledged", "log", "answer"]);
    assert_eq!((&run["timeline"][3]["return_values"], &run["timeline"][3]["text"]), (&json!({"result": "ok"}), &json!("Done on the retry")));

    // A failure no retry can repair: the step is closed with no return values and the reason.
    let (url, body) = capture();
    r.sandbox.with_state(|st| st.rules.iter_mut().for_each(|rule| { rule.fields.insert("HANDLER".into(), json!(url)); }));
    tokio::task::block_in_place(|| http(&r, "POST", "/sandbox/run", "application/json", "{}"));
    let token = rulekit_model::form_encoding::decode(&body.recv_timeout(std::time::Duration::from_secs(5)).unwrap()).unwrap()["event_token"].clone();
    let reason = "The rule could not finish. Quantity: this field is required.";
    call(&r, "bizproc.event.send", json!({"event_token": token, "return_values": {}, "log_message": reason}));
    let run = run_json(&r, 1);
    assert_eq!((run["state"].as_str(), run["outcome"].as_str(), run["error"].as_str()), (Some("completed"), Some("failed"), Some(reason)));
    assert_eq!(steps(&run), ["sent", "acknowledged", "answer"]);

    // A handler nobody listens for: the run fails at once, with why.
    let closed = format!("http://127.0.0.1:{}/run", xtask::free_port().unwrap());
    r.sandbox.with_state(|st| st.rules.iter_mut().for_each(|rule| { rule.fields.insert("HANDLER".into(), json!(closed)); }));
    tokio::task::block_in_place(|| http(&r, "POST", "/sandbox/run", "application/json", "{}"));
    let run = run_json(&r, 2);
    assert_eq!((run["outcome"].as_str(), steps(&run)), (Some("failed"), vec!["sent".to_string(), "unreachable".into()]));
    assert!(run["error"].as_str().is_some_and(|e| e.starts_with("cannot reach the handler")), "{run}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_placement_options_of_a_lead_a_run_is_on_a_lead() {
    let mut options: Value = serde_json::from_str(&xtask::fixture("placement-options.robot-designer.json")).unwrap();
    options["document_type"] = json!(["crm", "CCrmDocumentLead", "LEAD"]);
    let (url, body) = capture();
    let r = sandbox(Config { placement_options: Some(options), demo_handler_url: Some(url), ..Config::default() }).await;
    let page = tokio::task::block_in_place(|| xtask::http::request(r.portal, "GET", "/", "text/html", b"").unwrap()).body;
    assert!(page.contains("Run the rule on LEAD_45"), "the button names the lead");
    let (status, run) = tokio::task::block_in_place(|| http(&r, "POST", "/sandbox/run", "application/json", "{}"));
    assert_eq!((status, run["run"]["document_id"].as_str()), (200, Some("LEAD_45")), "{run}");
    let form = rulekit_model::form_encoding::decode(&body.recv_timeout(std::time::Duration::from_secs(5)).unwrap()).unwrap();
    assert_eq!(form["document_id"], json!(["crm", "CCrmDocumentLead", "LEAD_45"]));
    assert_eq!(form["document_type"], json!(["crm", "CCrmDocumentLead", "LEAD"]));
    assert_eq!(form["properties"]["title"], "Invoice for Lead from the website", "expressions read the lead");

    // Without options, or with a document type that is no CRM record's, the demo deal.
    let plain = sandbox(Config::default()).await;
    assert_eq!(plain.sandbox.with_state(|st| rulekit_sandbox::run::default_document(st, "rulekit_all_types")), "DEAL_123");
    let lists: Value = serde_json::from_str(&xtask::fixture("placement-options.workflow-designer.json")).unwrap();
    let other = sandbox(Config { placement_options: Some(lists), ..Config::default() }).await;
    assert_eq!(other.sandbox.with_state(|st| rulekit_sandbox::run::default_document(st, "rulekit_all_types")), "DEAL_123");
}
