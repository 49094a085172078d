//! Install events (https://apidocs.bitrix24.com/api-reference/common/events/on-app-install.html):
//! `ONAPPINSTALL` stores the portal's application token and language; `ONAPPUNINSTALL` deletes
//! the portal.

use crate::store::Portal;
use crate::{Refusal, Shared};
use axum::body::Bytes;
use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

/// Whether the portal behind `endpoint` knows this app: `app.info` with the event's access token
/// names the app's client id. Without a configured client id nothing can be confirmed.
async fn confirmed_by_portal(s: &Shared, endpoint: &str, access_token: &str) -> bool {
    let Some(client_id) = &s.config.client_id else { return false };
    match s.api.call(endpoint, access_token, "app.info", json!({})).await {
        Ok(answer) => answer["result"]["CODE"].as_str() == Some(client_id.as_str()),
        Err(_) => false,
    }
}

/// Only portals on allowed hosts are taken. When a client id is configured, a new portal must
/// confirm the app through `app.info`; a new token for a known portal always needs that
/// confirmation, and the known portal keeps its domain.
pub async fn install(State(s): State<Shared>, body: Bytes) -> Result<Json<Value>, Refusal> {
    let text = std::str::from_utf8(&body).map_err(|_| Refusal::BadRequest("the body is not UTF-8 text".into()))?;
    let v = rulekit_model::form_encoding::decode(text).map_err(Refusal::BadRequest)?;
    let get = |path: &[&str]| path.iter().try_fold(&v, |v, k| v.get(*k)).and_then(Value::as_str).unwrap_or("").to_string();
    let (event, member_id, token, domain) = (get(&["event"]), get(&["auth", "member_id"]), get(&["auth", "application_token"]), get(&["auth", "domain"]));
    if member_id.is_empty() || token.is_empty() {
        return Err(Refusal::BadRequest("an install event needs auth[member_id] and auth[application_token]".into()));
    }
    match event.to_ascii_uppercase().as_str() {
        "ONAPPINSTALL" => {
            let endpoint = get(&["auth", "client_endpoint"]);
            let access = get(&["auth", "access_token"]);
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
            s.verify(&member_id, &token, &domain)?;
            s.store.delete_portal(member_id.clone()).await?;
            s.forget(&member_id);
            tracing::info!(event = "portal.uninstalled", member_id = %member_id);
            Ok(Json(json!({"status": "uninstalled"})))
        }
        _ => Err(Refusal::BadRequest(format!("unknown event {event:?}"))),
    }
}
