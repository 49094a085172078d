//! Form bodies with PHP bracket keys (`properties[observers][0]=user_1`), as Bitrix24's queue posts
//! rule runs and as BX24.js posts REST calls. serde_qs does the decoding and encoding in form mode
//! (brackets may arrive percent-encoded); this module only maps the result onto JSON, turning maps
//! keyed `0..n` into lists, since PHP has one kind of array for both.

use serde_json::{Map, Value};

/// How deep brackets may nest: `auth[x]`, `properties[code][0]`, `cmd[key]`, `filter[@ID][0]`.
const MAX_DEPTH: usize = 6;

fn config() -> serde_qs::Config {
    serde_qs::Config::new().max_depth(MAX_DEPTH).use_form_encoding(true)
}

/// Decodes a form body into JSON: text values, maps, and lists for `[0]`, `[1]`… keys.
pub fn decode(body: &str) -> Result<Value, String> {
    let raw: Value = config().deserialize_str(body.trim()).map_err(|e| e.to_string())?;
    Ok(match listify(raw) {
        Value::Null => Value::Object(Map::new()),
        v => v,
    })
}

fn listify(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let indexed = !map.is_empty()
                && map.keys().enumerate().all(|(i, k)| k.parse::<usize>().ok() == Some(i))
                || (!map.is_empty() && {
                    let mut keys: Vec<usize> = map.keys().filter_map(|k| k.parse().ok()).collect();
                    keys.sort_unstable();
                    keys.len() == map.len() && keys.iter().enumerate().all(|(i, k)| i == *k)
                });
            if indexed {
                let mut pairs: Vec<(usize, Value)> =
                    map.into_iter().map(|(k, v)| (k.parse().unwrap_or(0), listify(v))).collect();
                pairs.sort_by_key(|(i, _)| *i);
                Value::Array(pairs.into_iter().map(|(_, v)| v).collect())
            } else {
                Value::Object(map.into_iter().map(|(k, v)| (k, listify(v))).collect::<Map<_, _>>())
            }
        }
        other => other,
    }
}

/// Encodes JSON as a form body with bracket keys; lists as `[0]`, `[1]`…; `true`/`false` as
/// `Y`/`N`, as the portal writes flags.
pub fn encode(value: &Value) -> Result<String, String> {
    config().serialize_string(&flags_as_yn(value)).map_err(|e| e.to_string())
}

fn flags_as_yn(value: &Value) -> Value {
    match value {
        Value::Bool(b) => Value::String(if *b { "Y" } else { "N" }.into()),
        Value::Array(items) => Value::Array(items.iter().map(flags_as_yn).collect()),
        Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), flags_as_yn(v))).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bracket_keys_become_maps_and_lists() {
        let v = decode("a=1&b%5Bx%5D=2&c%5B0%5D=p&c%5B1%5D=q&d[e][0]=z&f=x+y%26z").unwrap();
        assert_eq!(v, json!({"a": "1", "b": {"x": "2"}, "c": ["p", "q"], "d": {"e": ["z"]}, "f": "x y&z"}));
    }

    #[test]
    fn encoding_round_trips() {
        let v = json!({"auth": {"member_id": "m"}, "list": ["a", "b c"], "flag": true, "n": 3});
        let body = encode(&v).unwrap();
        assert!(body.contains("list%5B0%5D=a") || body.contains("list[0]=a"), "{body}");
        assert_eq!(decode(&body).unwrap(), json!({"auth": {"member_id": "m"}, "list": ["a", "b c"], "flag": "Y", "n": "3"}));
    }

    #[test]
    fn bad_bodies_are_errors_not_panics() {
        assert_eq!(decode("").unwrap(), json!({}));
        // A key given both as a value and as a map keeps both values.
        assert_eq!(decode("a[b]=1&a=2").unwrap(), json!({"a": {"b": "1", "": "2"}}));
        let sparse = decode("a[0]=x&a[2]=y").unwrap_err();
        assert!(sparse.contains("index"), "{sparse}");
    }
}
