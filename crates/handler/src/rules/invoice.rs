//! The invoice rule: a smart invoice from the deal or lead the workflow runs on, with its
//! products, and `invoice_id` back to the workflow. Each step records what it did in the
//! checkpoint, and the invoice carries the run's id (`originId`), so a run resumed after a crash
//! finds what it already made instead of making it twice.

use super::{Done, Rule, RunCtx};
use crate::portal_api::ApiError;
use crate::reason::Reason;
use crate::record::Checkpoint;
use rulekit_model::execution::ExecutionRequest;
use rulekit_model::manifest::RuleManifest;
use rulekit_model::dates;
use rulekit_model::{CrmEntity, Invalid, Localized};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::ops::RangeInclusive;

pub struct Invoice;

/// What the invoice rule has done: the invoice it made, and how many product rows it copied.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InvoiceCheckpoint {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows: Option<u64>,
}

/// `crm.item.*` numbers smart invoices 31 (https://apidocs.bitrix24.com/api-reference/crm/universal/invoice.html).
const SMART_INVOICE: u64 = 31;

/// How far ahead the invoice may fall due: ten years at most, and not before today. A number
/// outside that is a mistake, not a due date, so the run stops and tells the workflow instead of
/// making an invoice with a date nobody chose.
const DUE_IN_DAYS: RangeInclusive<i64> = 0..=3650;

/// A date `days` from today, as `YYYY-MM-DD`. `None` (written as `null`, so the portal picks the
/// date) only for a clock past the year 9999, which no date can show.
fn date_in(days: i64) -> Option<String> {
    let today = crate::store::now().div_euclid(86_400_000);
    dates::from_unix_days(today.checked_add(days)?).map(dates::portal_date)
}

/// The days `due_in_days` names, or why they are wrong. A value the portal left unresolved (an
/// expression, not a number: the values were checked before the run) is the default ten days,
/// as it always was.
fn due_in_days(cx: &RunCtx<'_>) -> Result<i64, ApiError> {
    let text = cx.text("due_in_days");
    let t = text.trim();
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(10);
    }
    // Digits past i64 are out of range too, not a reason to fall back to the default.
    t.parse::<i64>().ok().filter(|d| DUE_IN_DAYS.contains(d)).ok_or_else(|| {
        let name = cx.words.manifest.property("due_in_days").map(|p| p.name.clone()).unwrap_or_else(|| Localized::plain("due_in_days"));
        let invalid = Invalid::OutOfRange { value: t.to_string(), min: *DUE_IN_DAYS.start(), max: *DUE_IN_DAYS.end() };
        ApiError::Fatal(Reason::BadValues(vec![(name, invalid)]))
    })
}

/// The id the invoice carries so that a resumed run recognises it: the step's event id.
fn origin_id(request: &ExecutionRequest) -> String {
    let event = request.event_token.split('|').nth(2).unwrap_or(&request.event_token);
    format!("rulekit:{}", event.split('.').next().unwrap_or(event))
}

impl Invoice {
    /// The run's invoice: the one an earlier attempt made (found by its `originId`), or a new one.
    async fn find_or_add(&self, cx: &RunCtx<'_>) -> Result<i64, ApiError> {
        // Checked before the first call: a wrong value stops the run with nothing made.
        let days = due_in_days(cx)?;
        let (entity, id) = (cx.document.entity, cx.document.id);
        let source = cx.call("crm.item.get", json!({"entityTypeId": entity.type_id(), "id": id})).await?;
        let item = &source["result"]["item"];
        let origin = origin_id(cx.request);
        let found = cx
            .call("crm.item.list", json!({"entityTypeId": SMART_INVOICE, "filter": {"=originatorId": "rulekit", "=originId": origin}, "select": ["id"]}))
            .await?;
        if let Some(existing) = found["result"]["items"].get(0).and_then(|i| i["id"].as_i64()) {
            return Ok(existing);
        }
        let mut fields = json!({
            "title": cx.text("invoice_title"),
            "companyId": item["companyId"],
            "contactId": item["contactId"],
            "contactIds": item["contactIds"],
            "mycompanyId": cx.text("mycompany_id").trim().parse::<i64>().unwrap_or(0),
            "begindate": date_in(0),
            "closedate": date_in(days),
            "comments": cx.text("comments"),
            "observers": cx.users("observers"),
            "originatorId": "rulekit",
            "originId": origin,
        });
        if entity == CrmEntity::Deal {
            fields["parentId2"] = json!(id);
        }
        let added = cx.call("crm.item.add", json!({"entityTypeId": SMART_INVOICE, "fields": fields})).await?;
        added["result"]["item"]["id"].as_i64().ok_or(ApiError::Fatal(Reason::PortalAnswerIncomplete { method: "crm.item.add" }))
    }

