//! The shared store (PostgreSQL), for several handlers behind a load balancer.
//!
//! - A run is on disk before its 2xx: each write commits on its own (`synchronous_commit` as the
//!   server has it, `on` by default); PostgreSQL groups concurrent commits itself.
//! - A run is claimed by exactly one handler: `FOR UPDATE SKIP LOCKED` picks a due job that no
//!   other claim holds, and the claim writes this handler's name (`owner`) and a lease. A handler
//!   renews the lease while it works; one that dies stops renewing, and after the lease another
//!   takes the job over and resumes it from its checkpoint. Every write to a claimed job names
//!   its owner, so a handler that lost its lease can no longer change the job.
//! - `event_token` is unique per portal by the table's own constraint, whoever inserts.
//! - Migrations are numbered, run at start under an advisory lock: two handlers starting at once
//!   apply each one once.
//! - Times that handlers compare with each other (leases, the call buckets) are the database's
//!   clock (`rulekit_now()`), so handlers with skewed clocks still agree.
//!
//! The driver is tokio-postgres with a deadpool pool: async like the rest of the handler, with
//! prepared statements cached per connection, and no query macros that need a database to build.

use super::runs::{Counts, FilterValue, NotRetried, Reset, RunDetail, RunFilter, RunSummary, RETRY_NOTE, STATUS, SUMMARY_COLUMNS};
use crate::record::StoredRun;
use super::{now, Claim, Job, Portal, Result, StoreError, MAX_CRASHES};
use deadpool_postgres::{GenericClient, Manager, ManagerConfig, Pool, RecyclingMethod};
use rulekit_model::rate::LeakyBucket;
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use tokio_postgres::types::ToSql;
use tokio_postgres::Row;

/// The schema, one step per version; a step never changes once released.
const MIGRATIONS: &[(i32, &str)] = &[(
    1,
    "
CREATE FUNCTION rulekit_now() RETURNS BIGINT LANGUAGE sql VOLATILE AS
    $$ SELECT (extract(epoch FROM clock_timestamp()) * 1000)::BIGINT $$;
CREATE TABLE portals (
    member_id TEXT PRIMARY KEY,
    domain TEXT NOT NULL,
    application_token TEXT NOT NULL,
    language TEXT
);
CREATE TABLE jobs (
    id BIGSERIAL PRIMARY KEY,
    member_id TEXT NOT NULL,
    event_token TEXT NOT NULL,
    code TEXT NOT NULL,
    request TEXT NOT NULL,
    checkpoint TEXT NOT NULL DEFAULT '{}',
    state TEXT NOT NULL DEFAULT 'queued',
    attempts BIGINT NOT NULL DEFAULT 0,
    next_at BIGINT NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    document TEXT,
    returned TEXT,
    -- The handler working on a running job, which claim of the job it holds (every claim gets a
    -- new number: only the worker holding the newest may write), and until when (the database's
    -- clock).
    owner TEXT,
    claim BIGINT NOT NULL DEFAULT 0,
    lease_until BIGINT NOT NULL DEFAULT 0,
    UNIQUE (member_id, event_token)
);
CREATE SEQUENCE claims;
CREATE INDEX jobs_queued ON jobs (next_at, id) WHERE state = 'queued';
CREATE INDEX jobs_leased ON jobs (lease_until) WHERE state = 'running';
CREATE INDEX jobs_member ON jobs (member_id, id);
CREATE INDEX jobs_member_state ON jobs (member_id, state, id);
CREATE INDEX jobs_member_code ON jobs (member_id, code, id);
CREATE INDEX jobs_member_document ON jobs (member_id, document, id);
CREATE TABLE run_events (
    id BIGSERIAL PRIMARY KEY,
    job_id BIGINT NOT NULL,
    at BIGINT NOT NULL,
    step TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX run_events_job ON run_events (job_id, id);
-- Each portal's REST bucket as all handlers together have filled it.
CREATE TABLE call_buckets (
    portal TEXT PRIMARY KEY,
    level DOUBLE PRECISION NOT NULL,
    at BIGINT NOT NULL
);
",
)];

/// The advisory lock that migrations run under (any fixed number; this one spells "rulekit").
const MIGRATION_LOCK: i64 = 0x72756c656b6974;

/// Takes over a job whose worker stopped renewing its lease, counting the interrupted attempt.
static TAKEOVER: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "WITH next AS (SELECT id FROM jobs WHERE state = 'running' AND lease_until < rulekit_now()
                       ORDER BY lease_until LIMIT 1 FOR UPDATE SKIP LOCKED)
         UPDATE jobs j SET attempts = j.attempts + 1,
             state = CASE WHEN j.attempts + 1 >= $2 THEN 'failed' ELSE 'running' END,
             last_error = CASE WHEN j.attempts + 1 >= $2 THEN 'the handler stopped during this run too often' ELSE j.last_error END,
             owner = $1, claim = nextval('claims'), lease_until = rulekit_now() + $3, updated_at = $4
         FROM next WHERE j.id = next.id RETURNING {}",
        prefixed("j.", JOB_COLUMNS)
    )
});

