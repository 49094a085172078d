//! `PLACEMENT_OPTIONS` of the settings dialog (`BIZPROC_ACTIVITY_PROPERTIES_DIALOG`): the rule's
//! properties, their saved values, the document's fields and, in the robot designer, the template.

pub use crate::expression::DocumentField;
use crate::depth;
use crate::expression::Catalog;
use crate::lenient::{get_ci, list_like, map_like, scalar_text};
use crate::problem::{Problem, ProblemKind};
use crate::property::Property;
use crate::value::PropertyValue;
use serde_json::{Map, Value};
use std::collections::HashMap;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlacementOptions {
    pub code: String,
    pub activity_name: String,
    /// In the order the rule registered them.
    pub properties: Vec<Property>,
    /// Saved values, shaped for their property (`Multiple` → list). A property with no entry here
    /// was never saved and shows its default.
    pub current_values: HashMap<String, PropertyValue>,
    pub document_type: Vec<String>,
    pub document_fields: Vec<DocumentField>,
    /// Present from the robot designer only; its entries feed the expression catalog.
    pub template: Option<Value>,
}

/// The options and everything that was wrong with them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parsed {
    pub options: PlacementOptions,
    pub problems: Vec<Problem>,
}

impl PlacementOptions {
    /// Reads the options from their JSON text (the `PLACEMENT_OPTIONS` form field). A text that is
    /// itself a JSON string holding the object (double-encoded) is read too.
    pub fn parse_str(text: &str) -> Parsed {
        Self::parse_text(text, &serde_decode)
    }

    /// Reads the options from JSON. Never fails: each unreadable part is reported and skipped.
    /// Options that arrive as a JSON string (the form field's text) are read from that text.
    pub fn parse(value: &Value) -> Parsed {
        Self::parse_with(value, &serde_decode)
    }

    /// `parse`, with options that arrive as text read by `decode`. The settings page passes the
    /// browser's `JSON.parse`, so its wasm need not link serde_json's parser for the rare
    /// double-encoded options; `decode`'s error is reported as `NotJson`.
    pub fn parse_with(value: &Value, decode: &dyn Fn(&str) -> Result<Value, String>) -> Parsed {
        if let Value::String(text) = value {
            return Self::parse_text(text, decode);
        }
        Self::parse_value(value)
    }

    /// Text that decodes to a string is decoded again, as often as it was encoded.
    fn parse_text(text: &str, decode: &dyn Fn(&str) -> Result<Value, String>) -> Parsed {
        match decode(text) {
            Ok(Value::String(inner)) => Self::parse_text(&inner, decode),
            Ok(value) => {
                let parsed = Self::parse_value(&value);
                // A decoder of the caller's may build any depth, which a plain drop would recurse.
                depth::dismantle(value);
                parsed
            }
            Err(e) => Parsed {
                options: PlacementOptions::default(),
                problems: vec![Problem::new("PLACEMENT_OPTIONS", ProblemKind::NotJson(e))],
            },
        }
    }

