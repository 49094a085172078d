//! The worker: a child process of the run that makes the inputs and runs them, saying on stdout
//! which one it starts (`> n len`) and how each went (`< n make_us call_us verdict`). An input
//! that takes the process down (a stack overflow is no panic) or runs on and on is still known
//! by its number to the supervisor, which makes it again to save it.

use crate::check::{check, on_input_stack, Verdict};
use crate::targets::Target;
use std::io::{BufWriter, Read, Write};
use std::time::{Duration, Instant};

/// Runs inputs `from..to`, round robin over `targets`: input n is input n / len of target n % len.
pub fn work(targets: Vec<&'static Target>, seed: u64, from: u64, to: u64, per_64k: Duration) -> std::io::Result<()> {
    // The supervisor holds our stdin open and never writes: its end means the run is over (even
    // one killed outright), and a worker deep in a slow call must not outlive it.
    std::thread::spawn(|| {
        let _ = std::io::stdin().read(&mut [0]);
        std::process::exit(3);
    });
    on_input_stack(move || {
        let mut out = BufWriter::new(std::io::stdout().lock());
        let count = targets.len() as u64;
        for n in from..to {
            let target = targets[(n % count) as usize];
            let made = Instant::now();
            let input = target.input(seed, n / count);
            let made = made.elapsed().as_micros();
            writeln!(out, "> {n} {}", input.len())?;
            out.flush()?;
            let outcome = check(target.run, &input, per_64k);
            let verdict = match outcome.verdict {
                Verdict::Pass => "pass".to_string(),
                Verdict::OverBudget => "slow".to_string(),
                Verdict::Panic(message) => format!("panic {}", message.replace(['\n', '\r'], " ")),
            };
            writeln!(out, "< {n} {made} {} {verdict}", outcome.elapsed.as_micros())?;
            // At once, so that the next input's making is not taken for this one's call.
            out.flush()?;
        }
        Ok(())
    })
}
