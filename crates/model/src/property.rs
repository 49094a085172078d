//! A rule's property descriptor (`PROPERTIES[code]` at registration, `properties[code]` in the
//! placement options), read in any key casing.

use crate::choices::ChoiceSource;
use crate::json_text;
use crate::lang::Localized;
use crate::lenient::{flag, get_ci, map_like, scalar_text};
use crate::problem::{Problem, ProblemKind};
use crate::value::PropertyValue;
use serde_json::{Map, Value};

/// The base types the portal's workflow fields know (`string`, `text`, `int`, `double`, `bool`,
/// `date`, `datetime`, `select`, `user`). Anything else keeps its name in `Other`, and the
/// app shows it as raw text so its value passes through untouched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PropertyType {
    String,
    Text,
    Int,
    Double,
    Bool,
    Date,
    Datetime,
    Select,
    User,
    Other(String),
}

impl PropertyType {
    /// A missing or empty type is `string`, as in the newest portal source.
    pub fn parse(name: &str) -> Self {
        match name.trim().to_ascii_lowercase().as_str() {
            "" | "string" => PropertyType::String,
            "text" => PropertyType::Text,
            "int" => PropertyType::Int,
            "double" => PropertyType::Double,
            "bool" => PropertyType::Bool,
            "date" => PropertyType::Date,
            "datetime" => PropertyType::Datetime,
            "select" => PropertyType::Select,
            "user" => PropertyType::User,
            _ => PropertyType::Other(name.trim().to_string()),
        }
    }

