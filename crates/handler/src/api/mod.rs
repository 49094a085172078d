//! The runs API for the app's console (`/api/…`): a portal administrator's browser lists its
//! portal's runs, reads one run's steps, retries a failed run, and reads a summary. Every request
//! is checked (`auth`) before anything is read; CORS only for the configured console origins.

pub mod auth;
mod rows;
mod runs;


use crate::Shared;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

/// What an API request gets back when it is refused: `{"error": code, "message": words}`. The
/// words say what to do; they never quote a header's value.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    BadRequest(String),
    Unauthorized(String),
    Forbidden(String),
    NotFound(String),
    Conflict(String),
    RateLimited { retry_after_s: u64 },
    PortalUnreachable(String),
    Internal(String),
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::PortalUnreachable(_) => StatusCode::BAD_GATEWAY,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest(_) => "bad_request",
            ApiError::Unauthorized(_) => "unauthorized",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound(_) => "not_found",
            ApiError::Conflict(_) => "conflict",
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::PortalUnreachable(_) => "portal_unreachable",
            ApiError::Internal(_) => "internal",
        }
    }

    fn message(&self) -> String {
        match self {
            ApiError::RateLimited { retry_after_s } => {
                format!("Too many requests from this portal; try again in {retry_after_s} s.")
            }
            ApiError::BadRequest(m) | ApiError::Unauthorized(m) | ApiError::Forbidden(m) | ApiError::NotFound(m) | ApiError::Conflict(m)
            | ApiError::PortalUnreachable(m) | ApiError::Internal(m) => m.clone(),
        }
    }
}

impl From<crate::store::StoreError> for ApiError {
    fn from(e: crate::store::StoreError) -> ApiError {
        tracing::error!(event = "api.store_error", error = %e);
        ApiError::Internal("The handler's store failed; try again, and see the handler's log if it keeps failing.".into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut r = (self.status(), Json(json!({"error": self.code(), "message": self.message()}))).into_response();
        if let ApiError::RateLimited { retry_after_s } = self {
            if let Ok(v) = HeaderValue::from_str(&retry_after_s.to_string()) {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        r
    }
}

/// The console's origin, when it is one of `--console-origin`.
fn allowed_origin(s: &Shared, req: &Request) -> Option<HeaderValue> {
    let origin = req.headers().get(header::ORIGIN)?;
    let text = origin.to_str().ok()?;
    s.config.console_origins.iter().any(|o| o.eq_ignore_ascii_case(text)).then(|| origin.clone())
}

/// CORS for the console's origins only, preflights answered before any check (a browser sends
/// them without credentials), and no caching of answers that depend on who asks.
async fn cors(State(s): State<Shared>, req: Request, next: Next) -> Response {
    let origin = allowed_origin(&s, &req);
    let preflight = req.method() == Method::OPTIONS;
    let mut r = if preflight { StatusCode::NO_CONTENT.into_response() } else { next.run(req).await };
    let h = r.headers_mut();
    h.insert(header::VARY, HeaderValue::from_static("Origin"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(origin) = origin {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        if preflight {
            h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, POST"));
            h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("authorization, content-type, x-portal-member, x-portal-domain"));
            h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
        } else {
            // So the console can wait as long as a 429 asks.
            h.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static("retry-after"));
        }
    }
    r
}

async fn unknown() -> ApiError {
    ApiError::NotFound("There is no such API endpoint; see the README's \"The runs API\".".into())
}

pub fn router(shared: Shared) -> Router<Shared> {
    Router::new()
        .route("/api/runs", get(runs::list))
        .route("/api/runs/{id}", get(runs::detail))
        .route("/api/runs/{id}/retry", post(runs::retry))
        .route("/api/summary", get(runs::summary))
        .route("/api/{*rest}", get(unknown).post(unknown))
        .layer(axum::middleware::from_fn_with_state(shared, cors))
}
