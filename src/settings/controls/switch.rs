//! Yes or no (`Y`/`N`), as a switch.

use super::expression_mode::or_expression;
use super::Slot;
use crate::settings::field_context::FieldCtx;
use leptos::prelude::*;

#[component]
pub fn Switch(item: Slot) -> impl IntoView {
    let field = expect_context::<FieldCtx>();
    let s = field.s();
    let text = item.text;
    let switch = move |Slot { id, labelled_by, .. }| {
        view! {
            <label class="rk-switch">
                <input type="checkbox" role="switch" id=id aria-labelledby=labelled_by aria-describedby=field.described_by()
                    prop:checked=move || text.get() == "Y"
                    on:change=move |ev| field.set(text, if event_target_checked(&ev) { "Y" } else { "N" }.into())/>
                <span class="rk-switch-track" aria-hidden="true"></span>
                <span class="rk-switch-text">{move || if text.get() == "Y" { s.yes } else { s.no }}</span>
            </label>
        }
        .into_any()
    };
    or_expression(item, switch)
}
