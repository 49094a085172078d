//! The runs API against the sandbox: who may use it (a portal's administrator, proven by that
//! portal), what a portal sees (its own runs only), its parameters, CORS and the rate limit.

mod common;

use common::*;
use serde_json::{json, Value};

fn admin(s: &rulekit_sandbox::Running) -> String {
    s.sandbox.token_for(1)
}

fn refused(a: &xtask::http::Answer, status: u16, code: &str) {
    assert_eq!((a.status, a.json()["error"].as_str()), (status, Some(code)), "{}", a.body);
    assert!(a.json()["message"].as_str().is_some_and(|m| m.len() > 20), "{}", a.body);
    assert!(a.json().get("runs").is_none(), "nothing is read");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_expired_and_foreign_credentials_are_refused_before_anything_is_read() {
    let h = handler("", |_| {}).await;
    let (s, other) = (with_sandbox(&h, (50.0, 500.0)).await, second_portal(&h).await);
    run(&s, "rulekit_invoice", "DEAL_123").await;
    refused(&api(&h, &s, "GET", "/api/runs", "forged-token"), 401, "unauthorized");
    // The other portal's administrator, with this portal's member id and domain: this portal does not know the token.
    let foreign = admin(&other);
    refused(&api(&h, &s, "GET", "/api/runs", &foreign), 401, "unauthorized");
    let member = s.sandbox.with_state(|st| st.member_id.clone());
    let bearer = format!("Bearer {}", admin(&s));
    let ask = |member: &str, domain: &str| tokio::task::block_in_place(|| {
        with_headers(h.addr, "GET", "/api/runs", &[("Authorization", &bearer), ("X-Portal-Member", member), ("X-Portal-Domain", domain)])
    });
    refused(&ask(&member, &other.sandbox.portal_host), 401, "unauthorized");
    refused(&ask("0123456789abcdef", &s.sandbox.portal_host), 401, "unauthorized");
    refused(&ask(&member, ""), 401, "unauthorized");
    let no_token = tokio::task::block_in_place(|| with_headers(h.addr, "GET", "/api/summary", &[("X-Portal-Member", &member)]));
    refused(&no_token, 401, "unauthorized");
    // An expired token, never seen before (so no verdict is cached for it).
    post(s.portal, "/sandbox/expire", "application/json", "{}");
    let expired = api(&h, &s, "GET", "/api/runs", &admin(&s));
    refused(&expired, 401, "unauthorized");
    assert!(expired.json()["message"].as_str().unwrap().contains("expired"));
    s.sandbox.with_state(|st| st.tokens.expires = rulekit_sandbox::clock::now_unix() + 3600);
    // Case does not matter in the domain; the genuine administrator gets the runs.
    let ok = ask(&member, &s.sandbox.portal_host.to_uppercase());
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(ok.json()["runs"].as_array().unwrap().len(), 1);
    for a in [&expired, &ok] {
        assert!(!a.body.contains(&admin(&s)) && !a.body.contains(&foreign));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_who_is_not_an_administrator_is_forbidden() {
    let h = handler("", |_| {}).await;
    let s = with_sandbox(&h, (50.0, 500.0)).await;
    let olga = s.sandbox.token_for(7);
    for path in ["/api/runs", "/api/summary", "/api/runs/1"] {
        refused(&api(&h, &s, "GET", path, &olga), 403, "forbidden");
    }
    refused(&api(&h, &s, "POST", "/api/runs/1/retry", &olga), 403, "forbidden");
    let asked = s.sandbox.stats()["methods"]["user.admin"].as_u64().unwrap_or(0);
    assert_eq!(asked, 1, "the verdict is cached: {}", s.sandbox.stats());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_portal_sees_only_its_own_runs_page_by_page() {
    let h = handler("", |_| {}).await;
    let (a, b) = (with_sandbox(&h, (50.0, 500.0)).await, second_portal(&h).await);
    run(&a, "rulekit_invoice", "DEAL_123").await;
    run(&a, "rulekit_invoice_activity", "LEAD_45").await;
    run(&b, "rulekit_invoice", "DEAL_123").await;
    wait_for_jobs(&h, "done", 3).await;
    let (ta, tb) = (admin(&a), admin(&b));
    let all = api(&h, &a, "GET", "/api/runs", &ta).json();
    let ids: Vec<i64> = all["runs"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), 2, "{all}");
    assert!(ids[0] > ids[1], "newest first");
    assert_eq!(all["next_cursor"], Value::Null);
    let first = &all["runs"][1];
    assert_eq!((first["rule"].as_str(), first["document_id"].as_str(), first["status"].as_str()), (Some("rulekit_invoice"), Some("DEAL_123"), Some("done")));
    assert_eq!((first["attempts"].as_i64(), first["last_error"].clone()), (Some(0), Value::Null));
    assert!(first["created_at"].as_i64().unwrap() <= first["updated_at"].as_i64().unwrap());
    let b_runs = api(&h, &b, "GET", "/api/runs", &tb).json();
    let b_id = b_runs["runs"][0]["id"].as_i64().unwrap();
    assert_eq!(b_runs["runs"].as_array().unwrap().len(), 1);
    assert!(!ids.contains(&b_id));
    refused(&api(&h, &a, "GET", &format!("/api/runs/{b_id}"), &ta), 404, "not_found");
    refused(&api(&h, &a, "POST", &format!("/api/runs/{b_id}/retry"), &ta), 404, "not_found");
    refused(&api(&h, &a, "GET", "/api/runs/999999", &ta), 404, "not_found");

    // One a page, then the rest; filters by rule (robot or activity code), document and status.
    let page = api(&h, &a, "GET", "/api/runs?limit=1", &ta).json();
    assert_eq!(page["runs"][0]["id"].as_i64(), Some(ids[0]));
    let cursor = page["next_cursor"].as_str().unwrap().to_string();
    let next = api(&h, &a, "GET", &format!("/api/runs?limit=1&cursor={cursor}"), &ta).json();
    assert_eq!((next["runs"][0]["id"].as_i64(), next["next_cursor"].clone()), (Some(ids[1]), Value::Null));
    let count = |q: &str| api(&h, &a, "GET", &format!("/api/runs?{q}"), &ta).json()["runs"].as_array().map(Vec::len);
    assert_eq!(count("rule=rulekit_invoice"), Some(2), "the activity's runs are the rule's");
    assert_eq!(count("document=LEAD_45"), Some(1));
    assert_eq!(count("status=done&rule=rulekit_invoice_activity"), Some(2));
    assert_eq!(count("status=failed"), Some(0));
    assert_eq!(count("from=1&to=1"), Some(0));
    for bad in ["status=bogus", "limit=500", "limit=x", "cursor=zz", "from=yesterday", "colour=red"] {
        refused(&api(&h, &a, "GET", &format!("/api/runs?{bad}"), &ta), 400, "bad_request");
    }
    let summary = api(&h, &a, "GET", "/api/summary", &ta).json();
    assert_eq!(summary["by_status"], json!({"pending": 0, "running": 0, "retrying": 0, "done": 2, "failed": 0}));
    assert_eq!(summary["by_rule"]["rulekit_invoice"]["done"], 2);
    let hours = summary["last_24h"].as_array().unwrap();
    assert_eq!(hours.len(), 24);
    assert_eq!(hours[23]["done"], 2, "{summary}");
    assert!(hours[0]["hour"].as_i64().unwrap() < hours[23]["hour"].as_i64().unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_console_s_origin_gets_cors_headers() {
    let h = handler("", |c| c.console_origins = vec!["http://127.0.0.1:8481".into()]).await;
    let s = with_sandbox(&h, (50.0, 500.0)).await;
    let preflight = |origin: &str| tokio::task::block_in_place(|| {
        with_headers(h.addr, "OPTIONS", "/api/runs/3/retry", &[("Origin", origin), ("Access-Control-Request-Method", "POST")])
    });
    let ok = preflight("http://127.0.0.1:8481");
    assert_eq!((ok.status, ok.header("access-control-allow-origin")), (204, Some("http://127.0.0.1:8481")), "{}", ok.headers);
    assert_eq!(ok.header("access-control-allow-methods"), Some("GET, POST"));
    assert_eq!(ok.header("access-control-allow-headers"), Some("authorization, content-type, x-portal-member, x-portal-domain"));
    assert_eq!(ok.header("vary"), Some("Origin"));
    let evil = preflight("http://evil.example");
    assert!(evil.header("access-control-allow-origin").is_none() && evil.header("access-control-allow-methods").is_none());
    let member = s.sandbox.with_state(|st| st.member_id.clone());
    let bearer = format!("Bearer {}", admin(&s));
    let get = |origin: &str| tokio::task::block_in_place(|| {
        let headers = [("Origin", origin), ("Authorization", &bearer), ("X-Portal-Member", &member), ("X-Portal-Domain", &s.sandbox.portal_host)];
        with_headers(h.addr, "GET", "/api/summary", &headers)
    });
    let (mine, theirs) = (get("http://127.0.0.1:8481"), get("http://evil.example"));
    assert_eq!((mine.status, mine.header("access-control-allow-origin")), (200, Some("http://127.0.0.1:8481")));
    assert_eq!((theirs.status, theirs.header("access-control-allow-origin")), (200, None), "no header: the browser keeps the answer from the page");
    let unauthorized = tokio::task::block_in_place(|| with_headers(h.addr, "GET", "/api/runs", &[("Origin", "http://127.0.0.1:8481")]));
    assert_eq!((unauthorized.status, unauthorized.header("access-control-allow-origin")), (401, Some("http://127.0.0.1:8481")), "the console can read why");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_beyond_the_portal_s_bucket_is_refused_with_429() {
    let h = handler("", |c| (c.api_rate, c.api_burst) = (1, 5)).await;
    let s = with_sandbox(&h, (50.0, 500.0)).await;
    let token = admin(&s);
    let statuses: Vec<u16> = (0..8).map(|_| api(&h, &s, "GET", "/api/summary", &token).status).collect();
    assert_eq!(&statuses[..5], &[200; 5], "{statuses:?}");
    assert!(statuses[5..].iter().all(|s| *s == 429), "{statuses:?}");
    let limited = api(&h, &s, "GET", "/api/runs", &token);
    refused(&limited, 429, "rate_limited");
    assert!(limited.header("retry-after").is_some_and(|v| v.parse::<u64>().is_ok_and(|n| n >= 1)));
}
