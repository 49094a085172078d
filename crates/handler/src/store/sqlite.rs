//! The embedded store (SQLite), the default: one handler and one file.
//!
//! One thread owns the connection. Requests reach it through a channel, and it commits whatever
//! arrived together in one transaction (group commit), so a run is on disk before its 2xx without
//! one fsync per request. WAL with `synchronous=FULL`: a commit survives a crash of the process
//! and of the machine.
//!
//! A new run is not written into the database at once: it is appended to the intake log beside it
//! (`intake_log`), synced with the others of its group, and waits there (`waiting`) until a worker
//! claims it, when its row is written. So the 2xx costs an append and no index inserts.

use super::intake_log::Received;
use super::runs::{Counts, NotRetried, Reset, RunDetail, RunFilter, RunSummary, FilterValue, STATUS, SUMMARY_COLUMNS};
use super::waiting::Waiting;
use super::{now, Claim, Job, Portal, Result, StoreError, MAX_CRASHES};
use crate::journal::log_step;
use crate::record::StoredRun;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;
use std::path::Path;
use std::sync::mpsc;
use tokio::sync::oneshot;


type Reply<T> = oneshot::Sender<Result<T>>;

enum Cmd {
    /// Stores a run; `true` when it is new, `false` when the portal sent this event token before.
    Enqueue { member_id: String, event_token: String, code: String, document: String, request: String, reply: Reply<bool> },
    /// Takes the next job due at `now` and marks it running.
    Claim { now: i64, reply: Reply<Option<Job>> },
    Checkpoint { id: i64, checkpoint: Value, reply: Reply<()> },
    Finish { id: i64, state: &'static str, error: Option<String>, reply: Reply<()> },
    Retry { id: i64, at: i64, error: String, reply: Reply<()> },
    SavePortal { portal: Portal, reply: Reply<()> },
    DeletePortal { member_id: String, reply: Reply<()> },
    Portals { reply: Reply<Vec<Portal>> },
    Jobs { state: Option<String>, reply: Reply<Vec<Job>> },
    Counts { reply: Reply<Vec<(String, i64)>> },
    /// Any other work on the connection, inside the batch's transaction (the runs API's queries).
    Exec(Box<Exec>),
}

/// Work done on the store's thread, seeing the runs that wait in the intake log; it pushes its
/// reply, sent once the batch is committed.
type Exec = dyn FnOnce(&Connection, &Waiting, &mut Vec<Box<dyn FnOnce(bool)>>) + Send;

#[derive(Clone)]
pub struct Sqlite {
    tx: mpsc::Sender<Cmd>,
}

const PRAGMAS: &str = "
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
";

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS portals (
    member_id TEXT PRIMARY KEY,
    domain TEXT NOT NULL,
    application_token TEXT NOT NULL,
    language TEXT
);
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id TEXT NOT NULL,
    event_token TEXT NOT NULL,
    code TEXT NOT NULL,
    request TEXT NOT NULL,
    checkpoint TEXT NOT NULL DEFAULT '{}',
    state TEXT NOT NULL DEFAULT 'queued',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    -- The run's document (`DEAL_123`), and what was sent back to its workflow (JSON).
    document TEXT,
    returned TEXT,
    -- One run per event token of each portal: one portal cannot block another's run.
    UNIQUE (member_id, event_token)
);
CREATE INDEX IF NOT EXISTS jobs_due ON jobs (state, next_at);
CREATE TABLE IF NOT EXISTS run_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id INTEGER NOT NULL,
    at INTEGER NOT NULL,
    step TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS run_events_job ON run_events (job_id, id);
-- The runs API lists a portal's runs newest first, filtered by one of these.
CREATE INDEX IF NOT EXISTS jobs_member ON jobs (member_id, id);
CREATE INDEX IF NOT EXISTS jobs_member_state ON jobs (member_id, state, id);
CREATE INDEX IF NOT EXISTS jobs_member_code ON jobs (member_id, code, id);
CREATE INDEX IF NOT EXISTS jobs_member_document ON jobs (member_id, document, id);
";

fn job_from(row: &rusqlite::Row<'_>) -> rusqlite::Result<Job> {
    let parse = |s: String| serde_json::from_str(&s).unwrap_or(Value::Null);
    Ok(Job {
        id: row.get(0)?,
        event_token: row.get(1)?,
        code: row.get(2)?,
        request: StoredRun::read_text(&row.get::<_, String>(3)?),
        checkpoint: parse(row.get(4)?),
        state: row.get(5)?,
        attempts: row.get(6)?,
        last_error: row.get(7)?,
        claim: 0,
    })
}

