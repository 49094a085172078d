//! The form as a whole in a real browser: every problem in view from the start, expressions read
//! as people wrote them, numbers as people type them, choices loaded from the portal, and the
//! keyboard through all of it.
#![cfg(target_arch = "wasm32")]

mod support;

use serde_json::{json, Value};
use support::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

fn key(el: &web_sys::Element, name: &str) {
    let init = KeyboardEventInit::new();
    init.set_key(name);
    init.set_bubbles(true);
    init.set_cancelable(true);
    el.dispatch_event(&KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap()).unwrap();
}

fn focused_id() -> String {
    doc().active_element().map(|e| e.id()).unwrap_or_default()
}

/// The invoice rule's options as the sandbox hands them over: the company comes from the portal.
fn invoice_options(company: &str) -> Value {
    json!({
        "code": "rulekit_invoice",
        "properties": {
            "invoice_title": {"NAME": "Invoice title", "TYPE": "string", "REQUIRED": "Y"},
            "mycompany_id": {"NAME": "Your company", "TYPE": "int", "REQUIRED": "Y", "SETTINGS": {"Choices": "crm.mycompany"}},
            "seller_too": {"NAME": "Second company", "TYPE": "int", "SETTINGS": {"CHOICES": "crm.mycompany"}}
        },
        "current_values": {"invoice_title": "Bill", "mycompany_id": company},
        "document_fields": {"TITLE": {"Name": "Deal name", "Type": "string"}}
    })
}

fn companies() -> Value {
    json!({"items": [{"id": 1, "title": "Rulekit Demo LLC"}, {"id": 2, "title": "Rulekit Services GmbH"}, {"id": 5, "title": "Northwind"}]})
}

async fn mount_with(options: Value, rest: Value, delays: Value) -> Mounted {
    let mut config = settings_config(options, "en");
    config["rest"] = rest;
    config["delays"] = delays;
    let m = mount(config, 2000).await;
    let root = m.root.clone();
    wait_for("the settings form", move || root.query_selector("[data-ready='1']").unwrap().is_some()).await;
    m
}

#[wasm_bindgen_test]
async fn every_problem_shows_on_open_with_a_count_that_leads_to_the_first() {
    let options = json!({
        "properties": {
            "a": {"Name": "Fine", "Type": "string"},
            "b": {"Name": "Must", "Type": "string", "Required": "Y"},
            "c": {"Name": "Count", "Type": "int"}
        },
        "current_values": {"a": "ok", "b": "", "c": "lots"}
    });
    let m = mount_settings(options, "en").await;
    assert!(m.text("#rk-b-errors").contains("This field is required"), "shown before any touch");
    assert!(m.text("#rk-c-errors").contains("\"lots\" is not a whole number"));
    assert_eq!(m.text(".rk-summary .rk-count"), "2");
    assert!(pushes().is_empty(), "opening changes nothing");
    m.click(".rk-summary .rk-first");
    assert_eq!(focused_id(), "rk-b", "the link goes to the first field with a problem");
    type_into(&m.q("#rk-b"), "now set");
    sleep(20).await;
    assert_eq!(m.text(".rk-summary .rk-count"), "1");
    type_into(&m.q("#rk-c"), "4");
    sleep(20).await;
    assert!(m.root.query_selector(".rk-summary").unwrap().is_none(), "no count once all is well");
}