    /// Copies the document's product rows to the invoice; answers how many there were.
    async fn copy_rows(&self, cx: &RunCtx<'_>, invoice_id: i64) -> Result<u64, ApiError> {
        let mut rows: Vec<Value> = Vec::new();
        let filter = json!({"filter": {"=ownerType": cx.document.entity.owner_type(), "=ownerId": cx.document.id}});
        cx.pages("crm.item.productrow.list", filter, |page| {
            for row in page["result"]["productRows"].as_array().into_iter().flatten() {
                let mut row = row.clone();
                if let Some(m) = row.as_object_mut() {
                    for k in ["id", "ownerId", "ownerType"] {
                        m.remove(k);
                    }
                }
                rows.push(row);
            }
            true
        })
        .await?;
        let count = rows.len() as u64;
        // `set` replaces every row, so doing it again after a crash changes nothing.
        cx.call("crm.item.productrow.set", json!({"ownerType": CrmEntity::SmartInvoice.owner_type(), "ownerId": invoice_id, "productRows": rows})).await?;
        Ok(count)
    }
}

impl Rule for Invoice {
    fn manifest() -> RuleManifest {
        rulekit_model::manifest::invoice()
    }

    async fn run(&self, cx: &mut RunCtx<'_>) -> Result<Done, ApiError> {
        let mut done: InvoiceCheckpoint = cx.record()?;
        let invoice_id = match done.invoice_id {
            Some(existing) => existing,
            None => {
                let made = self.find_or_add(cx).await?;
                done.invoice_id = Some(made);
                cx.save(&done, "invoice", format!("Invoice #{made} created.")).await?;
                made
            }
        };
        if cx.text("copy_products") == "Y" && done.rows.is_none() {
            let rows = self.copy_rows(cx, invoice_id).await?;
            done.rows = Some(rows);
            cx.save(&done, "rows", format!("{rows} product rows set on invoice #{invoice_id}.")).await?;
        }
        Ok(match done.rows {
            Some(n) => cx.answer("invoice_id", invoice_id, "created_with_rows", &[("rows", &n.to_string())]),
            None => cx.answer("invoice_id", invoice_id, "created", &[]),
        })
    }

    fn made(&self, checkpoint: &Checkpoint) -> Option<(&'static str, String)> {
        Some(("invoice_id", checkpoint.read::<InvoiceCheckpoint>().ok()?.invoice_id?.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checkpoint_earlier_versions_wrote_reads_as_it_was_meant() {
        let old = Checkpoint::from_json(&json!({"invoice_id": 5, "rows": 2, "answering": true}));
        assert_eq!(old.read::<InvoiceCheckpoint>().unwrap(), InvoiceCheckpoint { invoice_id: Some(5), rows: Some(2) });
        let made_only = Checkpoint::from_json(&json!({"invoice_id": 5}));
        assert_eq!(made_only.read::<InvoiceCheckpoint>().unwrap(), InvoiceCheckpoint { invoice_id: Some(5), rows: None });
        let mut fresh = Checkpoint::default();
        fresh.write(&InvoiceCheckpoint { invoice_id: Some(7), rows: None });
        assert_eq!(fresh.to_json(), json!({"invoice_id": 7}), "the same keys as before");
    }

    #[test]
    fn the_origin_id_is_the_step_s_event_id() {
        let request = ExecutionRequest { event_token: "67e3.1|A1|abc.sig".into(), ..Default::default() };
        assert_eq!(origin_id(&request), "rulekit:abc");
    }
}
