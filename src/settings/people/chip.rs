//! One token of a user value as a chip: a person by name, a role in the reader's language, an
//! expression by its label (styled apart), or, flagged, an entry that matches no user. The token
//! itself stays in the chip's title and in text for screen readers.

use crate::settings::field_context::FieldCtx;
use crate::settings::users::Checked;
use leptos::prelude::*;
use rulekit_model::user::{self, Chip};

#[component]
pub fn UserChip(token: String, on_remove: Option<Callback<()>>) -> impl IntoView {
    let field = expect_context::<FieldCtx>();
    let checked = expect_context::<Checked>();
    let (s, form) = (field.s(), field.form);
    let chip = form.catalog.with_value(|c| user::chip(&token, c));
    let (role, expression) = (matches!(chip, Chip::Role(_)), matches!(chip, Chip::Expression(_)));
    // What the chip says, and whether it warns; a person's name and the portal's check come late.
    let shown = {
        let token = token.clone();
        Memo::new(move |_| match &chip {
            Chip::User(id) => match form.user_names.with(|n| n.get(id).cloned()) {
                Some(name) => (name, false),
                None => (token.clone(), checked.unmatched.with(|u| u.contains(id))),
            },
            Chip::Role(i) => (s.roles[*i].to_string(), false),
            Chip::Expression(label) | Chip::Shown(label) => (label.clone(), false),
            Chip::NotAUser => (token.clone(), true),
        })
    };
    let label = move || shown.with(|(l, _)| l.clone());
    let warn = move || shown.with(|(_, w)| *w);
    let spoken_token = {
        let token = token.clone();
        move || shown.with(|(l, _)| *l != token).then(|| [" (", token.as_str(), ")"].concat())
    };
    let remove = on_remove.map(|remove| {
        view! {
            <button type="button" class="rk-chip-x" title=s.remove_item aria-label=move || [s.remove_item, " ", &label()].concat()
                on:click=move |_| remove.run(())>"×"</button>
        }
    });
    view! {
        <span class="rk-chip" class:rk-chip-role=role class:rk-chip-expr=expression class:rk-chip-warn=warn
            title=token.clone() data-token=token>
            <span class="rk-chip-text">{label}</span>
            <span class="rk-sr">{spoken_token}</span>
            <span class="rk-chip-note" role="status">{move || warn().then_some(s.matches_no_user)}</span>
            {remove}
        </span>
    }
}
