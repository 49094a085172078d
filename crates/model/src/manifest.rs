//! Each rule rulekit offers, described once: its code, names, properties, return values, the
//! documents it works on, and how it registers. The handler runs it, the sandbox and the console
//! register it.

use crate::document::CrmEntity;
use crate::lang::{Lang, Localized};
use crate::problem::Problem;
use crate::property::Property;
use serde_json::{json, Map, Value};

#[derive(Clone, Debug, PartialEq)]
pub struct RuleManifest {
    /// The robot's code. Robots and activities of one app share one set of codes, so the
    /// activity registers as `<code>_activity` (`activity_code`).
    pub code: &'static str,
    pub name: Localized,
    pub description: Localized,
    pub properties: Vec<Property>,
    pub return_properties: Vec<Property>,
    /// The CRM documents the rule works on (`FILTER.INCLUDE`, and the activity's `DOCUMENT_TYPE`).
    pub accepts: Vec<CrmEntity>,
    /// Whether the workflow waits for the rule's answer (always registered explicitly).
    pub use_subscription: bool,
    /// What the rule says about its work, by key, in every language it speaks, with `{name}`
    /// placeholders (`RuleManifest::say`). Kept here with the rule's other words.
    pub messages: Vec<(&'static str, Localized)>,
}

fn properties(descriptors: Value) -> Vec<Property> {
    let mut problems: Vec<Problem> = Vec::new();
    let out = descriptors
        .as_object()
        .map(|m| m.iter().map(|(code, d)| Property::parse(code, d, &mut problems)).collect())
        .unwrap_or_default();
    debug_assert!(problems.is_empty(), "a manifest is well-formed: {problems:?}");
    out
}

fn words(en: &str, ru: &str, de: &str) -> Localized {
    Localized::from_pairs([("en", en), ("ru", ru), ("de", de)])
}

/// The seed's first rule: a smart invoice from a deal or a lead.
pub fn invoice() -> RuleManifest {
    RuleManifest {
        code: "rulekit_invoice",
        name: words("Create a smart invoice", "Создать счёт", "Rechnung erstellen"),
        description: words(
            "Creates a smart invoice from the deal or lead, with its products, and returns the invoice's ID.",
            "Создаёт счёт по сделке или лиду вместе с товарами и возвращает ID счёта.",
            "Erstellt eine Rechnung aus dem Deal oder Lead mit seinen Produkten und gibt die ID der Rechnung zurück.",
        ),
        properties: properties(json!({
            "invoice_title": {"Name": {"en": "Invoice title", "ru": "Название счёта", "de": "Rechnungstitel"},
                "Type": "string", "Required": "Y", "Default": "Invoice for {=Document:TITLE}"},
            "mycompany_id": {"Name": {"en": "Your company", "ru": "Ваша компания", "de": "Ihr Unternehmen"},
                "Type": "int", "Required": "Y", "Settings": {"Choices": "crm.mycompany"}},
            "copy_products": {"Name": {"en": "Copy the products", "ru": "Скопировать товары", "de": "Produkte übernehmen"},
                "Type": "bool", "Default": "Y"},
            "due_in_days": {"Name": {"en": "Due in (days)", "ru": "Срок оплаты (дней)", "de": "Fällig in (Tagen)"},
                "Type": "int", "Default": "10"},
            "observers": {"Name": {"en": "Observers", "ru": "Наблюдатели", "de": "Beobachter"}, "Type": "user", "Multiple": "Y"},
            "comments": {"Name": {"en": "Comments", "ru": "Комментарий", "de": "Kommentar"}, "Type": "text"}
        })),
        return_properties: properties(json!({
            "invoice_id": {"Name": {"en": "Invoice ID", "ru": "ID счёта", "de": "Rechnungs-ID"}, "Type": "int"}
        })),
        accepts: vec![CrmEntity::Deal, CrmEntity::Lead],
        use_subscription: true,
        messages: vec![
            ("created", words(
                "Invoice #{invoice_id} created from {document}.",
                "Счёт №{invoice_id} создан. Источник: {document}.",
                "Rechnung #{invoice_id} aus {document} erstellt.",
            )),
            ("created_with_rows", words(
                "Invoice #{invoice_id} created from {document} with {rows} product rows.",
                "Счёт №{invoice_id} создан, товарных позиций: {rows}. Источник: {document}.",
                "Rechnung #{invoice_id} aus {document} mit {rows} Produktpositionen erstellt.",
            )),
            ("made", words("Invoice #{invoice_id} was created", "Счёт №{invoice_id} создан", "Rechnung #{invoice_id} wurde erstellt")),
            ("not_made", words("The invoice was not created. {why}", "Счёт не создан. {why}", "Die Rechnung wurde nicht erstellt. {why}")),
        ],
    }
}

/// A comment on the document's timeline: a note the whole team sees where it works.
pub fn timeline_comment() -> RuleManifest {
    RuleManifest {
        code: "rulekit_timeline_comment",
        name: words("Add a timeline comment", "Добавить комментарий в таймлайн", "Kommentar zur Timeline hinzufügen"),
        description: words(
            "Adds a comment to the timeline of the deal, lead, contact or company and returns the comment's ID.",
            "Добавляет комментарий в таймлайн сделки, лида, контакта или компании и возвращает ID комментария.",
            "Fügt der Timeline des Deals, Leads, Kontakts oder Unternehmens einen Kommentar hinzu und gibt seine ID zurück.",
        ),
        properties: properties(json!({
            "comment": {"Name": {"en": "Comment", "ru": "Комментарий", "de": "Kommentar"},
                "Type": "text", "Required": "Y", "Default": "Checked by the automation rule: {=Document:TITLE}"},
            "author": {"Name": {"en": "Author", "ru": "Автор", "de": "Autor"}, "Type": "user",
                "Description": {"en": "Empty: the user the rule runs as.", "ru": "Пусто: пользователь, от имени которого работает правило.",
                    "de": "Leer: der Benutzer, unter dem die Regel läuft."}}
        })),
        return_properties: properties(json!({
            "comment_id": {"Name": {"en": "Comment ID", "ru": "ID комментария", "de": "Kommentar-ID"}, "Type": "int"}
        })),
        accepts: vec![CrmEntity::Deal, CrmEntity::Lead, CrmEntity::Contact, CrmEntity::Company],
        use_subscription: true,
        messages: vec![
            ("added", words(
                "Comment #{comment_id} added to the timeline of {document}.",
                "Комментарий №{comment_id} добавлен в таймлайн. Документ: {document}.",
                "Kommentar #{comment_id} zur Timeline von {document} hinzugefügt.",
            )),
            ("made", words("Comment #{comment_id} was added", "Комментарий №{comment_id} добавлен", "Kommentar #{comment_id} wurde hinzugefügt")),
            ("not_made", words("The comment was not added. {why}", "Комментарий не добавлен. {why}", "Der Kommentar wurde nicht hinzugefügt. {why}")),
        ],
    }
}

pub fn all() -> Vec<RuleManifest> {
    vec![invoice(), timeline_comment()]
}

/// The rule a run's `code` names: the robot's code, or the activity's.
pub fn find(code: &str) -> Option<RuleManifest> {
    all().into_iter().find(|m| m.code == code || m.activity_code() == code)
}

impl RuleManifest {
    pub fn activity_code(&self) -> String {
        format!("{}_activity", self.code)
    }

