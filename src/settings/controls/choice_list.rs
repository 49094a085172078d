//! One of the property's options, as a drop-down list.

use super::expression_mode::or_expression;
use super::Slot;
use crate::settings::field_context::FieldCtx;
use leptos::prelude::*;

#[component]
pub fn ChoiceList(item: Slot) -> impl IntoView {
    let field = expect_context::<FieldCtx>();
    let s = field.s();
    let text = item.text;
    let list = move |Slot { id, labelled_by, .. }| {
        let (options, required, multiple) = field.property.with_value(|p| (p.options.clone(), p.required, p.multiple));
        let current = text.get_untracked();
        // `selected` on the options themselves: the list's value is set before its options exist,
        // so it alone would show the first option for a value that is not one.
        let unknown = (!current.is_empty() && !options.iter().any(|(k, _)| *k == current)).then(|| {
            view! { <option value=current.clone() selected=true>{format!("{current} ({})", s.unknown_choice)}</option> }
        });
        // A required single value has no blank choice once it holds one.
        let blank = (!required || multiple || current.is_empty())
            .then(|| view! { <option value="" selected=current.is_empty()>{s.not_set}</option> });
        view! {
            <select class="rk-input rk-select" id=id aria-labelledby=labelled_by aria-describedby=field.described_by()
                aria-required=field.aria_required() aria-invalid=move || field.invalid.get().to_string()
                prop:value=move || text.get()
                on:change=move |ev| field.set(text, event_target_value(&ev))>
                {blank}
                {options.into_iter().map(|(k, t)| {
                    let t = field.form.lang_code.with_value(|l| t.get(l).to_string());
                    view! { <option value=k.clone() selected=k == current>{t}</option> }
                }).collect_view()}
                {unknown}
            </select>
        }
        .into_any()
    };
    or_expression(item, list)
}
