//! Section 3: running workflows found by start date (and template, document type, starter,
//! "stuck"), previewed, then stopped in bulk as a job that survives a reload (seed scenario 4).

mod preview;
mod words;

use crate::job_run::{section_owner, Running};
use crate::job_view::JobView;
use crate::portal::{list_all, now_ms};
use crate::people;
use crate::store::{self, Scope};
use leptos::prelude::*;
use leptos::task::spawn_local;
use rulekit_model::planner::workflows::{stop_items, WorkflowQuery, WorkflowRow, SAMPLE};
use rulekit_model::planner::{Job, Listing};
use rulekit_model::Lang;
use serde_json::json;
use std::collections::BTreeMap;
use words::bulk_words;

/// Where the running job is kept in the browser.
const JOB_KEY: &str = "bulk-job";

#[derive(Clone, Debug, PartialEq)]
enum Found {
    None,
    Finding,
    Failed(String),
    /// What matched, and the names of who started the first of them.
    Rows(Vec<WorkflowRow>, BTreeMap<u64, String>),
}

fn non_empty(s: String) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

#[component]
pub fn Bulk(lang: Lang) -> impl IntoView {
    let w = bulk_words(lang);
    let owner = StoredValue::new_local(section_owner());
    let scope: RwSignal<Option<Scope>> = RwSignal::new(None);
    let running: RwSignal<Option<Running>> = RwSignal::new(None);
    let resumed = RwSignal::new(false);
    let templates: RwSignal<BTreeMap<u64, String>> = RwSignal::new(BTreeMap::new());
    let (after, before, template, entity, started_by) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let stuck = RwSignal::new(false);
    let found = RwSignal::new(Found::None);

    spawn_local(async move {
        let me = store::current().await;
        if let Some(r) = owner.with_value(|o| Running::restore(o, me.clone(), JOB_KEY)) {
            resumed.set(true);
            running.set(Some(r));
        }
        scope.set(me);
        let listing = Listing::new("bizproc.workflow.template.list", json!({"select": ["ID", "NAME", "ENTITY"]}));
        if let Ok(rows) = list_all(listing).await {
            let name = |r: &serde_json::Value| r["NAME"].as_str().unwrap_or_default().to_string();
            templates.set(rows.iter().filter_map(|r| Some((rulekit_model::lenient::uint(&r["ID"])?, name(r)))).collect());
        }
    });

    let query = move || WorkflowQuery {
        started_after: non_empty(after.get_untracked()),
        started_before: non_empty(before.get_untracked()),
        template_id: template.get_untracked().parse().ok(),
        entity: non_empty(entity.get_untracked()),
        started_by: started_by.get_untracked().trim().parse().ok(),
        stuck: stuck.get_untracked(),
    };
    let find = move |_| {
        let q = query();
        found.set(Found::Finding);
        spawn_local(async move {
            let now = now_ms();
            match list_all(q.listing(now)).await {
                Ok(rows) => {
                    // The portal may ignore a filter (spec §7, question 5): what is shown is what matches here.
                    let rows: Vec<WorkflowRow> = rows.iter().filter_map(WorkflowRow::from_json).filter(|r| q.matches(r, now)).collect();
                    let names = people::names(rows.iter().take(SAMPLE).map(|r| r.started_by)).await;
                    found.set(Found::Rows(rows, names));
                }
                Err(e) => found.set(Found::Failed(format!("{}: {}", e.code, e.description))),
            }
        });
    };
    let stop = Callback::new(move |(kill, status): (bool, String)| {
        let Found::Rows(rows, _) = found.get_untracked() else { return };
        let title = if kill { "kill" } else { "terminate" };
        let job = Job::new(title, stop_items(&rows, kill, &status), now_ms());
        running.set(Some(owner.with_value(|o| Running::start(o, job, scope.get_untracked(), JOB_KEY))));
        resumed.set(false);
    });
    let new_search = move |_| {
        if let Some(r) = running.get_untracked() {
            r.forget();
        }
        running.set(None);
        found.set(Found::None);
    };
    let pick_user = move |_| {
        spawn_local(async move {
            if let Ok(users) = bx24::select_users(w.pick_user, false).await {
                if let Some(u) = users.first() {
                    started_by.set(u.id.clone());
                }
            }
        })
    };
    let input = move |label: &'static str, kind: &'static str, role: &'static str, value: RwSignal<String>| {
        view! {
            <label class="rk-label">{label}
                <input class="rk-input" type=kind data-role=role prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
            </label>
        }
    };
    let form = move || {
        view! {
            <div class="rk-grid">
                {input(w.started_after, "date", "after", after)}
                {input(w.started_before, "date", "before", before)}
                <label class="rk-label">{w.template}
                    <select class="rk-input rk-select" data-role="template" on:change=move |ev| template.set(event_target_value(&ev))>
                        <option value="">{w.any}</option>
                        {move || templates.get().into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}" ("{id}")"</option> }).collect_view()}
                    </select>
                </label>
                <label class="rk-label">{w.document_type}
                    <select class="rk-input rk-select" data-role="entity" on:change=move |ev| entity.set(event_target_value(&ev))>
                        <option value="">{w.any}</option>
                        {w.entities.iter().map(|(class, name)| view! { <option value=*class>{*name}</option> }).collect_view()}
                    </select>
                </label>
                <label class="rk-label">{w.started_by}
                    <input class="rk-input" type="number" min="0" data-role="started-by" placeholder=w.started_by_hint
                        prop:value=move || started_by.get() on:input=move |ev| started_by.set(event_target_value(&ev))/>
                </label>
                <p><button type="button" class="rk-btn" on:click=pick_user>{w.pick_user}</button></p>
            </div>
            <p><label><input type="checkbox" data-role="stuck" prop:checked=move || stuck.get() on:change=move |ev| stuck.set(event_target_checked(&ev))/>" "{w.stuck}</label></p>
            <p><button type="button" class="rk-btn rk-primary" data-role="find" disabled=move || found.get() == Found::Finding on:click=find>{w.find}</button></p>
        }
    };
    view! {
        <div class="rk-bulk" data-section="bulk">
            <h2>{w.heading}</h2>
            <p class="rk-help">{w.intro}</p>
            {move || match running.get() {
                Some(r) => view! {
                    <Show when=move || resumed.get()><p class="rk-banner" role="status" data-role="resumed">{w.resumed}</p></Show>
                    <JobView lang=lang runner=r.runner kept=r.kept file_name="rulekit-stopped-workflows.csv"
                        on_pause=Callback::new(move |_| r.pause()) on_resume=Callback::new(move |_| r.resume()) on_cancel=Callback::new(move |_| r.cancel())/>
                    <Show when=move || r.finished()>
                        <p><button type="button" class="rk-btn" data-role="new-search" on:click=new_search>{w.new_search}</button></p>
                    </Show>
                }.into_any(),
                None => view! {
                    {form()}
                    {move || match found.get() {
                        Found::None => ().into_any(),
                        Found::Finding => view! { <p class="rk-loading" role="status">{w.finding}</p> }.into_any(),
                        Found::Failed(e) => view! { <p class="rk-banner rk-error" role="alert">{w.list_failed}" "{e}</p> }.into_any(),
                        Found::Rows(rows, names) => view! { <preview::Preview lang=lang rows=rows templates=templates.get_untracked() names=names on_stop=stop/> }.into_any(),
                    }}
                }.into_any(),
            }}
        </div>
    }
}
