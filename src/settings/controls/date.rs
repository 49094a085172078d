//! Dates and date-times: typed as text in any form the portal reads, or picked from the
//! browser's calendar, which writes the date back in the style the text already had.

use super::{Slot, TextInput};
use crate::settings::field_context::FieldCtx;
use leptos::prelude::*;
use rulekit_model::dates::{self, Style};

#[component]
pub fn DateInput(item: Slot, with_time: bool) -> impl IntoView {
    let field = expect_context::<FieldCtx>();
    let s = field.s();
    let text = item.text;
    let picker_value = move || {
        text.with(|t| if with_time { dates::picker_datetime(t) } else { dates::picker_date(t) }).unwrap_or_default()
    };
    let on_pick = move |ev| {
        if let Some(picked) = dates::parse(&event_target_value(&ev)) {
            let style = text.with_untracked(|t| Style::of(t));
            field.set(text, dates::format(picked, style, with_time));
        }
    };
    view! {
        <span class="rk-date">
            <TextInput item=item/>
            <input type=if with_time { "datetime-local" } else { "date" } class="rk-calendar"
                step=with_time.then_some("1") title=s.calendar aria-label=s.calendar
                prop:value=picker_value on:change=on_pick/>
        </span>
    }
}
