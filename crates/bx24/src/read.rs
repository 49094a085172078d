//! Values crossing between BX24.js and Rust.
//!
//! The console reads and writes them with serde-wasm-bindgen (feature `serde-wasm-bindgen`): no
//! JSON text in between. The settings page, which every rule user loads, still goes through JSON
//! text, because it must parse JSON text anyway (`PLACEMENT_OPTIONS` may arrive double-encoded) and
//! measured on 2026-11-28 the alternatives made it heavier: serde-wasm-bindgen's generic reader
//! into `serde_json::Value` by 11.5 KB of brotli, a hand-written js-sys reader by 0.8 KB. The way
//! out for that page is typed reads with no `serde_json::Value` at all (issue 12).

use serde_json::Value;
use wasm_bindgen::JsValue;

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

#[cfg(not(feature = "serde-wasm-bindgen"))]
pub fn read(v: &JsValue) -> Option<Value> {
    let text = js_sys::JSON::stringify(v).ok()?;
    serde_json::from_str(&String::from(text)).ok()
}

#[cfg(not(feature = "serde-wasm-bindgen"))]
pub fn write(v: &Value) -> JsValue {
    js_sys::JSON::parse(&v.to_string()).unwrap_or(JsValue::NULL)
}
