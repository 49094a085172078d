//! The count of fields with a problem, at the top of the form, and a way to the first of them:
//! a reopened form says at once what still needs doing, before anyone touches a field.

use super::FormCtx;
use crate::dom::{add, focus_within, listen, make, text, watch, write};
use crate::reactive::*;
use web_sys::Element;

pub fn check_summary(form: FormCtx, parent: &Element) {
    let s = form.s();
    let summary = make("p", &[("class", "rk-summary"), ("role", "status")]);
    text(&summary, s.fields_to_check);
    text(&summary, ": ");
    let count = add(&summary, "strong", &[("class", "rk-count")]);
    text(&summary, " ");
    let first = add(&summary, "a", &[("class", "rk-first")]);
    write(&first, s.go_to_first);
    let link = first.clone();
    listen(&[&first], &["click"], move |ev| {
        ev.prevent_default();
        if let Some(id) = link.get_attribute("href") {
            focus_within(id.trim_start_matches('#'));
        }
    });
    // Out of the page while nothing is wrong; in it, above the form.
    let parent = parent.clone();
    watch(move || {
        let failing = form.checks.with(|c| c.iter().filter(|(_, bad)| bad.get()).map(|(id, _)| id.clone()).collect::<Vec<_>>());
        match failing.first() {
            Some(id) => {
                write(&count, &failing.len().to_string());
                let _ = first.set_attribute("href", &["#", id.as_str()].concat());
                if summary.parent_node().is_none() {
                    let form = parent.query_selector(":scope > .rk-form").ok().flatten();
                    let _ = parent.insert_before(&summary, form.as_deref());
                }
            }
            None => summary.remove(),
        }
    });
}
