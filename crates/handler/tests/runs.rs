//! The handler against the sandbox's REST emulation, in process: the invoice rule end to end,
//! forged and malformed runs, runs of unknown rules, retries, token refresh, install events, and
//! the settings files.

mod common;

use common::*;
use rulekit_sandbox::Running as Sandbox;
use serde_json::{json, Value};
use xtask::http::request;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deal_run_creates_the_invoice_with_its_products_and_returns_its_id() {
    let h = handler("", |_| {}).await;
    let s = with_sandbox(&h, (2.0, 50.0)).await;
    let run = run(&s, "rulekit_invoice", "DEAL_123").await;
    let made = invoices(&s);
    assert_eq!(made.len(), 1);
    let invoice = &made[0];
    assert_eq!(run["return_values"]["invoice_id"], json!(invoice.id));
    assert_eq!(run["log"][0], json!(format!("Invoice #{} created from deal 123 with 2 product rows.", invoice.id)));
    let f = &invoice.fields;
    assert_eq!(f["title"], "Invoice for Big deal & Co");
    assert_eq!((f["companyId"].clone(), f["contactIds"].clone(), f["parentId2"].clone()), (json!(3), json!([4, 5]), json!(123)));
    assert_eq!(f["mycompanyId"], 1);
    assert_eq!(f["observers"], json!([1, 7]));
    assert_eq!(f["comments"], "Created in the rulekit sandbox");
    assert!(f["closedate"].as_str().unwrap() > f["begindate"].as_str().unwrap());
    let rows = s.sandbox.with_state(|st| st.product_rows.iter().filter(|r| r.owner_type == "SI" && r.owner_id == invoice.id).count());
    assert_eq!(rows, 2);
    wait_for_jobs(&h, "done", 1).await;

    // The activity's code runs the same rule; a lead has no parent deal.
    let lead = run_lead(&s).await;
    assert!(lead["log"][0].as_str().unwrap().contains("from lead 45 with 1 product rows"), "{lead}");
    let lead_invoice = invoices(&s).into_iter().find(|i| i.id != invoice.id).unwrap();
    assert!(lead_invoice.fields.get("parentId2").is_none());
}

