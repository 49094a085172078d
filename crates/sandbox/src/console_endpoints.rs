//! The portal-side switches the console's tests and benches use: the REST statistics
//! (`GET /sandbox/stats`, `POST /sandbox/stats/reset`) and an app update (`POST /sandbox/update-app`).

use crate::app_update::{update_app, update_event};
use crate::start::deliver_event;
use crate::Sandbox;
use axum::extract::State as AxState;
use axum::Json;
use serde_json::{json, Value};

pub async fn stats(AxState(s): AxState<Sandbox>) -> Json<Value> {
    Json(s.stats())
}

pub async fn reset_stats(AxState(s): AxState<Sandbox>) -> Json<Value> {
    s.reset_stats();
    Json(json!({"ok": true}))
}

/// Deletes the app's rules and posts `ONAPPUPDATE` to the install URL (in the background, as the
/// portal does); answers how many rules went and the new version.
pub async fn update(AxState(s): AxState<Sandbox>) -> Json<Value> {
    let (deleted, version) = s.with_state(|st| (update_app(st), st.app_version));
    if let Some(url) = s.install_url.as_deref().cloned() {
        tokio::spawn(deliver_event(url, update_event(&s), "ONAPPUPDATE"));
    }
    Json(json!({"deleted": deleted, "version": version}))
}
