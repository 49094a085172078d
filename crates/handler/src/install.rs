//! Install events (https://apidocs.bitrix24.com/api-reference/common/events/on-app-install.html):
//! `ONAPPINSTALL` stores the portal's application token and language; `ONAPPUNINSTALL` deletes
//! the portal. Without a client id to confirm an install with, only portals the operator named
//! may install; every attempt is counted per client address (`install_limit`).

use crate::store::Portal;
use crate::{Refusal, Shared};
use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::{Extension, Json};
use serde_json::{json, Value};
use std::net::SocketAddr;

/// Whether the portal behind `endpoint` knows this app: `app.info` with the event's access token
/// names the app's client id. Without a configured client id nothing can be confirmed.
async fn confirmed_by_portal(s: &Shared, endpoint: &str, access_token: &str) -> bool {
    let Some(client_id) = &s.config.client_id else { return false };
    match s.api.call_now(endpoint, access_token, "app.info", json!({})).await {
        Ok(answer) => answer["result"]["CODE"].as_str() == Some(client_id.as_str()),
        Err(_) => false,
    }
}

/// At most `max` characters of a value from a request, for a log line.
fn clipped(value: &str, max: usize) -> &str {
    value.char_indices().nth(max).map_or(value, |(end, _)| &value[..end])
}

/// Only portals on allowed hosts are taken. When a client id is configured, a new portal must
/// confirm the app through `app.info`; without one, a new portal must be named in the
/// configuration. A new token for a known portal always needs the confirmation, and the known
/// portal keeps its domain. The peer's address is there when the server is served with connect
/// info (`start`); a router without it (tests) counts every attempt in one bucket.
pub async fn install(State(s): State<Shared>, peer: Option<Extension<ConnectInfo<SocketAddr>>>, body: Bytes) -> Result<Json<Value>, Refusal> {
    let peer = peer.map(|Extension(ConnectInfo(addr))| addr.ip());
    s.installs.take(peer).map_err(|retry_after_s| {
        tracing::debug!(event = "install.rate_limited", peer = ?peer, retry_after_s);
        Refusal::RateLimited { retry_after_s }
    })?;
    let v = crate::decode_form(crate::body_text(&body)?)?;
    let get = |path: &[&str]| path.iter().try_fold(&v, |v, k| v.get(*k)).and_then(Value::as_str).unwrap_or("").to_string();
    let (event, member_id, token, domain) = (get(&["event"]), get(&["auth", "member_id"]), get(&["auth", "application_token"]), get(&["auth", "domain"]));
    if member_id.is_empty() || token.is_empty() {
        return Err(Refusal::BadRequest("an install event needs auth[member_id] and auth[application_token]".into()));
    }
    match event.to_ascii_uppercase().as_str() {
        "ONAPPINSTALL" => {
            let endpoint = get(&["auth", "client_endpoint"]);
            let access = get(&["auth", "access_token"]);
            s.sync_portal(&member_id).await;
            let known = s.known(&member_id);
            let domain = match &known {
                Some(p) => {
                    if s.verify(&member_id, &token, &domain).is_err() {
                        let ok = s.config.endpoint_allowed(&endpoint, &p.domain).is_ok() && confirmed_by_portal(&s, &endpoint, &access).await;
                        if !ok {
                            return Err(Refusal::Unauthorized);
                        }
                    }
                    p.domain.clone()
                }
                None => {
                    s.config.endpoint_allowed(&endpoint, &domain).map_err(Refusal::BadRequest)?;
                    if s.config.client_id.is_some() && !confirmed_by_portal(&s, &endpoint, &access).await {
                        return Err(Refusal::Unauthorized);
                    }
                    if s.config.client_id.is_none() && !s.config.install_named(&domain) {
                        // For the operator: which portal to name if it is theirs. Both values come
                        // from the request, hence clipped; no token is in them.
                        tracing::warn!(event = "install.refused", reason = "not named by --allow-install-from or --allow-host",
                            domain = clipped(&domain, 253), member_id = clipped(&member_id, 64));
                        return Err(Refusal::NotNamed);
                    }
                    domain
                }
            };
            // The portal's language (`data[LANGUAGE_ID]`); an event without one keeps the known one.
            let language = Some(get(&["data", "LANGUAGE_ID"])).filter(|l| !l.trim().is_empty()).or(known.and_then(|p| p.language));
            let portal = Portal { member_id: member_id.clone(), domain: domain.clone(), application_token: token, language };
            s.store.save_portal(portal.clone()).await?;
            tracing::info!(event = "portal.installed", member_id = %member_id, domain = %domain, language = ?portal.language);
            s.remember(portal);
            Ok(Json(json!({"status": "installed"})))
        }
        "ONAPPUNINSTALL" => {
            if s.verify(&member_id, &token, &domain).is_err() {
                s.sync_portal(&member_id).await;
                s.verify(&member_id, &token, &domain)?;
            }
            s.store.delete_portal(member_id.clone()).await?;
            s.forget(&member_id);
            tracing::info!(event = "portal.uninstalled", member_id = %member_id);
            Ok(Json(json!({"status": "uninstalled"})))
        }
        _ => Err(Refusal::BadRequest(format!("unknown event {event:?}"))),
    }
}
