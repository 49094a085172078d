//! The settings app in a real browser (headless Chromium), mounted with the shared fixtures over a
//! recording stand-in for BX24.js. Each test edits the form as a person would and checks both the
//! page and what the app asked the portal to do.
#![cfg(target_arch = "wasm32")]

mod support;


use serde_json::{json, Value};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

use support::*;

#[wasm_bindgen_test]
async fn the_fixture_form_shows_every_property_with_saved_values_and_pushes_nothing_on_open() {
    let m = mount_settings(fixture(ROBOT), "en").await;
    let fields: Vec<String> = m.all(".rk-field").iter().map(|f| f.get_attribute("data-code").unwrap()).collect();
    assert_eq!(
        fields,
        ["title", "notes", "quantity", "discount", "send_copy", "due_date", "remind_at", "format", "approvers", "emails", "tags"]
    );
    assert_eq!(m.text("label[for='rk-title']"), "Invoice title");
    assert_eq!(m.text("#rk-title-help"), "Shown at the top of the invoice");
    assert!(m.q("[data-code='title'] .rk-req").is_connected(), "required is marked");
    assert_eq!(m.input("#rk-title").value(), "Invoice for {{Deal name}}");
    assert_eq!(m.q("#rk-notes").unchecked_into::<HtmlTextAreaElement>().value(), "Line one\nLine two <b>not bold</b>");
    assert_eq!(m.input("#rk-quantity").value(), "3");
    assert_eq!(m.input("#rk-quantity").get_attribute("inputmode").as_deref(), Some("numeric"));
    assert!(!m.input("#rk-send_copy").checked(), "saved N");
    assert_eq!(m.input("#rk-due_date").value(), "{{Expected close date}}", "stored as its expression, shown readable");
    assert_eq!(m.input("#rk-remind_at").value(), "", "never saved, no default");
    assert_eq!(m.q("#rk-format").unchecked_into::<HtmlSelectElement>().value(), "docx");
    assert_eq!(m.all("[data-code='approvers'] .rk-item").len(), 2);
    assert_eq!(m.all("[data-code='emails'] .rk-item input").iter().map(|e| e.unchecked_ref::<HtmlInputElement>().value()).collect::<Vec<_>>(),
        ["billing@example.com", "{{Responsible person > printable}}"]);
    assert_eq!(m.all("[data-code='tags'] select").len(), 1);
    assert!(pushes().is_empty(), "nothing is pushed before the user edits: {:?}", pushes());
    // Every control has a label or a name for assistive technology.
    for control in m.all("input:not([type='search']), select, textarea") {
        let id = control.id();
        let labelled_by = control.get_attribute("aria-labelledby").and_then(|l| m.root.query_selector(&format!("#{l}")).unwrap());
        let labelled = control.get_attribute("aria-label").is_some()
            || labelled_by.is_some_and(|l| !l.text_content().unwrap_or_default().is_empty())
            || (!id.is_empty() && m.root.query_selector(&format!("label[for='{id}']")).unwrap().is_some())
            || control.closest("label").unwrap().is_some();
        assert!(labelled, "control {id} has no label");
    }
}

#[wasm_bindgen_test]
async fn a_german_portal_gets_german_names_words_and_defaults() {
    let init = fixture(INIT_DE);
    let m = mount_settings(init["PLACEMENT_OPTIONS"].clone(), "de").await;
    assert_eq!(m.text("label[for='rk-title']"), "Rechnungstitel");
    assert_eq!(m.input("#rk-title").value(), "Invoice for {{Deal name}}", "the default of a never-saved value, readable");
    assert!(m.text("[data-code='emails'] .rk-add").contains("Hinzufügen"));
    type_into(&m.q("#rk-title"), "");
    fire(&m.q("#rk-title"), "blur");
    sleep(20).await;
    assert_eq!(m.text("#rk-title-errors"), "Dieses Feld ist erforderlich.");
    assert_eq!(pushes(), vec![json!({"title": ""})]);
}