const JOB_COLUMNS: &str = "id, event_token, code, request, checkpoint, state, attempts, last_error";

fn apply(conn: &Connection, waiting: &mut Waiting, cmd: Cmd, replies: &mut Vec<Box<dyn FnOnce(bool)>>) {
    macro_rules! answer {
        ($reply:expr, $result:expr) => {{
            let result = $result.map_err(StoreError::from);
            let ok = result.is_ok();
            let reply = $reply;
            // Replies go out only after the commit; a failed commit fails them all.
            replies.push(Box::new(move |committed: bool| {
                let _ = reply.send(if committed || !ok { result } else { Err(StoreError::Closed) });
            }));
        }};
    }
    let t = now();
    match cmd {
        Cmd::Enqueue { member_id, event_token, code, document, request, reply } => {
            let run = Received { id: 0, created_at: t, member_id, event_token, code, document, request };
            // Past the log's share of memory: a row in the database now, queued.
            if let Some((run, reply)) = waiting.admit(conn, run, reply) {
                answer!(
                    reply,
                    conn.prepare_cached(
                        "INSERT INTO jobs (id, member_id, event_token, code, request, created_at, updated_at, document) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)",
                    )
                    .and_then(|mut insert| insert.execute(params![run.id, run.member_id, run.event_token, run.code, run.request, run.created_at, run.document]))
                    .map(|_| true)
                )
            }
        }
        Cmd::Claim { now, reply } => answer!(reply, (|| {
            let due = conn
                .prepare_cached(&format!("SELECT {JOB_COLUMNS}, next_at FROM jobs WHERE state = 'queued' AND next_at <= ?1 ORDER BY next_at, id LIMIT 1"))?
                .query_row(params![now], |r| Ok((job_from(r)?, r.get::<_, i64>(8)?)))
                .optional()?;
            // A run from the intake log comes first, as a new row's `next_at` of 0 would.
            if let Some(job) = waiting.claim(conn, due.as_ref().map(|(j, next_at)| (*next_at, j.id)), t)? {
                return Ok(Some(job));
            }
            let Some((mut job, _)) = due else { return Ok(None) };
            conn.execute("UPDATE jobs SET state = 'running', updated_at = ?2 WHERE id = ?1", params![job.id, t])?;
            // As it is now, like PostgreSQL's `RETURNING`.
            job.state = "running".into();
            crate::journal::log_step(conn, job.id, t, "attempt", &format!("Attempt {} started.", job.attempts + 1))?;
            Ok::<_, rusqlite::Error>(Some(job))
        })()),
        Cmd::Checkpoint { id, checkpoint, reply } => answer!(
            reply,
            conn.execute("UPDATE jobs SET checkpoint = ?2, updated_at = ?3 WHERE id = ?1", params![id, checkpoint.to_string(), t]).map(|_| ())
        ),
        Cmd::Finish { id, state, error, reply } => answer!(
            reply,
            conn.execute("UPDATE jobs SET state = ?2, last_error = ?3, updated_at = ?4 WHERE id = ?1", params![id, state, error, t])
                .and_then(|_| crate::journal::log_step(conn, id, t, state, error.as_deref().unwrap_or("")))
        ),
        Cmd::Retry { id, at, error, reply } => answer!(
            reply,
            conn.execute(
                "UPDATE jobs SET state = 'queued', attempts = attempts + 1, next_at = ?2, last_error = ?3, updated_at = ?4 WHERE id = ?1",
                params![id, at, error, t]
            )
            .and_then(|_| crate::journal::log_step(conn, id, t, "retry", &format!("{error} Next attempt in {:.1} s.", (at - t).max(0) as f64 / 1000.0)))
        ),
        Cmd::SavePortal { portal, reply } => answer!(
            reply,
            conn.execute(
                // A portal saved without a language (`--portal` without one) keeps the one its
                // install event gave.
                "INSERT INTO portals (member_id, domain, application_token, language) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(member_id) DO UPDATE SET domain = excluded.domain, application_token = excluded.application_token,
                     language = COALESCE(excluded.language, portals.language)",
                params![portal.member_id, portal.domain, portal.application_token, portal.language]
            )
            .map(|_| ())
        ),
        Cmd::DeletePortal { member_id, reply } => {
            answer!(reply, conn.execute("DELETE FROM portals WHERE member_id = ?1", params![member_id]).map(|_| ()))
        }
        Cmd::Portals { reply } => answer!(reply, (|| {
            let mut stmt = conn.prepare("SELECT member_id, domain, application_token, language FROM portals")?;
            let rows = stmt.query_map([], |r| {
                Ok(Portal { member_id: r.get(0)?, domain: r.get(1)?, application_token: r.get(2)?, language: r.get(3)? })
            })?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
        })()),
        Cmd::Jobs { state, reply } => answer!(reply, (|| {
            let mut stmt = conn.prepare(&format!("SELECT {JOB_COLUMNS} FROM jobs WHERE ?1 IS NULL OR state = ?1 ORDER BY id"))?;
            let mut jobs = stmt.query_map(params![state], job_from)?.collect::<rusqlite::Result<Vec<_>>>()?;
            if matches!(state.as_deref(), None | Some("queued")) {
                jobs.extend(waiting.jobs());
                // A reader beside a running handler may see a run claimed as it read, in both: its
                // row, which comes first in this stable sort, is what it is now.
                jobs.sort_by_key(|j| j.id);
                jobs.dedup_by_key(|j| j.id);
            }
            Ok::<_, rusqlite::Error>(jobs)
        })()),
        Cmd::Counts { reply } => answer!(reply, (|| {
            let mut stmt = conn.prepare("SELECT state, COUNT(*) FROM jobs GROUP BY state ORDER BY state")?;
            let mut counts = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<Vec<(String, i64)>>>()?;
            if waiting.len() > 0 {
                match counts.iter_mut().find(|(state, _)| state == "queued") {
                    Some((_, n)) => *n += waiting.len() as i64,
                    None => {
                        counts.push(("queued".into(), waiting.len() as i64));
                        counts.sort();
                    }
                }
            }
            Ok::<_, rusqlite::Error>(counts)
        })()),
        Cmd::Exec(work) => work(conn, waiting, replies),
    }
}

