//! How the console writes the portal's values for a person: dates in the portal's format (dotted
//! for Russian and German portals, US order for English ones, as the portal itself writes them)
//! and a document by its kind and number.

use rulekit_model::dates::{self, Style};
use rulekit_model::{text, DocumentId, Lang};

fn style(lang: Lang) -> Style {
    match lang {
        Lang::En => Style::Us,
        Lang::Ru | Lang::De => Style::Dotted,
    }
}

/// `2025-03-01T09:00:00+03:00` as the portal shows it (`03/01/2025 09:00:00 am`, `01.03.2025
/// 09:00:00`), in the time the value carries; anything else as it is.
pub fn date_time(lang: Lang, iso: &str) -> String {
    let head = iso.get(..19).unwrap_or(iso).replace('T', " ");
    match dates::parse(&head) {
        Some(c) => dates::format(c, style(lang), c.time.is_some()),
        None => iso.to_string(),
    }
}

/// `DEAL_123` as `deal 123` in the page's language; an id that is no CRM document, as it is.
pub fn document(lang: Lang, document_id: &str) -> String {
    match DocumentId::parse(document_id) {
        Some(d) => text::document(lang, &d),
        None => document_id.to_string(),
    }
}

/// A moment in unix milliseconds, as the portal shows it, in the browser's time zone (the
/// handler keeps its times in UTC, but the person reads their own clock).
pub fn date_time_ms(lang: Lang, ms: u64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    let iso = format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", d.get_full_year(), d.get_month() + 1, d.get_date(), d.get_hours(), d.get_minutes(), d.get_seconds());
    date_time(lang, &iso)
}

/// An `<input type="date">` value (`2025-03-01`) as the browser's local midnight of that day, or
/// of the day after with `end` (so "on or before" takes the whole day), in unix milliseconds.
pub fn day_ms(value: &str, end: bool) -> Option<u64> {
    let mut parts = value.trim().splitn(3, '-').map(|p| p.parse::<i32>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    let day = js_sys::Date::new_with_year_month_day(y as u32, m - 1, d + i32::from(end));
    let ms = day.get_time();
    (ms.is_finite() && ms >= 0.0).then(|| ms as u64 - u64::from(end))
}
