//! The app's two URLs the rules register with: where runs go (`HANDLER`) and the settings page
//! (`PLACEMENT_HANDLER`). They come from a deploy-time `config.json` beside the pages, and an
//! administrator may override them; the portal's own checks (spec §1.5) are made here first, so a
//! bad URL is named before any registration fails on it.

use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AppUrls {
    pub handler: String,
    pub settings_page: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlKind {
    Handler,
    SettingsPage,
}

#[derive(Clone, Debug, PartialEq)]
pub enum UrlProblem {
    Missing { which: UrlKind },
    Malformed { which: UrlKind, url: String },
    NotHttps { which: UrlKind, url: String },
    NoDottedHost { which: UrlKind, url: String },
}

/// A config key folded for comparison: `settings_page`, `settingsPage`, `SETTINGS-PAGE` are one.
fn fold(key: &str) -> String {
    key.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect()
}

/// The host of an `http(s)://` URL (no user, no port), and whether it is https; None when it is
/// not such a URL at all.
fn host_of(url: &str) -> Option<(bool, &str)> {
    let (scheme, rest) = url.split_once("://")?;
    let https = match scheme.to_ascii_lowercase().as_str() {
        "https" => true,
        "http" => false,
        _ => return None,
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = match host_port.rsplit_once(':') {
        Some((h, port)) if !h.ends_with(']') && port.bytes().all(|b| b.is_ascii_digit()) => h,
        Some((h, _)) if h.ends_with(']') => h,
        _ => host_port,
    };
    let bad = host.is_empty() || host.chars().any(|c| c.is_whitespace() || c.is_control());
    (!bad).then_some((https, host))
}

impl AppUrls {
    /// The deploy-time `config.json` beside the pages: `{"handler": "https://…/run",
    /// "settings_page": "https://…/index.html"}`; unknown keys ignored; lenient to case of keys.
    pub fn from_config(v: &Value) -> AppUrls {
        let get = |want: &str| {
            v.as_object()
                .and_then(|m| m.iter().find(|(k, _)| fold(k) == fold(want)))
                .and_then(|(_, v)| v.as_str())
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        AppUrls { handler: get("handler"), settings_page: get("settings_page") }
    }

    /// The administrator's override (stored as an app option) over the deploy-time file: non-empty
    /// fields win.
    pub fn overridden_by(&self, other: &AppUrls) -> AppUrls {
        let pick = |mine: &str, theirs: &str| if theirs.trim().is_empty() { mine.to_string() } else { theirs.trim().to_string() };
        AppUrls { handler: pick(&self.handler, &other.handler), settings_page: pick(&self.settings_page, &other.settings_page) }
    }

    /// The handler's runs API, beside where runs go: the handler URL without its query and
    /// fragment, its last path segment replaced by `api/` (`https://h.example.com/run` →
    /// `https://h.example.com/api/`). None when the handler URL is no http(s) URL.
    pub fn api_base(&self) -> Option<String> {
        let url = self.handler.trim();
        host_of(url)?;
        let url = url.split(['?', '#']).next().unwrap_or_default();
        let (scheme, rest) = url.split_once("://")?;
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let dir = path.rsplit_once('/').map_or("", |(dir, _)| dir);
        let dir = if dir.is_empty() { String::new() } else { format!("{dir}/") };
        Some(format!("{scheme}://{authority}/{dir}api/"))
    }

    /// The portal refuses a host with no dot (spec §1.5) and the docs ask for https. Plain http is
    /// accepted only when the portal itself is on http (`portal_is_https` false: only the local
    /// sandbox is), so the sandbox works.
    pub fn problems(&self, portal_is_https: bool) -> Vec<UrlProblem> {
        let mut out = Vec::new();
        for (which, url) in [(UrlKind::Handler, &self.handler), (UrlKind::SettingsPage, &self.settings_page)] {
            let url = url.trim().to_string();
            let Some((https, host)) = host_of(&url) else {
                out.push(if url.is_empty() { UrlProblem::Missing { which } } else { UrlProblem::Malformed { which, url } });
                continue;
            };
            let dotted = host.contains('.');
            if !https && portal_is_https {
                out.push(UrlProblem::NotHttps { which, url: url.clone() });
            }
            if !dotted {
                out.push(UrlProblem::NoDottedHost { which, url });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn urls(handler: &str, settings_page: &str) -> AppUrls {
        AppUrls { handler: handler.into(), settings_page: settings_page.into() }
    }

    #[test]
    fn the_config_file_is_read_leniently_and_overridden_field_by_field() {
        let file = AppUrls::from_config(&json!({"Handler": " https://a.example.com/run ", "settingsPage": "https://a.example.com/", "x": 1}));
        assert_eq!(file, urls("https://a.example.com/run", "https://a.example.com/"));
        assert_eq!(AppUrls::from_config(&json!("nope")), AppUrls::default());
        let over = file.overridden_by(&urls("https://b.example.com/run", " "));
        assert_eq!(over, urls("https://b.example.com/run", "https://a.example.com/"));
    }

    #[test]
    fn https_is_required_on_an_https_portal_only() {
        let plain = urls("http://app.example.com/run", "https://app.example.com/");
        assert_eq!(plain.problems(true), [UrlProblem::NotHttps { which: UrlKind::Handler, url: plain.handler.clone() }]);
        assert!(plain.problems(false).is_empty(), "the sandbox runs on http");
        assert!(urls("HTTPS://app.example.com:8443/run?x=1", "https://u@app.example.com/").problems(true).is_empty());
    }

    #[test]
    fn the_api_sits_beside_the_handler() {
        let base = |h: &str| urls(h, "").api_base();
        assert_eq!(base("https://handler.example.com/run").as_deref(), Some("https://handler.example.com/api/"));
        assert_eq!(base(" http://127.0.0.1:8080/run?x=1#top ").as_deref(), Some("http://127.0.0.1:8080/api/"));
        assert_eq!(base("https://example.com/apps/rulekit/run").as_deref(), Some("https://example.com/apps/rulekit/api/"));
        assert_eq!(base("https://example.com/apps/rulekit/").as_deref(), Some("https://example.com/apps/rulekit/api/"));
        assert_eq!(base("https://example.com").as_deref(), Some("https://example.com/api/"));
        assert_eq!(base("https://example.com?run=1").as_deref(), Some("https://example.com/api/"));
        for bad in ["", "example.com/run", "ftp://example.com/run", "https://"] {
            assert_eq!(base(bad), None, "{bad}");
        }
    }

    #[test]
    fn hosts_without_a_dot_and_bad_urls_are_named() {
        let local = urls("http://localhost:8080/run", "");
        assert_eq!(
            local.problems(false),
            [
                UrlProblem::NoDottedHost { which: UrlKind::Handler, url: local.handler.clone() },
                UrlProblem::Missing { which: UrlKind::SettingsPage },
            ]
        );
        assert_eq!(local.problems(true).len(), 3, "not https either");
        for bad in ["app.example.com/run", "ftp://app.example.com/", "https://", "https:// a.example.com/", "javascript:alert(1)"] {
            assert_eq!(urls(bad, "https://a.example.com/").problems(true), [UrlProblem::Malformed { which: UrlKind::Handler, url: bad.into() }], "{bad}");
        }
    }
}
