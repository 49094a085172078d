//! Checks a value against its property. The result is typed (`Invalid`); `text::invalid` words it
//! in the user's language.
//!
//! Every typed field also takes an expression, because the portal resolves it when the rule runs;
//! only literal values are checked against the type.

use crate::dates;
use crate::expression::{is_expression, Catalog};
use crate::property::{Property, PropertyType};
use crate::user::{self, UserToken};
use crate::value::PropertyValue;

pub use crate::problem::Invalid;

/// Every problem with the value, in item order; empty when the value is fine.
pub fn validate(property: &Property, value: &PropertyValue, catalog: &Catalog) -> Vec<Invalid> {
    let mut out = Vec::new();
    if property.required && value.is_blank() {
        out.push(Invalid::Required);
    }
    for item in value.items() {
        for name in catalog.unknown_names(&item) {
            out.push(Invalid::UnknownField(name.to_string()));
        }
        let text = item.trim();
        if text.is_empty() || is_expression(text) {
            continue;
        }
        if let Some(bad) = check_literal(property, text) {
            out.push(bad);
        }
    }
    out
}

fn check_literal(property: &Property, text: &str) -> Option<Invalid> {
    let owned = || text.to_string();
    match &property.kind {
        PropertyType::Int => (!is_integer(text)).then(|| Invalid::NotInteger(owned())),
        PropertyType::Double => (!is_number(text)).then(|| Invalid::NotNumber(owned())),
        PropertyType::Bool => (!matches!(text, "Y" | "N")).then(|| Invalid::NotYesNo(owned())),
        PropertyType::Date => dates::parse(text).filter(|c| c.time.is_none()).is_none().then(|| Invalid::NotDate(owned())),
        PropertyType::Datetime => dates::parse(text).is_none().then(|| Invalid::NotDatetime(owned())),
        PropertyType::Select => property.option_title(text).is_none().then(|| Invalid::NotAnOption(owned())),
        PropertyType::User => user::split(text).find(|t| UserToken::parse(t).is_none()).map(|t| Invalid::NotAUser(t.to_string())),
        PropertyType::String | PropertyType::Text | PropertyType::Other(_) => None,
    }
}

fn is_integer(t: &str) -> bool {
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// A decimal number; a comma is read as the decimal point, as Russian and German users write it.
pub fn is_number(t: &str) -> bool {
    let t = t.replace(',', ".");
    let digits = t.strip_prefix(['-', '+']).unwrap_or(&t);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let frac = parts.next();
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole) && frac.is_none_or(all_digits) && (whole.len() + frac.map_or(0, str::len)) > 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::placement::DocumentField;
    use serde_json::json;

    fn prop(d: serde_json::Value) -> Property {
        Property::parse("p", &d, &mut vec![])
    }

    fn check(d: serde_json::Value, v: &str) -> Vec<Invalid> {
        let catalog = Catalog::build(
            &[DocumentField { code: "TITLE".into(), name: "Deal name".into(), kind: "string".into() }],
            None,
        );
        validate(&prop(d), &PropertyValue::Single(v.into()), &catalog)
    }

    #[test]
    fn required_fields_must_not_be_blank() {
        let d = json!({"Name": "T", "Required": "Y"});
        assert_eq!(check(d.clone(), "  "), vec![Invalid::Required]);
        assert!(check(d, "x").is_empty());
        let multi = prop(json!({"Name": "T", "Required": "Y", "Multiple": "Y"}));
        assert_eq!(validate(&multi, &PropertyValue::Multiple(vec![]), &Catalog::default()), vec![Invalid::Required]);
    }

    #[test]
    fn numbers_accept_literals_and_expressions() {
        let int = json!({"Name": "Q", "Type": "int"});
        assert!(check(int.clone(), "-12").is_empty());
        assert!(check(int.clone(), "{=Document:ID}").is_empty());
        assert!(check(int.clone(), "=2*3").is_empty());
        assert_eq!(check(int, "1.5"), vec![Invalid::NotInteger("1.5".into())]);
        let dbl = json!({"Name": "D", "Type": "double"});
        assert!(check(dbl.clone(), "2.5").is_empty());
        assert!(check(dbl.clone(), "2,5").is_empty());
        assert_eq!(check(dbl, "2.5.1"), vec![Invalid::NotNumber("2.5.1".into())]);
    }

    #[test]
    fn bools_selects_and_dates_check_their_literals() {
        assert_eq!(check(json!({"Name": "B", "Type": "bool"}), "yes"), vec![Invalid::NotYesNo("yes".into())]);
        let sel = json!({"Name": "S", "Type": "select", "Options": {"pdf": "PDF"}});
        assert!(check(sel.clone(), "pdf").is_empty());
        assert_eq!(check(sel, "PDF"), vec![Invalid::NotAnOption("PDF".into())]);
        assert!(check(json!({"Name": "D", "Type": "date"}), "27.11.2026").is_empty());
        assert_eq!(
            check(json!({"Name": "D", "Type": "date"}), "2026-11-27 10:00"),
            vec![Invalid::NotDate("2026-11-27 10:00".into())]
        );
        assert!(check(json!({"Name": "D", "Type": "datetime"}), "2026-11-27 10:00").is_empty());
    }

    #[test]
    fn users_take_ids_roles_and_expressions() {
        let user = json!({"Name": "U", "Type": "user"});
        for ok in ["user_7", "Author", "Author;", "user_1; user_2", "{=Document:ASSIGNED_BY_ID}", "Ann Lee [7]", "group_g1"] {
            assert!(check(user.clone(), ok).is_empty(), "{ok}");
        }
        assert_eq!(check(user, "Ann Lee"), vec![Invalid::NotAUser("Ann Lee".into())]);
    }

    #[test]
    fn unknown_display_names_are_flagged_and_known_ones_pass() {
        assert!(check(json!({"Name": "T"}), "For {{Deal name}}").is_empty());
        assert_eq!(check(json!({"Name": "T"}), "For {{Nope}}"), vec![Invalid::UnknownField("Nope".into())]);
    }

    #[test]
    fn other_types_pass_through_untouched() {
        assert!(check(json!({"Name": "F", "Type": "file"}), "anything at all").is_empty());
    }
}