/// Claims the next queued job that is due (on the database's clock).
static NEXT_DUE: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "WITH next AS (SELECT id FROM jobs WHERE state = 'queued' AND next_at <= rulekit_now()
                       ORDER BY next_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
         UPDATE jobs j SET state = 'running', owner = $1, claim = nextval('claims'), lease_until = rulekit_now() + $2, updated_at = $3
         FROM next WHERE j.id = next.id RETURNING {}",
        prefixed("j.", JOB_COLUMNS)
    )
});

const JOB_COLUMNS: &str = "id, event_token, code, request, checkpoint, state, attempts, last_error, claim";

#[derive(Clone)]
pub struct Postgres {
    pool: Pool,
    /// This handler's name on the jobs it claims: unique per process start.
    owner: Arc<str>,
    lease_ms: i64,
    /// Runs on their way in, stored together (`intake`).
    intake: mpsc::UnboundedSender<Incoming>,
}

/// A run to store, and who waits for whether it was new.
struct Incoming {
    member_id: String,
    event_token: String,
    code: String,
    document: String,
    request: String,
    reply: oneshot::Sender<Result<bool>>,
}

/// How many batches of runs may be on their way to the database at once, and the most one holds.
const INTAKE_TASKS: usize = 2;
const INTAKE_BATCH: usize = 256;

/// Stores the runs that arrive together in one statement and one commit: while one batch waits
/// for its commit the next one gathers, so a busy handler spends one round trip and one fsync on
/// many runs. Each run's answer (new, or a repeat) goes out after the commit.
fn spawn_intake(pool: Pool) -> mpsc::UnboundedSender<Incoming> {
    let (tx, rx) = mpsc::unbounded_channel::<Incoming>();
    let rx = Arc::new(tokio::sync::Mutex::new(rx));
    for _ in 0..INTAKE_TASKS {
        let (pool, rx) = (pool.clone(), rx.clone());
        tokio::spawn(async move {
            loop {
                let mut batch = Vec::new();
                {
                    let mut rx = rx.lock().await;
                    let Some(first) = rx.recv().await else { return };
                    batch.push(first);
                    while batch.len() < INTAKE_BATCH {
                        match rx.try_recv() {
                            Ok(next) => batch.push(next),
                            Err(_) => break,
                        }
                    }
                }
                store_batch(&pool, batch).await;
            }
        });
    }
    tx
}

async fn store_batch(pool: &Pool, batch: Vec<Incoming>) {
    let column = |f: fn(&Incoming) -> &String| batch.iter().map(f).collect::<Vec<_>>();
    let (members, tokens, codes) = (column(|i| &i.member_id), column(|i| &i.event_token), column(|i| &i.code));
    let (requests, documents) = (column(|i| &i.request), column(|i| &i.document));
    let t = now();
    let inserted = async {
        let c = pool.get().await?;
        let stmt = c
            .prepare_cached(
                "INSERT INTO jobs (member_id, event_token, code, request, created_at, updated_at, document)
                 SELECT m, e, c, r, $5, $5, d FROM unnest($1::TEXT[], $2::TEXT[], $3::TEXT[], $4::TEXT[], $6::TEXT[]) AS t(m, e, c, r, d)
                 ON CONFLICT (member_id, event_token) DO NOTHING
                 RETURNING member_id, event_token",
            )
            .await?;
        let rows = c.query(&stmt, &[&members, &tokens, &codes, &requests, &t, &documents]).await?;
        Ok::<_, StoreError>(rows.iter().map(|r| (r.get::<_, String>(0), r.get::<_, String>(1))).collect::<std::collections::HashSet<_>>())
    }
    .await;
    match inserted {
        // A token twice in one batch: the first is the new run, the second its repeat.
        Ok(mut new) => batch.into_iter().for_each(|i| {
            let fresh = new.remove(&(i.member_id, i.event_token));
            let _ = i.reply.send(Ok(fresh));
        }),
        // One run the database refuses (a NUL in its text, say) must not fail the others with
        // it: each is stored on its own, and only the refused one fails.
        Err(_) if batch.len() > 1 => {
            for one in batch {
                Box::pin(store_batch(pool, vec![one])).await;
            }
        }
        // One run alone: its own error, as it is.
        Err(e) => {
            if let Some(i) = batch.into_iter().next() {
                let _ = i.reply.send(Err(e));
            }
        }
    }
}

