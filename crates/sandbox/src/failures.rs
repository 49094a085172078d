//! A switch that makes a REST method refuse, so a test (or a person at the sandbox) can make a
//! rule run fail for a reason of the portal's and then clear it: `POST /sandbox/fail-next` with
//! `{"method": "crm.item.add", "error": "ACCESS_DENIED"}`, or `Sandbox::fail_next`. The refusal
//! comes once, or on every call while `"persistent": true`, until cleared with `{}` or
//! `/sandbox/fail-next/clear`. It is checked where every method is dispatched, inside `batch` too.

use crate::rest::RestError;
use crate::Sandbox;
use axum::extract::State as AxState;
use axum::Json;
use serde_json::{json, Value};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Failures {
    armed: Vec<Armed>,
}

#[derive(Clone, Debug, PartialEq)]
struct Armed {
    /// Lower case, without `.json`, as `dispatch_as` compares it.
    method: String,
    error: String,
    persistent: bool,
}

/// The HTTP status the portal answers an error code with. ACCESS_DENIED (403) is one the handler
/// reads as final, so the run fails at once instead of being retried with backoff.
fn status_of(error: &str) -> u16 {
    match error {
        "expired_token" | "invalid_token" | "NO_AUTH_FOUND" => 401,
        "ACCESS_DENIED" | "INSUFFICIENT_SCOPE" | "insufficient_scope" => 403,
        "NOT_FOUND" | "ERROR_METHOD_NOT_FOUND" => 404,
        "INTERNAL_SERVER_ERROR" => 500,
        "QUERY_LIMIT_EXCEEDED" | "OVERLOAD_LIMIT" => 503,
        _ => 400,
    }
}

impl Failures {
    pub fn arm(&mut self, method: &str, error: &str, persistent: bool) {
        // Named as it is called: any case, with or without `.json`.
        let method = method.trim().to_ascii_lowercase();
        let method = method.strip_suffix(".json").unwrap_or(&method).to_string();
        self.armed.retain(|a| a.method != method);
        self.armed.push(Armed { method, error: error.to_string(), persistent });
    }

    pub fn clear(&mut self) {
        self.armed.clear();
    }

    /// The refusal a call of `method` (lower case) gets now, if one is armed; a one-off is used up.
    pub fn take(&mut self, method: &str) -> Option<RestError> {
        let i = self.armed.iter().position(|a| a.method == method)?;
        let a = if self.armed[i].persistent { self.armed[i].clone() } else { self.armed.remove(i) };
        let description = if a.error == "ACCESS_DENIED" { "Access denied!".to_string() } else { format!("The sandbox was told to refuse {}", a.method) };
        Some(RestError::new(status_of(&a.error), &a.error, description))
    }
}

impl Sandbox {
    /// Makes the next call of `method` answer `error` (with the portal's status for it).
    pub fn fail_next(&self, method: &str, error: &str) {
        self.with_state(|st| st.failures.arm(method, error, false));
    }

    /// Makes every call of `method` answer `error` until `clear_failures`.
    pub fn fail_until_cleared(&self, method: &str, error: &str) {
        self.with_state(|st| st.failures.arm(method, error, true));
    }

    pub fn clear_failures(&self) {
        self.with_state(|st| st.failures.clear());
    }
}

/// `POST /sandbox/fail-next`: `{"method", "error", "persistent"?}` arms the switch (the error
/// ACCESS_DENIED when none is given); `{}` clears it.
pub async fn fail_next(AxState(s): AxState<Sandbox>, body: axum::body::Bytes) -> Json<Value> {
    let body: Value = serde_json::from_slice(&body).unwrap_or(json!({}));
    match body.get("method").and_then(Value::as_str).filter(|m| !m.trim().is_empty()) {
        Some(method) => {
            let error = body.get("error").and_then(Value::as_str).filter(|e| !e.is_empty()).unwrap_or("ACCESS_DENIED");
            let persistent = body.get("persistent").and_then(Value::as_bool).unwrap_or(false);
            s.with_state(|st| st.failures.arm(method, error, persistent));
            Json(json!({"armed": {"method": method, "error": error, "persistent": persistent}}))
        }
        None => clear(AxState(s)).await,
    }
}

/// `POST /sandbox/fail-next/clear`.
pub async fn clear(AxState(s): AxState<Sandbox>) -> Json<Value> {
    s.clear_failures();
    Json(json!({"armed": null}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_one_off_refuses_once_a_persistent_one_until_cleared() {
        let mut f = Failures::default();
        f.arm("CRM.Item.Add", "ACCESS_DENIED", false);
        assert_eq!(f.take("crm.item.update"), None);
        let e = f.take("crm.item.add").unwrap();
        assert_eq!((e.status, e.error.as_str()), (403, "ACCESS_DENIED"));
        assert_eq!(f.take("crm.item.add"), None, "used up");
        f.arm("crm.item.add", "INTERNAL_SERVER_ERROR", true);
        assert_eq!(f.take("crm.item.add").unwrap().status, 500);
        assert_eq!(f.take("crm.item.add").unwrap().status, 500);
        f.clear();
        assert_eq!(f.take("crm.item.add"), None);
    }
}