    pub fn property(&self, code: &str) -> Option<&Property> {
        self.properties.iter().find(|p| p.code == code)
    }

    /// One of the rule's messages in a language, filled in; the key itself when the rule has no
    /// such message (a test checks that every rule's keys exist in every language).
    pub fn say(&self, key: &str, lang: Lang, args: &[(&str, &str)]) -> String {
        match self.messages.iter().find(|(k, _)| *k == key) {
            Some((_, text)) => text.fill(lang.code(), args),
            None => key.to_string(),
        }
    }

    /// The parameters of `bizproc.robot.add` (and, with the activity code, `bizproc.activity.add`).
    pub fn registration(&self, robot: bool, handler: &str, placement_handler: &str, auth_user_id: u64) -> Value {
        let descriptors = |props: &[Property]| -> Value {
            Value::Object(props.iter().map(|p| (p.code.clone(), p.to_registration_json())).collect::<Map<_, _>>())
        };
        let include: Vec<Value> = self.accepts.iter().map(|e| json!(["crm", e.document_class()])).collect();
        let mut params = json!({
            "CODE": if robot { self.code.to_string() } else { self.activity_code() },
            "HANDLER": handler,
            "AUTH_USER_ID": auth_user_id,
            "USE_SUBSCRIPTION": if self.use_subscription { "Y" } else { "N" },
            "NAME": self.name.to_json(),
            "DESCRIPTION": self.description.to_json(),
            "PROPERTIES": descriptors(&self.properties),
            "RETURN_PROPERTIES": descriptors(&self.return_properties),
            "FILTER": {"INCLUDE": include},
            "USE_PLACEMENT": "Y",
            "PLACEMENT_HANDLER": placement_handler,
        });
        if let (false, Some(first)) = (robot, self.accepts.first()) {
            // `bizproc.activity.add` validates DOCUMENT_TYPE: the first document the rule works on.
            params["DOCUMENT_TYPE"] = json!(first.document_type());
        }
        params
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_invoice_rule_is_described_once_with_everything_the_issue_names() {
        let m = invoice();
        let codes: Vec<_> = m.properties.iter().map(|p| p.code.as_str()).collect();
        assert_eq!(codes, ["invoice_title", "mycompany_id", "copy_products", "due_in_days", "observers", "comments"]);
        let title = &m.properties[0];
        assert!(title.required);
        assert_eq!(title.default, Some(crate::PropertyValue::Single("Invoice for {=Document:TITLE}".into())));
        assert!(m.properties[4].multiple);
        assert_eq!(m.name.get("de"), "Rechnung erstellen");
        assert_eq!(m.return_properties[0].code, "invoice_id");
        let reg = m.registration(true, "https://h.example.com/run", "https://h.example.com/settings/", 1);
        assert_eq!(reg["CODE"], "rulekit_invoice");
        assert_eq!(reg["USE_SUBSCRIPTION"], "Y");
        assert_eq!(reg["USE_PLACEMENT"], "Y");
        assert_eq!(reg["PROPERTIES"]["due_in_days"]["Default"], "10");
        let act = m.registration(false, "https://h.example.com/run", "https://h.example.com/settings/", 1);
        assert_eq!(act["CODE"], "rulekit_invoice_activity", "robots and activities cannot share a code");
        assert_eq!(find("rulekit_invoice_activity").map(|m| m.code), Some("rulekit_invoice"));
        assert!(find("other").is_none());
        assert_eq!(reg["FILTER"]["INCLUDE"], json!([["crm", "CCrmDocumentDeal"], ["crm", "CCrmDocumentLead"]]));
        assert_eq!(act["DOCUMENT_TYPE"], json!(["crm", "CCrmDocumentDeal", "DEAL"]));
    }

    #[test]
    fn the_timeline_rule_registers_on_four_kinds_of_document() {
        let m = timeline_comment();
        assert_eq!(find("rulekit_timeline_comment_activity").map(|m| m.code), Some("rulekit_timeline_comment"));
        assert!(m.property("comment").is_some_and(|p| p.required));
        assert!(m.property("author").is_some_and(|p| !p.multiple));
        assert_eq!(m.return_properties[0].code, "comment_id");
        let reg = m.registration(true, "https://h.example.com/run", "https://h.example.com/settings/", 1);
        assert_eq!(reg["FILTER"]["INCLUDE"].as_array().map(Vec::len), Some(4));
    }

    #[test]
    fn codes_are_unique_across_robots_and_activities() {
        let mut codes: Vec<String> = all().iter().flat_map(|m| [m.code.to_string(), m.activity_code()]).collect();
        let n = codes.len();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), n);
    }

