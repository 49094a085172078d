//! Users as `user_<ID>` values, with their names beside them. A single value has its own
//! chooser; a list has one for the whole list (see `ItemList`).

use super::{Slot, TextInput};
use crate::settings::field_context::FieldCtx;
use crate::settings::user_chooser::UserChooser;
use crate::settings::users;
use leptos::prelude::*;

#[component]
pub fn UserInput(item: Slot) -> impl IntoView {
    let field = expect_context::<FieldCtx>();
    let text = item.text;
    let names = move || text.with(|t| users::names_in(field.form, t));
    let choose = (!field.multiple()).then(|| view! { <UserChooser text=text/> });
    view! {
        <span class="rk-user">
            <TextInput item=item/>
            <span class="rk-user-name">{names}</span>
            {choose}
        </span>
    }
}