    pub fn name(&self) -> &str {
        match self {
            PropertyType::String => "string",
            PropertyType::Text => "text",
            PropertyType::Int => "int",
            PropertyType::Double => "double",
            PropertyType::Bool => "bool",
            PropertyType::Date => "date",
            PropertyType::Datetime => "datetime",
            PropertyType::Select => "select",
            PropertyType::User => "user",
            PropertyType::Other(name) => name,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Property {
    pub code: String,
    pub name: Localized,
    pub description: Option<Localized>,
    pub kind: PropertyType,
    pub required: bool,
    pub multiple: bool,
    /// The registered default, already shaped for `multiple`; `None` when none was given.
    pub default: Option<PropertyValue>,
    /// `(stored key, title)` in the order given, for `select`; a title may be given per language,
    /// like the property's name.
    pub options: Vec<(String, Localized)>,
    /// Type-specific settings, kept as they came.
    pub settings: Option<Value>,
    /// Where the choices come from when the portal holds them (`Settings.Choices`).
    pub choices: Option<ChoiceSource>,
}

impl Property {
    /// Reads one descriptor. Never fails: what cannot be read is reported in `problems` and
    /// replaced by the least surprising value (a name by its code, a flag by N).
    pub fn parse(code: &str, descriptor: &Value, problems: &mut Vec<Problem>) -> Property {
        let at = |key: &str| format!("properties.{code}.{key}");
        let empty = Map::new();
        let d = match descriptor {
            Value::Object(m) => m,
            _ => {
                problems.push(Problem::new(format!("properties.{code}"), ProblemKind::NotAMap));
                &empty
            }
        };
        let name = get_ci(d, "Name").and_then(Localized::from_json).unwrap_or_else(|| {
            if !d.is_empty() {
                problems.push(Problem::new(at("NAME"), ProblemKind::NoName));
            }
            Localized::plain(code)
        });
        let mut read_flag = |key: &str| -> bool {
            let Some(v) = get_ci(d, key) else { return false };
            flag(v).unwrap_or_else(|| {
                problems.push(Problem::new(at(&key.to_ascii_uppercase()), ProblemKind::NotAFlag(json_text::to_text(v))));
                false
            })
        };
        let required = read_flag("Required");
        let multiple = read_flag("Multiple");
        let mut kind = PropertyType::parse(&get_ci(d, "Type").and_then(scalar_text).unwrap_or_default());
        let options = get_ci(d, "Options").map(|v| read_options(v, &at("OPTIONS"), problems)).unwrap_or_default();
        if kind == PropertyType::Select && options.is_empty() {
            problems.push(Problem::new(at("OPTIONS"), ProblemKind::NoOptions));
            kind = PropertyType::String;
        }
        let default = get_ci(d, "Default").map(|v| {
            let (value, clean) = PropertyValue::from_json(v);
            if !clean {
                problems.push(Problem::new(at("DEFAULT"), ProblemKind::UnreadableValue));
            }
            value.shaped(multiple).0
        });
        Property {
            code: code.to_string(),
            name,
            description: get_ci(d, "Description").and_then(Localized::from_json),
            kind,
            required,
            multiple,
            default,
            options,
            choices: ChoiceSource::from_settings(get_ci(d, "Settings")),
            settings: get_ci(d, "Settings").filter(|v| !v.is_null()).cloned(),
        }
    }

    /// The descriptor as `bizproc.robot.add` takes it (documented key casing).
    pub fn to_registration_json(&self) -> Value {
        let mut d = Map::new();
        d.insert("Name".into(), self.name.to_json());
        if let Some(desc) = &self.description {
            d.insert("Description".into(), desc.to_json());
        }
        d.insert("Type".into(), Value::String(self.kind.name().into()));
        d.insert("Required".into(), yn(self.required));
        d.insert("Multiple".into(), yn(self.multiple));
        if let Some(default) = &self.default {
            d.insert("Default".into(), default.to_json());
        }
        if !self.options.is_empty() {
            let opts = self.options.iter().map(|(k, t)| (k.clone(), t.to_json())).collect();
            d.insert("Options".into(), Value::Object(opts));
        }
        if let Some(s) = &self.settings {
            d.insert("Settings".into(), s.clone());
        }
        Value::Object(d)
    }

    /// The title shown for a stored select key, if the key is one of the options.
    pub fn option_title(&self, key: &str) -> Option<&Localized> {
        self.options.iter().find(|(k, _)| k == key).map(|(_, t)| t)
    }
}

fn yn(b: bool) -> Value {
    Value::String(if b { "Y" } else { "N" }.into())
}

/// Options are a map `{key: title}`; a PHP list arrives as `["a","b"]` (keys 0..n), and a list of
/// `{value,name}`-like pairs is not something the portal sends, so it is reported.
fn read_options(value: &Value, at: &str, problems: &mut Vec<Problem>) -> Vec<(String, Localized)> {
    match map_like(value) {
        Some(map) => map
            .iter()
            .map(|(k, v)| (k.clone(), Localized::from_json(v).unwrap_or_else(|| Localized::plain(scalar_text(v).unwrap_or_else(|| json_text::to_text(v))))))
            .collect(),
        None => {
            problems.push(Problem::new(at, ProblemKind::NotAMap));
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(d: Value) -> (Property, Vec<Problem>) {
        let mut problems = vec![];
        (Property::parse("p", &d, &mut problems), problems)
    }

    #[test]
    fn upper_and_documented_casing_read_the_same() {
        let (upper, p1) = parse(json!({"NAME": "N", "TYPE": "int", "REQUIRED": "Y", "MULTIPLE": "N", "DEFAULT": 1}));
        let (doc, p2) = parse(json!({"Name": "N", "Type": "int", "Required": "Y", "Multiple": "N", "Default": "1"}));
        assert_eq!(upper, doc);
        assert!(p1.is_empty() && p2.is_empty());
        assert_eq!(upper.kind, PropertyType::Int);
        assert!(upper.required);
        assert_eq!(upper.default, Some(PropertyValue::Single("1".into())));
    }

    #[test]
    fn flags_accept_true_and_one() {
        let (p, _) = parse(json!({"Name": "N", "Required": true, "Multiple": 1}));
        assert!(p.required && p.multiple);
        let (p, _) = parse(json!({"Name": "N", "Required": "1", "Multiple": "true"}));
        assert!(p.required && p.multiple);
    }

    #[test]
    fn a_bad_flag_is_reported_and_read_as_no() {
        let (p, problems) = parse(json!({"Name": "N", "Required": "perhaps"}));
        assert!(!p.required);
        assert_eq!(problems[0].at, "properties.p.REQUIRED");
    }

    #[test]
    fn missing_type_is_string_and_unknown_types_keep_their_name() {
        assert_eq!(parse(json!({"Name": "N"})).0.kind, PropertyType::String);
        assert_eq!(parse(json!({"Name": "N", "Type": "UF:crm"})).0.kind, PropertyType::Other("UF:crm".into()));
        assert_eq!(parse(json!({"Name": "N", "Type": "internalselect"})).0.kind.name(), "internalselect");
    }

    #[test]
    fn select_keeps_option_order_and_keys() {
        let (p, _) = parse(json!({"Name": "F", "Type": "select", "Options": {"pdf": "PDF", "docx": "Word"}}));
        let keys: Vec<_> = p.options.iter().map(|(k, t)| (k.as_str(), t.get("en"))).collect();
        assert_eq!(keys, vec![("pdf", "PDF"), ("docx", "Word")]);
        assert_eq!(p.option_title("docx").map(|t| t.get("de")), Some("Word"));
    }

    #[test]
    fn option_titles_may_be_given_per_language() {
        let (p, problems) = parse(json!({"Name": "F", "Type": "select", "Options": {"docx": {"EN": "Word document", "DE": "Word-Dokument"}}}));
        assert!(problems.is_empty());
        assert_eq!(p.option_title("docx").map(|t| t.get("de")), Some("Word-Dokument"));
        assert_eq!(p.option_title("docx").map(|t| t.get("ru")), Some("Word document"), "English where the language is missing");
        let (again, _) = parse(p.to_registration_json());
        assert_eq!(again, p);
    }

    #[test]
    fn select_without_options_falls_back_to_text_and_says_so() {
        let (p, problems) = parse(json!({"Name": "F", "Type": "select", "Options": []}));
        assert_eq!(p.kind, PropertyType::String);
        assert_eq!(problems[0].kind, ProblemKind::NoOptions);
    }

    #[test]
    fn a_nameless_property_is_named_by_its_code() {
        let (p, problems) = parse(json!({"Type": "int"}));
        assert_eq!(p.name.get("en"), "p");
        assert_eq!(problems[0].kind, ProblemKind::NoName);
    }

    #[test]
    fn a_descriptor_that_is_not_a_map_is_reported() {
        let (p, problems) = parse(json!("oops"));
        assert_eq!(p.kind, PropertyType::String);
        assert_eq!(problems[0].kind, ProblemKind::NotAMap);
    }

    #[test]
    fn multiple_defaults_become_lists() {
        let (p, _) = parse(json!({"Name": "U", "Type": "user", "Multiple": "Y", "Default": "user_1"}));
        assert_eq!(p.default, Some(PropertyValue::Multiple(vec!["user_1".into()])));
    }

    #[test]
    fn a_choice_source_rides_in_the_settings() {
        let (p, problems) = parse(json!({"Name": "Company", "Type": "int", "Settings": {"Choices": "crm.mycompany"}}));
        assert_eq!(p.choices, Some(ChoiceSource::MyCompanies));
        assert!(problems.is_empty());
        let (again, _) = parse(p.to_registration_json());
        assert_eq!(again.choices, Some(ChoiceSource::MyCompanies), "registered as it was declared");
        assert_eq!(parse(json!({"Name": "N", "Settings": ""})).0.choices, None);
    }

    #[test]
    fn registration_json_round_trips() {
        let (p, _) = parse(json!({"Name": {"EN": "T"}, "Type": "select", "Required": "Y",
            "Options": {"a": "A"}, "Default": "a"}));
        let (again, problems) = parse(p.to_registration_json());
        assert_eq!(p, again);
        assert!(problems.is_empty());
    }

    #[test]
    fn language_keys_differing_in_case_register_as_the_portal_keeps_them() {
        // The portal upper-cases them into one key, the later text winning (see `Localized`).
        let (p, _) = parse(json!({"Name": {"en": "A", "EN": "B"}, "Description": {"De": "x", "DE": "y"}, "Type": "select",
            "Options": {"k": {"en": "one", "EN": "One"}}}));
        let d = p.to_registration_json();
        assert_eq!((d["Name"].clone(), d["Description"].clone()), (json!({"EN": "B"}), json!({"DE": "y"})));
        assert_eq!(d["Options"]["k"], json!({"EN": "One"}));
        assert_eq!(p.name.get("en"), "B", "the name the portal shows");
        assert_eq!(parse(d).0, p, "read back as written");
    }
}
