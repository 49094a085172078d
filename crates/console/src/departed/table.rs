//! A departed person's workflows with a choice for each (or for all): delegate to a colleague,
//! terminate, kill, or leave. "Review" shows exactly what will be done; only "Do it" runs it.

use super::words::{departed_words, DepartedWords};
use crate::people::name_of;
use crate::show;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rulekit_model::planner::departed::{open_path, Fate, WorkflowTasks};
use rulekit_model::Lang;
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Delegate,
    Terminate,
    Kill,
    Leave,
}

impl Kind {
    fn parse(s: &str) -> Kind {
        match s {
            "terminate" => Kind::Terminate,
            "kill" => Kind::Kill,
            "leave" => Kind::Leave,
            _ => Kind::Delegate,
        }
    }
}

/// What was decided for one workflow.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice(Option<Fate>);

impl Choice {
    pub fn fate(self) -> Option<Fate> {
        self.0
    }
}

fn options(w: &'static DepartedWords) -> impl IntoView {
    view! {
        <option value="delegate">{w.fate_delegate}</option>
        <option value="terminate">{w.fate_terminate}</option>
        <option value="kill">{w.fate_kill}</option>
        <option value="leave">{w.fate_none}</option>
    }
}

fn describe(w: &'static DepartedWords, fate: &Fate, colleague: &str) -> String {
    match fate {
        Fate::Delegate { .. } => format!("{} {colleague}", w.will_delegate),
        Fate::Terminate { status } => format!("{} «{status}»", w.will_terminate),
        Fate::Kill => w.will_kill.to_string(),
    }
}

