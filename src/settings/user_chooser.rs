//! The button that opens the portal's user picker, for a user field or one list of them.

use super::field_context::FieldCtx;
use super::users;
use crate::bx24;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Chosen users' names are remembered for display; their tokens replace the single value `text`,
/// or, without it, are added to the field's list (each user once).
#[component]
pub fn UserChooser(#[prop(optional)] text: Option<RwSignal<String>>) -> impl IntoView {
    let field = expect_context::<FieldCtx>();
    let s = field.s();
    let multiple = text.is_none();
    let choose = move |_| {
        let title = field.name.get_value();
        spawn_local(async move {
            let Ok(picked) = bx24::select_users(&title, multiple).await else { return };
            users::remember(field.form, &picked);
            let mut tokens = picked.iter().filter_map(users::token);
            // The field may be gone by the time the person has chosen.
            let applied = match text {
                Some(text) => tokens.next().is_some_and(|t| text.try_set(t).is_none()),
                None => field.items.add_missing(tokens),
            };
            if applied {
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
