//! The two things the form asks of the page directly: moving the focus, and reading a text
//! control's cursor.

use wasm_bindgen::JsCast;

/// The page's element `id`, if it is (still) there.
pub fn element(id: &str) -> Option<web_sys::Element> {
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
