//! rulekit's settings app: the page Bitrix24 opens in the rule's settings dialog
//! (`BIZPROC_ACTIVITY_PROPERTIES_DIALOG`), or as the app's own page (`DEFAULT`).
//!
//! `mount` starts BX24.js, then picks the screen from the placement. It talks to the portal only
//! through `bx24`.

pub use bx24;
pub mod fit_window;
pub mod i18n;
mod main_page;
mod outside;
pub mod settings;

mod dom;
mod reactive;

use dom::add_text;
use i18n::{strings, Lang};
use crate::reactive::*;
use crate::reactive::spawn_local;
use web_sys::Element;

/// The placement of the rule settings dialog.
pub const SETTINGS_PLACEMENT: &str = "BIZPROC_ACTIVITY_PROPERTIES_DIALOG";

#[derive(Clone, Debug, PartialEq)]
enum Screen {
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

/// The app, running in `parent` until its handle is dropped.
pub struct Mounted {
    owner: Owner,
}

impl Mounted {
    /// Keeps the app for as long as the page lives.
    pub fn keep(self) {
        std::mem::forget(self);
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.owner.cleanup();
    }
}

/// Starts the app at the end of `parent`: "loading" at once, then the screen the portal's first
/// answer calls for, waiting for that answer at most `init_timeout`.
pub fn mount(parent: &Element, init_timeout: std::time::Duration) -> Mounted {
    // Signals rerun their effects, and tasks run, on the browser's microtask queue (set once).
    let _ = any_spawner::Executor::init_wasm_bindgen();
    apply_theme(&page_search());
    let owner = Owner::new();
    let first_lang = Lang::from_code(&page_lang());
    let loading = add_text(parent, "p", &[("class", "rk-loading"), ("role", "status")], strings(first_lang).loading);
    let scope = owner.clone();
    spawn_local(async move {
        let screen = boot(init_timeout).await;
        // Unmounted meanwhile: nothing to show.
        if loading.parent_node().is_none() {
            return;
        }
        let page = scope.with(|| match screen {
            Screen::Outside { framed } => outside::outside(first_lang, framed, false),
            Screen::Silent => outside::outside(first_lang, true, true),
            Screen::Settings { lang, options } => settings::settings_page(lang, options),
            Screen::Main { lang, placement } => main_page::main_page(&lang, &placement),
        });
        let _ = loading.replace_with_with_node_1(&page);
    });
    Mounted { owner }
}
