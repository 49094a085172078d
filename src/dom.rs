//! The page drawn by hand: elements, their handlers, and the parts that follow the form's signals.
//!
//! Every screen of the settings page is made with these few calls instead of Leptos's `view!`.
//! As views, each element, attribute and handler compiles to code of its own for its exact type;
//! the same DOM calls made through one non-generic function cost the settings bundle several times
//! less (measured in issue 12). The reactivity is still Leptos's: signals, memos and owners from
//! `reactive_graph`; `watch` runs a redraw whenever what it read changes.

use crate::reactive::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Event, HtmlElement};

thread_local! {
    static DOCUMENT: Option<Document> = web_sys::window().and_then(|w| w.document());
}

/// A new `tag` element with `attrs`, not yet in the page.
pub fn make(tag: &str, attrs: &[(&str, &str)]) -> Element {
    // The tags are fixed names written in this crate, which a document always accepts.
    let el = DOCUMENT.with(|d| d.as_ref().and_then(|d| d.create_element(tag).ok())).expect_throw("a document");
    for (name, value) in attrs {
        let _ = el.set_attribute(name, value);
    }
    el
}

/// A new `tag` element with `attrs`, at the end of `parent`.
pub fn add(parent: &Element, tag: &str, attrs: &[(&str, &str)]) -> Element {
    let el = make(tag, attrs);
    let _ = parent.append_child(&el);
    el
}

/// A new `tag` element with `attrs` and `text`, at the end of `parent`.
pub fn add_text(parent: &Element, tag: &str, attrs: &[(&str, &str)], text: &str) -> Element {
    let el = add(parent, tag, attrs);
    el.set_text_content(Some(text));
    el
}

/// Text at the end of `parent`, beside its elements.
pub fn text(parent: &Element, text: &str) {
    let _ = parent.append_with_str_1(text);
}

/// Sets or removes an attribute.
pub fn set(el: &Element, name: &str, value: Option<&str>) {
    let _ = match value {
        Some(v) => el.set_attribute(name, v),
        None => el.remove_attribute(name),
    };
}

/// Writes `text` into `el` unless it is there already: a live region speaks only when its words
/// change.
pub fn write(el: &Element, text: &str) {
    if el.text_content().as_deref() != Some(text) {
        el.set_text_content(Some(text));
    }
}

/// Calls `handler` with every one of `events` that reaches `targets`: one handler for a whole
/// part. It lives as long as the current owner (the field, or the list item).
pub fn listen(targets: &[&Element], events: &[&str], handler: impl FnMut(Event) + 'static) {
    listen_boxed(targets, events, Box::new(handler))
}

fn listen_boxed(targets: &[&Element], events: &[&str], handler: Box<dyn FnMut(Event)>) {
    let handler = Closure::<dyn FnMut(Event)>::wrap(handler);
    for target in targets {
        for event in events {
            let _ = target.add_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
        }
    }
    StoredValue::new_local(handler);
}

/// Runs `redraw` at once, and again whenever a signal it read changes, for as long as the
/// current owner lives.
pub fn watch(redraw: impl FnMut() + 'static) {
    watch_boxed(Box::new(redraw))
}

fn watch_boxed(mut redraw: Box<dyn FnMut()>) {
    StoredValue::new_local(RenderEffect::new(move |_| redraw()));
}

/// Keeps the attribute `name` of `el` at `value()`: absent while it is `None`.
pub fn bind(el: &Element, name: &'static str, value: impl Fn() -> Option<String> + 'static) {
    let el = el.clone();
    watch(move || set(&el, name, value().as_deref()));
}

/// The scope parts drawn later are made in: the current one, not the redraw's, whose own scope is
/// cleared each time it runs again.
pub fn scope() -> Owner {
    Owner::current().unwrap_or_default()
}

