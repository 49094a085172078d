//! Names for `user_<ID>` values: from the picker as users are chosen, and from `user.get` for the
//! ones the form opens with. Only plain `user_<ID>` tokens are named; roles, groups and the
//! portal's `Name [ID]` display already say who they are.

use super::FormCtx;
use crate::bx24;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rulekit_model::form::FieldModel;
use rulekit_model::user::{self, UserToken};
use rulekit_model::PropertyType;
use serde_json::{json, Value};

/// A portal id as the number it stands for (the portal sends it as text or as a number).
fn numeric_id(id: &str) -> Option<u64> {
    id.trim().parse().ok()
}

/// The value that stands for a chosen user. `None` for an id that is not a number, which names no
/// user the portal could resolve.
pub fn token(picked: &bx24::PickedUser) -> Option<String> {
    numeric_id(&picked.id).map(|id| UserToken::User(id).to_string())
}

/// The users a value names by `user_<ID>`.
fn user_ids(value: &str) -> impl Iterator<Item = u64> + '_ {
    user::split(value).filter_map(|t| match UserToken::parse(t) {
        Some(UserToken::User(id)) => Some(id),
        _ => None,
    })
}

pub fn remember(ctx: FormCtx, picked: &[bx24::PickedUser]) {
    ctx.user_names.update(|names| {
        for u in picked.iter().filter(|u| !u.name.is_empty()) {
            if let Some(id) = numeric_id(&u.id) {
                names.insert(id, u.name.clone());
            }
        }
    });
}

/// The known names of the users in `value`, for showing beside it.
pub fn names_in(ctx: FormCtx, value: &str) -> String {
    ctx.user_names.with(|known| user_ids(value).filter_map(|id| known.get(&id).map(String::as_str)).collect::<Vec<_>>().join(", "))
}

fn full_name(user: &Value) -> Option<(u64, String)> {
    let text = |k: &str| user.get(k).and_then(Value::as_str).unwrap_or("").trim().to_string();
    let id = match user.get("ID")? {
        Value::String(s) => numeric_id(s)?,
        Value::Number(n) => n.as_u64()?,
        _ => return None,
    };
    let name = [text("NAME"), text("LAST_NAME")].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ");
    let name = if name.is_empty() { text("EMAIL") } else { name };
    (!name.is_empty()).then_some((id, name))
}

/// Asks the portal, once, for the names of the users the form opens with. Without an answer the
/// ids are shown as they are.
pub fn load_names(ctx: FormCtx, fields: &[FieldModel]) {
    let mut ids: Vec<u64> = fields
        .iter()
        .filter(|f| f.property.kind == PropertyType::User)
        .flat_map(|f| f.opening.items())
        .flat_map(|v| user_ids(&v).collect::<Vec<_>>())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return;
    }
    // As text, the way the portal writes ids itself.
    let ids: Vec<String> = ids.iter().map(u64::to_string).collect();
    spawn_local(async move {
        let Ok(Value::Array(users)) = bx24::call_method("user.get", &json!({"FILTER": {"ID": ids}})).await else {
            return;
        };
        ctx.user_names.try_update(|names| names.extend(users.iter().filter_map(full_name)));
    });
}
