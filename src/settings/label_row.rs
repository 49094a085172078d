//! A field's head: its name, the required mark, and the description under them.

use super::field_context::FieldCtx;
use crate::dom::{add, add_text, text};
use crate::reactive::*;
use web_sys::Element;

pub fn label_row(field: FieldCtx, parent: &Element) {
    let s = field.s();
    let name = field.name.get_value();
    let (required, multiple) = field.property.with_value(|p| (p.required, p.multiple));
    let (label_id, base_id, help_id) = field.ids.with_value(|i| (i.label.clone(), i.base.clone(), i.help.clone()));
    let row = add(parent, "div", &[("class", "rk-label-row")]);
    // A list has no one control to point a `<label>` at: its group is named by the label's id.
    if multiple {
        add_text(&row, "span", &[("class", "rk-label"), ("id", &label_id)], &name);
    } else {
        add_text(&row, "label", &[("class", "rk-label"), ("id", &label_id), ("for", &base_id)], &name);
    }
    if required {
        let mark = add(&row, "span", &[("class", "rk-req"), ("title", s.required)]);
        text(&mark, "*");
        add_text(&mark, "span", &[("class", "rk-sr")], &[" (", s.required, ")"].concat());
    }
    if let Some(d) = field.description.get_value() {
        add_text(parent, "p", &[("class", "rk-help"), ("id", &help_id)], &d);
    }
}
