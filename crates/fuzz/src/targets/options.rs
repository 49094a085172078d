//! `PLACEMENT_OPTIONS` in the shapes the portal sends (see fixtures/ and the model's
//! tests/fixtures.rs): keys in every casing, flags and numbers as text, PHP's `[]` for an empty
//! map, lists for maps, values of every JSON type in every slot, double-encoded text; now and then
//! thousands of properties or fields, or one very long value.
//!
//! A string `@deep:N` anywhere becomes a value nested N deep before `PlacementOptions::parse`
//! sees it: serde_json stops reading text at 128 levels, but a value built by other code (the
//! settings page walks the browser's objects) has no such limit.

use crate::rng::Rng;
use crate::text::{self, cased};
use rulekit_model::depth::dismantle;
use rulekit_model::validate::validate;
use rulekit_model::{form, Localized, PlacementOptions};
use serde_json::{Map, Value};

const TYPES: &[&str] = &["string", "text", "int", "double", "bool", "date", "datetime", "select", "user", "UF:crm", "STRING", "Select", "", "file"];
const FLAGS: &[&str] = &["Y", "N", "y", "1", "0", "true", "false", "yes", "off", "", "maybe"];
const LANGS: &[&str] = &["EN", "en", "De", "DE", "RU", "ua", "*", ""];
const TEMPLATE: &[&str] = &["parameters", "variables", "constants", "global_variables", "global_constants"];
const DEEP: &str = "@deep:";

pub fn make(rng: &mut Rng) -> Vec<u8> {
    let size = rng.size();
    let options = options(rng, size);
    let text = if rng.one_in(4) { serde_json::to_string_pretty(&options) } else { serde_json::to_string(&options) };
    let mut text = text.unwrap_or_default();
    // The options as the text of a JSON string, as a form field may carry them.
    while rng.one_in(6) {
        text = Value::String(text).to_string();
    }
    text.into_bytes()
}

fn options(rng: &mut Rng, size: usize) -> Value {
    // Where a large input puts its bytes: many properties, many document fields, or one value.
    let mode = if size >= 4096 { rng.below(3) } else { 3 };
    let properties = if mode == 0 { size / 250 } else { rng.below(12) };
    let fields = if mode == 1 { size / 120 } else { rng.below(10) };
    let long = if mode == 2 { size } else { 0 };
    let codes: Vec<String> = (0..properties).map(|i| if rng.one_in(10) { text::name(rng) } else { format!("p{i}") }).collect();
    let labels: Vec<String> = (0..fields).map(|i| if rng.one_in(3) { text::name(rng) } else { format!("Field {i}") }).collect();
    let mut root = Map::new();
    put(rng, &mut root, "code", |rng| text::name(rng).into());
    put(rng, &mut root, "activity_name", |_| "A72788_31169_37133_27365".into());
    let descriptors = codes.iter().map(|c| (c.clone(), descriptor(rng))).collect();
    put(rng, &mut root, "properties", |rng| php_map(rng, descriptors));
    let values = current_values(rng, &codes, &labels, long);
    put(rng, &mut root, "current_values", |_| values);
    let document_type = Value::Array(["crm", "CCrmDocumentDeal", "DEAL"].iter().map(|s| Value::from(*s)).collect());
    put(rng, &mut root, "document_type", |_| document_type);
    let fields = labels.iter().enumerate().map(|(i, l)| (format!("F{i}"), field(rng, l))).collect();
    put(rng, &mut root, "document_fields", |rng| php_map(rng, fields));
    if rng.one_in(2) {
        let template = template(rng, &labels);
        put(rng, &mut root, "template", |_| template);
    }
    if rng.one_in(40) {
        deep_somewhere(rng, &mut root);
    }
    Value::Object(root)
}

/// Puts one `@deep:N` in place of a section, a saved value, or a property's default.
fn deep_somewhere(rng: &mut Rng, root: &mut Map<String, Value>) {
    let deep = Value::String(format!("{DEEP}{}", rng.pick(&[130, 1_000, 10_000, 100_000])));
    let section = rng.pick(&["properties", "current_values", "document_fields", "template"]);
    let inner = match root.get_mut(section) {
        Some(Value::Object(m)) if rng.one_in(2) => m.values_mut().next(),
        _ => None,
    };
    match inner {
        Some(Value::Object(d)) if section == "properties" => drop(d.insert("Default".into(), deep)),
        Some(slot) => *slot = deep,
        None => drop(root.insert(section.into(), deep)),
    }
}