#[wasm_bindgen_test]
async fn every_kind_of_field_pushes_its_change_at_once_as_strings() {
    let m = mount_settings(fixture(ROBOT), "en").await;
    clear_calls();
    type_into(&m.q("#rk-title"), "Bill {{Deal name}} now");
    type_into(&m.q("#rk-notes"), "Two\nlines");
    type_into(&m.q("#rk-quantity"), "5");
    type_into(&m.q("#rk-discount"), "{=Document:OPPORTUNITY}");
    m.click("#rk-send_copy");
    let format = m.q("#rk-format");
    format.unchecked_ref::<HtmlSelectElement>().set_value("pdf");
    fire(&format, "change");
    let date = m.q("[data-code='remind_at'] .rk-calendar");
    date.unchecked_ref::<HtmlInputElement>().set_value("2026-12-01T09:30");
    fire(&date, "change");
    sleep(20).await;
    assert_eq!(
        pushes(),
        vec![
            json!({"title": "Bill {=Document:TITLE} now"}),
            json!({"notes": "Two\nlines"}),
            json!({"quantity": "5"}),
            json!({"discount": "{=Document:OPPORTUNITY}"}),
            json!({"send_copy": "Y"}),
            json!({"format": "pdf"}),
            json!({"remind_at": "2026-12-01 09:30:00"}),
        ]
    );
    assert_eq!(m.input("#rk-remind_at").value(), "2026-12-01 09:30:00");
    // A literal that is not a number is kept as typed, flagged, and still handed over: nothing is lost.
    type_into(&m.q("#rk-quantity"), "five");
    sleep(20).await;
    assert!(m.text("#rk-quantity-errors").contains("\"five\" is not a whole number"));
    assert_eq!(pushes().last().unwrap(), &json!({"quantity": "five"}));
    // Typing the same value again pushes nothing new.
    let before = pushes().len();
    type_into(&m.q("#rk-quantity"), "five");
    assert_eq!(pushes().len(), before);
}

#[wasm_bindgen_test]
async fn multiple_values_add_remove_and_reorder_as_arrays() {
    let m = mount_settings(fixture(ROBOT), "en").await;
    clear_calls();
    m.click("[data-code='emails'] .rk-add");
    sleep(20).await;
    let items = m.all("[data-code='emails'] .rk-item input");
    assert_eq!(items.len(), 3);
    assert!(pushes().is_empty(), "an empty new row is not a value");
    type_into(&items[2], "ceo@example.com");
    m.all("[data-code='emails'] .rk-up")[2].unchecked_ref::<HtmlElement>().click();
    sleep(20).await;
    m.all("[data-code='emails'] .rk-remove")[0].unchecked_ref::<HtmlElement>().click();
    sleep(20).await;
    let downs = m.all("[data-code='emails'] .rk-down");
    assert_eq!(downs.iter().map(|b| b.text_content().unwrap()).collect::<Vec<_>>(), ["↓", "↓"]);
    assert!(downs[1].has_attribute("disabled"), "the last item cannot move down");
    assert!(m.all("[data-code='emails'] .rk-up")[0].has_attribute("disabled"), "the first cannot move up");
    downs[0].unchecked_ref::<HtmlElement>().click();
    sleep(20).await;
    assert_eq!(
        pushes(),
        vec![
            json!({"emails": ["billing@example.com", "{=Document:ASSIGNED_BY_ID > printable}", "ceo@example.com"]}),
            json!({"emails": ["billing@example.com", "ceo@example.com", "{=Document:ASSIGNED_BY_ID > printable}"]}),
            json!({"emails": ["ceo@example.com", "{=Document:ASSIGNED_BY_ID > printable}"]}),
            json!({"emails": ["{=Document:ASSIGNED_BY_ID > printable}", "ceo@example.com"]}),
        ]
    );
    // A multiple select is a list of choices too.
    m.click("[data-code='tags'] .rk-add");
    sleep(20).await;
    let tags = m.all("[data-code='tags'] select");
    tags[1].unchecked_ref::<HtmlSelectElement>().set_value("repeat");
    fire(&tags[1], "change");
    assert_eq!(pushes().last().unwrap(), &json!({"tags": ["vip", "repeat"]}));
}

