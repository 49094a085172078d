//! Values a switch or a list cannot show (an expression) are shown as text with a way back.
//! The mode holds while the user edits the text, even through a half-typed expression, so the
//! control never changes under their hands; only the × button ends it.

use super::{Slot, TextInput};
use crate::settings::field_context::FieldCtx;
use leptos::prelude::*;
use rulekit_model::expression::has_expression;

/// `control` while the value is one it can show; the text box from the first expression on.
pub fn or_expression(item: Slot, control: impl Fn(Slot) -> AnyView + Send + Sync + 'static) -> AnyView {
    let text = item.text;
    let mode = RwSignal::new(text.with_untracked(|t| has_expression(t)));
    Effect::new(move |_| {
        if text.with(|t| has_expression(t)) {
            mode.set(true);
        }
    });
    (move || if mode.get() { view! { <ExpressionBox item=item.clone() mode=mode/> }.into_any() } else { control(item.clone()) })
        .into_any()
}

#[component]
fn ExpressionBox(item: Slot, mode: RwSignal<bool>) -> impl IntoView {
    let field = expect_context::<FieldCtx>();
    let s = field.s();
    let text = item.text;
    view! {
        <span class="rk-expr">
            <TextInput item=item/>
            <button type="button" class="rk-icon" title=s.clear_expression aria-label=s.clear_expression
                on:click=move |_| { mode.set(false); field.set(text, String::new()); }>"×"</button>
        </span>
    }
}
