//! The settings form: one `Field` per property, the problems found in the options, and the
//! frame following the form's height.
//!
//! A field is put together from small parts (`label_row`, `item_list` or one of `controls`,
//! `insert_expression`, `user_chooser`) that find it through its `FieldCtx`; every change of its
//! value goes through its one `FieldSink`. Every problem shows from the start, and the count at
//! the top (`check_summary`) leads to the first field that has one.

mod ask;
mod check_summary;
mod choice_source;
mod controls;
mod dom;
mod field;
mod field_context;
mod insert_expression;
mod item_list;
mod items;
mod label_row;
mod listbox;
mod people;
mod picker;
mod sink;
mod user_chooser;
mod users;

use crate::fit_window::use_fit_window;
use crate::i18n::{strings, Lang, Strings};
use leptos::prelude::*;
use rulekit_model::form;
use rulekit_model::placement::PlacementOptions;
use rulekit_model::text;
use rulekit_model::Catalog;
use std::collections::HashMap;

/// What every field of one form shares.
#[derive(Clone, Copy)]
pub struct FormCtx {
    pub lang: Lang,
    /// The portal's own language id, for rule names (which may carry languages rulekit has no
    /// words for).
    pub lang_code: StoredValue<String>,
    pub catalog: StoredValue<Catalog>,
    /// Names of users by their id, as far as they are known.
    pub user_names: RwSignal<HashMap<u64, String>>,
    /// Each field's control and whether the field has a problem, in the form's order.
    pub checks: RwSignal<Vec<(String, Signal<bool>)>>,
    /// Choices loaded from the portal, one load per source for the whole form.
    pub choice_lists: choice_source::ChoiceLists,
}

impl FormCtx {
    pub fn s(&self) -> &'static Strings {
        strings(self.lang)
    }
}

/// Marks the moment the form can be used: for people reading the page and for the bench.
fn mark_interactive() {
    if let Some(w) = web_sys::window() {
        if let Some(p) = w.performance() {
            let _ = p.mark("rulekit:interactive");
        }
    }
}

#[component]
pub fn SettingsPage(lang: String, options: serde_json::Value) -> impl IntoView {
    let parsed = PlacementOptions::parse_with(&options, &bx24::decode_json);
    let ui_lang = Lang::from_code(&lang);
    let (fields, catalog) = form::fields(&parsed.options);
    let ctx = FormCtx {
        lang: ui_lang,
        lang_code: StoredValue::new(lang),
        catalog: StoredValue::new(catalog),
        user_names: RwSignal::new(HashMap::new()),
        checks: RwSignal::new(Vec::new()),
        choice_lists: choice_source::ChoiceLists::new(),
    };
    provide_context(ctx);
    users::load_names(ctx, &fields);

    let root = NodeRef::<leptos::html::Main>::new();
    use_fit_window(root);
    Effect::new(move |_| {
        if let Some(el) = root.get() {
            let _ = el.set_attribute("data-ready", "1");
            mark_interactive();
        }
    });

    let s = ctx.s();
    let problems = (!parsed.problems.is_empty()).then(|| {
        view! {
            <div class="rk-problems" role="alert">
                <p>{s.options_problems}</p>
                <ul>{parsed.problems.iter().map(|p| view! { <li>{text::problem(ui_lang, p)}</li> }).collect_view()}</ul>
            </div>
        }
    });
    let empty = fields.is_empty().then(|| view! { <p class="rk-help">{s.no_properties}</p> });
    view! {
        <main class="rk-settings" node_ref=root data-screen="settings" lang=ui_lang.code()>
            {problems}
            <check_summary::CheckSummary/>
            {empty}
            <form class="rk-form" on:submit=|ev| ev.prevent_default() novalidate>
                {fields.into_iter().map(|model| view! { <field::Field model=model/> }).collect_view()}
            </form>
        </main>
    }
}
