//! Users as chips, one for each token of the value (`user_7; Author`). A single value is edited
//! by its chips' × buttons, its search box and the portal's picker; a list item shows its chips,
//! and the list adds through one search box for all (see `ItemList`).

use super::Slot;
use crate::settings::field_context::FieldCtx;
use crate::settings::people::chip::chips;
use crate::settings::people::search::search_box;
use leptos::prelude::*;

#[component]
pub fn UserInput(item: Slot) -> impl IntoView {
    let field = expect_context::<FieldCtx>();
    let Slot { id, text, labelled_by } = item;
    let multiple = field.multiple();
    // A single value's search box is its control, which the field's label points at; a list
    // item's control is its chips, focused by id when the item is added and named by its label.
    let (chips_id, search_id) = if multiple { (Some(id), None) } else { (None, Some(id)) };
    view! {
        <div class="rk-user">
            <span class="rk-chips" id=chips_id tabindex=multiple.then_some("-1") role=multiple.then_some("group") aria-labelledby=labelled_by>
                {move || chips(field, text)}
            </span>
            {search_id.map(|id| search_box(field, id))}
        </div>
    }
}
