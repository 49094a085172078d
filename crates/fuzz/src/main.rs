//! `rulekit-fuzz [--secs N] [--inputs N] [--target NAME] [--seed S] [--budget-ms N] [--out DIR]`
//! runs the targets round robin until N seconds or N inputs (60 seconds when neither is given).
//! `rulekit-fuzz --replay FILE…` runs saved inputs once each. `--worker` is the run's own child.

use rulekit_fuzz::check::{check, on_input_stack, Verdict, BUDGET_PER_64K};
use rulekit_fuzz::run::{run, Plan};
use rulekit_fuzz::targets::{self, Target, TARGETS};
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

fn usage(problem: &str) -> ExitCode {
    let names: Vec<&str> = TARGETS.iter().map(|t| t.name).collect();
    eprintln!("rulekit-fuzz: {problem}");
    eprintln!("usage: rulekit-fuzz [--secs N] [--inputs N] [--target {}] [--seed S] [--budget-ms N] [--out DIR]", names.join("|"));
    eprintln!("       rulekit-fuzz --replay FILE...");
    ExitCode::from(2)
}

/// Runs saved inputs in this process, each through the target its file name names.
fn replay(files: &[String]) -> ExitCode {
    let mut failed = 0;
    for file in files {
        let name = std::path::Path::new(file).file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let (Some(target), Ok(input)) = (targets::of_file(name), std::fs::read(file)) else {
            return usage(&format!("{file}: not a readable <target>-….bin file"));
        };
        let outcome = on_input_stack(move || check(target.run, &input, BUDGET_PER_64K));
        let ms = outcome.elapsed.as_secs_f64() * 1000.0;
        failed += u32::from(outcome.verdict != Verdict::Pass);
        println!("{file}: {:?} in {ms:.1} ms", outcome.verdict);
    }
    if failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|a| a == "--replay") {
        return replay(&args[1..]);
    }
    let value = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).map(String::as_str);
    let number = |flag: &str| value(flag).map(|v| v.parse::<u64>().map_err(|_| format!("{flag} takes a whole number, not {v}")));
    let numbers = (|| Ok::<_, String>((number("--seed").transpose()?, number("--budget-ms").transpose()?, number("--inputs").transpose()?)))();
    let (seed, budget_ms, inputs) = match numbers {
        Ok(n) => n,
        Err(e) => return usage(&e),
    };
    let per_64k = budget_ms.map_or(BUDGET_PER_64K, Duration::from_millis);
    let wanted = value("--target").or(value("--targets"));
    let targets: Vec<&'static Target> = match wanted {
        None => TARGETS.iter().collect(),
        Some(list) => match list.split(',').map(targets::find).collect::<Option<Vec<_>>>() {
            Some(t) => t,
            None => return usage(&format!("no target {list}")),
        },
    };
    if args.iter().any(|a| a == "--worker") {
        let from = number("--from").and_then(Result::ok).unwrap_or(0);
        let to = number("--to").and_then(Result::ok).unwrap_or(u64::MAX);
        return match rulekit_fuzz::worker::work(targets, seed.unwrap_or(0), from, to, per_64k) {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::FAILURE,
        };
    }
    let secs = match value("--secs").map(str::parse::<f64>) {
        Some(Err(_)) => return usage("--secs takes a number of seconds"),
        Some(Ok(s)) => Some(s),
        None if inputs.is_none() => Some(60.0),
        None => None,
    };
    // A new seed each run, printed, so that any run can be made again.
    let seed = seed.unwrap_or_else(|| SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64));
    let out = value("--out").map_or_else(rulekit_fuzz::regressions, Into::into);
    let names: Vec<&str> = targets.iter().map(|t| t.name).collect();
    println!("fuzz: {} with seed {seed} (again: --seed {seed}), budget {} ms per 64 KiB", names.join(", "), per_64k.as_millis());
    match run(&Plan { targets, seed, secs, inputs, per_64k, out }) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("rulekit-fuzz: {e}");
            ExitCode::FAILURE
        }
    }
}
