//! What the app's own page (the console) asks of the portal beyond REST: who is looking, the
//! app's stored options, the install handshake, and opening the portal's own pages.

use crate::{answer, call_err, start, sys, to_json, Bx24Error, ANSWER_TIMEOUT};
use serde_json::Value;
use wasm_bindgen::prelude::*;

/// Whether the current user is a portal administrator (`BX24.isAdmin()`); false when unknown.
pub fn is_admin() -> bool {
    sys::is_admin().ok().and_then(|v| v.as_bool()).unwrap_or(false)
}

/// The portal the page is open on. The tokens BX24.js holds beside these stay inside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Portal {
    pub domain: String,
    pub member_id: String,
}

/// What `BX24.getAuth()` holds; the token fields never leave this module but through `access_token`.
fn auth() -> Option<Value> {
    to_json(&sys::get_auth().ok()?, "getAuth").ok()
}

pub fn portal() -> Option<Portal> {
    let auth = auth()?;
    let text = |k: &str| auth.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
    Some(Portal { domain: text("domain"), member_id: text("member_id") })
}

/// Asks the portal for a fresh token (BX24.js keeps it).
pub async fn refresh_auth() -> Result<(), Bx24Error> {
    answer("refreshAuth", start("refreshAuth", sys::refresh_auth)?, Some(ANSWER_TIMEOUT)).await.map(|_| ())
}

/// An option the app stored on the portal (`BX24.appOption.get`), as text.
pub fn app_option(name: &str) -> Option<String> {
    let v = sys::app_option_get(name).ok()?;
    v.as_string().or_else(|| (!v.is_undefined() && !v.is_null()).then(|| to_json(&v, "appOption").ok().map(|j| j.to_string())).flatten())
}

/// Stores an option for the whole app (administrators only: for anyone else the portal never
/// answers, so this ends in a timeout rather than waiting for ever).
pub async fn set_app_option(name: &str, value: &str) -> Result<(), Bx24Error> {
    let rx = start("appOption.set", |f| sys::app_option_set(name, &JsValue::from_str(value), f))?;
    answer("appOption.set", rx, Some(ANSWER_TIMEOUT)).await.map(|_| ())
}

/// Whether the portal opened the page to install the app. The page's own script registers
/// `BX24.install` before the portal can answer and leaves a promise in `window.rulekitInstall`
/// (see the console's `index.html`); it resolves on the first answer, true in install mode.
pub async fn install_requested() -> bool {
    let Ok(p) = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("rulekitInstall")) else { return false };
    let Ok(p) = p.dyn_into::<js_sys::Promise>() else { return false };
    wasm_bindgen_futures::JsFuture::from(p).await.ok().and_then(|v| v.as_bool()).unwrap_or(false)
}

/// Tells the portal the install is done; it then reloads the page out of install mode.
pub fn install_finish() -> Result<(), Bx24Error> {
    sys::install_finish().map_err(call_err("installFinish"))
}

/// Opens one of the portal's own pages (a CRM item, a user) over the app; the portal only opens
/// some paths, and says so for the rest.
pub async fn open_path(path: &str) -> Result<(), Bx24Error> {
    let v = to_json(&answer("openPath", start("openPath", |f| sys::open_path(path, f))?, None).await?, "openPath")?;
    match v.get("result").and_then(Value::as_str) {
        Some("error") => Err(Bx24Error::Call {
            command: "openPath",
            message: v.get("errorCode").and_then(Value::as_str).unwrap_or("PATH_NOT_AVAILABLE").to_string(),
        }),
        _ => Ok(()),
    }
}

/// The title of the portal's page around the app (only the app's own page may set it).
pub async fn set_title(title: &str) -> Result<(), Bx24Error> {
    answer("setTitle", start("setTitle", |f| sys::set_title(title, f))?, Some(ANSWER_TIMEOUT)).await.map(|_| ())
}

/// Whether the portal is served over https: the second part of the frame's name
/// (`DOMAIN|PROTOCOL|APP_SID`, protocol 1 for https), which BX24.js reads too.
pub fn portal_https() -> bool {
    let name = web_sys::window().and_then(|w| w.name().ok()).unwrap_or_default();
    name.split('|').nth(1) == Some("1")
}

/// The current user's access token, for the one place it may go: the `Authorization` header of a
/// request to the app's own handler (never a URL, a log or a message). `None` when BX24.js has
/// none (not started, or expired).
pub fn access_token() -> Option<String> {
    auth()?.get("access_token").and_then(Value::as_str).filter(|t| !t.is_empty()).map(str::to_string)
}
