//! One property: its label, help, required mark, errors, the expression picker, and for
//! `Multiple` the list of items with add, remove and reorder. The value controls themselves are in
//! `controls`.

use super::controls::{insert_at_cursor, Control};
use super::picker::ExpressionPicker;
use super::users;
use super::FormCtx;
use crate::bx24;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rulekit_model::form::FieldModel;
use rulekit_model::validate::{validate, Invalid};
use rulekit_model::{PropertyType, PropertyValue};

fn focus(id: &str) {
    use wasm_bindgen::JsCast;
    let el = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id));
    if let Some(el) = el.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

#[derive(Clone)]
struct Item {
    key: u32,
    text: RwSignal<String>,
}

#[component]
pub fn Field(model: FieldModel) -> impl IntoView {
    let ctx = expect_context::<FormCtx>();
    let s = ctx.s();
    let property = model.property.clone();
    let multiple = property.multiple;
    let kind = property.kind.clone();
    let code = property.code.clone();
    let name = ctx.lang_code.with_value(|l| property.name.get(l).to_string());
    let description = property.description.as_ref().map(|d| ctx.lang_code.with_value(|l| d.get(l).to_string()));
    let base_id = format!("rk-{code}");
    let insert_id = format!("{base_id}-insert");
    let add_button_id = format!("{base_id}-add");
    let (label_id, help_id, err_id) = (format!("{base_id}-label"), format!("{base_id}-help"), format!("{base_id}-errors"));

    let opening = model.opening.items();
    let next_key = StoredValue::new(opening.len() as u32);
    let items = RwSignal::new(
        opening.into_iter().enumerate().map(|(i, t)| Item { key: i as u32, text: RwSignal::new(t) }).collect::<Vec<_>>(),
    );
    let model = StoredValue::new(model);
    let property = StoredValue::new(property);
    let touched = RwSignal::new(false);
    let picker_open = RwSignal::new(false);
    let push_error = RwSignal::new(None::<String>);

    let value_of = move |texts: Vec<String>| {
        if multiple {
            PropertyValue::Multiple(texts)
        } else {
            PropertyValue::Single(texts.into_iter().next().unwrap_or_default())
        }
    };
    let current = move || value_of(items.with(|v| v.iter().map(|i| i.text.get()).collect()));
    let changed = Callback::new(move |_: ()| {
        touched.set(true);
        let value = value_of(items.with_untracked(|v| v.iter().map(|i| i.text.get_untracked()).collect()));
        let push = ctx.catalog.with_value(|c| model.try_update_value(|m| m.change(&value, c))).flatten();
        if let Some(push) = push {
            push_error.set(bx24::set_property_value(&push).err().map(|e| e.to_string()));
        }
    });
    // Items are added from event handlers and from the picker, whose own reactive scope ends when
    // it closes: create their signals in the field's scope so they live as long as the field.
    let owner = Owner::current().expect("a field is created inside the form");
    let add_item = Callback::new(move |text: String| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        let text = owner.with(|| RwSignal::new(text));
        items.update(|v| v.push(Item { key, text }));
    });

    let errors = Memo::new(move |_| {
        let value = current();
        let found = property.with_value(|p| ctx.catalog.with_value(|c| validate(p, &value, c)));
        found
            .into_iter()
            .filter(|e| touched.get() || *e != Invalid::Required)
            .map(|e| rulekit_model::text::invalid(ctx.lang, &e))
            .chain(push_error.get())
            .collect::<Vec<_>>()
    });
    let invalid = Signal::derive(move || !errors.with(Vec::is_empty));

    let single_id = base_id.clone();
    let pick_kind = kind.clone();
    let focus_base = base_id.clone();
    let on_pick = Callback::new(move |expression: String| {
        picker_open.set(false);
        // Keyboard users continue where the value went.
        let target = if multiple { format!("{focus_base}-{}", next_key.get_value()) } else { focus_base.clone() };
        request_animation_frame(move || focus(&target));
        if multiple {
            add_item.run(expression);
        } else if let Some(item) = items.with_untracked(|v| v.first().cloned()) {
            match pick_kind {
                PropertyType::String | PropertyType::Text | PropertyType::Other(_) => {
                    let next = insert_at_cursor(&single_id, &item.text.get_untracked(), &expression);
                    item.text.set(next);
                }
                _ => item.text.set(expression),
            }
        }
        changed.run(());
    });

    let described_by = if description.is_some() { format!("{help_id} {err_id}") } else { err_id.clone() };
    let control = move |id: String, text: RwSignal<String>, labelled_by: Option<String>| {
        let described_by = described_by.clone();
        view! { <Control property=property id=id text=text changed=changed labelled_by=labelled_by described_by=described_by invalid=invalid/> }
    };

    let label = if multiple {
        view! { <span class="rk-label" id=label_id.clone()>{name.clone()}</span> }.into_any()
    } else {
        view! { <label class="rk-label" id=label_id.clone() for=base_id.clone()>{name.clone()}</label> }.into_any()
    };
    let required_mark = property.with_value(|p| p.required).then(|| {
        view! { <span class="rk-req" title=s.required>"*"<span class="rk-sr">{format!(" ({})", s.required)}</span></span> }
    });
    let help = description.map(|d| view! { <p class="rk-help" id=help_id.clone()>{d}</p> });

    let body = if multiple {
        let name_for_items = name.clone();
        let choose_users = (kind == PropertyType::User).then(|| {
            let title = name.clone();
            view! {
                <button type="button" class="rk-btn rk-choose" on:click=move |_| {
                    let title = title.clone();
                    spawn_local(async move {
                        if let Ok(picked) = bx24::select_users(&title, true).await {
                            users::remember(ctx, &picked);
                            // The field may be gone by the time the person has chosen.
                            let Some(present) = items.try_with_untracked(|v| v.iter().map(|i| i.text.get_untracked()).collect::<Vec<_>>()) else {
                                return;
                            };
                            for u in picked {
                                let value = format!("user_{}", u.id);
                                if !present.contains(&value) {
                                    add_item.run(value);
                                }
                            }
                            changed.run(());
                        }
                    });
                }>{s.choose_users}</button>
            }
        });
        let add_id = add_button_id.clone();
        view! {
            <div class="rk-items" role="group" aria-labelledby=label_id.clone()>
                <For each=move || items.get() key=|item| item.key let:item>
                    {
                        let key = item.key;
                        let add_id = add_id.clone();
                        let position = move || items.with(|v| v.iter().position(|i| i.key == key).unwrap_or(0));
                        // Named by position, which changes as items move: a live label element.
                        let name_for_item = name_for_items.clone();
                        let item_label = move || format!("{} {}", name_for_item, position() + 1);
                        let label_id = format!("{base_id}-{key}-label");
                        let swap = move |delta: isize| {
                            items.update(|v| {
                                let Some(i) = v.iter().position(|it| it.key == key) else { return };
                                let j = i as isize + delta;
                                if j >= 0 && (j as usize) < v.len() {
                                    v.swap(i, j as usize);
                                }
                            });
                            changed.run(());
                        };
                        view! {
                            <div class="rk-item" data-key=key>
                                <span class="rk-sr" id=label_id.clone()>{item_label}</span>
                                {control(format!("{base_id}-{key}"), item.text, Some(label_id))}
                                <button type="button" class="rk-icon rk-up" title=s.move_up aria-label=s.move_up
                                    disabled=move || position() == 0 on:click=move |_| swap(-1)>"↑"</button>
                                <button type="button" class="rk-icon rk-down" title=s.move_down aria-label=s.move_down
                                    disabled=move || { position() + 1 >= items.with(Vec::len) } on:click=move |_| swap(1)>"↓"</button>
                                <button type="button" class="rk-icon rk-remove" title=s.remove_item aria-label=s.remove_item
                                    on:click=move |_| {
                                        items.update(|v| v.retain(|i| i.key != key));
                                        changed.run(());
                                        // The focused button is gone: keyboard users go on from "Add".
                                        let add = add_id.clone();
                                        request_animation_frame(move || focus(&add));
                                    }>"×"</button>
                            </div>
                        }
                    }
                </For>
                <div class="rk-item-actions">
                    <button type="button" class="rk-btn rk-add" id=add_button_id on:click=move |_| add_item.run(String::new())>{"+ "}{s.add_item}</button>
                    {choose_users}
                </div>
            </div>
        }
        .into_any()
    } else {
        let text = items.with_untracked(|v| v.first().map(|i| i.text)).unwrap_or_else(|| RwSignal::new(String::new()));
        control(base_id.clone(), text, None).into_any()
    };

    let back_to = insert_id.clone();
    // Closing without a choice returns the focus to the button that opened the picker.
    let close_picker = Callback::new(move |_: ()| {
        picker_open.set(false);
        let id = back_to.clone();
        request_animation_frame(move || focus(&id));
    });
    view! {
        <div class="rk-field" class:rk-invalid=move || invalid.get() data-code=code data-kind=kind.name().to_string()>
            <div class="rk-label-row">
                {label}
                {required_mark}
                <button type="button" class="rk-insert" id=insert_id.clone() title=s.insert_field aria-label=format!("{}: {}", s.insert_field, name)
                    aria-expanded=move || picker_open.get().to_string()
                    on:click=move |_| picker_open.update(|o| *o = !*o)>"{…}"</button>
            </div>
            {help}
            {body}
            <Show when=move || picker_open.get()>
                <ExpressionPicker on_pick=on_pick on_close=close_picker/>
            </Show>
            <ul class="rk-errors" id=err_id.clone() aria-live="polite">
                {move || errors.get().into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}
            </ul>
        </div>
    }
}
