//! The shared fixtures, and the variants of them the platform spec describes, read by the model.

use rulekit_model::placement::PlacementOptions;
use rulekit_model::problem::ProblemKind;
use rulekit_model::{PropertyType, PropertyValue};
use serde_json::{json, Value};
use std::path::PathBuf;

fn fixture(name: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

#[test]
fn robot_designer_options_read_completely() {
    let parsed = PlacementOptions::parse_str(&fixture("placement-options.robot-designer.json"));
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let o = parsed.options;
    assert_eq!(o.code, "rulekit_all_types");
    let codes: Vec<_> = o.properties.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(
        codes,
        ["title", "notes", "quantity", "discount", "send_copy", "due_date", "remind_at", "format", "approvers", "emails", "tags"]
    );
    let title = o.property("title").unwrap();
    assert_eq!(title.name.get("de"), "Rechnungstitel");
    assert!(title.required && !title.multiple);
    assert_eq!(o.property("quantity").unwrap().default, Some(PropertyValue::Single("1".into())));
    assert_eq!(o.property("approvers").unwrap().kind, PropertyType::User);
    let (value, saved) = o.opening_value(o.property("title").unwrap());
    assert!(saved);
    assert_eq!(value, PropertyValue::Single("Invoice for {{Deal name}}".into()));
    assert_eq!(o.catalog().canonical("Invoice for {{Deal name}}"), "Invoice for {=Document:TITLE}");
    let (remind, saved) = o.opening_value(o.property("remind_at").unwrap());
    assert!(!saved, "remind_at was never saved");
    assert_eq!(remind, PropertyValue::Single(String::new()));
    let (tags, _) = o.opening_value(o.property("tags").unwrap());
    assert_eq!(tags, PropertyValue::Multiple(vec!["vip".into()]));
    let catalog = o.catalog();
    assert!(catalog.items.iter().any(|i| i.expression == "{=Variable:Approver}"));
    assert!(catalog.items.iter().any(|i| i.expression == "{=A71026_84473_24610_19894:Comments}"));
}

#[test]
fn workflow_designer_options_have_no_template_and_show_defaults() {
    let parsed = PlacementOptions::parse_str(&fixture("placement-options.workflow-designer.json"));
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let o = parsed.options;
    assert!(o.template.is_none());
    assert_eq!(o.document_type, ["lists", "BizprocDocument", "iblock_21"]);
    let (notes, saved) = o.opening_value(o.property("notes").unwrap());
    assert!(!saved);
    assert_eq!(notes, PropertyValue::Single(String::new()));
    let (q, saved) = o.opening_value(o.property("quantity").unwrap());
    assert!(saved);
    assert_eq!(q, PropertyValue::Single("1".into()));
}

#[test]
fn init_data_options_with_string_scalars_and_empty_arrays_read_the_same() {
    let init: Value = serde_json::from_str(&fixture("init-data.robot-designer.json")).unwrap();
    let parsed = PlacementOptions::parse(&init["PLACEMENT_OPTIONS"]);
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let o = parsed.options;
    assert!(o.current_values.is_empty(), "[] is an empty map");
    assert_eq!(o.properties.len(), 11);
    let (emails, saved) = o.opening_value(o.property("emails").unwrap());
    assert!(!saved);
    assert_eq!(emails, PropertyValue::Multiple(vec!["billing@example.com".into()]));
}

#[test]
fn spec_variants_name_casing_flags_numbers_and_scalar_multiples() {
    let variant = json!({
        "code": "r", "properties": {
            "a": {"Name": "A", "Type": "int", "Required": true, "Multiple": "1", "Default": 5},
            "b": {"name": {"en": "B"}, "type": "bool", "required": 1},
            "c": {"NAME": "C", "TYPE": "string", "MULTIPLE": "Y"}
        },
        "current_values": {"a": "7", "c": "one"},
        "document_fields": []
    });
    let parsed = PlacementOptions::parse(&variant);
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let o = parsed.options;
    let a = o.property("a").unwrap();
    assert!(a.required && a.multiple);
    assert_eq!(o.opening_value(a).0, PropertyValue::Multiple(vec!["7".into()]));
    assert_eq!(o.property("b").unwrap().name.get("en"), "B");
    assert_eq!(o.opening_value(o.property("c").unwrap()).0, PropertyValue::Multiple(vec!["one".into()]));
}

#[test]
fn malformed_options_say_what_was_wrong_and_keep_the_rest() {
    let broken = json!({
        "code": "r",
        "properties": {"good": {"Name": "Good"}, "bad": 17, "flag": {"Name": "F", "Multiple": "sometimes"}},
        "current_values": {"good": ["one", "two"]},
        "document_fields": "nope"
    });
    let parsed = PlacementOptions::parse(&broken);
    let at: Vec<_> = parsed.problems.iter().map(|p| (p.at.as_str(), p.kind.clone())).collect();
    assert!(at.contains(&("document_fields", ProblemKind::NotAMap)), "{at:?}");
    assert!(at.contains(&("properties.bad", ProblemKind::NotAMap)), "{at:?}");
    assert!(at.contains(&("properties.flag.MULTIPLE", ProblemKind::NotAFlag("\"sometimes\"".into()))), "{at:?}");
    assert!(at.contains(&("current_values.good", ProblemKind::SeveralValues(2))), "{at:?}");
    let good = parsed.options.property("good").unwrap();
    assert_eq!(parsed.options.opening_value(good).0, PropertyValue::Single("one, two".into()));
    let codes: Vec<_> = parsed.options.properties.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(codes, ["good", "flag"], "what the message calls ignored gets no field");
}

#[test]
fn text_that_is_not_json_is_reported_not_panicked_on() {
    let parsed = PlacementOptions::parse_str("{\"code\": ");
    assert!(matches!(parsed.problems[0].kind, ProblemKind::NotJson(_)));
    assert!(parsed.options.properties.is_empty());
    let twice = serde_json::to_string(&fixture("placement-options.workflow-designer.json")).unwrap();
    assert_eq!(PlacementOptions::parse_str(&twice).options.properties.len(), 11);
    let as_text = Value::String("{\"code\": \"r\", \"properties\": {\"a\": {\"Name\": \"A\"}}}".into());
    assert_eq!(PlacementOptions::parse(&as_text).options.properties.len(), 1, "options given as JSON text");
    let broken_text = Value::String("{not json".into());
    assert!(matches!(PlacementOptions::parse(&broken_text).problems[0].kind, ProblemKind::NotJson(_)));
}
