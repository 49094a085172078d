//! Users as chips, one for each token of the value (`user_7; Author`). A single value is edited
//! by its chips' × buttons, its search box and the portal's picker; a list item shows its chips,
//! and the list adds through one search box for all (see `ItemList`). Both are drawn by hand (see
//! `people`).

use super::Slot;
use crate::settings::dom::adopt;
use crate::settings::field_context::FieldCtx;
use crate::settings::people::chip::chips;
use crate::settings::people::search::search_box;
use leptos::prelude::*;

#[component]
pub fn UserInput(item: Slot) -> impl IntoView {
    let field = expect_context::<FieldCtx>();
    let Slot { id, text, labelled_by } = item;
    // A single value's search box is its control, which the field's label points at; a list item's
    // control is its chips, focused by id when the item is added and named by its label.
    let parts = if field.multiple() {
        let labelled_by = labelled_by.unwrap_or_default();
        chips(field, text, &[("class", "rk-chips"), ("id", &id), ("tabindex", "-1"), ("role", "group"), ("aria-labelledby", &labelled_by)]).into_iter().collect()
    } else {
        chips(field, text, &[("class", "rk-chips")]).into_iter().chain(search_box(field, id)).collect::<Vec<_>>()
    };
    view! { <div class="rk-user" use:adopt=parts></div> }
}
