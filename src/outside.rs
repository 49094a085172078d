//! What the page says when it cannot work: opened outside Bitrix24, or the portal fell silent.

use crate::i18n::{strings, Lang};
use leptos::prelude::*;

#[component]
pub fn Outside(lang: Lang, framed: bool, silent: bool) -> impl IntoView {
    let s = strings(lang);
    let why = match (silent, framed) {
        (true, _) => s.portal_silent,
        (false, false) => s.outside_not_framed,
        (false, true) => s.outside_no_library,
    };
    view! {
        <main class="rk-notice" role="alert" data-screen="outside">
            <h1>{s.outside_title}</h1>
            <p class="rk-why">{why}</p>
            <p>{s.outside_what_to_do}</p>
        </main>
    }
}
