//! Reading the portal's rules and bringing them in line with the manifest. The planner decides
//! (states, commands, records); this reads the lists, runs the commands, and keeps the record.

use crate::portal::{now_ms, run, send_checked};
use rulekit_model::manifest;
use rulekit_model::planner::registration::{compare, records_after, records_from_json, records_to_json, sync_items, wanted, Records, RuleStatus, Wanted};
use rulekit_model::planner::urls::AppUrls;
use rulekit_model::planner::{Call, Job, Outcome};
use serde_json::{json, Value};

/// The app option that remembers what this console registered (fingerprints per rule).
pub const RECORDS_OPTION: &str = "rulekit_registered";

#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    pub statuses: Vec<RuleStatus>,
    pub records: Records,
    pub wanted: Vec<Wanted>,
}

/// The administrator at the console: the rules run with their token (`AUTH_USER_ID`).
async fn me() -> u64 {
    crate::store::current().await.and_then(|s| s.user_id.parse().ok()).unwrap_or(0)
}

async fn codes(method: &str) -> Result<Vec<String>, String> {
    let answer = send_checked(&Call { method: method.into(), params: json!({}) }).await.map_err(|e| format!("{method}: {}: {}", e.code, e.description))?;
    Ok(answer["result"].as_array().map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect()).unwrap_or_default())
}

/// The manifest's rules beside the portal's lists and this console's record.
pub async fn load(urls: &AppUrls) -> Result<Loaded, String> {
    let robots = codes("bizproc.robot.list").await?;
    let activities = codes("bizproc.activity.list").await?;
    let records = records_from_json(&bx24::app_option(RECORDS_OPTION).unwrap_or_default());
    let wanted = wanted(&manifest::all(), urls, me().await);
    let statuses = compare(&wanted, &robots, &activities, &records);
    Ok(Loaded { statuses, records, wanted })
}

/// Reads the lists again and runs what they call for; the record is saved for what succeeded.
/// The failures, one line per rule, when anything failed.
pub async fn sync(urls: &AppUrls, delete_orphans: bool) -> Result<(), Vec<String>> {
    let loaded = load(urls).await.map_err(|e| vec![e])?;
    let items = sync_items(&loaded.wanted, &loaded.statuses, delete_orphans);
    if items.is_empty() {
        return Ok(());
    }
    let job = run(Job::new("sync", items, now_ms())).await;
    let records = records_after(&loaded.records, &loaded.wanted, &job);
    let saved = bx24::set_app_option(RECORDS_OPTION, &records_to_json(&records)).await;
    let mut failures: Vec<String> = job
        .report()
        .into_iter()
        .filter_map(|(id, _, o)| match o {
            Some(Outcome::Failed { code, description }) => Some(format!("{id}: {code}: {description}")),
            _ => None,
        })
        .collect();
    if let Err(e) = saved {
        failures.push(e.to_string());
    }
    if failures.is_empty() { Ok(()) } else { Err(failures) }
}
