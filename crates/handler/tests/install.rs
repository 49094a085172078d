//! Install events without a client id (issue 11): only portals the operator named may install,
//! every client address may try only so often, and a refusal is logged with the portal's domain
//! and member id, never a token.

mod common;

use common::*;
use rulekit_handler::Running as Handler;
use serde_json::json;

/// The portal of the fixture `execution.invoice-deal.form`, so a run can follow its install.
const MEMBER: &str = "a223c6b3710f85df22e9377d6c4f7553";
const DOMAIN: &str = "example.bitrix24.de";
const TOKENS: [&str; 3] = ["51856fefc120afa4b628cc82d3935cce", "install-access-0f1e2d3c", "install-refresh-4b5a6978"];

/// `ONAPPINSTALL` as a cloud portal sends it, anonymously: nothing here is signed.
fn install_event(member: &str, domain: &str) -> String {
    let [application_token, access_token, refresh_token] = TOKENS;
    rulekit_model::form_encoding::encode(&json!({"event": "ONAPPINSTALL", "data": {"LANGUAGE_ID": "de"},
        "auth": {"access_token": access_token, "refresh_token": refresh_token, "domain": domain,
            "client_endpoint": format!("https://{domain}/rest/"), "member_id": member, "application_token": application_token}}))
    .unwrap()
}

fn no_token_in(text: &str) -> bool {
    TOKENS.iter().chain(&["FIXTURE-ACCESS-TOKEN", "FIXTURE-REFRESH-TOKEN"]).all(|t| !text.contains(t))
}

async fn run_of_the_fixture(h: &Handler) -> u16 {
    oneshot(h, "/run", xtask::fixture("execution.invoice-deal.form")).await.status
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_anonymous_install_from_a_portal_no_one_named_is_refused_logged_and_not_stored() {
    let logs = logs();
    let h = handler("", |c| c.workers = 0).await;
    let refused = oneshot(&h, "/install", install_event(MEMBER, DOMAIN)).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(refused.body.contains("--allow-install-from") && no_token_in(&refused.body), "{}", refused.body);
    assert!(!h.shared.installed(MEMBER));
    assert!(h.shared.store.portals().await.unwrap().is_empty());
    assert_eq!(run_of_the_fixture(&h).await, 401, "a run for the refused portal");

    let logged = String::from_utf8_lossy(&logs.lock().unwrap()).into_owned();
    let refusal = logged.lines().any(|l| l.contains("install.refused") && l.contains(DOMAIN) && l.contains(MEMBER));
    assert!(refusal, "the refusal is logged with the portal's names: {logged}");
    assert!(no_token_in(&logged), "a log line shows a token: {logged}");
}

/// A handler without a client id that takes installs from `domain` (`--allow-install-from`).
async fn naming(domain: &str) -> Handler {
    handler("", |c| {
        c.workers = 0;
        c.allow_install_from = vec![domain.into()];
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_install_from_a_portal_named_with_allow_install_from_is_taken_and_no_other() {
    let h = naming(DOMAIN).await;
    let other = oneshot(&h, "/install", install_event("0123456789abcdef", "other.bitrix24.de")).await;
    assert_eq!(other.status, 403, "{}", other.body);
    let named = oneshot(&h, "/install", install_event(MEMBER, DOMAIN)).await;
    assert_eq!(named.status, 200, "{}", named.body);
    assert!(h.shared.installed(MEMBER) && !h.shared.installed("0123456789abcdef"));
    assert_eq!(run_of_the_fixture(&h).await, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_21st_rapid_install_from_one_source_is_told_when_to_come_back() {
    let h = naming(DOMAIN).await;
    // Refused and unreadable attempts count as much as taken ones.
    for i in 0..20 {
        let (body, status) = if i % 2 == 0 { (install_event("0123456789abcdef", "other.bitrix24.de"), 403) } else { ("auth=1&auth[x]=2".into(), 400) };
        assert_eq!(oneshot(&h, "/install", body).await.status, status, "attempt {}", i + 1);
    }
    let limited = oneshot(&h, "/install", install_event(MEMBER, DOMAIN)).await;
    assert_eq!(limited.status, 429, "{}", limited.body);
    let wait: u64 = limited.header("retry-after").expect("Retry-After").parse().unwrap();
    assert!((1..=6).contains(&wait), "one attempt comes back every 6 s: {wait}");
    assert!(!h.shared.installed(MEMBER), "a limited install is not taken, named or not");
}

/// A POST to `/install` on a connection from `local` (any 127/8 address reaches the handler).
async fn install_from(local: [u8; 4], h: &Handler, body: &str) -> xtask::http::Answer {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind((local, 0).into()).unwrap();
    let stream = socket.connect(h.addr).await.unwrap().into_std().unwrap();
    stream.set_nonblocking(false).unwrap();
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    tokio::task::block_in_place(|| exchange(stream, h.addr, "POST", "/install", &form, body.as_bytes()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_client_address_has_its_own_install_bucket() {
    let h = handler("", |c| c.workers = 0).await;
    let event = install_event(MEMBER, DOMAIN);
    for _ in 0..20 {
        assert_eq!(install_from([127, 0, 0, 1], &h, &event).await.status, 403);
    }
    let limited = install_from([127, 0, 0, 1], &h, &event).await;
    assert_eq!((limited.status, limited.header("retry-after").is_some()), (429, true), "{}", limited.headers);
    assert_eq!(install_from([127, 0, 0, 2], &h, &event).await.status, 403, "another address is not limited by the first");
}
