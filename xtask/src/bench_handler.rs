//! The handler's figures: rule runs acknowledged per second on one core with durability on
//! (every 2xx after its run is on disk: appended to SQLite's intake log and `fdatasync`ed, or
//! committed to PostgreSQL with `synchronous_commit=on`), p50 and p99
//! latency, and the peak resident memory.

use crate::bench::{percentile, pinned, wait_until, Stopped};
use std::process::{Command, Stdio};

const CONCURRENCY: usize = 64;
const RUNS: usize = 20_000;
const WARMUP: usize = 1_000;
const ROUNDS: usize = 3;

/// One round's cases, the bare endpoint first.
type Round = Vec<(&'static str, Figures)>;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    percentile(&v, 0.5)
}

/// Peak resident set of a process, in kB.
fn peak_rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|l| l.strip_prefix("VmHWM:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// `binary` on core 0 when taskset is there (the load generator is on core 1).
fn on_core_0(binary: &std::path::Path, pinned: bool) -> Command {
    let mut c = if pinned { Command::new("taskset") } else { Command::new(binary) };
    if pinned {
        c.args(["-c", "0"]).arg(binary);
    }
    c.env("RUST_LOG", "warn").stdout(Stdio::null()).stderr(Stdio::null());
    c
}

/// Starts a server and waits for its `/healthz`.
fn serve(mut command: Command, port: u16) -> Result<Stopped, String> {
    let child = Stopped(command.spawn().map_err(|e| format!("cannot start {:?}: {e}", command.get_program()))?);
    wait_until(([127, 0, 0, 1], port).into(), "/healthz", &format!("server {:?}", command.get_program()))?;
    Ok(child)
}

/// One case's figures: runs a second, p50 and p99 in ms, peak RSS of its processes in MB, their
/// CPU time per run in µs, the database server's, and the share of core 0's time spent waiting on
/// the disk.
struct Figures {
    per_second: f64,
    p50: f64,
    p99: f64,
    rss_mb: Option<f64>,
    cpu_us: Option<f64>,
    db_cpu_us: Option<f64>,
    iowait: Option<f64>,
}

/// CPU time a process has used, in clock ticks (utime + stime of `/proc/PID/stat`).
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The fields after the command's name, which may hold spaces, start at its last `)`.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

/// CPU time a database server has used, in clock ticks: its own and its backends' (its children).
fn tree_ticks(server: u32) -> Option<u64> {
    let mut ticks = cpu_ticks(server)?;
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else { continue };
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let parent = stat.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse::<u32>().ok());
        if parent == Some(server) {
            ticks += cpu_ticks(pid).unwrap_or(0);
        }
    }
    Some(ticks)
}

/// Core 0's time so far by kind (`/proc/stat`: user, nice, system, idle, iowait, …), in ticks.
fn core_0_ticks() -> Option<Vec<u64>> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let line = stat.lines().find(|l| l.starts_with("cpu0 "))?;
    line.split_whitespace().skip(1).map(|n| n.parse().ok()).collect()
}

/// Clock ticks a second (`USER_HZ`), which `/proc` counts in.
const TICKS_PER_SECOND: f64 = 100.0;

