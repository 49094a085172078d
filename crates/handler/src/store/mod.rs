//! The store: installed portals, rule-run jobs with their checkpoints and steps, and what the
//! runs API reads. Two engines behind one interface:
//! - SQLite (`sqlite`), embedded, the default: one handler owns one file;
//! - PostgreSQL (`postgres`), which several handlers share behind a load balancer (`--db
//!   postgres://…`): runs are claimed under a lease, and the portals' call buckets live there too.
//!
//! Every method means the same on both, and one test suite runs against both
//! (`tests/store_suite.rs`).

pub mod intake_log;
pub mod postgres;
pub mod runs;
pub mod sqlite;
mod waiting;

use runs::{Counts, NotRetried, Reset, RunDetail, RunFilter, RunSummary};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Clone, PartialEq, Eq)]
pub struct Portal {
    pub member_id: String,
    pub domain: String,
    /// Compared in constant time; never logged.
    pub application_token: String,
    /// The portal's language id (`LANGUAGE_ID` of its install event, e.g. `de`); its workflows
    /// are told things in it. Unknown: the handler's `--lang`.
    pub language: Option<String>,
}

/// Without its application token, which no log may show.
impl std::fmt::Debug for Portal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Portal").field("member_id", &self.member_id).field("domain", &self.domain).field("language", &self.language).finish_non_exhaustive()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    pub id: i64,
    pub event_token: String,
    pub code: String,
    /// The run as received (tokens included: the worker needs them after a restart).
    pub request: Value,
    /// Steps already done, so a restarted job does nothing twice.
    pub checkpoint: Value,
    pub attempts: i64,
    pub state: String,
    pub last_error: Option<String>,
    /// Which claim of the job this is: a PostgreSQL store numbers every claim, so a worker whose
    /// lease ran out, even in the handler that took the job over, can no longer write it. SQLite: 0.
    pub claim: i64,
}

/// A claimed job as its worker names it in every write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Claim {
    pub job: i64,
    pub token: i64,
}

impl Job {
    pub fn claim(&self) -> Claim {
        Claim { job: self.id, token: self.claim }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the store failed: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL's own words (`postgres::error_text`), which never hold the database URL.
    #[error("the store failed: {0}")]
    Postgres(String),
    #[error("the store is closed")]
    Closed,
    #[error("the store is locked: {0}")]
    Locked(String),
    /// The SQLite store's intake log could not be written or read (`intake_log`).
    #[error("the store's intake log failed: {0}")]
    IntakeLog(String),
    /// The job's lease ran out and another handler took it over: this one must stop working on it.
    #[error("job {0} was taken over by another handler after its lease ran out")]
    LeaseLost(i64),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// A job that a crash interrupted this many times is failed rather than tried again.
pub const MAX_CRASHES: i64 = 10;

/// Milliseconds since the epoch, on this handler's clock.
pub fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// Where the store is: a SQLite file, or a PostgreSQL database by URL.
#[derive(Clone, PartialEq)]
pub enum Target {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Target {
    /// `postgres://…` or `postgresql://…` is PostgreSQL; anything else is a SQLite file's path.
    pub fn parse(db: &str) -> Target {
        let lower = db.to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            // The driver reads the scheme in lower case only.
            let (scheme, rest) = db.split_once("://").unwrap_or((db, ""));
            Target::Postgres(format!("{}://{rest}", scheme.to_ascii_lowercase()))
        } else {
            Target::Sqlite(PathBuf::from(db))
        }
    }

    /// For messages and logs: a URL's password is replaced by `***`.
    pub fn shown(&self) -> String {
        match self {
            Target::Sqlite(path) => path.display().to_string(),
            Target::Postgres(url) => redact(url),
        }
    }
}

/// Never print a database password: `--db` is the one flag that may carry one.
impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown())
    }
}

