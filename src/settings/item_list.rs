//! The items of a `Multiple` property: one control each, moved up and down or removed by their
//! own buttons, and added at the end. A user list adds by its search box instead of "Add".

use super::controls::{Control, Slot};
use super::dom::{adopt, focus};
use super::field_context::FieldCtx;
use super::items::Item;
use super::people::search::search_box;
use leptos::prelude::*;
use rulekit_model::PropertyType;

#[component]
pub fn ItemList() -> impl IntoView {
    let field = expect_context::<FieldCtx>();
    let s = field.s();
    let items = field.items;
    let (label_id, add_id) = field.ids.with_value(|i| (i.label.clone(), i.add.clone()));
    // Keyboard users type into the new item straight away.
    let add_item = move |_| {
        let id = field.ids.with_value(|i| i.item(items.next_key()));
        items.add(String::new());
        request_animation_frame(move || focus(&id));
    };
    // A user list adds through its search box instead, which takes "Add"'s id so the focus lands in
    // it as it would on "Add".
    let users = field.property.with_value(|p| p.kind == PropertyType::User);
    let (search, add) = if users { (search_box(field, add_id).into_iter().collect(), None) } else { (Vec::new(), Some(add_id)) };
    let add = add.map(|id| view! { <button type="button" class="rk-btn rk-add" id=id on:click=add_item>{"+ "}{s.add_item}</button> });
    view! {
        <div class="rk-items" role="group" aria-labelledby=label_id>
            <For each=move || items.get() key=|item| item.key let:item>
                <ItemRow item=item/>
            </For>
            <div class="rk-item-actions" use:adopt=search>{add}</div>
        </div>
    }
}

#[component]
fn ItemRow(item: Item) -> impl IntoView {
    let field = expect_context::<FieldCtx>();
    let s = field.s();
    let (items, key) = (field.items, item.key);
    let position = move || items.position(key);
    let (id, label_id) = field.ids.with_value(|i| (i.item(key), i.item_label(key)));
    // Named by position, which changes as items move: a live label element.
    let item_name = move || field.name.with_value(|n| format!("{n} {}", position() + 1));
    // The row is moved in the page, which drops the focus: it goes back to the pressed button, or
    // to the other one once the item reaches the end and the pressed one is disabled.
    let shift = move |delta: isize| {
        items.shift(key, delta);
        field.commit();
        let at_end = if delta < 0 { position() == 0 } else { position() + 1 >= items.count() };
        let button = field.ids.with_value(|i| i.item(key)) + if (delta < 0) != at_end { "-up" } else { "-down" };
        request_animation_frame(move || focus(&button));
    };
    let remove = move |_| {
        items.remove(key);
        field.commit();
        // The focused button is gone: keyboard users go on from "Add".
        let add = field.ids.with_value(|i| i.add.clone());
        request_animation_frame(move || focus(&add));
    };
    let (up, down) = ([id.as_str(), "-up"].concat(), [id.as_str(), "-down"].concat());
    let slot = Slot { id, text: item.text, labelled_by: Some(label_id.clone()) };
    view! {
        <div class="rk-item" data-key=key>
            <span class="rk-sr" id=label_id>{item_name}</span>
            <Control item=slot/>
            <button type="button" class="rk-icon rk-up" title=s.move_up aria-label=s.move_up id=up
                disabled=move || position() == 0 on:click=move |_| shift(-1)>"↑"</button>
            <button type="button" class="rk-icon rk-down" title=s.move_down aria-label=s.move_down id=down
                disabled=move || { position() + 1 >= items.count() } on:click=move |_| shift(1)>"↓"</button>
            <button type="button" class="rk-icon rk-remove" title=s.remove_item aria-label=s.remove_item
                on:click=remove>"×"</button>
        </div>
    }
}