    #[test]
    fn every_rule_can_say_what_it_made_and_that_it_failed() {
        // The handler's failure notes use these two keys for every rule.
        for m in all() {
            for key in ["made", "not_made"] {
                assert!(m.messages.iter().any(|(k, _)| *k == key), "{}: no message {key}", m.code);
            }
        }
    }

    #[test]
    fn every_rule_speaks_every_language() {
        for m in all() {
            for lang in Lang::ALL {
                assert!(!m.name.get(lang.code()).is_empty());
                for (key, text) in &m.messages {
                    let wanted = lang.code().to_ascii_uppercase();
                    assert!(text.to_json().get(&wanted).is_some(), "{}: message {key} has no {wanted}", m.code);
                }
                for p in m.properties.iter().chain(&m.return_properties) {
                    assert!(p.name.to_json().get(lang.code().to_ascii_uppercase()).is_some(), "{}.{} in {lang:?}", m.code, p.code);
                }
            }
        }
        let m = invoice();
        assert_eq!(m.say("made", Lang::En, &[("invoice_id", "5")]), "Invoice #5 was created");
        assert_eq!(m.say("not_made", Lang::De, &[("why", "X.")]), "Die Rechnung wurde nicht erstellt. X.");
        assert_eq!(m.say("nope", Lang::En, &[]), "nope");
    }
}
