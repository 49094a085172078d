//! `cargo xtask <command>`: what the README's commands run.
//!
//!   setup   install the tools (idempotent; quick when they are there)
//!   test    set up, then every test: host, browser, and the built dist
//!   build   set up, then `trunk build --release` into dist/
//!   run     build, then start the local sandbox with the app in it and print its URL
//!   bench   build, then print sizes and timings (`bench pages|console|handler|api|scaling|fuzz` for one part;
//!           `--peer-dist DIR` for the Vue peer `bench pages` measures the settings page against)
//!   fuzz    the model's fuzz harness: `fuzz [--secs N] [--target NAME] [--seed S]`

use std::io::{BufRead, BufReader};
use std::process::{Command, ExitCode, Stdio};
use xtask::setup::{cmd, ensure_all, run, Result};

fn usage() -> ExitCode {
    eprintln!("usage: cargo xtask <setup|test|build|run|bench|fuzz>");
    ExitCode::from(2)
}

fn build() -> Result {
    let mut fetch = cmd("cargo");
    fetch.args(["fetch", "--locked"]);
    run(fetch)?;
    // The settings page first: trunk empties its dist folder, and the console's is inside it.
    let mut settings = cmd("trunk");
    settings.args(["build", "--release", "--offline", "--locked"]);
    run(settings)?;
    let mut console = cmd("trunk");
    console.args(["build", "--release", "--offline", "--locked", "--config", "crates/console/Trunk.toml"]);
    run(console)?;
    let dist = xtask::root().join("dist");
    xtask::early_wasm::apply(&dist)?;
    for dir in [dist.join("console"), dist] {
        xtask::precompress::precompress(&dir)?;
    }
    Ok(())
}