/// PostgreSQL's words for a failure. Neither the driver's nor the server's messages carry the
/// connection URL or its password.
pub fn error_text(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}: {}", db.code().code(), db.message()),
        None => e.to_string(),
    }
}

impl From<tokio_postgres::Error> for StoreError {
    fn from(e: tokio_postgres::Error) -> StoreError {
        StoreError::Postgres(error_text(&e))
    }
}

impl From<deadpool_postgres::PoolError> for StoreError {
    fn from(e: deadpool_postgres::PoolError) -> StoreError {
        match e {
            deadpool_postgres::PoolError::Backend(e) => e.into(),
            other => StoreError::Postgres(format!("no connection to the database: {other}")),
        }
    }
}

fn job_from(row: &Row) -> Job {
    let parse = |s: String| serde_json::from_str(&s).unwrap_or(Value::Null);
    Job {
        id: row.get(0),
        event_token: row.get(1),
        code: row.get(2),
        request: StoredRun::read_text(row.get(3)),
        checkpoint: parse(row.get(4)),
        state: row.get(5),
        attempts: row.get(6),
        last_error: row.get(7),
        claim: row.get(8),
    }
}

fn summary_from(r: &Row) -> RunSummary {
    RunSummary::new(r.get(0), r.get(1), r.get(2), r.get::<_, &str>(3), r.get(4), r.get(5), r.get(6), r.get(7))
}

async fn log_step(c: &impl GenericClient, job: i64, at: i64, step: &str, note: &str) -> Result<()> {
    let stmt = c.prepare_cached("INSERT INTO run_events (job_id, at, step, note) VALUES ($1, $2, $3, $4)").await?;
    c.execute(&stmt, &[&job, &at, &step, &note]).await?;
    Ok(())
}

/// Refuses a database whose schema (its highest applied `version`) is newer than this handler's.
fn not_newer(version: Option<i32>) -> Result<()> {
    let known = MIGRATIONS.last().map_or(0, |m| m.0);
    match version {
        Some(newer) if newer > known => Err(StoreError::Postgres(format!(
            "the database is at schema version {newer}, written by a newer rulekit-handler; this one knows up to {known}: upgrade it"
        ))),
        _ => Ok(()),
    }
}

/// Applies the migrations this database lacks, under the advisory lock: a second handler starting
/// at the same moment waits, then finds them applied.
async fn migrate(pool: &Pool) -> Result<()> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS rulekit_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
        .await?;
    let applied: Vec<i32> = tx.query("SELECT version FROM rulekit_migrations", &[]).await?.iter().map(|r| r.get(0)).collect();
    not_newer(applied.iter().copied().max())?;
    for (version, sql) in MIGRATIONS {
        if !applied.contains(version) {
            tx.batch_execute(sql).await?;
            tx.execute("INSERT INTO rulekit_migrations (version) VALUES ($1)", &[version]).await?;
            tracing::info!(event = "store.migrated", version);
        }
    }
    tx.commit().await?;
    Ok(())
}

