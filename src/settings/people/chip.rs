//! The tokens of a user value as chips: a person by name, a role in the reader's language, an
//! expression by its label (styled apart), or, flagged, an entry that matches no user. The token
//! itself stays in the chip's title and in text for screen readers.
//!
//! The chips are drawn by hand (see `dom`) whenever the value, a name or the portal's check
//! changes. Each chip has one fixed shape and is drawn again in place: only the texts and classes
//! that differ are written, so the note a screen reader says stays the same element and speaks only
//! when it changes.

use crate::dom::{add, add_text, closest, focus, listen, make, watch, write};
use crate::settings::field_context::FieldCtx;
use crate::reactive::*;
use rulekit_model::user::{self, Chip};
use web_sys::Element;

/// What one chip shows: its class, its label, what a screen reader says after the label, and
/// whether it is flagged as no user.
fn shown(field: FieldCtx, token: &str) -> (&'static str, String, String, bool) {
    let chip = field.form.catalog.with_value(|c| user::chip(token, c));
    let (label, flagged) = match &chip {
        // An empty name: the portal has no such user (see `users`).
        Chip::User(id) => match field.form.user_names.with(|n| n.get(id).cloned()) {
            Some(name) if !name.is_empty() => (name, false),
            unmatched => (token.to_string(), unmatched.is_some()),
        },
        Chip::Role(r) => (field.s().roles[*r].to_string(), false),
        Chip::Expression(label) | Chip::Shown(label) => (label.clone(), false),
        Chip::NotAUser => (token.to_string(), true),
    };
    let class = match (&chip, flagged) {
        (_, true) => "rk-chip rk-chip-warn",
        (Chip::Role(_), _) => "rk-chip rk-chip-role",
        (Chip::Expression(_), _) => "rk-chip rk-chip-expr",
        _ => "rk-chip",
    };
    // Said after the name: the token itself, where the chip shows something else.
    let spoken = if label == token { String::new() } else { [" (", token, ")"].concat() };
    (class, label, spoken, flagged)
}

/// Draws the chips of `text` in `list`, reusing the chips already there.
fn draw(field: FieldCtx, list: &Element, text: RwSignal<String>) {
    let s = field.s();
    let tokens = text.with(|t| user::split(t).map(str::to_string).collect::<Vec<_>>());
    while list.child_element_count() as usize > tokens.len() {
        if let Some(last) = list.last_element_child() {
            last.remove();
        }
    }
    // A single value's chips each have a × that takes their token out; a list item's are removed
    // with their row.
    let multiple = field.multiple();
    for _ in list.child_element_count() as usize..tokens.len() {
        let chip = add(list, "span", &[]);
        add(&chip, "span", &[("class", "rk-chip-text")]);
        add(&chip, "span", &[("class", "rk-sr")]);
        add(&chip, "span", &[("class", "rk-chip-note"), ("role", "status")]);
        let x = add_text(&chip, "button", &[("type", "button"), ("class", "rk-chip-x"), ("title", s.remove_item)], "×");
        let _ = x.toggle_attribute_with_force("hidden", multiple);
    }
    let children = list.children();
    for (i, token) in tokens.iter().enumerate() {
        let Some(chip) = children.item(i as u32) else { return };
        let (class, label, spoken, flagged) = shown(field, token);
        chip.set_class_name(class);
        let _ = chip.set_attribute("title", token);
        let parts = chip.children();
        let texts = [label.as_str(), spoken.as_str(), if flagged { s.matches_no_user } else { "" }];
        for (i, text) in texts.into_iter().enumerate() {
            if let Some(part) = parts.item(i as u32) {
                write(&part, text);
            }
        }
        if let Some(x) = parts.item(3) {
            let _ = x.set_attribute("aria-label", &[s.remove_item, " ", label.as_str()].concat());
        }
    }
}

/// The chips of one value, in an element of their own (`attrs`), drawn again as they change.
pub fn chips(field: FieldCtx, text: RwSignal<String>, attrs: &[(&str, &str)]) -> Element {
    let list = make("span", attrs);
    let drawn = list.clone();
    // Runs first at once, so the chips are there when the field is; then on every change.
    watch(move || draw(field, &drawn, text));
    let on = list.clone();
    listen(&[&list], &["click"], move |ev| {
        let Some(chip) = closest(&ev, ".rk-chip-x").and_then(|x| x.parent_element()) else { return };
        let children = on.children();
        if let Some(i) = (0..children.length()).find(|i| children.item(*i).as_ref() == Some(&chip)) {
            remove_token(field, text, i as usize);
        }
    });
    list
}

/// Takes the `index`th token out of a single value. The × pressed is gone with it, so the focus
/// goes on to the search box.
fn remove_token(field: FieldCtx, text: RwSignal<String>, index: usize) {
    let rest = text.with_untracked(|t| user::split(t).enumerate().filter(|(i, _)| *i != index).map(|(_, t)| t).collect::<Vec<_>>().join("; "));
    field.set(text, rest);
    let search = field.ids.with_value(|i| i.base.clone());
    request_animation_frame(move || focus(&search));
}
