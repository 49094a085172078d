//! rulekit's console: the app's own page (placement `DEFAULT`), where a portal administrator keeps
//! the app's rules registered and cleans up workflows. Four sections: the rules (and the install
//! handshake), a departed employee's workflows, workflows stopped in bulk by start date, and the
//! handler's runs (from the handler's own API, not the portal's).
//!
//! The work itself is planned in `rulekit_model::planner` (plain data, host-tested); the sections
//! here show its state and hand its calls to the portal through `portal::drive`.

mod bulk;
mod config;
mod departed;
mod job_run;
mod job_view;
mod people;
pub mod portal;
mod rules;
mod runs;
mod show;
pub mod store;
pub mod words;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use rulekit_model::Lang;
use words::words;

#[derive(Clone, Debug, PartialEq)]
enum Screen {
    Loading,
    /// No BX24: the page was opened outside a portal.
    Outside,
    /// BX24 loaded, but the portal never answered.
    Silent,
    /// Not a portal administrator: nothing admin-only is called.
    NotAdmin(Lang),
    Ready { lang: Lang, install: bool },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Section {
    Rules,
    Departed,
    Bulk,
    Runs,
}

async fn boot() -> Screen {
    use futures::future::{select, Either};
    if !bx24::is_loaded() {
        return Screen::Outside;
    }
    let install = match select(Box::pin(bx24::install_requested()), Box::pin(bx24::sleep(bx24::ANSWER_TIMEOUT))).await {
        Either::Left((install, _)) => install,
        Either::Right(_) => return Screen::Silent,
    };
    let lang = Lang::from_code(&bx24::lang());
    if !bx24::is_admin() {
        return Screen::NotAdmin(lang);
    }
    Screen::Ready { lang, install }
}

/// The language before the portal says it: the browser's.
fn browser_lang() -> Lang {
    Lang::from_code(&web_sys::window().and_then(|w| w.navigator().language()).unwrap_or_default())
}

#[component]
pub fn Console() -> impl IntoView {
    let screen = RwSignal::new(Screen::Loading);
    spawn_local(async move { screen.set(boot().await) });
    move || match screen.get() {
        Screen::Loading => view! { <p class="rk-loading" role="status">{words(browser_lang()).loading}</p> }.into_any(),
        Screen::Outside => notice(browser_lang(), words(browser_lang()).outside).into_any(),
        Screen::Silent => notice(browser_lang(), words(browser_lang()).silent).into_any(),
        Screen::NotAdmin(lang) => view! {
            <main class="rk-notice" role="alert" data-screen="not-admin">
                <h1>{words(lang).title}</h1>
                <p class="rk-why">{words(lang).not_admin}</p>
                <p>{words(lang).not_admin_ask}</p>
            </main>
        }
        .into_any(),
        Screen::Ready { lang, install } => view! { <Sections lang=lang install=install/> }.into_any(),
    }
}

fn notice(lang: Lang, why: &'static str) -> impl IntoView {
    view! {
        <main class="rk-notice" role="alert" data-screen="outside">
            <h1>{words(lang).title}</h1>
            <p class="rk-why">{why}</p>
        </main>
    }
}

#[component]
fn Sections(lang: Lang, install: bool) -> impl IntoView {
    let w = words(lang);
    let section = RwSignal::new(Section::Rules);
    // Failed runs since the administrator last looked, counted by the runs section.
    let unseen = RwSignal::new(0u32);
    let tab = move |s: Section, label: &'static str, id: &'static str| {
        let badge = (s == Section::Runs).then(|| {
            view! { <Show when=move || unseen.get() != 0><span class="rk-badge" data-role="unseen-failures" title=w.unseen_failures>{move || runs::badge(unseen.get())}</span></Show> }
        });
        view! {
            <button type="button" role="tab" id=id class="rk-tab"
                aria-selected=move || (section.get() == s).to_string()
                tabindex=move || if section.get() == s { "0" } else { "-1" }
                on:click=move |_| section.set(s)>{label}{badge}</button>
        }
    };
    view! {
        <main class="rk-console" data-screen="console">
            <h1>{w.title}</h1>
            <nav role="tablist" class="rk-tabs" aria-label=w.sections on:keydown=move |ev| {
                // Arrow keys move between the tabs, as in any tab list.
                let order = [Section::Rules, Section::Departed, Section::Bulk, Section::Runs];
                let at = order.iter().position(|s| *s == section.get_untracked()).unwrap_or(0);
                let next = match ev.key().as_str() {
                    "ArrowRight" => (at + 1) % order.len(),
                    "ArrowLeft" => (at + order.len() - 1) % order.len(),
                    _ => return,
                };
                section.set(order[next]);
                let id = ["tab-rules", "tab-departed", "tab-bulk", "tab-runs"][next];
                if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id)) {
                    let _ = el.unchecked_into::<web_sys::HtmlElement>().focus();
                }
            }>
                {tab(Section::Rules, w.tab_rules, "tab-rules")}
                {tab(Section::Departed, w.tab_departed, "tab-departed")}
                {tab(Section::Bulk, w.tab_bulk, "tab-bulk")}
                {tab(Section::Runs, w.tab_runs, "tab-runs")}
            </nav>
            // Each section stays mounted once opened, so a running job keeps going behind another tab.
            <section role="tabpanel" hidden=move || section.get() != Section::Rules><rules::Rules lang=lang install=install/></section>
            <section role="tabpanel" hidden=move || section.get() != Section::Departed><departed::Departed lang=lang/></section>
            <section role="tabpanel" hidden=move || section.get() != Section::Bulk><bulk::Bulk lang=lang/></section>
            <section role="tabpanel" hidden=move || section.get() != Section::Runs><runs::Runs lang=lang selected=Signal::derive(move || section.get() == Section::Runs) unseen=unseen/></section>
        </main>
    }
}
