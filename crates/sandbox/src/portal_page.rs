//! The portal page: the rule's settings dialog around the app's frame, as Bitrix24 renders it (a
//! frame named `host|protocol|APP_SID` that a form POSTs the placement fields into), with the
//! sandbox's panels beside it: rules, properties, what was pushed and saved, runs, the log.

use crate::placement::{init_data, PLACEMENT};
use crate::state::State;
use crate::words::word;
use crate::page_parts;
use serde_json::{json, Value};

/// Everything secret in the state: what the page's log must never show.
pub fn secrets(state: &State) -> Vec<String> {
    vec![state.tokens.access.clone(), state.tokens.refresh.clone(), state.application_token.clone()]
}

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// JSON inside a `<script>` element.
fn script_json(v: &Value) -> String {
    v.to_string().replace("</", "<\\/")
}

/// The rule's name in the page's language.
fn rule_name(state: &State, code: &str, lang: &str) -> String {
    state
        .rule(code)
        .and_then(|r| r.fields.get("NAME"))
        .and_then(rulekit_model::Localized::from_json)
        .map(|n| n.get(lang).to_string())
        .unwrap_or_else(|| code.to_string())
}

pub struct PageInput<'a> {
    pub state: &'a State,
    pub portal_host: &'a str,
    pub app_url: &'a str,
    pub lang: &'a str,
    pub app_sid: &'a str,
    /// The rule whose dialog is open.
    pub code: &'a str,
    /// The app's first run (`?install=1`): `FIRST_RUN` and `INSTALL` are true, so BX24.install
    /// handlers run and `setInstallFinish` reloads the page.
    pub install: bool,
}

