//! The console's calls to the app's own handler (`…/api/`, beside where runs go), over gloo-net.
//! Each request carries the current user's portal token in its `Authorization` header and the
//! portal's member id and domain beside it; the token goes nowhere else, and no error here holds
//! it (an error is a kind and, at most, the handler's own message, which names no secret).

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct RunSummary {
    pub id: u64,
    pub rule: String,
    pub document_id: String,
    pub status: String,
    #[serde(default)]
    pub attempts: u32,
    #[serde(default)]
    pub created_at: u64,
    #[serde(default)]
    pub updated_at: u64,
    #[serde(default)]
    pub last_error: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Step {
    pub at: u64,
    pub step: String,
    #[serde(default)]
    pub note: String,
}

/// A run's summary and what only its details have; read from one answer in two passes over its
/// JSON (cheaper in the bundle than `#[serde(flatten)]`).
#[derive(Clone, Debug, PartialEq)]
pub struct RunDetails {
    pub run: RunSummary,
    pub more: More,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct More {
    #[serde(default)]
    pub workflow_id: Option<String>,
    #[serde(default)]
    pub properties: Map<String, Value>,
    #[serde(default)]
    pub steps: Vec<Step>,
    #[serde(default)]
    pub returned: Option<Map<String, Value>>,
    #[serde(default)]
    pub next_attempt_at: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Page {
    pub runs: Vec<RunSummary>,
    #[serde(default)]
    pub next_cursor: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Hour {
    pub hour: u64,
    #[serde(default)]
    pub done: u64,
    #[serde(default)]
    pub failed: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Summary {
    #[serde(default)]
    pub by_status: BTreeMap<String, u64>,
    #[serde(default)]
    pub by_rule: BTreeMap<String, BTreeMap<String, u64>>,
    #[serde(default)]
    pub last_24h: Vec<Hour>,
}

#[derive(Deserialize)]
struct Retried {
    run: RunSummary,
}

/// What went wrong, by what a person should check. The `String`s are the handler's message.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ApiError {
    #[error("no handler URL")]
    NoHandler,
    #[error("no portal sign-in on the page")]
    NoSession,
    /// A network error or a CORS refusal: the browser does not say which.
    #[error("the handler could not be reached")]
    Unreachable,
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("rate limited: {0}")]
    RateLimited(String),
    #[error("the handler could not reach the portal: {0}")]
    PortalUnreachable(String),
    #[error("HTTP {status}: {message}")]
    Other { status: u16, message: String },
    #[error("the handler's answer could not be read")]
    Malformed,
}

/// Filters of `GET api/runs`; empty ones are left out of the query.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    pub status: String,
    pub rule: String,
    pub document: String,
    pub from: Option<u64>,
    pub to: Option<u64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Api {
    base: String,
}

impl Api {
    /// `base` ends with `/` (`AppUrls::api_base`).
    pub fn new(base: String) -> Api {
        Api { base }
    }

    fn signed(&self, builder: RequestBuilder) -> Result<RequestBuilder, ApiError> {
        let portal = bx24::portal().ok_or(ApiError::NoSession)?;
        let token = bx24::access_token().ok_or(ApiError::NoSession)?;
        Ok(builder
            .header("Authorization", &format!("Bearer {token}"))
            .header("X-Portal-Member", &portal.member_id)
            .header("X-Portal-Domain", &portal.domain))
    }

    async fn send<T: DeserializeOwned>(&self, builder: RequestBuilder) -> Result<T, ApiError> {
        // gloo's error would carry the browser's words only; they say nothing a person can act on
        // beyond "unreachable", and the browser hides CORS refusals behind the same TypeError.
        let response = self.signed(builder)?.send().await.map_err(|_| ApiError::Unreachable)?;
        read(response).await
    }

    pub async fn runs(&self, filter: &Filter, cursor: Option<&str>, limit: u32) -> Result<Page, ApiError> {
        let mut query: Vec<(&str, String)> = vec![("limit", limit.to_string())];
        for (key, value) in [("status", &filter.status), ("rule", &filter.rule), ("document", &filter.document)] {
            if !value.trim().is_empty() {
                query.push((key, value.trim().to_string()));
            }
        }
        query.extend(filter.from.map(|ms| ("from", ms.to_string())));
        query.extend(filter.to.map(|ms| ("to", ms.to_string())));
        query.extend(cursor.map(|c| ("cursor", c.to_string())));
        self.send(Request::get(&format!("{}runs", self.base)).query(query)).await
    }

    pub async fn run(&self, id: u64) -> Result<RunDetails, ApiError> {
        let v: Value = self.send(Request::get(&format!("{}runs/{id}", self.base))).await?;
        let run = RunSummary::deserialize(&v).map_err(|_| ApiError::Malformed)?;
        let more = More::deserialize(&v).map_err(|_| ApiError::Malformed)?;
        Ok(RunDetails { run, more })
    }

    pub async fn retry(&self, id: u64) -> Result<RunSummary, ApiError> {
        self.send::<Retried>(Request::post(&format!("{}runs/{id}/retry", self.base))).await.map(|r| r.run)
    }

    pub async fn summary(&self) -> Result<Summary, ApiError> {
        self.send(Request::get(&format!("{}summary", self.base))).await
    }
}

async fn read<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    if (200..300).contains(&status) {
        return response.json::<T>().await.map_err(|_| ApiError::Malformed);
    }
    let body: Value = response.json().await.unwrap_or(Value::Null);
    let message = body.get("message").and_then(Value::as_str).unwrap_or_default().to_string();
    Err(match status {
        401 => ApiError::Unauthorized(message),
        403 => ApiError::Forbidden(message),
        404 => ApiError::NotFound(message),
        409 => ApiError::Conflict(message),
        429 => ApiError::RateLimited(message),
        502 => ApiError::PortalUnreachable(message),
        _ => ApiError::Other { status, message },
    })
}
