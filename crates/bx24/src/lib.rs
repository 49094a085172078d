//! A typed, async API over BX24.js, for the settings page and the console alike.
//!
//! Callbacks become futures; calls the portal may never answer carry a timeout; JS values become
//! `serde_json::Value` or plain Rust types; errors are a `Bx24Error` whose text never carries a token.

mod sys;
mod app;
mod read;
mod rest;

pub use app::*;
pub use read::decode_json;
pub use rest::*;

use futures::channel::oneshot;
use futures::future::{select, Either};
use js_sys::Function;
use serde_json::Value;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Bx24Error {
    /// No `BX24` object: the library did not load, or refused to start outside a portal frame.
    #[error("the Bitrix24 library is not available on this page")]
    NotLoaded,
    #[error("the portal did not answer {0} in time")]
    Timeout(&'static str),
    #[error("{command} failed: {message}")]
    Call { command: &'static str, message: String },
    #[error("the portal answered {0} with data rulekit cannot read")]
    Malformed(&'static str),
}

/// How long a command that should answer may take before rulekit stops waiting.
pub const ANSWER_TIMEOUT: Duration = Duration::from_secs(10);

/// True when a `BX24` object exists on the page.
pub fn is_loaded() -> bool {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("BX24"))
        .map(|b| !b.is_undefined() && !b.is_null())
        .unwrap_or(false)
}

/// True when the page runs inside a frame, as every placement does.
pub fn in_frame() -> bool {
    web_sys::window()
        .and_then(|w| Some(w.top().ok().flatten()? != w))
        .unwrap_or(false)
}

fn js_message(e: &JsValue) -> String {
    e.as_string()
        .or_else(|| e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())))
        .unwrap_or_else(|| "unknown error".into())
}

pub(crate) fn call_err(command: &'static str) -> impl Fn(JsValue) -> Bx24Error {
    move |e| Bx24Error::Call { command, message: js_message(&e) }
}

/// A one-shot JS callback and the future of its first argument. Not generic, so the closure
/// machinery is compiled once.
fn callback() -> (Function, oneshot::Receiver<JsValue>) {
    let (tx, rx) = oneshot::channel();
    let f = Closure::once_into_js(move |arg: JsValue| {
        let _ = tx.send(arg);
    });
    (f.unchecked_into(), rx)
}

/// Starts a command that answers through a callback; `answer` waits for it.
pub(crate) fn start(command: &'static str, begin: impl FnOnce(&Function) -> Result<(), JsValue>) -> Result<oneshot::Receiver<JsValue>, Bx24Error> {
    let (f, rx) = callback();
    begin(&f).map_err(call_err(command))?;
    Ok(rx)
}

/// Resolves after `d`, on the browser's timer.
pub async fn sleep(d: Duration) {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, d.as_millis() as i32);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(p).await;
}

/// Waits for a command's answer: up to `limit`, or as long as it takes with `None` (a person
/// choosing in the portal's dialog).
pub(crate) async fn answer(command: &'static str, rx: oneshot::Receiver<JsValue>, limit: Option<Duration>) -> Result<JsValue, Bx24Error> {
    let Some(limit) = limit else {
        return rx.await.map_err(|_| Bx24Error::Malformed(command));
    };
    match select(rx, Box::pin(sleep(limit))).await {
        Either::Left((Ok(v), _)) => Ok(v),
        Either::Left((Err(_), _)) => Err(Bx24Error::Malformed(command)),
        Either::Right(_) => Err(Bx24Error::Timeout(command)),
    }
}

/// A JavaScript value read straight into JSON data (see `read`).
pub(crate) fn to_json(v: &JsValue, what: &'static str) -> Result<Value, Bx24Error> {
    if v.is_undefined() {
        return Ok(Value::Null);
    }
    read::read(v).ok_or(Bx24Error::Malformed(what))
}

/// JSON data as a plain JavaScript value: maps become objects (not `Map`s), as BX24.js expects.
pub(crate) fn to_js(v: &Value) -> JsValue {
    read::write(v)
}

/// Waits for `BX24.init`: the portal has answered `getInitData`.
pub async fn init(limit: Duration) -> Result<(), Bx24Error> {
    if !is_loaded() {
        return Err(Bx24Error::NotLoaded);
    }
    answer("init", start("init", sys::init)?, Some(limit)).await.map(|_| ())
}

/// The placement this page was opened in, with its options.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacementInfo {
    pub placement: String,
    pub options: Value,
}

pub fn placement_info() -> Result<PlacementInfo, Bx24Error> {
    let info = to_json(&sys::placement_info().map_err(call_err("placement.info"))?, "placement.info")?;
    Ok(PlacementInfo {
        placement: info.get("placement").and_then(Value::as_str).unwrap_or("DEFAULT").to_string(),
        options: info.get("options").cloned().unwrap_or(Value::Null),
    })
}

/// The portal's language id, `en` when unknown.
pub fn lang() -> String {
    sys::get_lang().ok().and_then(|l| l.as_string()).filter(|l| !l.is_empty()).unwrap_or_else(|| "en".into())
}

/// Hands values to the settings dialog. The portal never answers this command, so nothing waits.
pub fn set_property_value(values: &Value) -> Result<(), Bx24Error> {
    sys::placement_call("setPropertyValue", &to_js(values)).map_err(call_err("setPropertyValue"))
}

/// Fits the frame's height to the page (`fitWindow`), and to `height` when the page got shorter:
/// `fitWindow` measures the document, which never reads less than the frame, so shrinking takes an
/// explicit `resizeWindow` first; the `fitWindow` after it puts the width back to 100%.
pub async fn fit_to(height: f64, shrink: bool) -> Result<(), Bx24Error> {
    if shrink {
        let width = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .map(|e| e.client_width() as f64)
            .unwrap_or(0.0);
        if width > 0.0 && height > 0.0 {
            answer("resizeWindow", start("resizeWindow", |f| sys::resize_window(width, height.ceil(), f))?, Some(ANSWER_TIMEOUT)).await?;
        }
    }
    answer("fitWindow", start("fitWindow", sys::fit_window)?, Some(ANSWER_TIMEOUT)).await.map(|_| ())
}

/// A user picked in the portal's dialog.
#[derive(Debug, Clone, PartialEq)]
pub struct PickedUser {
    pub id: String,
    pub name: String,
}

fn picked(v: &Value) -> Option<PickedUser> {
    let id = match v.get("id")? {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    let name = v.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
    Some(PickedUser { id, name })
}

/// Opens the portal's user picker. It waits as long as the person takes; a picker closed without a
/// choice may never call back, so callers must not block anything on this.
pub async fn select_users(title: &str, multiple: bool) -> Result<Vec<PickedUser>, Bx24Error> {
    let picked_now = match multiple {
        true => start("selectUsers", |f| sys::select_users(title, f))?,
        false => start("selectUser", |f| sys::select_user(title, f))?,
    };
    let v = to_json(&answer("selectUser", picked_now, None).await?, "selectUser")?;
    Ok(match &v {
        Value::Array(items) => items.iter().filter_map(picked).collect(),
        Value::Object(m) => match picked(&v) {
            Some(u) => vec![u],
            // Some portals hand back the list as an object keyed 0..n.
            None => m.values().filter_map(picked).collect(),
        },
        _ => Vec::new(),
    })
}

