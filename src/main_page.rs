//! What the settings page shows when the portal opens it anywhere but in a rule's dialog (the
//! app's own page, when its main URL points here): a link to the console, which lives in its own
//! bundle (`console/`) so that this page stays small. The frame's name survives following the
//! link, so BX24.js starts again there.

use crate::i18n::{strings, Lang};
use leptos::prelude::*;

#[component]
pub fn MainPage(lang: String, placement: String) -> impl IntoView {
    let s = strings(Lang::from_code(&lang));
    let other = (placement != "DEFAULT").then(|| view! { <p class="rk-help">{s.unknown_placement}": "{placement}</p> });
    view! {
        <main class="rk-main" data-screen="main">
            <h1>{s.app_name}</h1>
            <p>{s.main_intro}</p>
            <p><a href="console/" data-role="open-console">{s.open_console}</a></p>
            {other}
        </main>
    }
}
