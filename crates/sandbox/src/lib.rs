//! rulekit's local Bitrix24: the portal page with the settings dialog around the app's frame, the
//! portal's side of the frame protocol, a BX24.js-compatible client, the REST methods rulekit
//! uses, and rule runs.
//!
//! The HTTP edge is split by what each part serves: `portal_routes` (the portal's origin) with
//! `dialog_endpoints`, `run_endpoints`, `rest_edge` and `oauth` behind it; `app_files` (the app's
//! origin). The portal's data is `state` (plain data), built by `demo` and `demo_rules`, changed
//! by `rest` and `run`, shown by `placement` and `portal_page`.

pub mod app_files;
pub mod app_update;
pub mod clock;
pub mod config;
pub mod console_endpoints;
pub mod console_page;
pub mod demo;
pub mod demo_bulk;
pub mod demo_names;
pub mod demo_rules;
pub mod demo_workflows;
pub mod dialog_endpoints;
pub mod failures;
pub mod oauth;
pub mod outgoing;
pub mod page_parts;
pub mod placement;
pub mod portal_page;
pub mod portal_routes;
pub mod random;
pub mod rest;
pub mod rest_edge;
pub mod run;
pub mod run_endpoints;
pub mod run_outcome;
pub mod start;
pub mod state;
pub mod state_index;
pub mod stats;
pub mod words;

pub use config::Config;
pub use oauth::CLIENT_SECRET;
pub use app_update::update_app;
pub use demo_bulk::generate_workflows;
pub use rest::token_for;
pub use start::{install_event, start, Running};

use rest::Bucket;
use serde_json::{json, Value};
use state::State;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

struct Inner {
    state: State,
    bucket: Bucket,
}

/// A running sandbox, shared by every request handler: the state behind one lock, and what the
/// servers need to know about each other.
#[derive(Clone)]
pub struct Sandbox {
    inner: Arc<Mutex<Inner>>,
    /// `localhost:<port>`: the portal's DOMAIN.
    pub portal_host: String,
    /// `http://127.0.0.1:<port>/`: the settings page; the console is at `console/` below it.
    pub app_url: String,
    /// Where the manifest's rules run (rulekit's handler, else the sandbox's receiver): what the
    /// app's `config.json` names.
    pub rule_handler: String,
    dist: Arc<PathBuf>,
    sdk_dir: Option<Arc<PathBuf>>,
    state_file: Option<Arc<PathBuf>>,
    /// For tests: while set, `bizproc.event.send` waits before doing anything.
    stall_event_send: Arc<AtomicBool>,
    /// Where app events (`ONAPPINSTALL`, `ONAPPUPDATE`) are posted.
    install_url: Option<Arc<String>>,
    /// Milliseconds every REST request takes before it is handled: a real portal's time.
    latency_ms: Arc<std::sync::atomic::AtomicU64>,
}

impl Sandbox {
    /// A poisoned lock still holds a usable state: one failed request must not stop the portal.
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` on the state, then saves it to the state file when there is one.
    pub fn with_state<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        let mut inner = self.lock();
        let out = f(&mut inner.state);
        if let Some(path) = &self.state_file {
            if let Ok(text) = serde_json::to_string_pretty(&inner.state) {
                if let Err(e) = std::fs::write(path.as_ref(), text) {
                    eprintln!("sandbox: cannot save the state to {}: {e}", path.display());
                }
            }
        }
        out
    }

    /// Holds every `bizproc.event.send` (before it does anything) until called with `false`.
    /// Makes every REST request take `ms` milliseconds more, as a distant portal does (tests use
    /// it to act while a job is half done).
    pub fn set_latency_ms(&self, ms: u64) {
        self.latency_ms.store(ms, Ordering::SeqCst);
    }

    pub fn stall_event_send(&self, stall: bool) {
        self.stall_event_send.store(stall, Ordering::SeqCst);
    }

    /// The REST statistics (`stats::Stats`) as JSON: `requests`, `refused`, `methods`, `stop_calls`.
    pub fn stats(&self) -> Value {
        serde_json::to_value(&self.lock().state.stats).unwrap_or(Value::Null)
    }

    pub fn reset_stats(&self) {
        self.lock().state.stats = Default::default();
    }

    /// The token REST calls of `user_id` carry (created on first use): the app's for the admin.
    pub fn token_for(&self, user_id: u64) -> String {
        self.with_state(|st| token_for(st, user_id))
    }

    /// The state as JSON with every token masked: what the page may show.
    pub fn public_state(&self) -> Value {
        let inner = self.lock();
        let mut v = serde_json::to_value(&inner.state).unwrap_or(Value::Null);
        v["tokens"] = json!({"access": "•••", "refresh": "•••", "expires": inner.state.tokens.expires});
        v["application_token"] = json!("•••");
        if let Some(tokens) = v.get_mut("user_tokens").and_then(Value::as_object_mut) {
            tokens.values_mut().for_each(|t| *t = json!("•••"));
        }
        v
    }
}
