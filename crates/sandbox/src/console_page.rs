//! The portal page around the app's own page (placement `DEFAULT`, the console), as a chosen
//! user sees it: an administrator, or not (`?user=7`); on the app's first run (`?install=1`).
//! Beside the frame: who to open it as, the app update the portal acts out, and the REST counts.

use crate::placement::init_data;
use crate::portal_page::{escape, origin_of, picker_users, secrets, Frame};
use crate::state::State;
use crate::words::word;
use crate::page_parts;
use serde_json::{json, Value};

pub struct ConsoleInput<'a> {
    pub state: &'a State,
    pub portal_host: &'a str,
    /// The console's address: the app's main URL.
    pub console_url: &'a str,
    pub lang: &'a str,
    pub app_sid: &'a str,
    /// The user the page is open for, and their access token.
    pub user: u64,
    pub token: &'a str,
    pub install: bool,
}

/// What `getInitData` answers on the app's own page: no placement options, the user's rights.
fn console_init(p: &ConsoleInput<'_>) -> Value {
    let s = p.state;
    let mut init = init_data(s, p.portal_host, p.lang, &s.dialog.code);
    init["PLACEMENT"] = json!("DEFAULT");
    init["PLACEMENT_OPTIONS"] = json!({});
    init["AUTH_ID"] = json!(p.token);
    init["IS_ADMIN"] = json!(s.user(p.user).is_some_and(|u| u.admin));
    init["FIRST_RUN"] = json!(p.install);
    init["INSTALL"] = json!(p.install);
    init
}

pub fn page(p: ConsoleInput<'_>) -> String {
    let s = p.state;
    let init = console_init(&p);
    let frame = Frame {
        handler: p.console_url,
        portal_host: p.portal_host,
        lang: p.lang,
        app_sid: p.app_sid,
        title: "rulekit",
        auth: p.token,
        placement: "DEFAULT",
        options: &init["PLACEMENT_OPTIONS"],
        height: 900,
    }
    .html(s);
    let mut hidden_secrets = secrets(s);
    hidden_secrets.push(p.token.to_string());
    let data = json!({
        "init": init, "appOrigin": origin_of(p.console_url), "appSid": p.app_sid, "secrets": hidden_secrets,
        "code": "", "users": picker_users(s), "words": crate::words::all(p.lang),
    });
    let lang = p.lang;
    let users: String = s
        .users
        .iter()
        .filter(|u| u.active)
        .map(|u| {
            let current = if u.id == p.user { r#" aria-current="true""# } else { "" };
            let role = word(lang, if u.admin { "admin" } else { "not_admin" });
            format!(r#"<li><a href="/app?user={}&amp;lang={}"{current}>{} {}</a> <span class="muted">{role}</span></li>"#,
                u.id, escape(p.lang), escape(&u.name), escape(&u.last_name))
        })
        .collect();
    let place = format!(" · {}", word(lang, "apps_path"));
    let bar = page_parts::bar(lang, p.portal_host, &place, |l| format!("/app?lang={l}&amp;user={}", p.user));
    let panels = page_parts::panels(lang, &[
        ("open_as", format!(r#"<ul class="rules">{users}</ul>"#)),
        ("the_portal", format!(
            r#"<p><a href="/app?install=1&amp;user={user}&amp;lang={l}">{}</a> {}</p>
<p><button id="update-app" type="button">{}</button> <span class="muted">{}</span></p>
<p><a href="/?lang={l}">{}</a></p>"#,
            word(lang, "install_mode"), word(lang, "first_run"), word(lang, "update_app"), word(lang, "update_note"), word(lang, "dialog_link"),
            user = p.user, l = escape(lang),
        )),
        ("rest_calls", r#"<pre id="stats"></pre>"#.into()),
        ("log", r#"<ol id="log" class="log"></ol>"#.into()),
    ]);
    format!(
        r##"<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>rulekit sandbox: the app's page</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/sandbox.css">
</head>
<body>
{bar}
<main class="layout wide">
<section class="dialog" aria-label="rulekit">
{frame}
<div id="user-picker" class="picker" hidden></div>
</section>
<aside class="panels">
{panels}</aside>
</main>
<script id="sandbox-data" type="application/json">{data}</script>
<script src="/portal.js"></script>
</body>
</html>"##,
        lang = escape(p.lang),
        data = data.to_string().replace("</", "<\\/"),
    )
}
