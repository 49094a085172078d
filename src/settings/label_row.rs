//! A field's head: its name, the required mark, and the description under them.

use super::field_context::FieldCtx;
use leptos::prelude::*;

#[component]
pub fn LabelRow() -> impl IntoView {
    let field = expect_context::<FieldCtx>();
    let s = field.s();
    let name = field.name.get_value();
    let (required, multiple) = field.property.with_value(|p| (p.required, p.multiple));
    let (label_id, base_id, help_id) = field.ids.with_value(|i| (i.label.clone(), i.base.clone(), i.help.clone()));
    // A list has no one control to point a `<label>` at: its group is named by the label's id.
    let label = if multiple {
        view! { <span class="rk-label" id=label_id>{name.clone()}</span> }.into_any()
    } else {
        view! { <label class="rk-label" id=label_id for=base_id>{name.clone()}</label> }.into_any()
    };
    let required_mark = required.then(|| {
        view! { <span class="rk-req" title=s.required>"*"<span class="rk-sr">{format!(" ({})", s.required)}</span></span> }
    });
    let help = field.description.get_value().map(|d| view! { <p class="rk-help" id=help_id>{d}</p> });
    view! {
        <div class="rk-label-row">
            {label}
            {required_mark}
        </div>
        {help}
    }
}
