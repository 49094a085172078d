//! One property: its head, its value (one control, or a list of items) with the button that
//! opens the expression picker, the picker, what is wrong with the value and what may be. The parts find the field through `FieldCtx`.

use super::controls::{Control, Slot};
use super::field_context::FieldCtx;
use super::insert_expression::{FieldPicker, InsertButton};
use super::item_list::ItemList;
use super::label_row::LabelRow;
use super::FormCtx;
use leptos::context::Provider;
use leptos::prelude::*;
use rulekit_model::form::FieldModel;

#[component]
pub fn Field(model: FieldModel) -> impl IntoView {
    let field = FieldCtx::new(expect_context::<FormCtx>(), model);
    let (code, kind) = field.property.with_value(|p| (p.code.clone(), p.kind.name().to_string()));
    let (field_id, errors_id) = field.ids.with_value(|i| (i.field.clone(), i.errors.clone()));
    // The parts are made inside the provider, where they find this field (and not a sibling).
    view! {
        <Provider value=field>
            <div class="rk-field" id=field_id class:rk-invalid=move || field.invalid.get() data-code=code data-kind=kind>
                <LabelRow/>
                // The `{…}` button comes after the value in the page, so Tab reaches the field first.
                <div class="rk-value">
                    {value_control(field)}
                    <InsertButton/>
                </div>
                <FieldPicker/>
                {notes("rk-errors", Some(errors_id), field.errors)}
                {notes("rk-warnings", None, field.warnings)}
            </div>
        </Provider>
    }
}

fn value_control(field: FieldCtx) -> AnyView {
    if field.multiple() {
        return view! { <ItemList/> }.into_any();
    }
    let text = field.items.first_text().unwrap_or_else(|| RwSignal::new(String::new()));
    let id = field.ids.with_value(|i| i.base.clone());
    view! { <Control item=Slot { id, text, labelled_by: None }/> }.into_any()
}

/// A list of what is wrong (or may be) with the value, read out as it changes. Errors and
/// warnings share it, and so share its code.
fn notes(class: &'static str, id: Option<String>, lines: Memo<Vec<String>>) -> impl IntoView {
    view! {
        <ul class=class id=id aria-live="polite">
            {move || lines.get().into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}
        </ul>
    }
}
