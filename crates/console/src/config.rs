//! Where the rules point: the handler's URL and the settings page's URL. A deploy-time
//! `config.json` beside the pages says it (so moving the app to another CDN, or the handler to
//! another host, needs no rebuild), and an administrator may override it from the console; the
//! override is kept as an app option on the portal.

use rulekit_model::planner::urls::AppUrls;
use serde_json::Value;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The app option that holds the administrator's override.
pub const OVERRIDE_OPTION: &str = "rulekit_urls";

/// `config.json` next to the settings page (the console lives one folder down, in `console/`).
pub async fn deployed() -> Result<AppUrls, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str("../config.json")).await.map_err(|_| "config.json could not be fetched".to_string())?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| "config.json: no response")?;
    if !response.ok() {
        return Err(format!("config.json: HTTP {}", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(|_| "config.json: unreadable")?).await.map_err(|_| "config.json: unreadable")?;
    let json: Value = serde_json::from_str(&text.as_string().unwrap_or_default()).map_err(|e| format!("config.json: {e}"))?;
    Ok(AppUrls::from_config(&json))
}

/// The administrator's override, if one was saved.
pub fn overridden() -> Option<AppUrls> {
    let text = bx24::app_option(OVERRIDE_OPTION)?;
    serde_json::from_str::<Value>(&text).ok().map(|v| AppUrls::from_config(&v))
}

pub async fn save_override(urls: &AppUrls) -> Result<(), bx24::Bx24Error> {
    let text = serde_json::json!({"handler": urls.handler, "settings_page": urls.settings_page}).to_string();
    bx24::set_app_option(OVERRIDE_OPTION, &text).await
}
