//! What the settings dialog changes in the portal, asked by its buttons or by the frame protocol's
//! commands (`portal.js` forwards them here): saved property values, renewed tokens, app and user
//! options; and, for tests, an expired token.

use crate::placement::placement_options;
use crate::Sandbox;
use axum::extract::State as AxState;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

/// Save: `{"code", "values"}`. Only the rule's registered properties are kept, on top of what
/// was saved before; the answer is everything saved for the rule.
pub async fn save(AxState(s): AxState<Sandbox>, Json(body): Json<Value>) -> Json<Value> {
    let values = body.get("values").and_then(Value::as_object).cloned().unwrap_or_default();
    Json(s.with_state(|st| {
        let rule = body.get("code").and_then(Value::as_str).map(str::to_string).unwrap_or_else(|| st.dialog.code.clone());
        let known = placement_options(st, &rule)["properties"].as_object().cloned().unwrap_or_default();
        let mut saved = st.saved(&rule);
        for (code, v) in values {
            if known.contains_key(&code) {
                saved.insert(code, v);
            }
        }
        st.dialog.saved.insert(rule, Value::Object(saved.clone()));
        Value::Object(saved)
    }))
}

/// `refreshAuth`: new tokens, in the shape the frame protocol hands them over.
pub async fn refresh(AxState(s): AxState<Sandbox>) -> Json<Value> {
    Json(s.with_state(|st| {
        crate::oauth::renew_tokens(st);
        json!({"AUTH_ID": st.tokens.access, "AUTH_EXPIRES": "3600", "REFRESH_ID": st.tokens.refresh})
    }))
}

/// For tests: the access token expires now.
pub async fn expire(AxState(s): AxState<Sandbox>) -> StatusCode {
    s.with_state(|st| st.tokens.expires = 0);
    StatusCode::NO_CONTENT
}

/// `setAppOption` / `setUserOption`: `{"name", "value", "scope": "app"|"user"}`.
pub async fn option(AxState(s): AxState<Sandbox>, Json(body): Json<Value>) -> Json<Value> {
    let name = body.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
    let value = body.get("value").cloned().unwrap_or(Value::Null);
    let app = body.get("scope").and_then(Value::as_str) == Some("app");
    Json(s.with_state(|st| {
        let target = if app { &mut st.app_options } else { &mut st.user_options };
        target.insert(name, value);
        Value::Object(target.clone())
    }))
}
