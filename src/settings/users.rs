//! Names for `user_<ID>` values: from the picker as users are chosen, and from `user.get` for the
//! ones the form opens with.

use super::FormCtx;
use crate::bx24;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rulekit_model::form::FieldModel;
use rulekit_model::PropertyType;
use serde_json::{json, Value};

/// The value that stands for the user `id`.
pub fn token(id: &str) -> String {
    ["user_", id].concat()
}

/// The user id in a `user_<ID>` value.
fn user_id(value: &str) -> Option<&str> {
    let id = value.trim().strip_prefix("user_")?;
    (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())).then_some(id)
}

/// The users of a value (`;` or `,` between them).
fn user_ids(value: &str) -> impl Iterator<Item = &str> {
    value.split([';', ',']).filter_map(user_id)
}

pub fn remember(ctx: FormCtx, picked: &[bx24::PickedUser]) {
    ctx.user_names.update(|names| {
        for u in picked {
            if !u.name.is_empty() {
                names.insert(token(&u.id), u.name.clone());
            }
        }
    });
}

/// The known names of the users in `value`, for showing beside it.
pub fn names_in(ctx: FormCtx, value: &str) -> String {
    ctx.user_names.with(|known| {
        user_ids(value).filter_map(|id| known.get(&token(id)).map(String::as_str)).collect::<Vec<_>>().join(", ")
    })
}

fn full_name(user: &Value) -> Option<(String, String)> {
    let text = |k: &str| user.get(k).and_then(Value::as_str).unwrap_or("").trim().to_string();
    let id = match user.get("ID")? {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    let name = [text("NAME"), text("LAST_NAME")].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ");
    let name = if name.is_empty() { text("EMAIL") } else { name };
    (!name.is_empty()).then(|| (token(&id), name))
}

/// Asks the portal, once, for the names of the users the form opens with. Without an answer the
/// ids are shown as they are.
pub fn load_names(ctx: FormCtx, fields: &[FieldModel]) {
    let mut ids: Vec<String> = fields
        .iter()
        .filter(|f| f.property.kind == PropertyType::User)
        .flat_map(|f| f.opening.items())
        .flat_map(|v| user_ids(&v).map(str::to_string).collect::<Vec<_>>())
        .collect();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return;
    }
    spawn_local(async move {
        let Ok(Value::Array(users)) = bx24::call_method("user.get", &json!({"FILTER": {"ID": ids}})).await else {
            return;
        };
        ctx.user_names.try_update(|names| names.extend(users.iter().filter_map(full_name)));
    });
}
