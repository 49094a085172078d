//! What the model's unit tests share.

use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Runs `f` on a thread of its own and returns its result, failing the test when it takes longer
/// than `secs`: a cost that grows with the square of the input fails here instead of hanging the
/// run (the thread is left behind and ends with the test binary).
pub fn finishes_within<T: Send + 'static>(secs: u64, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    let name = std::thread::current().name().unwrap_or_default().to_string();
    let worker = std::thread::Builder::new().name(name.clone()).spawn(move || {
        let start = Instant::now();
        let out = f();
        eprintln!("{name}: {:?}", start.elapsed());
        let _ = tx.send(out);
    });
    worker.expect("a thread");
    rx.recv_timeout(Duration::from_secs(secs)).unwrap_or_else(|e| panic!("no result within {secs} s ({e})"))
}
