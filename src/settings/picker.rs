//! The expression picker: every document field and template item, grouped and filterable;
//! choosing one hands its `{=…}` expression to the field.

use super::FormCtx;
use leptos::prelude::*;
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
        CatalogGroup::Step(title) => format!("{}: {title}", s.group_step),
    }
}

#[component]
pub fn ExpressionPicker(on_pick: Callback<String>, on_close: Callback<()>) -> impl IntoView {
    let ctx = expect_context::<FormCtx>();
    let s = ctx.s();
    let filter = RwSignal::new(String::new());
    let input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            let _ = el.focus();
        }
    });
    let groups = move || {
        let needle = filter.get().to_lowercase();
        let mut groups: Vec<(CatalogGroup, Vec<CatalogItem>)> = Vec::new();
        ctx.catalog.with_value(|c| {
            for item in &c.items {
                let hit = needle.is_empty()
                    || item.label.to_lowercase().contains(&needle)
                    || item.expression.to_lowercase().contains(&needle);
                if !hit {
                    continue;
                }
                match groups.iter_mut().find(|(g, _)| *g == item.group) {
                    Some((_, items)) => items.push(item.clone()),
                    None => groups.push((item.group.clone(), vec![item.clone()])),
                }
            }
        });
        groups
    };
    view! {
        <div class="rk-picker" role="dialog" aria-label=s.picker_title
            on:keydown=move |ev| if ev.key() == "Escape" { on_close.run(()) }>
            <div class="rk-picker-head">
                <input type="search" class="rk-input" node_ref=input placeholder=s.picker_filter aria-label=s.picker_filter
                    prop:value=move || filter.get() on:input=move |ev| filter.set(event_target_value(&ev))/>
                <button type="button" class="rk-icon" title=s.close aria-label=s.close on:click=move |_| on_close.run(())>"×"</button>
            </div>
            {move || {
                let groups = groups();
                if groups.is_empty() {
                    return view! { <p class="rk-help">{s.picker_empty}</p> }.into_any();
                }
                groups.into_iter().map(|(group, items)| view! { <PickerGroup title=group_title(ctx, &group) items=items on_pick=on_pick/> }).collect_view().into_any()
            }}
        </div>
    }
}

#[component]
fn PickerGroup(title: String, items: Vec<CatalogItem>, on_pick: Callback<String>) -> impl IntoView {
    let choices = items.into_iter().map(|item| {
        let expression = item.expression.clone();
        let shown = item.expression.clone();
        view! {
            <li><button type="button" class="rk-picker-item" data-expression=item.expression
                on:click=move |_| on_pick.run(expression.clone())>
                <span>{item.label}</span><code>{shown}</code>
            </button></li>
        }
    });
    view! {
        <div class="rk-picker-group">
            <h3>{title}</h3>
            <ul>{choices.collect_view()}</ul>
        </div>
    }
}