/// Inserts a key in a casing picked for it. Now and then the slot holds any value at all, the key
/// is missing, or it is there twice in two casings.
fn put(rng: &mut Rng, map: &mut Map<String, Value>, key: &str, value: impl FnOnce(&mut Rng) -> Value) {
    if rng.one_in(30) {
        return;
    }
    if rng.one_in(20) {
        map.insert(cased(rng, key), any(rng, 0));
    }
    let value = if rng.one_in(15) { any(rng, 0) } else { value(rng) };
    map.insert(cased(rng, key), value);
}

/// A PHP array: a map, a list when PHP saw keys 0..n, `[]` when empty.
fn php_map(rng: &mut Rng, map: Map<String, Value>) -> Value {
    match rng.below(12) {
        0 => Value::Array(map.into_iter().map(|(_, v)| v).collect()),
        1 if map.is_empty() => Value::Array(Vec::new()),
        _ => Value::Object(map),
    }
}

/// Any JSON value, a few levels deep.
fn any(rng: &mut Rng, depth: usize) -> Value {
    let n = if depth > 3 { 0 } else { rng.below(4) };
    match rng.below(12) {
        0 => Value::Null,
        1 => Value::Bool(rng.one_in(2)),
        2 => Value::from(rng.next_u64() as i64 >> rng.below(64)),
        3 => Value::from(rng.pick(&[0.5, -0.0, 1e308, -2.5e-300, 3.0])),
        4 => Value::from(rng.next_u64()),
        5 => Value::Array((0..n).map(|_| any(rng, depth + 1)).collect()),
        6 => Value::Object((0..n).map(|_| (text::name(rng), any(rng, depth + 1))).collect()),
        _ => text::short(rng).into(),
    }
}

fn flag(rng: &mut Rng) -> Value {
    match rng.below(4) {
        0 => Value::Bool(rng.one_in(2)),
        1 => Value::from(rng.below(3) as i64 - 1),
        _ => Value::from(rng.pick(FLAGS)),
    }
}

/// A name: plain text, or a map of languages, with two keys that differ only in case now and then.
fn localized(rng: &mut Rng) -> Value {
    if rng.one_in(2) {
        return text::short(rng).into();
    }
    Value::Object((0..rng.range(1, 4)).map(|_| (rng.pick(LANGS).to_string(), text::short(rng).into())).collect())
}

fn descriptor(rng: &mut Rng) -> Value {
    let kind = rng.pick(TYPES);
    let mut d = Map::new();
    put(rng, &mut d, "Name", localized);
    if rng.one_in(3) {
        put(rng, &mut d, "Description", localized);
    }
    put(rng, &mut d, "Type", |_| kind.into());
    put(rng, &mut d, "Required", flag);
    put(rng, &mut d, "Multiple", flag);
    if rng.one_in(2) {
        let default = value(rng, &[], 0);
        put(rng, &mut d, "Default", |_| default);
    }
    if kind.eq_ignore_ascii_case("select") || rng.one_in(10) {
        let n = rng.below(5);
        let options = if rng.one_in(4) {
            Value::Array((0..n).map(|_| text::short(rng).into()).collect())
        } else {
            Value::Object((0..n).map(|_| (text::name(rng), localized(rng))).collect())
        };
        put(rng, &mut d, "Options", |_| options);
    }
    if rng.one_in(6) {
        let mut settings = Map::new();
        put(rng, &mut settings, "Choices", |rng| Value::from(rng.pick(&["crm.mycompany", "CRM.MyCompany ", "users"])));
        put(rng, &mut d, "Settings", |_| Value::Object(settings));
    }
    Value::Object(d)
}

/// A saved value: text (expressions naming `labels` and others, dates, users), a list, a PHP list
/// keyed 0..n, or any other JSON; `long` bytes of text when asked for.
fn value(rng: &mut Rng, labels: &[String], long: usize) -> Value {
    if long > 0 {
        return text::text(rng, long).into();
    }
    let one = |rng: &mut Rng| -> Value {
        match rng.below(6) {
            0 if !labels.is_empty() => format!("{{{{{}}}}} and {{=Document:F{}}}", rng.pick_ref(labels), rng.below(labels.len())).into(),
            1 => (rng.pick(&["2026-11-27", "27.11.2026 10:00:00", "11/27/2026 10:00 pm", "user_1", "3,5", "Y"])).into(),
            _ => text::short(rng).into(),
        }
    };
    match rng.below(8) {
        0 => Value::Array((0..rng.below(4)).map(|_| one(rng)).collect()),
        1 => Value::Object((0..rng.below(4)).map(|i| (i.to_string(), one(rng))).collect()),
        2 => any(rng, 0),
        _ => one(rng),
    }
}

