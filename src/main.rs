//! Mounts the app; everything else lives in the library.
fn main() {
    // The bench measures from here to "rulekit:interactive".
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark("rulekit:start");
    }
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(rulekit::App);
}