    fn parse_value(value: &Value) -> Parsed {
        let mut problems = Vec::new();
        // Held to the depth JSON text can have before anything (a clone, for one) walks it.
        let shallow;
        let value = if depth::deeper_than(value, depth::MAX_DEPTH) {
            shallow = depth::within_limit(value, &mut problems);
            &shallow
        } else {
            value
        };
        let Some(root) = map_like(value) else {
            problems.push(Problem::new("PLACEMENT_OPTIONS", ProblemKind::NotAMap));
            return Parsed { options: PlacementOptions::default(), problems };
        };
        let text = |key: &str| get_ci(&root, key).and_then(scalar_text).unwrap_or_default();
        let mut section = |key: &str| -> Map<String, Value> {
            match get_ci(&root, key).map(|v| (v, map_like(v))) {
                None => Map::new(),
                Some((_, Some(m))) => m,
                Some((_, None)) => {
                    problems.push(Problem::new(key, ProblemKind::NotAMap));
                    Map::new()
                }
            }
        };
        let raw_properties = section("properties");
        let raw_values = section("current_values");
        let raw_fields = section("document_fields");
        // A descriptor that is not a map is reported as ignored, and is: it gets no field, and
        // the value the dialog holds for it is left alone.
        let properties: Vec<Property> = raw_properties
            .iter()
            .filter_map(|(code, d)| {
                let p = Property::parse(code, d, &mut problems);
                d.is_object().then_some(p)
            })
            .collect();
        // Looked up once per saved value: a scan of the properties for each would cost k² for k
        // of both. Reversed, so that the first of two properties with one code wins, as a scan's.
        let multiple: HashMap<&str, bool> = properties.iter().rev().map(|p| (p.code.as_str(), p.multiple)).collect();
        let mut current_values = HashMap::new();
        for (code, raw) in raw_values {
            let (value, clean) = PropertyValue::from_json(&raw);
            if !clean {
                problems.push(Problem::new(format!("current_values.{code}"), ProblemKind::UnreadableValue));
            }
            let (value, joined) = value.shaped(multiple.get(code.as_str()).copied().unwrap_or(false));
            if joined > 1 {
                problems.push(Problem::new(format!("current_values.{code}"), ProblemKind::SeveralValues(joined)));
            }
            current_values.insert(code, value);
        }
        let document_fields = raw_fields
            .iter()
            .map(|(code, f)| {
                let f = f.as_object();
                let read = |k: &str| f.and_then(|f| get_ci(f, k)).and_then(scalar_text).filter(|s| !s.is_empty());
                DocumentField {
                    code: code.clone(),
                    name: read("Name").unwrap_or_else(|| code.clone()),
                    kind: read("BaseType").or_else(|| read("Type")).unwrap_or_else(|| "string".into()),
                }
            })
            .collect();
        let options = PlacementOptions {
            code: text("code"),
            activity_name: text("activity_name"),
            properties,
            current_values,
            document_type: get_ci(&root, "document_type")
                .map(list_like)
                .unwrap_or_default()
                .iter()
                .filter_map(scalar_text)
                .collect(),
            document_fields,
            template: get_ci(&root, "template").filter(|t| t.is_object()).cloned(),
        };
        Parsed { options, problems }
    }

    pub fn property(&self, code: &str) -> Option<&Property> {
        self.properties.iter().find(|p| p.code == code)
    }

    /// The value a property opens with, and whether it is the saved one. A property never saved
    /// shows its registered default (or nothing).
    pub fn opening_value(&self, property: &Property) -> (PropertyValue, bool) {
        match self.current_values.get(&property.code) {
            Some(saved) => (saved.clone(), true),
            None => {
                let empty = PropertyValue::Single(String::new()).shaped(property.multiple).0;
                (property.default.clone().unwrap_or(empty), false)
            }
        }
    }

    pub fn catalog(&self) -> Catalog {
        Catalog::build(&self.document_fields, self.template.as_ref())
    }
}

