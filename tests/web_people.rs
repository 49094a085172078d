#![cfg(target_arch = "wasm32")]
//! A user field in a real browser: chosen people as chips with names, finding people and roles by
//! name, expressions as chips, entries that match no user, and the keyboard focus in lists.

mod support;
use support::*;

use serde_json::{json, Value};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

/// The fixture form with a single-value user field `owner` holding `value`.
fn with_owner(value: &str) -> Value {
    let mut options = fixture(ROBOT);
    options["properties"]["owner"] = json!({"Name": "Owner", "Type": "user"});
    options["current_values"]["owner"] = json!(value);
    options
}

/// The people `user.search` finds in these tests (one id as a number, as the portal may send it).
fn searchable() -> Value {
    json!([
        {"ID": "9", "NAME": "Nina", "LAST_NAME": "Novak"},
        {"ID": 12, "NAME": "Nikolai", "LAST_NAME": "Orlov", "EMAIL": "n@example.com"},
        {"ID": "1", "NAME": "Anna", "LAST_NAME": "Admin"}
    ])
}

async fn mount_with(options: Value, lang: &str, change: impl FnOnce(&mut Value)) -> Mounted {
    let mut config = settings_config(options, lang);
    change(&mut config);
    let m = mount(config, 2000).await;
    let root = m.root.clone();
    wait_for("the settings form", move || root.query_selector("[data-ready='1']").unwrap().is_some()).await;
    sleep(20).await;
    m
}

fn press(el: &Element, key: &str) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    el.dispatch_event(&KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap()).unwrap();
}

fn focus_on(el: &Element) {
    el.unchecked_ref::<HtmlElement>().focus().unwrap();
}

fn focused_id() -> Option<String> {
    doc().active_element().map(|e| e.id())
}

/// What the chips within `scope` show, in order.
fn chip_texts(m: &Mounted, scope: &str) -> Vec<String> {
    m.all(&format!("{scope} .rk-chip-text")).iter().map(|c| c.text_content().unwrap()).collect()
}

/// What the search list within `scope` offers, in order.
fn option_texts(m: &Mounted, scope: &str) -> Vec<String> {
    m.all(&format!("{scope} [role='option']")).iter().map(|o| o.first_child().unwrap().text_content().unwrap()).collect()
}

fn user_searches() -> Vec<Value> {
    calls().into_iter().filter(|c| c["params"]["method"] == "user.search").map(|c| c["params"]["params"].clone()).collect()
}

#[wasm_bindgen_test]
async fn chosen_people_are_chips_named_like_the_portal_with_their_token_kept() {
    let m = mount_with(with_owner("user_1; user_7"), "en", |_| {}).await;
    wait_for("names from user.get", || chip_texts(&m, "[data-code='approvers']") == ["Anna Admin", "Olga Ivanova"]).await;
    let olga = &m.all("[data-code='approvers'] .rk-chip")[1];
    assert_eq!(olga.get_attribute("title").as_deref(), Some("user_7"), "the token stays in the title");
    assert!(olga.text_content().unwrap().contains("(user_7)"), "and in text for screen readers");
    assert!(m.all("[data-code='approvers'] .rk-chip-x").iter().all(|x| x.has_attribute("hidden")), "a list item is removed by its row's ×");
    // A single value: each token a chip, each removable.
    assert_eq!(chip_texts(&m, "[data-code='owner']"), ["Anna Admin", "Olga Ivanova"]);
    clear_calls();
    m.click("[data-code='owner'] .rk-chip-x");
    sleep(60).await;
    assert_eq!(pushes(), vec![json!({"owner": "user_7"})]);
    assert_eq!(chip_texts(&m, "[data-code='owner']"), ["Olga Ivanova"]);
    assert_eq!(focused_id().as_deref(), Some("rk-owner"), "the focus goes on to the search box");
    assert!(m.q("[data-code='owner'] .rk-choose").is_connected(), "the portal's picker stays as a second way");
}