#[wasm_bindgen_test]
async fn the_expression_picker_inserts_fields_and_template_items() {
    let m = mount_settings(fixture(ROBOT), "en").await;
    clear_calls();
    let title = m.input("#rk-title");
    type_into(&title, "Invoice  for you");
    sleep(20).await;
    title.set_selection_range(8, 8).unwrap();
    clear_calls();
    m.click("[data-code='title'] .rk-insert");
    sleep(20).await;
    let groups: Vec<String> = m.all(".rk-picker h3").iter().map(|h| h.text_content().unwrap()).collect();
    assert_eq!(groups, ["Document", "Variables", "Constants", "Step: Ask the manager"]);
    m.click(".rk-picker-item[data-expression='{=Document:TITLE}']");
    sleep(60).await;
    assert_eq!(title.value(), "Invoice {{Deal name}} for you", "the display form goes in");
    let focused = doc().active_element().map(|e| e.id());
    assert_eq!(focused.as_deref(), Some("rk-title"), "focus returns to the field");
    assert!(m.root.query_selector(".rk-picker").unwrap().is_none(), "the picker closes");
    // The filter narrows the list; a bool takes the expression whole and shows it as text.
    m.click("[data-code='send_copy'] .rk-insert");
    sleep(20).await;
    type_into(&m.q(".rk-picker input[type='search']"), "vat");
    sleep(20).await;
    assert_eq!(m.all(".rk-picker-item").len(), 1);
    m.click(".rk-picker-item");
    sleep(20).await;
    assert_eq!(m.input("#rk-send_copy").value(), "{{VAT rate}}");
    // A multiple field gets the expression as a new item.
    m.click("[data-code='approvers'] .rk-insert");
    sleep(20).await;
    m.click(".rk-picker-item[data-expression='{=Variable:Approver}']");
    sleep(20).await;
    assert_eq!(
        pushes(),
        vec![
            json!({"title": "Invoice {=Document:TITLE} for you"}),
            json!({"send_copy": "{=Constant:VatRate}"}),
            json!({"approvers": ["user_1", "user_7", "{=Variable:Approver}"]}),
        ]
    );
}

#[wasm_bindgen_test]
async fn users_are_chosen_in_the_portal_and_shown_by_name() {
    let m = mount_settings(fixture(ROBOT), "en").await;
    wait_for("user names", || m.root.text_content().unwrap().contains("Olga Ivanova")).await;
    assert!(m.text("[data-code='approvers']").contains("Anna Admin"));
    clear_calls();
    m.click("[data-code='approvers'] .rk-choose");
    sleep(30).await;
    assert_eq!(calls()[0]["command"], "selectUsers");
    assert_eq!(pushes(), vec![json!({"approvers": ["user_1", "user_7", "user_9"]})], "user_7 is not added twice");
    let chips: Vec<String> = m.all("[data-code='approvers'] .rk-chip-text").iter().map(|c| c.text_content().unwrap()).collect();
    assert_eq!(chips, ["Anna Admin", "Olga Ivanova", "Nina Novak"]);
    // Roles and expressions are accepted as entered in the search box; a bare name is kept but is not a user.
    let search = m.q("#rk-approvers-add");
    for typed in ["Author", "Olga Ivanova"] {
        type_into(&search, typed);
        sleep(350).await;
        let init = web_sys::KeyboardEventInit::new();
        init.set_key("Enter");
        search.dispatch_event(&web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap()).unwrap();
        sleep(20).await;
    }
    assert_eq!(pushes().last().unwrap(), &json!({"approvers": ["user_1", "user_7", "user_9", "Author", "Olga Ivanova"]}));
    assert!(m.text("#rk-approvers-errors").contains("\"Olga Ivanova\" is not a user"));
}

#[wasm_bindgen_test]
async fn the_frame_follows_the_content_height() {
    let m = mount_settings(fixture(WORKFLOW), "en").await;
    wait_for("the first fit", || calls().iter().any(|c| c["command"] == "fitWindow")).await;
    clear_calls();
    for _ in 0..6 {
        m.click("[data-code='emails'] .rk-add");
    }
    wait_for("a fit after growing", || calls().iter().any(|c| c["command"] == "fitWindow")).await;
    clear_calls();
    for _ in 0..6 {
        m.all("[data-code='emails'] .rk-remove")[0].unchecked_ref::<HtmlElement>().click();
    }
    wait_for("a resize after shrinking", || calls().iter().any(|c| c["command"] == "resizeWindow")).await;
    let resize = calls().into_iter().find(|c| c["command"] == "resizeWindow").unwrap();
    let height = resize["params"]["height"].as_f64().unwrap();
    let bottom = m.q("main").unchecked_into::<HtmlElement>();
    assert!((height - (bottom.offset_top() + bottom.offset_height()) as f64).abs() <= 1.0, "{height}");
    sleep(50).await;
    assert_eq!(calls().last().unwrap()["command"], "fitWindow", "width goes back to 100% after shrinking");
}

