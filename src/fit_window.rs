//! The portal's frame follows the height of the content.
//!
//! The frame starts at 350 px. A `ResizeObserver` on the content sees every change of height
//! (items added or removed, errors shown, a picker opened) and asks the portal to fit the frame.

use crate::bx24;
use crate::reactive::*;
use crate::reactive::spawn_local;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Height the content needs, in CSS pixels: from the top of the page to its bottom edge.
fn content_height(el: &web_sys::HtmlElement) -> f64 {
    (el.offset_top() + el.offset_height()) as f64
}

/// Keeps the portal's frame as tall as `el`, from now until the current owner ends.
pub fn fit_window(el: &web_sys::Element) {
    let Ok(el) = el.clone().dyn_into::<web_sys::HtmlElement>() else { return };
    let last = Rc::new(Cell::new(0.0_f64));
    let measure = el.clone();
    let on_resize = Closure::<dyn FnMut()>::new(move || {
        let height = content_height(&measure);
        let before = last.get();
        if (height - before).abs() < 1.0 {
            return;
        }
        last.set(height);
        let shrink = before > 0.0 && height < before;
        spawn_local(async move {
            // A portal that does not answer a resize leaves the frame as it was; the form
            // still works, so there is nothing more to do here.
            let _ = bx24::fit_to(height, shrink).await;
        });
    });
    let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) else { return };
    observer.observe(&el);
    // The observer holds the callback for as long as the page lives.
    on_resize.forget();
    let observer = StoredValue::new_local(observer);
    on_cleanup(move || {
        if let Some(o) = observer.try_get_value() {
            o.disconnect();
        }
    });
}
