//! Users as chips, one for each token of the value (`user_7; Author`). A single value is edited
//! by its chips' × buttons, its search box and the portal's picker; a list item shows its chips,
//! and the list adds through one search box for all (see `item_list`).

use super::Slot;
use crate::dom::make;
use crate::settings::field_context::FieldCtx;
use crate::settings::people::chip::chips;
use crate::settings::people::search::search_box;
use web_sys::Element;

pub fn user_input(field: FieldCtx, item: Slot) -> Element {
    let Slot { id, text, labelled_by } = item;
    let wrap = make("div", &[("class", "rk-user")]);
    // A single value's search box is its control, which the field's label points at; a list item's
    // control is its chips, focused by id when the item is added and named by its label.
    if field.multiple() {
        let labelled_by = labelled_by.unwrap_or_default();
        let _ = wrap.append_child(&chips(field, text, &[("class", "rk-chips"), ("id", &id), ("tabindex", "-1"), ("role", "group"), ("aria-labelledby", &labelled_by)]));
    } else {
        let _ = wrap.append_child(&chips(field, text, &[("class", "rk-chips")]));
        let _ = wrap.append_child(&search_box(field, id));
    }
    wrap
}
