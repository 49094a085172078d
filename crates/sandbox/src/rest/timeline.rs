//! `crm.timeline.comment.add`, `.get` and `.list`: comments in a CRM item's timeline, answered in
//! the portal's shapes (https://apidocs.bitrix24.com/api-reference/crm/timeline/comments/index.html).

use super::listing::{ordered, select};
use super::{page, param, param_value, Reply, RestError, RestResult};
use crate::state::{State, TimelineComment};
use rulekit_model::document::CrmEntity;
use serde_json::{json, Map, Value};

const FIELDS: [&str; 7] = ["ID", "ENTITY_ID", "ENTITY_TYPE", "CREATED", "COMMENT", "AUTHOR_ID", "FILES"];

fn to_row(c: &TimelineComment) -> Map<String, Value> {
    let row = json!({"ID": c.id.to_string(), "ENTITY_ID": c.entity_id.to_string(), "ENTITY_TYPE": c.entity_type,
        "CREATED": c.created, "COMMENT": c.comment, "AUTHOR_ID": c.author_id.to_string(), "FILES": {}});
    row.as_object().cloned().unwrap_or_default()
}

/// `fields[ENTITY_ID]`, `fields[ENTITY_TYPE]`, `fields[COMMENT]`, optional `fields[AUTHOR_ID]`
/// (the calling user by default); answers the new comment's id. The portal reads `fields` in
/// lower case only (since crm 23.100.0).
pub fn add(state: &mut State, user: u64, params: &Value) -> RestResult {
    let fields = params.get("fields").filter(|f| f.is_object()).cloned().unwrap_or(Value::Null);
    let (entity_type, entity_id) = (param(&fields, "ENTITY_TYPE"), param(&fields, "ENTITY_ID"));
    let (Some(entity_type), Some(entity_id)) = (entity_type.filter(|t| !t.is_empty()), entity_id.filter(|i| !i.is_empty())) else {
        return Err(RestError::bad("100", "Required fields are missing: fields[ENTITY_ID] and fields[ENTITY_TYPE]"));
    };
    let entity_id: u64 = entity_id.trim().parse().map_err(|_| RestError::bad("NOT_FOUND", "Not found."))?;
    let entity = CrmEntity::from_timeline_type(&entity_type)
        .ok_or_else(|| RestError::bad("OWNER_NOT_FOUND", format!("Unknown ENTITY_TYPE: {entity_type}")))?;
    if !state.items.iter().any(|i| i.entity_type_id == entity.type_id() && i.id == entity_id) {
        return Err(RestError::bad("NOT_FOUND", "Not found."));
    }
    let comment = param(&fields, "COMMENT").unwrap_or_default();
    if comment.trim().is_empty() {
        return Err(RestError::bad("INVALID_ARG_VALUE", "Empty comment."));
    }
    let author_id = match param(&fields, "AUTHOR_ID").filter(|a| !a.is_empty()) {
        None => user,
        Some(a) => a.trim().parse().map_err(|_| RestError::bad("INVALID_ARG_VALUE", format!("AUTHOR_ID is not a user id: {a}")))?,
    };
    let id = state.next_id();
    let created = crate::clock::iso_now();
    state.timeline_comments.push(TimelineComment { id, entity_type: entity.timeline_type(), entity_id, created, comment, author_id });
    Ok(Reply::of(json!(id)))
}

/// `id`: one comment with every field. The portal answers these errors with an empty code.
pub fn get(state: &State, params: &Value) -> RestResult {
    let id: u64 = param(params, "id")
        .and_then(|i| i.trim().parse().ok())
        .filter(|i| *i > 0)
        .ok_or_else(|| RestError::bad("", "ID is not defined or invalid."))?;
    let comment = state.timeline_comments.iter().find(|c| c.id == id).ok_or_else(|| RestError::bad("", "Not found."))?;
    Ok(Reply::of(Value::Object(to_row(comment))))
}

/// `filter[ENTITY_ID]` and `filter[ENTITY_TYPE]` (both required), `select`, `order` (on `ID`,
/// `CREATED` or `AUTHOR_ID`; the order of adding otherwise), pages of 50 with `start`.
pub fn list(state: &State, params: &Value) -> RestResult {
    let filter = param_value(params, "filter").cloned().unwrap_or(Value::Null);
    let entity_type = param(&filter, "ENTITY_TYPE").unwrap_or_default();
    let entity_id = param(&filter, "ENTITY_ID").and_then(|i| i.trim().parse::<u64>().ok());
    let Some(entity_id) = entity_id.filter(|_| !entity_type.is_empty()) else {
        return Err(RestError::bad("INVALID_ARG_VALUE", "filter[ENTITY_ID] and filter[ENTITY_TYPE] are required"));
    };
    let rows: Vec<Map<String, Value>> = state
        .timeline_comments
        .iter()
        .filter(|c| c.entity_id == entity_id && c.entity_type.eq_ignore_ascii_case(&entity_type))
        .map(to_row)
        .collect();
    let sortable = param_value(params, "order")
        .and_then(Value::as_object)
        .and_then(|o| o.keys().next())
        .is_some_and(|k| ["ID", "CREATED", "AUTHOR_ID"].contains(&k.to_ascii_uppercase().as_str()));
    let rows = if sortable { ordered(rows, params, ("ID", false)) } else { rows };
    Ok(page(select(rows, params, &FIELDS), params))
}