/// The most requests one transaction takes.
const GROUP: usize = 512;

/// Brings a store written by an earlier version up to `SCHEMA` (`PRAGMA user_version`).
fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version < 1 {
        if has_table(conn, "jobs")? && !has_column(conn, "jobs", "member_id")? {
            // Version 0 kept event tokens unique across portals; now they are unique per portal.
            conn.execute_batch(
                "BEGIN;
                 ALTER TABLE jobs RENAME TO jobs_v0;
                 DROP INDEX IF EXISTS jobs_due;",
            )?;
            conn.execute_batch(SCHEMA)?;
            conn.execute_batch(
                "INSERT INTO jobs (id, member_id, event_token, code, request, checkpoint, state, attempts, next_at, last_error, created_at, updated_at)
                 SELECT id, '', event_token, code, request, checkpoint, state, attempts, next_at, last_error, created_at, updated_at FROM jobs_v0;
                 DROP TABLE jobs_v0;
                 COMMIT;",
            )?;
        }
        conn.execute_batch("PRAGMA user_version = 1")?;
    }
    if version < 2 {
        // Version 1 knew no portal's language.
        if has_table(conn, "portals")? && !has_column(conn, "portals", "language")? {
            conn.execute_batch("ALTER TABLE portals ADD COLUMN language TEXT")?;
        }
        conn.execute_batch("PRAGMA user_version = 2")?;
    }
    if version < 3 {
        // Version 2 kept no document column, no answer and no steps of a run.
        crate::journal::migrate_v3(conn)?;
        conn.execute_batch("PRAGMA user_version = 3")?;
    }
    Ok(())
}

fn has_table(conn: &Connection, table: &str) -> rusqlite::Result<bool> {
    conn.query_row("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?1", params![table], |r| r.get::<_, i64>(0)).map(|n| n > 0)
}

fn has_column(conn: &Connection, table: &str, column: &str) -> rusqlite::Result<bool> {
    conn.query_row("SELECT COUNT(*) FROM pragma_table_info(?1) WHERE name = ?2", params![table, column], |r| r.get::<_, i64>(0)).map(|n| n > 0)
}

