//! One small control per kind of value. Each edits one item's text and reports every change at
//! once (`changed`), so the field can push it to the portal without delay.

use super::users::{remember, user_id};
use super::FormCtx;
use crate::bx24;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rulekit_model::dates::{self, Style};
use rulekit_model::expression::has_expression;
use rulekit_model::{Property, PropertyType};
use wasm_bindgen::JsCast;

/// Inserts `insert` into `text` where the cursor of the input `id` stands (at the end when the
/// input has no cursor), and returns the new text.
pub fn insert_at_cursor(id: &str, text: &str, insert: &str) -> String {
    let el = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id));
    let utf16_pos = el.and_then(|el| {
        if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
            i.selection_start().ok().flatten()
        } else {
            el.dyn_ref::<web_sys::HtmlTextAreaElement>().and_then(|t| t.selection_start().ok().flatten())
        }
    });
    // The DOM counts UTF-16 units; Rust strings index bytes.
    let byte = utf16_pos.map_or(text.len(), |pos| {
        let mut units = 0u32;
        text.char_indices().find(|(_, c)| {
            let here = units >= pos;
            units += c.len_utf16() as u32;
            here
        }).map_or(text.len(), |(b, _)| b)
    });
    format!("{}{}{}", &text[..byte], insert, &text[byte..])
}

