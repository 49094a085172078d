//! The button that opens the portal's user picker: the secondary way to choose, beside the search.

use super::field_context::FieldCtx;
use super::users;
use crate::bx24;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Chosen users' names are remembered for their chips; their tokens replace a single value, or
/// are added to the field's list (each user once).
#[component]
pub fn UserChooser() -> impl IntoView {
    let field = expect_context::<FieldCtx>();
    let s = field.s();
    let multiple = field.multiple();
    let choose = move |_| {
        let title = field.name.get_value();
        spawn_local(async move {
            let Ok(picked) = bx24::select_users(&title, multiple).await else { return };
            users::remember(field.form, users::picked_people(&picked));
            // The field may be gone by the time the person has chosen.
            if field.items.put(picked.iter().filter_map(users::token).collect()) {
                field.commit();
            }
        });
    };
    view! {
        <button type="button" class="rk-btn rk-choose" on:click=choose>
            {if multiple { s.choose_users } else { s.choose_user }}
        </button>
    }
}
