//! Whole and decimal numbers: a text box, because a number field may also hold an expression.

use super::{Slot, TextInput};
use leptos::prelude::*;

#[component]
pub fn NumberInput(item: Slot, decimal: bool) -> impl IntoView {
    let input_mode = if decimal { "decimal" } else { "numeric" };
    view! { <TextInput item=item input_mode=input_mode/> }
}
