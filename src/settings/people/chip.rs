//! The tokens of a user value as chips: a person by name, a role in the reader's language, an
//! expression by its label (styled apart), or, flagged, an entry that matches no user. The token
//! itself stays in the chip's title and in text for screen readers.
//!
//! The chips are drawn again whenever the value, a name or the portal's check changes; each chip
//! has one fixed shape, so drawing again only changes the texts and classes that differ in the
//! page (and the note a screen reader says stays the same element).

use crate::settings::dom::focus;
use crate::settings::field_context::FieldCtx;
use leptos::prelude::*;
use rulekit_model::user::{self, Chip};

/// The chips of one value. A single value's chips each have a × that takes their token out; a list
/// item's are removed with their row.
pub fn chips(field: FieldCtx, text: RwSignal<String>) -> impl IntoView {
    let s = field.s();
    let removable = !field.multiple();
    let chips = text.with(|t| user::split(t).map(str::to_string).collect::<Vec<_>>()).into_iter().enumerate().map(|(i, token)| {
        let chip = field.form.catalog.with_value(|c| user::chip(&token, c));
        let (label, flagged) = match &chip {
            // An empty name: the portal has no such user (see `users`).
            Chip::User(id) => match field.form.user_names.with(|n| n.get(id).cloned()) {
                Some(name) if !name.is_empty() => (name, false),
                unmatched => (token.clone(), unmatched.is_some()),
            },
            Chip::Role(r) => (s.roles[*r].to_string(), false),
            Chip::Expression(label) | Chip::Shown(label) => (label.clone(), false),
            Chip::NotAUser => (token.clone(), true),
        };
        let class = match (&chip, flagged) {
            (_, true) => "rk-chip rk-chip-warn",
            (Chip::Role(_), _) => "rk-chip rk-chip-role",
            (Chip::Expression(_), _) => "rk-chip rk-chip-expr",
            _ => "rk-chip",
        };
        // Said after the name: the token itself, where the chip shows something else.
        let spoken = if label == token { String::new() } else { [" (", token.as_str(), ")"].concat() };
        let remove_label = [s.remove_item, " ", label.as_str()].concat();
        view! {
            <span class=class title=token>
                <span class="rk-chip-text">{label}</span>
                <span class="rk-sr">{spoken}</span>
                <span class="rk-chip-note" role="status">{if flagged { s.matches_no_user } else { "" }}</span>
                <button type="button" class="rk-chip-x" hidden=!removable title=s.remove_item aria-label=remove_label
                    on:click=move |_| remove_token(field, text, i)>"×"</button>
            </span>
        }
    });
    chips.collect_view()
}

/// Takes the `index`th token out of a single value. The × pressed is gone with it, so the focus
/// goes on to the search box.
fn remove_token(field: FieldCtx, text: RwSignal<String>, index: usize) {
    let rest = text.with_untracked(|t| user::split(t).enumerate().filter(|(i, _)| *i != index).map(|(_, t)| t).collect::<Vec<_>>().join("; "));
    field.set(text, rest);
    let search = field.ids.with_value(|i| i.base.clone());
    request_animation_frame(move || focus(&search));
}
