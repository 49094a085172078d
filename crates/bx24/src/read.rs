//! Values crossing between BX24.js and Rust.
//!
//! The console reads and writes them with serde-wasm-bindgen (feature `serde-wasm-bindgen`). The
//! settings page, which every rule user loads, walks them with js-sys instead: no JSON text in
//! between, so its wasm links neither serde_json's text parser nor its writer. The one JSON text
//! that page must read (`PLACEMENT_OPTIONS` may arrive double-encoded) goes through the browser's
//! `JSON.parse` and the same walk (`decode_json`).
//!
//! The walk reads what the settings page used to get from `JSON.stringify` and `serde_json`: the
//! same keys in the same order, the same numbers, the same nulls. Not covered, because nothing
//! BX24.js hands over has them: boxed primitives (`new Number(1)`), which `JSON.stringify` unboxes.

use js_sys::{Array, Function, Object, Reflect, JSON};
use serde_json::{Map, Number, Value};
use wasm_bindgen::{JsCast, JsValue};

/// How many arrays and objects deep a value may nest: serde_json's limit when it read the text
/// (127 deep reads, 128 does not). Past it, or in a cycle, the walk stops rather than overflowing
/// the stack.
const MAX_DEPTH: usize = 127;

/// What `JSON.stringify` would refuse (a cycle, a bigint, a throwing getter) or serde_json would
/// not read back (nesting past `MAX_DEPTH`).
struct Refused;

#[cfg(all(test, target_arch = "wasm32", not(feature = "serde-wasm-bindgen")))]
mod tests;

#[cfg(feature = "serde-wasm-bindgen")]
pub fn read(v: &JsValue) -> Option<Value> {
    serde_wasm_bindgen::from_value(v.clone()).ok()
}

#[cfg(feature = "serde-wasm-bindgen")]
pub fn write(v: &Value) -> JsValue {
    use serde::Serialize;
    // Maps become plain objects, as BX24.js expects, not `Map`s.
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::NULL)
}

/// A JS value as JSON data; `None` when it is not JSON data (`undefined`, a function) or refused.
#[cfg(not(feature = "serde-wasm-bindgen"))]
pub fn read(v: &JsValue) -> Option<Value> {
    walk(v, MAX_DEPTH).ok().flatten()
}

/// JSON data as a plain JS value, as `JSON.parse` would build it from the data's text.
#[cfg(not(feature = "serde-wasm-bindgen"))]
pub fn write(v: &Value) -> JsValue {
    // No depth bound: a `Value` is a tree, and every deep one came through `read`'s bound.
    match v {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        // Rounded to the nearest double, as `JSON.parse` does with the digits.
        Value::Number(n) => n.as_f64().map_or(JsValue::NULL, JsValue::from_f64),
        Value::String(s) => JsValue::from_str(s),
        Value::Array(items) => items.iter().map(write).collect::<Array>().into(),
        Value::Object(m) => {
            // `Object.fromEntries` defines each key as `JSON.parse` does: a `__proto__` key stays
            // an own property instead of setting the prototype, as plain assignment would.
            let entries: Array = m.iter().map(|(k, v)| [JsValue::from_str(k), write(v)].iter().collect::<Array>()).collect();
            Object::from_entries(&entries).map_or(JsValue::NULL, Into::into)
        }
    }
}

/// Reads JSON text with the browser's parser, so the settings page needs no JSON parser of its
/// own. The error is the parser's message.
pub fn decode_json(text: &str) -> Result<Value, String> {
    let v = JSON::parse(text).map_err(|e| crate::js_message(&e))?;
    // Parsed text holds only JSON data, so only its depth can stop the walk; serde_json's words.
    walk(&v, MAX_DEPTH).ok().flatten().ok_or_else(|| "recursion limit exceeded".into())
}

/// One value as `JSON.stringify` sees it: `Ok(None)` for what it leaves out (`undefined`,
/// functions, symbols), which a list holds as `null` and an object drops. `depth` is the nesting
/// still allowed.
fn walk(v: &JsValue, depth: usize) -> Result<Option<Value>, Refused> {
    // A `Date` (anything with a `toJSON`) is written as what that returns, which is not asked again.
    let own;
    let v = match v.is_object().then(|| Reflect::get(v, &JsValue::from_str("toJSON"))) {
        Some(Err(_)) => return Err(Refused),
        Some(Ok(f)) if f.is_function() => {
            own = f.unchecked_into::<Function>().call0(v).map_err(|_| Refused)?;
            &own
        }
        _ => v,
    };
    if let Some(b) = v.as_bool() {
        return Ok(Some(Value::Bool(b)));
    }
    if let Some(f) = v.as_f64() {
        return Ok(Some(number(f)));
    }
    if let Some(s) = v.as_string() {
        return Ok(Some(Value::String(s)));
    }
    if v.is_null() {
        return Ok(Some(Value::Null));
    }
    if v.is_bigint() {
        return Err(Refused);
    }
    if !v.is_object() {
        return Ok(None);
    }
    let depth = depth.checked_sub(1).ok_or(Refused)?;
    if Array::is_array(v) {
        let list: &Array = v.unchecked_ref();
        let mut items = Vec::with_capacity(list.length() as usize);
        for i in 0..list.length() {
            items.push(walk(&list.get(i), depth)?.unwrap_or(Value::Null));
        }
        return Ok(Some(Value::Array(items)));
    }
    // `Object.keys` lists the own enumerable keys in the order `JSON.stringify` writes them.
    let mut map = Map::new();
    for key in Object::keys(v.unchecked_ref::<Object>()).iter() {
        let item = Reflect::get(v, &key).map_err(|_| Refused)?;
        if let (Some(key), Some(item)) = (key.as_string(), walk(&item, depth)?) {
            map.insert(key, item);
        }
    }
    Ok(Some(Value::Object(map)))
}

/// A JS number as serde_json read its `JSON.stringify` text: a whole number below 1e21 is written
/// as digits, read as an integer when one holds them; the rest is a float; NaN and ±Infinity are
/// written as `null`.
fn number(f: f64) -> Value {
    let magnitude = f.abs();
    if f.fract() == 0.0 && magnitude < 1e21 {
        // Up to 2^53 the digits are the number itself. Past it JavaScript writes the shortest
        // digits that read back as the same number, padded with zeros (2^60 as
        // 1152921504606847000), and serde_json read those. js-sys's `Object::to_string` is the
        // call `value.toString()`, which the page links anyway.
        let n = match magnitude <= 9007199254740992.0 {
            true => Some(magnitude as u64),
            false => digits(&String::from(JsValue::from_f64(magnitude).unchecked_ref::<Object>().to_string())),
        };
        match n {
            Some(n) if f >= 0.0 => return n.into(),
            // Down to -2^63, the least i64.
            Some(n) if n <= 1 << 63 => return 0i64.wrapping_sub_unsigned(n).into(),
            _ => {}
        }
    }
    Number::from_f64(f).map_or(Value::Null, Value::Number)
}

/// Decimal digits as a u64; `None` past it.
fn digits(text: &str) -> Option<u64> {
    text.bytes().try_fold(0u64, |n, b| {
        // Compared before multiplying: `checked_mul` would bring in a 128-bit multiply on wasm32.
        (b.is_ascii_digit() && n <= u64::MAX / 10).then(|| n * 10)?.checked_add(u64::from(b - b'0'))
    })
}
