//! One of the property's options, as a drop-down list.

use super::expression_mode::or_expression;
use super::Slot;
use crate::dom::{add_text, make};
use crate::settings::field_context::FieldCtx;
use crate::reactive::*;
use web_sys::Element;

pub fn choice_list(field: FieldCtx, item: Slot) -> Element {
    or_expression(field, item, draw)
}

fn draw(field: FieldCtx, item: Slot) -> Element {
    let s = field.s();
    let Slot { id, text, labelled_by } = item;
    let (options, required, multiple) = field.property.with_value(|p| (p.options.clone(), p.required, p.multiple));
    let current = text.get_untracked();
    let select = make("select", &[("class", "rk-input rk-select"), ("id", &id), ("aria-describedby", &field.described_by())]);
    for (name, value) in [("aria-labelledby", labelled_by.as_deref()), ("aria-required", field.aria_required())] {
        if let Some(value) = value {
            let _ = select.set_attribute(name, value);
        }
    }
    // `selected` on the options themselves, so a value that is not one of them shows as itself.
    let option = |value: &str, label: &str| {
        let o = add_text(&select, "option", &[("value", value)], label);
        if value == current {
            let _ = o.set_attribute("selected", "");
        }
    };
    // A required single value has no blank choice once it holds one.
    if !required || multiple || current.is_empty() {
        option("", s.not_set);
    }
    for (k, t) in &options {
        option(k, &field.form.lang_code.with_value(|l| t.get(l).to_string()));
    }
    if !current.is_empty() && !options.iter().any(|(k, _)| *k == current) {
        option(&current, &[current.as_str(), " (", s.unknown_choice, ")"].concat());
    }
    field.bind_invalid(&select);
    field.bind_value(&select, text);
    select
}
