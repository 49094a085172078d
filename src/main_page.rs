//! What the settings page shows when the portal opens it anywhere but in a rule's dialog (the
//! app's own page, when its main URL points here): a link to the console, which lives in its own
//! bundle (`console/`) so that this page stays small. The frame's name survives following the
//! link, so BX24.js starts again there.

use crate::dom::{add, add_text, make};
use crate::i18n::{strings, Lang};
use web_sys::Element;


pub fn main_page(lang: &str, placement: &str) -> Element {
    let s = strings(Lang::from_code(lang));
    let main = make("main", &[("class", "rk-main"), ("data-screen", "main")]);
    add_text(&main, "h1", &[], s.app_name);
    add_text(&main, "p", &[], s.main_intro);
    let p = add(&main, "p", &[]);
    add_text(&p, "a", &[("href", "console/"), ("data-role", "open-console")], s.open_console);
    if placement != "DEFAULT" {
        add_text(&main, "p", &[("class", "rk-help")], &[s.unknown_placement, ": ", placement].concat());
    }
    main
}
