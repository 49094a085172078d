//! What the page says when it cannot work: opened outside Bitrix24, or the portal fell silent.

use crate::dom::{add_text, make};
use crate::i18n::{strings, Lang};
use web_sys::Element;

pub fn outside(lang: Lang, framed: bool, silent: bool) -> Element {
    let s = strings(lang);
    let why = match (silent, framed) {
        (true, _) => s.portal_silent,
        (false, false) => s.outside_not_framed,
        (false, true) => s.outside_no_library,
    };
    let main = make("main", &[("class", "rk-notice"), ("role", "alert"), ("data-screen", "outside")]);
    add_text(&main, "h1", &[], s.outside_title);
    add_text(&main, "p", &[("class", "rk-why")], why);
    add_text(&main, "p", &[], s.outside_what_to_do);
    main
}
