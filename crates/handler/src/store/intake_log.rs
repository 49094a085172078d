//! The SQLite store's intake log: where a run waits, on disk, between its 2xx and its first
//! attempt.
//!
//! A run is acknowledged once it is appended here and `fdatasync`ed with the others of its group.
//! Its row in the database, with the indexes the runs API reads, is written when a worker claims
//! it, in the transaction that marks it running. So the intake pays for one append, not for a
//! B-tree insert into every index; a run is still on disk before its 2xx, and SIGKILL loses
//! nothing: at start-up the log is read again, and every run it holds that the database has not
//! got waits again.
//!
//! The log is a row of segment files beside the database (`<db>-intake.<n>`). A segment whose runs
//! are all in the database is deleted. A record is `[length u32][crc32 u32][payload]`; a record
//! cut short by a crash (never acknowledged, since its group's sync had not returned) fails its
//! check, and the segment is cut back to the records before it.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// A run as the intake took it.
#[derive(Clone, Debug, PartialEq)]
pub struct Received {
    pub id: i64,
    pub created_at: i64,
    pub member_id: String,
    pub event_token: String,
    pub code: String,
    pub document: String,
    /// `StoredRun::intake_text`.
    pub request: String,
}

/// A segment is closed and a new one started past this size.
const SEGMENT_BYTES: u64 = 8 << 20;

/// The largest record the log reads back: more than the handler's body limit can make.
const RECORD_MAX: usize = 64 << 20;

pub struct IntakeLog {
    base: PathBuf,
    active: File,
    active_no: u64,
    active_len: u64,
    /// Runs still waiting, per segment.
    waiting: BTreeMap<u64, usize>,
}

fn segment_path(base: &Path, no: u64) -> PathBuf {
    let mut name = base.as_os_str().to_owned();
    name.push(format!("-intake.{no}"));
    PathBuf::from(name)
}

