//! Text of several lines.

use super::text_input::edits_text;
use super::Slot;
use crate::dom::make;
use crate::settings::field_context::FieldCtx;
use web_sys::Element;

pub fn text_area(field: FieldCtx, item: Slot) -> Element {
    let area = make("textarea", &[("class", "rk-input rk-textarea"), ("rows", "3")]);
    edits_text(field, &area, item);
    area
}
