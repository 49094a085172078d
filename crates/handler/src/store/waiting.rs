//! The runs that wait in the intake log (`intake_log`) for their first attempt, as the SQLite
//! store's thread keeps them: in memory, in the order they came, each with the segment it is in.
//!
//! Everything the store answers counts them: a new run's event token is checked against them and
//! against the database; a claim takes the oldest of them (before any retry that is due, as a new
//! row's `next_at` of 0 did), writing its row as it marks it running; the runs API, `jobs` and the
//! counts list them as pending.

use super::intake_log::{self, IntakeLog, Received};
use super::runs::{RunDetail, RunFilter, RunSummary};
use super::{Job, StoreError};
use crate::journal::log_step;
use crate::record::StoredRun;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::json;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use tokio::sync::oneshot;

/// The most bytes of runs kept waiting in memory. Past it, a new run is written into the database
/// at once, as before the log: a burst is taken at the log's cost, and a backlog that outgrows it
/// costs what it did, not the handler's memory.
pub const WAITING_BYTES: usize = 64 << 20;

pub struct Waiting {
    /// `None` for a store opened to read: it appends nothing.
    log: Option<IntakeLog>,
    runs: BTreeMap<i64, (u64, Received)>,
    /// What the waiting runs take in memory (`weight`), staged ones included.
    bytes: usize,
    /// Each waiting (or staged) run's id by its portal and event token.
    tokens: HashMap<(String, String), i64>,
    next_id: i64,
    /// This batch's new runs, appended and synced together once the batch is applied.
    staged: Vec<Received>,
    /// Every intake answer of the batch, new or repeated, goes out after the sync: a repeat of a
    /// run staged in the same batch is only "already accepted" once that run is on disk.
    replies: Vec<(Reply, bool)>,
    /// Runs that this batch's claims wrote into the database: out of `runs` at once, so that no
    /// read of the batch sees one twice; forgotten once it commits, back in `runs` if it does not.
    moved: Vec<(u64, Received)>,
}

type Reply = oneshot::Sender<super::Result<bool>>;

/// About what a waiting run takes in memory: its texts, its token's second copy in `tokens`, and
/// the maps' own share.
fn weight(r: &Received) -> usize {
    r.request.len() + r.code.len() + r.document.len() + 2 * (r.member_id.len() + r.event_token.len()) + 128
}

fn token_in_database(conn: &Connection, member_id: &str, event_token: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT 1 FROM jobs WHERE member_id = ?1 AND event_token = ?2")?.exists(params![member_id, event_token])
}

impl Waiting {
    /// The runs the log beside `db` holds that the database has not got. A store opened to serve
    /// (`writable`) takes the log over: it cuts off a torn tail and deletes segments with nothing
    /// left waiting.
    pub fn load(conn: &Connection, db: &Path, writable: bool) -> super::Result<Waiting> {
        let failed = |e: std::io::Error| StoreError::IntakeLog(e.to_string());
        let (mut log, records) = if writable {
            let (log, records) = IntakeLog::open(db).map_err(failed)?;
            (Some(log), records)
        } else {
            (None, intake_log::read_all(db).map_err(failed)?.into_iter().map(|r| (0, r)).collect())
        };
        let mut waiting = Waiting {
            log: None,
            runs: BTreeMap::new(),
            bytes: 0,
            tokens: HashMap::new(),
            next_id: 1,
            staged: Vec::new(),
            replies: Vec::new(),
            moved: Vec::new(),
        };
        // Ids are never given twice: past the database's highest ever (AUTOINCREMENT keeps it) and
        // past every id in the log.
        let highest: Option<i64> = conn.query_row("SELECT seq FROM sqlite_sequence WHERE name = 'jobs'", [], |r| r.get(0)).optional()?;
        let highest_row: Option<i64> = conn.query_row("SELECT MAX(id) FROM jobs", [], |r| r.get(0))?;
        let highest_logged = records.iter().map(|(_, r)| r.id).max();
        waiting.next_id = [highest, highest_row, highest_logged].into_iter().flatten().max().unwrap_or(0) + 1;
        let mut id_taken = conn.prepare("SELECT 1 FROM jobs WHERE id = ?1")?;
        for (segment, mut run) in records {
            let key = (run.member_id.clone(), run.event_token.clone());
            // Claimed before the stop (its row is written under its token), or a repeat.
            if waiting.tokens.contains_key(&key) || token_in_database(conn, &key.0, &key.1)? {
                continue;
            }
            if let Some(log) = &mut log {
                log.still_waiting(segment);
            }
            waiting.bytes += weight(&run);
            // An id a row of another run took (written by something other than this store).
            if id_taken.exists(params![run.id])? || waiting.runs.contains_key(&run.id) {
                run.id = waiting.next_id;
                waiting.next_id += 1;
            }
            waiting.tokens.insert(key, run.id);
            waiting.runs.insert(run.id, (segment, run));
        }
        if let Some(log) = &mut log {
            log.drop_done();
        }
        waiting.log = log;
        Ok(waiting)
    }

