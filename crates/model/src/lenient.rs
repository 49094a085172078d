//! Readers that take every shape the portal is known to send for one fact.
//!
//! The same options reach the app through a JSON POST (`Json::encode`: typed numbers and booleans) and
//! through `getInitData` (`CUtil::PhpToJSObject`: scalars as strings, empty PHP arrays as `[]`), with
//! descriptor keys in upper case (`NAME`, as the portal stores them) or as documented (`Name`).

use serde_json::{Map, Value};

/// Looks a key up without regard to case: `NAME`, `Name` and `name` are one key to the portal.
/// An exact match wins, so a descriptor that has both keeps the spelling the portal stored.
pub fn get_ci<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    object.get(key).or_else(|| {
        object
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

/// A flag: `Y`, `y`, `true`, `1`, `"1"`, `"true"` are set; `N`, `false`, `0`, `""`, null are not.
/// Anything else is `None`, so the caller can say what was wrong instead of guessing.
pub fn flag(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Null => Some(false),
        Value::Number(n) => n.as_f64().map(|f| f != 0.0),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "y" | "yes" | "true" | "1" | "on" => Some(true),
            "n" | "no" | "false" | "0" | "" | "off" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A scalar as text: strings as they are, numbers as written, booleans as `Y`/`N` (the portal's own
/// spelling of a boolean value), null as empty. Arrays and objects are not scalars.
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(if *b { "Y" } else { "N" }.to_string()),
        Value::Null => Some(String::new()),
        _ => None,
    }
}

/// A whole number that may come as a number or as text (`"42"`, ` 42 `): ids and counts, which the
/// portal sends either way. Negative, fractional or other text is `None`.
pub fn uint(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A map that PHP may have sent as `[]` when it was empty, or as a list when its keys were 0..n.
/// Returns `None` for anything that cannot be read as a map.
pub fn map_like(value: &Value) -> Option<Map<String, Value>> {
    match value {
        Value::Object(m) => Some(m.clone()),
        Value::Array(items) => Some(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v.clone()))
                .collect(),
        ),
        Value::Null => Some(Map::new()),
        Value::String(s) if s.is_empty() => Some(Map::new()),
        _ => None,
    }
}

/// A list that PHP may have sent as an object keyed `"0"`, `"1"`…, or as one bare scalar.
pub fn list_like(value: &Value) -> Vec<Value> {
    match value {
        Value::Array(items) => items.clone(),
        Value::Object(m) => m.values().cloned().collect(),
        Value::Null => Vec::new(),
        other => vec![other.clone()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_match_in_any_case_and_exact_spelling_wins() {
        let m = json!({"NAME": "upper", "Type": "int"});
        let m = m.as_object().unwrap();
        assert_eq!(get_ci(m, "Name"), Some(&json!("upper")));
        assert_eq!(get_ci(m, "TYPE"), Some(&json!("int")));
        assert_eq!(get_ci(m, "missing"), None);
        let both = json!({"name": "lower", "NAME": "upper"});
        assert_eq!(get_ci(both.as_object().unwrap(), "NAME"), Some(&json!("upper")));
        // Without an exact match, the first key in the order given that matches in any case.
        assert_eq!(get_ci(both.as_object().unwrap(), "Name"), Some(&json!("lower")));
        let reversed = json!({"NAME": "upper", "name": "lower"});
        assert_eq!(get_ci(reversed.as_object().unwrap(), "Name"), Some(&json!("upper")));
    }

    #[test]
    fn flags_take_every_spelling_the_portal_uses() {
        for yes in [json!("Y"), json!("y"), json!(true), json!(1), json!("1"), json!("true")] {
            assert_eq!(flag(&yes), Some(true), "{yes}");
        }
        for no in [json!("N"), json!(false), json!(0), json!("0"), json!(""), Value::Null] {
            assert_eq!(flag(&no), Some(false), "{no}");
        }
        assert_eq!(flag(&json!("maybe")), None);
        assert_eq!(flag(&json!([1])), None);
    }

    #[test]
    fn scalars_become_text_without_loss() {
        assert_eq!(scalar_text(&json!(1)).as_deref(), Some("1"));
        assert_eq!(scalar_text(&json!(2.5)).as_deref(), Some("2.5"));
        assert_eq!(scalar_text(&json!("x")).as_deref(), Some("x"));
        assert_eq!(scalar_text(&json!(true)).as_deref(), Some("Y"));
        assert_eq!(scalar_text(&Value::Null).as_deref(), Some(""));
        assert_eq!(scalar_text(&json!({})), None);
    }

    #[test]
    fn whole_numbers_come_as_numbers_or_text() {
        assert_eq!(uint(&json!(42)), Some(42));
        assert_eq!(uint(&json!(" 42 ")), Some(42));
        for bad in [json!(-1), json!(1.5), json!("x"), json!(""), Value::Null, json!([1])] {
            assert_eq!(uint(&bad), None, "{bad}");
        }
    }

    #[test]
    fn empty_php_arrays_read_as_empty_maps() {
        assert_eq!(map_like(&json!([])).unwrap().len(), 0);
        assert_eq!(map_like(&json!({"a": 1})).unwrap().len(), 1);
        assert_eq!(map_like(&json!(["x"])).unwrap().get("0"), Some(&json!("x")));
        assert!(map_like(&json!(5)).is_none());
    }

    #[test]
    fn lists_take_objects_and_bare_scalars() {
        assert_eq!(list_like(&json!({"0": "a", "1": "b"})), vec![json!("a"), json!("b")]);
        assert_eq!(list_like(&json!("a")), vec![json!("a")]);
        assert!(list_like(&Value::Null).is_empty());
    }
}
