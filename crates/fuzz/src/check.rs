//! One input through one target, as the fuzz run and the regression test both do it: under
//! `catch_unwind`, with the panic hook quiet (a run would otherwise print thousands of traces) but
//! the message kept, and timed against a budget, so that a cost growing with the square of the
//! input is a failure like a panic is.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;
use std::time::{Duration, Instant};

/// What a call may take for an input of up to 64 KiB; larger inputs get as much again per 64 KiB,
/// so a linear cost always fits and a quadratic one does not for long.
pub const BUDGET_PER_64K: Duration = Duration::from_millis(250);

/// Unoptimized code (the regression test under `cargo test`) runs several times slower and with
/// larger stack frames: its budget and stack are scaled by this, so that a replay fails where
/// the fuzz run failed and passes where it passed.
pub const DEBUG_SCALE: u32 = if cfg!(debug_assertions) { 8 } else { 1 };

/// The stack each input runs on: 1 MiB, the settings page's wasm stack, the smallest of the
/// model's homes (the handler's workers have 2 MiB).
pub const STACK: usize = (1 << 20) * DEBUG_SCALE as usize;

/// Runs `f` on a thread with `STACK`, as every input is run.
pub fn on_input_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let thread = std::thread::Builder::new().stack_size(STACK).spawn(f).expect("a thread for the inputs");
    thread.join().unwrap_or_else(|e| panic::resume_unwind(e))
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    /// The panic's message and where it was raised.
    Panic(String),
    OverBudget,
}

#[derive(Clone, Debug)]
pub struct Outcome {
    pub elapsed: Duration,
    pub verdict: Verdict,
}

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The budget for an input of `len` bytes.
pub fn budget(len: usize, per_64k: Duration) -> Duration {
    per_64k * DEBUG_SCALE * u32::try_from(len.div_ceil(64 << 10).max(1)).unwrap_or(u32::MAX)
}

/// Keeps the message of a panic raised inside `check` and stays silent; any other panic (a
/// test's own assertion) goes to the hook that was there before.
fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if QUIET.with(Cell::get) {
                let at = info.location().map(|l| format!(" ({}:{})", l.file(), l.line())).unwrap_or_default();
                let what = info.payload_as_str().unwrap_or("a panic without a message");
                LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("{what}{at}")));
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs `input` through `run`. A call over its budget is timed once more and the faster time
/// counts: on a machine shared with other builds a call can stall for a moment, while a cost that
/// grows with the input is slow both times.
pub fn check(run: fn(&[u8]), input: &[u8], per_64k: Duration) -> Outcome {
    let budget = budget(input.len(), per_64k);
    let (mut elapsed, result) = timed(run, input);
    if result.is_ok() && elapsed > budget {
        elapsed = elapsed.min(timed(run, input).0);
    }
    let verdict = match result {
        Err(message) => Verdict::Panic(message),
        Ok(()) if elapsed > budget => Verdict::OverBudget,
        Ok(()) => Verdict::Pass,
    };
    Outcome { elapsed, verdict }
}

fn timed(run: fn(&[u8]), input: &[u8]) -> (Duration, Result<(), String>) {
    install_hook();
    QUIET.with(|q| q.set(true));
    let start = Instant::now();
    let result = panic::catch_unwind(AssertUnwindSafe(|| run(input)));
    let elapsed = start.elapsed();
    QUIET.with(|q| q.set(false));
    let message = || LAST_PANIC.with(|p| p.borrow_mut().take()).unwrap_or_else(|| "a panic".into());
    (elapsed, result.map_err(|_| message()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn panics(input: &[u8]) {
        assert!(input.is_empty(), "not empty: {}", input.len());
    }

    fn sleeps(input: &[u8]) {
        std::thread::sleep(Duration::from_millis(input.len() as u64));
    }

    #[test]
    fn a_panic_is_caught_with_its_message_and_place() {
        let outcome = check(panics, b"abc", BUDGET_PER_64K);
        let Verdict::Panic(message) = outcome.verdict else { panic!("{:?}", outcome.verdict) };
        assert!(message.starts_with("not empty: 3 (") && message.contains("check.rs"), "{message}");
        assert_eq!(check(panics, b"", BUDGET_PER_64K).verdict, Verdict::Pass);
    }

    #[test]
    fn a_call_over_its_budget_fails() {
        let per_64k = Duration::from_millis(1);
        assert_eq!(check(sleeps, &[0; 40], per_64k).verdict, Verdict::OverBudget);
        assert_eq!(check(sleeps, &[], per_64k).verdict, Verdict::Pass);
    }

    #[test]
    fn the_budget_grows_with_the_input() {
        let ms = |len| budget(len, BUDGET_PER_64K).as_millis() / u128::from(DEBUG_SCALE);
        assert_eq!((ms(0), ms(64 << 10), ms((64 << 10) + 1), ms(256 << 10)), (250, 250, 500, 1000));
    }
}
