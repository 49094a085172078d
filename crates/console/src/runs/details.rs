//! One run in full (`api/runs/{id}`): its rule, its document (opened over the app where the
//! portal allows it), properties, each step with its time, attempts, the last error, what went
//! back to the workflow, and its times; Retry when it failed.

use super::api::ApiError;
use super::words::runs_words;
use super::Ctx;
use crate::show;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rulekit_model::planner::departed::open_path;
use serde_json::{Map, Value};

/// Reads the open run again (after a poll or a retry).
pub fn reload(cx: Ctx) {
    let (Some(api), Some(id)) = (cx.api.get_untracked(), cx.open.get_untracked()) else { return };
    spawn_local(async move {
        match api.run(id).await {
            Ok(d) if cx.open.get_untracked() == Some(id) => cx.details.set(Some(d)),
            Ok(_) => {}
            Err(ApiError::NotFound(_)) => cx.open.set(None),
            Err(e) => cx.problem.set(Some(e)),
        }
    });
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn pairs(map: &Map<String, Value>) -> impl IntoView {
    let rows = map.iter().map(|(k, v)| view! { <tr><th><code>{k.clone()}</code></th><td data-key=k.clone()>{value_text(v)}</td></tr> }).collect_view();
    view! { <table class="rk-table rk-pairs"><tbody>{rows}</tbody></table> }
}

#[component]
pub fn Details(cx: Ctx) -> impl IntoView {
    let w = runs_words(cx.lang);
    let lang = cx.lang;
    Effect::new(move |_| {
        cx.details.set(None);
        if cx.open.get().is_some() {
            reload(cx);
        }
    });
    move || {
        let d = cx.details.get().filter(|d| Some(d.run.id) == cx.open.get())?;
        let id = d.run.id;
        let doc = show::document(lang, &d.run.document_id);
        let link = open_path(&d.run.document_id).map(|path| {
            let open = move |_| {
                let path = path.clone();
                spawn_local(async move {
                    let _ = bx24::open_path(&path).await;
                })
            };
            view! { " "<button type="button" class="rk-btn" data-role="open-document" on:click=open>{w.open_document}" ↗"</button> }
        });
        let steps = d
            .more.steps
            .iter()
            .map(|s| view! { <li><span class="rk-help">{show::date_time_ms(lang, s.at)}</span>" "<strong>{s.step.clone()}</strong>" "{s.note.clone()}</li> })
            .collect_view();
        let returned = match d.more.returned.as_ref().filter(|r| !r.is_empty()) {
            Some(r) => pairs(r).into_any(),
            None => view! { <p class="rk-help">{w.nothing_returned}</p> }.into_any(),
        };
        let time = |label: &'static str, ms: Option<u64>| ms.map(|ms| view! { <tr><th>{label}</th><td>{show::date_time_ms(lang, ms)}</td></tr> });
        let failed = d.run.status == "failed";
        Some(view! {
            <div class="rk-run-details rk-banner" data-role="run-details" data-run=id.to_string() data-status=d.run.status.clone()>
                <h3>{w.details}" #"{id}</h3>
                <table class="rk-table rk-pairs"><tbody>
                    <tr><th>{w.rule}</th><td><code>{d.run.rule.clone()}</code></td></tr>
                    <tr><th>{w.document}</th><td>{doc}{link}</td></tr>
                    {d.more.workflow_id.clone().map(|wf| view! { <tr><th>{w.workflow}</th><td><code>{wf}</code></td></tr> })}
                    <tr><th>{w.status}</th><td data-role="run-status">{w.status_name(&d.run.status)}</td></tr>
                    <tr><th>{w.col_attempts}</th><td>{d.run.attempts}</td></tr>
                    {d.run.last_error.clone().map(|e| view! { <tr><th>{w.col_error}</th><td data-role="run-error">{e}</td></tr> })}
                    {time(w.created, Some(d.run.created_at))}
                    {time(w.col_updated, Some(d.run.updated_at))}
                    {time(w.next_attempt, d.more.next_attempt_at)}
                </tbody></table>
                <h3>{w.properties}</h3>
                {pairs(&d.more.properties)}
                <h3>{w.steps}</h3>
                <ol class="rk-steps">{steps}</ol>
                <h3>{w.returned}</h3>
                <div data-role="run-returned">{returned}</div>
                <p class="rk-buttons">
                    {failed.then(|| view! { <button type="button" class="rk-btn rk-primary" data-role="retry-details" disabled=move || cx.retrying.get().is_some() on:click=move |_| cx.retry(id)>{w.retry}</button> })}
                    <button type="button" class="rk-btn" data-role="close-details" on:click=move |_| cx.open.set(None)>{w.close}</button>
                </p>
            </div>
        })
    }
}
