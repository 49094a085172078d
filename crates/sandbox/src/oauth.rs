//! The portal's OAuth server: new tokens for the app's refresh token, as the handler asks for
//! them when an access token has expired (an hour after it was issued).

use crate::clock::now_unix;
use crate::random::random_hex;
use crate::state::State;
use crate::Sandbox;
use axum::body::Bytes;
use axum::extract::State as AxState;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

/// The app's OAuth client secret in the sandbox (its client id is in the state).
pub const CLIENT_SECRET: &str = "sandbox-client-secret";

/// Replaces both tokens; the new access token lives an hour, as on the portal.
pub fn renew_tokens(st: &mut State) {
    st.tokens.access = random_hex(40);
    st.tokens.refresh = random_hex(40);
    st.tokens.expires = now_unix() + 3600;
}

/// `grant_type=refresh_token` with the app's client id and secret, in the query or the body.
pub async fn token(AxState(s): AxState<Sandbox>, uri: Uri, body: Bytes) -> Response {
    let text = format!("{}&{}", uri.query().unwrap_or(""), String::from_utf8_lossy(&body));
    let v = rulekit_model::form_encoding::decode(text.trim_matches('&')).unwrap_or(json!({}));
    let get = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let answer = s.with_state(|st| {
        let ok = get("grant_type") == "refresh_token" && get("client_id") == st.client_id && get("client_secret") == CLIENT_SECRET
            && get("refresh_token") == st.tokens.refresh;
        if !ok {
            return None;
        }
        renew_tokens(st);
        Some(json!({"access_token": st.tokens.access, "refresh_token": st.tokens.refresh, "expires_in": 3600,
            "expires": st.tokens.expires, "member_id": st.member_id, "domain": s.portal_host,
            "client_endpoint": format!("http://{}/rest/", s.portal_host), "status": "L"}))
    });
    match answer {
        Some(a) => Json(a).into_response(),
        None => (StatusCode::BAD_REQUEST, Json(json!({"error": "invalid_grant", "error_description": "Invalid refresh token"}))).into_response(),
    }
}
