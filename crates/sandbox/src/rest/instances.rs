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

use super::listing::split_op;
use super::{page_of, page_start, param_value, RestResult, PAGE};
use crate::clock::parse_instant;
use crate::state::{State, Workflow};
use rulekit_model::lenient::scalar_text;
use serde_json::{json, Map, Value};
use std::borrow::Cow;
use std::cmp::Ordering;

/// A field a filter or an order names, read once per call rather than matched by name per row.
#[derive(Clone, Copy, PartialEq)]
enum Field {
    Id,
    Modified,
    OwnedUntil,
    ModuleId,
    Entity,
    DocumentId,
    Started,
    StartedBy,
    TemplateId,
}

impl Field {
    fn named(name: &str) -> Option<Field> {
        use Field::*;
        Some(match name {
            "ID" => Id,
            "MODIFIED" => Modified,
            "OWNED_UNTIL" => OwnedUntil,
            "MODULE_ID" => ModuleId,
            "ENTITY" => Entity,
            "DOCUMENT_ID" => DocumentId,
            "STARTED" => Started,
            "STARTED_BY" => StartedBy,
            "TEMPLATE_ID" => TemplateId,
            _ => return None,
        })
    }

    fn is_time(self) -> bool {
        matches!(self, Field::Started | Field::Modified | Field::OwnedUntil)
    }

    fn of(self, w: &Workflow) -> Option<Cow<'_, str>> {
        Some(match self {
            Field::Id => Cow::Borrowed(w.id.as_str()),
            Field::Modified => Cow::Borrowed(w.modified.as_str()),
            Field::OwnedUntil => Cow::Borrowed(w.owned_until.as_deref()?),
            Field::ModuleId => Cow::Borrowed(w.module_id.as_str()),
            Field::Entity => Cow::Borrowed(w.entity.as_str()),
            Field::DocumentId => Cow::Borrowed(w.document_id.as_str()),
            Field::Started => Cow::Borrowed(w.started.as_str()),
            Field::StartedBy => Cow::Owned(w.started_by.to_string()),
            Field::TemplateId => Cow::Owned(w.template_id.to_string()),
        })
    }

    /// A time field's text, borrowed (`of` without its `Cow`: this runs for every row on every page).
    fn time(self, w: &Workflow) -> Option<&str> {
        match self {
            Field::Started => Some(&w.started),
            Field::Modified => Some(&w.modified),
            Field::OwnedUntil => w.owned_until.as_deref(),
            _ => None,
        }
    }

    /// The sort key: numbers as numbers, times as instants, nulls first.
    fn key(self, w: &Workflow, times_as_text: bool) -> Key<'_> {
        match self {
            Field::StartedBy => Key::Num(w.started_by),
            Field::TemplateId => Key::Num(w.template_id),
            f if f.is_time() => match f.time(w) {
                Some(t) if times_as_text => Key::Text(t),
                Some(t) => Key::Instant(parse_instant(t).unwrap_or(i64::MIN)),
                None => Key::Null,
            },
            f => f.of(w).map_or(Key::Null, |t| match t {
                Cow::Borrowed(t) => Key::Text(t),
                Cow::Owned(_) => Key::Null,
            }),
        }
    }
}

/// A time the sandbox wrote itself (`2026-11-28T06:09:15+00:00`): these order as text, which
/// spares parsing 10,000 of them on every page.
fn canonical(t: &str) -> bool {
    t.len() == 25 && t.ends_with("+00:00") && t.as_bytes()[10] == b'T'
}

#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Key<'a> {
    Null,
    Num(u64),
    Instant(i64),
    Text(&'a str),
}

/// One condition, with what it compares against read once: numbers compare as numbers, times as
/// instants (a time that does not parse is only ever equal to the same text), the rest as text.
struct Condition {
    op: String,
    field: Field,
    want: String,
    want_instant: Option<i64>,
    want_number: Option<f64>,
}

