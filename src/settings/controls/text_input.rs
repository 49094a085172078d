//! The text box: the control for strings and numbers, and the text part of most others.

use super::Slot;
use crate::dom::make;
use crate::settings::field_context::FieldCtx;
use web_sys::Element;

/// A one-line box for `item`; `input_mode` is the keyboard a touch device offers.
pub fn text_input(field: FieldCtx, item: Slot, input_mode: &str) -> Element {
    let input = make("input", &[("type", "text"), ("class", "rk-input"), ("inputmode", input_mode)]);
    edits_text(field, &input, item);
    input
}

/// What a text box and a text area share: their id and names, the value kept in both
/// directions, and the field's state.
pub fn edits_text(field: FieldCtx, el: &Element, item: Slot) {
    let Slot { id, text, labelled_by } = item;
    let _ = el.set_attribute("id", &id);
    let _ = el.set_attribute("aria-describedby", &field.described_by());
    for (name, value) in [("aria-labelledby", labelled_by.as_deref()), ("aria-required", field.aria_required())] {
        if let Some(value) = value {
            let _ = el.set_attribute(name, value);
        }
    }
    field.bind_invalid(el);
    field.bind_value(el, text);
}
