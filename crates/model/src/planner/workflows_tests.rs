use super::*;
use crate::planner::fake::{drive, page, Portal};
use crate::planner::Runner;

/// 2025-03-10T12:00:00Z.
const NOW: u64 = 1_741_608_000_000;

fn row(id: &str, started: &str) -> WorkflowRow {
    WorkflowRow {
        id: id.into(),
        template_id: 7,
        entity: "CCrmDocumentDeal".into(),
        document_id: "DEAL_1".into(),
        started: started.into(),
        started_by: 1,
        owned_until: None,
        modified: started.into(),
    }
}

fn dated(after: &str, before: &str) -> WorkflowQuery {
    let day = |d: &str| (!d.is_empty()).then(|| d.to_string());
    WorkflowQuery { started_after: day(after), started_before: day(before), ..WorkflowQuery::default() }
}

#[test]
fn the_filter_is_pinned() {
    // Spec §7 question 5: whether the portal applies ISO 8601 STARTED bounds is not known; this
    // is the form rulekit sends (the tutorial's), and `matches` applies it again to every row.
    let q = WorkflowQuery {
        started_after: Some("2025-01-01".into()),
        started_before: Some("2025-01-31".into()),
        template_id: Some(7),
        entity: Some("CCrmDocumentDeal".into()),
        started_by: Some(3),
        stuck: true,
    };
    assert_eq!(
        q.params(NOW),
        json!({"select": INSTANCE_SELECT, "order": {"STARTED": "ASC"}, "filter": {
            ">=STARTED": "2025-01-01T00:00:00+00:00",
            "<STARTED": "2025-02-01T00:00:00+00:00",
            "TEMPLATE_ID": 7, "ENTITY": "CCrmDocumentDeal", "STARTED_BY": 3,
            "<OWNED_UNTIL": "2025-03-10T11:55:00+00:00"
        }})
    );
    assert_eq!(WorkflowQuery::default().params(NOW)["filter"], json!({}));
    assert_eq!(dated("", "2024-12-31").params(0)["filter"], json!({"<STARTED": "2025-01-01T00:00:00+00:00"}), "the year turns");
}

#[test]
fn the_last_day_a_date_can_name_is_a_range_with_no_upper_bound() {
    let q = dated("0001-01-01", "9999-12-31");
    assert_eq!(q.params(NOW)["filter"], json!({">=STARTED": "0001-01-01T00:00:00+00:00"}), "10000-01-01 has no ISO form");
    assert!(q.matches(&row("a", "9999-12-31T23:59:59+00:00"), NOW));
    assert!(q.matches(&row("b", "0001-01-01T00:00:00+00:00"), NOW));
    let stuck = WorkflowQuery { stuck: true, ..WorkflowQuery::default() };
    assert_eq!(stuck.params(1_000_000_000_000_000)["filter"], json!({}), "a clock past any writable instant adds no bound");
}

#[test]
fn start_times_compare_as_instants() {
    let q = dated("2025-03-01", "2025-03-01");
    assert!(q.matches(&row("a", "2025-03-01T09:00:00+03:00"), NOW));
    assert!(q.matches(&row("b", "2025-03-01T23:59:59+00:00"), NOW), "the day named is included whole");
    assert!(!q.matches(&row("c", "2025-03-01T02:00:00+03:00"), NOW), "23:00 UTC the day before");
    assert!(!q.matches(&row("d", "2025-03-01T22:00:00-03:00"), NOW), "01:00 UTC the day after");
    assert!(!q.matches(&row("e", "2025-03-01 09:00:00"), NOW), "no offset: no instant, no match");
    assert!(!q.matches(&row("f", ""), NOW));
    assert!(WorkflowQuery::default().matches(&row("g", "garbage"), NOW), "no date filter: any start");
}

