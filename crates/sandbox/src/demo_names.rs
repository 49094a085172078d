//! The demo rule's property names and descriptions in English, Russian and German, laid over the
//! robot designer's fixture when the sandbox registers the rule, so a Russian or German dialog
//! reads Russian or German. The fixture itself keeps its plain English names: other tests read
//! it as the portal sent it. A name is a map of upper-case languages, as the portal stores it.
//! Select options get their titles in the three languages the same way.

use serde_json::{json, Value};

/// `(property, [en, ru, de])`.
const NAMES: &[(&str, [&str; 3])] = &[
    ("title", ["Invoice title", "Название счёта", "Rechnungstitel"]),
    ("notes", ["Notes", "Примечания", "Notizen"]),
    ("quantity", ["Quantity", "Количество", "Menge"]),
    ("discount", ["Discount, %", "Скидка, %", "Rabatt, %"]),
    ("send_copy", ["Send a copy to the client", "Отправить копию клиенту", "Kopie an den Kunden senden"]),
    ("due_date", ["Pay before", "Оплатить до", "Zahlbar bis"]),
    ("remind_at", ["Remind at", "Напомнить", "Erinnern am"]),
    ("format", ["Format", "Формат", "Format"]),
    ("approvers", ["Approvers", "Согласующие", "Genehmiger"]),
    ("emails", ["Copies to e-mail", "Копии на e-mail", "Kopien per E-Mail"]),
    ("tags", ["Tags", "Метки", "Schlagwörter"]),
];

/// `(property, [en, ru, de])`.
const DESCRIPTIONS: &[(&str, [&str; 3])] = &[(
    "title",
    ["Shown at the top of the invoice", "Показывается вверху счёта", "Steht oben auf der Rechnung"],
)];

/// `(property, option key, [en, ru, de])`.
const OPTIONS: &[(&str, &str, [&str; 3])] = &[
    ("format", "pdf", ["PDF", "PDF", "PDF"]),
    ("format", "docx", ["Word document", "Документ Word", "Word-Dokument"]),
    ("tags", "vip", ["VIP", "VIP", "VIP"]),
    ("tags", "new", ["New client", "Новый клиент", "Neukunde"]),
    ("tags", "repeat", ["Repeat order", "Повторный заказ", "Folgeauftrag"]),
];

/// The rule's own name and description, and its return value's name.
pub const RULE_NAME: [&str; 3] = ["Every kind of setting (rulekit demo)", "Все виды настроек (демо rulekit)", "Alle Arten von Einstellungen (rulekit-Demo)"];
pub const RULE_DESCRIPTION: [&str; 3] = ["A demo rule with one property of every type.", "Демо-правило со свойством каждого типа.", "Eine Demo-Regel mit je einer Eigenschaft jedes Typs."];
pub const RESULT_NAME: [&str; 3] = ["Result", "Результат", "Ergebnis"];

/// `{"EN": …, "RU": …, "DE": …}`.
pub fn localized(texts: [&str; 3]) -> Value {
    json!({"EN": texts[0], "RU": texts[1], "DE": texts[2]})
}

/// Sets `NAME` and `DESCRIPTION` of each known property, and its options' titles, in a
/// `PROPERTIES` map (keys as the fixture or the portal writes them: upper case).
pub fn localize(properties: &mut Value) {
    for (code, key, texts) in OPTIONS {
        if let Some(options) = properties.get_mut(*code).and_then(|d| d.get_mut("OPTIONS")).and_then(Value::as_object_mut) {
            if options.contains_key(*key) {
                options.insert(key.to_string(), localized(*texts));
            }
        }
    }
    for (field, table) in [("NAME", NAMES), ("DESCRIPTION", DESCRIPTIONS)] {
        for (code, texts) in table {
            if let Some(d) = properties.get_mut(*code).and_then(Value::as_object_mut) {
                d.insert(field.into(), localized(*texts));
            }
        }
    }
}
