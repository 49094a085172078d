//! The expression picker: every document field and template item, grouped and filterable;
//! choosing one hands its `{=…}` expression to the field. The focus stays in the filter box,
//! where the arrow keys move through what the filter left and Enter inserts.

use super::listbox::{list_key, option_id, ListKey};
use super::FormCtx;
use crate::dom::{add, add_text, bind, closest, listen, make, set, value, watch};
use crate::reactive::*;
use wasm_bindgen::JsCast;
use web_sys::Element;
use rulekit_model::caseless::fold;
use rulekit_model::{CatalogGroup, CatalogItem};

fn group_title(ctx: FormCtx, group: &CatalogGroup) -> String {
    let s = ctx.s();
    match group {
        CatalogGroup::Document => s.group_document.into(),
        CatalogGroup::Parameter => s.group_parameters.into(),
        CatalogGroup::Variable => s.group_variables.into(),
        CatalogGroup::Constant => s.group_constants.into(),
        CatalogGroup::GlobalVariable => s.group_global_variables.into(),
        CatalogGroup::GlobalConstant => s.group_global_constants.into(),
        CatalogGroup::Step(title) => [s.group_step, ": ", title].concat(),
    }
}

/// The items the filter leaves, in catalog order (which keeps each group together).
fn filtered(ctx: FormCtx, filter: &str) -> Vec<CatalogItem> {
    let needle = fold(filter.trim());
    ctx.catalog.with_value(|c| {
        c.items
            .iter()
            .filter(|i| needle.is_empty() || fold(&i.label).contains(&needle) || fold(&i.expression).contains(&needle))
            .cloned()
            .collect()
    })
}

/// The picker over the form's catalog. `list_id` is unique on the page: a form may have a picker
/// open on several fields.
pub fn expression_picker(ctx: FormCtx, list_id: String, on_pick: Box<dyn Fn(String)>, on_close: Box<dyn Fn()>) -> Element {
    let s = ctx.s();
    let filter = RwSignal::new(String::new());
    let active = RwSignal::new(None::<usize>);
    let items = Memo::new(move |_| filtered(ctx, &filter.get()));
    let root = make("div", &[("class", "rk-picker"), ("role", "dialog"), ("aria-label", s.picker_title)]);
    let head = add(&root, "div", &[("class", "rk-picker-head")]);
    let input = add(&head, "input", &[
        ("type", "search"), ("class", "rk-input"), ("placeholder", s.picker_filter), ("aria-label", s.picker_filter),
        ("role", "combobox"), ("aria-expanded", "true"), ("aria-controls", &list_id),
    ]);
    add_text(&head, "button", &[("type", "button"), ("class", "rk-icon"), ("title", s.close), ("aria-label", s.close)], "×");
    let list = add(&root, "div", &[("class", "rk-picker-list"), ("role", "listbox"), ("id", &list_id), ("aria-label", s.picker_title)]);
    let option = move |i: usize| option_id(&list_id, i);
    let named = option.clone();
    bind(&input, "aria-activedescendant", move || active.get().map(&named));
    // The list is drawn again when the filter changes; only the active option's mark moves as the
    // arrow keys do.
    let rows = list.clone();
    let ids = option.clone();
    watch(move || {
        rows.set_text_content(None);
        let current = active.get_untracked();
        items.with(|items| {
            if items.is_empty() {
                add_text(&rows, "p", &[("class", "rk-help")], s.picker_empty);
            }
            let mut last: Option<&CatalogGroup> = None;
            for (i, item) in items.iter().enumerate() {
                if last != Some(&item.group) {
                    add_text(&rows, "h3", &[("class", "rk-picker-group")], &group_title(ctx, &item.group));
                    last = Some(&item.group);
                }
                let row = add(&rows, "button", &[
                    ("type", "button"), ("class", "rk-picker-item"), ("role", "option"), ("tabindex", "-1"),
                    ("id", &ids(i)), ("aria-selected", if current == Some(i) { "true" } else { "false" }), ("data-expression", &item.expression),
                ]);
                add_text(&row, "span", &[], &item.label);
                add_text(&row, "code", &[], &item.expression);
            }
        });
    });
    let marked = list.clone();
    watch(move || {
        let current = active.get().map(&option);
        let rows = marked.children();
        for el in (0..rows.length()).filter_map(|i| rows.item(i)).filter(|el| el.has_attribute("aria-selected")) {
            set(&el, "aria-selected", Some(if current.as_deref() == Some(el.id().as_str()) { "true" } else { "false" }));
        }
    });
    // One handler for the whole picker: a click on an option or on ×, the keys, the filter.
    let typed = input.clone();
    listen(&[&root], &["click", "keydown", "input"], move |ev| match ev.type_().as_str() {
        "input" => {
            filter.set(value(&typed));
            active.set(Some(0));
        }
        "keydown" => {
            let Some(key) = ev.dyn_ref::<web_sys::KeyboardEvent>() else { return };
            match list_key(key, active, items.with_untracked(Vec::len)) {
                ListKey::Pick(i) => {
                    if let Some(item) = items.with_untracked(|v| v.get(i).map(|i| i.expression.clone())) {
                        on_pick(item);
                    }
                }
                ListKey::Close => on_close(),
                ListKey::Other => {}
            }
        }
        _ => {
            if let Some(expression) = closest(&ev, ".rk-picker-item").and_then(|b| b.get_attribute("data-expression")) {
                on_pick(expression);
            } else if closest(&ev, ".rk-picker-head .rk-icon").is_some() {
                on_close();
            }
        }
    });
    let focused = input.clone();
    crate::reactive::spawn_local(async move {
        if let Some(i) = focused.dyn_ref::<web_sys::HtmlElement>() {
            let _ = i.focus();
        }
    });
    root
}
