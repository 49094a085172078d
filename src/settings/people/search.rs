//! A user field's search box: a combobox whose list offers the roles whose name matches and the
//! portal's people found by `user.search`. It asks only after a pause in the typing, and shows only
//! the latest question's answer. A pick goes into the field (a single value is replaced, a list
//! gains an item); Enter on text that matches nothing keeps the text as typed: an expression, or a
//! name that is then flagged as no user. Nothing typed is ever dropped.

use crate::bx24;
use crate::settings::field_context::FieldCtx;
use crate::settings::users::{self, Checked};
use leptos::prelude::*;
use leptos::task::spawn_local;
use rulekit_model::expression::has_expression;
use rulekit_model::lenient::list_like;
use rulekit_model::user::{self, UserToken};
use serde_json::json;
use std::time::Duration;

/// How long the typing must pause before the portal is asked.
const PAUSE: Duration = Duration::from_millis(250);

/// What the portal said to the latest search.
#[derive(Clone, PartialEq)]
enum Found {
    /// Nothing asked: no text, or an expression.
    Nothing,
    Waiting,
    People(Vec<(u64, String)>),
    Failed,
}

/// One entry of the list: the token it puts in, what it shows, and for a person their id (a role
/// has none).
#[derive(Clone, PartialEq)]
struct Choice {
    token: String,
    label: String,
    person: Option<u64>,
}

fn choices(roles: &[&'static str], query: &str, found: &Found) -> Vec<Choice> {
    let roles = user::matching_roles(roles, query).map(|i| Choice { token: user::ROLES[i].into(), label: roles[i].into(), person: None });
    let people = match found {
        Found::People(people) => people.as_slice(),
        _ => &[],
    };
    let people = people.iter().map(|(id, name)| {
        let token = UserToken::User(*id).to_string();
        Choice { label: if name.is_empty() { token.clone() } else { name.clone() }, token, person: Some(*id) }
    });
    roles.chain(people).collect()
}

#[component]
pub fn PersonSearch(id: String) -> impl IntoView {
    let field = expect_context::<FieldCtx>();
    let checked = expect_context::<Checked>();
    let s = field.s();
    let query = RwSignal::new(String::new());
    let found = RwSignal::new(Found::Nothing);
    let open = RwSignal::new(false);
    let moved_to = RwSignal::new(None::<usize>);
    // Counts the questions asked: an answer to any but the latest is dropped.
    let asked = StoredValue::new(0u32);
    let list = Memo::new(move |_| query.with(|q| found.with(|f| choices(&s.roles, q, f))));
    // The highlighted entry: the one moved to with the arrows, else the first once text is typed.
    let current = Memo::new(move |_| {
        let n = list.with(Vec::len);
        moved_to.get().filter(|i| *i < n).or_else(|| (n > 0 && query.with(|q| !q.trim().is_empty())).then_some(0))
    });
    let status = move || {
        found.with(|f| match f {
            Found::Waiting => s.searching,
            Found::Failed => s.search_failed,
            Found::People(p) if p.is_empty() => s.no_one_found,
            _ => "",
        })
    };
    let shown = move || open.get() && (!list.with(Vec::is_empty) || !status().is_empty());

    let search = move |text: String| {
        let ticket = asked.get_value() + 1;
        asked.set_value(ticket);
        let text = text.trim().to_string();
        if text.is_empty() || has_expression(&text) {
            return found.set(Found::Nothing);
        }
        found.set(Found::Waiting);
        spawn_local(async move {
            let latest = move || asked.try_get_value() == Some(ticket);
            bx24::sleep(PAUSE).await;
            if !latest() {
                return;
            }
            let answer = bx24::call_method("user.search", &json!({"FIND": text, "ACTIVE": true})).await;
            if latest() {
                found.set(answer.map_or(Found::Failed, |rows| Found::People(list_like(&rows).iter().filter_map(user::person).collect())));
            }
        });
    };
    // Into the field, and the box starts over; an answer still on its way is for an old question.
    let put = move |token: String| {
        asked.update_value(|a| *a += 1);
        query.set(String::new());
        found.set(Found::Nothing);
        moved_to.set(None);
        open.set(false);
        if field.items.put(vec![token]) {
            field.commit();
        }
    };
    let pick = move |i: usize| {
        let Some(choice) = list.with_untracked(|l| l.get(i).cloned()) else { return };
        if let Some(id) = choice.person {
            users::remember(field.form, [(id, choice.label)]);
        }
        put(choice.token);
    };
    // While the search is under way the text may still match someone: Enter waits for the list.
    let keep_typed = move || {
        let text = query.get_untracked().trim().to_string();
        if !text.is_empty() && found.get_untracked() != Found::Waiting {
            users::check(field.form, checked, users::user_ids(&text));
            put(text);
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let key = ev.key();
        let n = list.with_untracked(Vec::len);
        match key.as_str() {
            "ArrowDown" | "ArrowUp" => {
                ev.prevent_default();
                open.set(true);
                let down = key == "ArrowDown";
                let next = match current.get_untracked() {
                    Some(i) if down => i + 1,
                    Some(i) => i + n - 1,
                    None if down => 0,
                    None => n.saturating_sub(1),
                };
                moved_to.set((n > 0).then_some(next % n.max(1)));
            }
            "Enter" => {
                ev.prevent_default();
                match current.get_untracked().filter(|_| open.get_untracked()) {
                    Some(i) => pick(i),
                    None => keep_typed(),
                }
            }
            "Escape" if open.get_untracked() => {
                ev.prevent_default();
                open.set(false);
            }
            _ => {}
        }
    };

    let list_id = [id.as_str(), "-list"].concat();
    let option_id = {
        let list_id = list_id.clone();
        move |i: usize| [list_id.as_str(), "-", &i.to_string()].concat()
    };
    let options = {
        let option_id = option_id.clone();
        move || {
            list.get().into_iter().enumerate().map(|(i, choice)| {
                let selected = move || current.get() == Some(i);
                let role = choice.person.is_none().then_some(s.role);
                view! {
                    <li role="option" id=option_id(i) class="rk-option" class:rk-active=selected
                        aria-selected=move || selected().to_string() data-token=choice.token on:click=move |_| pick(i)>
                        <span>{choice.label}</span><small>{role}</small>
                    </li>
                }
            }).collect_view()
        }
    };
    view! {
        <div class="rk-search">
            <input type="text" class="rk-input" id=id role="combobox" aria-autocomplete="list" autocomplete="off"
                aria-controls=list_id.clone() aria-expanded=move || shown().to_string()
                aria-activedescendant=move || current.get().filter(|_| shown()).map(option_id.clone())
                placeholder=s.find_person aria-label=field.multiple().then_some(s.find_person)
                aria-describedby=field.described_by() aria-required=field.aria_required()
                aria-invalid=move || field.invalid.get().to_string()
                prop:value=move || query.get()
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    query.set(text.clone());
                    moved_to.set(None);
                    open.set(true);
                    search(text);
                }
                on:keydown=on_key on:focus=move |_| open.set(true) on:blur=move |_| open.set(false)/>
            // Pressing in the list keeps the focus in the box, so picking with the mouse does not close it first.
            <div class="rk-search-pop" hidden=move || !shown() on:mousedown=|ev| ev.prevent_default()>
                <ul role="listbox" id=list_id aria-label=s.find_person>{options}</ul>
                <p class="rk-help" role="status">{status}</p>
            </div>
        </div>
    }
}