#[wasm_bindgen_test]
async fn saved_expressions_reopen_readable_and_unknown_ones_are_kept_with_a_warning() {
    let m = mount_settings(fixture(ROBOT), "en").await;
    assert_eq!(m.input("#rk-due_date").value(), "{{Expected close date}}", "stored as {{=Document:CLOSEDATE}}");
    let emails: Vec<String> = m.all("[data-code='emails'] .rk-item input").iter().map(|i| i.unchecked_ref::<web_sys::HtmlInputElement>().value()).collect();
    assert_eq!(emails, ["billing@example.com", "{{Responsible person > printable}}"]);
    assert!(pushes().is_empty(), "shown readable, and still what the portal holds");
    let options = json!({
        "properties": {"t": {"Name": "Subject", "Type": "string"}},
        "current_values": {"t": "Re {=Document:TITLE} {=Document:GONE}"},
        "document_fields": {"TITLE": {"Name": "Deal name", "Type": "string"}}
    });
    drop(m);
    let m = mount_settings(options, "en").await;
    assert_eq!(m.input("#rk-t").value(), "Re {{Deal name}} {=Document:GONE}");
    assert!(m.text("[data-code='t'] .rk-warnings").contains("{=Document:GONE} is not among the fields"));
    assert!(m.root.query_selector(".rk-summary").unwrap().is_none(), "a warning is not an error");
    type_into(&m.q("#rk-t"), "Re {{Deal name}} {=Document:GONE}!");
    assert_eq!(pushes(), vec![json!({"t": "Re {=Document:TITLE} {=Document:GONE}!"})], "saved in canonical form");
}

#[wasm_bindgen_test]
async fn a_decimal_comma_is_pushed_as_a_point_and_an_invalid_value_is_pushed_and_flagged() {
    let m = mount_settings(fixture(ROBOT), "en").await;
    clear_calls();
    type_into(&m.q("#rk-discount"), "3,5");
    assert_eq!(m.input("#rk-discount").value(), "3,5", "shown as typed");
    assert!(m.text("#rk-discount-errors").is_empty());
    type_into(&m.q("#rk-quantity"), "three");
    sleep(20).await;
    assert_eq!(pushes(), vec![json!({"discount": "3.5"}), json!({"quantity": "three"})], "nothing typed is lost");
    assert!(m.text("#rk-quantity-errors").contains("\"three\" is not a whole number"));
    assert_eq!(m.input("#rk-quantity").get_attribute("aria-invalid").as_deref(), Some("true"));
}

#[wasm_bindgen_test]
async fn the_company_is_picked_by_name_from_the_portals_own_companies() {
    let m = mount_with(invoice_options("2"), json!({"crm.item.list": companies()}), json!({"crm.item.list": 300})).await;
    assert!(m.text("[data-code='mycompany_id']").contains("Loading the list"));
    assert!(m.root.query_selector("#rk-mycompany_id-list option").unwrap().is_none(), "no names yet");
    wait_for("the companies", || m.root.query_selector("#rk-mycompany_id-list option").unwrap().is_some()).await;
    assert!(!m.text("[data-code='mycompany_id']").contains("Loading"), "the note goes once the list is there");
    let lists = calls().iter().filter(|c| c["command"] == "callMethod" && c["params"]["method"] == "crm.item.list").count();
    assert_eq!(lists, 1, "two fields of one source load it once");
    let call = calls().into_iter().find(|c| c["params"]["method"] == "crm.item.list").unwrap();
    assert_eq!(call["params"]["params"]["filter"], json!({"=isMyCompany": "Y"}));
    let input = m.input("#rk-mycompany_id");
    assert_eq!(input.value(), "Rulekit Services GmbH", "the saved id shows as its name");
    let list = input.get_attribute("list").unwrap();
    let names: Vec<String> = m.all(&["#", &list, " option"].concat()).iter().map(|o| o.get_attribute("value").unwrap()).collect();
    assert_eq!(names, ["Rulekit Demo LLC", "Rulekit Services GmbH", "Northwind"], "the browser suggests the names as one types");
    clear_calls();
    // Choosing a suggestion puts its name in the box; the portal gets its id.
    input.set_value("northwind");
    fire(&input, "change");
    sleep(20).await;
    assert_eq!(pushes(), vec![json!({"mycompany_id": "5"})]);
    assert_eq!(input.value(), "Northwind");
    assert!(m.text("[data-code='mycompany_id'] [role='status']").is_empty());
    // An id typed by hand that is not listed is kept, and said to be unlisted.
    input.set_value("77");
    fire(&input, "change");
    sleep(20).await;
    assert_eq!(pushes().last().unwrap(), &json!({"mycompany_id": "77"}));
    assert!(m.text("[data-code='mycompany_id'] [role='status']").contains("not in the list"));
}

