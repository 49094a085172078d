//! Section 2: a departed employee's workflows (seed scenario 3). Find the person, list every open
//! task of theirs grouped by workflow, choose per workflow (or for all) to delegate, terminate or
//! kill, review exactly what will be done, then run it as a job with a report. Delegations the
//! portal refuses are shown, with an offer to stop those workflows instead.

mod person;
mod table;
mod words;

use crate::job_run::{section_owner, Running};
use crate::job_view::JobView;
use crate::portal::{list_all, now_ms};
use crate::people;
use crate::store::{self, Scope};
use leptos::prelude::*;
use leptos::task::spawn_local;
use person::{FindPerson, Person};
use rulekit_model::planner::departed::{departed_items, group, task_listing, Fate, TaskRow, WorkflowTasks};
use rulekit_model::planner::workflows::stop_item;
use rulekit_model::planner::{Job, Outcome};
use rulekit_model::Lang;
use std::collections::BTreeMap;
use table::{Choice, Tasks};
use words::departed_words;

const JOB_KEY: &str = "departed-job";

/// The workflows whose delegation the portal refused, from a finished job.
fn refused(job: &Job) -> Vec<(String, String)> {
    job.items
        .iter()
        .zip(&job.outcomes)
        .filter(|(item, o)| item.command.method == "bizproc.task.delegate" && matches!(o, Some(Outcome::Failed { .. })))
        .map(|(item, _)| (item.id.clone(), item.label.clone()))
        .collect()
}

#[component]
pub fn Departed(lang: Lang) -> impl IntoView {
    let w = departed_words(lang);
    let owner = StoredValue::new_local(section_owner());
    let scope: RwSignal<Option<Scope>> = RwSignal::new(None);
    let person: RwSignal<Option<Person>> = RwSignal::new(None);
    let tasks: RwSignal<Option<Result<Vec<WorkflowTasks>, String>>> = RwSignal::new(None);
    let starters: RwSignal<BTreeMap<u64, String>> = RwSignal::new(BTreeMap::new());
    let running: RwSignal<Option<Running>> = RwSignal::new(None);
    spawn_local(async move {
        let me = store::current().await;
        if let Some(r) = owner.with_value(|o| Running::restore(o, me.clone(), JOB_KEY)) {
            running.set(Some(r));
        }
        scope.set(me);
    });
    let pick = Callback::new(move |p: Person| {
        let id = p.id;
        person.set(Some(p));
        tasks.set(None);
        spawn_local(async move {
            let listed = list_all(task_listing(id)).await;
            let grouped = listed.map(|rows| group(&rows.iter().filter_map(TaskRow::from_json).collect::<Vec<_>>(), now_ms()));
            if let Ok(list) = &grouped {
                starters.set(people::names(list.iter().filter_map(|w| w.started_by)).await);
            }
            tasks.set(Some(grouped.map_err(|e| format!("{}: {}", e.code, e.description))));
        });
    });
    let run = Callback::new(move |chosen: Vec<(WorkflowTasks, Choice)>| {
        let Some(from) = person.get_untracked() else { return };
        let fates: Vec<(WorkflowTasks, Fate)> = chosen.into_iter().filter_map(|(wf, c)| Some((wf, c.fate()?))).collect();
        let job = Job::new("departed", departed_items(from.id, &fates), now_ms());
        running.set(Some(owner.with_value(|o| Running::start(o, job, scope.get_untracked(), JOB_KEY))));
    });
    let stop_refused = move |kill: bool, status: &'static str| {
        let Some(r) = running.get_untracked() else { return };
        let items = r.runner.with_untracked(|x| refused(&x.plan)).iter().map(|(id, label)| stop_item(id, label, kill, status)).collect();
        r.forget();
        running.set(Some(owner.with_value(|o| Running::start(o, Job::new("departed-stop", items, now_ms()), scope.get_untracked(), JOB_KEY))));
    };
    let start_over = move |_| {
        if let Some(r) = running.get_untracked() {
            r.forget();
        }
        running.set(None);
        person.set(None);
        tasks.set(None);
    };
    view! {
        <div class="rk-departed" data-section="departed">
            <h2>{w.heading}</h2>
            <p class="rk-help">{w.intro}</p>
            {move || match (running.get(), person.get()) {
                (Some(r), _) => {
                    let refused_now = move || r.finished() && !r.runner.with(|x| refused(&x.plan)).is_empty();
                    view! {
                        <JobView lang=lang runner=r.runner kept=r.kept file_name="rulekit-departed-employee.csv"
                            on_pause=Callback::new(move |_| r.pause()) on_resume=Callback::new(move |_| r.resume()) on_cancel=Callback::new(move |_| r.cancel())/>
                        <Show when=refused_now>
                            <div class="rk-banner rk-warn" role="alert" data-role="refused">
                                <p>{w.refused}</p>
                                <ul>{move || r.runner.with(|x| refused(&x.plan)).into_iter().map(|(_, label)| view! { <li>{label}</li> }).collect_view()}</ul>
                                <p class="rk-buttons">
                                    <button type="button" class="rk-btn rk-primary" data-role="stop-refused-terminate"
                                        on:click=move |_| stop_refused(false, w.default_status)>{w.stop_refused_terminate}</button>
                                    <button type="button" class="rk-btn rk-danger-btn" data-role="stop-refused-kill"
                                        on:click=move |_| stop_refused(true, "")>{w.stop_refused_kill}</button>
                                </p>
                            </div>
                        </Show>
                        <Show when=move || r.finished()>
                            <p><button type="button" class="rk-btn" data-role="start-over" on:click=start_over>{w.start_over}</button></p>
                        </Show>
                    }.into_any()
                }
                (None, None) => view! { <FindPerson lang=lang on_pick=pick/> }.into_any(),
                (None, Some(p)) => view! {
                    <h3>{w.tasks_of}" "<span data-role="person">{p.name.clone()}</span></h3>
                    <p><button type="button" class="rk-btn" on:click=start_over>{w.back}</button></p>
                    {move || match tasks.get() {
                        None => view! { <p class="rk-loading" role="status">{w.loading_tasks}</p> }.into_any(),
                        Some(Err(e)) => view! { <p class="rk-banner rk-error" role="alert">{w.list_failed}" "{e}</p> }.into_any(),
                        Some(Ok(list)) if list.is_empty() => view! { <p class="rk-help" data-role="no-tasks">{w.no_tasks}</p> }.into_any(),
                        Some(Ok(list)) => view! { <Tasks lang=lang workflows=list starters=starters.get_untracked() on_run=run/> }.into_any(),
                    }}
                }.into_any(),
            }}
        </div>
    }
}
