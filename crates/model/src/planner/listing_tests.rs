use super::*;
use crate::planner::fake::{drive, page, Portal};
use crate::planner::{Runner, Step};
use serde_json::json;

fn rows(n: usize) -> Vec<Value> {
    (0..n).map(|i| json!({"ID": i.to_string()})).collect()
}

fn ids(listing: &Listing) -> Vec<usize> {
    listing.rows().iter().filter_map(|r| r["ID"].as_str()?.parse().ok()).collect()
}

/// Lists `data` through the runner and the fake portal; `fail` says whether a page command (by
/// `start`) fails this time.
fn list(data: &[Value], mut fail: impl FnMut(u64) -> bool) -> Runner<Listing> {
    let mut runner = Runner::new(Listing::new("bizproc.workflow.instances", json!({"select": ["ID"], "order": {"ID": "ASC"}})));
    let mut portal = Portal::new();
    let last = drive(&mut runner, &mut 0, |call, now| {
        portal.answer(call, now, |method, params| {
            assert_eq!(method, "bizproc.workflow.instances");
            assert_eq!(params["select"], json!(["ID"]), "each page keeps the listing's parameters");
            match fail(crate::lenient::uint(&params["start"]).unwrap_or(0)) {
                true => Err(("INTERNAL_SERVER_ERROR".into(), "try again".into())),
                false => Ok(page(data, params)),
            }
        })
    });
    assert_eq!(last, Step::Done);
    runner
}

#[test]
fn every_row_comes_at_the_floor_of_requests() {
    for n in [0, 1, 50, 51, 2_500, 2_501, 10_000] {
        let runner = list(&rows(n), |_| false);
        let pages = n.div_ceil(50);
        let floor = 1 + pages.saturating_sub(1).div_ceil(50);
        assert_eq!(runner.stats().requests as usize, floor, "{n} rows");
        assert_eq!(runner.stats().refusals, 0, "{n} rows");
        assert_eq!(ids(&runner.plan), (0..n).collect::<Vec<_>>(), "{n} rows, in order");
        assert_eq!(runner.plan.total(), Some(n));
        assert_eq!(runner.plan.error(), None);
    }
}

#[test]
fn a_page_that_failed_inside_a_batch_is_tried_again_and_order_is_kept() {
    let mut failed = 0;
    let runner = list(&rows(3_000), |start| {
        let fail = start == 100 && failed < 2;
        failed += usize::from(fail);
        fail
    });
    assert_eq!(ids(&runner.plan), (0..3_000).collect::<Vec<_>>());
    // 59 pages after the first: 50, then 9 with the failed page again, then that page alone.
    assert_eq!(runner.stats().requests, 1 + 2 + 1, "the failed page rides with the next batch, then goes once more");
}

#[test]
fn a_page_that_keeps_failing_fails_the_listing() {
    let runner = list(&rows(200), |start| start == 150);
    let error = runner.plan.error().cloned();
    assert_eq!(error.map(|e| e.code), Some("INTERNAL_SERVER_ERROR".to_string()));
    assert_eq!(runner.stats().requests, 1 + 3, "tried three times in all");
}

#[test]
fn a_failed_first_call_fails_the_listing() {
    let mut listing = Listing::new("bizproc.task.list", json!({}));
    let call = listing.next_call(0).unwrap();
    assert_eq!(call.params["start"], 0);
    assert_eq!(listing.next_call(0), None, "one call at a time");
    listing.on_failure(&call, &CallError::new(403, "ACCESS_DENIED", "Access denied!"), 0);
    assert!(listing.is_done());
    assert_eq!(listing.error().map(|e| e.code.as_str()), Some("ACCESS_DENIED"));
}

#[test]
fn rows_held_in_an_object_are_read_too() {
    let mut listing = Listing::new("crm.item.list", json!({"entityTypeId": 2}));
    let call = listing.next_call(0).unwrap();
    listing.on_answer(&call, &json!({"result": {"items": [{"id": 1}, {"id": 2}]}, "total": 2}), 0);
    assert!(listing.is_done());
    assert_eq!(listing.rows().len(), 2);
}