/// A URL with the password of its `user:password@` part (if any) replaced, and its query (which
/// may hold `password=`) dropped. The credentials end at the first `@`, as the driver reads them,
/// so a password with `/`, `?` or `:` in it is hidden whole.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return "***".into() };
    // The user's name, and whether a password follows it.
    let (user, rest) = match rest.split_once('@') {
        Some((credentials, rest)) => (Some(credentials.split_once(':').map_or((credentials, false), |(name, _)| (name, true))), rest),
        None => (None, rest),
    };
    let place = rest.split('?').next().unwrap_or("");
    match user {
        Some((name, true)) => format!("{scheme}://{name}:***@{place}"),
        Some((name, false)) => format!("{scheme}://{name}@{place}"),
        None => format!("{scheme}://{place}"),
    }
}

/// How long a claimed job stays this handler's without word from it, on a shared store.
pub const DEFAULT_LEASE: Duration = Duration::from_secs(30);

#[derive(Clone)]
pub enum Store {
    Sqlite(sqlite::Sqlite),
    Postgres(postgres::Postgres),
}

/// The same call on whichever engine the store is.
macro_rules! each {
    ($self:ident . $method:ident ( $($arg:expr),* )) => {
        match $self {
            Store::Sqlite(s) => s.$method($($arg),*).await,
            Store::Postgres(s) => s.$method($($arg),*).await,
        }
    };
}

impl Store {
    /// Opens (or creates) a SQLite store for serving; see `sqlite::Sqlite::open`.
    pub fn open(path: &Path) -> Result<Store> {
        sqlite::Sqlite::open(path).map(Store::Sqlite)
    }

