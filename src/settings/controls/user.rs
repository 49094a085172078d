//! Users as chips, one for each token of the value (`user_7; Author`). A single value is edited
//! by its chips' × buttons, its search box and the portal's picker; a list item shows its chips,
//! and the list adds through one search box for all (see `ItemList`).

use super::Slot;
use crate::settings::dom::focus;
use crate::settings::field_context::FieldCtx;
use crate::settings::people::chip::UserChip;
use crate::settings::people::search::PersonSearch;
use crate::settings::user_chooser::UserChooser;
use leptos::prelude::*;
use rulekit_model::user;

#[component]
pub fn UserInput(item: Slot) -> impl IntoView {
    let field = expect_context::<FieldCtx>();
    let Slot { id, text, labelled_by } = item;
    let single = !field.multiple();
    let chips = move || {
        let tokens: Vec<String> = text.with(|t| user::split(t).map(str::to_string).collect());
        tokens.into_iter().enumerate().map(|(i, token)| {
            let on_remove = single.then(|| Callback::new(move |_| remove_token(field, text, i)));
            view! { <UserChip token=token on_remove=on_remove/> }
        }).collect_view()
    };
    if single {
        // The search box is the value's control: the field's label and errors point at it.
        view! { <div class="rk-user"><span class="rk-chips">{chips}</span><PersonSearch id=id/><UserChooser/></div> }.into_any()
    } else {
        // A list item's control: focused by its id when the item is added, named by its label.
        view! { <span class="rk-chips" id=id tabindex="-1" role="group" aria-labelledby=labelled_by>{chips}</span> }.into_any()
    }
}

/// Takes the `index`th token out of a single value. The × pressed is gone with it, so the focus
/// goes on to the search box.
fn remove_token(field: FieldCtx, text: RwSignal<String>, index: usize) {
    let rest = text.with_untracked(|t| user::split(t).enumerate().filter(|(i, _)| *i != index).map(|(_, t)| t).collect::<Vec<_>>().join("; "));
    field.set(text, rest);
    let search = field.ids.with_value(|i| i.base.clone());
    request_animation_frame(move || focus(&search));
}
