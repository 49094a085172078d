//! The app's own page (placement `DEFAULT`) when the portal opens the settings page's address for
//! it: the console lives in its own bundle (`console/`), so the page moves there. The frame's name
//! survives the move, so BX24.js starts again there; the link stays for the case it cannot move.

use crate::i18n::{strings, Lang};
use leptos::prelude::*;

/// Where the console is, from the settings page: `console/`, with the portal's query kept.
fn console_address() -> Option<String> {
    let location = web_sys::window()?.location();
    Some(format!("console/{}", location.search().ok()?))
}

#[component]
pub fn MainPage(lang: String, placement: String) -> impl IntoView {
    let s = strings(Lang::from_code(&lang));
    let target = console_address().unwrap_or_else(|| "console/".into());
    if placement == "DEFAULT" {
        if let Some(w) = web_sys::window() {
            let _ = w.location().replace(&target);
        }
    }
    let other = (placement != "DEFAULT").then(|| view! { <p class="rk-help">{s.unknown_placement}": "{placement}</p> });
    view! {
        <main class="rk-main" data-screen="main">
            <h1>{s.app_name}</h1>
            <p>{s.main_intro}</p>
            <p><a href=target>{s.open_console}</a></p>
            {other}
        </main>
    }
}
