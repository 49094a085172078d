//! A field's `{…}` button and the expression picker it opens. A chosen expression goes in, in its
//! display form (`{{Deal name}}`), at the cursor of a text, replaces any other single value, or
//! becomes a new list item; the portal gets its `{=…}` form.

use super::dom::{focus, insert_at_cursor};
use super::field_context::FieldCtx;
use super::picker::ExpressionPicker;
use leptos::prelude::*;
use rulekit_model::PropertyType;

#[component]
pub fn InsertButton() -> impl IntoView {
    let field = expect_context::<FieldCtx>();
    let s = field.s();
    let open = field.picker_open;
    let id = field.ids.with_value(|i| i.insert.clone());
    let label = field.name.with_value(|n| [s.insert_field, ": ", n].concat());
    view! {
        <button type="button" class="rk-insert" id=id title=s.insert_field aria-label=label
            aria-expanded=move || open.get().to_string()
            on:click=move |_| open.update(|o| *o = !*o)>"{…}"</button>
    }
}

#[component]
pub fn FieldPicker() -> impl IntoView {
    let field = expect_context::<FieldCtx>();
    let on_pick = Callback::new(move |expression: String| {
        field.picker_open.set(false);
        let shown = field.form.catalog.with_value(|c| c.display(&expression));
        insert(field, shown);
    });
    // Closing without a choice returns the focus to the button that opened the picker.
    let on_close = Callback::new(move |_: ()| {
        field.picker_open.set(false);
        let id = field.ids.with_value(|i| i.insert.clone());
        request_animation_frame(move || focus(&id));
    });
    let list_id = field.ids.with_value(|i| [i.base.as_str(), "-picker"].concat());
    view! {
        <Show when=move || field.picker_open.get()>
            <ExpressionPicker list_id=list_id.clone() on_pick=on_pick on_close=on_close/>
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
