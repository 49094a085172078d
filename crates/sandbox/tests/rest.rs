//! The REST emulation over real HTTP: auth, the error envelope and statuses, registration rules,
//! pagination, batch, the leaky bucket, results of runs, workflows and tasks; and "Run the rule".

use rulekit_sandbox::{start, Config, Running};
use serde_json::{json, Value};
use std::io::{Read, Write};

async fn sandbox(config: Config) -> Running {
    start(Config { dist: xtask::root().join("dist"), ..config }).await.expect("the sandbox starts")
}

/// The access token, read from the page the way the frame gets it.
fn token(running: &Running) -> String {
    running.sandbox.with_state(|st| st.tokens.access.clone())
}

/// One request to the portal; the status and the JSON body.
fn http(running: &Running, method: &str, path: &str, content_type: &str, body: &str) -> (u16, Value) {
    let a = xtask::http::request(running.portal, method, path, content_type, body.as_bytes()).unwrap();
    (a.status, a.json())
}

fn call(running: &Running, method: &str, mut params: Value) -> (u16, Value) {
    params["auth"] = json!(token(running));
    let body = params.to_string();
    tokio::task::block_in_place(|| http(running, "POST", &format!("/rest/{method}.json"), "application/json", &body))
}

fn error_of(reply: &(u16, Value)) -> (u16, String) {
    (reply.0, reply.1["error"].as_str().unwrap_or("").to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auth_is_checked_and_errors_use_the_envelope() {
    let r = sandbox(Config::default()).await;
    let (status, body) = tokio::task::block_in_place(|| http(&r, "POST", "/rest/app.info", "application/json", "{}"));
    assert_eq!((status, body["error"].as_str()), (401, Some("NO_AUTH_FOUND")));
    assert!(body["error_description"].is_string());
    let wrong = tokio::task::block_in_place(|| http(&r, "POST", "/rest/app.info.json", "application/json", r#"{"auth":"nope"}"#));
    assert_eq!(error_of(&wrong), (401, "invalid_token".into()));
    assert_eq!(call(&r, "no.such.method", json!({})).0, 404);
    // A form body with PHP brackets, as BX24.js sends it.
    let body = format!("auth={}&FILTER%5BACTIVE%5D=N", token(&r));
    let (status, users) = tokio::task::block_in_place(|| http(&r, "POST", "/rest/user.get.json", "application/x-www-form-urlencoded", &body));
    assert_eq!(status, 200);
    assert_eq!(users["result"][0]["NAME"], "Dmitri", "the departed employee: {users}");
    // An expired token, then a refreshed one.
    tokio::task::block_in_place(|| http(&r, "POST", "/sandbox/expire", "application/json", "{}"));
    assert_eq!(error_of(&call(&r, "app.info", json!({}))), (401, "expired_token".into()));
    let (_, fresh) = tokio::task::block_in_place(|| http(&r, "POST", "/sandbox/refresh", "application/json", "{}"));
    assert_eq!(fresh["AUTH_EXPIRES"], "3600");
    assert_eq!(call(&r, "app.info", json!({})).0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registration_follows_the_portals_rules() {
    let r = sandbox(Config::default()).await;
    let good = json!({"code": "my_robot", "handler": "https://app.example.com/run", "NAME": {"en": "Mine"},
        "PROPERTIES": {"title": {"Name": "Title", "Type": "string", "Options": {"a": "A"}}}, "USE_SUBSCRIPTION": "Y"});
    let added = call(&r, "bizproc.robot.add", good.clone());
    assert_eq!((added.0, &added.1["result"]), (200, &json!(true)), "top-level keys in any case: {added:?}");
    let stored = r.sandbox.with_state(|st| st.rule("my_robot").unwrap().fields.clone());
    assert_eq!(stored["PROPERTIES"]["title"]["NAME"], "Title", "descriptor keys are upper-cased");
    assert_eq!(stored["PROPERTIES"]["title"]["OPTIONS"], json!({"a": "A"}), "option keys are not");
    let failure = |params: Value| error_of(&call(&r, "bizproc.robot.add", params));
    let with = |k: &str, v: Value| {
        let mut p = good.clone();
        p[k] = v;
        p
    };
    assert_eq!(failure(good.clone()), (400, "ERROR_ACTIVITY_ALREADY_INSTALLED".into()));
    let as_activity = call(&r, "bizproc.activity.add", good.clone());
    assert_eq!(error_of(&as_activity).1, "ERROR_ACTIVITY_ALREADY_INSTALLED", "robots and activities share codes");
    assert_eq!(failure(with("code", json!(""))), (400, "ERROR_ACTIVITY_VALIDATION_FAILURE".into()));
    assert_eq!(failure(with("code", json!("bad code!"))).1, "ERROR_ACTIVITY_VALIDATION_FAILURE");
    assert_eq!(failure(with("handler", json!("http://localhost/run"))).1, "ERROR_WRONG_HANDLER_URL");
    assert_eq!(failure(with("handler", json!("ftp://app.example.com/run"))).1, "ERROR_UNSUPPORTED_PROTOCOL");
    let mut unnamed = with("code", json!("other"));
    unnamed["PROPERTIES"] = json!({"x": {"Type": "int"}});
    let e = call(&r, "bizproc.robot.add", unnamed);
    assert_eq!(e.1["error_description"], "Empty property NAME (x)!");
    let mut bad_key = with("code", json!("other"));
    bad_key["PROPERTIES"] = json!({"1x": {"Name": "X"}});
    assert_eq!(call(&r, "bizproc.robot.add", bad_key).1["error_description"], "Wrong property key (1x)!");
    let mut placement = with("code", json!("other"));
    placement["USE_PLACEMENT"] = json!("Y");
    assert_eq!(call(&r, "bizproc.robot.add", placement).1["error"], "ERROR_WRONG_HANDLER_URL", "USE_PLACEMENT needs a handler");

    let codes = call(&r, "bizproc.robot.list", json!({})).1["result"].clone();
    assert_eq!(codes, json!(["rulekit_all_types", "my_robot"]));
    assert_eq!(call(&r, "bizproc.activity.list", json!({})).1["result"], json!([]));
    // update: lookup by code and kind; PLACEMENT_HANDLER alone updates nothing; the top-level URL is the one checked.
    assert_eq!(error_of(&call(&r, "bizproc.activity.update", json!({"CODE": "my_robot", "FIELDS": {"HANDLER": "https://a.example.com/"}}))).1, "ERROR_ACTIVITY_NOT_FOUND");
    assert_eq!(call(&r, "bizproc.robot.update", json!({"CODE": "my_robot", "FIELDS": {"PLACEMENT_HANDLER": "https://a.example.com/s"}})).1["error_description"], "No fields to update");
    assert_eq!(call(&r, "bizproc.robot.update", json!({"CODE": "my_robot", "FIELDS": {"USE_PLACEMENT": "Y", "PLACEMENT_HANDLER": "https://a.example.com/s"}})).1["error"], "ERROR_WRONG_HANDLER_URL");
    let ok = call(&r, "bizproc.robot.update", json!({"CODE": "my_robot", "PLACEMENT_HANDLER": "https://a.example.com/s", "FIELDS": {"USE_PLACEMENT": "Y", "PLACEMENT_HANDLER": "https://a.example.com/s"}}));
    assert_eq!(ok.0, 200, "{ok:?}");
    assert_eq!(call(&r, "bizproc.robot.delete", json!({"CODE": "my_robot"})).0, 200);
    assert_eq!(error_of(&call(&r, "bizproc.robot.delete", json!({"CODE": "my_robot"}))).1, "ERROR_ACTIVITY_NOT_FOUND");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_come_in_pages_of_fifty() {
    let r = sandbox(Config::default()).await;
    let rows: Vec<Value> = (0..120).map(|i| json!({"productName": format!("Item {i}"), "price": i, "quantity": 1})).collect();
    let set = call(&r, "crm.item.productrow.set", json!({"ownerType": "D", "ownerId": 124, "productRows": rows}));
    assert_eq!(set.1["result"]["productRows"].as_array().map(Vec::len), Some(120));
    let mut start = json!(0);
    let mut seen = Vec::new();
    loop {
        let page = call(&r, "crm.item.productrow.list", json!({"filter": {"=ownerType": "D", "=ownerId": 124}, "start": start}));
        assert_eq!(page.1["total"], 120);
        let names: Vec<Value> = page.1["result"]["productRows"].as_array().unwrap().iter().map(|r| r["productName"].clone()).collect();
        assert!(names.len() <= 50);
        seen.extend(names);
        match page.1.get("next") {
            Some(next) => start = next.clone(),
            None => break,
        }
    }
    assert_eq!(seen.len(), 120);
    assert_eq!(seen[119], "Item 119");
    let no_count = call(&r, "crm.item.productrow.list", json!({"filter": {"=ownerType": "D", "=ownerId": 124}, "start": -1}));
    assert!(no_count.1.get("total").is_none(), "start=-1 skips the count");
    assert_eq!(error_of(&call(&r, "crm.item.productrow.set", json!({"ownerType": "D", "ownerId": 999, "productRows": []}))).1, "OWNER_NOT_FOUND");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_runs_up_to_fifty_commands() {
    let r = sandbox(Config::default()).await;
    let reply = call(&r, "batch", json!({"halt": 0, "cmd": {
        "me": "user.current", "deal": "crm.item.get?entityTypeId=2&id=123", "missing": "crm.item.get?entityTypeId=2&id=9",
        "nested": "batch?cmd[x]=user.current"}}));
    let result = &reply.1["result"];
    assert_eq!(result["result"]["me"]["NAME"], "Anna");
    assert_eq!(result["result"]["deal"]["item"]["title"], "Big deal & Co");
    assert_eq!(result["result_error"]["missing"]["error"], "NOT_FOUND");
    assert_eq!(result["result_error"]["nested"]["error"], "ERROR_BATCH_METHOD_NOT_ALLOWED");
    let halted = call(&r, "batch", json!({"halt": 1, "cmd": {"a": "crm.item.get?entityTypeId=2&id=9", "b": "user.current"}}));
    assert!(halted.1["result"]["result"].get("b").is_none(), "halt stops at the first failure");
    let many: serde_json::Map<String, Value> = (0..51).map(|i| (format!("c{i}"), json!("user.current"))).collect();
    assert_eq!(error_of(&call(&r, "batch", json!({"cmd": many}))), (400, "ERROR_BATCH_LENGTH_EXCEEDED".into()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_leaky_bucket_refuses_bursts_over_fifty() {
    let r = sandbox(Config { rate: (2.0, 50.0), ..Config::default() }).await;
    let statuses: Vec<u16> = (0..60).map(|_| call(&r, "app.info", json!({})).0).collect();
    assert!(statuses[..50].iter().all(|s| *s == 200), "{statuses:?}");
    let refused = call(&r, "app.info", json!({}));
    assert_eq!(error_of(&refused), (503, "QUERY_LIMIT_EXCEEDED".into()));
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(call(&r, "app.info", json!({})).0, 200, "the bucket drains two requests a second");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workflows_tasks_and_users_for_the_console_scenarios() {
    let r = sandbox(Config::default()).await;
    let gone = call(&r, "user.get", json!({"FILTER": {"NAME": "Dmitri", "ACTIVE": false}}));
    assert_eq!(gone.1["result"][0]["ID"], "12");
    assert_eq!(call(&r, "user.get", json!({})).1["total"], 3, "departed users are hidden by default");
    let tasks = call(&r, "bizproc.task.list", json!({"select": ["ID", "WORKFLOW_ID", "NAME"], "filter": {"USER_ID": 12, "STATUS": 0}}));
    assert_eq!(tasks.1["total"], 2);
    assert_eq!(tasks.1["result"][0], json!({"ID": "302", "WORKFLOW_ID": "5f1a3c9e0a1b2.00000004", "NAME": "Check the contract"}));
    let old = call(&r, "bizproc.workflow.instances", json!({"select": ["ID", "STARTED"], "order": {"STARTED": "asc"}, "filter": {"<STARTED": "2026-01-01T00:00:00+00:00"}}));
    let ids: Vec<&str> = old.1["result"].as_array().unwrap().iter().map(|w| w["ID"].as_str().unwrap()).collect();
    assert_eq!(ids, ["5f1a3c9e0a1b2.00000001", "5f1a3c9e0a1b2.00000002"]);
    assert_eq!(error_of(&call(&r, "bizproc.workflow.terminate", json!({"ID": ""}))).1, "ERROR_WRONG_WORKFLOW_ID");
    assert_eq!(call(&r, "bizproc.workflow.terminate", json!({"ID": "5f1a3c9e0a1b2.00000002", "STATUS": "Employee left"})).0, 200);
    assert_eq!(call(&r, "bizproc.workflow.kill", json!({"ID": "5f1a3c9e0a1b2.00000004"})).0, 200);
    let left = call(&r, "bizproc.task.list", json!({"filter": {"USER_ID": 12, "STATUS": 0}}));
    assert_eq!(left.1["total"], 0);
    assert_eq!(call(&r, "bizproc.workflow.instances", json!({})).1["total"], 2);
    let forged = call(&r, "bizproc.event.send", json!({"EVENT_TOKEN": "forged|A1|x.y", "RETURN_VALUES": {}}));
    assert_eq!(error_of(&forged), (403, "ACCESS_DENIED".into()));
}

/// A one-shot HTTP receiver standing in for a rule's handler: it keeps the body it was sent.
fn capture() -> (String, std::sync::mpsc::Receiver<String>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://127.0.0.1:{}/run", listener.local_addr().unwrap().port());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let mut data = Vec::new();
        let mut buf = [0u8; 65536];
        loop {
            let n = s.read(&mut buf).unwrap();
            data.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&data).to_string();
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let len: usize = head.lines().find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap_or(0))).unwrap_or(0);
                if body.len() >= len {
                    let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    let _ = tx.send(body.to_string());
                    return;
                }
            }
        }
    });
    (url, rx)
}

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
}