#[component]
pub fn Tasks(lang: Lang, workflows: Vec<WorkflowTasks>, starters: BTreeMap<u64, String>, on_run: Callback<Vec<(WorkflowTasks, Choice)>>) -> impl IntoView {
    let w = departed_words(lang);
    let kinds: Vec<RwSignal<Kind>> = workflows.iter().map(|_| RwSignal::new(Kind::Delegate)).collect();
    let colleague: RwSignal<Option<(u64, String)>> = RwSignal::new(None);
    let status = RwSignal::new(w.default_status.to_string());
    let problem: RwSignal<Option<&'static str>> = RwSignal::new(None);
    let review: RwSignal<Option<Vec<(WorkflowTasks, Choice)>>> = RwSignal::new(None);
    let all = StoredValue::new(workflows.clone());
    let kinds_all = kinds.clone();
    let set_all = move |ev| {
        let k = Kind::parse(&event_target_value(&ev));
        kinds_all.iter().for_each(|s| s.set(k));
    };
    let pick_colleague = move |_| {
        spawn_local(async move {
            if let Ok(users) = bx24::select_users(w.choose_colleague, false).await {
                if let Some(u) = users.first() {
                    colleague.set(u.id.parse().ok().map(|id| (id, u.name.clone())));
                }
            }
        })
    };
    let kinds_review = kinds.clone();
    let to_review = move |_| {
        let chosen: Vec<Kind> = kinds_review.iter().map(|k| k.get_untracked()).collect();
        let needs = |k: Kind| chosen.contains(&k);
        let who = colleague.get_untracked();
        let text = status.get_untracked().trim().to_string();
        let fail = if chosen.iter().all(|k| *k == Kind::Leave) {
            Some(w.nothing_chosen)
        } else if needs(Kind::Delegate) && who.is_none() {
            Some(w.need_colleague)
        } else if needs(Kind::Terminate) && text.is_empty() {
            Some(w.need_status)
        } else {
            None
        };
        problem.set(fail);
        if fail.is_some() {
            return;
        }
        let to_user = who.map_or(0, |(id, _)| id);
        let plan = all.with_value(|list| {
            list.iter()
                .zip(&chosen)
                .map(|(wf, k)| {
                    let fate = match k {
                        Kind::Delegate => Some(Fate::Delegate { to_user }),
                        Kind::Terminate => Some(Fate::Terminate { status: text.clone() }),
                        Kind::Kill => Some(Fate::Kill),
                        Kind::Leave => None,
                    };
                    (wf.clone(), Choice(fate))
                })
                .filter(|(_, c)| c.0.is_some())
                .collect()
        });
        review.set(Some(plan));
    };
    let rows = workflows
        .into_iter()
        .zip(kinds)
        .map(|(wf, kind)| {
            let doc = if wf.document_name.is_empty() { show::document(lang, &wf.document_id) } else { wf.document_name.clone() };
            let link = open_path(&wf.document_id).map(|path| {
                let open = move |_| {
                    let path = path.clone();
                    spawn_local(async move {
                        let _ = bx24::open_path(&path).await;
                    })
                };
                view! { " "<button type="button" class="rk-btn" data-role="open-document" on:click=open>"↗"</button> }
            });
            let started = wf.started.as_deref().map(|s| show::date_time(lang, s)).unwrap_or_default();
            let by = wf.started_by.map(|b| format!(" ({} {})", w.by, name_of(&starters, b, w.system))).unwrap_or_default();
            let names: Vec<String> = wf.tasks.iter().map(|t| t.name.clone()).collect();
            view! {
                <tr data-workflow=wf.workflow_id.clone()>
                    <td>{doc}{link}</td>
                    <td>{wf.template_name.clone()}</td>
                    <td>{started}{by}</td>
                    <td>{names.join("; ")}{wf.overdue.then(|| view! { " "<span class="rk-overdue">{w.overdue}</span> })}</td>
                    <td><select class="rk-input rk-select" data-role="fate" aria-label=w.col_fate
                        prop:value=move || match kind.get() { Kind::Delegate => "delegate", Kind::Terminate => "terminate", Kind::Kill => "kill", Kind::Leave => "leave" }
                        on:change=move |ev| kind.set(Kind::parse(&event_target_value(&ev)))>{options(w)}</select></td>
                </tr>
            }
        })
        .collect_view();
    let reviewing = move || review.with(Option::is_some);
    view! {
        {move || review.get().map(|plan| view! {
            <div class="rk-review" data-role="review">
                <p><strong>{w.preview_heading}</strong></p>
                <ul>{plan.into_iter().map(|(wf, c)| {
                    let who = colleague.get_untracked().map(|(_, n)| n).unwrap_or_default();
                    let label = if wf.document_name.is_empty() { wf.workflow_id.clone() } else { wf.document_name.clone() };
                    view! { <li>{label}": "{c.0.as_ref().map(|f| describe(w, f, &who))}</li> }
                }).collect_view()}</ul>
                <p class="rk-buttons">
                    <button type="button" class="rk-btn rk-primary" data-role="confirm"
                        on:click=move |_| if let Some(plan) = review.get_untracked() { on_run.run(plan) }>{w.confirm}</button>
                    <button type="button" class="rk-btn" on:click=move |_| review.set(None)>{w.back}</button>
                </p>
            </div>
        })}
        // Hidden, not unmounted, while the review is shown: "Back" finds every choice as it was.
        <div hidden=reviewing>
        <table class="rk-table" data-role="workflows">
            <thead><tr><th>{w.col_document}</th><th>{w.col_template}</th><th>{w.col_started}</th><th>{w.col_tasks}</th><th>{w.col_fate}</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
        <div class="rk-grid">
            <label class="rk-label">{w.all_to}
                <select class="rk-input rk-select" data-role="fate-all" on:change=set_all>{options(w)}</select>
            </label>
            <p>{w.colleague}": "<span data-role="colleague">{move || colleague.get().map(|(_, n)| n).unwrap_or_default()}</span>" "
                <button type="button" class="rk-btn" data-role="choose-colleague" on:click=pick_colleague>{w.choose_colleague}</button></p>
            <label class="rk-label">{w.status_text}
                <input class="rk-input" data-role="status" prop:value=move || status.get() on:input=move |ev| status.set(event_target_value(&ev))/>
            </label>
        </div>
        <p class="rk-help">{w.kill_warning}</p>
        {move || problem.get().map(|p| view! { <p class="rk-banner rk-error" role="alert">{p}</p> })}
        <p><button type="button" class="rk-btn rk-primary" data-role="review-button" on:click=to_review>{w.review}</button></p>
        </div>
    }
}