fn current_values(rng: &mut Rng, codes: &[String], labels: &[String], long: usize) -> Value {
    let mut values = Map::new();
    for code in codes {
        if rng.one_in(2) {
            values.insert(code.clone(), value(rng, labels, 0));
        }
    }
    for _ in 0..rng.below(3) {
        values.insert(text::name(rng), value(rng, labels, 0));
    }
    if long > 0 {
        let code = if codes.is_empty() { "p0".to_string() } else { rng.pick_ref(codes).clone() };
        values.insert(code, value(rng, labels, long));
    }
    php_map(rng, values)
}

fn field(rng: &mut Rng, label: &str) -> Value {
    let mut f = Map::new();
    put(rng, &mut f, "Name", |_| label.into());
    put(rng, &mut f, "Type", |rng| Value::from(rng.pick(TYPES)));
    if rng.one_in(2) {
        put(rng, &mut f, "BaseType", |rng| Value::from(rng.pick(TYPES)));
    }
    put(rng, &mut f, "Editable", flag);
    Value::Object(f)
}

/// The robot designer's template: entries whose names the values' display forms may use.
fn template(rng: &mut Rng, labels: &[String]) -> Value {
    let entry = |rng: &mut Rng| {
        let mut e = Map::new();
        put(rng, &mut e, "Id", |rng| text::name(rng).into());
        let name = if labels.is_empty() || rng.one_in(2) { text::name(rng) } else { rng.pick_ref(labels).clone() };
        put(rng, &mut e, "Name", |_| name.into());
        put(rng, &mut e, "Type", |rng| Value::from(rng.pick(TYPES)));
        Value::Object(e)
    };
    let mut t = Map::new();
    for key in TEMPLATE {
        let entries = (0..rng.below(3)).map(|_| entry(rng)).collect();
        put(rng, &mut t, key, |_| Value::Array(entries));
    }
    let steps = (0..rng.below(3))
        .map(|_| {
            let mut step = Map::new();
            put(rng, &mut step, "Id", |rng| text::name(rng).into());
            put(rng, &mut step, "Title", |rng| text::short(rng).into());
            let returns = (0..rng.below(3)).map(|_| entry(rng)).collect();
            put(rng, &mut step, "Return", |_| Value::Array(returns));
            Value::Object(step)
        })
        .collect();
    put(rng, &mut t, "return_activities", |_| Value::Array(steps));
    Value::Object(t)
}

/// Reads the options from their text, and from the value that text holds (deepened), and then
/// does what the settings page does with them: the fields, each value's display and wire forms,
/// and validation.
pub fn run(input: &[u8]) {
    let text = String::from_utf8_lossy(input);
    exercise(&PlacementOptions::parse_str(&text).options);
    if let Ok(mut value) = serde_json::from_str::<Value>(&text) {
        deepen(&mut value);
        exercise(&PlacementOptions::parse(&value).options);
        // serde_json's own drop recurses once per level: the model's dismantle does not.
        dismantle(value);
    }
}

fn exercise(options: &PlacementOptions) {
    let (mut fields, catalog) = form::fields(options);
    for field in &mut fields {
        let property = field.property.clone();
        let shown = field.opening.clone();
        validate(&property, &shown, &catalog);
        for item in shown.items() {
            catalog.unknown_expressions(&item);
        }
        field.change(&shown, &catalog);
        survives_registration(&property.name, "name");
        property.description.iter().for_each(|d| survives_registration(d, "description"));
        property.options.iter().for_each(|(_, title)| survives_registration(title, "option title"));
    }
}

/// A text in several languages is registered as its JSON (`to_json`) and read back from it.
fn survives_registration(text: &Localized, what: &str) {
    if let Some(back) = Localized::from_json(&text.to_json()) {
        assert!(back == *text, "a property's {what} changes through its registration JSON");
    }
}

/// Replaces every string `@deep:N` with a value nested N deep, alternately a list and a map.
fn deepen(value: &mut Value) {
    match value {
        Value::String(s) => {
            if let Some(depth) = s.strip_prefix(DEEP).and_then(|n| n.parse::<usize>().ok()) {
                *value = (0..depth.min(1_000_000)).fold(Value::Null, |inner, level| {
                    if level % 2 == 0 {
                        Value::Array(vec![inner])
                    } else {
                        Value::Object(Map::from_iter([("Name".to_string(), inner)]))
                    }
                });
            }
        }
        Value::Array(items) => items.iter_mut().for_each(deepen),
        Value::Object(map) => map.values_mut().for_each(deepen),
        _ => {}
    }
}