/// Runs the release-built load generator on core 1 against `urls`: a debug-built one in this
/// process would be slower than the servers it measures.
fn measure(load: &std::path::Path, pinned: bool, urls: &[String], template: &std::path::Path, processes: &[Stopped], db_server: Option<u32>) -> Result<Figures, String> {
    let mut c = if pinned { Command::new("taskset") } else { Command::new(load) };
    if pinned {
        c.args(["-c", "1"]).arg(load);
    }
    c.args([CONCURRENCY.to_string(), WARMUP.to_string(), RUNS.to_string()]).arg(template).args(urls);
    let ticks = |ps: &[Stopped]| ps.iter().map(|p| cpu_ticks(p.0.id())).sum::<Option<u64>>();
    let db_ticks = || db_server.and_then(tree_ticks);
    let (cpu_before, db_before, core_before) = (ticks(processes), db_ticks(), core_0_ticks());
    let out = c.output().map_err(|e| format!("cannot start the load generator: {e}"))?;
    let (cpu_after, db_after, core_after) = (ticks(processes), db_ticks(), core_0_ticks());
    // Over the warm-up and the measured runs both, as they ran in one go.
    let per_run = |b: u64, a: u64| a.saturating_sub(b) as f64 / TICKS_PER_SECOND * 1e6 / (WARMUP + RUNS) as f64;
    let cpu_us = cpu_before.zip(cpu_after).map(|(b, a)| per_run(b, a));
    let db_cpu_us = db_before.zip(db_after).map(|(b, a)| per_run(b, a));
    let iowait = core_before.zip(core_after).and_then(|(b, a)| {
        let spent: Vec<u64> = a.iter().zip(&b).map(|(a, b)| a.saturating_sub(*b)).collect();
        let total: u64 = spent.iter().sum();
        (total > 0).then(|| *spent.get(4).unwrap_or(&0) as f64 * 100.0 / total as f64)
    });
    let text = String::from_utf8_lossy(&out.stdout);
    let numbers: Vec<f64> = text.split_whitespace().filter_map(|n| n.parse().ok()).collect();
    let [per_second, p50, p99] = numbers[..] else {
        return Err(format!("the load generator failed: {}{}", text, String::from_utf8_lossy(&out.stderr)));
    };
    // A process is a child of `taskset` only until exec: its pid is the child's.
    let rss: Option<Vec<u64>> = processes.iter().map(|p| peak_rss_kb(p.0.id())).collect();
    Ok(Figures { per_second, p50, p99, rss_mb: rss.map(|r| r.iter().sum::<u64>() as f64 / 1024.0), cpu_us, db_cpu_us, iowait })
}

const PORTAL: &str = "a223c6b3710f85df22e9377d6c4f7553=51856fefc120afa4b628cc82d3935cce@example.bitrix24.de";

/// A handler (one request thread, no workers: the bench measures taking runs) on `db`.
fn handler(binary: &std::path::Path, pinned: bool, db: &str) -> Result<(Stopped, String), String> {
    let port = crate::free_port().map_err(|e| e.to_string())?;
    let mut c = on_core_0(binary, pinned);
    c.args(["--listen", &format!("127.0.0.1:{port}"), "--threads", "1", "--workers", "0", "--portal", PORTAL, "--db", db]);
    Ok((serve(c, port)?, format!("http://127.0.0.1:{port}/run")))
}

