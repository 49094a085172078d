//! What the settings form hands to the portal, and when.
//!
//! The portal's dialog already holds every property's opening value (it pre-fills its hidden inputs
//! from `current_values`, which fall back to the default). So a field pushes with `setPropertyValue`
//! only when what the user made differs from what the portal holds: untouched fields and untouched
//! defaults are never sent, and a field changed and changed back is sent again.

use crate::expression::Catalog;
use crate::placement::PlacementOptions;
use crate::property::Property;
use crate::value::PropertyValue;
use serde_json::{Map, Value};

#[derive(Clone, Debug, PartialEq)]
pub struct FieldModel {
    pub property: Property,
    /// What the field shows first.
    pub opening: PropertyValue,
    /// Whether `opening` is a saved value (false: the default, or nothing).
    pub saved: bool,
    /// What the portal's dialog holds now, in wire form.
    portal: Value,
}

impl FieldModel {
    pub fn new(options: &PlacementOptions, property: &Property) -> Self {
        let (opening, saved) = options.opening_value(property);
        // What the dialog holds is the value as it came, display forms included: the first
        // change (or blur) of a field hands the portal its `{=…}` form.
        let portal = wire(&opening, &Catalog::default());
        FieldModel { property: property.clone(), opening, saved, portal }
    }

    /// Records a change and returns the `setPropertyValue` argument (`{code: value}`), or `None`
    /// when the portal already holds this value.
    pub fn change(&mut self, value: &PropertyValue, catalog: &Catalog) -> Option<Value> {
        let next = wire(value, catalog);
        if next == self.portal {
            return None;
        }
        self.portal = next.clone();
        let mut push = Map::new();
        push.insert(self.property.code.clone(), next);
        Some(Value::Object(push))
    }
}

/// The value as the portal must receive it: display forms rewritten as `{=…}` expressions, a
/// string for a single property, an array of strings for `Multiple` with blank items left out
/// (a blank item is an empty row the user added, not a value).
pub fn wire(value: &PropertyValue, catalog: &Catalog) -> Value {
    match value {
        PropertyValue::Single(s) => Value::String(catalog.canonical(s)),
        PropertyValue::Multiple(items) => Value::Array(
            items
                .iter()
                .filter(|s| !s.trim().is_empty())
                .map(|s| Value::String(catalog.canonical(s)))
                .collect(),
        ),
    }
}

/// Every field of the options, in order.
pub fn fields(options: &PlacementOptions) -> (Vec<FieldModel>, Catalog) {
    let catalog = options.catalog();
    let fields = options.properties.iter().map(|p| FieldModel::new(options, p)).collect();
    (fields, catalog)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn options() -> PlacementOptions {
        PlacementOptions::parse(&json!({
            "properties": {
                "title": {"Name": "T", "Default": "Invoice"},
                "emails": {"Name": "E", "Multiple": "Y"},
                "n": {"Name": "N", "Type": "int"}
            },
            "current_values": {"n": "3", "title": "For {{Deal name}}"},
            "document_fields": {"TITLE": {"Name": "Deal name", "Type": "string"}}
        }))
        .options
    }

    #[test]
    fn only_real_changes_are_pushed_and_reverts_are_pushed_too() {
        let o = options();
        let (mut fields, catalog) = fields(&o);
        let n = &mut fields[2];
        assert_eq!(n.change(&PropertyValue::Single("3".into()), &catalog), None, "unchanged");
        assert_eq!(n.change(&PropertyValue::Single("4".into()), &catalog), Some(json!({"n": "4"})));
        assert_eq!(n.change(&PropertyValue::Single("4".into()), &catalog), None, "same again");
        assert_eq!(n.change(&PropertyValue::Single("3".into()), &catalog), Some(json!({"n": "3"})));
    }

    #[test]
    fn display_forms_are_pushed_as_expressions() {
        let o = options();
        let (mut fields, catalog) = fields(&o);
        let title = &mut fields[0];
        assert!(title.saved);
        assert_eq!(
            title.change(&PropertyValue::Single("For {{Deal name}}".into()), &catalog),
            Some(json!({"title": "For {=Document:TITLE}"})),
            "a saved display form is handed back as its expression once the field is touched"
        );
        assert_eq!(title.change(&PropertyValue::Single("For {{deal name}}".into()), &catalog), None, "same meaning");
        assert_eq!(
            title.change(&PropertyValue::Single("Bill {{Deal name}} now".into()), &catalog),
            Some(json!({"title": "Bill {=Document:TITLE} now"}))
        );
    }

    #[test]
    fn multiple_values_are_arrays_without_blank_rows() {
        let o = options();
        let (mut fields, catalog) = fields(&o);
        let emails = &mut fields[1];
        assert_eq!(emails.opening, PropertyValue::Multiple(vec![]));
        assert_eq!(emails.change(&PropertyValue::Multiple(vec!["".into()]), &catalog), None, "an empty row is no value");
        assert_eq!(
            emails.change(&PropertyValue::Multiple(vec!["a@x".into(), " ".into(), "b@x".into()]), &catalog),
            Some(json!({"emails": ["a@x", "b@x"]}))
        );
        assert_eq!(emails.change(&PropertyValue::Multiple(vec![]), &catalog), Some(json!({"emails": []})));
    }

    #[test]
    fn an_untouched_default_is_what_the_portal_holds() {
        let o = options();
        let (mut fields, catalog) = fields(&o);
        let title = &mut fields[0];
        let mut o2 = o.clone();
        o2.current_values.clear();
        let mut fresh = FieldModel::new(&o2, &title.property);
        assert!(!fresh.saved);
        assert_eq!(fresh.opening, PropertyValue::Single("Invoice".into()));
        assert_eq!(fresh.change(&PropertyValue::Single("Invoice".into()), &catalog), None);
        assert_eq!(fresh.change(&PropertyValue::Single("Bill".into()), &catalog), Some(json!({"title": "Bill"})));
    }
}
