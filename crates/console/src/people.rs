//! People's names for the ids the portal's lists give (who started a workflow), read in one list
//! call; an id the portal does not know keeps showing as its number.

use crate::portal::list_all;
use rulekit_model::planner::Listing;
use rulekit_model::user;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};

pub async fn names(ids: impl IntoIterator<Item = u64>) -> BTreeMap<u64, String> {
    let ids: BTreeSet<u64> = ids.into_iter().filter(|id| *id > 0).collect();
    if ids.is_empty() {
        return BTreeMap::new();
    }
    let listing = Listing::new("user.get", json!({"FILTER": {"ID": ids.iter().collect::<Vec<_>>()}, "ADMIN_MODE": true}));
    let rows = list_all(listing).await.unwrap_or_default();
    rows.iter().filter_map(user::person).collect()
}

/// A person by name when known, else by id; 0 is the system.
pub fn name_of(names: &BTreeMap<u64, String>, id: u64, system: &str) -> String {
    match (id, names.get(&id)) {
        (0, _) => system.to_string(),
        (_, Some(n)) if !n.is_empty() => n.clone(),
        _ => id.to_string(),
    }
}