/// The connection pool for `url`: TLS as the URL asks, every commit synchronous, and timeouts.
fn pool(url: &str, ca: Option<&std::path::Path>) -> Result<Pool> {
    // The parser's message may quote the URL: it is replaced by one that does not.
    let mut config: tokio_postgres::Config = url
        .parse()
        .map_err(|_| StoreError::Postgres("the --db URL is not one PostgreSQL reads (postgres://user[:password]@host[:port]/database)".into()))?;
    // A run is acknowledged once its commit is on disk, whatever the server's or the role's
    // default; and a server that does not answer is given up on rather than waited for.
    config.options("-c synchronous_commit=on");
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(10));
    }
    // TLS as the URL's `sslmode` asks (`prefer` when it says nothing; `require` for a database
    // across a network), checked against the public roots and `--db-ca`.
    let manager = Manager::from_config(config, tls(ca)?, ManagerConfig { recycling_method: RecyclingMethod::Fast });
    Pool::builder(manager)
        .max_size(16)
        .runtime(deadpool_postgres::Runtime::Tokio1)
        .wait_timeout(Some(Duration::from_secs(10)))
        .create_timeout(Some(Duration::from_secs(10)))
        .build()
        .map_err(|e| StoreError::Postgres(format!("the connection pool cannot be built: {e}")))
}

impl Postgres {
    /// Connects to the database at `url`, brings its schema up to date, and claims jobs under
    /// leases of `lease`.
    pub async fn connect(url: &str, lease: Duration, ca: Option<&std::path::Path>) -> Result<Postgres> {
        let pool = pool(url, ca)?;
        migrate(&pool).await?;
        let owner = format!("{}-{}-{:x}", hostname(), std::process::id(), now());
        let intake = spawn_intake(pool.clone());
        Ok(Postgres { pool, owner: owner.into(), lease_ms: lease.as_millis() as i64, intake })
    }

    /// Connects to read (`rulekit-handler jobs`) beside running handlers: no migration, nothing
    /// claimed; a database without rulekit's schema, or with a newer one, is said so.
    pub async fn connect_to_read(url: &str, ca: Option<&std::path::Path>) -> Result<Postgres> {
        let pool = pool(url, ca)?;
        let client = pool.get().await?;
        let version: Option<i32> = client
            .query_one("SELECT max(version) FROM rulekit_migrations", &[])
            .await
            .map_err(|_| StoreError::Postgres("this database holds no rulekit store (no rulekit_migrations table)".into()))?
            .get(0);
        not_newer(version)?;
        drop(client);
        // Nothing is stored through this connection; the intake's channel only has to exist.
        let (intake, _) = mpsc::unbounded_channel();
        Ok(Postgres { pool, owner: "reader".into(), lease_ms: 0, intake })
    }

    async fn client(&self) -> Result<deadpool_postgres::Object> {
        Ok(self.pool.get().await?)
    }

