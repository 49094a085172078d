//! Finding the person who left: by name among people who have left (`user.get`, `ACTIVE: false`),
//! or among everyone, or picked in the portal's own dialog.

use super::words::departed_words;
use crate::portal::list_all;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rulekit_model::planner::Listing;
use rulekit_model::Lang;
use serde_json::{json, Value};

#[derive(Clone, Debug, PartialEq)]
pub struct Person {
    pub id: u64,
    pub name: String,
    pub active: bool,
}

fn person(v: &Value) -> Option<Person> {
    let (id, name) = rulekit_model::user::person(v)?;
    let active = !matches!(&v["ACTIVE"], Value::Bool(false)) && v["ACTIVE"].as_str() != Some("N");
    Some(Person { id, name, active })
}

/// People whose name holds `term` (any case), among those who left or among everyone. The people
/// who left are few, so they are read whole and matched here; everyone is searched by the portal.
async fn find(term: String, only_departed: bool) -> Result<Vec<Person>, String> {
    let listing = if only_departed {
        Listing::new("user.get", json!({"FILTER": {"ACTIVE": false}, "ADMIN_MODE": true}))
    } else {
        Listing::new("user.search", json!({"FIND": term, "ADMIN_MODE": true}))
    };
    let rows = list_all(listing).await.map_err(|e| format!("{}: {}", e.code, e.description))?;
    let needle = term.trim().to_lowercase();
    Ok(rows.iter().filter_map(person).filter(|p| needle.is_empty() || p.name.to_lowercase().contains(&needle)).collect())
}

#[component]
pub fn FindPerson(lang: Lang, on_pick: Callback<Person>) -> impl IntoView {
    let w = departed_words(lang);
    let term = RwSignal::new(String::new());
    let only_departed = RwSignal::new(true);
    let found: RwSignal<Option<Result<Vec<Person>, String>>> = RwSignal::new(None);
    let search = move || {
        spawn_local(async move { found.set(Some(find(term.get_untracked(), only_departed.get_untracked()).await)) });
    };
    let pick = move |_| {
        spawn_local(async move {
            if let Ok(users) = bx24::select_users(w.pick, false).await {
                if let Some(u) = users.first() {
                    on_pick.run(Person { id: u.id.parse().unwrap_or(0), name: u.name.clone(), active: true });
                }
            }
        })
    };
    // The people who left are listed as soon as the section opens.
    search();
    view! {
        <div class="rk-grid">
            <label class="rk-label">{w.name}
                <input class="rk-input" data-role="person-name" prop:value=move || term.get()
                    on:input=move |ev| term.set(event_target_value(&ev))
                    on:keydown=move |ev| if ev.key() == "Enter" { search() }/>
            </label>
            <p><label><input type="checkbox" data-role="only-departed" prop:checked=move || only_departed.get()
                on:change=move |ev| only_departed.set(event_target_checked(&ev))/>" "{w.only_departed}</label></p>
            <p class="rk-buttons">
                <button type="button" class="rk-btn rk-primary" data-role="find-person" on:click=move |_| search()>{w.search}</button>
                <button type="button" class="rk-btn" on:click=pick>{w.pick}</button>
            </p>
        </div>
        {move || found.get().map(|f| match f {
            Err(e) => view! { <p class="rk-banner rk-error" role="alert">{e}</p> }.into_any(),
            Ok(people) if people.is_empty() => view! { <p class="rk-help">{w.no_people}</p> }.into_any(),
            Ok(people) => view! {
                <ul class="rk-people" data-role="people">
                    {people.into_iter().map(|p| {
                        let chosen = p.clone();
                        view! {
                            <li data-user=p.id.to_string()>{p.name.clone()}{(!p.active).then(|| format!(" ({})", w.departed))}" "
                                <button type="button" class="rk-btn" data-role="choose-person" on:click=move |_| on_pick.run(chosen.clone())>{w.choose}</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any(),
        })}
    }
}
