//! Mounts the app; everything else lives in the library.
fn main() {
    // The bench measures from here to "rulekit:interactive".
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark("rulekit:start");
    }
    // Readable panic messages in debug builds (the tests); the release page carries none of that
    // formatting code (about 1 KB of brotli), and it must not panic anyway.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
        rulekit::mount(&body, rulekit::bx24::ANSWER_TIMEOUT).keep();
    }
}
