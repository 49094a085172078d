//! What every browser test of the settings app shares: the recording stand-in for BX24.js, the
//! shared fixtures, mounting the app, and reading and driving the page.
#![allow(dead_code)]


use serde_json::{json, Value};
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

#[wasm_bindgen(module = "/tests/support/bx24_stub.js")]
extern "C" {
    pub fn install_stub(config_json: &str);
    pub fn remove_stub();
    pub fn calls_json() -> String;
    pub fn clear_calls();
}

pub const ROBOT: &str = include_str!("../../fixtures/placement-options.robot-designer.json");
pub const WORKFLOW: &str = include_str!("../../fixtures/placement-options.workflow-designer.json");
pub const INIT_DE: &str = include_str!("../../fixtures/init-data.robot-designer.json");

pub struct Mounted {
    pub root: Element,
    pub _handle: rulekit::Mounted,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.root.remove();
    }
}

pub fn doc() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

pub fn settings_config(options: Value, lang: &str) -> Value {
    json!({
        "init": {"LANG": lang, "PLACEMENT": "BIZPROC_ACTIVITY_PROPERTIES_DIALOG", "PLACEMENT_OPTIONS": options},
        "users": [{"id": "9", "name": "Nina Novak"}, {"id": "7", "name": "Olga Ivanova"}],
        "rest": {"user.get": [{"ID": "1", "NAME": "Anna", "LAST_NAME": "Admin"}, {"ID": "7", "NAME": "Olga", "LAST_NAME": "Ivanova"}]}
    })
}

pub async fn sleep(ms: u64) {
    rulekit::bx24::sleep(Duration::from_millis(ms)).await;
}

/// Waits until `ready` holds, for at most two seconds, letting Leptos run its effects.
pub async fn wait_for(what: &str, ready: impl Fn() -> bool) {
    for _ in 0..200 {
        if ready() {
            return;
        }
        sleep(10).await;
    }
    panic!("timed out waiting for {what}");
}

pub async fn mount(config: Value, timeout_ms: u32) -> Mounted {
    // Let the previous test's pending frame callbacks (focus moves) run against its removed page.
    sleep(50).await;
    install_stub(&config.to_string());
    let root = doc().create_element("div").unwrap();
    doc().body().unwrap().append_child(&root).unwrap();
    let handle = rulekit::mount(&root, Duration::from_millis(timeout_ms.into()));
    Mounted { root, _handle: handle }
}

pub async fn mount_settings(options: Value, lang: &str) -> Mounted {
    let m = mount(settings_config(options, lang), 2000).await;
    let root = m.root.clone();
    wait_for("the settings form", move || root.query_selector("[data-ready='1']").unwrap().is_some()).await;
    sleep(20).await;
    m
}

impl Mounted {
    pub fn q(&self, selector: &str) -> Element {
        self.root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("no element {selector}"))
    }
    pub fn all(&self, selector: &str) -> Vec<Element> {
        let list = self.root.query_selector_all(selector).unwrap();
        (0..list.length()).map(|i| list.item(i).unwrap().unchecked_into()).collect()
    }
    pub fn input(&self, selector: &str) -> HtmlInputElement {
        self.q(selector).unchecked_into()
    }
    pub fn text(&self, selector: &str) -> String {
        self.q(selector).text_content().unwrap_or_default()
    }
    pub fn click(&self, selector: &str) {
        self.q(selector).unchecked_into::<HtmlElement>().click();
    }
}

pub fn fire(el: &Element, event: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    el.dispatch_event(&web_sys::Event::new_with_event_init_dict(event, &init).unwrap()).unwrap();
}

pub fn type_into(el: &Element, value: &str) {
    if let Some(i) = el.dyn_ref::<HtmlInputElement>() {
        i.set_value(value);
    } else if let Some(t) = el.dyn_ref::<HtmlTextAreaElement>() {
        t.set_value(value);
    } else if let Some(s) = el.dyn_ref::<HtmlSelectElement>() {
        s.set_value(value);
    }
    fire(el, "input");
}

pub fn calls() -> Vec<Value> {
    serde_json::from_str(&calls_json()).unwrap()
}

pub fn pushes() -> Vec<Value> {
    calls().into_iter().filter(|c| c["command"] == "setPropertyValue").map(|c| c["params"].clone()).collect()
}

pub fn fixture(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

