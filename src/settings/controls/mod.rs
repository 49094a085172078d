//! One small control per kind of value. Each edits one item's text and hands every change to the
//! field at once, so the portal gets it without delay. `Control` picks the one for the field.

mod choice_list;
mod choices;
mod date;
mod expression_mode;
mod raw;
mod switch;
mod text_input;
mod textarea;
mod user;

use super::field_context::FieldCtx;
use crate::reactive::*;
use rulekit_model::PropertyType;
use web_sys::Element;

pub use text_input::text_input;

/// The item a control edits, and how the control is found and named.
#[derive(Clone)]
pub struct Slot {
    pub id: String,
    pub text: RwSignal<String>,
    /// For list items: the id of the element that names the item (`aria-labelledby`).
    pub labelled_by: Option<String>,
}

/// The control for `item` of `field`, by the property's kind.
pub fn control(field: FieldCtx, item: Slot) -> Element {
    if let Some(source) = field.property.with_value(|p| p.choices) {
        return choices::choice_picker(field, item, source);
    }
    match field.property.with_value(|p| p.kind.clone()) {
        PropertyType::String => text_input(field, item, "text"),
        PropertyType::Text => textarea::text_area(field, item),
        // A text box, because a number field may also hold an expression.
        PropertyType::Int => text_input(field, item, "numeric"),
        PropertyType::Double => text_input(field, item, "decimal"),
        PropertyType::Bool => switch::switch(field, item),
        PropertyType::Select => choice_list::choice_list(field, item),
        PropertyType::Date => date::date_input(field, item, false),
        PropertyType::Datetime => date::date_input(field, item, true),
        PropertyType::User => user::user_input(field, item),
        PropertyType::Other(type_name) => raw::raw_input(field, item, &type_name),
    }
}