/// The directory `base` is in (`.` for a bare file name).
fn dir_of(base: &Path) -> PathBuf {
    match base.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The segments beside `base`, oldest first. Only names this log writes count (`…-intake.12`, not
/// `…-intake.012` or `…-intake.+12`), and none so high that the next number would not fit.
fn segments(base: &Path) -> io::Result<Vec<u64>> {
    let prefix = format!("{}-intake.", base.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
    let number = |name: &str| -> Option<u64> {
        let digits = name.strip_prefix(&prefix)?;
        let n: u64 = digits.parse().ok()?;
        (n.to_string() == digits && n < u64::MAX / 2).then_some(n)
    };
    let mut found: Vec<u64> = std::fs::read_dir(dir_of(base))?.filter_map(|e| e.ok()).filter_map(|e| number(e.file_name().to_str()?)).collect();
    found.sort_unstable();
    Ok(found)
}

fn put(out: &mut Vec<u8>, text: &str) {
    out.extend_from_slice(&(text.len() as u32).to_le_bytes());
    out.extend_from_slice(text.as_bytes());
}

/// Appends one run's record to `out`.
pub fn encode(run: &Received, out: &mut Vec<u8>) {
    let start = out.len();
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&run.id.to_le_bytes());
    out.extend_from_slice(&run.created_at.to_le_bytes());
    for text in [&run.member_id, &run.event_token, &run.code, &run.document, &run.request] {
        put(out, text);
    }
    let payload = &out[start + 8..];
    let (len, crc) = (payload.len() as u32, crc32fast::hash(payload));
    out[start..start + 4].copy_from_slice(&len.to_le_bytes());
    out[start + 4..start + 8].copy_from_slice(&crc.to_le_bytes());
}

/// The payload's run; `None` when it does not read as one.
fn decode(mut p: &[u8]) -> Option<Received> {
    let mut int = || -> Option<i64> {
        let (head, rest) = p.split_first_chunk::<8>()?;
        p = rest;
        Some(i64::from_le_bytes(*head))
    };
    let (id, created_at) = (int()?, int()?);
    let mut text = || -> Option<String> {
        let (len, rest) = p.split_first_chunk::<4>()?;
        let len = u32::from_le_bytes(*len) as usize;
        let bytes = rest.get(..len)?;
        p = &rest[len..];
        String::from_utf8(bytes.to_vec()).ok()
    };
    let run = Received { id, created_at, member_id: text()?, event_token: text()?, code: text()?, document: text()?, request: text()? };
    p.is_empty().then_some(run)
}

/// The whole records at the start of `bytes`, and how many bytes they take.
pub fn read_records(bytes: &[u8]) -> (Vec<Received>, usize) {
    let (mut runs, mut at) = (Vec::new(), 0);
    while let Some(head) = bytes.get(at..at + 8) {
        let len = u32::from_le_bytes(head[..4].try_into().unwrap_or_default()) as usize;
        let crc = u32::from_le_bytes(head[4..].try_into().unwrap_or_default());
        let Some(payload) = bytes.get(at + 8..at + 8 + len).filter(|_| len <= RECORD_MAX) else { break };
        if crc32fast::hash(payload) != crc {
            break;
        }
        let Some(run) = decode(payload) else { break };
        runs.push(run);
        at += 8 + len;
    }
    (runs, at)
}

fn read_segment(path: &Path) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    File::open(path)?.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Every run the log beside `base` holds, without changing it (`rulekit-handler jobs`, beside a
/// running handler): a record being written as this reads is left out.
pub fn read_all(base: &Path) -> io::Result<Vec<Received>> {
    let mut runs = Vec::new();
    for no in segments(base)? {
        match read_segment(&segment_path(base, no)) {
            Ok(bytes) => runs.extend(read_records(&bytes).0),
            // Deleted by the handler since it was listed: its runs are in the database.
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(runs)
}

/// A new segment's name must survive a power loss as its records do.
fn sync_dir(base: &Path) -> io::Result<()> {
    File::open(dir_of(base))?.sync_all()
}

impl IntakeLog {
    /// Opens the log beside `base` for appending, and gives back every run it holds, with its
    /// segment, oldest first. A record cut short at a segment's end is cut off.
    pub fn open(base: &Path) -> io::Result<(IntakeLog, Vec<(u64, Received)>)> {
        let mut runs = Vec::new();
        let found = segments(base)?;
        for no in &found {
            let path = segment_path(base, *no);
            let bytes = read_segment(&path)?;
            let (records, whole) = read_records(&bytes);
            if whole < bytes.len() {
                let file = OpenOptions::new().write(true).open(&path)?;
                file.set_len(whole as u64)?;
                file.sync_all()?;
            }
            runs.extend(records.into_iter().map(|r| (*no, r)));
        }
        // Appends go to a new segment: the last one may have been cut back.
        let active_no = found.last().map_or(1, |n| n + 1);
        let active = Self::create(base, active_no)?;
        let log = IntakeLog { base: base.to_path_buf(), active, active_no, active_len: 0, waiting: BTreeMap::new() };
        Ok((log, runs))
    }

    fn create(base: &Path, no: u64) -> io::Result<File> {
        let file = OpenOptions::new().create(true).append(true).open(segment_path(base, no))?;
        sync_dir(base)?;
        Ok(file)
    }

    /// Counts a run read back at start-up that is still waiting in segment `no`.
    pub fn still_waiting(&mut self, no: u64) {
        *self.waiting.entry(no).or_default() += 1;
    }

    /// Segments read back at start-up whose runs all reached the database are deleted.
    pub fn drop_done(&mut self) {
        if let Ok(found) = segments(&self.base) {
            for no in found.into_iter().filter(|no| *no != self.active_no && !self.waiting.contains_key(no)) {
                let _ = std::fs::remove_file(segment_path(&self.base, no));
            }
        }
    }

    /// Appends `records` (`encode`d, `count` runs) and syncs them: the runs are on disk when this
    /// returns. The segment they went to.
    pub fn append(&mut self, records: &[u8], count: usize) -> io::Result<u64> {
        if self.active_len >= SEGMENT_BYTES {
            let next = self.active_no + 1;
            self.active = Self::create(&self.base, next)?;
            let old = std::mem::replace(&mut self.active_no, next);
            self.active_len = 0;
            if !self.waiting.contains_key(&old) {
                let _ = std::fs::remove_file(segment_path(&self.base, old));
            }
        }
        let written = self.active.write_all(records).and_then(|()| self.active.sync_data());
        if let Err(e) = written {
            // What was written is not acknowledged; cut it off, so that it is not read back, and
            // go on in a new segment: should the cut fail too, no acknowledged run lands after
            // bytes that would stop the reading.
            let _ = self.active.set_len(self.active_len);
            self.active_len = SEGMENT_BYTES;
            return Err(e);
        }
        self.active_len += records.len() as u64;
        *self.waiting.entry(self.active_no).or_default() += count;
        Ok(self.active_no)
    }

    /// A run of segment `no` is in the database now: once none of the segment's are waiting and
    /// it is not the one appended to, it is deleted.
    pub fn moved(&mut self, no: u64) {
        let Some(left) = self.waiting.get_mut(&no) else { return };
        *left = left.saturating_sub(1);
        if *left == 0 {
            self.waiting.remove(&no);
            if no != self.active_no {
                let _ = std::fs::remove_file(segment_path(&self.base, no));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(id: i64) -> Received {
        Received {
            id,
            created_at: 1_700_000_000_000 + id,
            member_id: "m".into(),
            event_token: format!("t{id}"),
            code: "rulekit_invoice".into(),
            document: "DEAL_1".into(),
            request: "workflow_id=w&code=rulekit_invoice&é=ü".into(),
        }
    }

    fn base(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("rulekit-intake-log-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("handler.sqlite")
    }

    fn append(log: &mut IntakeLog, runs: &[Received]) -> u64 {
        let mut bytes = Vec::new();
        runs.iter().for_each(|r| encode(r, &mut bytes));
        log.append(&bytes, runs.len()).unwrap()
    }

    #[test]
    fn runs_appended_are_read_back_in_order_after_a_restart() {
        let base = base("order");
        let (mut log, none) = IntakeLog::open(&base).unwrap();
        assert!(none.is_empty());
        let segment = append(&mut log, &[run(1), run(2)]);
        append(&mut log, &[run(3)]);
        drop(log);
        let (_, back) = IntakeLog::open(&base).unwrap();
        assert_eq!(back, vec![(segment, run(1)), (segment, run(2)), (segment, run(3))]);
        assert_eq!(read_all(&base).unwrap(), vec![run(1), run(2), run(3)]);
    }

    #[test]
    fn a_record_cut_short_or_damaged_is_dropped_with_what_follows_it() {
        let base = base("torn");
        let (mut log, _) = IntakeLog::open(&base).unwrap();
        let segment = append(&mut log, &[run(1), run(2)]);
        drop(log);
        let path = segment_path(&base, segment);
        let whole = std::fs::read(&path).unwrap();
        let first = {
            let mut one = Vec::new();
            encode(&run(1), &mut one);
            one.len()
        };
        // Cut inside the second record: a crash during its group's write.
        std::fs::write(&path, &whole[..whole.len() - 5]).unwrap();
        let (mut log, back) = IntakeLog::open(&base).unwrap();
        assert_eq!(back, vec![(segment, run(1))]);
        assert_eq!(std::fs::metadata(&path).unwrap().len(), first as u64, "the torn tail is cut off");
        // The log goes on after it, in a new segment.
        let next = append(&mut log, &[run(3)]);
        assert!(next > segment);
        drop(log);
        let (_, back) = IntakeLog::open(&base).unwrap();
        assert_eq!(back.into_iter().map(|(_, r)| r.id).collect::<Vec<_>>(), [1, 3]);

        // A flipped byte fails the check.
        let mut damaged = whole.clone();
        damaged[first + 20] ^= 1;
        assert_eq!(read_records(&damaged).0, vec![run(1)]);
        assert_eq!(read_records(&[]).0, vec![]);
        assert_eq!(read_records(&[255; 12]).0, vec![], "a length past the end reads nothing");
    }

    #[test]
    fn a_segment_is_deleted_once_its_runs_have_moved_and_it_is_no_longer_appended_to() {
        let base = base("gc");
        let (mut log, _) = IntakeLog::open(&base).unwrap();
        let first = append(&mut log, &[run(1), run(2)]);
        log.moved(first);
        log.moved(first);
        assert!(segment_path(&base, first).exists(), "still the segment appended to");
        // Past the size, the next append starts a new segment, and the empty one goes.
        log.active_len = SEGMENT_BYTES;
        let second = append(&mut log, &[run(3)]);
        assert_ne!(first, second);
        assert!(!segment_path(&base, first).exists());
        log.active_len = SEGMENT_BYTES;
        let third = append(&mut log, &[run(4)]);
        assert!(segment_path(&base, second).exists(), "run 3 still waits in it");
        log.moved(second);
        assert!(!segment_path(&base, second).exists());
        drop(log);
        let (mut log, back) = IntakeLog::open(&base).unwrap();
        assert_eq!(back, vec![(third, run(4))]);
        // At start-up, segments with nothing waiting are deleted once the store has checked them.
        log.drop_done();
        assert!(!segment_path(&base, third).exists());
        assert_eq!(segments(&base).unwrap(), vec![third + 1]);
    }

    #[test]
    fn only_names_the_log_writes_are_its_segments() {
        let base = base("names");
        let dir = base.parent().unwrap();
        for name in ["handler.sqlite-intake.3", "handler.sqlite-intake.03", "handler.sqlite-intake.+4", "handler.sqlite-intake.x"] {
            std::fs::write(dir.join(name), b"").unwrap();
        }
        std::fs::write(dir.join(format!("handler.sqlite-intake.{}", u64::MAX)), b"").unwrap();
        std::fs::write(dir.join("other.sqlite-intake.5"), b"").unwrap();
        assert_eq!(segments(&base).unwrap(), vec![3]);
        let (log, _) = IntakeLog::open(&base).unwrap();
        assert_eq!(log.active_no, 4);
    }
}
