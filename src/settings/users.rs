//! Who the `user_<ID>` values name: names from the portal's picker and the search as people are
//! chosen, and from `user.get` for the values the form opens with and ids typed in by hand.
//!
//! An id `user.get` did not return is kept in the names with an empty name, so its chip can say
//! it matches no user; an id not in the names at all is not known yet.

use super::ask::ask;
use super::FormCtx;
use crate::bx24;
use crate::reactive::*;
use rulekit_model::form::FieldModel;
use rulekit_model::lenient::list_like;
use rulekit_model::user::{self, UserToken};
use rulekit_model::PropertyType;
use rulekit_model::json_text::object;
use std::collections::HashMap;

/// The value that stands for a chosen user. `None` for an id that is not a number, which names no
/// user the portal could resolve.
pub fn token(picked: &bx24::PickedUser) -> Option<String> {
    picked.id.trim().parse().ok().map(|id| UserToken::User(id).to_string())
}

/// The users a value names by `user_<ID>`.
pub fn user_ids(value: &str) -> Vec<u64> {
    user::split(value).filter_map(|t| match UserToken::parse(t) {
        Some(UserToken::User(id)) => Some(id),
        _ => None,
    }).collect()
}

/// Keeps the names of people the portal named (a person without one stays unnamed).
pub fn remember(ctx: FormCtx, people: impl IntoIterator<Item = (u64, String)>) {
    ctx.user_names.try_update(|names| names.extend(people.into_iter().filter(|(_, n)| !n.is_empty())));
}

/// The picker's choices, as (id, name).
pub fn picked_people(picked: &[bx24::PickedUser]) -> impl Iterator<Item = (u64, String)> + '_ {
    picked.iter().filter_map(|u| Some((u.id.trim().parse().ok()?, u.name.clone())))
}

/// Asks the portal for the names of the users the form opens with. Without an answer the ids are
/// shown as they are.
pub fn load_names(ctx: FormCtx, fields: &[FieldModel]) {
    let ids = fields.iter().filter(|f| f.property.kind == PropertyType::User).flat_map(|f| f.opening.items()).flat_map(|v| user_ids(&v));
    check(ctx, ids.collect());
}

/// Asks `user.get` about the ids not known yet: the ones it returns are named, the others marked
/// as no user. A failed call marks nothing: no answer is no proof.
pub fn check(ctx: FormCtx, ids: Vec<u64>) {
    // Each id once, and only the unknown ones (kept in a map of the names' own kind, which the
    // page has code for already; a sort would add its own).
    let mut unknown = HashMap::new();
    ctx.user_names.with_untracked(|known| unknown.extend(ids.into_iter().filter(|id| !known.contains_key(id)).map(|id| (id, String::new()))));
    let ids: Vec<u64> = unknown.into_keys().collect();
    // `user.get` answers 50 users a page: one call per 50 ids, so none is missed for paging.
    for ids in ids.chunks(50) {
        // As text, the way the portal writes ids itself.
        let filter: Vec<String> = ids.iter().map(u64::to_string).collect();
        let ids = ids.to_vec();
        ask("user.get", object(vec![("FILTER", object(vec![("ID", filter.into())]))]), Box::new(move |answer| {
            let Ok(answer) = answer else { return };
            let people: Vec<(u64, String)> = list_like(&answer).iter().filter_map(user::person).collect();
            let unmatched = ids.iter().filter(|id| !people.iter().any(|(p, _)| p == *id)).map(|id| (*id, String::new()));
            ctx.user_names.try_update(|names| names.extend(unmatched));
            remember(ctx, people);
        }));
    }
}
