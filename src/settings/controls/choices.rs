//! A property whose choices come from the portal (the invoice's own company): a text box that
//! shows the chosen name, filters the list as one types, and takes arrows and Enter. Until the
//! list is there the box is a plain one, and it stays plain if the list cannot be loaded.

use super::{Slot, TextInput};
use crate::settings::choice_source::ChoiceState;
use crate::settings::field_context::FieldCtx;
use crate::settings::listbox::{list_key, option_id, ListKey};
use leptos::prelude::*;
use rulekit_model::choices::{matching, title_of, Choice, ChoiceSource};
use rulekit_model::expression::has_expression;

#[component]
pub fn ChoicePicker(item: Slot, source: ChoiceSource) -> impl IntoView {
    let field = expect_context::<FieldCtx>();
    let s = field.s();
    let state = field.form.choice_lists.get(source);
    move || match state.get() {
        ChoiceState::Ready(list) => view! { <ChoiceBox item=item.clone() list=list/> }.into_any(),
        other => {
            let note = if other == ChoiceState::Loading { s.loading_choices } else { s.choices_failed };
            view! {
                <span class="rk-choice" data-state=if other == ChoiceState::Loading { "loading" } else { "failed" }>
                    <TextInput item=item.clone() input_mode="numeric"/>
                    <span class="rk-help" role="status">{note}</span>
                </span>
            }
            .into_any()
        }
    }
}

/// What a typed text stands for once the box is left: a choice named exactly so, its key, or the
/// text itself (an id not listed, an expression), which is kept and checked like any value.
fn settle(list: &[Choice], typed: &str) -> String {
    let t = typed.trim();
    list.iter().find(|c| c.title.trim().eq_ignore_ascii_case(t) || c.key == t).map_or_else(|| t.to_string(), |c| c.key.clone())
}

#[component]
fn ChoiceBox(item: Slot, list: Vec<Choice>) -> impl IntoView {
    let field = expect_context::<FieldCtx>();
    let s = field.s();
    let Slot { id, text, labelled_by } = item;
    let list = StoredValue::new(list);
    let list_id = [id.as_str(), "-list"].concat();
    // What is typed while the box is being edited; `None` shows the chosen value's name.
    let query = RwSignal::new(None::<String>);
    let active = RwSignal::new(None::<usize>);
    let open = RwSignal::new(false);
    let shown = move || query.get().unwrap_or_else(|| text.with(|v| list.with_value(|l| title_of(l, v).map_or_else(|| v.clone(), str::to_string))));
    let matches = Memo::new(move |_| {
        let q = query.get().unwrap_or_default();
        list.with_value(|l| matching(l, &q).into_iter().cloned().collect::<Vec<_>>())
    });
    let close = move || {
        query.set(None);
        active.set(None);
        open.set(false);
    };
    let choose = move |key: String| {
        close();
        field.set(text, key);
    };
    let leave = move || match query.get_untracked() {
        Some(q) => choose(list.with_value(|l| settle(l, &q))),
        None => close(),
    };
    let unlisted = move || text.with(|v| !v.trim().is_empty() && !has_expression(v) && list.with_value(|l| title_of(l, v).is_none()));
    let options_id = list_id.clone();
    let descendant = move || active.get().map(|i| option_id(&options_id, i));
    let rows_id = list_id.clone();
    let rows = move || {
        matches.get().into_iter().enumerate().map(|(i, c)| {
            let key = c.key.clone();
            view! {
                <li role="option" id=option_id(&rows_id, i) class="rk-option" aria-selected=move || (active.get() == Some(i)).to_string()
                    on:mousedown=move |ev| { ev.prevent_default(); choose(key.clone()); }>
                    {c.title}<span class="rk-option-key">{["#", c.key.as_str()].concat()}</span>
                </li>
            }
        }).collect_view()
    };
    view! {
        <span class="rk-choice" data-state="ready">
            <input type="text" class="rk-input" id=id role="combobox" aria-autocomplete="list" aria-controls=list_id.clone()
                aria-expanded=move || open.get().to_string() aria-activedescendant=descendant
                aria-labelledby=labelled_by aria-describedby=field.described_by() aria-required=field.aria_required()
                aria-invalid=move || field.invalid.get().to_string()
                prop:value=shown
                on:input=move |ev| { query.set(Some(event_target_value(&ev))); active.set(None); open.set(true); }
                on:focus=move |_| open.set(true)
                on:keydown=move |ev| match list_key(&ev, active, matches.with_untracked(Vec::len)) {
                    ListKey::Pick(i) => if let Some(c) = matches.with_untracked(|m| m.get(i).cloned()) { choose(c.key) },
                    ListKey::Close => close(),
                    ListKey::Other => open.set(true),
                }
                on:blur=move |_| leave()/>
            <ul class="rk-options" role="listbox" id=list_id hidden=move || !open.get()>
                {rows}
                <li class="rk-help" hidden=move || !matches.with(Vec::is_empty)>{s.choices_empty}</li>
            </ul>
            <span class="rk-warn" hidden=move || !unlisted()>{s.not_in_list}</span>
        </span>
    }
}
