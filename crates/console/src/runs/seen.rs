//! "Failures since you last looked": the moment the administrator last had the section open is
//! kept in the browser per portal and user (`store::Scope`); the tab's badge counts the failed
//! runs that changed after it.

use super::api::Filter;
use super::Ctx;
use crate::portal::now_ms;
use leptos::prelude::*;
use leptos::task::spawn_local;

const KEY: &str = "runs-looked";
/// The badge counts up to this many failed runs, and says "99+" past it.
const COUNTED: u32 = 100;

/// The section is open and its list was just read: everything failed so far is seen.
pub fn looked(cx: Ctx) {
    if let Some(scope) = cx.scope.get_untracked() {
        scope.set(KEY, &now_ms().to_string());
    }
    cx.unseen.set(0);
}

/// Counts the failed runs that changed after the last look (all of them, before a first look).
/// By `updated_at`, not the `from` filter: a run started before the look may fail after it.
pub fn count(cx: Ctx) {
    let Some(api) = cx.api.get_untracked() else { return };
    let since: u64 = cx.scope.get_untracked().and_then(|s| s.get(KEY)).and_then(|v| v.parse().ok()).unwrap_or(0);
    spawn_local(async move {
        let filter = Filter { status: "failed".into(), ..Filter::default() };
        if let Ok(page) = api.runs(&filter, None, COUNTED).await {
            let n = page.runs.iter().filter(|r| r.updated_at > since).count() as u32;
            cx.unseen.set(n);
        }
    });
}

/// The badge's text: the count, capped.
pub fn badge(n: u32) -> String {
    if n >= COUNTED { format!("{}+", COUNTED - 1) } else { n.to_string() }
}
