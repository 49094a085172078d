//! The expression picker: every document field and template item, grouped and filterable;
//! choosing one hands its `{=…}` expression to the field. The focus stays in the filter box,
//! where the arrow keys move through what the filter left and Enter inserts.

use super::listbox::{list_key, option_id, ListKey};
use super::FormCtx;
use leptos::prelude::*;
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

#[component]
pub fn ExpressionPicker(
    /// The list's id, unique on the page: a form may have a picker open on several fields.
    list_id: String,
    on_pick: Callback<String>,
    on_close: Callback<()>,
) -> impl IntoView {
    let ctx = expect_context::<FormCtx>();
    let s = ctx.s();
    let filter = RwSignal::new(String::new());
    let active = RwSignal::new(None::<usize>);
    let input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            let _ = el.focus();
        }
    });
    let items = Memo::new(move |_| filtered(ctx, &filter.get()));
    let list_id = StoredValue::new(list_id);
    let on_key = move |ev: web_sys::KeyboardEvent| match list_key(&ev, active, items.with_untracked(Vec::len)) {
        ListKey::Pick(i) => {
            if let Some(item) = items.with_untracked(|v| v.get(i).map(|i| i.expression.clone())) {
                on_pick.run(item);
            }
        }
        ListKey::Close => on_close.run(()),
        ListKey::Other => {}
    };
    let rows = move || {
        let items = items.get();
        if items.is_empty() {
            return view! { <p class="rk-help">{s.picker_empty}</p> }.into_any();
        }
        let mut out = Vec::new();
        let mut last: Option<&CatalogGroup> = None;
        for (i, item) in items.iter().enumerate() {
            if last != Some(&item.group) {
                out.push(view! { <h3 class="rk-picker-group">{group_title(ctx, &item.group)}</h3> }.into_any());
                last = Some(&item.group);
            }
            let expression = item.expression.clone();
            out.push(view! {
                <button type="button" class="rk-picker-item" role="option" tabindex="-1" id=list_id.with_value(|l| option_id(l, i))
                    aria-selected=move || (active.get() == Some(i)).to_string() data-expression=item.expression.clone()
                    on:click=move |_| on_pick.run(expression.clone())>
                    <span>{item.label.clone()}</span><code>{item.expression.clone()}</code>
                </button>
            }.into_any());
        }
        out.into_any()
    };
    view! {
        <div class="rk-picker" role="dialog" aria-label=s.picker_title on:keydown=on_key>
            <div class="rk-picker-head">
                <input type="search" class="rk-input" node_ref=input placeholder=s.picker_filter aria-label=s.picker_filter
                    role="combobox" aria-expanded="true" aria-controls=list_id.get_value()
                    aria-activedescendant=move || active.get().map(|i| list_id.with_value(|l| option_id(l, i)))
                    prop:value=move || filter.get()
                    on:input=move |ev| { filter.set(event_target_value(&ev)); active.set(Some(0)); }/>
                <button type="button" class="rk-icon" title=s.close aria-label=s.close on:click=move |_| on_close.run(())>"×"</button>
            </div>
            <div class="rk-picker-list" role="listbox" id=list_id.get_value() aria-label=s.picker_title>{rows}</div>
        </div>
    }
}
