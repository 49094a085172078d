//! A running job as a person follows it: a progress bar with done/total, the rate and the time
//! left, Pause/Resume/Cancel, and at the end a report of every item with its outcome, exportable
//! as CSV. The job itself (`planner::Job`) decides everything; this only shows it.

use crate::portal::now_ms;
use crate::words::{words, Words};
use leptos::prelude::*;
use rulekit_model::planner::{report, Job, Outcome, Runner};
use rulekit_model::Lang;

fn outcome_words(w: &'static Words, o: &Option<Outcome>) -> (&'static str, String) {
    match o {
        None => (w.outcome_pending, String::new()),
        Some(Outcome::Done) => (w.outcome_done, String::new()),
        Some(Outcome::DoneBeforeReload) => (w.outcome_done_before_reload, String::new()),
        Some(Outcome::Failed { code, description }) => (w.outcome_failed, format!("{code}: {description}")),
        Some(Outcome::Cancelled) => (w.outcome_cancelled, String::new()),
    }
}

/// The job's report as CSV text, in the page's language.
pub fn report_csv(lang: Lang, job: &Job) -> String {
    let w = words(lang);
    let rows: Vec<Vec<String>> = job
        .report()
        .into_iter()
        .map(|(id, label, o)| {
            let (outcome, error) = outcome_words(w, &o);
            vec![id, label, outcome.to_string(), error]
        })
        .collect();
    report::csv(&[w.col_workflow, w.col_what, w.col_outcome, w.col_error], &rows)
}

/// A `blob:` URL holding `text`, for a download link.
fn csv_url(text: &str) -> Option<String> {
    // A byte-order mark first, so that spreadsheet programs read Cyrillic and umlauts as UTF-8.
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(&format!("\u{feff}{text}")));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

fn seconds(ms: u64) -> String {
    let s = ms.div_ceil(1000);
    if s >= 60 { format!("{}:{:02}", s / 60, s % 60) } else { format!("{s} s") }
}

#[component]
pub fn JobView(
    lang: Lang,
    runner: RwSignal<Runner<Job>>,
    /// False once the browser refused to keep the job (see `job_run`).
    kept: RwSignal<bool>,
    file_name: &'static str,
    on_pause: Callback<()>,
    on_resume: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let w = words(lang);
    let progress = Memo::new(move |_| runner.with(|r| r.plan.progress(now_ms())));
    let finished = move || progress.with(|p| p.finished);
    let status = move || {
        progress.with(|p| {
            let mut line = format!("{} / {}", p.done, p.total);
            if p.failed > 0 {
                line.push_str(&format!(" ({} {})", p.failed, w.failed_count));
            }
            if !p.finished {
                line.push_str(&format!(" · {:.1} {}", p.per_second, w.per_second));
                if let Some(eta) = p.eta_ms {
                    line.push_str(&format!(" · {} {}", seconds(eta), w.time_left));
                }
            }
            if p.paused && !p.finished {
                line.push_str(&format!(" · {}", w.paused));
            }
            if p.finished {
                line.push_str(&format!(" · {}", w.finished));
            }
            line
        })
    };
    let report = move || {
        finished().then(|| {
            let csv = runner.with_untracked(|r| report_csv(lang, &r.plan));
            let rows = runner.with_untracked(|r| r.plan.report());
            view! {
                <h3>{w.report}</h3>
                <p><a class="rk-btn" download=file_name href=csv_url(&csv).unwrap_or_default() data-role="csv">{w.download_csv}</a></p>
                <table class="rk-table" data-role="report">
                    <thead><tr><th>{w.col_workflow}</th><th>{w.col_what}</th><th>{w.col_outcome}</th><th>{w.col_error}</th></tr></thead>
                    <tbody>
                        {rows.into_iter().map(|(id, label, o)| {
                            let (outcome, error) = outcome_words(w, &o);
                            let kind = match &o { Some(Outcome::Failed { .. }) => "failed", Some(Outcome::Cancelled) => "cancelled", None => "pending", _ => "done" };
                            view! { <tr data-outcome=kind><td><code>{id}</code></td><td>{label}</td><td>{outcome}</td><td>{error}</td></tr> }
                        }).collect_view()}
                    </tbody>
                </table>
            }
        })
    };
    view! {
        <div class="rk-job" data-role="job">
            <Show when=move || !kept.get()><p class="rk-banner rk-warn" role="alert">{w.not_kept}</p></Show>
            <label class="rk-label">{w.progress}
                <progress max=move || progress.with(|p| p.total.max(1)) value=move || progress.with(|p| p.done + p.failed)></progress>
            </label>
            <p class="rk-job-status" role="status" aria-live="polite" data-role="job-status">{status}</p>
            <Show when=move || !finished()>
                <p class="rk-buttons">
                    <Show when=move || !progress.with(|p| p.paused)
                        fallback=move || view! { <button type="button" class="rk-btn" data-role="resume" on:click=move |_| on_resume.run(())>{w.resume}</button> }>
                        <button type="button" class="rk-btn" data-role="pause" on:click=move |_| on_pause.run(())>{w.pause}</button>
                    </Show>
                    " "
                    <button type="button" class="rk-btn" data-role="cancel" on:click=move |_| on_cancel.run(())>{w.cancel}</button>
                </p>
            </Show>
            {report}
        </div>
    }
}
