//! `rulekit-handler`: see `--help`.

use rulekit_handler::config::{Config, HELP};

// Every run allocates its form, its decoded fields and its reply; mimalloc's per-thread pages
// spend a fraction of glibc's time on them (see `cargo xtask bench handler`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::process::ExitCode;

fn jobs(args: Vec<String>) -> ExitCode {
    let failed = args.iter().any(|a| a == "--failed");
    let rest: Vec<String> = args.into_iter().filter(|a| a != "--failed").collect();
    let config = match Config::from_args(rest, |k| std::env::var(k).ok()) {
        Ok(c) => c,
        Err(e) => return usage(&e),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => return fail(&e.to_string()),
    };
    runtime.block_on(async {
        let opened = rulekit_handler::store::Store::open_to_read(&config.db, config.db_ca.as_deref()).await;
        let store = match opened {
            Ok(s) => s,
            Err(e) => return fail(&e.to_string()),
        };
        match store.jobs(failed.then(|| "failed".to_string())).await {
            Ok(jobs) => {
                for j in jobs {
                    // The stored request holds tokens: it is never printed.
                    println!("{}\t{}\t{}\tattempts={}\t{}", j.id, j.state, j.code, j.attempts, j.last_error.unwrap_or_default());
                }
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e.to_string()),
        }
    })
}

fn usage(e: &str) -> ExitCode {
    if e.is_empty() {
        println!("{HELP}");
        return ExitCode::SUCCESS;
    }
    eprintln!("rulekit-handler: {e}\n\n{HELP}");
    ExitCode::from(2)
}

fn fail(e: &str) -> ExitCode {
    eprintln!("rulekit-handler: {e}");
    ExitCode::FAILURE
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("jobs") {
        return jobs(args[1..].to_vec());
    }
    let config = match Config::from_args(args, |k| std::env::var(k).ok()) {
        Ok(c) => c,
        Err(e) => return usage(&e),
    };
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    let mut builder = match config.threads {
        Some(1) => tokio::runtime::Builder::new_current_thread(),
        _ => tokio::runtime::Builder::new_multi_thread(),
    };
    if let Some(n) = config.threads.filter(|n| *n > 1) {
        builder.worker_threads(n);
    }
    let runtime = match builder.enable_all().build() {
        Ok(r) => r,
        Err(e) => return fail(&e.to_string()),
    };
    runtime.block_on(async {
        match rulekit_handler::start(config).await {
            Ok(running) => {
                tracing::info!(event = "listening", addr = %running.addr);
                println!("rulekit handler: listening on http://{}", running.addr);
                let _ = tokio::signal::ctrl_c().await;
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e),
        }
    })
}
