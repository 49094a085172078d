//! `crm.item.get`, `crm.item.add`, `crm.item.productrow.list` and `crm.item.productrow.set`.

use super::{page, param, param_value, Reply, RestError, RestResult};
use crate::state::{Item, ProductRow, State};
use rulekit_model::document::CrmEntity;
use rulekit_model::lenient::scalar_text;
use serde_json::{json, Map, Value};

fn number(params: &Value, key: &str) -> Option<u64> {
    param(params, key).and_then(|s| s.trim().parse().ok())
}

fn item_json(item: &Item) -> Value {
    let mut m = item.fields.clone();
    m.insert("id".into(), json!(item.id));
    m.insert("entityTypeId".into(), json!(item.entity_type_id));
    Value::Object(m)
}

pub fn get(state: &State, params: &Value) -> RestResult {
    let (t, id) = (number(params, "entityTypeId"), number(params, "id"));
    let (Some(t), Some(id)) = (t, id) else {
        return Err(RestError::bad("INVALID_ARG_VALUE", "entityTypeId and id are required"));
    };
    state
        .items
        .iter()
        .find(|i| i.entity_type_id == t && i.id == id)
        .map(|i| Reply::of(json!({"item": item_json(i)})))
        .ok_or_else(|| RestError::bad("NOT_FOUND", "Element not found"))
}

pub fn add(state: &mut State, params: &Value) -> RestResult {
    let t = number(params, "entityTypeId").ok_or_else(|| RestError::bad("INVALID_ARG_VALUE", "entityTypeId is required"))?;
    let fields = param_value(params, "fields").and_then(Value::as_object).cloned().unwrap_or_default();
    if t == 31 && fields.get("title").and_then(scalar_text).is_none_or(|s| s.trim().is_empty()) {
        return Err(RestError::bad("CRM_FIELD_ERROR_VALUE_NOT_VALID", "Title is required"));
    }
    let id = state.next_id();
    let item = Item { entity_type_id: t, id, fields };
    let reply = json!({"item": item_json(&item)});
    state.items.push(item);
    Ok(Reply::of(reply))
}

fn owner(params: &Value, filter_key: bool) -> (Option<String>, Option<u64>) {
    let source = if filter_key { param_value(params, "filter").cloned().unwrap_or(Value::Null) } else { params.clone() };
    let get = |k: &str| param(&source, &format!("={k}")).or_else(|| param(&source, k));
    (get("ownerType"), get("ownerId").and_then(|s| s.parse().ok()))
}

fn row_json(r: &ProductRow) -> Value {
    let mut m = r.fields.clone();
    m.insert("id".into(), json!(r.id));
    m.insert("ownerType".into(), json!(r.owner_type));
    m.insert("ownerId".into(), json!(r.owner_id));
    Value::Object(m)
}

pub fn rows_list(state: &State, params: &Value) -> RestResult {
    let (ot, oid) = owner(params, true);
    let rows: Vec<Value> = state
        .product_rows
        .iter()
        .filter(|r| ot.as_ref().is_none_or(|t| *t == r.owner_type) && oid.is_none_or(|id| id == r.owner_id))
        .map(row_json)
        .collect();
    let mut reply = page(rows, params);
    reply.result = json!({"productRows": reply.result});
    Ok(reply)
}

/// Replaces all rows of the owner.
pub fn rows_set(state: &mut State, params: &Value) -> RestResult {
    let (ot, oid) = owner(params, false);
    let (Some(ot), Some(oid)) = (ot, oid) else {
        return Err(RestError::bad("OWNER_NOT_FOUND", "ownerType and ownerId are required"));
    };
    let entity = CrmEntity::from_owner_type(&ot);
    let exists = entity.is_some_and(|e| state.items.iter().any(|i| i.entity_type_id == e.type_id() && i.id == oid));
    if !exists {
        return Err(RestError::bad("OWNER_NOT_FOUND", "Owner element is not found"));
    }
    let given = param_value(params, "productRows").map(rulekit_model::lenient::list_like).unwrap_or_default();
    state.product_rows.retain(|r| !(r.owner_type == ot && r.owner_id == oid));
    let mut out = Vec::new();
    for row in given {
        let mut fields: Map<String, Value> = row.as_object().cloned().unwrap_or_default();
        fields.remove("id");
        let r = ProductRow { id: state.next_id(), owner_type: ot.clone(), owner_id: oid, fields };
        out.push(row_json(&r));
        state.product_rows.push(r);
    }
    Ok(Reply::of(json!({"productRows": out})))
}

/// `crm.item.list`: items of one type, filtered by equal field values (`field` or `=field`).
pub fn list(state: &State, params: &Value) -> RestResult {
    let t = number(params, "entityTypeId").ok_or_else(|| RestError::bad("INVALID_ARG_VALUE", "entityTypeId is required"))?;
    let filter = param_value(params, "filter").and_then(Value::as_object).cloned().unwrap_or_default();
    let items: Vec<Value> = state
        .items
        .iter()
        .filter(|i| i.entity_type_id == t)
        .map(item_json)
        .filter(|item| {
            filter.iter().all(|(k, want)| {
                let field = k.trim_start_matches('=');
                item.get(field).and_then(scalar_text) == scalar_text(want)
            })
        })
        .collect();
    let mut reply = page(items, params);
    reply.result = json!({"items": reply.result});
    Ok(reply)
}
