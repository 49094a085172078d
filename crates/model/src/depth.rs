//! Values nested deeper than any JSON text the model reads. serde_json refuses text nested 128
//! deep, and so does bx24's reader of the browser's objects, but a `Value` built in code has no
//! such bound, and every recursive walk of one (clone, drop, writing it as text) overflows the
//! stack somewhere past a few thousand levels. The placement options are held to `MAX_DEPTH`
//! before anything else reads them: a part nested deeper is reported and skipped.

use crate::problem::{Problem, ProblemKind};
use serde_json::Value;

/// The deepest nesting read: a scalar is 0 deep, `[]` and `{}` 1, `[[]]` 2.
pub const MAX_DEPTH: usize = 128;

/// True when `value` nests lists and maps more than `limit` deep. Walks with a stack of its own,
/// and stops at the first part past the limit.
pub fn deeper_than(value: &Value, limit: usize) -> bool {
    let mut stack = vec![(value, 0)];
    while let Some((v, depth)) = stack.pop() {
        match v {
            Value::Array(_) | Value::Object(_) if depth == limit => return true,
            Value::Array(items) => stack.extend(items.iter().map(|c| (c, depth + 1))),
            Value::Object(map) => stack.extend(map.values().map(|c| (c, depth + 1))),
            _ => {}
        }
    }
    false
}

/// A copy of `root` without what nests past `MAX_DEPTH`: an entry of the root, or of one of its
/// lists or maps (`properties.deep`, `template.variables`), that holds too deep a part is left out
/// and reported at its path. The copy nests `MAX_DEPTH` deep at most, so it is safe to walk.
pub fn within_limit(root: &Value, problems: &mut Vec<Problem>) -> Value {
    prune(root, "", 0, problems)
}

/// `value` with its children that nest too deep left out; `level` is how many lists and maps
/// hold `value`. The root's children are pruned in turn, the level below them are left out whole.
fn prune(value: &Value, at: &str, level: usize, problems: &mut Vec<Problem>) -> Value {
    let mut keep = |child: &Value, key: &str| -> Option<Value> {
        let path = if at.is_empty() { key.to_string() } else { [at, ".", key].concat() };
        match deeper_than(child, MAX_DEPTH - level - 1) {
            false => Some(child.clone()),
            true if level == 0 => Some(prune(child, &path, 1, problems)),
            true => {
                problems.push(Problem::new(path, ProblemKind::TooDeep));
                None
            }
        }
    };
    match value {
        Value::Array(items) => Value::Array(items.iter().enumerate().filter_map(|(i, c)| keep(c, &i.to_string())).collect()),
        Value::Object(map) => Value::Object(map.iter().filter_map(|(k, c)| Some((k.clone(), keep(c, k)?))).collect()),
        scalar => scalar.clone(),
    }
}

/// Drops a value of any depth without recursion: serde_json's own drop recurses once per level.
pub fn dismantle(value: Value) {
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Array(items) => stack.extend(items),
            Value::Object(map) => stack.extend(map.into_iter().map(|(_, v)| v)),
            // A scalar, or a list or map already emptied, drops without recursing.
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json_text::object;
    use crate::placement::PlacementOptions;
    use serde_json::json;

    fn nested(levels: usize) -> Value {
        (0..levels).fold(json!(1), |v, _| Value::Array(vec![v]))
    }

    #[test]
    fn depth_counts_lists_and_maps() {
        assert!(!deeper_than(&json!("x"), 0));
        assert!(deeper_than(&json!([]), 0));
        assert!(!deeper_than(&json!([1, {}]), 2));
        assert!(deeper_than(&json!([1, {"a": []}]), 2));
        // The deepest text serde_json reads is within the limit.
        let deepest: Value = serde_json::from_str(&format!("{}{}", "[".repeat(127), "]".repeat(127))).unwrap();
        assert!(!deeper_than(&deepest, MAX_DEPTH));
        assert!(deeper_than(&nested(MAX_DEPTH + 1), MAX_DEPTH));
    }

    #[test]
    fn a_list_at_the_root_is_pruned_by_index() {
        let mut problems = vec![];
        let root = Value::Array(vec![json!("a"), Value::Array(vec![json!(1), nested(MAX_DEPTH)])]);
        assert_eq!(within_limit(&root, &mut problems), json!(["a", [1]]));
        assert_eq!(problems, vec![Problem::new("1.1", ProblemKind::TooDeep)]);
        for lang in crate::Lang::ALL {
            assert!(crate::text::problem(*lang, &problems[0]).starts_with("1.1: ") && crate::text::problem(*lang, &problems[0]).contains("128"));
        }
    }

    #[test]
    fn deep_values_are_taken_apart_and_a_decoders_deep_value_too() {
        let small_stack = std::thread::Builder::new().stack_size(256 << 10);
        let parsed = small_stack
            .spawn(|| {
                dismantle(nested(100_000));
                let decode = |_: &str| Ok(object(vec![("properties", object(vec![("p", nested(10_000))]))]));
                PlacementOptions::parse_with(&json!("{…}"), &decode)
            })
            .unwrap()
            .join()
            .expect("no overflow");
        assert_eq!(parsed.problems, vec![Problem::new("properties.p", ProblemKind::TooDeep)]);
    }
}
