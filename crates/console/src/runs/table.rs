//! The runs' filters and their table, newest first, with Retry on a failed run and "Load more"
//! after the last page read. A row opens the run's details.

use super::api::{Filter, RunSummary};
use super::words::{runs_words, RunsWords};
use super::Ctx;
use crate::show;
use leptos::prelude::*;
use rulekit_model::manifest;

#[component]
pub fn Filters(cx: Ctx) -> impl IntoView {
    let w = runs_words(cx.lang);
    let lang = cx.lang.code();
    // A rule by its robot's code: the API names runs of its activity by the same code.
    let rules: Vec<(String, String)> = manifest::all().iter().map(|m| (m.code.to_string(), m.name.get(lang).to_string())).collect();
    let change = move |edit: fn(&mut Filter, String)| {
        move |ev: leptos::ev::Event| {
            let mut f = cx.filter.get_untracked();
            edit(&mut f, event_target_value(&ev));
            cx.filter_changed(f);
        }
    };
    view! {
        <div class="rk-grid" data-role="runs-filters">
            <label class="rk-label">{w.status}
                <select class="rk-input rk-select" data-role="runs-status" on:change=change(|f, v| f.status = v)>
                    <option value="">{w.any}</option>
                    {w.statuses.iter().map(|(code, name)| view! { <option value=*code>{*name}</option> }).collect_view()}
                </select>
            </label>
            <label class="rk-label">{w.rule}
                <select class="rk-input rk-select" data-role="runs-rule" on:change=change(|f, v| f.rule = v)>
                    <option value="">{w.any}</option>
                    {rules.into_iter().map(|(code, name)| {
                        let label = format!("{name} ({code})");
                        view! { <option value=code>{label}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label class="rk-label">{w.document}
                <input class="rk-input" type="text" data-role="runs-document" placeholder=w.document_hint on:change=change(|f, v| f.document = v)/>
            </label>
            <label class="rk-label">{w.from}
                <input class="rk-input" type="date" data-role="runs-from" on:change=change(|f, v| f.from = show::day_ms(&v, false))/>
            </label>
            <label class="rk-label">{w.to}
                <input class="rk-input" type="date" data-role="runs-to" on:change=change(|f, v| f.to = show::day_ms(&v, true))/>
            </label>
        </div>
    }
}

fn row(cx: Ctx, w: &'static RunsWords, run: RunSummary) -> impl IntoView {
    let id = run.id;
    let failed = run.status == "failed";
    let retry = move |ev: leptos::ev::MouseEvent| {
        // The row itself opens the details; the button only retries.
        ev.stop_propagation();
        cx.retry(id);
    };
    // A run is a body of its own: its row, and its last error on a line of its own below it, the
    // whole width of the table (an error is long; as a column it pushed the table past a frame).
    let error = run.last_error.clone().map(|e| view! { <tr><td colspan="6" data-role="run-error">{e}</td></tr> });
    view! {
        <tbody data-run=id.to_string() data-status=run.status.clone() class="rk-clickable"
            data-open=move || (cx.open.get() == Some(id)).to_string()
            on:click=move |_| cx.open.set(Some(id))>
        <tr>
            <td><code>"#"{id}</code></td>
            <td><code>{run.rule.clone()}</code></td>
            <td>{show::document(cx.lang, &run.document_id)}</td>
            <td><span data-role="run-status">{w.status_name(&run.status)}</span>
                {failed.then(|| view! { <br/><button type="button" class="rk-btn" data-role="retry" disabled=move || cx.retrying.get().is_some() on:click=retry>{w.retry}</button> })}</td>
            <td>{run.attempts}</td>
            <td>{show::date_time_ms(cx.lang, run.updated_at)}</td>
        </tr>
        {error}
        </tbody>
    }
}

#[component]
pub fn Table(cx: Ctx) -> impl IntoView {
    let w = runs_words(cx.lang);
    let more = move |_| cx.more();
    move || match cx.rows.get() {
        None if cx.problem.with(Option::is_none) => view! { <p class="rk-loading" role="status">{w.loading}</p> }.into_any(),
        None => ().into_any(),
        Some(rows) if rows.is_empty() => view! { <p data-role="runs-none">{w.none}</p> }.into_any(),
        // Only the table scrolls sideways in a narrow frame, not the whole section.
        Some(rows) => view! {
            <div class="rk-wide"><table class="rk-table" data-role="runs">
                <thead><tr>
                    <th>{w.col_run}</th><th>{w.rule}</th><th>{w.document}</th><th>{w.status}</th>
                    <th>{w.col_attempts}</th><th>{w.col_updated}</th>
                </tr></thead>
                {rows.into_iter().map(|r| row(cx, w, r)).collect_view()}
            </table></div>
            <Show when=move || cx.cursor.with(Option::is_some)>
                <p><button type="button" class="rk-btn" data-role="runs-more" on:click=more>{w.load_more}</button></p>
            </Show>
        }
        .into_any(),
    }
}
