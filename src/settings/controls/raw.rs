//! A type rulekit has no control for: its value as text, kept exactly as it came, with the type
//! named beside it.

use super::{Slot, TextInput};
use crate::settings::field_context::FieldCtx;
use leptos::prelude::*;

#[component]
pub fn RawInput(item: Slot, type_name: String) -> impl IntoView {
    let s = expect_context::<FieldCtx>().s();
    view! {
        <span class="rk-raw">
            <TextInput item=item/>
            <span class="rk-help">{format!("{} ({type_name})", s.raw_type)}</span>
        </span>
    }
}
