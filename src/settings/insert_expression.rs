//! A field's expression picker, open while the field's `{…}` button says so. A chosen expression
//! goes in at the cursor of a text, replaces any other single value, or becomes a new list item.

use super::dom::{focus, insert_at_cursor};
use super::field_context::FieldCtx;
use super::picker::ExpressionPicker;
use leptos::prelude::*;
use rulekit_model::PropertyType;

#[component]
pub fn FieldPicker() -> impl IntoView {
    let field = expect_context::<FieldCtx>();
    let on_pick = Callback::new(move |expression: String| {
        field.picker_open.set(false);
        insert(field, expression);
    });
    // Closing without a choice returns the focus to the button that opened the picker.
    let on_close = Callback::new(move |_: ()| {
        field.picker_open.set(false);
        let id = field.ids.with_value(|i| i.insert.clone());
        request_animation_frame(move || focus(&id));
    });
    view! {
        <Show when=move || field.picker_open.get()>
            <ExpressionPicker on_pick=on_pick on_close=on_close/>
        </Show>
    }
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