    /// Runs `sql` with `params`; `rows` is how many it changed.
    async fn execute(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<u64> {
        let c = self.client().await?;
        let stmt = c.prepare_cached(sql).await?;
        Ok(c.execute(&stmt, params).await?)
    }

    async fn query(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>> {
        let c = self.client().await?;
        let stmt = c.prepare_cached(sql).await?;
        Ok(c.query(&stmt, params).await?)
    }

    pub async fn enqueue_run(&self, member_id: String, event_token: String, code: String, document: String, request: String) -> Result<bool> {
        let (reply, answer) = oneshot::channel();
        self.intake.send(Incoming { member_id, event_token, code, document, request, reply }).map_err(|_| StoreError::Closed)?;
        answer.await.map_err(|_| StoreError::Closed)?
    }

    /// Takes a job whose handler stopped renewing its lease, else the next queued job that is
    /// due; each counts its attempt as the SQLite store does after a restart.
    pub async fn claim(&self) -> Result<Option<Job>> {
        let mut c = self.client().await?;
        loop {
            let tx = c.transaction().await?;
            let t = now();
            let takeover = tx.prepare_cached(&TAKEOVER).await?;
            let taken = tx.query_opt(&takeover, &[&&*self.owner, &MAX_CRASHES, &self.lease_ms, &t]).await?;
            let job = match taken {
                Some(row) => Some(job_from(&row)),
                None => {
                    let next = tx.prepare_cached(&NEXT_DUE).await?;
                    tx.query_opt(&next, &[&&*self.owner, &self.lease_ms, &t]).await?.map(|row| job_from(&row))
                }
            };
            match &job {
                Some(j) if j.state == "failed" => {
                    log_step(&tx, j.id, t, "failed", j.last_error.as_deref().unwrap_or("")).await?;
                    tx.commit().await?;
                    continue;
                }
                Some(j) => log_step(&tx, j.id, t, "attempt", &format!("Attempt {} started.", j.attempts + 1)).await?,
                None => {}
            }
            tx.commit().await?;
            return Ok(job);
        }
    }

    /// A write to a job this worker holds; `LeaseLost` when another has claimed it since.
    fn owned(&self, id: i64, n: u64) -> Result<()> {
        if n == 0 {
            tracing::warn!(event = "job.lease_lost", job = id);
            return Err(StoreError::LeaseLost(id));
        }
        Ok(())
    }

    pub async fn renew(&self, c: Claim) -> Result<()> {
        let n = self
            .execute("UPDATE jobs SET lease_until = rulekit_now() + $3 WHERE id = $1 AND claim = $2 AND state = 'running'", &[&c.job, &c.token, &self.lease_ms])
            .await?;
        self.owned(c.job, n)
    }

    pub async fn checkpoint(&self, c: Claim, checkpoint: Value) -> Result<()> {
        let (t, checkpoint) = (now(), checkpoint.to_string());
        let n = self
            .execute("UPDATE jobs SET checkpoint = $3, updated_at = $4 WHERE id = $1 AND claim = $2 AND state = 'running'", &[&c.job, &c.token, &checkpoint, &t])
            .await?;
        self.owned(c.job, n)
    }

    /// Changes a job this worker holds and records the step, in one transaction.
    async fn settle(&self, c: Claim, sql: &str, params: &[&(dyn ToSql + Sync)], step: &str, note: &str) -> Result<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let stmt = tx.prepare_cached(sql).await?;
        let n = tx.execute(&stmt, params).await?;
        self.owned(c.job, n)?;
        log_step(&tx, c.job, now(), step, note).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn refreshed(&self, c: Claim, request: Value, note: String) -> Result<()> {
        let (t, request) = (now(), request.to_string());
        let sql = "UPDATE jobs SET request = $3, state = 'queued', attempts = attempts + 1, next_at = $4, last_error = $5, updated_at = $4, owner = NULL
                   WHERE id = $1 AND claim = $2 AND state = 'running'";
        self.settle(c, sql, &[&c.job, &c.token, &request, &t, &note], "retry", &note).await
    }

    pub async fn finish(&self, c: Claim, state: &'static str, error: Option<String>) -> Result<()> {
        let t = now();
        let sql = "UPDATE jobs SET state = $3, last_error = $4, updated_at = $5 WHERE id = $1 AND claim = $2 AND state = 'running'";
        self.settle(c, sql, &[&c.job, &c.token, &state, &error, &t], state, error.as_deref().unwrap_or("")).await
    }

    pub async fn retry(&self, c: Claim, at: i64, error: String) -> Result<()> {
        let t = now();
        let note = format!("{error} Next attempt in {:.1} s.", (at - t).max(0) as f64 / 1000.0);
        let sql = "UPDATE jobs SET state = 'queued', attempts = attempts + 1, next_at = $3, last_error = $4, updated_at = $5, owner = NULL
                   WHERE id = $1 AND claim = $2 AND state = 'running'";
        self.settle(c, sql, &[&c.job, &c.token, &at, &error, &t], "retry", &note).await
    }

    pub async fn checkpoint_step(&self, c: Claim, checkpoint: Value, step: &'static str, note: String) -> Result<()> {
        let (t, checkpoint) = (now(), checkpoint.to_string());
        let sql = "UPDATE jobs SET checkpoint = $3, updated_at = $4 WHERE id = $1 AND claim = $2 AND state = 'running'";
        self.settle(c, sql, &[&c.job, &c.token, &checkpoint, &t], step, &note).await
    }

    pub async fn done(&self, c: Claim, returned: Value, note: String) -> Result<()> {
        let (t, returned) = (now(), returned.to_string());
        let sql = "UPDATE jobs SET state = 'done', last_error = NULL, returned = $3, updated_at = $4 WHERE id = $1 AND claim = $2 AND state = 'running'";
        self.settle(c, sql, &[&c.job, &c.token, &returned, &t], "done", &note).await
    }

    pub async fn save_portal(&self, portal: Portal) -> Result<()> {
        // A portal saved without a language (`--portal` without one) keeps the one its install
        // event gave.
        self.execute(
            "INSERT INTO portals (member_id, domain, application_token, language) VALUES ($1, $2, $3, $4)
             ON CONFLICT (member_id) DO UPDATE SET domain = excluded.domain, application_token = excluded.application_token,
                 language = COALESCE(excluded.language, portals.language)",
            &[&portal.member_id, &portal.domain, &portal.application_token, &portal.language],
        )
        .await
        .map(|_| ())
    }

    pub async fn delete_portal(&self, member_id: String) -> Result<()> {
        self.execute("DELETE FROM portals WHERE member_id = $1", &[&member_id]).await.map(|_| ())
    }

    pub async fn portals(&self) -> Result<Vec<Portal>> {
        let rows = self.query("SELECT member_id, domain, application_token, language FROM portals", &[]).await?;
        Ok(rows.iter().map(portal_from).collect())
    }

    pub async fn portal(&self, member_id: String) -> Result<Option<Portal>> {
        let rows = self.query("SELECT member_id, domain, application_token, language FROM portals WHERE member_id = $1", &[&member_id]).await?;
        Ok(rows.first().map(portal_from))
    }

    pub async fn jobs(&self, state: Option<String>) -> Result<Vec<Job>> {
        let rows = self.query(&format!("SELECT {JOB_COLUMNS} FROM jobs WHERE $1::TEXT IS NULL OR state = $1 ORDER BY id"), &[&state]).await?;
        Ok(rows.iter().map(job_from).collect())
    }

    pub async fn counts(&self) -> Result<Vec<(String, i64)>> {
        let rows = self.query("SELECT state, COUNT(*) FROM jobs GROUP BY state ORDER BY state", &[]).await?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    pub async fn list_runs(&self, member_id: String, filter: RunFilter) -> Result<Vec<RunSummary>> {
        let (sql, values) = filter.sql(|n| format!("${n}"));
        let mut args: Vec<Box<dyn ToSql + Sync + Send>> = vec![Box::new(member_id)];
        args.extend(values.into_iter().map(|v| -> Box<dyn ToSql + Sync + Send> {
            match v {
                FilterValue::Text(t) => Box::new(t),
                FilterValue::Int(i) => Box::new(i),
            }
        }));
        args.push(Box::new(filter.limit + 1));
        let last = args.len();
        let params: Vec<&(dyn ToSql + Sync)> = args.iter().map(|a| &**a as &(dyn ToSql + Sync)).collect();
        let rows = self.query(&format!("SELECT {SUMMARY_COLUMNS} FROM jobs WHERE member_id = $1{sql} ORDER BY id DESC LIMIT ${last}"), &params).await?;
        Ok(rows.iter().map(summary_from).collect())
    }

    pub async fn run_detail(&self, member_id: String, id: i64) -> Result<Option<RunDetail>> {
        let rows = self
            .query(&format!("SELECT {SUMMARY_COLUMNS}, request, returned, next_at FROM jobs WHERE member_id = $1 AND id = $2"), &[&member_id, &id])
            .await?;
        let Some(row) = rows.first() else { return Ok(None) };
        let steps = self.query("SELECT at, step, note FROM run_events WHERE job_id = $1 ORDER BY id", &[&id]).await?;
        Ok(Some(RunDetail {
            summary: summary_from(row),
            request: row.get(8),
            returned: row.get(9),
            next_at: row.get(10),
            steps: steps.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect(),
        }))
    }

    pub async fn retry_failed(&self, member_id: String, id: i64, reset: Reset) -> Result<std::result::Result<RunSummary, NotRetried>> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let one = format!("SELECT {SUMMARY_COLUMNS}, checkpoint FROM jobs WHERE member_id = $1 AND id = $2 FOR UPDATE");
        let Some(row) = tx.query_opt(&one, &[&member_id, &id]).await? else { return Ok(Err(NotRetried::Unknown)) };
        let run = summary_from(&row);
        if run.status != "failed" {
            return Ok(Err(NotRetried::State(run.status)));
        }
        let t = now();
        let checkpoint = reset(serde_json::from_str(row.get::<_, &str>(8)).unwrap_or(Value::Null)).to_string();
        tx.execute(
            "UPDATE jobs SET state = 'queued', attempts = 0, next_at = $2, last_error = NULL, checkpoint = $3, updated_at = $2, owner = NULL WHERE id = $1",
            &[&id, &t, &checkpoint],
        )
        .await?;
        log_step(&tx, id, t, "retry requested", RETRY_NOTE).await?;
        let row = tx.query_one(&format!("SELECT {SUMMARY_COLUMNS} FROM jobs WHERE id = $1"), &[&id]).await?;
        tx.commit().await?;
        Ok(Ok(summary_from(&row)))
    }

    pub async fn counts_for(&self, member_id: String, first_hour: i64, hour: i64) -> Result<Counts> {
        let by_code = self.query(&format!("SELECT code, {STATUS}, COUNT(*) FROM jobs WHERE member_id = $1 GROUP BY 1, 2"), &[&member_id]).await?;
        let hours = self
            .query(
                "SELECT updated_at / $3, state, COUNT(*) FROM jobs WHERE member_id = $1 AND state IN ('done', 'failed') AND updated_at >= $2 GROUP BY 1, 2",
                &[&member_id, &first_hour, &hour],
            )
            .await?;
        Ok((by_code.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect(), hours.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect()))
    }

    /// One call to `portal`'s REST API, counted in the bucket all handlers share: `Ok(0)` when it
    /// may go now (and is counted), else the milliseconds to wait before asking again.
    /// `headroom` requests of the bucket are left unused, for the portal's own pages and for
    /// calls that reach the portal later than they were counted here.
    pub async fn take_call(&self, portal: &str, rate: f64, burst: f64, headroom: f64) -> Result<u64> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        // The clock is read once the row is this transaction's: no other handler moves it meanwhile.
        let select = tx.prepare_cached("SELECT level, at, rulekit_now() FROM call_buckets WHERE portal = $1 FOR UPDATE").await?;
        let row = match tx.query_opt(&select, &[&portal]).await? {
            Some(row) => row,
            // The portal's first call: its row, then the same read.
            None => {
                tx.execute("INSERT INTO call_buckets (portal, level, at) VALUES ($1, 0, 0) ON CONFLICT (portal) DO NOTHING", &[&portal]).await?;
                tx.query_one(&select, &[&portal]).await?
            }
        };
        let (level, at, t): (f64, i64, i64) = (row.get(0), row.get(1), row.get(2));
        let mut bucket = LeakyBucket::from_state(rate, burst, level, at.max(0) as u64);
        let wait = bucket.take_leaving(t.max(0) as u64, headroom);
        if wait == 0 {
            let (level, at) = bucket.state();
            let update = tx.prepare_cached("UPDATE call_buckets SET level = $2, at = $3 WHERE portal = $1").await?;
            tx.execute(&update, &[&portal, &level, &(at as i64)]).await?;
        }
        tx.commit().await?;
        Ok(wait)
    }
}

/// The TLS the connections offer: the Mozilla roots, and the certificates of `ca` (a PEM file: a
/// managed database's own authority) when given.
fn tls(ca: Option<&std::path::Path>) -> Result<tokio_postgres_rustls::MakeRustlsConnect> {
    use rustls_pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    if let Some(path) = ca {
        let unreadable = |e: &dyn std::fmt::Display| StoreError::Postgres(format!("--db-ca {}: {e}", path.display()));
        let certs = rustls_pki_types::CertificateDer::pem_file_iter(path).map_err(|e| unreadable(&e))?;
        let mut added = 0;
        for cert in certs {
            roots.add(cert.map_err(|e| unreadable(&e))?).map_err(|e| unreadable(&e))?;
            added += 1;
        }
        if added == 0 {
            return Err(unreadable(&"holds no PEM certificate"));
        }
    }
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| StoreError::Postgres(format!("TLS cannot be set up: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

fn portal_from(r: &Row) -> Portal {
    Portal { member_id: r.get(0), domain: r.get(1), application_token: r.get(2), language: r.get(3) }
}

/// `a, b` → `j.a, j.b`.
fn prefixed(prefix: &str, columns: &str) -> String {
    columns.split(", ").map(|c| format!("{prefix}{c}")).collect::<Vec<_>>().join(", ")
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname").map(|h| h.trim().to_string()).unwrap_or_else(|_| "handler".into())
}
