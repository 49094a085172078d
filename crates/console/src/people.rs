//! People's names for the ids the portal's lists give (who started a workflow), read in one list
//! call; an id the portal does not know keeps showing as its number.

use crate::portal::list_all;
use rulekit_model::planner::Listing;
use rulekit_model::lenient::uint;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

pub async fn names(ids: impl IntoIterator<Item = u64>) -> BTreeMap<u64, String> {
    let ids: BTreeSet<u64> = ids.into_iter().filter(|id| *id > 0).collect();
    if ids.is_empty() {
        return BTreeMap::new();
    }
    let listing = Listing::new("user.get", json!({"FILTER": {"ID": ids.iter().collect::<Vec<_>>()}, "ADMIN_MODE": true}));
    let rows = list_all(listing).await.unwrap_or_default();
    rows.iter().filter_map(id_and_name).collect()
}

/// A `user.get` row's id (a number or its text) and full name.
pub fn id_and_name(u: &Value) -> Option<(u64, String)> {
    let id = uint(&u["ID"])?;
    let name = format!("{} {}", u["NAME"].as_str().unwrap_or_default(), u["LAST_NAME"].as_str().unwrap_or_default());
    Some((id, name.trim().to_string()))
}

/// A person by name when known, else by id; 0 is the system.
pub fn name_of(names: &BTreeMap<u64, String>, id: u64, system: &str) -> String {
    match (id, names.get(&id)) {
        (0, _) => system.to_string(),
        (_, Some(n)) if !n.is_empty() => n.clone(),
        _ => id.to_string(),
    }
}
