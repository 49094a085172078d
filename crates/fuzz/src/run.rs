//! The run: starts the worker, reads what it says, and keeps a tally per target. A call that
//! outlives several times its budget is stopped (the worker killed, and started again at the next
//! input), so one quadratic input costs seconds, not minutes. A failing input is made again from
//! its number and saved as `<target>-<hash>.bin`.

use crate::check::budget;
use crate::rng::fnv;
use crate::targets::Target;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

pub struct Plan {
    pub targets: Vec<&'static Target>,
    pub seed: u64,
    /// Stop after this long or after this many inputs, whichever comes first.
    pub secs: Option<f64>,
    pub inputs: Option<u64>,
    pub per_64k: Duration,
    pub out: PathBuf,
}

#[derive(Clone, Default)]
struct Tally {
    inputs: u64,
    panics: u64,
    over_budget: u64,
    slowest: Duration,
    slowest_len: usize,
    /// Making and running this target's inputs, for its inputs per second.
    busy: Duration,
}

/// A bug hit a thousand times is saved this many times, not a thousand.
const SAVED_PER_KIND: usize = 3;

struct Run<'p> {
    plan: &'p Plan,
    tallies: Vec<Tally>,
    kinds: HashMap<String, usize>,
    failures: u64,
}

/// The worker as it runs: its lines, the last lines it wrote to stderr, and the input it is on.
struct Worker {
    child: Child,
    lines: Receiver<String>,
    stderr: JoinHandle<String>,
    /// Input number, its length, and when its call started.
    current: Option<(u64, usize, Instant)>,
}

