//! A field's `{…}` button and the expression picker it opens. A chosen expression goes in, in its
//! display form (`{{Deal name}}`), at the cursor of a text, replaces any other single value, or
//! becomes a new list item; the portal gets its `{=…}` form.

use super::field_context::FieldCtx;
use super::picker::expression_picker;
use crate::dom::{bind, focus, insert_at_cursor, listen, make, when};
use crate::reactive::*;
use rulekit_model::PropertyType;
use web_sys::Element;

pub fn insert_button(field: FieldCtx) -> Element {
    let s = field.s();
    let open = field.picker_open;
    let id = field.ids.with_value(|i| i.insert.clone());
    let label = field.name.with_value(|n| [s.insert_field, ": ", n].concat());
    let button = make("button", &[("type", "button"), ("class", "rk-insert"), ("id", &id), ("title", s.insert_field), ("aria-label", &label)]);
    button.set_text_content(Some("{…}"));
    bind(&button, "aria-expanded", move || Some(open.get().to_string()));
    listen(&[&button], &["click"], move |_| open.update(|o| *o = !*o));
    button
}

/// The picker, right after `anchor` while it is open.
pub fn field_picker(field: FieldCtx, anchor: &Element) {
    let on_pick = move |expression: String| {
        field.picker_open.set(false);
        let shown = field.form.catalog.with_value(|c| c.display(&expression));
        insert(field, shown);
    };
    // Closing without a choice returns the focus to the button that opened the picker.
    let on_close = move || {
        field.picker_open.set(false);
        let id = field.ids.with_value(|i| i.insert.clone());
        request_animation_frame(move || focus(&id));
    };
    let list_id = field.ids.with_value(|i| [i.base.as_str(), "-picker"].concat());
    let open = field.picker_open;
    when(anchor, move || open.get(), move || expression_picker(field.form, list_id.clone(), Box::new(on_pick), Box::new(on_close)));
}

fn insert(field: FieldCtx, expression: String) {
    let (multiple, kind) = field.property.with_value(|p| (p.multiple, p.kind.clone()));
    let base = field.ids.with_value(|i| i.base.clone());
    // Keyboard users continue where the value went: the new item, or the single control.
    let target = if multiple { field.ids.with_value(|i| i.item(field.items.next_key())) } else { base.clone() };
    request_animation_frame(move || focus(&target));
    if multiple {
        field.items.add(expression);
    } else if let Some(text) = field.items.first_text() {
        let next = match kind {
            PropertyType::String | PropertyType::Text | PropertyType::Other(_) => {
                insert_at_cursor(&base, &text.get_untracked(), &expression)
            }
            _ => expression,
        };
        text.set(next);
    }
    field.commit();
}