#[wasm_bindgen_test]
async fn a_very_long_name_leaves_the_row_buttons_in_place() {
    // The page's own stylesheet, which the test page does not load by itself.
    let style = doc().create_element("style").unwrap();
    style.set_text_content(Some(include_str!("../style/main.css")));
    doc().head().unwrap().append_child(&style).unwrap();
    let long = "Maximiliane-Alexandra ".repeat(15);
    let m = mount_with(fixture(ROBOT), "en", |c| c["rest"]["user.get"][1]["NAME"] = json!(long)).await;
    wait_for("the long name", || m.text("[data-code='approvers']").contains("Maximiliane")).await;
    let rows = m.all("[data-code='approvers'] .rk-item");
    let right_of = |e: &Element| e.get_bounding_client_rect().right();
    let ups = m.all("[data-code='approvers'] .rk-up");
    assert!((right_of(&ups[0]) - right_of(&ups[1])).abs() < 0.5, "the buttons stand in one column");
    let removes = m.all("[data-code='approvers'] .rk-remove");
    assert!(right_of(&removes[1]) <= right_of(&rows[1]) + 0.5, "× stays inside its row");
    let text = m.all("[data-code='approvers'] .rk-chip-text")[1].clone();
    assert!(text.scroll_width() > text.client_width(), "the name ends in an ellipsis instead");
    assert!(rows[1].get_bounding_client_rect().height() < 60.0, "on one line");
    style.remove();
}

#[wasm_bindgen_test]
async fn people_are_found_by_name_after_a_pause_and_picked_with_the_keyboard() {
    let m = mount_with(with_owner("user_1"), "en", |c| c["searchable"] = searchable()).await;
    let search = m.q("#rk-owner");
    assert_eq!(search.get_attribute("role").as_deref(), Some("combobox"));
    assert_eq!(search.get_attribute("placeholder").as_deref(), Some("Find a person…"));
    clear_calls();
    focus_on(&search);
    type_into(&search, "N");
    type_into(&search, "Ni");
    sleep(150).await;
    assert!(user_searches().is_empty(), "nothing is asked while the person types");
    sleep(250).await;
    assert_eq!(user_searches(), vec![json!({"FIND": "Ni", "ACTIVE": true})], "one question, for the last text");
    assert_eq!(option_texts(&m, "[data-code='owner']"), ["Nina Novak", "Nikolai Orlov"]);
    let listbox = m.q("[data-code='owner'] [role='listbox']");
    assert_eq!(search.get_attribute("aria-controls"), Some(listbox.id()));
    assert_eq!(search.get_attribute("aria-expanded").as_deref(), Some("true"));
    let options = m.all("[data-code='owner'] [role='option']");
    assert_eq!(search.get_attribute("aria-activedescendant"), Some(options[0].id()), "the first match is ready for Enter");
    press(&search, "ArrowDown");
    press(&search, "ArrowDown");
    press(&search, "ArrowUp");
    sleep(20).await;
    let options = m.all("[data-code='owner'] [role='option']");
    assert_eq!(search.get_attribute("aria-activedescendant"), Some(options[1].id()));
    assert_eq!(options[1].get_attribute("aria-selected").as_deref(), Some("true"));
    press(&search, "Enter");
    sleep(30).await;
    assert_eq!(pushes(), vec![json!({"owner": "user_12"})], "a pick replaces a single value");
    assert_eq!(chip_texts(&m, "[data-code='owner']"), ["Nikolai Orlov"], "and its name is known");
    assert_eq!(search.unchecked_ref::<web_sys::HtmlInputElement>().value(), "");
    assert!(m.q("[data-code='owner'] .rk-search-pop").has_attribute("hidden"));
    // Escape closes the list; a list field gains the pick as an item, each person once.
    type_into(&search, "nina");
    sleep(350).await;
    press(&search, "Escape");
    sleep(20).await;
    assert!(m.q("[data-code='owner'] .rk-search-pop").has_attribute("hidden"));
    assert_eq!(search.get_attribute("aria-expanded").as_deref(), Some("false"));
    let add = m.q("#rk-approvers-add");
    for _ in 0..2 {
        focus_on(&add);
        type_into(&add, "Nina");
        sleep(350).await;
        press(&add, "Enter");
        sleep(30).await;
    }
    assert_eq!(pushes().last().unwrap(), &json!({"approvers": ["user_1", "user_7", "user_9"]}));
    assert_eq!(m.all("[data-code='approvers'] .rk-item").len(), 3);
}

#[wasm_bindgen_test]
async fn only_the_latest_search_is_shown_and_a_failed_or_empty_one_says_so() {
    let m = mount_with(with_owner(""), "en", |c| {
        c["searchable"] = searchable();
        c["slow"] = json!({"anna": 500});
    })
    .await;
    let search = m.q("#rk-owner");
    focus_on(&search);
    type_into(&search, "Anna");
    sleep(300).await;
    type_into(&search, "Nina");
    sleep(350).await;
    assert_eq!(option_texts(&m, "[data-code='owner']"), ["Nina Novak"]);
    sleep(400).await;
    assert_eq!(option_texts(&m, "[data-code='owner']"), ["Nina Novak"], "Anna's late answer is not shown");
    type_into(&search, "Zed");
    sleep(350).await;
    assert_eq!(m.text("[data-code='owner'] .rk-search-pop [role='status']"), "No one found.");
    drop(m);
    let m = mount_with(with_owner(""), "en", |_| {}).await;
    let search = m.q("#rk-owner");
    focus_on(&search);
    type_into(&search, "Nina");
    sleep(350).await;
    assert!(m.text("[data-code='owner'] .rk-search-pop").contains("The search failed"), "no stub answer is a failure");
    assert!(!m.q("[data-code='owner'] .rk-search-pop").has_attribute("hidden"));
}