#[wasm_bindgen_test]
async fn without_the_list_the_company_is_a_plain_field() {
    let m = mount_with(invoice_options("1"), json!({}), json!({})).await;
    wait_for("the fallback", || m.text("[data-code='mycompany_id']").contains("could not be loaded")).await;
    assert!(m.text("[data-code='mycompany_id']").contains("ERROR_METHOD_NOT_FOUND"), "with the portal's reason");
    assert!(m.text("[data-code='mycompany_id']").contains("could not be loaded"));
    let input = m.input("#rk-mycompany_id");
    assert_eq!(input.value(), "1");
    clear_calls();
    input.set_value("2");
    fire(&input, "change");
    assert_eq!(pushes(), vec![json!({"mycompany_id": "2"})]);
}

#[wasm_bindgen_test]
async fn the_picker_goes_by_arrow_keys_and_enter() {
    let m = mount_settings(fixture(ROBOT), "en").await;
    clear_calls();
    m.click("[data-code='notes'] .rk-insert");
    sleep(20).await;
    let filter = m.q(".rk-picker input[type='search']");
    assert_eq!(doc().active_element().as_ref(), Some(&filter), "the filter has the focus");
    type_into(&filter, "d");
    sleep(20).await;
    let options = m.all(".rk-picker-item");
    assert!(options.len() > 2);
    key(&filter, "ArrowDown");
    sleep(10).await;
    let second = options[1].id();
    assert_eq!(filter.get_attribute("aria-activedescendant"), Some(second.clone()));
    assert_eq!(options[1].get_attribute("aria-selected").as_deref(), Some("true"));
    key(&filter, "ArrowUp");
    key(&filter, "ArrowUp");
    sleep(10).await;
    assert_eq!(filter.get_attribute("aria-activedescendant"), Some(options[0].id()), "stops at the top");
    let expression = options[0].get_attribute("data-expression").unwrap();
    key(&filter, "Enter");
    sleep(30).await;
    assert!(m.root.query_selector(".rk-picker").unwrap().is_none());
    let pushed = pushes();
    assert_eq!(pushed.len(), 1);
    assert!(pushed[0]["notes"].as_str().unwrap().contains(&expression), "{pushed:?} holds {expression}");
}

#[wasm_bindgen_test]
async fn tab_reaches_the_field_then_its_expression_button_and_the_calendar() {
    let m = mount_settings(fixture(ROBOT), "en").await;
    let after = |a: &str, b: &str| {
        let (a, b) = (m.q(a), m.q(b));
        a.compare_document_position(&b) & web_sys::Node::DOCUMENT_POSITION_FOLLOWING != 0
    };
    assert!(after("#rk-title", "#rk-title-insert"), "the {{…}} button follows its field");
    assert!(after("#rk-title-insert", "#rk-notes"), "and comes before the next field");
    let calendar = m.q("[data-code='due_date'] .rk-calendar").unchecked_into::<HtmlElement>();
    assert!(calendar.tab_index() >= 0, "the calendar button is in the Tab order");
}

#[wasm_bindgen_test]
async fn an_ignored_property_gets_no_field() {
    let options = json!({"properties": {"good": {"Name": "Good"}, "bad": 17}, "current_values": {"bad": "keep"}});
    let m = mount_settings(options, "en").await;
    assert!(m.text(".rk-problems").contains("properties.bad: expected a list of named entries; ignored."));
    assert!(m.root.query_selector("[data-code='bad']").unwrap().is_none());
    assert_eq!(m.all(".rk-field").len(), 1);
}

#[wasm_bindgen_test]
async fn the_form_is_light_unless_the_portal_says_dark() {
    let root = doc().document_element().unwrap();
    let m = mount_settings(fixture(ROBOT), "en").await;
    assert_eq!(root.get_attribute("data-theme"), None, "no word from the portal: light, whatever the OS prefers");
    drop(m);
    rulekit::apply_theme("?LANG=en&THEME=dark");
    assert_eq!(root.get_attribute("data-theme").as_deref(), Some("dark"));
    rulekit::apply_theme("?LANG=en&THEMES=dark");
    assert_eq!(root.get_attribute("data-theme"), None);
}
