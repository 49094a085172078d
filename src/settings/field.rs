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
    notes(&root, &errors_id, field);
    root
}

fn single(field: FieldCtx) -> Element {
    let text = field.items.first_text().unwrap_or_else(|| RwSignal::new(String::new()));
    let id = field.ids.with_value(|i| i.base.clone());
    control(field, Slot { id, text, labelled_by: None })
}

/// What is wrong with the value, then what may be (`rk-warnings`), in one list that describes the
/// field's controls and is read out as it changes: one element and one redraw per field, however
/// many fields a rule has.
fn notes(parent: &Element, id: &str, field: FieldCtx) {
    let list = add(parent, "ul", &[("class", "rk-errors"), ("id", id), ("aria-live", "polite")]);
    watch(move || {
        list.set_text_content(None);
        for (lines, attrs) in [(field.errors, &[][..]), (field.warnings, &[("class", "rk-warnings")][..])] {
            lines.with(|lines| {
                for line in lines {
                    add_text(&list, "li", attrs, line);
                }
            });
        }
    });
}
