//! A property whose choices come from the portal (the invoice's own company): a text box that
//! shows the chosen name and suggests the names as one types (the browser's own list, with its
//! arrow keys and Enter). The box is there from the start, so the focus stays in it while the
//! list loads; without the list it is a plain box for the id.

use super::Slot;
use crate::settings::choice_source::ChoiceState;
use crate::settings::field_context::FieldCtx;
use leptos::prelude::*;
use rulekit_model::choices::{title_of, Choice, ChoiceSource};
use rulekit_model::expression::has_expression;

/// What a typed text stands for: the key of a choice named exactly so (or of that key), else the
/// text itself (an id not listed, an expression), which is kept and checked like any value.
fn settle(list: &[Choice], typed: &str) -> String {
    let t = typed.trim();
    list.iter().find(|c| c.title.trim().eq_ignore_ascii_case(t) || c.key == t).map_or_else(|| typed.to_string(), |c| c.key.clone())
}

#[component]
pub fn ChoicePicker(item: Slot, source: ChoiceSource) -> impl IntoView {
    let field = expect_context::<FieldCtx>();
    let s = field.s();
    let state = field.form.choice_lists.get(source);
    let Slot { id, text, labelled_by } = item;
    let list_id = [id.as_str(), "-list"].concat();
    let with_list = move |f: &dyn Fn(&[Choice]) -> String| state.with(|st| if let ChoiceState::Ready(l) = st { Some(f(l)) } else { None });
    // The value's name while the list is there; the value itself otherwise.
    let shown = move || text.with(|v| with_list(&|l| title_of(l, v).unwrap_or(v).to_string()).unwrap_or_else(|| v.clone()));
    let on_input = move |ev| {
        let typed = event_target_value(&ev);
        let value = with_list(&|l| settle(l, &typed)).unwrap_or(typed);
        field.set(text, value);
    };
    // While loading, why the list is missing (the portal's own words), or that the value is not
    // one of the choices.
    let note = move || {
        state.with(|st| match st {
            ChoiceState::Loading => s.loading_choices.to_string(),
            ChoiceState::Failed(why) => [s.choices_failed, " (", why, ")"].concat(),
            ChoiceState::Ready(l) => {
                let unlisted = text.with(|v| !v.trim().is_empty() && !has_expression(v) && title_of(l, v).is_none());
                if unlisted { s.not_in_list } else { "" }.to_string()
            }
        })
    };
    // The suggestions are plain DOM: a view per option would cost the page more code than the
    // whole control.
    let datalist = NodeRef::<leptos::html::Datalist>::new();
    Effect::new(move |_| {
        let Some(list) = datalist.get() else { return };
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
        state.with(|st| {
            let ChoiceState::Ready(choices) = st else { return };
            for c in choices {
                if let Ok(option) = doc.create_element("option") {
                    let _ = option.set_attribute("value", &c.title);
                    option.set_text_content(Some(&["#", c.key.as_str()].concat()));
                    let _ = list.append_child(&option);
                }
            }
        });
    });
    view! {
        <span class="rk-choice">
            <input type="text" class="rk-input" id=id list=list_id.clone() autocomplete="off"
                aria-labelledby=labelled_by aria-describedby=field.described_by() aria-required=field.aria_required()
                aria-invalid=move || field.invalid.get().to_string()
                prop:value=shown on:change=on_input on:blur=move |_| field.commit()/>
            <datalist id=list_id node_ref=datalist></datalist>
            <span class="rk-help" role="status">{note}</span>
        </span>
    }
}