    /// Takes a new run into this batch; its answer goes out with `flush`. A run that would take the
    /// waiting runs past `WAITING_BYTES` is given back with its id, for the database.
    pub fn admit(&mut self, conn: &Connection, run: Received, reply: Reply) -> Option<(Received, Reply)> {
        if self.log.is_none() {
            let _ = reply.send(Err(StoreError::IntakeLog("the store is open to read only".into())));
            return None;
        }
        let key = (run.member_id, run.event_token);
        let new = match self.tokens.contains_key(&key) {
            true => Ok(false),
            false => token_in_database(conn, &key.0, &key.1).map(|taken| !taken),
        };
        match new {
            Ok(true) => {
                let run = Received { id: self.next_id, member_id: key.0.clone(), event_token: key.1.clone(), ..run };
                self.next_id += 1;
                let weight = weight(&run);
                if self.bytes + weight > WAITING_BYTES {
                    return Some((run, reply));
                }
                self.bytes += weight;
                self.tokens.insert(key, run.id);
                self.staged.push(run);
                self.replies.push((reply, true));
            }
            Ok(false) => self.replies.push((reply, false)),
            Err(e) => {
                let _ = reply.send(Err(e.into()));
            }
        }
        None
    }

    /// Appends and syncs the batch's new runs, then answers every run of the batch: once they are
    /// on disk, or with the error that kept them off it. If the batch's transaction did not commit,
    /// nothing is appended and every answer is that error: a repeat may have been told apart by a
    /// row that the transaction was to write.
    pub fn flush(&mut self, committed: bool) {
        let staged = std::mem::take(&mut self.staged);
        let written = match (&mut self.log, staged.is_empty()) {
            _ if !committed => Err(std::io::Error::other("the batch's transaction did not commit")),
            (_, true) => Ok(0),
            (Some(log), false) => {
                let mut records = Vec::new();
                staged.iter().for_each(|run| intake_log::encode(run, &mut records));
                log.append(&records, staged.len())
            }
            (None, false) => Err(std::io::Error::other("the store is open to read only")),
        };
        match written {
            Ok(segment) => {
                for run in staged {
                    self.runs.insert(run.id, (segment, run));
                }
                for (reply, new) in self.replies.drain(..) {
                    let _ = reply.send(Ok(new));
                }
            }
            Err(e) => {
                for run in staged {
                    self.bytes -= weight(&run);
                    self.tokens.remove(&(run.member_id, run.event_token));
                }
                for (reply, _) in self.replies.drain(..) {
                    let _ = reply.send(Err(StoreError::IntakeLog(e.to_string())));
                }
            }
        }
    }

