//! The REST emulation over real HTTP: auth, the error envelope and statuses, registration rules,
//! pagination, batch, the leaky bucket, workflows and tasks, timeline comments.

mod common;

use common::{call, error_of, http, sandbox, token};
use rulekit_sandbox::Config;
use serde_json::{json, Value};

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
    assert_eq!(tasks.1["total"], 5, "Dmitri's open tasks: 301, 302, 304, 305, 306");
    assert_eq!(tasks.1["result"][3], json!({"ID": "302", "WORKFLOW_ID": "5f1a3c9e0a1b2.00000004", "NAME": "Check the contract"}));
    let old = call(&r, "bizproc.workflow.instances", json!({"select": ["ID", "STARTED"], "order": {"STARTED": "asc"}, "filter": {"<STARTED": "2026-01-01T00:00:00+00:00"}}));
    let ids: Vec<&str> = old.1["result"].as_array().unwrap().iter().map(|w| w["ID"].as_str().unwrap()).collect();
    assert_eq!(ids, ["5f1a3c9e0a1b2.00000001", "5f1a3c9e0a1b2.00000002"]);
    assert_eq!(error_of(&call(&r, "bizproc.workflow.terminate", json!({"ID": ""}))).1, "ERROR_WRONG_WORKFLOW_ID");
    assert_eq!(call(&r, "bizproc.workflow.terminate", json!({"ID": "5f1a3c9e0a1b2.00000002", "STATUS": "Employee left"})).0, 200);
    assert_eq!(call(&r, "bizproc.workflow.kill", json!({"ID": "5f1a3c9e0a1b2.00000004"})).0, 200);
    let left = call(&r, "bizproc.task.list", json!({"filter": {"USER_ID": 12, "STATUS": 0}}));
    assert_eq!(left.1["total"], 3, "301 closed by terminate, 302 deleted by kill");
    assert_eq!(call(&r, "bizproc.workflow.instances", json!({})).1["total"], 5);
    let forged = call(&r, "bizproc.event.send", json!({"EVENT_TOKEN": "forged|A1|x.y", "RETURN_VALUES": {}}));
    assert_eq!(error_of(&forged), (403, "ACCESS_DENIED".into()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timeline_comments_are_added_read_and_listed_as_on_the_portal() {
    let r = sandbox(Config { rate: (1000.0, 1000.0), ..Config::default() }).await;
    let added = call(&r, "crm.timeline.comment.add", json!({"fields": {"ENTITY_ID": 123, "ENTITY_TYPE": "deal", "COMMENT": "Called the client"}}));
    assert_eq!(added.0, 200, "{added:?}");
    let id = added.1["result"].as_u64().expect("the new comment's id, a number");
    // A form body with PHP brackets, as BX24.js sends it, with an author.
    let body = format!("auth={}&fields%5BENTITY_ID%5D=45&fields%5BENTITY_TYPE%5D=LEAD&fields%5BCOMMENT%5D=Lead+note&fields%5BAUTHOR_ID%5D=7", token(&r));
    let on_lead = tokio::task::block_in_place(|| http(&r, "POST", "/rest/crm.timeline.comment.add", "application/x-www-form-urlencoded", &body));
    assert_eq!(on_lead.0, 200, "{on_lead:?}");

    let got = call(&r, "crm.timeline.comment.get", json!({"id": id})).1["result"].clone();
    assert_eq!((got["ID"].clone(), got["ENTITY_ID"].clone(), got["ENTITY_TYPE"].clone()), (json!(id.to_string()), json!("123"), json!("deal")));
    assert_eq!((got["COMMENT"].clone(), got["AUTHOR_ID"].clone()), (json!("Called the client"), json!("1")), "the calling user by default");
    assert!(got["CREATED"].as_str().is_some_and(|c| c.len() == 25 && c.contains('T')), "{got}");
    let lead = call(&r, "crm.timeline.comment.list", json!({"filter": {"ENTITY_ID": 45, "ENTITY_TYPE": "lead"}, "select": ["COMMENT", "AUTHOR_ID"]}));
    assert_eq!(lead.1["result"], json!([{"COMMENT": "Lead note", "AUTHOR_ID": "7"}]), "select keeps what was asked");
    assert_eq!(lead.1["total"], 1);

    for n in 0..59 {
        call(&r, "crm.timeline.comment.add", json!({"fields": {"ENTITY_ID": 123, "ENTITY_TYPE": "deal", "COMMENT": format!("Note {n}")}}));
    }
    let first = call(&r, "crm.timeline.comment.list", json!({"filter": {"ENTITY_ID": 123, "ENTITY_TYPE": "deal"}}));
    assert_eq!((first.1["total"].clone(), first.1["next"].clone()), (json!(60), json!(50)));
    assert_eq!(first.1["result"].as_array().map(Vec::len), Some(50));
    assert_eq!(first.1["result"][0]["COMMENT"], "Called the client", "in the order of adding");
    let second = call(&r, "crm.timeline.comment.list", json!({"filter": {"ENTITY_ID": 123, "ENTITY_TYPE": "deal"}, "start": 50, "order": {"ID": "desc"}}));
    assert_eq!(second.1["result"].as_array().map(Vec::len), Some(10));
    assert_eq!(second.1["result"][9]["COMMENT"], "Called the client", "order by ID, descending");
    assert!(second.1.get("next").is_none());

    let add = |fields: Value| error_of(&call(&r, "crm.timeline.comment.add", json!({"fields": fields})));
    assert_eq!(add(json!({"ENTITY_ID": 999, "ENTITY_TYPE": "deal", "COMMENT": "x"})), (400, "NOT_FOUND".into()), "a missing deal");
    assert_eq!(add(json!({"ENTITY_ID": 123, "ENTITY_TYPE": "deal", "COMMENT": "  "})), (400, "INVALID_ARG_VALUE".into()), "an empty comment");
    assert_eq!(add(json!({"ENTITY_ID": 123, "ENTITY_TYPE": "galaxy", "COMMENT": "x"})).1, "OWNER_NOT_FOUND");
    assert_eq!(add(json!({"ENTITY_TYPE": "deal", "COMMENT": "x"})).1, "100", "ENTITY_ID is required");
    let upper = call(&r, "crm.timeline.comment.add", json!({"FIELDS": {"ENTITY_ID": 123, "ENTITY_TYPE": "deal", "COMMENT": "x"}}));
    assert_eq!(error_of(&upper).1, "100", "only `fields` in lower case is read");
    let missing = call(&r, "crm.timeline.comment.get", json!({"id": 1}));
    assert_eq!((missing.0, missing.1["error_description"].clone()), (400, json!("Not found.")));
    assert_eq!(call(&r, "crm.timeline.comment.get", json!({})).1["error_description"], "ID is not defined or invalid.");
    assert_eq!(error_of(&call(&r, "crm.timeline.comment.list", json!({"filter": {"ENTITY_TYPE": "deal"}}))), (400, "INVALID_ARG_VALUE".into()));
    let stored = r.sandbox.with_state(|st| st.timeline_comments.len());
    assert_eq!(stored, 61, "failed calls store nothing");
}
