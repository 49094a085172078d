//! What a search found, before anything changes: the count, a breakdown by template and by
//! document type, the first rows; then how to stop them, confirmed by typing the count when there
//! are more than 100.

use super::words::bulk_words;
use crate::portal::now_ms;
use crate::people::name_of;
use crate::show;
use leptos::prelude::*;
use rulekit_model::planner::workflows::{preview, WorkflowQuery, WorkflowRow};
use rulekit_model::Lang;
use std::collections::BTreeMap;

/// Above this many workflows the administrator types the count to confirm.
const CONFIRM_ABOVE: usize = 100;

#[component]
pub fn Preview(lang: Lang, rows: Vec<WorkflowRow>, templates: BTreeMap<u64, String>, names: BTreeMap<u64, String>, on_stop: Callback<(bool, String)>) -> impl IntoView {
    let w = bulk_words(lang);
    let p = preview(&rows);
    let total = p.total;
    if total == 0 {
        return view! { <p class="rk-help" data-role="none-found">{w.none_found}</p> }.into_any();
    }
    let template_name = move |id: u64| templates.get(&id).cloned().unwrap_or_else(|| id.to_string());
    let stuck = WorkflowQuery { stuck: true, ..Default::default() };
    let now = now_ms();
    let kill = RwSignal::new(false);
    let status = RwSignal::new(w.default_status.to_string());
    let typed = RwSignal::new(String::new());
    let problem: RwSignal<Option<&'static str>> = RwSignal::new(None);
    let submit = move |_| {
        if !kill.get_untracked() && status.get_untracked().trim().is_empty() {
            return problem.set(Some(w.need_status));
        }
        if total > CONFIRM_ABOVE && typed.get_untracked().trim() != total.to_string() {
            return problem.set(Some(w.count_mismatch));
        }
        problem.set(None);
        on_stop.run((kill.get_untracked(), status.get_untracked().trim().to_string()));
    };
    let breakdown = |items: Vec<(String, usize)>| {
        items.into_iter().map(|(name, n)| view! { <li>{name}": "<strong>{n}</strong></li> }).collect_view()
    };
    view! {
        <div class="rk-preview" data-role="preview">
            <h3>{w.found}": "<span data-role="count">{total}</span></h3>
            <p class="rk-help">{w.frozen}</p>
            <div class="rk-grid">
                <div><h3>{w.by_template}</h3><ul data-role="by-template">{breakdown(p.by_template.iter().map(|(id, n)| (template_name(*id), *n)).collect())}</ul></div>
                <div><h3>{w.by_document_type}</h3><ul data-role="by-entity">{breakdown(p.by_entity.iter().map(|(e, n)| (w.entity(e), *n)).collect())}</ul></div>
            </div>
            <h3>{w.sample}</h3>
            <table class="rk-table" data-role="sample">
                <thead><tr><th>{w.col_started}</th><th>{w.col_document}</th><th>{w.col_template}</th><th>{w.col_started_by}</th><th>{w.col_stuck}</th></tr></thead>
                <tbody>
                    {p.sample.iter().map(|r| view! {
                        <tr>
                            <td>{show::date_time(lang, &r.started)}</td>
                            <td>{show::document(lang, &r.document_id)}</td>
                            <td>{template_name(r.template_id)}</td>
                            <td>{name_of(&names, r.started_by, w.system)}</td>
                            <td>{if stuck.matches(r, now) { w.yes } else { "" }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <fieldset class="rk-how">
                <legend>{w.how}</legend>
                <label><input type="radio" name="rk-how" data-role="terminate" prop:checked=move || !kill.get() on:change=move |_| kill.set(false)/>
                    " "<strong>{w.terminate}</strong>": "{w.terminate_hint}</label>
                <label class="rk-label">{w.status_text}
                    <input class="rk-input" data-role="status" prop:value=move || status.get() disabled=move || kill.get()
                        on:input=move |ev| status.set(event_target_value(&ev))/>
                </label>
                <label><input type="radio" name="rk-how" data-role="kill" prop:checked=move || kill.get() on:change=move |_| kill.set(true)/>
                    " "<strong>{w.kill}</strong>": "{w.kill_warning}</label>
            </fieldset>
            {(total > CONFIRM_ABOVE).then(|| view! {
                <label class="rk-label">{w.type_count}
                    <input class="rk-input" inputmode="numeric" data-role="confirm-count" prop:value=move || typed.get()
                        on:input=move |ev| typed.set(event_target_value(&ev))/>
                </label>
            })}
            {move || problem.get().map(|p| view! { <p class="rk-banner rk-error" role="alert">{p}</p> })}
            <p><button type="button" data-role="stop" class=move || if kill.get() { "rk-btn rk-danger-btn" } else { "rk-btn rk-primary" }
                on:click=submit>{w.stop}" ("{total}")"</button></p>
        </div>
    }
    .into_any()
}
