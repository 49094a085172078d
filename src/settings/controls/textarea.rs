//! Text of several lines.

use super::Slot;
use crate::settings::field_context::FieldCtx;
use leptos::prelude::*;

#[component]
pub fn TextArea(item: Slot) -> impl IntoView {
    let field = expect_context::<FieldCtx>();
    let Slot { id, text, labelled_by } = item;
    view! {
        <textarea class="rk-input rk-textarea" id=id rows="3" aria-labelledby=labelled_by aria-describedby=field.described_by()
            aria-required=field.aria_required() aria-invalid=move || field.invalid.get().to_string()
            prop:value=move || text.get()
            on:input=move |ev| field.set(text, event_target_value(&ev))
            on:blur=move |_| field.commit()></textarea>
    }
}