/// The page. The frame is named `host|protocol|APP_SID` and a form POSTs the placement fields
/// into it; the handler URL carries DOMAIN, PROTOCOL, LANG and APP_SID.
pub fn page(p: PageInput<'_>) -> String {
    let s = p.state;
    let mut init = init_data(s, p.portal_host, p.lang, p.code);
    if p.install {
        init["FIRST_RUN"] = json!(true);
        init["INSTALL"] = json!(true);
    }
    let handler = s
        .rule(p.code)
        .and_then(|r| r.fields.get("PLACEMENT_HANDLER"))
        .and_then(Value::as_str)
        .unwrap_or(p.app_url)
        .to_string();
    let framed = Frame {
        handler: &handler,
        portal_host: p.portal_host,
        lang: p.lang,
        app_sid: p.app_sid,
        title: &rule_name(s, p.code, p.lang),
        auth: &s.tokens.access,
        placement: PLACEMENT,
        options: &init["PLACEMENT_OPTIONS"],
        height: 350,
    }
    .html(s);
    let rules: String = s
        .rules
        .iter()
        .filter(|r| r.fields.get("USE_PLACEMENT").and_then(Value::as_str) == Some("Y"))
        .map(|r| {
            let current = if r.code == p.code { r#" aria-current="true""# } else { "" };
            let kind = word(p.lang, if r.robot { "robot" } else { "activity" });
            format!(r#"<li><a href="/?lang={}&amp;rule={code}"{current}>{}</a> <span class="muted">{code}, {kind}</span></li>"#,
                escape(p.lang), escape(&rule_name(s, &r.code, p.lang)), code = escape(&r.code))
        })
        .collect();
    let data = json!({
        "init": init, "appOrigin": origin_of(&handler), "appSid": p.app_sid, "secrets": secrets(s), "code": p.code,
        "users": picker_users(s), "words": crate::words::all(p.lang),
    });
    let run_button = word(p.lang, "run_button").replace("{document}", &crate::run::default_document(s, p.code));
    let bar = page_parts::bar(p.lang, p.portal_host, "", |l| format!("/?lang={l}&amp;rule={}", escape(p.code)));
    let panels = page_parts::panels(p.lang, &[
        ("rules", format!(r#"<ul id="rules" class="rules">{rules}</ul>"#)),
        ("properties", r#"<div id="properties"></div>"#.into()),
        ("pushed", r#"<pre id="pushed">{}</pre>"#.into()),
        ("saved", r#"<pre id="saved"></pre>"#.into()),
        ("run_heading", format!(r#"<p><button id="run" type="button">{}</button></p><div id="runs"></div>"#, escape(&run_button))),
        ("comments", r#"<div id="comments"></div>"#.into()),
        ("log", r#"<ol id="log" class="log"></ol>"#.into()),
    ]);
    format!(
        r##"<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>rulekit sandbox: {name}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/sandbox.css">
</head>
<body>
{bar}
<main class="layout">
<section class="dialog" aria-labelledby="rule-name">
<h1 id="rule-name">{name}</h1>
{framed}
<div class="buttons"><button id="save" class="primary" type="button">{save}</button> <button id="cancel" type="button">{cancel}</button></div>
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
        name = escape(&rule_name(s, p.code, p.lang)),
        data = script_json(&data),
        save = word(p.lang, "save"),
        cancel = word(p.lang, "cancel"),
    )
}

/// The active users, as the portal's user picker offers them.
pub fn picker_users(s: &State) -> Value {
    s.users
        .iter()
        .filter(|u| u.active)
        .map(|u| {
            json!({"id": u.id.to_string(), "name": format!("{} {}", u.name, u.last_name), "position": u.position, "photo": "",
                "url": format!("/company/personal/user/{}/", u.id), "sub": false, "sup": false})
        })
        .collect()
}

/// The app's frame as the portal renders it for a placement: named `host|protocol|APP_SID`, with a
/// form that POSTs the placement's fields into it; the handler URL carries DOMAIN, PROTOCOL, LANG
/// and APP_SID.
pub struct Frame<'a> {
    pub handler: &'a str,
    pub portal_host: &'a str,
    pub lang: &'a str,
    pub app_sid: &'a str,
    pub title: &'a str,
    /// The access token of the user the page is open for.
    pub auth: &'a str,
    pub placement: &'a str,
    pub options: &'a Value,
    pub height: u32,
}

impl Frame<'_> {
    pub fn html(&self, s: &State) -> String {
        let sep = if self.handler.contains('?') { '&' } else { '?' };
        let action = format!("{}{sep}DOMAIN={}&PROTOCOL=0&LANG={}&APP_SID={}", self.handler, self.portal_host, self.lang, self.app_sid);
        let frame_name = format!("{}|0|{}", self.portal_host, self.app_sid);
        let fields = [
            ("AUTH_ID", self.auth.to_string()),
            ("AUTH_EXPIRES", "3600".into()),
            ("REFRESH_ID", s.tokens.refresh.clone()),
            ("SERVER_ENDPOINT", format!("http://{}/rest/", self.portal_host)),
            ("APPLICATION_TOKEN", s.application_token.clone()),
            ("APPLICATION_SCOPE", "bizproc,crm,user,placement".into()),
            ("member_id", s.member_id.clone()),
            ("status", "L".into()),
            ("PLACEMENT", self.placement.into()),
            ("PLACEMENT_OPTIONS", self.options.to_string()),
        ];
        let hidden: String = fields.iter().map(|(k, v)| format!(r#"<input type="hidden" name="{k}" value="{}">"#, escape(v))).collect();
        format!(
            r#"<div id="appframe_layout_{sid}" class="frame-wrap">
<iframe id="appframe_{sid}" name="{name}" title="{title}" style="width:100%;height:{h}px" allow="geolocation *; microphone *; camera *; autoplay *;"></iframe>
</div>
<form id="placement-form" method="POST" target="{name}" action="{action}">{hidden}</form>"#,
            sid = self.app_sid,
            name = escape(&frame_name),
            title = escape(self.title),
            h = self.height,
            action = escape(&action),
        )
    }
}

/// `scheme://host[:port]` of a URL.
pub fn origin_of(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("http", url));
    format!("{scheme}://{}", rest.split(['/', '?', '#']).next().unwrap_or(""))
}
