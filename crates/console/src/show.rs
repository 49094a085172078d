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
