//! What the admin console needs from the portal, over real HTTP: users acting with their own
//! tokens, admin-only methods, templates, a departed employee's tasks and their delegation,
//! terminate and kill, start-date filters, app options, user search, an app update and the stats.

mod common;

use common::{call, call_with, error_of, http, ids, sandbox};
use rulekit_sandbox::Config;
use serde_json::{json, Value};

fn fast() -> Config {
    Config { rate: (1000.0, 1000.0), ..Config::default() }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_user_acts_with_their_own_token_and_admin_methods_refuse_others() {
    let r = sandbox(fast()).await;
    let olga = r.sandbox.token_for(7);
    assert_eq!(r.sandbox.token_for(7), olga, "one token per user");
    assert_eq!(call_with(&r, &olga, "user.current", json!({})).1["result"]["ID"], "7");
    assert_eq!(call(&r, "user.current", json!({})).1["result"]["ID"], "1", "the app's token acts as the admin");
    assert_eq!(call_with(&r, &olga, "user.admin", json!({})).1["result"], false);
    assert_eq!(call(&r, "user.admin", json!({})).1["result"], true);
    let robot = json!({"CODE": "x", "HANDLER": "https://a.example.com/", "NAME": "X"});
    let admin_only = [
        ("bizproc.robot.add", robot.clone()), ("bizproc.activity.add", robot),
        ("bizproc.robot.update", json!({"CODE": "rulekit_all_types", "FIELDS": {"NAME": "Y"}})),
        ("bizproc.activity.update", json!({"CODE": "x", "FIELDS": {"NAME": "Y"}})),
        ("bizproc.robot.delete", json!({"CODE": "rulekit_all_types"})), ("bizproc.activity.delete", json!({"CODE": "x"})),
        ("bizproc.robot.list", json!({})), ("bizproc.activity.list", json!({})),
        ("bizproc.workflow.instances", json!({})), ("bizproc.workflow.instance.list", json!({})),
        ("bizproc.workflow.terminate", json!({"ID": "5f1a3c9e0a1b2.00000001"})),
        ("bizproc.workflow.kill", json!({"ID": "5f1a3c9e0a1b2.00000001"})),
        ("bizproc.workflow.template.list", json!({})), ("app.option.set", json!({"options": {"a": 1}})),
    ];
    for (method, params) in admin_only {
        let reply = call_with(&r, &olga, method, params);
        assert_eq!(error_of(&reply), (403, "ACCESS_DENIED".into()), "{method}");
        assert_eq!(reply.1["error_description"], "Access denied!");
    }
    assert_eq!(call(&r, "bizproc.robot.list", json!({})).1["result"], json!(["rulekit_all_types"]), "nothing was deleted");
    assert_eq!(call(&r, "bizproc.workflow.instances", json!({})).1["total"], 7, "nothing was stopped");
    assert_eq!(ids(&call_with(&r, &olga, "bizproc.task.list", json!({}))), ["303"], "a user sees their own tasks");
    assert_eq!(call(&r, "bizproc.task.list", json!({})).1["total"], 6, "an admin sees all");
    tokio::task::block_in_place(|| http(&r, "POST", "/sandbox/expire", "application/json", "{}"));
    assert_eq!(error_of(&call_with(&r, &olga, "user.current", json!({}))).1, "expired_token", "user tokens expire with the app's");
    assert_eq!(error_of(&call_with(&r, "forged", "user.current", json!({}))).1, "invalid_token");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn templates_and_the_documented_task_fields() {
    let r = sandbox(fast()).await;
    let all = call(&r, "bizproc.workflow.template.list", json!({}));
    assert_eq!(all.1["result"], json!([{"ID": "12"}, {"ID": "14"}, {"ID": "15"}, {"ID": "16"}]), "select ID, order ID asc");
    let leads = call(&r, "bizproc.workflow.template.list", json!({"select": ["ID", "NAME", "DOCUMENT_TYPE"], "filter": {"ENTITY": "CCrmDocumentLead"}}));
    assert_eq!(leads.1["result"], json!([{"ID": "15", "NAME": "Lead qualification", "DOCUMENT_TYPE": ["crm", "CCrmDocumentLead", "LEAD"]}]));
    let fields = ["ID", "ACTIVITY", "ACTIVITY_NAME", "WORKFLOW_ID", "DOCUMENT_NAME", "DESCRIPTION", "NAME", "MODIFIED", "WORKFLOW_STARTED",
        "WORKFLOW_STARTED_BY", "OVERDUE_DATE", "WORKFLOW_TEMPLATE_ID", "WORKFLOW_TEMPLATE_NAME", "WORKFLOW_STATE", "STATUS", "USER_ID",
        "USER_STATUS", "MODULE_ID", "ENTITY", "DOCUMENT_ID", "DOCUMENT_URL", "PARAMETERS"];
    let task = call(&r, "bizproc.task.list", json!({"select": fields, "filter": {"ID": 305}}));
    let t = &task.1["result"][0];
    assert_eq!(t.as_object().map(|m| m.len()), Some(fields.len()), "{t}");
    assert_eq!((&t["WORKFLOW_TEMPLATE_ID"], &t["WORKFLOW_TEMPLATE_NAME"]), (&json!("14"), &json!("Contract review")));
    assert_eq!((&t["DOCUMENT_ID"], &t["DOCUMENT_URL"], &t["ENTITY"]), (&json!("DEAL_123"), &json!("/crm/deal/details/123/"), &json!("CCrmDocumentDeal")));
    assert_eq!((&t["USER_ID"], &t["STATUS"], &t["WORKFLOW_STATE"]), (&json!("12"), &json!("0"), &json!("running")));
    assert!(t["PARAMETERS"].is_object());
    let overdue = call(&r, "bizproc.task.list", json!({"filter": {"USER_ID": 12, "<OVERDUE_DATE": "2026-11-01T00:00:00+03:00"}, "order": {"ID": "asc"}}));
    assert_eq!(ids(&overdue), ["301", "302", "305"], "overdue dates compare as instants; tasks without one are not overdue");
    let templates: Vec<Value> = call(&r, "bizproc.task.list", json!({"select": ["WORKFLOW_TEMPLATE_ID"], "filter": {"USER_ID": 12}})).1["result"]
        .as_array().unwrap().iter().map(|t| t["WORKFLOW_TEMPLATE_ID"].clone()).collect();
    assert_eq!(templates, [json!("15"), json!("14"), json!("16"), json!("14"), json!("12")], "Dmitri's tasks span four templates");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delegation_is_checked_and_all_or_nothing() {
    let r = sandbox(fast()).await;
    let delegate = |ids: Value, from: Value, to: Value| call(&r, "bizproc.task.delegate", json!({"TASK_IDS": ids, "FROM_USER_ID": from, "TO_USER_ID": to}));
    let described = |reply: (u16, Value)| (reply.0, reply.1["error"].as_str().unwrap_or("").to_string(), reply.1["error_description"].as_str().unwrap_or("").to_string());
    let invalid_ids = (400, "ERROR_TASK_VALIDATION".to_string(), "Invalid TASK_IDS".to_string());
    assert_eq!(described(delegate(json!([]), json!(12), json!(9))), invalid_ids);
    assert_eq!(described(delegate(json!(["x"]), json!(12), json!(9))), invalid_ids);
    assert_eq!(described(delegate(json!([301]), json!(99), json!(9))).2, "Invalid FROM_USER_ID");
    assert_eq!(described(delegate(json!([301]), json!(12), json!(12))), (400, "ERROR_INVALID_USER_ID".into(), "Invalid TO_USER_ID".into()), "not to a departed user");
    let refused = described(delegate(json!([301, 305, 303]), json!(12), json!(9)));
    assert_eq!(refused, (400, "ERROR_DELEGATION_NOT_ALLOWED".into(), "Task delegation is not allowed; User is not responsible for the task".into()));
    let owner = |id: u64| r.sandbox.with_state(|st| st.tasks.iter().find(|t| t.id == id).map(|t| t.user_id));
    assert_eq!(owner(301), Some(12), "one refused task fails the whole call: nothing is delegated");
    let olga = r.sandbox.token_for(7);
    let as_olga = call_with(&r, &olga, "bizproc.task.delegate", json!({"TASK_IDS": [301], "FROM_USER_ID": 12, "TO_USER_ID": 9}));
    assert_eq!(error_of(&as_olga).1, "ERROR_DELEGATION_NOT_ALLOWED", "a non-admin delegates only their own tasks");
    assert_eq!(call_with(&r, &olga, "bizproc.task.delegate", json!({"TASK_IDS": [303], "FROM_USER_ID": 7, "TO_USER_ID": 9})).1["result"], true);
    assert_eq!(delegate(json!([301, 302, 304, "306"]), json!("12"), json!(9)).1["result"], true, "an admin delegates a departed user's tasks");
    assert_eq!([owner(301), owner(302), owner(304), owner(306), owner(305), owner(303)], [Some(9), Some(9), Some(9), Some(9), Some(12), Some(9)]);
    let ninas = call_with(&r, &r.sandbox.token_for(9), "bizproc.task.list", json!({"order": {"ID": "asc"}}));
    assert_eq!(ids(&ninas), ["301", "302", "303", "304", "306"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn terminate_keeps_the_history_kill_deletes_and_every_stop_is_counted() {
    let r = sandbox(fast()).await;
    let wf = "5f1a3c9e0a1b2.00000005";
    assert_eq!(call(&r, "bizproc.workflow.terminate", json!({"ID": wf, "STATUS": "Employee left"})).1["result"], true);
    let (state, history, task) = r.sandbox.with_state(|st| {
        let w = st.workflows.iter().find(|w| w.id == wf).cloned().unwrap();
        (w.state, w.history, st.tasks.iter().find(|t| t.id == 304).map(|t| t.status))
    });
    assert_eq!((state.as_str(), task), ("terminated", Some(3)));
    assert!(history.len() == 1 && history[0].ends_with("terminated: Employee left"), "{history:?}");
    let again = call(&r, "bizproc.workflow.terminate", json!({"ID": wf}));
    assert_eq!(error_of(&again), (400, "ERROR_CORE".into()), "sent twice: it no longer runs");
    let batch = call(&r, "batch", json!({"halt": 0, "cmd": {"a": format!("bizproc.workflow.kill?ID={wf}"), "b": "bizproc.workflow.kill?ID=5f1a3c9e0a1b2.00000006",
        "c": "bizproc.workflow.kill?ID=5f1a3c9e0a1b2.00000006"}}));
    assert_eq!(batch.1["result"]["result"], json!({"a": true, "b": true}), "a killed workflow is gone at once: {batch:?}");
    assert_eq!(batch.1["result"]["result_error"]["c"]["error"], "ERROR_CORE");
    let left = r.sandbox.with_state(|st| (st.workflows.iter().any(|w| w.id == wf), st.tasks.iter().any(|t| t.id == 304 || t.id == 305)));
    assert_eq!(left, (false, false), "kill deletes the workflow, its tasks and history");
    let stops = r.sandbox.stats()["stop_calls"].clone();
    assert_eq!(stops[wf], json!({"ok": 2, "failed": 1}));
    assert_eq!(stops["5f1a3c9e0a1b2.00000006"], json!({"ok": 1, "failed": 1}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_filter_start_dates_as_instants_and_equal_fields() {
    let r = sandbox(fast()).await;
    let list = |filter: Value| ids(&call(&r, "bizproc.workflow.instances", json!({"select": ["ID"], "order": {"STARTED": "asc"}, "filter": filter})));
    let n = |k: u32| format!("5f1a3c9e0a1b2.{k:08}");
    assert_eq!(list(json!({">=STARTED": "2026-06-15T14:00:00+03:00", "<STARTED": "2026-10-02T12:00:00Z"})), [n(5), n(6)], "offsets are honoured, bounds inclusive and exclusive");
    assert_eq!(list(json!({"<STARTED": "2025-01-01T00:00:00+00:00"})), Vec::<String>::new());
    assert_eq!(list(json!({"<STARTED": "yesterday"})), Vec::<String>::new(), "a time that does not parse matches nothing");
    assert_eq!(list(json!({"TEMPLATE_ID": 14})), [n(6), n(4)]);
    assert_eq!(list(json!({"STARTED_BY": "12"})), [n(2), n(5)]);
    assert_eq!(list(json!({"ENTITY": "CCrmDocumentLead"})), [n(7), n(3)]);
    assert_eq!(list(json!({"ID": n(4)})), [n(4)]);
    assert_eq!(list(json!({"<OWNED_UNTIL": "2030-01-01T00:00:00+00:00"})), Vec::<String>::new(), "unlocked workflows are not stuck");
    let unknown_op = list(json!({"=ID": n(4)}));
    assert_eq!(unknown_op.len(), 7, "`=` is dropped, as on the portal");
    let no_count = call(&r, "bizproc.workflow.instances", json!({"start": -1}));
    assert!(no_count.1.get("total").is_none() && no_count.1["result"].as_array().map(Vec::len) == Some(7));
    let modified = call(&r, "bizproc.workflow.instances", json!({}));
    assert_eq!(modified.1["result"][0], json!({"ID": n(3), "MODIFIED": "2026-11-20T08:15:00+00:00", "OWNED_UNTIL": null}), "default order MODIFIED desc");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_options_user_search_and_an_app_update() {
    let r = sandbox(fast()).await;
    assert_eq!(call(&r, "app.option.set", json!({"options": {"console_seen": "Y", "limit": 50}})).1["result"], true);
    assert_eq!(call(&r, "app.option.get", json!({"option": "limit"})).1["result"], 50);
    let olga = r.sandbox.token_for(7);
    assert_eq!(call_with(&r, &olga, "app.option.get", json!({})).1["result"], json!({"console_seen": "Y", "limit": 50}), "anyone reads them");
    assert_eq!(error_of(&call(&r, "app.option.set", json!({"options": {}}))).0, 400);
    let info = call(&r, "app.info", json!({})).1["result"].clone();
    assert_eq!((&info["INSTALLED"], &info["VERSION"]), (&json!(true), &json!(1)));

    let names = |reply: (u16, Value)| -> Vec<String> { reply.1["result"].as_array().into_iter().flatten().map(|u| u["NAME"].as_str().unwrap_or("").to_string()).collect() };
    assert_eq!(names(call(&r, "user.get", json!({"FILTER": {"=%LAST_NAME": "Pet%", "ACTIVE": false}}))), ["Dmitri"]);
    assert_eq!(names(call(&r, "user.get", json!({"FILTER": {"%=NAME": "%a"}}))), ["Anna", "Olga", "Nina"], "ends with a");
    assert_eq!(names(call(&r, "user.get", json!({"ADMIN_MODE": true}))).len(), 4, "an admin's ADMIN_MODE lists departed users too");
    assert_eq!(names(call_with(&r, &olga, "user.get", json!({"ADMIN_MODE": true}))).len(), 3, "not a non-admin's");
    assert_eq!(names(call(&r, "user.search", json!({"FIND": "NOVAK"}))), ["Nina"]);
    assert_eq!(names(call(&r, "user.search", json!({"FIND": "petrov"}))), Vec::<String>::new(), "departed users are hidden");
    assert_eq!(names(call(&r, "user.search", json!({"FIND": "petrov", "FILTER": {"ACTIVE": false}}))), ["Dmitri"]);
    assert_eq!(call(&r, "user.search", json!({"FIND": "example.com"})).1["total"], 3, "e-mails too, in pages");

    assert_eq!(call(&r, "bizproc.activity.add", json!({"CODE": "act", "HANDLER": "https://a.example.com/", "NAME": "A"})).0, 200);
    let (status, update) = tokio::task::block_in_place(|| http(&r, "POST", "/sandbox/update-app", "application/json", "{}"));
    assert_eq!((status, update), (200, json!({"deleted": 2, "version": 2})));
    assert_eq!(call(&r, "bizproc.robot.list", json!({})).1["result"], json!([]), "an update deletes the app's robots");
    assert_eq!(call(&r, "bizproc.activity.list", json!({})).1["result"], json!([]), "and activities");
    assert_eq!(call(&r, "app.info", json!({})).1["result"]["VERSION"], 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_stats_count_requests_refusals_and_methods() {
    let r = sandbox(Config { rate: (0.001, 3.0), ..Config::default() }).await;
    let (_, reset) = tokio::task::block_in_place(|| http(&r, "POST", "/sandbox/stats/reset", "application/json", "{}"));
    assert_eq!(reset["ok"], true);
    call(&r, "batch", json!({"cmd": {"a": "user.current", "b": "user.current", "c": "app.info"}}));
    call(&r, "app.info", json!({}));
    call(&r, "user.current", json!({}));
    assert_eq!(error_of(&call(&r, "user.current", json!({}))).1, "QUERY_LIMIT_EXCEEDED");
    let (status, stats) = tokio::task::block_in_place(|| http(&r, "GET", "/sandbox/stats", "application/json", ""));
    assert_eq!(status, 200);
    assert_eq!((&stats["requests"], &stats["refused"]), (&json!(4), &json!(1)), "a batch is one request: {stats}");
    assert_eq!(stats["methods"], json!({"app.info": 2, "batch": 1, "user.current": 3}));
    assert_eq!(r.sandbox.stats(), stats);
    r.sandbox.reset_stats();
    assert_eq!(r.sandbox.stats()["requests"], 0);
}
