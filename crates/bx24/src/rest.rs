//! REST through BX24.js (`BX24.callMethod`): the whole answer for callers that page through lists
//! (`total`, `next`), and the portal's error code for callers that decide what to retry.

use crate::{answer, call_err, start, sys, to_js, to_json, Bx24Error, ANSWER_TIMEOUT};
use serde_json::Value;
use std::time::Duration;
use wasm_bindgen::JsCast;

/// How long one REST request may take: the portal stops a request at 60 seconds.
pub const REST_TIMEOUT: Duration = Duration::from_secs(65);

/// Calls a REST method and returns its `result`: the settings page's one REST need, kept apart
/// from `call` so that page links none of what reading a whole answer takes.
pub async fn call_method(method: &'static str, params: &Value) -> Result<Value, Bx24Error> {
    let rx = start(method, |f| sys::call_method(method, &to_js(params), f))?;
    let res: sys::AjaxResult = answer(method, rx, Some(ANSWER_TIMEOUT)).await?.unchecked_into();
    let error = res.error().map_err(call_err(method))?;
    if !error.is_undefined() && !error.is_null() && error != wasm_bindgen::JsValue::FALSE {
        return Err(Bx24Error::Call { command: method, message: String::from(error.unchecked_ref::<js_sys::Object>().to_string()) });
    }
    to_json(&res.data().map_err(call_err(method))?, method)
}

/// A REST call that failed: the portal's error code and text, and the HTTP status (0 when nothing
/// came back). The text is the portal's; it never carries the token. Kept apart from `Bx24Error`
/// so that the settings page, which never reads whole answers, links none of it.
#[derive(Debug, Clone, PartialEq)]
pub struct RestFailure {
    pub status: u16,
    pub code: String,
    pub description: String,
    /// The portal's error envelope as it came (its `time.operating_reset_at` says when a method's
    /// time limit ends); `Null` when nothing came back.
    pub body: Value,
}

impl From<Bx24Error> for RestFailure {
    fn from(e: Bx24Error) -> Self {
        RestFailure { status: 0, code: "NO_ANSWER".into(), description: e.to_string(), body: Value::Null }
    }
}

/// Calls a REST method and returns the whole answer: `result`, and `total`, `next` and `time`
/// where the portal sends them. A failure carries the portal's code (`NETWORK_ERROR` with status 0
/// when nothing came back).
pub async fn call(method: &str, params: &Value, limit: Duration) -> Result<Value, RestFailure> {
    let rx = start("callMethod", |f| sys::call_method(method, &to_js(params), f))?;
    let res: sys::AjaxResult = answer("callMethod", rx, Some(limit)).await?.unchecked_into();
    let status = res.status().as_f64().unwrap_or(0.0) as u16;
    let whole = to_json(&res.answer(), "callMethod")?;
    let code = whole.get("error").and_then(Value::as_str).map(str::to_string);
    if code.is_some() || status == 0 || status >= 400 || whole.is_null() {
        let description = whole.get("error_description").and_then(Value::as_str).unwrap_or_default().to_string();
        let code = code.unwrap_or_else(|| if status == 0 { "NETWORK_ERROR".into() } else { format!("HTTP_{status}") });
        return Err(RestFailure { status, code, description, body: whole });
    }
    Ok(whole)
}
