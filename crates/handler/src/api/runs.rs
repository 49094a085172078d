//! The runs API's endpoints. Every query names the caller's portal (`member_id`), so a portal only
//! ever sees its own runs; another portal's run is as unknown as a run that never was (`rows`).

use super::auth::admit;
use super::ApiError;
use crate::record::{AnswerCheckpoint, Checkpoint, StoredRun};
use crate::store::now;
use crate::store::runs::{rule_of, NotRetried, RunSummary, STATUSES};
use crate::Shared;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::Json;
use rulekit_model::PropertyValue;
use super::rows::filters;
use serde::Serialize;
use serde_json::{json, Map, Value};

fn bad_query(e: QueryRejection) -> ApiError {
    ApiError::BadRequest(format!("The query string cannot be read: {}", e.body_text()))
}

#[derive(Serialize)]
pub struct RunsPage {
    runs: Vec<RunSummary>,
    next_cursor: Option<String>,
}

/// `GET /api/runs`: newest first, `limit` a page, `next_cursor` for the next one.
pub async fn list(State(s): State<Shared>, headers: HeaderMap, query: Result<Query<Vec<(String, String)>>, QueryRejection>) -> Result<Json<RunsPage>, ApiError> {
    let portal = admit(&s, &headers).await?;
    let Query(query) = query.map_err(bad_query)?;
    let filter = filters(&query)?;
    let limit = filter.limit;
    // One more than a page: whether there is a next one.
    let mut runs = s.store.list_runs(portal.member_id, filter).await?;
    let more = runs.len() as i64 > limit;
    runs.truncate(limit as usize);
    let next_cursor = if more { runs.last().map(|r| format!("{:x}", r.id)) } else { None };
    Ok(Json(RunsPage { runs, next_cursor }))
}

fn run_id(id: &str) -> Result<i64, ApiError> {
    id.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| ApiError::NotFound("There is no run with this id.".into()))
}

/// The run's input values and workflow, as received: the form's `properties`, never its `auth`.
fn received(request: &Value) -> (Value, Value) {
    let Ok(run) = StoredRun::from_json(request).and_then(|r| r.request()) else { return (Value::Null, json!({})) };
    let properties: Map<String, Value> = run
        .properties
        .into_iter()
        .map(|(k, v)| (k, match v { PropertyValue::Single(s) => json!(s), PropertyValue::Multiple(v) => json!(v) }))
        .collect();
    (json!(run.workflow_id), Value::Object(properties))
}

/// `GET /api/runs/{id}`: the summary, its input, its steps, what it returned.
pub async fn detail(State(s): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let portal = admit(&s, &headers).await?;
    let id = run_id(&id)?;
    let found = s.store.run_detail(portal.member_id, id).await?;
    let detail = found.ok_or_else(|| ApiError::NotFound("There is no run with this id on your portal.".into()))?;
    let (summary, request, returned, next_at) = (detail.summary, detail.request, detail.returned, detail.next_at);
    let recorded = detail.steps.into_iter().map(|(at, step, note)| json!({"at": at, "step": step, "note": note}));
    let retrying = summary.status == "retrying";
    let mut run = serde_json::to_value(summary).unwrap_or_else(|_| json!({}));
    let (workflow_id, properties) = received(&StoredRun::read_text(&request));
    let mut steps = vec![json!({"at": run["created_at"], "step": "received", "note": "The portal sent the run; it was stored."})];
    steps.extend(recorded);
    run["workflow_id"] = workflow_id;
    run["properties"] = properties;
    run["steps"] = Value::Array(steps);
    run["returned"] = returned.and_then(|r| serde_json::from_str(&r).ok()).unwrap_or(Value::Null);
    run["next_attempt_at"] = if retrying { json!(next_at) } else { Value::Null };
    Ok(Json(run))
}

/// `POST /api/runs/{id}/retry`: a failed run back in the queue now, with a fresh attempt budget.
/// Its checkpoint stays, so it resumes after its last finished step.
pub async fn retry(State(s): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let portal = admit(&s, &headers).await?;
    let id = run_id(&id)?;
    let member = portal.member_id.clone();
    // The failure was told to the workflow, which may have closed its step since: a portal
    // refusing the retried run's answer has had one already (the mark `answer` reads).
    let reset = Box::new(|stored: Value| {
        let mut checkpoint = Checkpoint::from_json(&stored);
        checkpoint.write(&AnswerCheckpoint { answering: true });
        checkpoint.to_json()
    });
    let outcome = s.store.retry_failed(member, id, reset).await?;
    match outcome {
        Ok(run) => {
            tracing::info!(event = "api.retry", member_id = %portal.member_id, job = id);
            s.wake.notify_one();
            Ok(Json(json!({"run": run})))
        }
        Err(NotRetried::Unknown) => Err(ApiError::NotFound("There is no run with this id on your portal.".into())),
        Err(NotRetried::State(status)) => Err(ApiError::Conflict(match status {
            "done" => "This run is done: there is nothing to retry.".into(),
            "running" => "This run is running now: wait for it to finish or fail.".into(),
            "retrying" => "This run is already waiting to be tried again; it retries on its own.".into(),
            _ => "This run is waiting in the queue: it has not failed, so there is nothing to retry.".into(),
        })),
    }
}

/// `GET /api/summary`: runs by status, by rule and status, and done/failed per hour for a day.
pub async fn summary(State(s): State<Shared>, headers: HeaderMap) -> Result<Json<Value>, ApiError> {
    let portal = admit(&s, &headers).await?;
    let hour = 3_600_000;
    let first_hour = (now() / hour - 23) * hour;
    let (by_code, hours) = s.store.counts_for(portal.member_id, first_hour, hour).await?;
    let zero = || Map::from_iter(STATUSES.iter().map(|s| (s.to_string(), json!(0))));
    let (mut by_status, mut by_rule) = (zero(), Map::new());
    let add = |m: &mut Map<String, Value>, k: &str, n: i64| m.insert(k.to_string(), json!(m.get(k).and_then(Value::as_i64).unwrap_or(0) + n));
    for (code, status, n) in by_code {
        add(&mut by_status, &status, n);
        let rule = by_rule.entry(rule_of(code).into_owned()).or_insert_with(|| Value::Object(zero()));
        if let Some(m) = rule.as_object_mut() {
            add(m, &status, n);
        }
    }
    let last_24h: Vec<Value> = (0..24)
        .map(|i| {
            let h = first_hour / hour + i;
            let count = |state: &str| hours.iter().filter(|(at, s, _)| *at == h && s == state).map(|(_, _, n)| n).sum::<i64>();
            json!({"hour": h * hour, "done": count("done"), "failed": count("failed")})
        })
        .collect();
    Ok(Json(json!({"by_status": by_status, "by_rule": by_rule, "last_24h": last_24h})))
}