pub async fn run() -> Result<(), String> {
    let root = crate::root();
    let mut build = crate::setup::cmd("cargo");
    build.args(["build", "--quiet", "--profile", "server", "--locked", "-p", "rulekit-handler", "--bin", "rulekit-handler", "--example", "bare_endpoint", "--example", "load"]);
    crate::setup::run(build)?;
    let binary = root.join("target/server/rulekit-handler");
    let bare = root.join("target/server/examples/bare_endpoint");
    let load = root.join("target/server/examples/load");
    let dir = std::env::temp_dir().join(format!("rulekit-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let pinned = pinned();
    let template = root.join("fixtures/execution.invoice-deal.form");
    // Every case once per round, each against the bare endpoint of its own round: this machine's
    // speed drifts between runs, so a ratio is only quoted from figures taken side by side.
    let mut rounds: Vec<Round> = Vec::new();
    let cluster = crate::pg_cluster::PgCluster::start();
    if let Err(e) = &cluster {
        println!("PostgreSQL cases skipped: {e}");
    }
    if let (Ok(cluster), true) = (&cluster, pinned) {
        // The database server shares the handlers' core: a durable run's whole cost is on it.
        if let Some(pid) = cluster.server_pid() {
            let _ = Command::new("taskset").args(["-acp", "0", &pid.to_string()]).stdout(Stdio::null()).status();
        }
    }
    for round in 0..ROUNDS {
        let mut rows: Round = Vec::new();
        let port = crate::free_port().map_err(|e| e.to_string())?;
        let mut c = on_core_0(&bare, pinned);
        c.arg(format!("127.0.0.1:{port}"));
        let p = serve(c, port)?;
        rows.push(("baseline: bare axum endpoint (body length)", measure(&load, pinned, &[format!("http://127.0.0.1:{port}/run")], &template, std::slice::from_ref(&p), None)?));
        drop(p);

        let sqlite = dir.join(format!("bench-{round}.sqlite"));
        let (p, url) = handler(&binary, pinned, &sqlite.to_string_lossy())?;
        rows.push(("SQLite, one handler (intake log, fdatasync)", measure(&load, pinned, &[url], &template, std::slice::from_ref(&p), None)?));
        drop(p);

        if let Ok(cluster) = &cluster {
            let url = cluster.create_database(&format!("one{round}"))?;
            let (p, run) = handler(&binary, pinned, &url)?;
            rows.push(("PostgreSQL, one handler (synchronous_commit=on)", measure(&load, pinned, &[run], &template, std::slice::from_ref(&p), cluster.server_pid())?));
            drop(p);
            let url = cluster.create_database(&format!("three{round}"))?;
            let mut processes = Vec::new();
            let mut urls = Vec::new();
            for _ in 0..3 {
                let (p, run) = handler(&binary, pinned, &url)?;
                processes.push(p);
                urls.push(run);
            }
            rows.push(("PostgreSQL, three handlers, one database", measure(&load, pinned, &urls, &template, &processes, cluster.server_pid())?));
        }
        rounds.push(rows);
    }

    println!("\nexecution handler: {RUNS} rule runs each, {CONCURRENCY} connections; every 2xx after its run is on disk");
    println!("  {} (the load generator on the other core)", if pinned { "servers on one core (taskset -c 0), one request thread each" } else { "taskset missing: not pinned" });
    println!("  built with the `server` profile (opt-level 3), the bare endpoint too; medians of {ROUNDS} rounds");
    println!("  {:<46} {:>9} {:>9} {:>13} {:>8} {:>8} {:>9} {:>10} {:>9} {:>8}", "case", "runs/s", "× bare", "(rounds)", "p50 ms", "p99 ms", "RSS MB", "CPU µs/run", "+ db µs", "iowait");
    for (i, (name, _)) in rounds[0].iter().enumerate() {
        let of = |f: &dyn Fn(&Round) -> f64| rounds.iter().map(f).collect::<Vec<f64>>();
        let some = |f: &dyn Fn(&Figures) -> Option<f64>| rounds.iter().map(|r| f(&r[i].1)).collect::<Option<Vec<f64>>>().map(median);
        let ratios = of(&|r| r[0].1.per_second / r[i].1.per_second);
        let range = format!("{:.2}–{:.2}", ratios.iter().cloned().fold(f64::MAX, f64::min), ratios.iter().cloned().fold(0.0, f64::max));
        let rss = rounds.iter().filter_map(|r| r[i].1.rss_mb).fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))));
        println!(
            "  {name:<46} {:>9.0} {:>8.2}x {range:>13} {:>8.2} {:>8.2} {:>9} {:>10} {:>9} {:>8}",
            median(of(&|r| r[i].1.per_second)),
            median(ratios.clone()),
            median(of(&|r| r[i].1.p50)),
            median(of(&|r| r[i].1.p99)),
            rss.map_or("-".to_string(), |r| format!("{r:.1}")),
            some(&|f| f.cpu_us).map_or("-".to_string(), |c| format!("{c:.1}")),
            some(&|f| f.db_cpu_us).map_or("-".to_string(), |c| format!("{c:.1}")),
            some(&|f| f.iowait).map_or("-".to_string(), |w| format!("{w:.0}%")),
        );
    }
    println!("  (× bare: how many times a bare endpoint's cost a durable run costs, each round against its own bare endpoint;");
    println!("   CPU µs/run: the servers' own CPU time a run; + db µs: the database server's, on the same core; iowait: core 0's share of time");
    println!("   spent waiting on the disk while every connection waits for its group's fsync)");
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
