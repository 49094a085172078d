//! `bizproc.workflow.instances` (alias `bizproc.workflow.instance.list`), admin only: running
//! workflows, filtered, ordered and paged like the portal's other old lists, but on the workflows
//! themselves rather than on JSON rows, and only the page is turned into JSON: the console pages
//! through 10,000 workflows in batches of 50 page calls, each one a full pass.
//!
//! `FILTER` takes `''`, `!`, `<`, `<=`, `>`, `>=` on upper-case fields (others are dropped, as on
//! the portal). `STARTED`, `MODIFIED` and `OWNED_UNTIL` compare as instants, whatever the offset;
//! the portal's source converts only the last two, so `STARTED` is the sandbox's answer to the
//! open question (spec §7.5). A time that does not parse matches nothing with `<`/`>`, and a
//! workflow without `OWNED_UNTIL` matches no comparison on it. `TEMPLATE_ID` and `STARTED_BY`
//! compare as numbers.

use super::listing::{compare, order_of, split_op};
use super::{page_of, param_value, RestResult};
use crate::state::{State, Workflow};
use rulekit_model::lenient::scalar_text;
use serde_json::{json, Map, Value};
use std::borrow::Cow;
use std::cmp::Ordering;

const FIELDS: [&str; 9] = ["ID", "MODIFIED", "OWNED_UNTIL", "MODULE_ID", "ENTITY", "DOCUMENT_ID", "STARTED", "STARTED_BY", "TEMPLATE_ID"];

fn field<'a>(w: &'a Workflow, name: &str) -> Option<Cow<'a, str>> {
    Some(match name {
        "ID" => Cow::Borrowed(w.id.as_str()),
        "MODIFIED" => Cow::Borrowed(w.modified.as_str()),
        "OWNED_UNTIL" => Cow::Borrowed(w.owned_until.as_deref()?),
        "MODULE_ID" => Cow::Borrowed(w.module_id.as_str()),
        "ENTITY" => Cow::Borrowed(w.entity.as_str()),
        "DOCUMENT_ID" => Cow::Borrowed(w.document_id.as_str()),
        "STARTED" => Cow::Borrowed(w.started.as_str()),
        "STARTED_BY" => Cow::Owned(w.started_by.to_string()),
        "TEMPLATE_ID" => Cow::Owned(w.template_id.to_string()),
        _ => return None,
    })
}

fn numeric(name: &str) -> bool {
    matches!(name, "STARTED_BY" | "TEMPLATE_ID")
}

/// How two workflows order on a field: numbers as numbers, times as instants, nulls first.
fn order_on(a: &Workflow, b: &Workflow, name: &str) -> Ordering {
    if numeric(name) {
        let n = |w: &Workflow| if name == "STARTED_BY" { w.started_by } else { w.template_id };
        return n(a).cmp(&n(b));
    }
    match (field(a, name), field(b, name)) {
        (Some(x), Some(y)) => order_of(&x, &y),
        (x, y) => x.is_some().cmp(&y.is_some()),
    }
}

fn holds(w: &Workflow, op: &str, name: &str, want: &str) -> bool {
    match field(w, name) {
        Some(have) => compare(op, &have, want),
        None => op == "!",
    }
}

fn row(w: &Workflow) -> Map<String, Value> {
    let all = json!({"ID": w.id, "MODIFIED": w.modified, "OWNED_UNTIL": w.owned_until, "MODULE_ID": w.module_id,
        "ENTITY": w.entity, "DOCUMENT_ID": w.document_id, "STARTED": w.started,
        "STARTED_BY": w.started_by.to_string(), "TEMPLATE_ID": w.template_id.to_string()});
    all.as_object().cloned().unwrap_or_default()
}

pub fn instances(state: &State, params: &Value) -> RestResult {
    let conditions: Vec<(String, String, String)> = param_value(params, "FILTER")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| split_op(k).map(|(op, f)| (op.to_string(), f.to_string(), scalar_text(v).unwrap_or_default())))
        .filter(|(_, f, _)| FIELDS.contains(&f.as_str()))
        .collect();
    let (by, desc) = param_value(params, "ORDER")
        .and_then(Value::as_object)
        .and_then(|m| m.iter().next())
        .map(|(k, v)| (k.to_ascii_uppercase(), scalar_text(v).is_some_and(|d| d.eq_ignore_ascii_case("desc"))))
        .filter(|(k, _)| FIELDS.contains(&k.as_str()))
        .unwrap_or(("MODIFIED".into(), true));
    let mut rows: Vec<&Workflow> = state
        .workflows
        .iter()
        .filter(|w| w.state == "running")
        .filter(|w| conditions.iter().all(|(op, f, want)| holds(w, op, f, want)))
        .collect();
    rows.sort_by(|a, b| {
        let o = order_on(a, b, &by);
        if desc { o.reverse() } else { o }
    });
    let wanted: Vec<String> = match param_value(params, "SELECT") {
        Some(Value::Array(s)) if !s.is_empty() => s.iter().filter_map(scalar_text).map(|s| s.to_ascii_uppercase()).collect(),
        _ => vec!["ID".into(), "MODIFIED".into(), "OWNED_UNTIL".into()],
    };
    Ok(page_of(rows.len(), params, |from, to| {
        rows[from..to]
            .iter()
            .map(|w| {
                let all = row(w);
                Value::Object(wanted.iter().filter_map(|k| all.get(k).map(|v| (k.clone(), v.clone()))).collect())
            })
            .collect()
    }))
}
