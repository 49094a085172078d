//! The text box: the control for strings, and the text part of most others.

use super::Slot;
use crate::settings::field_context::FieldCtx;
use leptos::prelude::*;

#[component]
pub fn TextInput(
    item: Slot,
    /// The keyboard a touch device offers (`inputmode`).
    #[prop(default = "text")]
    input_mode: &'static str,
) -> impl IntoView {
    let field = expect_context::<FieldCtx>();
    let Slot { id, text, labelled_by } = item;
    view! {
        <input type="text" class="rk-input" id=id inputmode=input_mode
            aria-labelledby=labelled_by aria-describedby=field.described_by() aria-required=field.aria_required()
            aria-invalid=move || field.invalid.get().to_string()
            prop:value=move || text.get()
            on:input=move |ev| field.set(text, event_target_value(&ev))
            on:blur=move |_| field.commit()/>
    }
    .into_any()
}
