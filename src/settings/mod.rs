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

use crate::dom::{add, add_text, listen, make};
use crate::fit_window::fit_window;
use crate::i18n::{strings, Lang, Strings};
use crate::reactive::*;
use rulekit_model::form;
use rulekit_model::placement::PlacementOptions;
use rulekit_model::text;
use rulekit_model::Catalog;
use std::collections::HashMap;
use web_sys::Element;

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

/// The form for the rule's `options` (as the portal gave them), in the portal's language `lang`.
pub fn settings_page(lang: String, options: serde_json::Value) -> Element {
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
    users::load_names(ctx, &fields);
    let s = ctx.s();
    let root = make("main", &[("class", "rk-settings"), ("data-screen", "settings"), ("lang", ui_lang.code())]);
    if !parsed.problems.is_empty() {
        let problems = add(&root, "div", &[("class", "rk-problems"), ("role", "alert")]);
        add_text(&problems, "p", &[], s.options_problems);
        let list = add(&problems, "ul", &[]);
        for p in &parsed.problems {
            add_text(&list, "li", &[], &text::problem(ui_lang, p));
        }
    }
    check_summary::check_summary(ctx, &root);
    if fields.is_empty() {
        add_text(&root, "p", &[("class", "rk-help")], s.no_properties);
    }
    let form = add(&root, "form", &[("class", "rk-form"), ("novalidate", "")]);
    listen(&[&form], &["submit"], |ev| ev.prevent_default());
    for model in fields {
        let _ = form.append_child(&field::field(ctx, model));
    }
    fit_window(&root);
    // Ready once the form is in the page: the caller puts it there in this task, and the mark
    // follows in the next microtask, before the first paint.
    let ready = root.clone();
    crate::reactive::spawn_local(async move {
        if ready.is_connected() {
            let _ = ready.set_attribute("data-ready", "1");
            mark_interactive();
        }
    });
    root
}
