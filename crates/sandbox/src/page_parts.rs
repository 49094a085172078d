//! What the portal page and the app's own page share around the frame, in the page's language:
//! the portal's bar (the sandbox's name, the portal's address, the languages) and the panels
//! beside the frame (a heading from the words table over each).

use crate::portal_page::escape;
use crate::words::word;

/// The bar; `place` follows the address (` · Applications → rulekit`), `lang_href` is the
/// address of this page in another language.
pub fn bar(lang: &str, host: &str, place: &str, lang_href: impl Fn(&str) -> String) -> String {
    let langs: String = ["en", "ru", "de"]
        .iter()
        .map(|l| {
            let current = if *l == lang { r#" aria-current="true""# } else { "" };
            format!(r#"<a href="{}"{current}>{}</a>"#, lang_href(l), l.to_uppercase())
        })
        .collect();
    format!(
        r#"<header class="bar"><strong>{}</strong> <span class="muted">{} {}{place}</span>
<nav class="langs" aria-label="{}">{langs}</nav></header>"#,
        word(lang, "sandbox"),
        word(lang, "local_portal"),
        escape(host),
        word(lang, "language"),
    )
}

/// The panels: `(heading's key, body)` each.
pub fn panels(lang: &str, panels: &[(&'static str, String)]) -> String {
    panels.iter().map(|(key, body)| format!("<h2>{}</h2>{body}\n", word(lang, key))).collect()
}
