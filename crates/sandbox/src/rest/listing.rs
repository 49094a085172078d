//! Lists as the portal's older methods take them (`bizproc.*`, `crm.timeline.comment.list`):
//! rows of upper-case fields, a `FILTER` with operator prefixes, `SELECT` and `ORDER`. Numbers
//! compare as numbers and ISO 8601 times as instants, whatever their offsets.

use super::param_value;
use crate::clock::parse_instant;
use std::cmp::Ordering;
use rulekit_model::lenient::scalar_text;
use serde_json::{Map, Value};

/// `FILTER` keys: an operator prefix and an upper-case field. Returns `None` for an operator the
/// portal drops (`=`, `!=`…), so the condition is ignored as there.
pub fn split_op(key: &str) -> Option<(&str, &str)> {
    for op in ["<=", ">=", "<", ">", "!", ""] {
        if let Some(field) = key.strip_prefix(op) {
            if field.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
                return Some((op, field));
            }
        }
    }
    None
}

/// Two times as instants. Times the sandbox writes itself (UTC, `+00:00`) compare as text, which is
/// the same order and keeps sorting 10,000 rows cheap; others are parsed.
fn instant_order(a: &str, b: &str) -> Option<Ordering> {
    if a.len() == 25 && b.len() == 25 && a.ends_with("+00:00") && b.ends_with("+00:00") && a.as_bytes()[10] == b'T' && b.as_bytes()[10] == b'T' {
        return Some(a.cmp(b));
    }
    Some(parse_instant(a)?.cmp(&parse_instant(b)?))
}

/// How two field values order: numbers as numbers, times as instants (any offset), else as text.
pub fn order_of(a: &str, b: &str) -> Ordering {
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => x.total_cmp(&y),
        _ => instant_order(a, b).unwrap_or_else(|| a.cmp(b)),
    }
}

/// One `FILTER` condition on a value. A comparison of a time with something that is not one (or
/// the other way round) holds for nothing, rather than comparing text.
pub fn compare(op: &str, have: &str, want: &str) -> bool {
    let numbers = have.parse::<f64>().is_ok() && want.parse::<f64>().is_ok();
    let order = if numbers {
        Some(order_of(have, want))
    } else {
        match (parse_instant(have).is_some(), parse_instant(want).is_some()) {
            (true, true) => instant_order(have, want),
            (false, false) => Some(have.cmp(want)),
            _ => None,
        }
    };
    match (op, order) {
        ("", _) => have == want || order == Some(Ordering::Equal),
        ("!", _) => !(have == want || order == Some(Ordering::Equal)),
        (_, None) => false,
        ("<", Some(o)) => o == Ordering::Less,
        ("<=", Some(o)) => o != Ordering::Greater,
        (">", Some(o)) => o == Ordering::Greater,
        (">=", Some(o)) => o != Ordering::Less,
        _ => true,
    }
}

/// The rows every `FILTER` condition holds for; a condition on a field a row lacks is ignored.
pub fn filtered(rows: Vec<Map<String, Value>>, filter: Option<&Value>) -> Vec<Map<String, Value>> {
    let conditions: Vec<(String, String, String)> = filter
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| split_op(k).map(|(op, f)| (op.to_string(), f.to_string(), scalar_text(v).unwrap_or_default())))
                .collect()
        })
        .unwrap_or_default();
    rows.into_iter()
        .filter(|row| {
            conditions.iter().all(|(op, field, want)| match row.get(field.as_str()).and_then(scalar_text) {
                Some(have) => compare(op, &have, want),
                None => true,
            })
        })
        .collect()
}

/// Each row cut to the `SELECT`ed fields (any case), or to `default` when nothing is selected.
pub fn select(rows: Vec<Map<String, Value>>, params: &Value, default: &[&str]) -> Vec<Value> {
    let wanted: Vec<String> = match param_value(params, "SELECT") {
        Some(Value::Array(s)) if !s.is_empty() => s.iter().filter_map(scalar_text).map(|s| s.to_ascii_uppercase()).collect(),
        _ => default.iter().map(|s| s.to_string()).collect(),
    };
    rows.into_iter()
        .map(|row| Value::Object(wanted.iter().filter_map(|k| row.get(k).map(|v| (k.clone(), v.clone()))).collect()))
        .collect()
}

/// Rows sorted by the first `ORDER` field (`asc`/`desc`), else by `default`; numbers as numbers.
pub fn ordered(mut rows: Vec<Map<String, Value>>, params: &Value, default: (&str, bool)) -> Vec<Map<String, Value>> {
    let (field, desc) = param_value(params, "ORDER")
        .and_then(Value::as_object)
        .and_then(|m| m.iter().next().map(|(k, v)| (k.to_ascii_uppercase(), scalar_text(v).is_some_and(|d| d.eq_ignore_ascii_case("desc")))))
        .unwrap_or((default.0.to_string(), default.1));
    rows.sort_by(|a, b| {
        let key = |r: &Map<String, Value>| r.get(&field).and_then(scalar_text).unwrap_or_default();
        let (ka, kb) = (key(a), key(b));
        let ord = order_of(&ka, &kb);
        if desc { ord.reverse() } else { ord }
    });
    rows
}

