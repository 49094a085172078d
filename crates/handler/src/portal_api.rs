//! Calls to the portal's REST API on behalf of a run, with the errors sorted by what to do next:
//! wait and retry, refresh the token, or give up and tell the workflow.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::TokioExecutor;
use serde_json::{json, Value};
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// Rate limits, time limits, server errors and network failures: try again later.
    #[error("{0} (will retry)")]
    Retry(String),
    /// `expired_token`: refresh, then try again.
    #[error("the access token expired")]
    Expired,
    /// Anything else: the run cannot succeed as it is.
    #[error("{0}")]
    Fatal(String),
}

#[derive(Clone)]
pub struct PortalApi {
    client: Client<HttpsConnector<HttpConnector>, Full<Bytes>>,
}

impl Default for PortalApi {
    fn default() -> Self {
        // Plain http is allowed by the connector; whether a portal may use it is decided before
        // any call (`Config::allow_http`).
        let https = hyper_rustls::HttpsConnectorBuilder::new().with_webpki_roots().https_or_http().enable_http1().build();
        PortalApi { client: Client::builder(TokioExecutor::new()).build(https) }
    }
}

/// Sorts a failed answer (spec §4c): 503 `QUERY_LIMIT_EXCEEDED`, 429 `OPERATION_TIME_LIMIT` and
/// any 5xx are retried; 401 `expired_token` refreshes; the rest is final.
pub fn classify(status: u16, body: &Value) -> ApiError {
    let code = body.get("error").and_then(Value::as_str).unwrap_or("");
    let text = body.get("error_description").and_then(Value::as_str).unwrap_or("");
    let said = if text.is_empty() { format!("{code} ({status})") } else { format!("{code}: {text} ({status})") };
    match (status, code) {
        (_, "expired_token") => ApiError::Expired,
        (_, "QUERY_LIMIT_EXCEEDED" | "OPERATION_TIME_LIMIT" | "OVERLOAD_LIMIT" | "INTERNAL_SERVER_ERROR") => ApiError::Retry(said),
        (429 | 500..=599, _) => ApiError::Retry(said),
        _ => ApiError::Fatal(said),
    }
}

impl PortalApi {
    async fn post(&self, url: &str, content_type: &str, body: String) -> Result<(u16, Value), ApiError> {
        let request = axum::http::Request::post(url)
            .header("content-type", content_type)
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| ApiError::Fatal(format!("bad request: {e}")))?;
        let response = tokio::time::timeout(Duration::from_secs(60), self.client.request(request))
            .await
            .map_err(|_| ApiError::Retry("the portal did not answer within 60 s".into()))?
            .map_err(|e| ApiError::Retry(format!("cannot reach the portal: {e}")))?;
        let status = response.status().as_u16();
        let bytes = response.into_body().collect().await.map_err(|e| ApiError::Retry(e.to_string()))?.to_bytes();
        Ok((status, serde_json::from_slice(&bytes).unwrap_or(Value::Null)))
    }

    /// Calls `method` at the portal's REST endpoint (`client_endpoint`, e.g. `https://x.bitrix24.de/rest/`).
    pub async fn call(&self, endpoint: &str, access_token: &str, method: &str, params: Value) -> Result<Value, ApiError> {
        let mut body = params;
        body["auth"] = json!(access_token);
        let url = format!("{}/{method}.json", endpoint.trim_end_matches('/'));
        let (status, answer) = self.post(&url, "application/json", body.to_string()).await?;
        if (200..300).contains(&status) && answer.get("error").is_none() {
            return Ok(answer);
        }
        Err(classify(status, &answer))
    }

    /// Trades a refresh token for new tokens at the OAuth server (spec §3.3).
    pub async fn refresh(&self, oauth_url: &str, client_id: &str, client_secret: &str, refresh_token: &str) -> Result<(String, String), ApiError> {
        let form = rulekit_model::form_encoding::encode(&json!({
            "grant_type": "refresh_token", "client_id": client_id, "client_secret": client_secret, "refresh_token": refresh_token
        }))
        .map_err(ApiError::Fatal)?;
        let (status, answer) = self.post(oauth_url, "application/x-www-form-urlencoded", form).await?;
        let token = |k: &str| answer.get(k).and_then(Value::as_str).map(str::to_string);
        match (status, token("access_token"), token("refresh_token")) {
            (200, Some(a), Some(r)) => Ok((a, r)),
            _ => Err(ApiError::Fatal(format!("the OAuth server refused the refresh ({status})"))),
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
            ApiError::Fatal("NOT_FOUND: Element not found (400)".into())
        );
    }
}
