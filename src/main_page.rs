//! The app's own page (placement `DEFAULT`): its name and a short how-to. The console that
//! registers rules and manages workflows comes later.

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
            <ol>{s.main_steps.iter().map(|step| view! { <li>{*step}</li> }).collect_view()}</ol>
            {other}
        </main>
    }
}