impl Sqlite {
    /// Opens (or creates) the store for serving. One server owns a store: a second one, on the
    /// same file, refuses to start (`<db>.lock`). Jobs a crash left running go back to the queue,
    /// counted as an attempt, so a run that crashes the handler cannot do so forever.
    pub fn open(path: &Path) -> Result<Sqlite> {
        let lock = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(path.with_extension("lock"))
            .map_err(|e| StoreError::Locked(e.to_string()))?;
        lock.try_lock().map_err(|_| StoreError::Locked(format!("another handler is using {}", path.display())))?;
        let conn = Connection::open(path)?;
        conn.execute_batch(PRAGMAS)?;
        migrate(&conn)?;
        conn.execute_batch(SCHEMA)?;
        conn.execute(
            "UPDATE jobs SET state = CASE WHEN attempts + 1 >= ?1 THEN 'failed' ELSE 'queued' END,
                 attempts = attempts + 1,
                 last_error = CASE WHEN attempts + 1 >= ?1 THEN 'the handler stopped during this run too often' ELSE last_error END
             WHERE state = 'running'",
            params![MAX_CRASHES],
        )?;
        let waiting = Waiting::load(&conn, path, true)?;
        Self::serve(conn, Some(lock), waiting)
    }

    /// Opens the store to read it (`rulekit-handler jobs`), next to a running server: no schema
    /// changes, no reset of running jobs.
    pub fn open_read_only(path: &Path) -> Result<Sqlite> {
        let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let waiting = Waiting::load(&conn, path, false)?;
        Self::serve(conn, None, waiting)
    }