#[wasm_bindgen_test]
async fn roles_are_offered_by_name_and_shown_in_the_reader_s_language() {
    let m = mount_with(with_owner(""), "en", |c| c["searchable"] = json!([])).await;
    let search = m.q("#rk-owner");
    focus_on(&search);
    sleep(20).await;
    assert_eq!(option_texts(&m, "[data-code='owner']"), ["Author", "Responsible person", "Responsible person's supervisor"], "every role on an empty box");
    assert!(m.text("[data-code='owner'] [role='option']").contains("role"));
    clear_calls();
    type_into(&search, "supervisor");
    sleep(350).await;
    assert_eq!(option_texts(&m, "[data-code='owner']"), ["Responsible person's supervisor"]);
    press(&search, "Enter");
    sleep(30).await;
    assert_eq!(pushes(), vec![json!({"owner": "responsible_head"})]);
    assert_eq!(chip_texts(&m, "[data-code='owner']"), ["Responsible person's supervisor"]);
    assert!(m.q("[data-code='owner'] .rk-chip").class_list().contains("rk-chip-role"));
    // The responsible person is the document's field; a role list holds roles as items.
    let add = m.q("#rk-approvers-add");
    focus_on(&add);
    sleep(20).await;
    m.all("[data-code='approvers'] [role='option']")[1].unchecked_ref::<HtmlElement>().click();
    sleep(30).await;
    assert_eq!(pushes().last().unwrap(), &json!({"approvers": ["user_1", "user_7", "{=Document:ASSIGNED_BY_ID}"]}));
    assert_eq!(chip_texts(&m, "[data-code='approvers']").pop().as_deref(), Some("Responsible person"));
    drop(m);
    let m = mount_with(with_owner("Author"), "ru", |_| {}).await;
    assert_eq!(chip_texts(&m, "[data-code='owner']"), ["Автор"]);
    assert_eq!(m.q("#rk-owner").get_attribute("placeholder").as_deref(), Some("Найти сотрудника…"));
}

#[wasm_bindgen_test]
async fn an_expression_is_its_own_chip_however_it_came() {
    let m = mount_with(with_owner("{{Responsible person}}"), "en", |c| c["searchable"] = json!([])).await;
    let chip = m.q("[data-code='owner'] .rk-chip");
    assert!(chip.class_list().contains("rk-chip-expr"), "a distinct style");
    assert_eq!(chip_texts(&m, "[data-code='owner']"), ["Responsible person"]);
    assert_eq!(chip.get_attribute("title").as_deref(), Some("{{Responsible person}}"));
    // Typed in the search box and entered.
    clear_calls();
    let search = m.q("#rk-owner");
    focus_on(&search);
    type_into(&search, "{=Variable:Approver}");
    sleep(350).await;
    assert!(user_searches().is_empty(), "an expression is not a name to search for");
    press(&search, "Enter");
    sleep(30).await;
    assert_eq!(pushes(), vec![json!({"owner": "{=Variable:Approver}"})]);
    assert_eq!(chip_texts(&m, "[data-code='owner']"), ["Approver"]);
    assert!(m.q("[data-code='owner'] .rk-chip").class_list().contains("rk-chip-expr"));
    // From the field's expression picker: a new list item, shown as a chip.
    m.click("[data-code='approvers'] .rk-insert");
    sleep(20).await;
    m.click(".rk-picker-item[data-expression='{=Variable:Approver}']");
    sleep(60).await;
    let last = m.all("[data-code='approvers'] .rk-item .rk-chip").pop().unwrap();
    assert!(last.class_list().contains("rk-chip-expr"));
    assert_eq!(last.get_attribute("title").as_deref(), Some("{{Approver}}"), "the picker inserts the display form");
    assert_eq!(pushes().last().unwrap()["approvers"].as_array().unwrap().last().unwrap(), "{=Variable:Approver}", "the portal gets the expression");
    assert_eq!(focused_id(), Some(m.all("[data-code='approvers'] .rk-chips").pop().unwrap().id()), "the focus is on the new item");
}

