//! Leptos's reactive system, without its view layer: the signals, memos, effects and owners of
//! `reactive_graph` (the crate behind `leptos::prelude`'s signals), and the two browser helpers
//! the page needs beside them.
//!
//! The settings page draws its DOM by hand (see `dom`), so it links neither `tachys` (Leptos's
//! views) nor `server_fn`, whose streaming classes `leptos` would export into the bundle.

pub use reactive_graph::computed::Memo;
pub use reactive_graph::effect::RenderEffect;
pub use reactive_graph::graph::untrack;
pub use reactive_graph::owner::{on_cleanup, Owner, StoredValue};
pub use reactive_graph::prelude::*;
pub use reactive_graph::signal::RwSignal;
pub use reactive_graph::wrappers::read::Signal;
pub use wasm_bindgen_futures::spawn_local;

use wasm_bindgen::prelude::*;

/// Runs `f` once `after` has passed.
pub fn set_timeout(f: impl FnOnce() + 'static, after: std::time::Duration) {
    if let Some(w) = web_sys::window() {
        let ms = after.as_millis().min(i32::MAX as u128) as i32;
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(Closure::once_into_js(f).unchecked_ref(), ms);
    }
}

/// Runs `f` before the browser's next paint (to move the focus once the page has changed).
pub fn request_animation_frame(f: impl FnOnce() + 'static) {
    if let Some(w) = web_sys::window() {
        let _ = w.request_animation_frame(Closure::once_into_js(f).unchecked_ref());
    }
}
