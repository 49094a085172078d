//! The summary from `api/summary`: runs per status, and the last 24 hours as a row of bars
//! (done above, failed in red), each hour's numbers in its tooltip.

use super::words::runs_words;
use super::Ctx;
use crate::show;
use leptos::prelude::*;

#[component]
pub fn SummaryView(cx: Ctx) -> impl IntoView {
    let w = runs_words(cx.lang);
    move || {
        cx.summary.get().map(|s| {
            let counts = w
                .statuses
                .iter()
                .map(|(code, name)| {
                    let n = s.by_status.get(*code).copied().unwrap_or(0);
                    view! { <li data-status=*code><strong>{n}</strong>" "{*name}</li> }
                })
                .collect_view();
            let top = s.last_24h.iter().map(|h| h.done + h.failed).max().unwrap_or(0).max(1);
            let height = move |n: u64| format!("height: {}%", n * 100 / top);
            let bars = s
                .last_24h
                .iter()
                .map(|h| {
                    let title = format!("{} {}: {} / {}", w.done_failed_in_hour, show::date_time_ms(cx.lang, h.hour), h.done, h.failed);
                    view! {
                        <span class="rk-hour" title=title.clone() aria-label=title>
                            <span class="rk-bar" style=height(h.done)></span>
                            <span class="rk-bar rk-bar-failed" style=height(h.failed)></span>
                        </span>
                    }
                })
                .collect_view();
            view! {
                <div class="rk-summary" data-role="runs-summary">
                    <h3>{w.summary}</h3>
                    <ul class="rk-counts">{counts}</ul>
                    <p class="rk-help">{w.last_24h}</p>
                    <div class="rk-bars">{bars}</div>
                </div>
            }
        })
    }
}
