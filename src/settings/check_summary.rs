//! The count of fields with a problem, at the top of the form, and a way to the first of them:
//! a reopened form says at once what still needs doing, before anyone touches a field.

use super::dom::focus_within;
use super::FormCtx;
use leptos::prelude::*;

#[component]
pub fn CheckSummary() -> impl IntoView {
    let form = expect_context::<FormCtx>();
    let s = form.s();
    let failing = move || form.checks.with(|c| c.iter().filter(|(_, bad)| bad.get()).map(|(id, _)| id.clone()).collect::<Vec<_>>());
    move || {
        let failing = failing();
        let first = failing.first()?.clone();
        let count = failing.len().to_string();
        Some(view! {
            <p class="rk-summary" role="status">
                {s.fields_to_check}": "<strong class="rk-count">{count}</strong>" "
                <a href=["#", first.as_str()].concat() class="rk-first"
                    on:click=move |ev| { ev.prevent_default(); focus_within(&first); }>{s.go_to_first}</a>
            </p>
        })
    }
}
