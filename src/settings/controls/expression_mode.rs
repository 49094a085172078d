//! Values a switch or a list cannot show (an expression) are shown as text with a way back.
//! The mode holds while the user edits the text, even through a half-typed expression, so the
//! control never changes under their hands; only the × button ends it.

use super::text_input::text_input;
use super::Slot;
use crate::dom::{add_text, listen, make, scope, watch};
use crate::settings::field_context::FieldCtx;
use crate::reactive::*;
use std::cell::RefCell;
use std::rc::Rc;
use rulekit_model::expression::has_expression;
use web_sys::Element;

/// `control` while the value is one it can show; the text box from the first expression on.
pub fn or_expression(field: FieldCtx, item: Slot, control: fn(FieldCtx, Slot) -> Element) -> Element {
    let text = item.text;
    let mode = RwSignal::new(text.with_untracked(|t| has_expression(t)));
    watch(move || {
        if text.with(|t| has_expression(t)) {
            mode.set(true);
        }
    });
    // Each mode's control lives in a scope of its own, which ends when it gives way to the other.
    let drawn: Rc<RefCell<Option<(Element, Owner)>>> = Rc::default();
    let slot = drawn.clone();
    let scope = scope();
    watch(move || {
        let expression = mode.get();
        let owner = scope.child();
        let el = owner.with(|| untrack(|| if expression { expression_box(field, item.clone(), mode) } else { control(field, item.clone()) }));
        if let Some((old, old_owner)) = slot.replace(Some((el.clone(), owner))) {
            let _ = old.replace_with_with_node_1(&el);
            old_owner.cleanup();
        }
    });
    let first = drawn.borrow().as_ref().map(|(el, _)| el.clone());
    first.unwrap_or_else(|| make("span", &[]))
}

fn expression_box(field: FieldCtx, item: Slot, mode: RwSignal<bool>) -> Element {
    let s = field.s();
    let text = item.text;
    let wrap = make("span", &[("class", "rk-expr")]);
    let _ = wrap.append_child(&text_input(field, item, "text"));
    let clear = add_text(&wrap, "button", &[("type", "button"), ("class", "rk-icon"), ("title", s.clear_expression), ("aria-label", s.clear_expression)], "×");
    listen(&[&clear], &["click"], move |_| {
        mode.set(false);
        field.set(text, String::new());
    });
    wrap
}
