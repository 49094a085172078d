//! Section 4: the handler's runs on this portal (issue 9), read from the handler's API: a table
//! with filters, a run's details, Retry on a failed run, the summary, and a count of failures
//! since the administrator last looked (the tab's badge). It reads the handler only while the
//! section is shown and the page is visible; when the handler cannot be reached it says what to
//! check, and the other sections go on as before.

pub mod api;
mod details;
mod problem;
mod seen;
mod summary;
mod table;
mod words;

use crate::config;
use crate::store::{self, Scope};
use api::{Api, ApiError, Filter, RunSummary, Summary};
use leptos::prelude::*;
use leptos::task::spawn_local;
use rulekit_model::Lang;
use std::time::Duration;
use words::runs_words;

pub use seen::badge;

/// How often the open section reads the handler again.
const POLL: Duration = Duration::from_secs(5);
/// While the section is closed only the badge is read, this many polls apart (a minute).
const BADGE_EVERY: u32 = 12;
const PAGE: u32 = 50;

/// The section's state, shared by its parts (all `Copy` signals).
#[derive(Clone, Copy)]
struct Ctx {
    lang: Lang,
    api: RwSignal<Option<Api>>,
    problem: RwSignal<Option<ApiError>>,
    filter: RwSignal<Filter>,
    rows: RwSignal<Option<Vec<RunSummary>>>,
    cursor: RwSignal<Option<String>>,
    /// Bumped when the filter changes, so an answer to an older filter is dropped.
    generation: RwSignal<u64>,
    summary: RwSignal<Option<Summary>>,
    open: RwSignal<Option<u64>>,
    details: RwSignal<Option<api::RunDetails>>,
    /// Set by a row's or the details' Retry; the details read it too.
    notice: RwSignal<Option<String>>,
    /// The run whose retry is on its way: its buttons wait, so a second press sends nothing.
    retrying: RwSignal<Option<u64>>,
    scope: RwSignal<Option<Scope>>,
    unseen: RwSignal<u32>,
}

fn page_visible() -> bool {
    web_sys::window().and_then(|w| w.document()).is_none_or(|d| d.visibility_state() == web_sys::VisibilityState::Visible)
}

/// The first page, merged with what "Load more" added: rows past the first page stay loaded.
fn merge(fresh: Vec<RunSummary>, old: &[RunSummary]) -> Vec<RunSummary> {
    // A short first page is the whole list: nothing older is left to keep.
    let full = fresh.len() >= PAGE as usize;
    let oldest = fresh.iter().map(|r| r.id).min().unwrap_or(u64::MAX);
    let keep: Vec<RunSummary> = old.iter().filter(|r| full && r.id < oldest).cloned().collect();
    fresh.into_iter().chain(keep).collect()
}

impl Ctx {
    /// The handler's API from the same configuration the rules register with (config.json, then
    /// the administrator's override), read again each time the section opens.
    async fn resolve(self) -> Option<Api> {
        let mut urls = config::deployed().await.unwrap_or_default();
        if let Some(o) = config::overridden() {
            urls = urls.overridden_by(&o);
        }
        match urls.api_base() {
            Some(base) => {
                let api = Api::new(base);
                self.api.set(Some(api.clone()));
                Some(api)
            }
            None => {
                self.problem.set(Some(ApiError::NoHandler));
                None
            }
        }
    }

    /// What was shown stays, under the banner: the next poll may read again.
    fn failed(self, e: ApiError) {
        self.problem.set(Some(e));
    }

    /// Reads the first page, the summary, and the open run again.
    fn refresh(self) {
        let Some(api) = self.api.get_untracked() else { return };
        let generation = self.generation.get_untracked();
        let filter = self.filter.get_untracked();
        spawn_local(async move {
            match api.runs(&filter, None, PAGE).await {
                Ok(page) if self.generation.try_get_untracked() == Some(generation) => {
                    let more_loaded = self.rows.with_untracked(|r| r.as_ref().is_some_and(|r| r.len() > page.runs.len()));
                    if !more_loaded {
                        self.cursor.set(page.next_cursor);
                    }
                    let old = self.rows.get_untracked().unwrap_or_default();
                    self.rows.set(Some(merge(page.runs, &old)));
                    self.problem.set(None);
                }
                Ok(_) => return,
                Err(e) => return self.failed(e),
            }
            if let Ok(s) = api.summary().await {
                self.summary.set(Some(s));
            }
            seen::looked(self);
        });
        details::reload(self);
    }

