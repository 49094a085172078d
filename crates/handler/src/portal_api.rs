//! Calls to the portal's REST API on behalf of a run, with the errors sorted by what to do next:
//! wait and retry, refresh the token, or give up and tell the workflow.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::TokioExecutor;
use crate::call_limit::{portal_of, CallLimit};
use crate::reason::Reason;
use serde_json::{json, Value};
use std::time::Duration;

/// A failed call, sorted by what to do next. The reasons are typed; they are put in words where a
/// person reads them (`Reason::text`).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// Rate limits, time limits, server errors and network failures: try again later.
    #[error("{0} (will retry)")]
    Retry(Reason),
    /// `expired_token`: refresh, then try again.
    #[error("the access token expired")]
    Expired,
    /// Anything else: the run cannot succeed as it is.
    #[error("{0}")]
    Fatal(Reason),
    /// Not the portal's answer: another worker claimed the run after this one's lease ran out, and
    /// this one must stop (no call, no write).
    #[error("the run was taken over by another worker")]
    Abandoned,
}

/// A store write that failed in the middle of a run: a lost lease means another worker has the
/// run now, and this one stops; anything else is tried again later.
impl From<crate::store::StoreError> for ApiError {
    fn from(e: crate::store::StoreError) -> ApiError {
        match e {
            crate::store::StoreError::LeaseLost(_) => ApiError::Abandoned,
            _ => ApiError::Retry(Reason::StoreFailed),
        }
    }
}

/// How long a call may take before the portal counts as silent.
const TIMEOUT_SECONDS: u64 = 60;

#[derive(Clone)]
pub struct PortalApi {
    client: Client<HttpsConnector<HttpConnector>, Full<Bytes>>,
    /// Each portal's REST bucket; none in tests that call a portal directly.
    limit: Option<std::sync::Arc<CallLimit>>,
}

impl Default for PortalApi {
    fn default() -> Self {
        // Plain http is allowed by the connector; whether a portal may use it is decided before
        // any call (`Config::allow_http`).
        let https = hyper_rustls::HttpsConnectorBuilder::new().with_webpki_roots().https_or_http().enable_http1().build();
        PortalApi { client: Client::builder(TokioExecutor::new()).build(https), limit: None }
    }
}

/// Sorts a failed answer: `QUERY_LIMIT_EXCEEDED` (503), `OPERATION_TIME_LIMIT` (429), overload
/// and any 5xx are retried; `expired_token` (401) refreshes; the rest is final (the errors any
/// method can answer, and https://apidocs.bitrix24.com/limits.html).
pub fn classify(status: u16, body: &Value) -> ApiError {
    let text = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let code = text("error");
    let refused = Reason::PortalRefused { code: code.clone(), description: text("error_description"), status };
    match (status, code.as_str()) {
        (_, "expired_token") => ApiError::Expired,
        (_, "QUERY_LIMIT_EXCEEDED" | "OPERATION_TIME_LIMIT" | "OVERLOAD_LIMIT" | "INTERNAL_SERVER_ERROR") => ApiError::Retry(refused),
        (429 | 500..=599, _) => ApiError::Retry(refused),
        _ => ApiError::Fatal(refused),
    }
}

impl PortalApi {
    /// Calls that wait for room in each portal's bucket (`CallLimit`).
    pub fn limited(limit: CallLimit) -> PortalApi {
        PortalApi { limit: Some(std::sync::Arc::new(limit)), ..PortalApi::default() }
    }

    async fn post(&self, url: &str, content_type: &str, body: String) -> Result<(u16, Value), ApiError> {
        let request = axum::http::Request::post(url)
            .header("content-type", content_type)
            .body(Full::new(Bytes::from(body)))
            .map_err(|_| ApiError::Fatal(Reason::PortalUnreachable))?;
        let unreachable = |e: &dyn std::fmt::Display| {
            // The detail is for the operator; it names the host, never a token (those are in the body).
            tracing::warn!(event = "portal.unreachable", error = %e);
            ApiError::Retry(Reason::PortalUnreachable)
        };
        let response = tokio::time::timeout(Duration::from_secs(TIMEOUT_SECONDS), self.client.request(request))
            .await
            .map_err(|_| ApiError::Retry(Reason::PortalSilent { seconds: TIMEOUT_SECONDS }))?
            .map_err(|e| unreachable(&e))?;
        let status = response.status().as_u16();
        let bytes = response.into_body().collect().await.map_err(|e| unreachable(&e))?.to_bytes();
        Ok((status, serde_json::from_slice(&bytes).unwrap_or(Value::Null)))
    }

    /// Calls `method` at the portal's REST endpoint (`client_endpoint`, e.g. `https://x.bitrix24.de/rest/`),
    /// once its bucket has room.
    pub async fn call(&self, endpoint: &str, access_token: &str, method: &str, params: Value) -> Result<Value, ApiError> {
        if let Some(limit) = &self.limit {
            limit.admit(&portal_of(endpoint)).await;
        }
        self.call_now(endpoint, access_token, method, params).await
    }

    /// `call` without waiting for the bucket: the checks of who is asking (`user.admin`,
    /// `app.info`), which a stranger's requests must not be able to queue behind the runs, nor the
    /// runs behind them. They are rare, and limited per caller before they get here.
    pub async fn call_now(&self, endpoint: &str, access_token: &str, method: &str, params: Value) -> Result<Value, ApiError> {
        let mut body = params;
        body["auth"] = json!(access_token);
        let url = format!("{}/{method}.json", endpoint.trim_end_matches('/'));
        let (status, answer) = self.post(&url, "application/json", body.to_string()).await?;
        if (200..300).contains(&status) && answer.get("error").is_none() {
            return Ok(answer);
        }
        Err(classify(status, &answer))
    }

    /// Trades a refresh token for new tokens at the OAuth server
    /// (https://apidocs.bitrix24.com/settings/oauth/index.html).
    pub async fn refresh(&self, oauth_url: &str, client_id: &str, client_secret: &str, refresh_token: &str) -> Result<(String, String), ApiError> {
        // Four plain strings always encode; an empty body would be refused like a wrong one.
        let form = rulekit_model::form_encoding::encode(&json!({
            "grant_type": "refresh_token", "client_id": client_id, "client_secret": client_secret, "refresh_token": refresh_token
        }))
        .unwrap_or_default();
        let (status, answer) = self.post(oauth_url, "application/x-www-form-urlencoded", form).await?;
        let token = |k: &str| answer.get(k).and_then(Value::as_str).map(str::to_string);
        match (status, token("access_token"), token("refresh_token")) {
            (200, Some(a), Some(r)) => Ok((a, r)),
            _ => Err(ApiError::Fatal(Reason::RefreshRefused { status })),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_sorted_by_what_to_do() {
        assert!(matches!(classify(503, &json!({"error": "QUERY_LIMIT_EXCEEDED"})), ApiError::Retry(_)));
        assert!(matches!(classify(429, &json!({"error": "OPERATION_TIME_LIMIT"})), ApiError::Retry(_)));
        assert!(matches!(classify(502, &Value::Null), ApiError::Retry(_)));
        assert_eq!(classify(401, &json!({"error": "expired_token"})), ApiError::Expired);
        assert_eq!(
            classify(400, &json!({"error": "NOT_FOUND", "error_description": "Element not found"})),
            ApiError::Fatal(Reason::PortalRefused { code: "NOT_FOUND".into(), description: "Element not found".into(), status: 400 })
        );
    }
}