    fn serve(conn: Connection, lock: Option<std::fs::File>, mut waiting: Waiting) -> Result<Sqlite> {
        let (tx, rx) = mpsc::channel::<Cmd>();
        std::thread::Builder::new()
            .name("rulekit-store".into())
            .spawn(move || {
                // Held for as long as the store serves.
                let _lock = lock;
                while let Ok(first) = rx.recv() {
                    let mut batch = vec![first];
                    while batch.len() < GROUP {
                        match rx.try_recv() {
                            Ok(cmd) => batch.push(cmd),
                            Err(_) => break,
                        }
                    }
                    let mut replies: Vec<Box<dyn FnOnce(bool)>> = Vec::with_capacity(batch.len());
                    // A read-only store reads outside a transaction; a writer that cannot begin
                    // one applies nothing (autocommit would save what it then reports as failed).
                    let read_only = conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false);
                    let began = read_only || conn.execute_batch("BEGIN IMMEDIATE").is_ok();
                    if !began {
                        drop(batch);
                        continue;
                    }
                    for cmd in batch {
                        apply(&conn, &mut waiting, cmd, &mut replies);
                    }
                    let committed = read_only || conn.execute_batch("COMMIT").is_ok();
                    if !committed {
                        let _ = conn.execute_batch("ROLLBACK");
                    }
                    waiting.settle(committed);
                    // The batch's new runs: appended to the intake log and synced, then answered.
                    waiting.flush(committed);
                    for reply in replies {
                        reply(committed);
                    }
                }
            })
            .map_err(|_| StoreError::Closed)?;
        Ok(Sqlite { tx })
    }

    async fn ask<T>(&self, make: impl FnOnce(Reply<T>) -> Cmd) -> Result<T> {
        let (reply, rx) = oneshot::channel();
        self.tx.send(make(reply)).map_err(|_| StoreError::Closed)?;
        rx.await.map_err(|_| StoreError::Closed)?
    }

    pub async fn enqueue_run(&self, member_id: String, event_token: String, code: String, document: String, request: String) -> Result<bool> {
        self.ask(|reply| Cmd::Enqueue { member_id, event_token, code, document, request, reply }).await
    }
    /// Runs `work` on the store's connection, in the batch's transaction; its answer comes after
    /// the commit.
    pub async fn exec<T: Send + 'static>(&self, work: impl FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static) -> Result<T> {
        self.exec_seeing(move |conn, _| work(conn)).await
    }

    /// `exec`, with the runs that wait in the intake log in sight (the runs API's reads).
    async fn exec_seeing<T: Send + 'static>(&self, work: impl FnOnce(&Connection, &Waiting) -> rusqlite::Result<T> + Send + 'static) -> Result<T> {
        let (reply, rx) = oneshot::channel::<Result<T>>();
        let cmd = Cmd::Exec(Box::new(move |conn: &Connection, waiting: &Waiting, replies: &mut Vec<Box<dyn FnOnce(bool)>>| {
            // All of `work` or none of it: the batch's transaction commits the other requests'.
            let result = conn.execute_batch("SAVEPOINT work").and_then(|()| {
                let done = work(conn, waiting);
                let end = if done.is_ok() { "RELEASE work" } else { "ROLLBACK TO work; RELEASE work" };
                conn.execute_batch(end).and(done)
            });
            let result = result.map_err(StoreError::from);
            let ok = result.is_ok();
            replies.push(Box::new(move |committed: bool| {
                let _ = reply.send(if committed || !ok { result } else { Err(StoreError::Closed) });
            }));
        }));
        self.tx.send(cmd).map_err(|_| StoreError::Closed)?;
        rx.await.map_err(|_| StoreError::Closed)?
    }
    pub async fn claim(&self) -> Result<Option<Job>> {
        self.ask(|reply| Cmd::Claim { now: now(), reply }).await
    }
    /// Nothing to renew: one handler owns the file, and a claim lasts until it stops.
    pub async fn renew(&self, _c: Claim) -> Result<()> {
        Ok(())
    }
    pub async fn checkpoint(&self, c: Claim, checkpoint: Value) -> Result<()> {
        self.ask(|reply| Cmd::Checkpoint { id: c.job, checkpoint, reply }).await
    }
    pub async fn refreshed(&self, c: Claim, request: Value, note: String) -> Result<()> {
        self.exec(move |conn| {
            let t = now();
            conn.execute(
                "UPDATE jobs SET request = ?2, state = 'queued', attempts = attempts + 1, next_at = ?3, last_error = ?4, updated_at = ?3 WHERE id = ?1",
                params![c.job, request.to_string(), t, note],
            )?;
            log_step(conn, c.job, t, "retry", &note)
        })
        .await
    }
    pub async fn finish(&self, c: Claim, state: &'static str, error: Option<String>) -> Result<()> {
        self.ask(|reply| Cmd::Finish { id: c.job, state, error, reply }).await
    }
    pub async fn retry(&self, c: Claim, at: i64, error: String) -> Result<()> {
        self.ask(|reply| Cmd::Retry { id: c.job, at, error, reply }).await
    }
    pub async fn save_portal(&self, portal: Portal) -> Result<()> {
        self.ask(|reply| Cmd::SavePortal { portal, reply }).await
    }
    pub async fn delete_portal(&self, member_id: String) -> Result<()> {
        self.ask(|reply| Cmd::DeletePortal { member_id, reply }).await
    }
    pub async fn portals(&self) -> Result<Vec<Portal>> {
        self.ask(|reply| Cmd::Portals { reply }).await
    }
    pub async fn jobs(&self, state: Option<String>) -> Result<Vec<Job>> {
        self.ask(|reply| Cmd::Jobs { state, reply }).await
    }
    pub async fn counts(&self) -> Result<Vec<(String, i64)>> {
        self.ask(|reply| Cmd::Counts { reply }).await
    }

    pub async fn portal(&self, member_id: String) -> Result<Option<Portal>> {
        self.exec(move |conn| {
            conn.query_row("SELECT member_id, domain, application_token, language FROM portals WHERE member_id = ?1", params![member_id], |r| {
                Ok(Portal { member_id: r.get(0)?, domain: r.get(1)?, application_token: r.get(2)?, language: r.get(3)? })
            })
            .optional()
        })
        .await
    }

    /// A rule's checkpoint and the step it records, in one transaction.
    pub async fn checkpoint_step(&self, c: Claim, checkpoint: Value, step: &'static str, note: String) -> Result<()> {
        let job = c.job;
        self.exec(move |conn| {
            let t = now();
            conn.execute("UPDATE jobs SET checkpoint = ?2, updated_at = ?3 WHERE id = ?1", params![job, checkpoint.to_string(), t])?;
            log_step(conn, job, t, step, &note)
        })
        .await
    }

    /// A job done: its workflow has these return values.
    pub async fn done(&self, c: Claim, returned: Value, note: String) -> Result<()> {
        let job = c.job;
        self.exec(move |conn| {
            let t = now();
            conn.execute(
                "UPDATE jobs SET state = 'done', last_error = NULL, returned = ?2, updated_at = ?3 WHERE id = ?1",
                params![job, returned.to_string(), t],
            )?;
            log_step(conn, job, t, "done", &note)
        })
        .await
    }

    /// A page of a portal's runs, newest first: `filter.limit + 1` of them at most.
    pub async fn list_runs(&self, member_id: String, filter: RunFilter) -> Result<Vec<RunSummary>> {
        let (sql, values) = filter.sql(|n| format!("?{n}"));
        let mut args: Vec<rusqlite::types::Value> = vec![member_id.clone().into()];
        args.extend(values.into_iter().map(|v| match v {
            FilterValue::Text(t) => t.into(),
            FilterValue::Int(i) => i.into(),
        }));
        args.push((filter.limit + 1).into());
        let last = args.len();
        self.exec_seeing(move |conn, waiting| {
            let mut stmt = conn.prepare_cached(&format!("SELECT {SUMMARY_COLUMNS} FROM jobs WHERE member_id = ?1{sql} ORDER BY id DESC LIMIT ?{last}"))?;
            let mut runs = stmt.query_map(rusqlite::params_from_iter(args), summary_from)?.collect::<rusqlite::Result<Vec<_>>>()?;
            // The newest of both, merged.
            runs.extend(waiting.list(&member_id, &filter));
            runs.sort_by_key(|r| std::cmp::Reverse(r.id));
            runs.truncate(filter.limit.max(0) as usize + 1);
            Ok(runs)
        })
        .await
    }

    pub async fn run_detail(&self, member_id: String, id: i64) -> Result<Option<RunDetail>> {
        self.exec_seeing(move |conn, waiting| {
            if let Some(run) = waiting.detail(&member_id, id) {
                return Ok(Some(run));
            }
            let Some(summary) = one(conn, &member_id, id)? else { return Ok(None) };
            let (request, returned, next_at) =
                conn.query_row("SELECT request, returned, next_at FROM jobs WHERE id = ?1", params![id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            let mut stmt = conn.prepare_cached("SELECT at, step, note FROM run_events WHERE job_id = ?1 ORDER BY id")?;
            let steps = stmt.query_map(params![id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?;
            Ok(Some(RunDetail { summary, request, returned, next_at, steps }))
        })
        .await
    }

    /// A failed run back in the queue now, with a fresh attempt budget and its checkpoint `reset`.
    pub async fn retry_failed(&self, member_id: String, id: i64, reset: Reset) -> Result<std::result::Result<RunSummary, NotRetried>> {
        self.exec_seeing(move |conn, waiting| {
            if let Some(run) = waiting.detail(&member_id, id) {
                return Ok(Err(NotRetried::State(run.summary.status)));
            }
            let Some(run) = one(conn, &member_id, id)? else { return Ok(Err(NotRetried::Unknown)) };
            if run.status != "failed" {
                return Ok(Err(NotRetried::State(run.status)));
            }
            let t = now();
            let stored: String = conn.query_row("SELECT checkpoint FROM jobs WHERE id = ?1", params![id], |r| r.get(0))?;
            let checkpoint = reset(serde_json::from_str(&stored).unwrap_or(Value::Null));
            conn.execute(
                "UPDATE jobs SET state = 'queued', attempts = 0, next_at = ?2, last_error = NULL, checkpoint = ?3, updated_at = ?2 WHERE id = ?1",
                params![id, t, checkpoint.to_string()],
            )?;
            log_step(conn, id, t, "retry requested", super::runs::RETRY_NOTE)?;
            Ok(one(conn, &member_id, id)?.ok_or(NotRetried::Unknown))
        })
        .await
    }

    pub async fn counts_for(&self, member_id: String, first_hour: i64, hour: i64) -> Result<Counts> {
        self.exec_seeing(move |conn, waiting| {
            let mut stmt = conn.prepare_cached(&format!("SELECT code, {STATUS}, COUNT(*) FROM jobs WHERE member_id = ?1 GROUP BY 1, 2"))?;
            let mut by_code: Vec<(String, String, i64)> =
                stmt.query_map(params![member_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?;
            for (code, n) in waiting.count_by_code(&member_id) {
                match by_code.iter_mut().find(|(c, status, _)| c == code && status == "pending") {
                    Some((_, _, count)) => *count += n,
                    None => by_code.push((code.to_string(), "pending".into(), n)),
                }
            }
            let mut stmt = conn.prepare_cached(
                "SELECT updated_at / ?3, state, COUNT(*) FROM jobs WHERE member_id = ?1 AND state IN ('done', 'failed') AND updated_at >= ?2 GROUP BY 1, 2",
            )?;
            let hours = stmt.query_map(params![member_id, first_hour, hour], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?;
            Ok((by_code, hours))
        })
        .await
    }
}

fn summary_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<RunSummary> {
    Ok(RunSummary::new(r.get(0)?, r.get(1)?, r.get(2)?, &r.get::<_, String>(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?))
}

/// One run's summary, or `None` when the portal has no such run.
fn one(conn: &Connection, member_id: &str, id: i64) -> rusqlite::Result<Option<RunSummary>> {
    conn.query_row(&format!("SELECT {SUMMARY_COLUMNS} FROM jobs WHERE member_id = ?1 AND id = ?2"), params![member_id, id], summary_from).optional()
}
