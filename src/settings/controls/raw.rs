//! A type rulekit has no control for: its value as text, kept exactly as it came, with the type
//! named beside it.

use super::text_input::text_input;
use super::Slot;
use crate::dom::{add_text, make};
use crate::settings::field_context::FieldCtx;
use web_sys::Element;

pub fn raw_input(field: FieldCtx, item: Slot, type_name: &str) -> Element {
    let s = field.s();
    let wrap = make("span", &[("class", "rk-raw")]);
    let _ = wrap.append_child(&text_input(field, item, "text"));
    add_text(&wrap, "span", &[("class", "rk-help")], &[s.raw_type, " (", type_name, ")"].concat());
    wrap
}