impl Condition {
    fn order(&self, w: &Workflow) -> Option<Ordering> {
        match self.field {
            Field::StartedBy => self.want_number.map(|n| (w.started_by as f64).total_cmp(&n)),
            Field::TemplateId => self.want_number.map(|n| (w.template_id as f64).total_cmp(&n)),
            f if f.is_time() => {
                let have = f.of(w)?;
                if canonical(&have) && canonical(&self.want) {
                    Some(have.as_ref().cmp(self.want.as_str()))
                } else {
                    parse_instant(&have).zip(self.want_instant).map(|(h, w)| h.cmp(&w))
                }
            }
            f => f.of(w).map(|have| have.as_ref().cmp(self.want.as_str())),
        }
    }

    fn holds(&self, w: &Workflow) -> bool {
        let order = self.order(w);
        let equal = order == Some(Ordering::Equal) || (order.is_none() && self.field.of(w).is_some_and(|h| h == self.want));
        match (self.op.as_str(), order) {
            ("", _) => equal,
            ("!", _) => !equal,
            ("<", Some(o)) => o == Ordering::Less,
            ("<=", Some(o)) => o != Ordering::Greater,
            (">", Some(o)) => o == Ordering::Greater,
            (">=", Some(o)) => o != Ordering::Less,
            _ => false,
        }
    }
}

fn row(w: &Workflow) -> Map<String, Value> {
    let all = json!({"ID": w.id, "MODIFIED": w.modified, "OWNED_UNTIL": w.owned_until, "MODULE_ID": w.module_id,
        "ENTITY": w.entity, "DOCUMENT_ID": w.document_id, "STARTED": w.started,
        "STARTED_BY": w.started_by.to_string(), "TEMPLATE_ID": w.template_id.to_string()});
    all.as_object().cloned().unwrap_or_default()
}

pub fn instances(state: &State, params: &Value) -> RestResult {
    let conditions: Vec<Condition> = param_value(params, "FILTER")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| {
            let (op, name) = split_op(k)?;
            let want = scalar_text(v).unwrap_or_default();
            let (want_instant, want_number) = (parse_instant(&want), want.trim().parse().ok());
            Some(Condition { op: op.to_string(), field: Field::named(name)?, want, want_instant, want_number })
        })
        .collect();
    let (by, desc) = param_value(params, "ORDER")
        .and_then(Value::as_object)
        .and_then(|m| m.iter().next())
        .and_then(|(k, v)| Some((Field::named(&k.to_ascii_uppercase())?, scalar_text(v).is_some_and(|d| d.eq_ignore_ascii_case("desc")))))
        .unwrap_or((Field::Modified, true));
    let rows: Vec<&Workflow> = state.workflows.iter().filter(|w| w.state == "running" && conditions.iter().all(|c| c.holds(w))).collect();
    let times_as_text = !by.is_time() || rows.iter().all(|w| by.time(w).is_none_or(canonical));
    // Ties keep the workflows' order (as a stable sort would), so the order is total and only the
    // page needs sorting: two linear selections put its rows in place.
    let mut keyed: Vec<(Key, usize, &Workflow)> = rows.into_iter().enumerate().map(|(i, w)| (by.key(w, times_as_text), i, w)).collect();
    let cmp = |a: &(Key, usize, &Workflow), b: &(Key, usize, &Workflow)| {
        let o = if desc { b.0.cmp(&a.0) } else { a.0.cmp(&b.0) };
        o.then(a.1.cmp(&b.1))
    };
    let total = keyed.len();
    let from = page_start(params).min(total);
    let to = (from + PAGE).min(total);
    if from < total {
        keyed.select_nth_unstable_by(from, cmp);
        let rest = &mut keyed[from..];
        if to - from < rest.len() {
            rest.select_nth_unstable_by(to - from, cmp);
        }
        keyed[from..to].sort_by(cmp);
    }
    let wanted: Vec<String> = match param_value(params, "SELECT") {
        Some(Value::Array(s)) if !s.is_empty() => s.iter().filter_map(scalar_text).map(|s| s.to_ascii_uppercase()).collect(),
        _ => vec!["ID".into(), "MODIFIED".into(), "OWNED_UNTIL".into()],
    };
    Ok(page_of(total, params, |from, to| {
        keyed[from..to]
            .iter()
            .map(|(_, _, w)| {
                let all = row(w);
                Value::Object(wanted.iter().filter_map(|k| all.get(k).map(|v| (k.clone(), v.clone()))).collect())
            })
            .collect()
    }))
}
