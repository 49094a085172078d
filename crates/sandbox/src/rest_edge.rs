//! `/rest/<method>` over HTTP: CORS for the app's origin, parameters from the query and the body,
//! the token (an `auth` parameter or a Bearer header) and whom it acts as, the leaky bucket, the
//! stats, and the portal's JSON envelope (`result`, or `error` with `error_description`) with its
//! HTTP status.

use crate::rest::{self, RestError};
use crate::Sandbox;
use axum::body::Bytes;
use axum::extract::{Path, State as AxState};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;
use std::sync::atomic::Ordering;

/// The app calls REST from its own origin, so every answer allows any origin.
fn respond(status: u16, body: Value) -> Response {
    let mut r = (StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST), Json(body)).into_response();
    r.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    r
}

fn preflight() -> Response {
    let mut r = StatusCode::NO_CONTENT.into_response();
    let h = r.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, POST, OPTIONS"));
    h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("content-type, authorization"));
    r
}

/// Parameters from the query string and the body (form-encoded with PHP brackets, or JSON).
fn params(query: Option<&str>, headers: &HeaderMap, body: &[u8]) -> Result<Value, RestError> {
    let bad = |e: String| RestError::bad("INVALID_REQUEST", format!("the request could not be read: {e}"));
    let mut params = rulekit_model::form_encoding::decode(query.unwrap_or("")).map_err(bad)?;
    let text = std::str::from_utf8(body).map_err(|e| bad(e.to_string()))?;
    if !text.trim().is_empty() {
        let is_json = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|c| c.contains("json"));
        let from_body = if is_json { serde_json::from_str(text).map_err(|e| bad(e.to_string()))? } else { rulekit_model::form_encoding::decode(text).map_err(bad)? };
        if let (Some(p), Value::Object(b)) = (params.as_object_mut(), from_body) {
            p.extend(b);
        }
    }
    Ok(params)
}

/// The method's parameters without the token, and the token apart, so it reaches no method.
fn split_token(mut params: Value, headers: &HeaderMap) -> (Value, Option<String>) {
    let bearer = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).map(str::to_string);
    let token = rest::param(&params, "auth").or(bearer);
    if let Some(m) = params.as_object_mut() {
        m.retain(|k, _| !k.eq_ignore_ascii_case("auth"));
    }
    (params, token)
}

pub async fn call(AxState(s): AxState<Sandbox>, Path(method): Path<String>, verb: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    if verb == Method::OPTIONS {
        return preflight();
    }
    let (params, token) = match params(uri.query(), &headers, &body) {
        Ok(p) => split_token(p, &headers),
        Err(e) => return respond(e.status, e.body()),
    };
    let name = method.strip_suffix(".json").unwrap_or(&method).to_string();
    let latency = s.latency_ms.load(Ordering::SeqCst);
    if latency > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(latency)).await;
    }
    if name.eq_ignore_ascii_case("bizproc.event.send") {
        while s.stall_event_send.load(Ordering::SeqCst) {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
    let result = (|| {
        let mut inner = s.lock();
        inner.state.stats.requests += 1;
        if !inner.bucket.take() {
            inner.state.stats.refused += 1;
            return Err(RestError::new(503, "QUERY_LIMIT_EXCEEDED", "Too many requests"));
        }
        let user = rest::check_auth(&inner.state, token.as_deref())?;
        drop(inner);
        s.with_state(|st| {
            let out = if name.eq_ignore_ascii_case("batch") { rest::batch_as(st, user, &params) } else { rest::dispatch_as(st, user, &name, &params) };
            st.settle();
            out
        })
    })();
    match result {
        Ok(reply) => respond(200, reply.body()),
        Err(e) => respond(e.status, e.body()),
    }
}