#[wasm_bindgen_test]
async fn malformed_options_are_explained_and_the_rest_still_works() {
    let broken = json!({
        "code": "r",
        "properties": {"good": {"Name": "Good", "Type": "int"}, "bad": 17, "pick": {"Name": "Pick", "Type": "select"}},
        "current_values": "nonsense",
        "document_fields": []
    });
    let m = mount_settings(broken, "en").await;
    let banner = m.text(".rk-problems");
    assert!(banner.contains("current_values: expected a list of named entries"), "{banner}");
    assert!(banner.contains("properties.bad"), "{banner}");
    assert!(banner.contains("properties.pick.OPTIONS: a list without options"), "{banner}");
    clear_calls();
    type_into(&m.q("#rk-good"), "12");
    assert_eq!(pushes(), vec![json!({"good": "12"})]);
}

#[wasm_bindgen_test]
async fn options_that_arrive_as_json_text_twice_encoded_are_read_by_the_browser() {
    let twice = Value::String(Value::String(ROBOT.into()).to_string());
    let m = mount_settings(twice, "en").await;
    assert_eq!(m.all(".rk-field").len(), 11);
    assert_eq!(m.input("#rk-title").value(), "Invoice for {{Deal name}}");
    assert!(m.root.query_selector(".rk-problems").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn options_text_that_is_not_json_is_explained_in_the_parser_s_words() {
    let m = mount_settings(Value::String("{\"code\": ".into()), "en").await;
    let banner = m.text(".rk-problems");
    assert!(banner.contains("PLACEMENT_OPTIONS: not valid JSON ("), "{banner}");
    assert!(!banner.contains("(unknown error)"), "the browser's message is shown: {banner}");
}

#[wasm_bindgen_test]
async fn unknown_types_are_raw_text_and_keep_their_value() {
    let options = json!({"properties": {"f": {"Name": "File", "Type": "file"}, "u": {"Name": "Addr", "Type": "UF:address"}},
        "current_values": {"f": "12|a.pdf", "u": "Berlin|52.5;13.4"}});
    let m = mount_settings(options, "en").await;
    assert_eq!(m.input("#rk-f").value(), "12|a.pdf");
    assert_eq!(m.input("#rk-u").value(), "Berlin|52.5;13.4");
    assert!(m.text("[data-code='u']").contains("UF:address"));
    assert!(pushes().is_empty());
}

#[wasm_bindgen_test]
async fn outside_bitrix24_the_page_says_what_to_do() {
    remove_stub();
    let root = doc().create_element("div").unwrap();
    doc().body().unwrap().append_child(&root).unwrap();
    let handle = rulekit::mount(&root, rulekit::bx24::ANSWER_TIMEOUT);
    let m = Mounted { root, _handle: handle };
    wait_for("the notice", || m.root.query_selector("[data-screen='outside']").unwrap().is_some()).await;
    let text = m.text("[data-screen='outside']");
    assert!(text.contains("This page belongs inside Bitrix24"), "{text}");
    assert!(text.contains("cargo xtask run"), "{text}");
}

#[wasm_bindgen_test]
async fn a_silent_portal_gets_a_message_not_a_blank_page() {
    let mut config = settings_config(fixture(ROBOT), "en");
    config["silent"] = json!(true);
    let m = mount(config, 200).await;
    assert!(m.text(".rk-loading").contains("Loading"));
    wait_for("the notice", || m.root.query_selector("[data-screen='outside']").unwrap().is_some()).await;
    assert!(m.text(".rk-why").contains("The portal did not answer"));
}

#[wasm_bindgen_test]
async fn the_apps_own_page_leads_to_the_console() {
    let config = json!({"init": {"LANG": "ru", "PLACEMENT": "DEFAULT", "PLACEMENT_OPTIONS": []}});
    let m = mount(config, 2000).await;
    wait_for("the main page", || m.root.query_selector("[data-screen='main']").unwrap().is_some()).await;
    assert_eq!(m.text("h1"), "rulekit");
    let link = m.root.query_selector("[data-role='open-console']").unwrap().expect("a link to the console");
    assert_eq!(link.get_attribute("href").as_deref(), Some("console/"), "the console's bundle, beside this page");
    assert!(m.text("[data-role='open-console']").contains("консоль"), "in the portal's language");
}

#[wasm_bindgen_test]
async fn a_saved_choice_that_is_not_an_option_stays_selected_and_kept() {
    let options = json!({"properties": {"f": {"Name": "Format", "Type": "select", "Required": "Y", "Options": {"pdf": "PDF", "docx": "Word"}}},
        "current_values": {"f": "odt"}});
    let m = mount_settings(options, "en").await;
    let select = m.q("#rk-f").unchecked_into::<HtmlSelectElement>();
    assert_eq!(select.value(), "odt", "the unknown saved value is what the list shows");
    assert!(m.text("#rk-f").contains("odt (not in the list)"));
    select.set_value("pdf");
    fire(&select, "change");
    assert_eq!(pushes(), vec![json!({"f": "pdf"})]);
}

#[wasm_bindgen_test]
async fn an_expression_in_a_switch_stays_text_while_it_is_edited() {
    let m = mount_settings(fixture(ROBOT), "en").await;
    m.click("[data-code='send_copy'] .rk-insert");
    sleep(20).await;
    m.click(".rk-picker-item[data-expression='{=Constant:VatRate}']");
    sleep(60).await;
    let input = m.q("#rk-send_copy");
    assert_eq!(input.get_attribute("type").as_deref(), Some("text"));
    type_into(&input, "{=Constant:Vat");
    sleep(30).await;
    let still = m.q("#rk-send_copy");
    assert_eq!(still.get_attribute("type").as_deref(), Some("text"), "a half-typed expression keeps the text box");
    m.click("[data-code='send_copy'] .rk-expr .rk-icon");
    sleep(30).await;
    assert_eq!(m.q("#rk-send_copy").get_attribute("type").as_deref(), Some("checkbox"), "× returns to the switch");
}

#[wasm_bindgen_test]
async fn list_items_are_named_by_their_position_and_focus_is_never_dropped() {
    let m = mount_settings(fixture(ROBOT), "en").await;
    let name_of = |id: &str| {
        let input = m.q(&format!("#{id}"));
        let label = input.get_attribute("aria-labelledby").unwrap();
        m.text(&format!("#{label}"))
    };
    assert_eq!(name_of("rk-emails-0"), "Copies to e-mail 1");
    assert_eq!(name_of("rk-emails-1"), "Copies to e-mail 2");
    m.all("[data-code='emails'] .rk-down")[0].unchecked_ref::<HtmlElement>().click();
    sleep(30).await;
    assert_eq!(name_of("rk-emails-0"), "Copies to e-mail 2", "labels follow the order");
    m.all("[data-code='emails'] .rk-remove")[0].unchecked_ref::<HtmlElement>().click();
    sleep(60).await;
    assert_eq!(doc().active_element().map(|e| e.id()).as_deref(), Some("rk-emails-add"));
    m.click("[data-code='title'] .rk-insert");
    sleep(30).await;
    let search = m.q(".rk-picker input[type='search']");
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Escape");
    init.set_bubbles(true);
    search.dispatch_event(&web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap()).unwrap();
    sleep(60).await;
    assert!(m.root.query_selector(".rk-picker").unwrap().is_none());
    assert_eq!(doc().active_element().map(|e| e.id()).as_deref(), Some("rk-title-insert"), "focus goes back to the button");
}

#[wasm_bindgen_test]
async fn a_saved_display_form_is_handed_back_as_its_expression_once_touched() {
    let m = mount_settings(fixture(ROBOT), "en").await;
    clear_calls();
    fire(&m.q("#rk-title"), "blur");
    assert_eq!(pushes(), vec![json!({"title": "Invoice for {=Document:TITLE}"})]);
}

#[wasm_bindgen_test]
async fn a_single_user_is_chosen_in_the_portal_and_replaces_the_value() {
    let options = json!({"properties": {"owner": {"Name": "Owner", "Type": "user"}}, "current_values": {"owner": "user_1"}});
    let m = mount_settings(options, "en").await;
    wait_for("the saved user's name", || m.text("[data-code='owner'] .rk-chip-text") == "Anna Admin").await;
    clear_calls();
    m.click("[data-code='owner'] .rk-choose");
    sleep(30).await;
    let asked: Vec<Value> = calls().into_iter().filter(|c| c["command"] == "selectUser").collect();
    assert_eq!(asked.len(), 1, "one person, not a list: {asked:?}");
    assert_eq!(asked[0]["params"]["title"], "Owner");
    assert_eq!(pushes(), vec![json!({"owner": "user_9"})]);
    assert_eq!(m.all("[data-code='owner'] .rk-chip").len(), 1, "the chosen user replaces the value");
    assert_eq!(m.q("[data-code='owner'] .rk-chip").get_attribute("title").as_deref(), Some("user_9"));
    assert_eq!(m.text("[data-code='owner'] .rk-chip-text"), "Nina Novak");
    assert_eq!(m.text("#rk-owner-errors"), "", "a chosen user is a valid value");
}