async fn run_lead(s: &Sandbox) -> Value {
    run(s, "rulekit_invoice_activity", "LEAD_45").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_and_malformed_runs_are_refused_and_nothing_is_queued() {
    let fixture = xtask::fixture("execution.invoice-deal.form");
    let right = "a223c6b3710f85df22e9377d6c4f7553=51856fefc120afa4b628cc82d3935cce@example.bitrix24.de";
    let h = handler(right, |c| c.workers = 0).await;
    let wrong_token = fixture.replace("51856fefc120afa4b628cc82d3935cce", "00000000000000000000000000000000");
    let no_token = fixture.replace("&auth%5Bapplication_token%5D=51856fefc120afa4b628cc82d3935cce", "");
    let other_portal = fixture.replace("a223c6b3710f85df22e9377d6c4f7553", "ffffffffffffffffffffffffffffffff");
    let other_domain = fixture.replace("example.bitrix24.de", "evil.example.com");
    let truncated = &fixture[..fixture.len() / 3];
    for (what, body) in [("a wrong token", wrong_token.as_str()), ("no token", &no_token), ("an unknown portal", &other_portal),
        ("another domain", &other_domain), ("a truncated body", truncated), ("an empty body", "")]
    {
        let a = post(h.addr, "/run", "application/x-www-form-urlencoded", body);
        assert_eq!(a.status, 401, "{what}: {}", a.body);
        assert!(!a.body.contains("51856fef") && !a.body.contains("FIXTURE-ACCESS-TOKEN"), "{what}: the answer echoes a token");
    }
    let huge = fixture.replace("Invoice+for+Big+deal", &"x".repeat(2 << 20));
    assert_eq!(post(h.addr, "/run", "application/x-www-form-urlencoded", &huge).status, 413);
    let not_utf8 = tokio::task::block_in_place(|| request(h.addr, "POST", "/run", "application/x-www-form-urlencoded", &[0xff, 0xfe]).unwrap());
    assert_eq!(not_utf8.status, 400);
    assert!(job_states(&h).await.is_empty(), "nothing was queued");

    // The genuine run is stored once, however often it is posted.
    let first = post(h.addr, "/run", "application/x-www-form-urlencoded", &fixture);
    assert_eq!((first.status, first.json()["status"].clone()), (200, json!("accepted")));
    let again = post(h.addr, "/run", "application/x-www-form-urlencoded", &fixture);
    assert_eq!((again.status, again.json()["status"].clone()), (200, json!("already accepted")));
    assert_eq!(job_states(&h).await, vec![("queued".to_string(), 1)]);
    let jobs = h.shared.store.jobs(None).await.unwrap();
    assert_eq!(jobs[0].code, "rulekit_invoice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_values_and_documents_are_told_to_the_workflow() {
    let h = handler("", |_| {}).await;
    let s = with_sandbox(&h, (2.0, 50.0)).await;
    s.sandbox.with_state(|st| {
        st.dialog.saved["rulekit_invoice"]["mycompany_id"] = json!("our company");
        st.dialog.saved["rulekit_invoice"]["invoice_title"] = json!("");
    });
    let bad = run(&s, "rulekit_invoice", "DEAL_123").await;
    let log = bad["log"][0].as_str().unwrap();
    assert!(log.starts_with("The invoice was not created."), "{log}");
    assert!(log.contains("Your company: \"our company\" is not a whole number"), "{log}");
    assert!(log.contains("Invoice title: This field is required."), "{log}");
    assert!(invoices(&s).is_empty());
    wait_for_jobs(&h, "failed", 1).await;
    let failed = h.shared.store.jobs(Some("failed".into())).await.unwrap();
    assert!(failed[0].last_error.as_deref().unwrap().contains("not a whole number"));

    s.sandbox.with_state(|st| {
        st.dialog.saved["rulekit_invoice"]["mycompany_id"] = json!("1");
        st.dialog.saved["rulekit_invoice"]["invoice_title"] = json!("Invoice");
    });
    let contact = run(&s, "rulekit_invoice", "CONTACT_5").await;
    assert_eq!(
        contact["log"][0],
        "The invoice was not created. This rule works on deals and leads; it was started on \"CONTACT_5\".",
        "{contact}"
    );
    let missing = run(&s, "rulekit_invoice", "DEAL_999").await;
    assert!(missing["log"][0].as_str().unwrap().contains("NOT_FOUND"), "{missing}");
    // Wrong values or a wrong document fail the same way again: the step is closed with why. A
    // refusal by the portal may pass: the step waits for a retry from the console.
    assert_eq!((bad["state"].as_str(), contact["state"].as_str()), (Some("completed"), Some("completed")));
    assert_eq!(missing["state"], "waiting", "{missing}");
    assert!(missing["log"][0].as_str().unwrap().contains("retry this run from the rulekit console"), "{missing}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_of_a_rule_the_handler_does_not_have_is_told_so_and_nothing_is_made() {
    let h = handler("", |_| {}).await;
    let s = with_sandbox(&h, (2.0, 50.0)).await;
    // A rule the portal still has registered, from a version of the app that had it.
    s.sandbox.with_state(|st| {
        let mut retired = st.rule("rulekit_invoice").cloned().unwrap();
        retired.code = "rulekit_retired".into();
        st.rules.push(retired);
    });
    let told = run(&s, "rulekit_retired", "DEAL_123").await;
    assert_eq!(told["log"][0], "rulekit has no rule \"rulekit_retired\"; re-register the app's rules.", "{told}");
    assert!(invoices(&s).is_empty(), "not run as an invoice");
    wait_for_jobs(&h, "failed", 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_are_waited_out_and_expired_tokens_refreshed() {
    let h = handler("", |_| {}).await;
    // A bucket of three: the invoice's six calls must wait for it to drain.
    let s = with_sandbox(&h, (4.0, 3.0)).await;
    let done = run(&s, "rulekit_invoice", "DEAL_123").await;
    assert!(done["return_values"]["invoice_id"].is_number(), "{done}");
    assert_eq!(invoices(&s).len(), 1);

    // The OAuth server is configured, never taken from a run: here, the sandbox's.
    let client_id = s.sandbox.with_state(|st| st.client_id.clone());
    let port = xtask::free_port().unwrap();
    let h2 = handler("", move |c| {
        c.client_id = Some(client_id);
        c.client_secret = Some(rulekit_sandbox::CLIENT_SECRET.into());
        c.oauth_url = format!("http://localhost:{port}/oauth-server/oauth/token/");
    })
    .await;
    let s2 = with_sandbox_on(&h2, (2.0, 50.0), port).await;
    post(s2.portal, "/sandbox/expire", "application/json", "{}");
    let refreshed = run(&s2, "rulekit_invoice", "DEAL_123").await;
    assert!(refreshed["return_values"]["invoice_id"].is_number(), "{refreshed}");

    // Without client credentials an expired token fails the run, and it is kept with the reason.
    let h3 = handler("", |_| {}).await;
    let s3 = with_sandbox(&h3, (2.0, 50.0)).await;
    post(s3.portal, "/sandbox/expire", "application/json", "{}");
    post(s3.portal, "/sandbox/run", "application/json", r#"{"code":"rulekit_invoice"}"#);
    wait_for_jobs(&h3, "failed", 1).await;
    let failed = h3.shared.store.jobs(Some("failed".into())).await.unwrap();
    assert!(failed[0].last_error.as_deref().unwrap().contains("no client credentials"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn install_events_are_checked_and_uninstall_stops_runs() {
    let h = handler("", |_| {}).await;
    let s = with_sandbox(&h, (2.0, 50.0)).await;
    let event = rulekit_sandbox::install_event(&s.sandbox);
    let member = s.sandbox.with_state(|st| st.member_id.clone());
    let real = s.sandbox.with_state(|st| st.application_token.clone());
    let forged = event.replace(&real, "forged-token");
    let broken = forged.replace("access_token%5D=", "access_token%5D=x");
    assert_eq!(post(h.addr, "/install", "application/x-www-form-urlencoded", &broken).status, 401, "a forged reinstall is refused");
    let uninstall = |token: &str| event.replace("ONAPPINSTALL", "ONAPPUNINSTALL").replace(&real, token);
    assert_eq!(post(h.addr, "/install", "application/x-www-form-urlencoded", &uninstall("forged-token")).status, 401);
    assert!(h.shared.installed(&member));
    assert_eq!(post(h.addr, "/install", "application/x-www-form-urlencoded", &uninstall(&real)).status, 200);
    assert!(!h.shared.installed(&member));
    let answer = post(s.portal, "/sandbox/run", "application/json", r#"{"code":"rulekit_invoice"}"#);
    assert_eq!(answer.json()["run"]["handler_status"], 401);
    // A first install from a host that is not a portal this handler serves is refused.
    let elsewhere = event.replace("localhost%3A", "internal.example%3A").replace("localhost:", "internal.example:").replace(&member, "0123456789abcdef");
    assert_eq!(post(h.addr, "/install", "application/x-www-form-urlencoded", &elsewhere).status, 400);
    assert!(!h.shared.installed("0123456789abcdef"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_settings_app_is_served_for_get_and_post_and_may_be_framed() {
    let h = handler("", |_| {}).await;
    for (method, path) in [("GET", "/settings/"), ("POST", "/settings/"), ("POST", "/settings"), ("POST", "/")] {
        let a = tokio::task::block_in_place(|| request(h.addr, method, path, "application/x-www-form-urlencoded", b"AUTH_ID=x&PLACEMENT=DEFAULT").unwrap());
        assert_eq!(a.status, 200, "{method} {path}");
        assert!(a.body.contains("<script src=\"//api.bitrix24.com/api/v1/\"></script>"));
        assert!(a.header("x-frame-options").is_none() && a.header("content-security-policy").is_none());
        assert_eq!(a.header("cache-control"), Some("no-cache"));
    }
    let wasm = std::fs::read_dir(xtask::root().join("dist")).unwrap().filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).find(|n| n.ends_with(".wasm")).unwrap();
    let a = tokio::task::block_in_place(|| request(h.addr, "GET", &format!("/settings/{wasm}"), "text/plain", b"").unwrap());
    assert_eq!((a.status, a.header("content-type")), (200, Some("application/wasm")));
    assert_eq!(a.header("cache-control"), Some("public, max-age=31536000, immutable"));
    let health = tokio::task::block_in_place(|| request(h.addr, "GET", "/healthz", "text/plain", b"").unwrap());
    assert_eq!((health.status, health.json()["status"].clone()), (200, json!("ok")));
}