#[component]
pub fn Control(
    property: StoredValue<Property>,
    id: String,
    text: RwSignal<String>,
    changed: Callback<()>,
    /// The id of the element that names the control, for list items (`aria-labelledby`).
    labelled_by: Option<String>,
    described_by: String,
    invalid: Signal<bool>,
) -> impl IntoView {
    let ctx = expect_context::<FormCtx>();
    let s = ctx.s();
    let (kind, required, multiple) = property.with_value(|p| (p.kind.clone(), p.required, p.multiple));
    let on_input = move |ev: leptos::ev::Event| {
        text.set(event_target_value(&ev));
        changed.run(());
    };
    let on_blur = move |_| changed.run(());
    let aria_invalid = move || invalid.get().to_string();
    let req = (required && !multiple).then_some("true");

    // A text box: the control for strings and numbers, and the fallback for every other type.
    let text_box = {
        let (id, labelled_by, described_by) = (id.clone(), labelled_by.clone(), described_by.clone());
        move |input_mode: &'static str| {
            view! {
                <input type="text" class="rk-input" id=id.clone() inputmode=input_mode
                    aria-labelledby=labelled_by.clone() aria-describedby=described_by.clone() aria-required=req aria-invalid=aria_invalid
                    prop:value=move || text.get() on:input=on_input on:blur=on_blur/>
            }
        }
    };
    // Values a switch or a list cannot show (an expression) are shown as text with a way back.
    // The mode holds while the user edits the text, even through a half-typed expression, so the
    // control never changes under their hands; only the × button ends it.
    // Only switches and lists need it: made on first use, so text fields carry no extra effect.
    let expression_mode = move || {
        let mode = RwSignal::new(text.with_untracked(|t| has_expression(t)));
        Effect::new(move |_| {
            if text.with(|t| has_expression(t)) {
                mode.set(true);
            }
        });
        mode
    };
    let expression_box = {
        let text_box = text_box.clone();
        move |mode: RwSignal<bool>| {
            view! {
                <span class="rk-expr">
                    {text_box("text")}
                    <button type="button" class="rk-icon" title=s.clear_expression aria-label=s.clear_expression
                        on:click=move |_| { mode.set(false); text.set(String::new()); changed.run(()); }>"×"</button>
                </span>
            }
        }
    };

    match kind {
        PropertyType::Text => view! {
            <textarea class="rk-input rk-textarea" id=id rows="3" aria-labelledby=labelled_by aria-describedby=described_by
                aria-required=req aria-invalid=aria_invalid
                prop:value=move || text.get() on:input=on_input on:blur=on_blur></textarea>
        }
        .into_any(),
        PropertyType::Int => text_box("numeric").into_any(),
        PropertyType::Double => text_box("decimal").into_any(),
        PropertyType::Bool => {
            let switch = move || {
                let (id, labelled_by, described_by) = (id.clone(), labelled_by.clone(), described_by.clone());
                view! {
                    <label class="rk-switch">
                        <input type="checkbox" role="switch" id=id aria-labelledby=labelled_by aria-describedby=described_by
                            prop:checked=move || text.get() == "Y"
                            on:change=move |ev| {
                                text.set(if event_target_checked(&ev) { "Y" } else { "N" }.into());
                                changed.run(());
                            }/>
                        <span class="rk-switch-track" aria-hidden="true"></span>
                        <span class="rk-switch-text">{move || if text.get() == "Y" { s.yes } else { s.no }}</span>
                    </label>
                }
            };
            let mode = expression_mode();
            (move || if mode.get() { expression_box(mode).into_any() } else { switch().into_any() }).into_any()
        }
        PropertyType::Select => {
            let list = move || {
                let (id, labelled_by, described_by) = (id.clone(), labelled_by.clone(), described_by.clone());
                let options = property.with_value(|p| p.options.clone());
                let current = text.get_untracked();
                // `selected` on the options themselves: the list's value is set before its options
                // exist, so it alone would show the first option for a value that is not one.
                let unknown = (!current.is_empty() && !options.iter().any(|(k, _)| *k == current)).then(|| {
                    view! { <option value=current.clone() selected=true>{format!("{current} ({})", s.unknown_choice)}</option> }
                });
                let blank = (!required || multiple || current.is_empty())
                    .then(|| view! { <option value="" selected=current.is_empty()>{s.not_set}</option> });
                view! {
                    <select class="rk-input rk-select" id=id aria-labelledby=labelled_by aria-describedby=described_by
                        aria-required=req aria-invalid=aria_invalid
                        prop:value=move || text.get()
                        on:change=move |ev| { text.set(event_target_value(&ev)); changed.run(()); }>
                        {blank}
                        {options.into_iter().map(|(k, t)| view! { <option value=k.clone() selected=k == current>{t}</option> }).collect_view()}
                        {unknown}
                    </select>
                }
            };
            let mode = expression_mode();
            (move || if mode.get() { expression_box(mode).into_any() } else { list().into_any() }).into_any()
        }
        PropertyType::Date | PropertyType::Datetime => {
            let with_time = kind == PropertyType::Datetime;
            let picker_value = move || {
                text.with(|t| if with_time { dates::picker_datetime(t) } else { dates::picker_date(t) }).unwrap_or_default()
            };
            view! {
                <span class="rk-date">
                    {text_box("text")}
                    <input type=if with_time { "datetime-local" } else { "date" } class="rk-calendar"
                        step=with_time.then_some("1") title=s.calendar aria-label=s.calendar tabindex="-1"
                        prop:value=picker_value
                        on:change=move |ev| {
                            if let Some(picked) = dates::parse(&event_target_value(&ev)) {
                                let style = text.with_untracked(|t| Style::of(t));
                                text.set(dates::format(picked, style, with_time));
                                changed.run(());
                            }
                        }/>
                </span>
            }
            .into_any()
        }
        PropertyType::User => {
            let title = property.with_value(|p| ctx.lang_code.with_value(|l| p.name.get(l).to_string()));
            let name = move || {
                text.with(|t| {
                    let known = ctx.user_names.get();
                    t.split([';', ','])
                        .filter_map(|tok| user_id(tok).and_then(|_| known.get(tok.trim()).cloned()))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
            };
            let choose = (!multiple).then(|| {
                view! {
                    <button type="button" class="rk-btn rk-choose" on:click=move |_| {
                        let title = title.clone();
                        spawn_local(async move {
                            if let Ok(picked) = bx24::select_users(&title, false).await {
                                remember(ctx, &picked);
                                // The row may be gone by the time the person has chosen.
                                if let (Some(u), false) = (picked.first(), text.is_disposed()) {
                                    text.set(format!("user_{}", u.id));
                                    changed.run(());
                                }
                            }
                        });
                    }>{s.choose_user}</button>
                }
            });
            view! {
                <span class="rk-user">
                    {text_box("text")}
                    <span class="rk-user-name">{name}</span>
                    {choose}
                </span>
            }
            .into_any()
        }
        PropertyType::String => text_box("text").into_any(),
        PropertyType::Other(type_name) => view! {
            <span class="rk-raw">
                {text_box("text")}
                <span class="rk-help">{format!("{} ({type_name})", s.raw_type)}</span>
            </span>
        }
        .into_any(),
    }
}