    /// Opens a SQLite store to read it next to a running server.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        sqlite::Sqlite::open_read_only(path).map(Store::Sqlite)
    }

    /// Opens the store at `target` for serving: a PostgreSQL database is migrated (once, whoever
    /// starts first) and its jobs are claimed under `lease`.
    pub async fn connect(target: &Target, lease: Duration) -> Result<Store> {
        Store::connect_with(target, lease, None).await
    }

    /// `connect`, trusting the certificate authority in the PEM file `ca` for PostgreSQL's TLS.
    pub async fn connect_with(target: &Target, lease: Duration, ca: Option<&Path>) -> Result<Store> {
        match target {
            Target::Sqlite(path) => Store::open(path),
            Target::Postgres(url) => postgres::Postgres::connect(url, lease, ca).await.map(Store::Postgres),
        }
    }

    /// Opens the store at `target` to read it beside running handlers (`rulekit-handler jobs`):
    /// nothing is migrated, claimed or reset.
    pub async fn open_to_read(target: &Target, ca: Option<&Path>) -> Result<Store> {
        match target {
            Target::Sqlite(path) => Store::open_read_only(path),
            Target::Postgres(url) => postgres::Postgres::connect_to_read(url, ca).await.map(Store::Postgres),
        }
    }

    /// Whether other handlers may be using this store at the same time.
    pub fn shared(&self) -> bool {
        matches!(self, Store::Postgres(_))
    }

    /// Stores a run; `true` when it is new, `false` when the portal sent this event token before.
    pub async fn enqueue(&self, member_id: String, event_token: String, code: String, request: Value) -> Result<bool> {
        let document = crate::journal::document_of(&request);
        let request = request.to_string();
        each!(self.enqueue_run(member_id, event_token, code, document, request))
    }
    /// `enqueue` with the run's document already known (`DEAL_123`) and the stored run already
    /// text (`StoredRun::intake_text`): the intake's path, where nothing is parsed or built again.
    pub async fn enqueue_run(&self, member_id: String, event_token: String, code: String, document: String, request: String) -> Result<bool> {
        each!(self.enqueue_run(member_id, event_token, code, document, request))
    }
    /// Takes the next job due and marks it running (this handler's until its lease runs out).
    pub async fn claim(&self) -> Result<Option<Job>> {
        each!(self.claim())
    }
    /// Keeps a claimed job this worker's for another lease.
    pub async fn renew(&self, c: Claim) -> Result<()> {
        each!(self.renew(c))
    }
    pub async fn checkpoint(&self, c: Claim, checkpoint: Value) -> Result<()> {
        each!(self.checkpoint(c, checkpoint))
    }
    /// Keeps the run with the tokens a refresh gave and makes it due at once, in one transaction:
    /// a refresh token is good once, so the new one must not be lost.
    pub async fn refreshed(&self, c: Claim, request: Value, note: String) -> Result<()> {
        each!(self.refreshed(c, request, note))
    }
    pub async fn finish(&self, c: Claim, state: &'static str, error: Option<String>) -> Result<()> {
        each!(self.finish(c, state, error))
    }
    pub async fn retry(&self, c: Claim, at: i64, error: String) -> Result<()> {
        each!(self.retry(c, at, error))
    }
    pub async fn save_portal(&self, portal: Portal) -> Result<()> {
        each!(self.save_portal(portal))
    }
    pub async fn delete_portal(&self, member_id: String) -> Result<()> {
        each!(self.delete_portal(member_id))
    }
    pub async fn portals(&self) -> Result<Vec<Portal>> {
        each!(self.portals())
    }
    pub async fn portal(&self, member_id: String) -> Result<Option<Portal>> {
        each!(self.portal(member_id))
    }
    pub async fn jobs(&self, state: Option<String>) -> Result<Vec<Job>> {
        each!(self.jobs(state))
    }
    pub async fn counts(&self) -> Result<Vec<(String, i64)>> {
        each!(self.counts())
    }
    /// A rule's checkpoint and the step it records, in one transaction.
    pub async fn checkpoint_step(&self, c: Claim, checkpoint: Value, step: &'static str, note: String) -> Result<()> {
        each!(self.checkpoint_step(c, checkpoint, step, note))
    }
    /// A job done: its workflow has these return values.
    pub async fn done(&self, c: Claim, returned: Value, note: String) -> Result<()> {
        each!(self.done(c, returned, note))
    }
    /// A page of a portal's runs, newest first: `filter.limit + 1` at most (the extra one says
    /// whether there is a next page).
    pub async fn list_runs(&self, member_id: String, filter: RunFilter) -> Result<Vec<RunSummary>> {
        each!(self.list_runs(member_id, filter))
    }
    pub async fn run_detail(&self, member_id: String, id: i64) -> Result<Option<RunDetail>> {
        each!(self.run_detail(member_id, id))
    }
    /// A failed run back in the queue now, with a fresh attempt budget and its checkpoint `reset`.
    pub async fn retry_failed(&self, member_id: String, id: i64, reset: Reset) -> Result<std::result::Result<RunSummary, NotRetried>> {
        each!(self.retry_failed(member_id, id, reset))
    }
    pub async fn counts_for(&self, member_id: String, first_hour: i64, hour: i64) -> Result<Counts> {
        each!(self.counts_for(member_id, first_hour, hour))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_is_postgres_and_anything_else_a_file() {
        assert!(matches!(Target::parse("postgres://u@h/db"), Target::Postgres(_)));
        assert!(matches!(Target::parse("PostgreSQL://u@h/db"), Target::Postgres(_)));
        assert_eq!(Target::parse("runs.sqlite"), Target::Sqlite("runs.sqlite".into()));
        assert_eq!(Target::parse("/var/lib/postgres.db"), Target::Sqlite("/var/lib/postgres.db".into()));
    }

    #[test]
    fn a_password_is_never_shown() {
        let shown = Target::parse("postgres://rk:s3cret@db.example:5432/rulekit?password=other").shown();
        assert_eq!(shown, "postgres://rk:***@db.example:5432/rulekit");
        assert!(!format!("{:?}", Target::parse("postgresql://a:b@c/d")).contains(":b@"));
        assert_eq!(redact("postgres://rk@h/db"), "postgres://rk@h/db");
        assert_eq!(redact("postgres://h"), "postgres://h");
        assert_eq!(redact("postgres://rk:pa/ss?x@db:5432/rulekit?sslmode=require"), "postgres://rk:***@db:5432/rulekit");
        assert_eq!(redact("postgres://rk:a:b@db/x"), "postgres://rk:***@db/x");
    }
}