    /// The oldest waiting run, if it comes before a queued row due at `(next_at, id)`: its row is
    /// written, running, with its first step, and the job given. All of that or none of it: a row
    /// without its run taken out of `runs` would be claimed again and again.
    pub fn claim(&mut self, conn: &Connection, due: Option<(i64, i64)>, t: i64) -> rusqlite::Result<Option<Job>> {
        let Some((_, (_, run))) = self.runs.first_key_value() else { return Ok(None) };
        if due.is_some_and(|due| due < (0, run.id)) {
            return Ok(None);
        }
        conn.execute_batch("SAVEPOINT claim")?;
        let written = conn
            .prepare_cached(
                "INSERT INTO jobs (id, member_id, event_token, code, request, state, created_at, updated_at, document)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'running', ?6, ?7, ?8)",
            )
            .and_then(|mut insert| insert.execute(params![run.id, run.member_id, run.event_token, run.code, run.request, run.created_at, t, run.document]))
            .and_then(|_| log_step(conn, run.id, t, "attempt", "Attempt 1 started."));
        let end = if written.is_ok() { "RELEASE claim" } else { "ROLLBACK TO claim; RELEASE claim" };
        conn.execute_batch(end).and(written)?;
        let Some((_, moved)) = self.runs.pop_first() else { return Ok(None) };
        let job = Self::job(&moved.1, "running");
        self.moved.push(moved);
        Ok(Some(job))
    }

    /// A run from the log as a job never tried.
    fn job(r: &Received, state: &str) -> Job {
        Job {
            id: r.id,
            event_token: r.event_token.clone(),
            code: r.code.clone(),
            request: StoredRun::read_text(&r.request),
            checkpoint: json!({}),
            attempts: 0,
            state: state.into(),
            last_error: None,
            claim: 0,
        }
    }

    /// After the batch's commit: the runs its claims wrote are forgotten here (and their segments
    /// deleted once empty); if it did not commit, they wait on.
    pub fn settle(&mut self, committed: bool) {
        for (segment, run) in self.moved.drain(..) {
            if !committed {
                self.runs.insert(run.id, (segment, run));
                continue;
            }
            self.bytes -= weight(&run);
            self.tokens.remove(&(run.member_id, run.event_token));
            if let Some(log) = &mut self.log {
                log.moved(segment);
            }
        }
    }

    pub fn len(&self) -> usize {
        self.runs.len()
    }

    /// The waiting runs as jobs (`rulekit-handler jobs`), queued and never tried.
    pub fn jobs(&self) -> impl Iterator<Item = Job> + '_ {
        self.runs.values().map(|(_, r)| Self::job(r, "queued"))
    }

    fn summary(r: &Received) -> RunSummary {
        RunSummary::new(r.id, r.code.clone(), Some(r.document.clone()), "queued", 0, r.created_at, r.created_at, None)
    }

    /// A portal's waiting runs that `filter` asks for, newest first, `limit + 1` at most.
    pub fn list(&self, member_id: &str, filter: &RunFilter) -> Vec<RunSummary> {
        let asked = |r: &&Received| r.member_id == member_id && filter.admits_pending(r.id, &r.code, &r.document, r.created_at);
        self.runs.values().rev().map(|(_, r)| r).filter(asked).take(filter.limit.max(0) as usize + 1).map(Self::summary).collect()
    }

    /// A waiting run of the portal, in full.
    pub fn detail(&self, member_id: &str, id: i64) -> Option<RunDetail> {
        let (_, r) = self.runs.get(&id).filter(|(_, r)| r.member_id == member_id)?;
        Some(RunDetail { summary: Self::summary(r), request: r.request.clone(), returned: None, next_at: 0, steps: Vec::new() })
    }

    /// A portal's waiting runs by code.
    pub fn count_by_code(&self, member_id: &str) -> BTreeMap<&str, i64> {
        let mut counts = BTreeMap::new();
        for (_, r) in self.runs.values().filter(|(_, r)| r.member_id == member_id) {
            *counts.entry(r.code.as_str()).or_default() += 1;
        }
        counts
    }
}
