//! What the settings form hands to the portal, and when.
//!
//! The portal's dialog already holds every property's opening value (it pre-fills its hidden inputs
//! from `current_values`, which fall back to the default). So a field pushes with `setPropertyValue`
//! only when what the user made differs from what the portal holds: untouched fields and untouched
//! defaults are never sent, and a field changed and changed back is sent again.

use crate::expression::Catalog;
use crate::placement::PlacementOptions;
use crate::property::{Property, PropertyType};
use crate::validate::is_number;
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
    /// The field as it opens: stored expressions shown in their display form (`{{Deal name}}`)
    /// wherever the catalog knows them; the portal keeps what it holds until a change.
    pub fn new(options: &PlacementOptions, property: &Property, catalog: &Catalog) -> Self {
        let (stored, saved) = options.opening_value(property);
        // What the dialog holds is the value as it came, display forms included: the first
        // change (or blur) of a field hands the portal its `{=…}` form.
        let portal = wire(&stored, &property.kind, &Catalog::default());
        let opening = match stored {
            PropertyValue::Single(s) => PropertyValue::Single(catalog.display(&s)),
            PropertyValue::Multiple(items) => PropertyValue::Multiple(items.iter().map(|s| catalog.display(s)).collect()),
        };
        FieldModel { property: property.clone(), opening, saved, portal }
    }

    /// Records a change and returns the `setPropertyValue` argument (`{code: value}`), or `None`
    /// when the portal already holds this value.
    pub fn change(&mut self, value: &PropertyValue, catalog: &Catalog) -> Option<Value> {
        let next = wire(value, &self.property.kind, catalog);
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
/// (a blank item is an empty row the user added, not a value). A value that is not valid is
/// handed over all the same, so nothing typed is lost; the form keeps flagging it.
pub fn wire(value: &PropertyValue, kind: &PropertyType, catalog: &Catalog) -> Value {
    let item = |s: &str| Value::String(decimal_point(kind, catalog.canonical(s)));
    match value {
        PropertyValue::Single(s) => item(s),
        PropertyValue::Multiple(items) => Value::Array(items.iter().filter(|s| !s.trim().is_empty()).map(|s| item(s)).collect()),
    }
}

/// A decimal typed with a comma (`3,5`, as Russian and German users write it) is a number the
/// portal reads only with a point.
fn decimal_point(kind: &PropertyType, text: String) -> String {
    if *kind == PropertyType::Double && text.contains(',') && is_number(&text) {
        text.replacen(',', ".", 1)
    } else {
        text
    }
}

/// Every field of the options, in order.
pub fn fields(options: &PlacementOptions) -> (Vec<FieldModel>, Catalog) {
    let catalog = options.catalog();
    let fields = options.properties.iter().map(|p| FieldModel::new(options, p, &catalog)).collect();
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
                "n": {"Name": "N", "Type": "int"},
                "rate": {"Name": "R", "Type": "double"},
                "subject": {"Name": "S"}
            },
            "current_values": {"n": "3", "title": "For {{Deal name}}", "subject": "Re {=Document:TITLE > printable} {=Document:GONE}"},
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
        let mut fresh = FieldModel::new(&o2, &title.property, &catalog);
        assert!(!fresh.saved);
        assert_eq!(fresh.opening, PropertyValue::Single("Invoice".into()));
        assert_eq!(fresh.change(&PropertyValue::Single("Invoice".into()), &catalog), None);
        assert_eq!(fresh.change(&PropertyValue::Single("Bill".into()), &catalog), Some(json!({"title": "Bill"})));
    }

    #[test]
    fn stored_expressions_open_as_display_forms_and_an_untouched_field_pushes_nothing() {
        let o = options();
        let (mut fields, catalog) = fields(&o);
        let subject = &mut fields[4];
        assert_eq!(subject.opening, PropertyValue::Single("Re {{Deal name > printable}} {=Document:GONE}".into()));
        assert_eq!(subject.change(&subject.opening.clone(), &catalog), None, "shown readable, still what the portal holds");
        assert_eq!(
            subject.change(&PropertyValue::Single("Re {{Deal name > printable}}".into()), &catalog),
            Some(json!({"subject": "Re {=Document:TITLE > printable}"}))
        );
    }

    #[test]
    fn a_decimal_comma_is_pushed_as_a_point_and_invalid_values_are_pushed_as_typed() {
        let o = options();
        let (mut fields, catalog) = fields(&o);
        let rate = &mut fields[3];
        assert_eq!(rate.change(&PropertyValue::Single("3,5".into()), &catalog), Some(json!({"rate": "3.5"})));
        assert_eq!(rate.change(&PropertyValue::Single("3.5".into()), &catalog), None, "the same number");
        assert_eq!(rate.change(&PropertyValue::Single("1,2,3".into()), &catalog), Some(json!({"rate": "1,2,3"})), "not a number: kept as typed");
        let n = &mut fields[2];
        assert_eq!(n.change(&PropertyValue::Single("3,5".into()), &catalog), Some(json!({"n": "3,5"})), "an invalid whole number is still handed over");
        let title = &mut fields[0];
        assert_eq!(title.change(&PropertyValue::Single("Rate 3,5".into()), &catalog), Some(json!({"title": "Rate 3,5"})), "text keeps its commas");
    }
}
