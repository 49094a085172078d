//! The data the settings form reads from the portal, as the form's code expects it: the portal's
//! own companies (`crm.item.list`), users found by a few letters (`user.search`), and a refusal
//! armed for any method (`/sandbox/fail-next`), so the form's fallback can be tried end to end.

mod common;

use common::{call, error_of, http, sandbox};
use rulekit_sandbox::Config;
use serde_json::{json, Value};

fn names(reply: (u16, Value)) -> Vec<String> {
    assert_eq!(reply.0, 200, "{reply:?}");
    reply.1["result"].as_array().unwrap().iter().map(|u| u["NAME"].as_str().unwrap().to_string()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_portals_own_companies_are_listed_with_their_titles() {
    let r = sandbox(Config { handler_url: Some("http://127.0.0.1:9/run".into()), ..Config::default() }).await;
    let mine = call(&r, "crm.item.list", json!({"entityTypeId": 4, "filter": {"isMyCompany": "Y"}, "select": ["id", "title"]}));
    assert_eq!(mine.0, 200, "{mine:?}");
    let items = mine.1["result"]["items"].as_array().unwrap().clone();
    let listed: Vec<(Value, Value, Value)> = items.iter().map(|i| (i["id"].clone(), i["title"].clone(), i["isMyCompany"].clone())).collect();
    assert_eq!(listed, [(json!(1), json!("Rulekit Demo LLC"), json!("Y")), (json!(2), json!("Rulekit Services GmbH"), json!("Y"))]);
    assert_eq!(mine.1["total"], 2);
    let client = call(&r, "crm.item.list", json!({"entityTypeId": 4, "filter": {"=isMyCompany": "N"}}));
    assert_eq!(client.1["result"]["items"][0]["id"], 3, "the client, which the demo deal is with");
    let deal = call(&r, "crm.item.get", json!({"entityTypeId": 2, "id": 123}));
    assert_eq!(deal.1["result"]["item"]["companyId"], 3);
    assert_eq!(call(&r, "crm.item.list", json!({"entityTypeId": 4})).1["total"], 3);
    // The invoice rule's demo value names one of them.
    let saved = r.sandbox.with_state(|st| st.saved("rulekit_invoice"));
    assert!(items.iter().any(|i| json!(i["id"].to_string()) == saved["mycompany_id"]), "{saved:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_are_found_by_a_few_letters_anywhere_in_their_names() {
    let r = sandbox(Config::default()).await;
    assert_eq!(names(call(&r, "user.search", json!({"FIND": "ol"}))), ["Olga"], "name, last name or e-mail, any case");
    assert_eq!(names(call(&r, "user.search", json!({"FILTER": {"FIND": "OL"}}))), ["Olga"], "inside FILTER too");
    assert_eq!(names(call(&r, "user.search", json!({"FIND": "nov"}))), ["Olga", "Nina"], "Ivanova and Novak");
    assert_eq!(names(call(&r, "user.search", json!({"FILTER": {"LAST_NAME": "nov"}}))), ["Olga", "Nina"]);
    assert_eq!(names(call(&r, "user.search", json!({"NAME": "ni", "LAST_NAME": "NOV"}))), ["Nina"]);
    assert_eq!(names(call(&r, "user.search", json!({"FILTER": {"NAME": "an"}}))), ["Anna"]);
    assert_eq!(names(call(&r, "user.search", json!({"FIND": "petr"}))), Vec::<String>::new(), "departed users are not offered");
    let form = format!("auth={}&FILTER%5BFIND%5D=olga%40", common::token(&r));
    let (status, found) = tokio::task::block_in_place(|| http(&r, "POST", "/rest/user.search.json", "application/x-www-form-urlencoded", &form));
    assert_eq!((status, found["result"][0]["EMAIL"].as_str()), (200, Some("olga@example.com")), "as BX24.js sends it");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_next_call_of_any_method_can_be_made_to_fail() {
    let r = sandbox(Config::default()).await;
    let list = json!({"entityTypeId": 4, "filter": {"isMyCompany": "Y"}});
    let arm = |body: Value| tokio::task::block_in_place(|| http(&r, "POST", "/sandbox/fail-next", "application/json", &body.to_string()));
    assert_eq!(arm(json!({"method": "crm.item.list"})).0, 200);
    assert_eq!(error_of(&call(&r, "crm.item.list", list.clone())), (403, "ACCESS_DENIED".into()));
    assert_eq!(call(&r, "crm.item.list", list.clone()).0, 200, "once");
    // Any name, as it is called: any case, with `.json`; any error.
    arm(json!({"method": "CRM.Item.List.json", "error": "INTERNAL_SERVER_ERROR"}));
    assert_eq!(error_of(&call(&r, "crm.item.list", list.clone())), (500, "INTERNAL_SERVER_ERROR".into()));
    arm(json!({"method": "user.search", "error": "QUERY_LIMIT_EXCEEDED", "persistent": true}));
    for _ in 0..2 {
        assert_eq!(error_of(&call(&r, "user.search", json!({"FIND": "ol"}))), (503, "QUERY_LIMIT_EXCEEDED".into()));
    }
    arm(json!({}));
    assert_eq!(call(&r, "user.search", json!({"FIND": "ol"})).0, 200, "cleared");
    // Inside a batch too.
    arm(json!({"method": "crm.item.list"}));
    let batch = call(&r, "batch", json!({"cmd": {"mine": "crm.item.list?entityTypeId=4&filter[isMyCompany]=Y"}}));
    assert_eq!(batch.1["result"]["result_error"]["mine"]["error"], "ACCESS_DENIED", "{batch:?}");
}
