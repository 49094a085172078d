//! What the form asks of the page directly: moving the focus, reading a text control's cursor,
//! and the parts drawn by hand.
//!
//! The people box and the portal's choices are drawn by hand (`add`, `listen`, `adopt`): as views
//! their elements, attributes and handlers each compile to code of their own, and cost the
//! settings bundle several times as much as the same DOM calls.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event};

/// A new `tag` element with `attrs`, not yet in the page.
pub fn make(tag: &str, attrs: &[(&str, &str)]) -> Option<Element> {
    let el = web_sys::window()?.document()?.create_element(tag).ok()?;
    for (name, value) in attrs {
        let _ = el.set_attribute(name, value);
    }
    Some(el)
}

/// A new `tag` element with `attrs`, at the end of `parent`.
pub fn add(parent: &Element, tag: &str, attrs: &[(&str, &str)]) -> Option<Element> {
    let el = make(tag, attrs)?;
    parent.append_child(&el).ok()?;
    Some(el)
}

/// Calls `handler` with every one of `events` that reaches `targets`: one handler for a whole
/// part. It lives as long as the part's owner (the field, or the list item).
pub fn listen(targets: &[&Element], events: &[&str], handler: impl FnMut(Event) + 'static) {
    let handler = Closure::<dyn FnMut(Event)>::new(handler);
    for target in targets {
        for event in events {
            let _ = target.add_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
        }
    }
    StoredValue::new_local(handler);
}

/// A directive (`use:adopt=parts`) that puts parts drawn by hand into the element, as the view
/// builds it.
pub fn adopt(el: Element, parts: Vec<Element>) {
    for part in parts {
        let _ = el.append_child(&part);
    }
}

/// The element an event happened on, or its closest ancestor that matches `selector`.
pub fn closest(ev: &Event, selector: &str) -> Option<Element> {
    ev.target()?.dyn_into::<Element>().ok()?.closest(selector).ok().flatten()
}

/// The page's element `id`, if it is (still) there.
pub fn element(id: &str) -> Option<Element> {
    web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id))
}

/// Focuses the element `id`, if it is (still) on the page.
pub fn focus(id: &str) {
    if let Some(el) = element(id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

/// Focuses the first control inside the element `id` (a field, whatever its controls are), and
/// brings it into view.
pub fn focus_within(id: &str) {
    let first = element(id).and_then(|e| e.query_selector("input:not([type=hidden]),select,textarea,button").ok().flatten());
    if let Some(el) = first.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        el.scroll_into_view();
        let _ = el.focus();
    }
}

/// Inserts `insert` into `text` where the cursor of the input `id` stands (at the end when the
/// input has no cursor), and returns the new text.
pub fn insert_at_cursor(id: &str, text: &str, insert: &str) -> String {
    let utf16_pos = element(id).and_then(|el| {
        if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
            i.selection_start().ok().flatten()
        } else {
            el.dyn_ref::<web_sys::HtmlTextAreaElement>().and_then(|t| t.selection_start().ok().flatten())
        }
    });
    // The DOM counts UTF-16 units; Rust strings index bytes.
    let byte = utf16_pos.map_or(text.len(), |pos| {
        let mut units = 0u32;
        text.char_indices().find(|(_, c)| {
            let here = units >= pos;
            units += c.len_utf16() as u32;
            here
        }).map_or(text.len(), |(b, _)| b)
    });
    [&text[..byte], insert, &text[byte..]].concat()
}