impl Worker {
    fn start(plan: &Plan, from: u64) -> Result<Worker, String> {
        let names: Vec<&str> = plan.targets.iter().map(|t| t.name).collect();
        let mut child = Command::new(std::env::current_exe().map_err(|e| e.to_string())?)
            .args(["--worker", "--targets", &names.join(","), "--seed", &plan.seed.to_string(), "--from", &from.to_string()])
            .args(["--to", &plan.inputs.unwrap_or(u64::MAX).to_string(), "--budget-ms", &plan.per_64k.as_millis().to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start the worker: {e}"))?;
        let (stdout, mut stderr) = (child.stdout.take().ok_or("no stdout")?, child.stderr.take().ok_or("no stderr")?);
        let (send, lines) = channel();
        thread::spawn(move || BufReader::new(stdout).lines().map_while(Result::ok).try_for_each(|l| send.send(l)));
        let stderr = thread::spawn(move || {
            let mut all = String::new();
            let _ = stderr.read_to_string(&mut all);
            all.lines().rev().take(2).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join(" / ")
        });
        Ok(Worker { child, lines, stderr, current: None })
    }

    /// Stops the worker (if it still runs) and returns how it ended and its last words.
    fn end(mut self) -> String {
        let _ = self.child.kill();
        let status = self.child.wait().map(|s| s.to_string()).unwrap_or_default();
        format!("{} ({status})", self.stderr.join().unwrap_or_default())
    }
}

pub fn run(plan: &Plan) -> Result<bool, String> {
    let began = Instant::now();
    let deadline = plan.secs.map(|s| began + Duration::from_secs_f64(s));
    let end = plan.inputs.unwrap_or(u64::MAX);
    let mut run = Run { plan, tallies: vec![Tally::default(); plan.targets.len()], kinds: HashMap::new(), failures: 0 };
    let mut next = 0;
    'workers: while next < end && deadline.is_none_or(|d| Instant::now() < d) {
        let mut worker = Worker::start(plan, next)?;
        loop {
            if deadline.is_some_and(|d| Instant::now() >= d) {
                // A call already over its budget when the time is up still counts.
                if let Some((n, len, at)) = worker.current.filter(|(_, len, at)| at.elapsed() > budget(*len, plan.per_64k)) {
                    run.finished(n, len, at.elapsed(), Some(("over budget", "stopped".into())));
                }
                worker.end();
                break 'workers;
            }
            match worker.lines.recv_timeout(Duration::from_millis(20)) {
                Ok(line) => {
                    if let Some(n) = run.line(&line, &mut worker.current)? {
                        next = n + 1;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    // Stopped at four times its budget: over it whatever the machine's load.
                    let Some((n, len, at)) = worker.current else { continue };
                    if at.elapsed() > budget(len, plan.per_64k) * 4 {
                        let spent = at.elapsed();
                        worker.end();
                        run.finished(n, len, spent, Some(("over budget", "stopped".into())));
                        next = n + 1;
                        continue 'workers;
                    }
                }
                Err(RecvTimeoutError::Disconnected) => {
                    let current = worker.current;
                    let words = worker.end();
                    match current {
                        // The process went down with the input: a stack overflow, an abort.
                        // Its time is the process's going down, not a call's: not counted.
                        Some((n, len, _)) => run.finished(n, len, Duration::ZERO, Some(("crash", words))),
                        None if next >= end => {}
                        None => return Err(format!("the worker stopped between inputs: {words}")),
                    }
                    next = current.map_or(next, |(n, ..)| n + 1);
                    continue 'workers;
                }
            }
        }
    }
    run.report(began.elapsed());
    Ok(run.failures == 0)
}

impl Run<'_> {
    /// Reads one line of the worker's; returns the number of an input it finished.
    fn line(&mut self, line: &str, current: &mut Option<(u64, usize, Instant)>) -> Result<Option<u64>, String> {
        let bad = || format!("the worker said {line:?}");
        if let Some(rest) = line.strip_prefix("> ") {
            let (n, len) = rest.split_once(' ').ok_or_else(bad)?;
            *current = Some((n.parse().map_err(|_| bad())?, len.parse().map_err(|_| bad())?, Instant::now()));
            return Ok(None);
        }
        let mut parts = line.strip_prefix("< ").ok_or_else(bad)?.splitn(4, ' ');
        let mut number = || parts.next().and_then(|p| p.parse::<u64>().ok()).ok_or_else(bad);
        let (n, made, call) = (number()?, number()?, number()?);
        let verdict = parts.next().unwrap_or("");
        let len = current.take().map_or(0, |(_, len, _)| len);
        let call = Duration::from_micros(call);
        self.tally(n).busy += Duration::from_micros(made);
        let failure = match verdict.split_once(' ').unwrap_or((verdict, "")) {
            ("slow", _) => Some(("over budget", String::new())),
            ("panic", message) => Some(("panic", message.to_string())),
            _ => None,
        };
        self.finished(n, len, call, failure);
        Ok(Some(n))
    }

    fn tally(&mut self, n: u64) -> &mut Tally {
        let count = self.tallies.len() as u64;
        &mut self.tallies[(n % count) as usize]
    }

    /// Counts a call of input `n` that ended, and saves the input when it failed.
    fn finished(&mut self, n: u64, len: usize, call: Duration, failure: Option<(&str, String)>) {
        let tally = self.tally(n);
        tally.inputs += 1;
        tally.busy += call;
        if call > tally.slowest {
            (tally.slowest, tally.slowest_len) = (call, len);
        }
        let Some((kind, detail)) = failure else { return };
        if kind == "over budget" { tally.over_budget += 1 } else { tally.panics += 1 }
        self.failures += 1;
        let count = self.plan.targets.len() as u64;
        let target = self.plan.targets[(n % count) as usize];
        // One kind: the target, what happened, and the message without its numbers.
        let shape: String = detail.chars().filter(|c| !c.is_ascii_digit()).collect();
        let seen = self.kinds.entry(format!("{} {kind} {shape}", target.name)).or_default();
        *seen += 1;
        if *seen > SAVED_PER_KIND {
            return;
        }
        let input = target.input(self.plan.seed, n / count);
        let path = self.plan.out.join(format!("{}-{:016x}.bin", target.name, fnv(&input)));
        let saved = std::fs::create_dir_all(&self.plan.out).and_then(|()| std::fs::write(&path, &input));
        let detail = if detail.is_empty() { detail } else { format!(": {detail}") };
        let whereto = saved.map_or_else(|e| format!("not saved: {e}"), |()| shown(&path));
        println!("{} {kind}{detail}\n    {:.1} ms, {len} B, input {n} → {whereto}", target.name, ms(call));
    }

    fn report(&self, wall: Duration) {
        let total: u64 = self.tallies.iter().map(|t| t.inputs).sum();
        println!("\nfuzz: seed {}, {:.1} s, {total} inputs ({:.0}/s)", self.plan.seed, wall.as_secs_f64(), total as f64 / wall.as_secs_f64());
        println!("{:<11} {:>9} {:>9} {:>7} {:>12}  slowest call", "target", "inputs", "inputs/s", "panics", "over budget");
        for (target, t) in self.plan.targets.iter().zip(&self.tallies) {
            let rate = t.inputs as f64 / t.busy.as_secs_f64().max(1e-9);
            println!("{:<11} {:>9} {rate:>9.0} {:>7} {:>12}  {:.1} ms ({} B)", target.name, t.inputs, t.panics, t.over_budget, ms(t.slowest), t.slowest_len);
        }
        match self.failures {
            0 => println!("fuzz: no failures"),
            n => println!("fuzz: {n} failing inputs; up to {SAVED_PER_KIND} of each kind saved in {}", shown(&self.plan.out)),
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A path as the folder the run was started in sees it.
fn shown(path: &Path) -> String {
    let here = std::env::current_dir().unwrap_or_default();
    path.strip_prefix(&here).unwrap_or(path).display().to_string()
}
