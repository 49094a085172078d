//! Yes or no (`Y`/`N`), as a switch.

use super::expression_mode::or_expression;
use super::Slot;
use crate::dom::{add, listen, make, watch, write};
use crate::settings::field_context::FieldCtx;
use crate::reactive::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};

pub fn switch(field: FieldCtx, item: Slot) -> Element {
    or_expression(field, item, draw)
}

fn draw(field: FieldCtx, item: Slot) -> Element {
    let s = field.s();
    let Slot { id, text, labelled_by } = item;
    let label = make("label", &[("class", "rk-switch")]);
    let described_by = field.described_by();
    let input = add(&label, "input", &[("type", "checkbox"), ("role", "switch"), ("id", &id), ("aria-describedby", &described_by)]);
    if let Some(l) = labelled_by {
        let _ = input.set_attribute("aria-labelledby", &l);
    }
    add(&label, "span", &[("class", "rk-switch-track"), ("aria-hidden", "true")]);
    let words = add(&label, "span", &[("class", "rk-switch-text")]);
    let shown = input.clone();
    watch(move || {
        let on = text.with(|t| t == "Y");
        if let Some(i) = shown.dyn_ref::<HtmlInputElement>() {
            i.set_checked(on);
        }
        write(&words, if on { s.yes } else { s.no });
    });
    let read = input.clone();
    listen(&[&input], &["change"], move |_| {
        let on = read.dyn_ref::<HtmlInputElement>().is_some_and(HtmlInputElement::checked);
        field.set(text, if on { "Y" } else { "N" }.into());
    });
    label
}
