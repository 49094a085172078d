//! The runs API's rows: a job as a RunSummary, the status a person reads, and the checked
//! filters of a listing. Every query names the caller's portal (`member_id`).

use super::ApiError;
use rusqlite::types::Value as Sql;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The status a person reads, from the job's state: a queued job that has been tried is retrying.
pub const STATUS: &str = "CASE WHEN state = 'queued' AND attempts = 0 THEN 'pending' WHEN state = 'queued' THEN 'retrying' ELSE state END";
pub const SUMMARY_COLUMNS: &str = "id, code, document, state, attempts, created_at, updated_at, last_error";
pub const STATUSES: [&str; 5] = ["pending", "running", "retrying", "done", "failed"];

/// Each rule's codes (its robot's and its activity's) to its own, built once: a manifest is not
/// cheap to build, and every listed run needs it.
pub fn codes() -> &'static HashMap<String, &'static str> {
    static CODES: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    CODES.get_or_init(|| rulekit_model::manifest::all().into_iter().flat_map(|m| [(m.code.to_string(), m.code), (m.activity_code(), m.code)]).collect())
}

/// The rule a run's code belongs to (an activity's code names its rule); unknown codes stay as they are.
pub fn rule_of(code: String) -> Cow<'static, str> {
    codes().get(&code).map_or(Cow::Owned(code), |c| Cow::Borrowed(*c))
}

/// A run as the list shows it (the API's RunSummary).
#[derive(Serialize)]
pub struct RunSummary {
    pub id: i64,
    pub rule: Cow<'static, str>,
    pub document_id: String,
    pub status: &'static str,
    pub attempts: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub last_error: Option<String>,
}

pub fn summary_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<RunSummary> {
    let (state, attempts): (String, i64) = (r.get(3)?, r.get(4)?);
    let status = match state.as_str() {
        "queued" if attempts == 0 => "pending",
        "queued" => "retrying",
        other => STATUSES.iter().find(|s| **s == other).copied().unwrap_or("failed"),
    };
    Ok(RunSummary {
        id: r.get(0)?,
        rule: rule_of(r.get(1)?),
        document_id: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
        status,
        attempts,
        created_at: r.get(5)?,
        updated_at: r.get(6)?,
        last_error: r.get(7)?,
    })
}

/// One run's summary, or `None` when the portal has no such run.
pub fn one(conn: &Connection, member_id: &str, id: i64) -> rusqlite::Result<Option<RunSummary>> {
    conn.query_row(&format!("SELECT {SUMMARY_COLUMNS} FROM jobs WHERE member_id = ?1 AND id = ?2"), params![member_id, id], summary_from).optional()
}

/// What `GET /api/runs` may be asked, checked: the SQL conditions and their values.
pub fn filters(query: &[(String, String)]) -> Result<(String, Vec<Sql>, i64), ApiError> {
    let (mut sql, mut values, mut limit) = (String::new(), Vec::<Sql>::new(), 50);
    let number = |k: &str, v: &str| v.trim().parse::<i64>().map_err(|_| ApiError::BadRequest(format!("{k} must be a whole number, not {:?}.", short(v))));
    for (k, v) in query {
        if v.is_empty() {
            continue;
        }
        match k.as_str() {
            "status" => match v.as_str() {
                "pending" => sql.push_str(" AND state = 'queued' AND attempts = 0"),
                "retrying" => sql.push_str(" AND state = 'queued' AND attempts > 0"),
                "running" | "done" | "failed" => {
                    sql.push_str(" AND state = ?");
                    values.push(Sql::Text(v.clone()));
                }
                _ => return Err(ApiError::BadRequest(format!("status must be one of {}, not {:?}.", STATUSES.join(", "), short(v)))),
            },
            "rule" => {
                // Runs of a rule's robot and of its activity carry different codes.
                let rule = rule_of(v.clone());
                let codes: Vec<String> = codes().iter().filter(|(_, r)| **r == rule).map(|(c, _)| c.clone()).collect();
                let codes = if codes.is_empty() { vec![v.clone()] } else { codes };
                sql.push_str(&format!(" AND code IN ({})", vec!["?"; codes.len()].join(", ")));
                values.extend(codes.into_iter().map(Sql::Text));
            }
            "document" => {
                sql.push_str(" AND document = ?");
                values.push(Sql::Text(v.clone()));
            }
            "from" => {
                sql.push_str(" AND created_at >= ?");
                values.push(Sql::Integer(number(k, v)?));
            }
            "to" => {
                sql.push_str(" AND created_at <= ?");
                values.push(Sql::Integer(number(k, v)?));
            }
            "cursor" => {
                let before = i64::from_str_radix(v, 16).ok().filter(|n| *n > 0).ok_or_else(|| {
                    ApiError::BadRequest("cursor is not one this API gave; send the next_cursor of the previous page unchanged.".into())
                })?;
                sql.push_str(" AND id < ?");
                values.push(Sql::Integer(before));
            }
            "limit" => {
                limit = number(k, v)?;
                if !(1..=200).contains(&limit) {
                    return Err(ApiError::BadRequest(format!("limit must be between 1 and 200, not {limit}.")));
                }
            }
            _ => return Err(ApiError::BadRequest(format!("Unknown parameter {:?}: use status, rule, document, from, to, cursor, limit.", short(k)))),
        }
    }
    Ok((sql, values, limit))
}

/// A value quoted back in an error, cut short.
fn short(v: &str) -> String {
    v.chars().take(40).collect()
}