    /// "Load more": the next page after the cursor.
    fn more(self) {
        let (Some(api), Some(cursor)) = (self.api.get_untracked(), self.cursor.get_untracked()) else { return };
        let generation = self.generation.get_untracked();
        let filter = self.filter.get_untracked();
        spawn_local(async move {
            match api.runs(&filter, Some(&cursor), PAGE).await {
                Ok(page) if self.generation.get_untracked() == generation => {
                    self.cursor.set(page.next_cursor);
                    self.rows.update(|rows| rows.get_or_insert_with(Vec::new).extend(page.runs));
                }
                Ok(_) => {}
                Err(e) => self.failed(e),
            }
        });
    }

    /// A new filter: the list starts again from its first page.
    fn filter_changed(self, filter: Filter) {
        self.filter.set(filter);
        self.generation.update(|g| *g += 1);
        self.rows.set(None);
        self.cursor.set(None);
        self.refresh();
    }

    fn retry(self, id: u64) {
        let Some(api) = self.api.get_untracked() else { return };
        if self.retrying.get_untracked().is_some() {
            return;
        }
        let w = runs_words(self.lang);
        self.notice.set(None);
        self.retrying.set(Some(id));
        spawn_local(async move {
            let answer = api.retry(id).await;
            self.retrying.set(None);
            match answer {
                Ok(run) => {
                    self.rows.update(|rows| {
                        if let Some(row) = rows.iter_mut().flatten().find(|r| r.id == run.id) {
                            *row = run;
                        }
                    });
                    details::reload(self);
                }
                Err(ApiError::Conflict(message) | ApiError::NotFound(message)) => self.notice.set(Some(format!("{} {message}", w.retry_refused))),
                Err(e) => self.notice.set(Some(format!("{} {}", w.retry_refused, problem::headline(w, &e)))),
            }
        });
    }
}

#[component]
pub fn Runs(lang: Lang, #[prop(into)] selected: Signal<bool>, unseen: RwSignal<u32>) -> impl IntoView {
    let w = runs_words(lang);
    let cx = Ctx {
        lang,
        api: RwSignal::new(None),
        problem: RwSignal::new(None),
        filter: RwSignal::new(Filter::default()),
        rows: RwSignal::new(None),
        cursor: RwSignal::new(None),
        generation: RwSignal::new(0),
        summary: RwSignal::new(None),
        open: RwSignal::new(None),
        details: RwSignal::new(None),
        notice: RwSignal::new(None),
        retrying: RwSignal::new(None),
        scope: RwSignal::new(None),
        unseen,
    };
    // At load: who is looking (for "last looked"), then the badge, before the tab is ever opened.
    spawn_local(async move {
        cx.scope.set(store::current().await);
        if cx.resolve().await.is_some() && !selected.get_untracked() {
            seen::count(cx);
        }
    });
    // Opening the section reads everything at once; the poll below keeps it fresh.
    Effect::new(move |_| {
        if selected.get() {
            spawn_local(async move {
                if cx.resolve().await.is_some() {
                    cx.refresh();
                }
            });
        }
    });
    let _visible = window_event_listener_untyped("visibilitychange", move |_| {
        if page_visible() && selected.try_get_untracked() == Some(true) {
            cx.refresh();
        }
    });
    spawn_local(async move {
        let mut tick = 0u32;
        loop {
            bx24::sleep(POLL).await;
            tick = tick.wrapping_add(1);
            let Some(open) = selected.try_get_untracked() else { return };
            if !page_visible() {
                continue;
            }
            if open {
                cx.refresh();
            } else if tick.is_multiple_of(BADGE_EVERY) {
                seen::count(cx);
            }
        }
    });
    view! {
        <div class="rk-runs" data-section="runs">
            <h2>{w.heading}</h2>
            <p class="rk-help">{w.intro}</p>
            {move || cx.problem.get().map(|e| problem::banner(w, &e))}
            {move || cx.notice.get().map(|n| view! { <p class="rk-banner rk-warn" role="alert" data-role="runs-notice">{n}</p> })}
            <summary::SummaryView cx=cx/>
            <table::Filters cx=cx/>
            <details::Details cx=cx/>
            <table::Table cx=cx/>
        </div>
    }
}