#[wasm_bindgen_test]
async fn an_entry_that_matches_no_user_is_flagged_and_kept() {
    let m = mount_with(with_owner("user_999"), "en", |c| c["searchable"] = json!([])).await;
    wait_for("user.get's answer", || m.all("[data-code='owner'] .rk-chip-warn").len() == 1).await;
    assert_eq!(m.text("[data-code='owner'] .rk-chip-warn [role='status']"), "matches no user", "said and announced");
    assert!(m.all("[data-code='approvers'] .rk-chip-warn").is_empty(), "users the portal knows are not flagged");
    // A plain name with no match: kept as typed, flagged, and still handed over.
    clear_calls();
    let search = m.q("#rk-owner");
    focus_on(&search);
    type_into(&search, "Olga");
    sleep(350).await;
    assert_eq!(m.text("[data-code='owner'] .rk-search-pop [role='status']"), "No one found.");
    press(&search, "Enter");
    sleep(30).await;
    assert_eq!(pushes(), vec![json!({"owner": "Olga"})]);
    assert_eq!(chip_texts(&m, "[data-code='owner']"), ["Olga"]);
    assert!(m.q("[data-code='owner'] .rk-chip").class_list().contains("rk-chip-warn"));
    assert!(m.text("#rk-owner-errors").contains("\"Olga\" is not a user"));
    // An id typed by hand is checked with the portal.
    type_into(&search, "user_555");
    sleep(350).await;
    press(&search, "Enter");
    wait_for("the check of user_555", || m.all("[data-code='owner'] .rk-chip-warn").len() == 1 && m.text("[data-code='owner'] .rk-chip-warn").contains("user_555")).await;
    assert!(calls().iter().any(|c| c["params"]["method"] == "user.get" && c["params"]["params"]["FILTER"]["ID"] == json!(["555"])));
    assert_eq!(pushes().last().unwrap(), &json!({"owner": "user_555"}));
}

#[wasm_bindgen_test]
async fn the_focus_follows_a_moved_item_and_lands_in_a_new_one() {
    let m = mount_settings(fixture(ROBOT), "en").await;
    m.click("[data-code='emails'] .rk-add");
    sleep(60).await;
    assert_eq!(focused_id().as_deref(), Some("rk-emails-2"), "+ Add puts the focus in the new input");
    let down_of = |key: u32| m.q(&format!("[data-code='emails'] .rk-item[data-key='{key}'] .rk-down"));
    let up_of = |key: u32| m.q(&format!("[data-code='emails'] .rk-item[data-key='{key}'] .rk-up"));
    down_of(0).unchecked_ref::<HtmlElement>().click();
    sleep(60).await;
    assert!(doc().active_element().is_some_and(|e| e == down_of(0)), "the pressed button, on the moved item");
    down_of(0).unchecked_ref::<HtmlElement>().click();
    sleep(60).await;
    assert!(down_of(0).has_attribute("disabled"));
    assert!(doc().active_element().is_some_and(|e| e == up_of(0)), "at the bottom, the other move button");
    up_of(0).unchecked_ref::<HtmlElement>().click();
    sleep(60).await;
    assert!(doc().active_element().is_some_and(|e| e == up_of(0)));
    // A user list adds through its search box, which takes the focus as "+ Add" would.
    assert!(m.all("[data-code='approvers'] .rk-add").is_empty());
    m.all("[data-code='approvers'] .rk-remove")[0].unchecked_ref::<HtmlElement>().click();
    sleep(60).await;
    assert_eq!(focused_id().as_deref(), Some("rk-approvers-add"));
    assert_eq!(m.q("#rk-approvers-add").get_attribute("role").as_deref(), Some("combobox"));
}

#[wasm_bindgen_test]
async fn the_portal_pickers_button_keeps_its_keys_and_leaves_the_search_list_shut() {
    let m = mount_with(with_owner(""), "en", |_| {}).await;
    let chooser = m.q("[data-code='owner'] .rk-choose");
    focus_on(&chooser);
    sleep(20).await;
    assert!(m.q("[data-code='owner'] .rk-search-pop").has_attribute("hidden"), "the button's focus does not open the box's list");
    let init = KeyboardEventInit::new();
    init.set_key("Enter");
    init.set_bubbles(true);
    init.set_cancelable(true);
    let enter = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    chooser.dispatch_event(&enter).unwrap();
    assert!(!enter.default_prevented(), "Enter on the button is the button's");
    // The box itself still opens its list on focus.
    focus_on(&m.q("#rk-owner"));
    sleep(20).await;
    assert!(!m.q("[data-code='owner'] .rk-search-pop").has_attribute("hidden"));
}
