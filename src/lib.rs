//! rulekit's settings app: the page Bitrix24 opens in the rule's settings dialog
//! (`BIZPROC_ACTIVITY_PROPERTIES_DIALOG`), or as the app's own page (`DEFAULT`).
//!
//! `App` starts BX24.js, then picks the screen from the placement. It talks to the portal only
//! through `bx24`.

pub use bx24;
pub mod fit_window;
pub mod i18n;
mod main_page;
mod outside;
pub mod settings;

use i18n::{strings, Lang};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The placement of the rule settings dialog.
pub const SETTINGS_PLACEMENT: &str = "BIZPROC_ACTIVITY_PROPERTIES_DIALOG";

#[derive(Clone, Debug, PartialEq)]
enum Screen {
    Loading,
    /// No usable BX24: opened outside a portal frame, or the library did not load.
    Outside { framed: bool },
    /// BX24 loaded but the portal never answered `getInitData`.
    Silent,
    Settings { lang: String, options: serde_json::Value },
    Main { lang: String, placement: String },
}

async fn boot(init_timeout: std::time::Duration) -> Screen {
    let outside = || Screen::Outside { framed: bx24::in_frame() };
    match bx24::init(init_timeout).await {
        Err(bx24::Bx24Error::Timeout(_)) => return Screen::Silent,
        Err(_) => return outside(),
        Ok(()) => {}
    }
    let lang = bx24::lang();
    match bx24::placement_info() {
        Ok(info) if info.placement == SETTINGS_PLACEMENT => Screen::Settings { lang, options: info.options },
        Ok(info) => Screen::Main { lang, placement: info.placement },
        Err(_) => outside(),
    }
}

fn page_search() -> String {
    web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default()
}

/// A value the portal put in the page's URL (`LANG=de`), as it came.
fn query_value(search: &str, key: &str) -> Option<String> {
    search.trim_start_matches('?').split('&').find_map(|kv| Some(kv.strip_prefix(key)?.strip_prefix('=')?.to_string()))
}

/// The language before the portal has said it: the `LANG` the portal put in the URL, else the
/// browser's.
fn page_lang() -> String {
    query_value(&page_search(), "LANG").or_else(|| web_sys::window()?.navigator().language()).unwrap_or_else(|| "en".into())
}

/// Dark only when the portal says so. Neither BX24.js's init data nor the placement options carry
/// the portal's theme, and the portal's own page is another origin, so the one word it can give
/// is `THEME=dark` in the page's URL (`search`) (the sandbox gives it in dark mode). Without it the form stays
/// light, whatever the operating system prefers: a light portal dialog is the common case.
pub fn apply_theme(search: &str) {
    let dark = query_value(search, "THEME").is_some_and(|t| t.eq_ignore_ascii_case("dark"));
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = if dark { root.set_attribute("data-theme", "dark") } else { root.remove_attribute("data-theme") };
    }
}

/// The app as Bitrix24 opens it.
#[component]
pub fn App() -> impl IntoView {
    view! { <AppWithTimeout init_timeout_ms=bx24::ANSWER_TIMEOUT.as_millis() as u32/> }
}

/// The app, waiting at most `init_timeout_ms` for the portal's first answer.
#[component]
pub fn AppWithTimeout(init_timeout_ms: u32) -> impl IntoView {
    apply_theme(&page_search());
    let screen = RwSignal::new(Screen::Loading);
    let limit = std::time::Duration::from_millis(init_timeout_ms.into());
    spawn_local(async move { screen.set(boot(limit).await) });
    let first_lang = Lang::from_code(&page_lang());
    move || match screen.get() {
        Screen::Loading => view! { <p class="rk-loading" role="status">{strings(first_lang).loading}</p> }.into_any(),
        Screen::Outside { framed } => view! { <outside::Outside lang=first_lang framed=framed silent=false/> }.into_any(),
        Screen::Silent => view! { <outside::Outside lang=first_lang framed=true silent=true/> }.into_any(),
        Screen::Settings { lang, options } => view! { <settings::SettingsPage lang=lang options=options/> }.into_any(),
        Screen::Main { lang, placement } => view! { <main_page::MainPage lang=lang placement=placement/> }.into_any(),
    }
}
