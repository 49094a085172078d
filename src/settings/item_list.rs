//! The items of a `Multiple` property: one control each, moved up and down or removed by their
//! own buttons, and added at the end. A user list adds by its search box instead of "Add".

use super::controls::{control, Slot};
use super::field_context::FieldCtx;
use super::items::Item;
use super::people::search::search_box;
use crate::dom::{add, add_text, bind, focus, keyed, listen, make, text, watch, write};
use crate::reactive::*;
use rulekit_model::PropertyType;
use web_sys::Element;

pub fn item_list(field: FieldCtx) -> Element {
    let s = field.s();
    let items = field.items;
    let (label_id, add_id) = field.ids.with_value(|i| (i.label.clone(), i.add.clone()));
    let list = make("div", &[("class", "rk-items"), ("role", "group"), ("aria-labelledby", &label_id)]);
    // The rows come first in the list, before its actions.
    keyed(&list, move || items.get().iter().map(|i| i.key).collect(), move |key| {
        let item = items.item(key);
        item.map_or_else(|| make("div", &[]), |item| item_row(field, item))
    });
    let actions = add(&list, "div", &[("class", "rk-item-actions")]);
    // A user list adds through its search box instead, which takes "Add"'s id so the focus lands in
    // it as it would on "Add".
    if field.property.with_value(|p| p.kind == PropertyType::User) {
        let _ = actions.append_child(&search_box(field, add_id));
        return list;
    }
    let add_button = add(&actions, "button", &[("type", "button"), ("class", "rk-btn rk-add"), ("id", &add_id)]);
    text(&add_button, "+ ");
    text(&add_button, s.add_item);
    // Keyboard users type into the new item straight away.
    listen(&[&add_button], &["click"], move |_| {
        let id = field.ids.with_value(|i| i.item(items.next_key()));
        items.add(String::new());
        request_animation_frame(move || focus(&id));
    });
    list
}

fn item_row(field: FieldCtx, item: Item) -> Element {
    let s = field.s();
    let (items, key) = (field.items, item.key);
    let position = move || items.position(key);
    let (id, label_id) = field.ids.with_value(|i| (i.item(key), i.item_label(key)));
    let row = make("div", &[("class", "rk-item"), ("data-key", &key.to_string())]);
    // Named by position, which changes as items move: a live label element.
    let name = add(&row, "span", &[("class", "rk-sr"), ("id", &label_id)]);
    watch(move || write(&name, &field.name.with_value(|n| [n.as_str(), " ", &(position() + 1).to_string()].concat())));
    let (up, down) = ([id.as_str(), "-up"].concat(), [id.as_str(), "-down"].concat());
    let _ = row.append_child(&control(field, Slot { id, text: item.text, labelled_by: Some(label_id) }));
    let button = |class: &str, label: &str, id: Option<&str>, mark: &str| {
        let b = add_text(&row, "button", &[("type", "button"), ("class", class), ("title", label), ("aria-label", label)], mark);
        if let Some(id) = id {
            let _ = b.set_attribute("id", id);
        }
        b
    };
    let up_button = button("rk-icon rk-up", s.move_up, Some(&up), "↑");
    let down_button = button("rk-icon rk-down", s.move_down, Some(&down), "↓");
    let remove = button("rk-icon rk-remove", s.remove_item, None, "×");
    bind(&up_button, "disabled", move || (position() == 0).then(String::new));
    bind(&down_button, "disabled", move || (position() + 1 >= items.count()).then(String::new));
    // The row is moved in the page, which drops the focus: it goes back to the pressed button, or
    // to the other one once the item reaches the end and the pressed one is disabled.
    let shift = move |delta: isize| {
        items.shift(key, delta);
        field.commit();
        let at_end = if delta < 0 { position() == 0 } else { position() + 1 >= items.count() };
        let button = field.ids.with_value(|i| i.item(key)) + if (delta < 0) != at_end { "-up" } else { "-down" };
        request_animation_frame(move || focus(&button));
    };
    // Handlers read the list as it stands; they do not subscribe to it.
    listen(&[&up_button, &down_button, &remove], &["click"], move |ev| untrack(|| {
        let Some(pressed) = ev.current_target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<Element>(t).ok()) else { return };
        if pressed.matches(".rk-up").unwrap_or(false) {
            shift(-1);
        } else if pressed.matches(".rk-down").unwrap_or(false) {
            shift(1);
        } else {
            items.remove(key);
            field.commit();
            // The focused button is gone: keyboard users go on from "Add".
            let add = field.ids.with_value(|i| i.add.clone());
            request_animation_frame(move || focus(&add));
        }
    }));
    row
}
