//! The invoice rule's work (spec §4a): a smart invoice from the deal or lead the workflow runs on,
//! with its products, and `invoice_id` back to the workflow. Each step records what it did in the
//! job's checkpoint, and the invoice carries the run's id (`originId`), so a run resumed after a
//! crash finds what it already made instead of making it twice.

use crate::portal_api::{ApiError, PortalApi};
use rulekit_model::execution::ExecutionRequest;
use rulekit_model::manifest::RuleManifest;
use rulekit_model::PropertyValue;
use serde_json::{json, Value};

/// The calls a step makes, with the run's endpoint and token.
pub struct Ctx<'a> {
    pub api: &'a PortalApi,
    pub request: &'a ExecutionRequest,
}

impl Ctx<'_> {
    pub async fn call(&self, method: &str, params: Value) -> Result<Value, ApiError> {
        self.api.call(&self.request.auth.client_endpoint, &self.request.auth.access_token, method, params).await
    }
}

/// The CRM entity behind a document id: `DEAL_n` is 2/`D`, `LEAD_n` is 1/`L`.
pub fn entity_of(document_id: &str) -> Option<(u64, &'static str, u64)> {
    let (kind, id) = document_id.rsplit_once('_')?;
    let id = id.parse().ok()?;
    match kind {
        "DEAL" => Some((2, "D", id)),
        "LEAD" => Some((1, "L", id)),
        _ => None,
    }
}

fn single(request: &ExecutionRequest, manifest: &RuleManifest, code: &str) -> String {
    manifest
        .properties
        .iter()
        .find(|p| p.code == code)
        .map(|p| match request.value(p) {
            PropertyValue::Single(s) if s.trim().is_empty() => p.default.as_ref().map(|d| d.items().join("")).unwrap_or_default(),
            PropertyValue::Single(s) => s,
            PropertyValue::Multiple(v) => v.join(","),
        })
        .unwrap_or_default()
}

fn users(request: &ExecutionRequest, manifest: &RuleManifest, code: &str) -> Vec<u64> {
    manifest
        .properties
        .iter()
        .find(|p| p.code == code)
        .map(|p| request.value(p).items())
        .unwrap_or_default()
        .iter()
        .flat_map(|v| v.split([';', ',']).map(str::trim).map(str::to_string).collect::<Vec<_>>())
        .filter_map(|t| t.strip_prefix("user_").and_then(|id| id.parse().ok()))
        .collect()
}

/// A date `days` from today, as `YYYY-MM-DD`.
fn date_in(days: i64) -> String {
    rulekit_model::dates::portal_date(rulekit_model::dates::from_unix_days(crate::store::now() / 86_400_000 + days))
}

/// The id the invoice carries so that a resumed run recognises it: the step's event id.
fn origin_id(request: &ExecutionRequest) -> String {
    let event = request.event_token.split('|').nth(2).unwrap_or(&request.event_token);
    format!("rulekit:{}", event.split('.').next().unwrap_or(event))
}

/// Runs the rule up to its answer. `checkpoint` holds what earlier attempts did; `save` persists
/// it after every step that changed the portal.
pub async fn run<F, Fut>(ctx: &Ctx<'_>, manifest: &RuleManifest, checkpoint: &mut Value, mut save: F) -> Result<(i64, String), ApiError>
where
    F: FnMut(Value) -> Fut,
    Fut: std::future::Future<Output = Result<(), ApiError>>,
{
    let r = ctx.request;
    let document = r.document_id.get(2).cloned().unwrap_or_default();
    let (entity_type, owner_type, id) = entity_of(&document).ok_or_else(|| {
        ApiError::Fatal(format!("This rule creates invoices from deals and leads; it was started on \"{document}\"."))
    })?;
    let invoice_id = match checkpoint.get("invoice_id").and_then(Value::as_i64) {
        Some(existing) => existing,
        None => {
            let source = ctx.call("crm.item.get", json!({"entityTypeId": entity_type, "id": id})).await?;
            let item = &source["result"]["item"];
            let origin = origin_id(r);
            let found = ctx
                .call("crm.item.list", json!({"entityTypeId": 31, "filter": {"=originatorId": "rulekit", "=originId": origin}, "select": ["id"]}))
                .await?;
            let existing = found["result"]["items"].get(0).and_then(|i| i["id"].as_i64());
            let invoice = match existing {
                Some(i) => i,
                None => {
                    // Ten years at most: a huge number is a mistake, not a due date.
                    let days: i64 = single(r, manifest, "due_in_days").trim().parse::<i64>().unwrap_or(10).clamp(0, 3650);
                    let mut fields = json!({
                        "title": single(r, manifest, "invoice_title"),
                        "companyId": item["companyId"],
                        "contactId": item["contactId"],
                        "contactIds": item["contactIds"],
                        "mycompanyId": single(r, manifest, "mycompany_id").trim().parse::<i64>().unwrap_or(0),
                        "begindate": date_in(0),
                        "closedate": date_in(days),
                        "comments": single(r, manifest, "comments"),
                        "observers": users(r, manifest, "observers"),
                        "originatorId": "rulekit",
                        "originId": origin,
                    });
                    if entity_type == 2 {
                        fields["parentId2"] = json!(id);
                    }
                    let added = ctx.call("crm.item.add", json!({"entityTypeId": 31, "fields": fields})).await?;
                    added["result"]["item"]["id"].as_i64().ok_or_else(|| ApiError::Fatal("crm.item.add returned no invoice id".into()))?
                }
            };
            checkpoint["invoice_id"] = json!(invoice);
            save(checkpoint.clone()).await?;
            invoice
        }
    };
    let copy = single(r, manifest, "copy_products") == "Y";
    let mut copied = checkpoint.get("rows").and_then(Value::as_u64);
    if copy && copied.is_none() {
        let mut rows = Vec::new();
        let mut start = json!(0);
        loop {
            let page = ctx
                .call("crm.item.productrow.list", json!({"filter": {"=ownerType": owner_type, "=ownerId": id}, "start": start}))
                .await?;
            for row in page["result"]["productRows"].as_array().cloned().unwrap_or_default() {
                let mut row = row;
                if let Some(m) = row.as_object_mut() {
                    for k in ["id", "ownerId", "ownerType"] {
                        m.remove(k);
                    }
                }
                rows.push(row);
            }
            match page.get("next") {
                Some(n) if !n.is_null() => start = n.clone(),
                _ => break,
            }
        }
        // `set` replaces every row, so doing it again after a crash changes nothing.
        ctx.call("crm.item.productrow.set", json!({"ownerType": "SI", "ownerId": invoice_id, "productRows": rows})).await?;
        copied = Some(rows.len() as u64);
        checkpoint["rows"] = json!(rows.len());
        save(checkpoint.clone()).await?;
    }
    let from = if entity_type == 2 { "deal" } else { "lead" };
    let message = match copied {
        Some(n) => format!("Invoice #{invoice_id} created from {from} {id} with {n} product rows."),
        None => format!("Invoice #{invoice_id} created from {from} {id}."),
    };
    Ok((invoice_id, message))
}