/// Shows what `make` draws while `open()` holds, right after `anchor`, in a scope of its own that
/// ends (with its handlers and signals) when it closes.
pub fn when(anchor: &Element, open: impl Fn() -> bool + 'static, make: impl Fn() -> Element + 'static) {
    let anchor = anchor.clone();
    let scope = scope();
    let mut shown: Option<(Element, Owner)> = None;
    watch(move || match (open(), shown.take()) {
        (true, Some(s)) => shown = Some(s),
        (true, None) => {
            let owner = scope.child();
            let el = owner.with(|| untrack(&make));
            let _ = anchor.after_with_node_1(&el);
            shown = Some((el, owner));
        }
        (false, Some((el, owner))) => {
            el.remove();
            owner.cleanup();
        }
        (false, None) => {}
    });
}

/// The rows of a keyed list at the start of `parent` (before whatever else it holds): one element
/// per key from `keys()`, made by `row` in a scope of its own, kept (with the focus in it) while
/// its key stays, and put in the keys' order.
pub fn keyed(parent: &Element, keys: impl Fn() -> Vec<u32> + 'static, row: impl Fn(u32) -> Element + 'static) {
    let parent = parent.clone();
    let scope = scope();
    let mut rows: Vec<(u32, Element, Owner)> = Vec::new();
    watch(move || {
        let keys = keys();
        let mut kept = Vec::with_capacity(keys.len());
        for (key, el, owner) in rows.drain(..) {
            if keys.contains(&key) {
                kept.push((key, el, owner));
            } else {
                el.remove();
                owner.cleanup();
            }
        }
        for key in keys {
            let (el, owner) = match kept.iter().position(|(k, _, _)| *k == key) {
                Some(i) => {
                    let (_, el, owner) = kept.swap_remove(i);
                    (el, owner)
                }
                None => {
                    let owner = scope.child();
                    (owner.with(|| untrack(|| row(key))), owner)
                }
            };
            // Appending moves a row that is already there; the rows end in the keys' order.
            // A row already in place is not touched, so its focus stays.
            let last = rows.last().map(|(_, e, _)| e.clone());
            let in_place = match &last {
                Some(prev) => prev.next_element_sibling().as_ref() == Some(&el),
                None => parent.first_element_child().as_ref() == Some(&el),
            };
            if !in_place {
                let after = last.map_or_else(|| parent.first_child(), |p| p.next_sibling());
                let _ = parent.insert_before(&el, after.as_ref());
            }
            rows.push((key, el, owner));
        }
    });
}

/// The element an event happened on, or its closest ancestor that matches `selector`.
pub fn closest(ev: &Event, selector: &str) -> Option<Element> {
    ev.target()?.dyn_into::<Element>().ok()?.closest(selector).ok().flatten()
}

/// The value of an input, a text area or a list (empty for other elements).
pub fn value(el: &Element) -> String {
    if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        i.value()
    } else if let Some(t) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        t.value()
    } else {
        el.dyn_ref::<web_sys::HtmlSelectElement>().map(|s| s.value()).unwrap_or_default()
    }
}

/// Sets the value of an input, a text area or a list, unless it holds it already (writing it
/// again would move the cursor of the box being typed in).
pub fn set_value(el: &Element, v: &str) {
    if value(el) == v {
        return;
    }
    if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        i.set_value(v);
    } else if let Some(t) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        t.set_value(v);
    } else if let Some(s) = el.dyn_ref::<web_sys::HtmlSelectElement>() {
        s.set_value(v);
    }
}

/// The page's element `id`, if it is (still) there.
pub fn element(id: &str) -> Option<Element> {
    DOCUMENT.with(|d| d.as_ref()?.get_element_by_id(id))
}

/// Focuses the element `id`, if it is (still) on the page.
pub fn focus(id: &str) {
    if let Some(el) = element(id).and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

/// Focuses the first control inside the element `id` (a field, whatever its controls are), and
/// brings it into view.
pub fn focus_within(id: &str) {
    let first = element(id).and_then(|e| e.query_selector("input:not([type=hidden]),select,textarea,button").ok().flatten());
    if let Some(el) = first.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
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
