//! `cargo xtask run`'s servers: stopped as a person stops it (SIGTERM to its process), it stops
//! every server it started; and a port in use is named by the sandbox's own start-up.
//!
//! The run command's serving (`xtask::serve::serve_until_stopped`) runs in a process of its own,
//! this test binary started again with `RULEKIT_SERVE_PORTS`, so the signal reaches it and not
//! the tests. Its servers are two sandbox binaries, the same processes the command starts; nothing
//! is timed: the test waits until the ports answer, and after the stop until the process ended.

use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PORTS: &str = "RULEKIT_SERVE_PORTS";
const SANDBOX: &str = env!("CARGO_BIN_EXE_rulekit-sandbox");

fn sandbox_on(portal: u16, app: u16) -> Command {
    let mut c = Command::new(SANDBOX);
    c.args(["--port", &portal.to_string(), "--app-port", &app.to_string(), "--dist"])
        .arg(xtask::root().join("dist"))
        .stdout(Stdio::null());
    c
}

fn listening(port: u16) -> bool {
    TcpStream::connect(("127.0.0.1", port)).is_ok()
}

/// Four distinct free ports.
fn free_ports() -> Vec<u16> {
    let mut ports: Vec<u16> = Vec::new();
    while ports.len() < 4 {
        let p = xtask::free_port().unwrap();
        if !ports.contains(&p) {
            ports.push(p);
        }
    }
    ports
}

#[test]
fn stopping_the_run_command_stops_every_server_it_started() {
    if let Ok(list) = std::env::var(PORTS) {
        // The run command's side: serve until stopped, then end.
        let p: Vec<u16> = list.split(',').map(|p| p.parse().unwrap()).collect();
        let servers = vec![(sandbox_on(p[0], p[1]), "the first server"), (sandbox_on(p[2], p[3]), "the second server")];
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(xtask::serve::serve_until_stopped(servers)).expect("a stop is no failure");
        return;
    }
    let ports = free_ports();
    let list = ports.iter().map(u16::to_string).collect::<Vec<_>>().join(",");
    let mut run = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "stopping_the_run_command_stops_every_server_it_started", "--test-threads=1", "--nocapture"])
        .env(PORTS, list)
        .spawn()
        .unwrap();
    let started = Instant::now();
    while !ports.iter().all(|p| listening(*p)) {
        assert!(started.elapsed() < Duration::from_secs(60), "the servers did not start");
        assert!(run.try_wait().unwrap().is_none(), "the run command ended before its servers listened");
        std::thread::sleep(Duration::from_millis(50));
    }
    let term = Command::new("kill").args(["-TERM", &run.id().to_string()]).status().unwrap();
    assert!(term.success());
    let status = loop {
        if let Some(status) = run.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = run.kill();
            panic!("the run command did not stop on SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "it stopped cleanly: {status}");
    // It reaped its servers before it ended, so their ports are closed now, not some time later.
    for port in &ports {
        assert!(!listening(*port), "port {port} is still served after the run command stopped");
    }
}

#[test]
fn a_port_in_use_is_named_by_the_sandbox_not_a_raw_os_error() {
    let held = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = held.local_addr().unwrap().port();
    let app = xtask::free_port().unwrap();
    let out = sandbox_on(port, app).stderr(Stdio::piped()).output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "it does not start");
    assert!(said.contains(&format!("port {port} is already in use: stop what uses it")), "{said}");
    assert!(said.contains("--port") && !said.contains("os error"), "{said}");
    let out = sandbox_on(app, port).stderr(Stdio::piped()).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("port {port} is already in use")), "the app's port too");
}
