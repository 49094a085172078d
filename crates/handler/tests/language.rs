//! Each portal's workflows are told things in the portal's language: the one its install event
//! named (`data[LANGUAGE_ID]`), else the handler's `--lang`.

mod common;

use common::*;
use rulekit_model::text::Lang;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_german_portal_reads_german_notes_while_an_english_one_reads_english() {
    let h = handler("", |_| {}).await;
    let english = with_sandbox(&h, (2.0, 50.0)).await;
    // A second portal, installed in German.
    let german = rulekit_sandbox::start(rulekit_sandbox::Config {
        dist: xtask::root().join("dist"),
        handler_url: Some(format!("http://{}/run", h.addr)),
        ..rulekit_sandbox::Config::default()
    })
    .await
    .unwrap();
    let member = german.sandbox.with_state(|st| {
        st.member_id = "b0000000000000000000000000000002".into();
        st.member_id.clone()
    });
    let event = rulekit_sandbox::install_event(&german.sandbox);
    let in_german = event.replace("%5BLANGUAGE_ID%5D=en", "%5BLANGUAGE_ID%5D=de");
    assert_ne!(event, in_german, "the install event names its language");
    assert_eq!(post(h.addr, "/install", "application/x-www-form-urlencoded", &in_german).status, 200);
    assert_eq!(h.shared.lang_of(&member), Lang::De);

    let made = run(&german, "rulekit_invoice", "DEAL_123").await;
    let id = made["return_values"]["invoice_id"].clone();
    assert_eq!(made["log"][0], format!("Rechnung #{id} aus Deal 123 mit 2 Produktpositionen erstellt."));
    let wrong = run(&german, "rulekit_invoice", "CONTACT_5").await;
    assert_eq!(wrong["log"][0], "Die Rechnung wurde nicht erstellt. Diese Regel arbeitet mit Deals und Leads; sie wurde für \"CONTACT_5\" gestartet.");

    let made = run(&english, "rulekit_invoice", "DEAL_123").await;
    let id = made["return_values"]["invoice_id"].clone();
    assert_eq!(made["log"][0], format!("Invoice #{id} created from deal 123 with 2 product rows."));
    let wrong = run(&english, "rulekit_invoice", "CONTACT_5").await;
    assert!(wrong["log"][0].as_str().unwrap().starts_with("The invoice was not created. "), "{wrong}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn portals_without_a_known_language_read_the_handler_s() {
    let h = handler("m1=t1@a.bitrix24.de,m2=t2@b.bitrix24.de/ru", |c| c.lang = Lang::De).await;
    assert_eq!(h.shared.lang_of("m1"), Lang::De, "--lang");
    assert_eq!(h.shared.lang_of("m2"), Lang::Ru, "--portal …/ru");
    assert_eq!(h.shared.lang_of("unknown"), Lang::De);
}