/// Runs a test command, echoing its output, and adds up its `test result:` lines.
fn run_counted(mut c: Command, totals: &mut (u64, u64)) -> Result {
    let shown = format!("{c:?}");
    let mut child = c.stdout(Stdio::piped()).spawn().map_err(|e| format!("cannot start {shown}: {e}"))?;
    let out = child.stdout.take().ok_or("no output")?;
    for line in BufReader::new(out).lines().map_while(std::result::Result::ok) {
        println!("{line}");
        if let Some(rest) = line.trim().strip_prefix("test result: ") {
            let count = |word: &str| {
                rest.split(';').find_map(|part| part.trim().strip_suffix(word)?.trim().rsplit(' ').next()?.parse::<u64>().ok())
            };
            totals.0 += count("passed").unwrap_or(0);
            totals.1 += count("failed").unwrap_or(0);
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    status.success().then_some(()).ok_or_else(|| format!("{shown} failed ({status})"))
}

/// The handler's test files whose handlers take the store the environment gives them
/// (`RULEKIT_TEST_PG`, see `crates/handler/tests/common`); the others name SQLite or PostgreSQL.
const STORE_AGNOSTIC_TESTS: [&str; 9] = ["api", "api_retry", "bodies", "compressed", "due_date", "install", "language", "runs", "timeline"];

fn test() -> Result {
    ensure_all()?;
    let mut totals = (0, 0);
    let outcome = (|| {
        let mut model = cmd("cargo");
        model.args(["test", "--locked", "-p", "rulekit-model", "-p", "rulekit-fuzz"]);
        run_counted(model, &mut totals)?;
        let mut runner = cmd("cargo");
        runner.args(["test", "--locked", "-p", "xtask", "--lib", "--bins", "--test", "scaling"]);
        run_counted(runner, &mut totals)?;
        build()?;
        let mut browser = cmd("cargo");
        // bx24's own browser tests hold its js-sys walk to what JSON.stringify and serde_json read.
        browser.args(["test", "--locked", "--target", "wasm32-unknown-unknown", "-p", "rulekit", "-p", "rulekit-bx24"]);
        run_counted(browser, &mut totals)?;
        let mut dist = cmd("cargo");
        dist.args(["test", "--locked", "-p", "xtask", "--test", "dist"]);
        run_counted(dist, &mut totals)?;
        let mut servers = cmd("cargo");
        servers.args(["test", "--locked", "-p", "rulekit-sandbox", "-p", "rulekit-handler"]);
        run_counted(servers, &mut totals)?;
        // The handler's tests that do not name a store, again on PostgreSQL: install tokens, runs
        // and the runs API must mean the same on both stores.
        let cluster = xtask::pg_cluster::PgCluster::start()?;
        let mut on_postgres = cmd("cargo");
        on_postgres.args(["test", "--locked", "-p", "rulekit-handler"]);
        for test in STORE_AGNOSTIC_TESTS {
            on_postgres.args(["--test", test]);
        }
        on_postgres.env("RULEKIT_TEST_PG", format!("postgres://postgres@127.0.0.1:{}", cluster.port()));
        run_counted(on_postgres, &mut totals)?;
        drop(cluster);
        xtask::fuzz::ci_pass()
    })();
    println!("rulekit: {} passed, {} failed", totals.0, totals.1 + u64::from(outcome.is_err() && totals.1 == 0));
    outcome
}

/// The ports `cargo xtask run` serves on: the sandbox's portal and app (`--port`, `--app-port`
/// among the extra arguments may move them), and the handler's.
fn run_ports(extra: &[String]) -> Vec<(u16, &'static str)> {
    let given = |flag: &str, default: u16| extra.iter().position(|a| a == flag).and_then(|i| extra.get(i + 1)?.parse().ok()).unwrap_or(default);
    vec![(given("--port", 8480), "the sandbox's portal"), (given("--app-port", 8481), "the sandbox's app"), (8482, "the handler")]
}

/// Builds the app, starts the execution handler, and the sandbox around both; extra arguments
/// go to the sandbox (`cargo xtask run -- --placement-options FILE`). Its ports are checked first,
/// so a port in use is said before minutes of building.
fn serve(extra: Vec<String>) -> Result {
    xtask::serve::ports_free(&run_ports(&extra))?;
    ensure_all()?;
    build()?;
    let mut binaries = cmd("cargo");
    binaries.args(["build", "--quiet", "--locked", "-p", "rulekit-handler", "-p", "rulekit-sandbox"]);
    run(binaries)?;
    let root = xtask::root();
    let data = root.join("target/rulekit-run");
    std::fs::create_dir_all(&data).map_err(|e| e.to_string())?;
    let dist = root.join("dist");
    // The handler: runs of the invoice rule, with the sandbox's OAuth client to refresh tokens.
    let mut handler = cmd(&root.join("target/debug/rulekit-handler").to_string_lossy());
    handler
        .args(["--listen", "127.0.0.1:8482", "--workers", "2", "--client-id", "local.rulekit.sandbox"])
        .args(["--client-secret", "sandbox-client-secret", "--oauth-url", "http://localhost:8480/oauth-server/oauth/token/"])
        // The sandbox is a portal on localhost, over plain http.
        .args(["--allow-host", "localhost", "--allow-http", "--db"])
        .arg(data.join("handler.sqlite"))
        .arg("--dist")
        .arg(&dist)
        // The console (the sandbox's app origin) calls the runs API from the browser.
        .args(["--console-origin", "http://127.0.0.1:8481"])
        .env("RUST_LOG", std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".into()));
    let mut sandbox = cmd(&root.join("target/debug/rulekit-sandbox").to_string_lossy());
    sandbox
        .arg("--dist")
        .arg(&dist)
        .args(["--handler", "http://127.0.0.1:8482/run", "--install-url", "http://127.0.0.1:8482/install"])
        .args(extra.iter().skip_while(|a| *a == "--"));
    // Something for the console's bulk stop to find, unless asked otherwise.
    if !extra.iter().any(|a| a == "--workflows") {
        sandbox.args(["--workflows", "300"]);
    }
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    runtime.block_on(xtask::serve::serve_until_stopped(vec![(handler, "the handler"), (sandbox, "the sandbox")]))
}

/// `cargo xtask bench [pages|console|handler|api|fuzz] [--peer-dist DIR]`: every figure, or one
/// part of them.
fn bench(mut args: Vec<String>) -> Result {
    let peer = xtask::bench_page::peer_flag(&mut args)?;
    let part = args.first().cloned();
    let wants = |p: &str| part.as_deref().is_none_or(|w| w == p);
    if part.as_deref() == Some("api") {
        // The runs API's figures need the handler and the sandbox, not the app's build.
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
        return rt.block_on(xtask::bench_api::run());
    }
    if part.as_deref() == Some("handler") {
        // The handler's figures need its binary and PostgreSQL, not the app's build.
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
        return rt.block_on(xtask::bench_handler::run());
    }
    if part.as_deref() == Some("scaling") {
        // The model's own functions need no tools and no build.
        xtask::scaling::run();
        return Ok(());
    }
    if part.as_deref() == Some("fuzz") {
        return xtask::fuzz::bench();
    }
    // The peer's files are checked before minutes of building.
    let peer = if wants("pages") { Some(xtask::bench_page::peer_dist(peer)?) } else { None };
    ensure_all()?;
    build()?;
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    if let Some(peer) = peer {
        let dist = xtask::root().join("dist");
        rt.block_on(xtask::bench::run(&dist))?;
        rt.block_on(xtask::bench_page::run(&dist, &peer))?;
    }
    if wants("console") {
        let mut sandbox = cmd("cargo");
        sandbox.args(["build", "--quiet", "--locked", "-p", "rulekit-sandbox"]);
        run(sandbox)?;
        xtask::bench_console::run()?;
    }
    if wants("handler") {
        rt.block_on(xtask::bench_handler::run())?;
    }
    if wants("api") {
        rt.block_on(xtask::bench_api::run())?;
    }
    if wants("scaling") {
        xtask::scaling::run();
    }
    if wants("fuzz") {
        xtask::fuzz::bench()?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let result = match std::env::args().nth(1).as_deref() {
        Some("setup") => ensure_all(),
        Some("test") => test(),
        Some("build") => ensure_all().and_then(|_| build()),
        Some("run") => serve(std::env::args().skip(2).collect()),
        Some("bench") => bench(std::env::args().skip(2).collect()),
        Some("fuzz") => xtask::fuzz::fuzz(std::env::args().skip(2)),
        _ => return usage(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}
