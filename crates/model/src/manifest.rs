//! Each rule rulekit offers, described once: its code, names, properties, return values, the
//! documents it works on, and how it registers. The handler runs it, the sandbox and the console
//! register it.

use crate::lang::Localized;
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
    /// `FILTER.INCLUDE`: the document types the rule offers itself on.
    pub include: Vec<Value>,
    /// Whether the workflow waits for the rule's answer (always registered explicitly).
    pub use_subscription: bool,
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

/// The seed's first rule: a smart invoice from a deal or a lead.
pub fn invoice() -> RuleManifest {
    RuleManifest {
        code: "rulekit_invoice",
        name: Localized::from_pairs([("en", "Create a smart invoice"), ("ru", "Создать счёт"), ("de", "Rechnung erstellen")]),
        description: Localized::from_pairs([
            ("en", "Creates a smart invoice from the deal or lead, with its products, and returns the invoice's ID."),
            ("ru", "Создаёт счёт по сделке или лиду вместе с товарами и возвращает ID счёта."),
            ("de", "Erstellt eine Rechnung aus dem Deal oder Lead mit seinen Produkten und gibt die ID der Rechnung zurück."),
        ]),
        properties: properties(json!({
            "invoice_title": {"Name": {"en": "Invoice title", "ru": "Название счёта", "de": "Rechnungstitel"},
                "Type": "string", "Required": "Y", "Default": "Invoice for {=Document:TITLE}"},
            "mycompany_id": {"Name": {"en": "Your company (ID)", "ru": "Ваша компания (ID)", "de": "Ihr Unternehmen (ID)"},
                "Type": "int", "Required": "Y"},
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
        include: vec![json!(["crm", "CCrmDocumentDeal"]), json!(["crm", "CCrmDocumentLead"])],
        use_subscription: true,
    }
}

pub fn all() -> Vec<RuleManifest> {
    vec![invoice()]
}

/// The rule a run's `code` names: the robot's code, or the activity's.
pub fn find(code: &str) -> Option<RuleManifest> {
    all().into_iter().find(|m| m.code == code || m.activity_code() == code)
}

impl RuleManifest {
    pub fn activity_code(&self) -> String {
        format!("{}_activity", self.code)
    }

    /// The parameters of `bizproc.robot.add` (and, with the activity code, `bizproc.activity.add`).
    pub fn registration(&self, robot: bool, handler: &str, placement_handler: &str, auth_user_id: u64) -> Value {
        let descriptors = |props: &[Property]| -> Value {
            Value::Object(props.iter().map(|p| (p.code.clone(), p.to_registration_json())).collect::<Map<_, _>>())
        };
        let mut params = json!({
            "CODE": if robot { self.code.to_string() } else { self.activity_code() },
            "HANDLER": handler,
            "AUTH_USER_ID": auth_user_id,
            "USE_SUBSCRIPTION": if self.use_subscription { "Y" } else { "N" },
            "NAME": self.name.to_json(),
            "DESCRIPTION": self.description.to_json(),
            "PROPERTIES": descriptors(&self.properties),
            "RETURN_PROPERTIES": descriptors(&self.return_properties),
            "FILTER": {"INCLUDE": self.include},
            "USE_PLACEMENT": "Y",
            "PLACEMENT_HANDLER": placement_handler,
        });
        if !robot {
            // Activities validate DOCUMENT_TYPE; the invoice works on CRM documents.
            params["DOCUMENT_TYPE"] = json!(["crm", "CCrmDocumentDeal", "DEAL"]);
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
    }
}
