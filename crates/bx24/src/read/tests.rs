//! The walk against what it replaced: `JSON.stringify` then `serde_json::from_str` one way,
//! `Value::to_string` then `JSON.parse` the other. In a browser, as the settings page runs it.

use super::*;
use serde_json::json;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A value built by JavaScript itself, so it has what JSON text cannot: `undefined`, functions,
/// a `Date`, cycles.
fn js(body: &str) -> JsValue {
    Function::new_no_args(body).call0(&JsValue::NULL).unwrap()
}

/// What the settings page read before: `JSON.stringify`, then serde_json.
fn read_as_text(v: &JsValue) -> Option<Value> {
    serde_json::from_str(&JSON::stringify(v).ok()?.as_string()?).ok()
}

fn stringify(v: &JsValue) -> String {
    JSON::stringify(v).unwrap().as_string().unwrap()
}

const NESTED: &str = r#"return {
    title: "Счёт №5 — ✓ 🚀 \"quoted\"\n", b: 1, a: [1, -3, 2.5, 0.1, -0, true, false, null, undefined, () => 1],
    big: [9007199254740993, 2 ** 60, -(2 ** 60), 18446744073709551616, -(2 ** 63), 2 ** 63, 1e20, 1e21, -9223372036854775808, -1e19, NaN, Infinity],
    gone: undefined, f() {}, [Symbol("s")]: 1, s: Symbol("t"),
    10: "ten", 2: "two", nested: {deep: {list: [{}, []], when: new Date(Date.UTC(2026, 10, 28))}},
}"#;

#[wasm_bindgen_test]
fn a_nested_value_reads_as_json_stringify_and_serde_json_read_it() {
    let v = js(NESTED);
    let got = read(&v).unwrap();
    // Compared with `==` on serde_json's types: an integer is not a float that happens to be whole.
    assert_eq!(got, read_as_text(&v).unwrap());
    let keys: Vec<&str> = got.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["2", "10", "title", "b", "a", "big", "nested"], "JavaScript's own key order; undefined, functions and symbols dropped");
    assert_eq!(got["title"], json!("Счёт №5 — ✓ 🚀 \"quoted\"\n"));
    assert_eq!(got["a"], json!([1, -3, 2.5, 0.1, 0, true, false, null, null, null]));
    assert!(got["a"][0].is_u64() && got["a"][1].is_i64() && got["a"][2].is_f64());
    assert_eq!(got["big"][0], json!(9007199254740992u64), "rounded by JavaScript, then an integer");
    assert_eq!(got["big"][1], json!(1152921504606847000u64), "JavaScript's digits for 2^60, as JSON.stringify wrote them");
    assert_eq!(got["big"][2], json!(-1152921504606847000i64));
    assert!(got["big"][3].is_f64(), "past what the digits' integer holds: a float");
    assert!(got["big"][4].is_f64(), "-2^63 is written as -9223372036854776000, past the least i64");
    assert_eq!(got["big"][5], json!(9223372036854776000u64), "2^63 written so is still a u64");
    assert_eq!(got["nested"]["deep"]["when"], json!("2026-11-28T00:00:00.000Z"), "a Date as its toJSON");
}

#[wasm_bindgen_test]
fn written_values_are_what_json_parse_built_from_their_text() {
    let v = js(NESTED);
    let got = read(&v).unwrap();
    let written = write(&got);
    assert_eq!(stringify(&written), stringify(&JSON::parse(&got.to_string()).unwrap()));
    assert_eq!(stringify(&written), stringify(&v), "and back to what JavaScript started with");
    assert!(!written.is_instance_of::<js_sys::Map>(), "a plain object, not a Map");
    assert_eq!(Object::get_prototype_of(&written), Object::get_prototype_of(&Object::new().into()));
    // A `__proto__` key is an own property, as JSON.parse makes it, not the object's prototype.
    let proto = json!({"__proto__": {"x": 1}, "y": [u64::MAX, i64::MIN, 0.5]});
    let written = write(&proto);
    assert_eq!(stringify(&written), stringify(&JSON::parse(&proto.to_string()).unwrap()));
    assert_eq!(read(&written), read_as_text(&written));
    assert_eq!(read(&written).unwrap()["__proto__"], json!({"x": 1}));
}

#[wasm_bindgen_test]
fn too_deep_or_cyclic_values_are_refused_not_a_crash() {
    let nested = |depth: usize| js(&format!("let a = 1; for (let i = 0; i < {depth}; i++) a = i % 2 ? [a] : {{k: a}}; return a"));
    // serde_json's own limit when the page read JSON text: 127 deep reads, 128 does not.
    assert!(read(&nested(127)).is_some());
    assert_eq!(read_as_text(&nested(127)), read(&nested(127)));
    assert_eq!(read(&nested(128)), None);
    assert_eq!(read_as_text(&nested(128)), None);
    assert_eq!(read(&nested(100_000)), None);
    assert_eq!(read(&js("const o = {a: [1]}; o.a.push(o); return o")), None);
    assert_eq!(read(&js("return {n: 1n}")), None, "JSON.stringify refuses a bigint");
    assert_eq!(read(&JsValue::UNDEFINED), None);
}

#[wasm_bindgen_test]
fn json_text_is_read_by_the_browser() {
    assert_eq!(decode_json(r#"{"b": [1, 2.5, "x"], "a": null}"#), Ok(json!({"b": [1, 2.5, "x"], "a": null})));
    assert_eq!(decode_json(r#""{\"a\":1}""#), Ok(json!("{\"a\":1}")), "a string stays a string: decoding again is the caller's");
    let broken = decode_json(r#"{"code": "#).unwrap_err();
    assert!(!broken.is_empty() && broken != "unknown error", "the parser's message: {broken}");
    assert_eq!(decode_json(&format!("{}{}", "[".repeat(128), "]".repeat(128))), Err("recursion limit exceeded".into()));
    assert!(decode_json(&format!("{}{}", "[".repeat(127), "]".repeat(127))).is_ok());
}
