//! One property: its head, its value (one control, or a list of items) with the button that
//! opens the expression picker, the picker, what is wrong with the value and what may be. The
//! parts share the field through its `FieldCtx`.

use super::controls::{control, Slot};
use super::field_context::FieldCtx;
use super::insert_expression::{field_picker, insert_button};
use super::item_list::item_list;
use super::label_row::label_row;
use super::FormCtx;
use crate::dom::{add, add_text, bind, make, watch};
use crate::reactive::*;
use rulekit_model::form::FieldModel;
use web_sys::Element;

/// The field for `model`, in its own scope: its signals and handlers end with the form.
pub fn field(form: FormCtx, model: FieldModel) -> Element {
    let field = FieldCtx::new(form, model);
    let (code, kind) = field.property.with_value(|p| (p.code.clone(), p.kind.name().to_string()));
    let (field_id, errors_id) = field.ids.with_value(|i| (i.field.clone(), i.errors.clone()));
    let root = make("div", &[("class", "rk-field"), ("id", &field_id), ("data-code", &code), ("data-kind", &kind)]);
    let invalid = field.invalid;
    bind(&root, "class", move || Some(if invalid.get() { "rk-field rk-invalid" } else { "rk-field" }.into()));
    label_row(field, &root);
    // The `{…}` button comes after the value in the page, so Tab reaches the field first.
    let value = add(&root, "div", &[("class", "rk-value")]);
    let control = if field.multiple() { item_list(field) } else { single(field) };
    let _ = value.append_child(&control);
    let _ = value.append_child(&insert_button(field));
    field_picker(field, &value);
    notes(&root, &[("class", "rk-errors"), ("id", &errors_id), ("aria-live", "polite")], field.errors);
    notes(&root, &[("class", "rk-warnings"), ("aria-live", "polite")], field.warnings);
    root
}

fn single(field: FieldCtx) -> Element {
    let text = field.items.first_text().unwrap_or_else(|| RwSignal::new(String::new()));
    let id = field.ids.with_value(|i| i.base.clone());
    control(field, Slot { id, text, labelled_by: None })
}

/// A list of what is wrong (or may be) with the value, read out as it changes. Errors and
/// warnings share it, and so share its code.
fn notes(parent: &Element, attrs: &[(&str, &str)], lines: Memo<Vec<String>>) {
    let list = add(parent, "ul", attrs);
    watch(move || {
        list.set_text_content(None);
        lines.with(|lines| {
            for line in lines {
                add_text(&list, "li", &[], line);
            }
        });
    });
}
