//! `--workflows N` at the console's scale: 10,000 running workflows listed through REST (pages of
//! 50, fifty pages to a batch) and all stopped, each exactly once. Counts, not times: a slow pass
//! (quadratic work somewhere) shows as this test taking minutes instead of seconds.

mod common;

use common::{call, sandbox};
use rulekit_sandbox::clock::{iso_at, now_unix};
use rulekit_sandbox::Config;
use serde_json::{json, Map, Value};

const N: usize = 10_000;
const DEMO: usize = 7;

/// Every page of `bizproc.workflow.instances`, fifty page calls to a batch; the rows in order.
fn list_all(r: &rulekit_sandbox::Running, filter: Value) -> Vec<Value> {
    let first = call(r, "bizproc.workflow.instances", json!({"select": ["ID", "STARTED"], "filter": filter}));
    let total = first.1["total"].as_u64().unwrap() as usize;
    let mut rows = Vec::new();
    for chunk in (0..total).step_by(50).collect::<Vec<_>>().chunks(50) {
        let cmd: Map<String, Value> = chunk.iter().map(|start| {
            let query = format!("bizproc.workflow.instances?select[0]=ID&select[1]=STARTED&order[STARTED]=asc&start={start}");
            let query = filter.as_object().unwrap().iter().fold(query, |q, (k, v)| format!("{q}&filter[{}]={}", k.replace('<', "%3C").replace('>', "%3E"), v.as_str().unwrap().replace('+', "%2B")));
            (format!("p{start}"), json!(query))
        }).collect();
        let reply = call(r, "batch", json!({"halt": 0, "cmd": cmd}));
        for start in chunk {
            rows.extend(reply.1["result"]["result"][format!("p{start}")].as_array().unwrap().iter().cloned());
        }
    }
    assert_eq!(rows.len(), total);
    rows
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_workflows_are_listed_and_stopped_each_once() {
    let r = sandbox(Config { workflows: N, rate: (1e6, 1e6), ..Config::default() }).await;
    let rows = list_all(&r, json!({}));
    assert_eq!(rows.len(), N + DEMO);
    let ids: std::collections::BTreeSet<&str> = rows.iter().filter_map(|w| w["ID"].as_str()).collect();
    assert_eq!(ids.len(), N + DEMO, "no row twice, none skipped");
    assert!(rows.windows(2).all(|p| p[0]["STARTED"].as_str() <= p[1]["STARTED"].as_str()), "ordered by STARTED");
    let five_minutes_ago = iso_at(now_unix() as i64 - 300);
    let stuck = call(&r, "bizproc.workflow.instances", json!({"filter": {"<OWNED_UNTIL": five_minutes_ago}})).1["total"].as_u64().unwrap();
    assert!((300..=700).contains(&stuck), "about 5% stuck: {stuck}");
    let year_ago = iso_at(now_unix() as i64 - 365 * 86_400);
    let old = list_all(&r, json!({"<STARTED": year_ago}));
    assert!((4_000..=6_000).contains(&old.len()), "spread over two years: {}", old.len());

    r.sandbox.reset_stats();
    let all: Vec<&str> = ids.iter().copied().collect();
    for (k, chunk) in all.chunks(50).enumerate() {
        let method = if k % 2 == 0 { "terminate" } else { "kill" };
        let cmd: Map<String, Value> = chunk.iter().enumerate().map(|(i, id)| (format!("s{i}"), json!(format!("bizproc.workflow.{method}?ID={id}&STATUS=Bulk")))).collect();
        let reply = call(&r, "batch", json!({"halt": 0, "cmd": cmd}));
        assert_eq!(reply.1["result"]["result_error"], json!({}), "{reply:?}");
    }
    assert_eq!(call(&r, "bizproc.workflow.instances", json!({})).1["total"], 0);
    let stats = r.sandbox.stats();
    assert_eq!(stats["requests"], (N + DEMO).div_ceil(50) + 1);
    let stops = stats["stop_calls"].as_object().unwrap();
    assert_eq!(stops.len(), N + DEMO);
    assert!(stops.values().all(|s| *s == json!({"ok": 1, "failed": 0})), "each workflow stopped exactly once");
}
