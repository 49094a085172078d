//! A property whose choices come from the portal (the invoice's own company): a text box that
//! shows the chosen name and suggests the names as one types (the browser's own list, with its
//! arrow keys and Enter). The box is there from the start, so the focus stays in it while the
//! list loads; without the list it is a plain box for the id. It is drawn by hand (see `dom`).

use super::Slot;
use crate::settings::choice_source::ChoiceState;
use crate::dom::{add, add_text, listen, make, set_value, value, watch, write};
use crate::settings::field_context::FieldCtx;
use crate::reactive::*;
use rulekit_model::choices::{title_of, Choice, ChoiceSource};
use rulekit_model::expression::has_expression;
use web_sys::Element;

/// What a typed text stands for: the key of a choice named exactly so (or of that key), else the
/// text itself (an id not listed, an expression), which is kept and checked like any value.
fn settle(list: &[Choice], typed: &str) -> String {
    let t = typed.trim();
    list.iter().find(|c| c.title.trim().eq_ignore_ascii_case(t) || c.key == t).map_or_else(|| typed.to_string(), |c| c.key.clone())
}

/// The picker for `item`, drawn by hand (see `dom`): its value, state and list are written in
/// place as they change.
pub fn choice_picker(field: FieldCtx, item: Slot, source: ChoiceSource) -> Element {
    let s = field.s();
    let state = field.form.choice_lists.get(source);
    let Slot { id, text, labelled_by } = item;
    let list_id = [id.as_str(), "-list"].concat();
    let described_by = field.described_by();
    let wrap = make("span", &[("class", "rk-choice")]);
    let input = add(&wrap, "input", &[("type", "text"), ("class", "rk-input"), ("id", &id), ("list", &list_id), ("autocomplete", "off"), ("aria-describedby", &described_by)]);
    let list = add(&wrap, "datalist", &[("id", &list_id)]);
    let note = add(&wrap, "span", &[("class", "rk-help"), ("role", "status")]);
    for (name, value) in [("aria-labelledby", labelled_by.as_deref()), ("aria-required", field.aria_required())] {
        if let Some(value) = value {
            let _ = input.set_attribute(name, value);
        }
    }
    let (shown_in, list_in, note_in) = (input.clone(), list.clone(), note.clone());
    watch(move || {
        state.with(|st| {
            let ready = if let ChoiceState::Ready(l) = st { Some(l.as_slice()) } else { None };
            // The value's name while the list is there; the value itself otherwise.
            let shown = text.with(|v| ready.and_then(|l| title_of(l, v)).unwrap_or(v).to_string());
            set_value(&shown_in, &shown);
            let _ = shown_in.set_attribute("aria-invalid", if field.invalid.get() { "true" } else { "false" });
            // While loading, why the list is missing (the portal's own words), or that the value is
            // not one of the choices.
            let why = match st {
                ChoiceState::Loading => s.loading_choices.to_string(),
                ChoiceState::Failed(why) => [s.choices_failed, " (", why, ")"].concat(),
                ChoiceState::Ready(l) => {
                    let unlisted = text.with(|v| !v.trim().is_empty() && !has_expression(v) && title_of(l, v).is_none());
                    if unlisted { s.not_in_list } else { "" }.to_string()
                }
            };
            write(&note_in, &why);
            // The suggestions, once: each a name, with its id beside it.
            if let Some(choices) = ready.filter(|_| list_in.child_element_count() == 0) {
                for c in choices {
                    add_text(&list_in, "option", &[("value", &c.title)], &["#", c.key.as_str()].concat());
                }
            }
        })
    });
    let typed_in = input.clone();
    listen(&[&input], &["change", "blur"], move |ev| {
        if ev.type_() == "blur" {
            return field.commit();
        }
        let typed = value(&typed_in);
        let value = state.with(|st| if let ChoiceState::Ready(l) = st { settle(l, &typed) } else { typed });
        field.set(text, value);
    });
    wrap
}
