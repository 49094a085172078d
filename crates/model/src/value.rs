//! A property's value as the portal holds it: one text, or a list of texts for `Multiple`.
//!
//! Whatever arrives (numbers, booleans, nulls, PHP lists as objects) becomes text here, because the
//! portal keeps every value as the string of a hidden form input of its dialog in the end.

use crate::json_text;
use crate::lenient::{list_like, scalar_text};
use serde_json::Value;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PropertyValue {
    Single(String),
    Multiple(Vec<String>),
}

impl Default for PropertyValue {
    fn default() -> Self {
        PropertyValue::Single(String::new())
    }
}

impl PropertyValue {
    /// Reads any JSON value without losing anything: a nested object or list that is not text is
    /// kept as its JSON text (and `false` is returned so the caller can report it).
    pub fn from_json(value: &Value) -> (Self, bool) {
        if let Some(text) = scalar_text(value) {
            return (PropertyValue::Single(text), true);
        }
        // A PHP list may arrive as an object keyed 0..n; any other object is one structured value
        // (a file, an address): kept whole as its JSON text.
        if let Value::Object(m) = value {
            let indexed = m.keys().enumerate().all(|(i, k)| k.parse::<usize>().ok() == Some(i));
            if !indexed {
                return (PropertyValue::Single(json_text::to_text(value)), false);
            }
        }
        let mut clean = true;
        let items = list_like(value)
            .iter()
            .map(|item| {
                scalar_text(item).unwrap_or_else(|| {
                    clean = false;
                    json_text::to_text(item)
                })
            })
            .collect();
        (PropertyValue::Multiple(items), clean)
    }

    /// Shapes the value for a property: a list for `Multiple`, one text otherwise. One-element
    /// lists unwrap; an empty text becomes an empty list. Returns how many values had to be joined
    /// into one text (0 when nothing was), so the caller can report it.
    pub fn shaped(self, multiple: bool) -> (Self, usize) {
        match (self, multiple) {
            (PropertyValue::Single(s), true) if s.is_empty() => (PropertyValue::Multiple(vec![]), 0),
            (PropertyValue::Single(s), true) => (PropertyValue::Multiple(vec![s]), 0),
            (PropertyValue::Multiple(mut v), false) if v.len() <= 1 => {
                (PropertyValue::Single(v.pop().unwrap_or_default()), 0)
            }
            (PropertyValue::Multiple(v), false) => {
                let n = v.len();
                (PropertyValue::Single(v.join(", ")), n)
            }
            (same, _) => (same, 0),
        }
    }

    /// The value as the list of its items (one item for a single value).
    pub fn items(&self) -> Vec<String> {
        match self {
            PropertyValue::Single(s) => vec![s.clone()],
            PropertyValue::Multiple(v) => v.clone(),
        }
    }

    /// True when there is nothing in it but white space.
    pub fn is_blank(&self) -> bool {
        match self {
            PropertyValue::Single(s) => s.trim().is_empty(),
            PropertyValue::Multiple(v) => v.iter().all(|s| s.trim().is_empty()),
        }
    }

    /// The JSON that `setPropertyValue` takes: a string, or an array of strings.
    pub fn to_json(&self) -> Value {
        match self {
            PropertyValue::Single(s) => Value::String(s.clone()),
            PropertyValue::Multiple(v) => Value::Array(v.iter().cloned().map(Value::String).collect()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_json_shape_becomes_text() {
        assert_eq!(PropertyValue::from_json(&json!(3)).0, PropertyValue::Single("3".into()));
        assert_eq!(PropertyValue::from_json(&json!(false)).0, PropertyValue::Single("N".into()));
        assert_eq!(
            PropertyValue::from_json(&json!(["a", 1])).0,
            PropertyValue::Multiple(vec!["a".into(), "1".into()])
        );
        assert_eq!(
            PropertyValue::from_json(&json!({"0": "a", "1": "b"})).0,
            PropertyValue::Multiple(vec!["a".into(), "b".into()])
        );
    }

    #[test]
    fn a_structured_value_keeps_its_keys() {
        let (v, clean) = PropertyValue::from_json(&json!({"id": 5, "name": "x.pdf"}));
        assert!(!clean);
        assert_eq!(v, PropertyValue::Single(r#"{"id":5,"name":"x.pdf"}"#.into()));
    }

    #[test]
    fn nested_structures_are_kept_as_json_text_and_flagged() {
        let (v, clean) = PropertyValue::from_json(&json!([{"id": 1}]));
        assert!(!clean);
        assert_eq!(v, PropertyValue::Multiple(vec![r#"{"id":1}"#.into()]));
    }

    #[test]
    fn shaping_follows_multiple_and_loses_nothing() {
        let one = PropertyValue::Single("a".into());
        assert_eq!(one.clone().shaped(true).0, PropertyValue::Multiple(vec!["a".into()]));
        assert_eq!(one.clone().shaped(false), (one, 0));
        assert_eq!(PropertyValue::Single("".into()).shaped(true).0, PropertyValue::Multiple(vec![]));
        let wrapped = PropertyValue::Multiple(vec!["x".into()]);
        assert_eq!(wrapped.shaped(false), (PropertyValue::Single("x".into()), 0));
        let many = PropertyValue::Multiple(vec!["x".into(), "y".into()]);
        assert_eq!(many.shaped(false), (PropertyValue::Single("x, y".into()), 2));
    }

    #[test]
    fn json_for_set_property_value_is_strings() {
        assert_eq!(PropertyValue::Single("1".into()).to_json(), json!("1"));
        assert_eq!(PropertyValue::Multiple(vec!["1".into()]).to_json(), json!(["1"]));
    }

    #[test]
    fn blankness_ignores_white_space() {
        assert!(PropertyValue::Single("  ".into()).is_blank());
        assert!(PropertyValue::Multiple(vec![" ".into()]).is_blank());
        assert!(!PropertyValue::Multiple(vec!["x".into()]).is_blank());
    }
}