fn serde_decode(text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json_text::object;
    use std::cell::Cell;

    #[test]
    fn options_given_as_text_are_read_by_the_decoder_passed_in() {
        let calls = Cell::new(0);
        // Twice encoded: the decoder is asked for the outer text, then for the object's.
        let text = Value::String(Value::String(r#"{"code":"r","properties":{"a":{"Name":"A"}}}"#.into()).to_string());
        let decode = |t: &str| {
            calls.set(calls.get() + 1);
            serde_decode(t)
        };
        let parsed = PlacementOptions::parse_with(&text, &decode);
        assert_eq!(calls.get(), 2);
        assert_eq!(parsed.options.code, "r");
        assert_eq!(parsed.options.properties.len(), 1);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    }

    #[test]
    fn the_decoders_error_is_the_problem_reported() {
        let parsed = PlacementOptions::parse_with(&Value::String("x".into()), &|_| Err("no JSON here".into()));
        assert_eq!(parsed.problems, vec![Problem::new("PLACEMENT_OPTIONS", ProblemKind::NotJson("no JSON here".into()))]);
    }

    #[test]
    fn many_properties_with_many_saved_values_are_read_in_linear_time() {
        // Saved values for codes that no property has cost a whole scan each when shaped by a scan.
        let (k, saved) = (10_000, 30_000);
        let casings = ["NAME", "Name", "name", "nAmE"];
        let properties: Vec<String> = (0..k).map(|i| format!(r#""p{i}":{{"{}":"P","Multiple":"{}"}}"#, casings[i % 4], ["N", "Y"][i % 2])).collect();
        let values: Vec<String> = (0..saved).map(|i| format!(r#""P{i}":"v""#)).chain((0..k).map(|i| format!(r#""p{i}":"v""#))).collect();
        let text = format!(r#"{{"properties":{{{}}},"current_values":{{{}}}}}"#, properties.join(","), values.join(","));
        let value = serde_decode(&text).unwrap();
        let parsed = crate::test_support::finishes_within(5, move || PlacementOptions::parse(&value));
        assert_eq!((parsed.options.properties.len(), parsed.options.current_values.len()), (k, saved + k));
        let value = |code: &str| parsed.options.current_values.get(code).cloned();
        assert_eq!(value("p1"), Some(PropertyValue::Multiple(vec!["v".into()])), "shaped by its own property");
        assert_eq!(value("P1"), Some(PropertyValue::Single("v".into())), "a code differing in case is another code");
    }

    /// Lists and maps nested `levels` deep around a text, built without recursion.
    fn nested(levels: usize) -> Value {
        (0..levels).fold(Value::from("x"), |v, i| if i % 2 == 0 { Value::Array(vec![v]) } else { object(vec![("k", v)]) })
    }

    #[test]
    fn values_nested_ten_thousand_deep_are_reported_and_skipped_without_recursion() {
        let options = object(vec![
            ("code", "r".into()),
            ("properties", object(vec![("ok", object(vec![("Name", "Ok".into())])), ("deep", object(vec![("Name", nested(10_000))]))])),
            ("current_values", object(vec![("ok", "v".into()), ("deep", nested(10_000))])),
            ("document_fields", object(vec![("TITLE", object(vec![("Name", "Deal name".into())])), ("DEEP", nested(10_000))])),
            ("template", object(vec![("variables", nested(10_000)), ("constants", Value::Array(vec![object(vec![("Id", "C".into())])]))])),
            ("extra", nested(10_000)),
        ]);
        // A small stack, so that anything that walks the value by recursion overflows here. The
        // value is taken apart without recursion after, as serde_json's own drop would recurse.
        let small_stack = std::thread::Builder::new().stack_size(256 << 10);
        let parsed = small_stack
            .spawn(move || {
                let parsed = PlacementOptions::parse(&options);
                depth::dismantle(options);
                parsed
            })
            .unwrap()
            .join()
            .expect("parsed without overflowing the stack");
        let at: Vec<(&str, &ProblemKind)> = parsed.problems.iter().map(|p| (p.at.as_str(), &p.kind)).collect();
        let too_deep = ["properties.deep", "current_values.deep", "document_fields.DEEP", "template.variables", "extra.k"];
        assert_eq!(at, too_deep.map(|at| (at, &ProblemKind::TooDeep)));
        let o = &parsed.options;
        assert_eq!((o.code.as_str(), o.properties.len(), o.current_values.len(), o.document_fields.len()), ("r", 1, 1, 1));
        assert_eq!(o.catalog().items.iter().map(|i| i.expression.as_str()).collect::<Vec<_>>(), ["{=Document:TITLE}", "{=Constant:C}"]);
    }

    #[test]
    fn the_depth_text_reads_stays_whole() {
        let text = format!(r#"{{"code":"r","current_values":{{"a":{}"x"{}}}}}"#, "[".repeat(120), "]".repeat(120));
        let parsed = PlacementOptions::parse_str(&text);
        assert!(parsed.problems.iter().all(|p| p.kind != ProblemKind::TooDeep), "{:?}", parsed.problems);
        assert_eq!(parsed.options.current_values.len(), 1);
    }

    #[test]
    fn options_given_as_data_never_reach_the_decoder() {
        let parsed = PlacementOptions::parse_with(&serde_json::json!({"code": "r"}), &|_| panic!("decoded"));
        assert_eq!(parsed.options.code, "r");
    }
}