#[test]
fn the_other_filters_apply_to_rows_too() {
    let r = row("a", "2025-03-01T09:00:00+03:00");
    let with = |f: fn(&mut WorkflowQuery)| {
        let mut q = WorkflowQuery::default();
        f(&mut q);
        q.matches(&r, NOW)
    };
    assert!(with(|q| q.template_id = Some(7)));
    assert!(!with(|q| q.template_id = Some(8)));
    assert!(with(|q| q.entity = Some("ccrmdocumentdeal".into())));
    assert!(!with(|q| q.entity = Some("CCrmDocumentLead".into())));
    assert!(!with(|q| q.started_by = Some(2)));
    assert!(!with(|q| q.stuck = true), "no lock: not stuck");
    let locked = |until: &str| WorkflowRow { owned_until: Some(until.into()), ..r.clone() };
    let stuck = WorkflowQuery { stuck: true, ..WorkflowQuery::default() };
    assert!(stuck.matches(&locked("2025-03-10T14:54:59+03:00"), NOW), "locked until 5 min and 1 s ago");
    assert!(!stuck.matches(&locked("2025-03-10T11:56:00+00:00"), NOW), "locked until 4 min ago");
}

#[test]
fn rows_are_read_leniently() {
    let r = WorkflowRow::from_json(&json!({
        "ID": "660e559f34af10.95144732", "TEMPLATE_ID": "12", "ENTITY": "CCrmDocumentDeal",
        "DOCUMENT_ID": "DEAL_1633", "STARTED": "2025-03-01T09:00:00+03:00", "STARTED_BY": "0",
        "OWNED_UNTIL": null, "MODIFIED": "2025-03-01T09:00:05+03:00"
    }))
    .unwrap();
    assert_eq!((r.template_id, r.started_by, r.owned_until.as_deref()), (12, 0, None));
    let lower = WorkflowRow::from_json(&json!({"id": "w", "template_id": 3, "document_id": ["crm", "CCrmDocumentLead", "LEAD_5"], "owned_until": ""})).unwrap();
    assert_eq!((lower.template_id, lower.document_id.as_str(), lower.owned_until), (3, "LEAD_5", None));
    assert_eq!(WorkflowRow::from_json(&json!({"TEMPLATE_ID": 1})), None, "no id, no row");
    assert_eq!(WorkflowRow::from_json(&json!("x")), None);
}

#[test]
fn the_preview_counts_by_template_and_by_entity() {
    let mut rows: Vec<WorkflowRow> = (0..30).map(|i| WorkflowRow { template_id: 1 + i % 3, ..row(&format!("w{i}"), "") }).collect();
    rows[0].template_id = 9;
    rows[1].entity = "CCrmDocumentLead".into();
    let p = preview(&rows);
    assert_eq!(p.total, 30);
    assert_eq!(p.by_template, [(2, 10), (3, 10), (1, 9), (9, 1)], "by count, then by id");
    assert_eq!(p.by_entity, [("CCrmDocumentDeal".to_string(), 29), ("CCrmDocumentLead".to_string(), 1)]);
    assert_eq!(p.sample.len(), SAMPLE);
    assert_eq!(preview(&[]).total, 0);
}

#[test]
fn a_portal_that_ignores_the_date_filter_still_previews_only_matches() {
    let data: Vec<Value> = (1..=31)
        .map(|d| json!({"ID": format!("w{d}"), "TEMPLATE_ID": "7", "STARTED": format!("2025-01-{d:02}T10:00:00+03:00")}))
        .collect();
    let q = dated("2025-01-10", "2025-01-19");
    let mut runner = Runner::new(q.listing(NOW));
    let mut portal = Portal::new();
    drive(&mut runner, &mut 0, |call, now| portal.answer(call, now, |_, params| Ok(page(&data, params))));
    let matching: Vec<String> =
        runner.plan.rows().iter().filter_map(WorkflowRow::from_json).filter(|r| q.matches(r, NOW)).map(|r| r.id).collect();
    assert_eq!(matching, (10..=19).map(|d| format!("w{d}")).collect::<Vec<_>>());
}
