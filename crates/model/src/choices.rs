//! Choices a property takes from the portal rather than from its own `Options`: the rule's manifest
//! names a source, the settings page loads it once through `BX24.callMethod`, and shows a
//! searchable list of names where the portal's own dialog would show a bare number.
//!
//! The source travels with the property in its `Settings` (`{"Choices": "crm.mycompany"}`), which
//! the portal stores with the registration. Whether every portal hands `Settings` back unchanged
//! in the placement options is not confirmed, so the page also looks the source up in the
//! manifest by the rule's code (`manifest::declared_choices`).

use crate::lenient::{get_ci, list_like, scalar_text};
use crate::caseless::fold;
use crate::json_text::object;
use serde_json::Value;

/// Where a property's choices come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChoiceSource {
    /// The portal's own companies ("my companies"): the invoice's seller.
    MyCompanies,
}

/// One choice: the value stored (an id) and what people read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub key: String,
    pub title: String,
}

/// The CRM's entity type of companies.
const COMPANY_TYPE: u32 = 4;

impl ChoiceSource {
    /// The name in a property's `Settings.Choices`.
    pub fn name(self) -> &'static str {
        match self {
            ChoiceSource::MyCompanies => "crm.mycompany",
        }
    }

    pub fn parse(name: &str) -> Option<ChoiceSource> {
        name.trim().eq_ignore_ascii_case("crm.mycompany").then_some(ChoiceSource::MyCompanies)
    }

    /// The source a property's `Settings` names, if any.
    pub fn from_settings(settings: Option<&Value>) -> Option<ChoiceSource> {
        let Some(Value::Object(s)) = settings else { return None };
        get_ci(s, "Choices").and_then(scalar_text).and_then(|n| ChoiceSource::parse(&n))
    }

    /// The REST call that lists the choices: one page, which holds every company a portal of
    /// ordinary size has as its own (the page says when there are more).
    pub fn request(self) -> (&'static str, Value) {
        match self {
            ChoiceSource::MyCompanies => (
                "crm.item.list",
                object(vec![
                    ("entityTypeId", COMPANY_TYPE.into()),
                    ("filter", object(vec![("=isMyCompany", "Y".into())])),
                    ("select", Value::from(vec!["id", "title"])),
                    ("order", object(vec![("title", "ASC".into())])),
                ]),
            ),
        }
    }

    /// The choices in the call's `result`; `None` when it is not the shape the call answers.
    pub fn read(self, result: &Value) -> Option<Vec<Choice>> {
        let items = match result {
            Value::Object(m) => get_ci(m, "items")?,
            _ => return None,
        };
        let choices = list_like(items)
            .iter()
            .filter_map(|item| {
                let Value::Object(item) = item else { return None };
                let key = get_ci(item, "id").and_then(scalar_text).filter(|k| !k.trim().is_empty())?;
                let title = get_ci(item, "title").and_then(scalar_text).filter(|t| !t.trim().is_empty()).unwrap_or_else(|| ["#", &key].concat());
                Some(Choice { key, title })
            })
            .collect();
        Some(choices)
    }
}

/// The title of the choice stored as `key`.
pub fn title_of<'c>(choices: &'c [Choice], key: &str) -> Option<&'c str> {
    choices.iter().find(|c| c.key == key.trim()).map(|c| c.title.as_str())
}

/// The choices whose title or key holds `needle`, regardless of case.
pub fn matching<'c>(choices: &'c [Choice], needle: &str) -> Vec<&'c Choice> {
    let needle = fold(needle.trim());
    choices.iter().filter(|c| needle.is_empty() || fold(&c.title).contains(&needle) || c.key == needle).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_source_is_named_in_settings_in_any_casing() {
        assert_eq!(ChoiceSource::from_settings(Some(&json!({"Choices": "crm.mycompany"}))), Some(ChoiceSource::MyCompanies));
        assert_eq!(ChoiceSource::from_settings(Some(&json!({"CHOICES": "CRM.MyCompany"}))), Some(ChoiceSource::MyCompanies));
        assert_eq!(ChoiceSource::from_settings(Some(&json!({"Choices": "crm.deal"}))), None);
        assert_eq!(ChoiceSource::from_settings(Some(&json!([]))), None);
        assert_eq!(ChoiceSource::from_settings(None), None);
        assert_eq!(ChoiceSource::parse(ChoiceSource::MyCompanies.name()), Some(ChoiceSource::MyCompanies));
    }

    #[test]
    fn my_companies_are_listed_by_the_my_company_filter() {
        let (method, params) = ChoiceSource::MyCompanies.request();
        assert_eq!(method, "crm.item.list");
        assert_eq!(params["entityTypeId"], 4);
        assert_eq!(params["filter"]["=isMyCompany"], "Y");
    }

    #[test]
    fn the_answer_reads_ids_as_text_and_titles_with_a_fallback() {
        let result = json!({"items": [{"id": 1, "title": "Rulekit Demo LLC"}, {"id": "2", "title": ""}, {"title": "no id"}, "junk"]});
        let choices = ChoiceSource::MyCompanies.read(&result).unwrap();
        assert_eq!(choices, vec![
            Choice { key: "1".into(), title: "Rulekit Demo LLC".into() },
            Choice { key: "2".into(), title: "#2".into() },
        ]);
        assert_eq!(title_of(&choices, " 1 "), Some("Rulekit Demo LLC"));
        assert_eq!(title_of(&choices, "9"), None);
        assert_eq!(matching(&choices, "demo").len(), 1);
        assert_eq!(matching(&choices, "2").len(), 1);
        assert_eq!(matching(&choices, "").len(), 2);
        assert_eq!(ChoiceSource::MyCompanies.read(&json!("oops")), None);
        assert_eq!(ChoiceSource::MyCompanies.read(&json!({"items": {}})), Some(vec![]));
    }
}
