//! A value's compact JSON text, byte for byte what `serde_json::to_string` writes.
//!
//! The model keeps a value it cannot show as text (a file, an address) as its JSON text. Written
//! here rather than by `Value`'s `Display`, which brings serde_json's serializer and its pretty
//! printer into the settings page's wasm. The tests hold it to serde_json's output.

use serde_json::Value;
use std::fmt::Write;

/// A JSON object of `pairs`, in their order. The settings page builds its REST parameters with it
/// rather than `json!`, whose conversions link serde_json's serializer and its error type.
pub fn object(pairs: Vec<(&str, Value)>) -> Value {
    Value::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

pub fn to_text(value: &Value) -> String {
    let mut out = String::new();
    write_value(value, &mut out);
    out
}

fn write_value(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        // A number's `Display` is its JSON spelling; a `Number` is never NaN or infinite.
        Value::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(key, out);
                out.push(':');
                write_value(item, out);
            }
            out.push('}');
        }
    }
}

/// serde_json escapes the quote, the backslash and the control characters below U+0020, and
/// nothing else (not `/`, not U+007F, no non-ASCII).
fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c < ' ' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {

    #[test]
    fn objects_are_built_in_order_as_json_would() {
        let built = object(vec![("FILTER", object(vec![("ID", Value::from(vec!["7".to_string()]))])), ("ACTIVE", true.into())]);
        assert_eq!(built, serde_json::json!({"FILTER": {"ID": ["7"]}, "ACTIVE": true}));
        assert_eq!(to_text(&built), r#"{"FILTER":{"ID":["7"]},"ACTIVE":true}"#, "keys stay in their order");
        assert_eq!(object(vec![]), serde_json::json!({}));
    }

    use super::*;
    use serde_json::json;

    #[test]
    fn writes_what_serde_json_writes() {
        let every_ascii: String = (0u8..=0x7f).map(char::from).collect();
        let values = [
            json!(null),
            json!(true),
            json!([false, [], {}, [[]]]),
            json!(every_ascii),
            json!({"z": 1, "a": -2, "é\"\\": "Заявка №5 — ✓ 🚀", "": [u64::MAX, i64::MIN, 0]}),
            json!([0.1, 2.5, -1e-7, 1e300, 123456789.125, -0.0, 1e21, f64::MAX]),
            json!({"file": {"id": "7", "name": "scan\u{1}\u{1f}.pdf", "lines": "a\r\nb\tc\u{8}\u{c}/"}}),
        ];
        for value in values {
            assert_eq!(to_text(&value), serde_json::to_string(&value).unwrap());
            assert_eq!(to_text(&value), value.to_string());
        }
    }
}
