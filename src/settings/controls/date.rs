//! Dates and date-times: typed as text in any form the portal reads, or picked from the
//! browser's calendar, which writes the date back in the style the text already had.

use super::text_input::text_input;
use super::Slot;
use crate::dom::{add, listen, make, set_value, value, watch};
use crate::settings::field_context::FieldCtx;
use crate::reactive::*;
use rulekit_model::dates::{self, Style};
use web_sys::Element;

pub fn date_input(field: FieldCtx, item: Slot, with_time: bool) -> Element {
    let s = field.s();
    let text = item.text;
    let wrap = make("span", &[("class", "rk-date")]);
    let _ = wrap.append_child(&text_input(field, item, "text"));
    let kind = if with_time { "datetime-local" } else { "date" };
    let calendar = add(&wrap, "input", &[("type", kind), ("class", "rk-calendar"), ("title", s.calendar), ("aria-label", s.calendar)]);
    if with_time {
        let _ = calendar.set_attribute("step", "1");
    }
    let shown = calendar.clone();
    watch(move || {
        let picked = text.with(|t| if with_time { dates::picker_datetime(t) } else { dates::picker_date(t) });
        set_value(&shown, &picked.unwrap_or_default());
    });
    let read = calendar.clone();
    listen(&[&calendar], &["change"], move |_| {
        if let Some(picked) = dates::parse(&value(&read)) {
            let style = text.with_untracked(|t| Style::of(t));
            field.set(text, dates::format(picked, style, with_time));
        }
    });
    wrap
}
