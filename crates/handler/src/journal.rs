//! A run's story for the console: each step with its time (`run_events`), the run's document, and
//! what was sent back to its workflow. Written by the worker as it goes (`Store::step`,
//! `checkpoint_step`, `done`), read by the runs API. The notes are English, like the store's
//! `last_error`; none holds a token. Here: what the SQLite store's steps and migration share.

use crate::record::StoredRun;
use rusqlite::{params, Connection};
use serde_json::Value;

/// Records one step of a job.
pub(crate) fn log_step(conn: &Connection, job: i64, at: i64, step: &str, note: &str) -> rusqlite::Result<()> {
    conn.execute("INSERT INTO run_events (job_id, at, step, note) VALUES (?1, ?2, ?3, ?4)", params![job, at, step, note]).map(|_| ())
}

/// The document a stored run works on (`DEAL_123`); empty when the record is unreadable.
pub fn document_of(request: &Value) -> String {
    StoredRun::from_json(request).ok().and_then(|r| r.request().ok()).and_then(|r| r.document_id.get(2).cloned()).unwrap_or_default()
}

/// Version 3: the document of each run (filled in for the runs already stored), its answer, its
/// steps. The table and indexes themselves come with the schema.
pub(crate) fn migrate_v3(conn: &Connection) -> rusqlite::Result<()> {
    let has_jobs: i64 = conn.query_row("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'jobs'", [], |r| r.get(0))?;
    if has_jobs == 0 {
        return Ok(());
    }
    for column in ["document", "returned"] {
        let has: i64 = conn.query_row("SELECT COUNT(*) FROM pragma_table_info('jobs') WHERE name = ?1", params![column], |r| r.get(0))?;
        if has == 0 {
            conn.execute_batch(&format!("ALTER TABLE jobs ADD COLUMN {column} TEXT"))?;
        }
    }
    let missing: Vec<(i64, String)> = {
        let mut stmt = conn.prepare("SELECT id, request FROM jobs WHERE document IS NULL")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    conn.execute_batch("BEGIN")?;
    for (id, request) in missing {
        let document = document_of(&serde_json::from_str(&request).unwrap_or(Value::Null));
        conn.execute("UPDATE jobs SET document = ?2 WHERE id = ?1", params![id, document])?;
    }
    conn.execute_batch("COMMIT")
}
