//! One small control per kind of value. Each edits one item's text and hands every change to the
//! field at once, so the portal gets it without delay. `Control` picks the one for the field.

mod choice_list;
mod choices;
mod date;
mod expression_mode;
mod number;
mod raw;
mod switch;
mod text_input;
mod textarea;
mod user;

use super::field_context::FieldCtx;
use leptos::prelude::*;
use rulekit_model::PropertyType;

pub use text_input::TextInput;

/// The item a control edits, and how the control is found and named.
#[derive(Clone)]
pub struct Slot {
    pub id: String,
    pub text: RwSignal<String>,
    /// For list items: the id of the element that names the item (`aria-labelledby`).
    pub labelled_by: Option<String>,
}

#[component]
pub fn Control(item: Slot) -> impl IntoView {
    let field = expect_context::<FieldCtx>();
    if let Some(source) = field.property.with_value(|p| p.choices) {
        return choices::choice_picker(item, source).into_any();
    }
    match field.property.with_value(|p| p.kind.clone()) {
        PropertyType::String => view! { <TextInput item=item/> }.into_any(),
        PropertyType::Text => view! { <textarea::TextArea item=item/> }.into_any(),
        PropertyType::Int => view! { <number::NumberInput item=item decimal=false/> }.into_any(),
        PropertyType::Double => view! { <number::NumberInput item=item decimal=true/> }.into_any(),
        PropertyType::Bool => view! { <switch::Switch item=item/> }.into_any(),
        PropertyType::Select => view! { <choice_list::ChoiceList item=item/> }.into_any(),
        PropertyType::Date => view! { <date::DateInput item=item with_time=false/> }.into_any(),
        PropertyType::Datetime => view! { <date::DateInput item=item with_time=true/> }.into_any(),
        PropertyType::User => view! { <user::UserInput item=item/> }.into_any(),
        PropertyType::Other(type_name) => view! { <raw::RawInput item=item type_name=type_name/> }.into_any(),
    }
}
