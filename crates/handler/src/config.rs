//! Flags and environment variables. Every flag has a `RULEKIT_…` variable; a flag wins.

use crate::store::{Portal, Target};
use rulekit_model::Lang;
use std::net::SocketAddr;
use std::path::PathBuf;

pub const HELP: &str = "rulekit-handler: takes Bitrix24 rule runs, verifies them, stores them, does them

usage: rulekit-handler [options]            serve
       rulekit-handler jobs [--failed] [--db FILE|URL]   list stored runs

options (each also as an environment variable):
  --listen ADDR            RULEKIT_LISTEN          where to listen (default 127.0.0.1:8482)
  --db FILE|URL            RULEKIT_DB              the store: a SQLite file (default rulekit.sqlite), or a PostgreSQL
                           database (postgres://user:password@host:5432/rulekit) that several handlers share
  --db-ca FILE             RULEKIT_DB_CA           a PEM certificate authority to trust for the database's TLS
                           (beside the public ones; ask for TLS with ?sslmode=require in the URL)
  --lease-seconds N        RULEKIT_LEASE_SECONDS   on PostgreSQL: how long a run stays a silent handler's before
                           another takes it over (default 30)
  --portal-rate N          RULEKIT_PORTAL_RATE     REST calls a second per portal, all handlers together (default 2)
  --portal-burst N         RULEKIT_PORTAL_BURST    REST calls a portal takes at once (default 50; 5 stay unused)
  --dist DIR               RULEKIT_DIST            the built settings app to serve on / and /settings/
  --portal MEMBER=TOKEN@DOMAIN[/LANG]  RULEKIT_PORTALS  a portal installed some other way, with its language
                           (e.g. /de; else the one its install event gave, or --lang; comma-separated in the variable)
  --workers N              RULEKIT_WORKERS         workers doing runs (default 4; 0 only stores them)
  --threads N              RULEKIT_THREADS         threads serving requests (default: one per core)
  --client-id ID           RULEKIT_CLIENT_ID       the app's OAuth client id, to refresh expired tokens
  --client-secret SECRET   RULEKIT_CLIENT_SECRET   its secret
  --oauth-url URL          RULEKIT_OAUTH_URL       the OAuth token URL (default https://oauth.bitrix.info/oauth/token/)
  --allow-host HOST        RULEKIT_ALLOW_HOSTS     a portal host besides *.bitrix24.* (on-premise; comma-separated in the variable)
  --allow-install-from DOMAIN  RULEKIT_ALLOW_INSTALL_FROM  a portal whose install event is taken without --client-id
                           (repeatable; comma-separated in the variable). Without a client id to confirm an install
                           through app.info, only these portals and --allow-host hosts may install (others: 403).
                           Each client address may try 10 installs a minute, 20 at once (then 429, Retry-After)
  --allow-http             RULEKIT_ALLOW_HTTP=1    let allowed portals use plain http (a local sandbox only)
  --retry-base-ms N        RULEKIT_RETRY_BASE_MS   first retry delay, doubled each time (default 1000)
  --max-body BYTES         RULEKIT_MAX_BODY        largest request body (default 1048576)
  --lang CODE              RULEKIT_LANG            language of workflow notes for a portal whose own is not known
                           (default en)
  --console-origin ORIGIN  RULEKIT_CONSOLE_ORIGINS an origin (http://127.0.0.1:8481) whose console may call /api/ from
                           a browser (CORS); repeatable, comma-separated in the variable
  --api-rate N             RULEKIT_API_RATE        runs API requests a second per portal (default 10)
  --api-burst N            RULEKIT_API_BURST       runs API requests a portal may send at once (default 60)
  -h, --help               this text

logs: structured (JSON) on stderr; RUST_LOG sets the level (default info). Tokens are never logged.";

#[derive(Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub db: Target,
    /// A certificate authority (PEM) for PostgreSQL's TLS, beside the public roots.
    pub db_ca: Option<PathBuf>,
    /// On a shared store: how long a claimed run stays this handler's without renewal.
    pub lease: std::time::Duration,
    /// Each portal's REST bucket (Bitrix24's: 2 a second, a burst of 50), kept by all handlers
    /// that share a store.
    pub portal_rate: f64,
    pub portal_burst: f64,
    pub dist: Option<PathBuf>,
    pub portals: Vec<Portal>,
    pub workers: usize,
    pub threads: Option<usize>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    /// The OAuth server's token URL. Never taken from a request: the client secret goes there.
    pub oauth_url: String,
    /// Portal hosts accepted besides Bitrix24's cloud (`*.bitrix24.*`).
    pub allow_hosts: Vec<String>,
    /// Portals (bare hosts) whose first install is taken without a client id to confirm it.
    pub allow_install_from: Vec<String>,
    /// Whether portals may be reached over plain http.
    pub allow_http: bool,
    pub retry_base_ms: u64,
    pub max_body: usize,
    /// The language of workflow notes for a portal whose own is not known.
    pub lang: Lang,
    /// Origins whose pages may call the runs API from a browser.
    pub console_origins: Vec<String>,
    /// The runs API's leaky bucket per portal: requests a second, and the burst.
    pub api_rate: u64,
    pub api_burst: u64,
}

/// Without the client secret and the portals' tokens; the database's password is hidden by `Target`.
impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("db", &self.db)
            .field("dist", &self.dist)
            .field("portals", &self.portals)
            .field("workers", &self.workers)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "***"))
            .field("oauth_url", &self.oauth_url)
            .field("allow_hosts", &self.allow_hosts)
            .finish_non_exhaustive()
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8482)),
            db: Target::Sqlite(PathBuf::from("rulekit.sqlite")),
            db_ca: None,
            lease: crate::store::DEFAULT_LEASE,
            portal_rate: rulekit_model::rate::PORTAL_RATE,
            portal_burst: rulekit_model::rate::PORTAL_BURST,
            dist: None,
            portals: Vec::new(),
            workers: 4,
            threads: None,
            client_id: None,
            client_secret: None,
            oauth_url: "https://oauth.bitrix.info/oauth/token/".into(),
            allow_hosts: Vec::new(),
            allow_install_from: Vec::new(),
            allow_http: false,
            retry_base_ms: 1000,
            max_body: 1 << 20,
            lang: Lang::En,
            console_origins: Vec::new(),
            api_rate: 10,
            api_burst: 60,
        }
    }
}

const PORTAL_FORM: &str = "a portal is MEMBER_ID=APPLICATION_TOKEN@DOMAIN, optionally followed by /LANGUAGE (e.g. /de)";

/// `MEMBER=TOKEN@DOMAIN[/LANG]`; the first three are required, the domain being checked on every
/// run. A domain never holds a `/`, so what follows one is the portal's language id.
pub fn parse_portal(s: &str) -> Result<Portal, String> {
    let (member_id, rest) = s.split_once('=').ok_or(PORTAL_FORM)?;
    let (token, place) = rest.rsplit_once('@').unwrap_or((rest, ""));
    let (domain, language) = match place.split_once('/') {
        Some((domain, lang)) => (domain, Some(lang.trim())),
        None => (place, None),
    };
    if member_id.is_empty() || token.is_empty() || domain.is_empty() || language == Some("") {
        return Err(PORTAL_FORM.into());
    }
    Ok(Portal { member_id: member_id.into(), domain: domain.into(), application_token: token.into(), language: language.map(str::to_string) })
}

/// The domains of Bitrix24's cloud portals (`name.bitrix24.de`, …). On-premise portals and the
/// local sandbox are allowed with `--allow-host`.
pub const CLOUD_ZONES: &[&str] = &[
    "bitrix24.com", "bitrix24.de", "bitrix24.ru", "bitrix24.eu", "bitrix24.es", "bitrix24.fr", "bitrix24.it",
    "bitrix24.pl", "bitrix24.ua", "bitrix24.by", "bitrix24.kz", "bitrix24.in", "bitrix24.cn", "bitrix24.jp",
    "bitrix24.com.tr", "bitrix24.com.br", "bitrix24.co", "bitrix24.mx", "bitrix24.uk", "bitrix24.id", "bitrix24.vn",
];

/// `host[:port]` without the port, lower-cased.
pub fn bare_host(host: &str) -> String {
    let h = host.trim().to_ascii_lowercase();
    match h.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name.to_string(),
        _ => h,
    }
}

impl Config {
    /// Whether the handler may talk to a portal on this host: Bitrix24's cloud
    /// (`name.bitrix24.<tld>`), or a host allowed by configuration. Keeps a forged install from
    /// pointing the handler at an internal address.
    pub fn host_allowed(&self, host: &str) -> bool {
        let h = bare_host(host);
        if self.allow_hosts.contains(&h) {
            return true;
        }
        // `<portal>.<cloud zone>`: one label before a zone Bitrix24 runs its cloud on.
        h.split_once('.').is_some_and(|(name, zone)| {
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') && CLOUD_ZONES.contains(&zone)
        })
    }

    /// Whether a new portal's install may be taken without the portal confirming the app (no
    /// client id to ask `app.info` with): only a portal the operator named, by `--allow-host` or
    /// `--allow-install-from`. Anyone can send an install event.
    pub fn install_named(&self, domain: &str) -> bool {
        let h = bare_host(domain);
        self.allow_hosts.contains(&h) || self.allow_install_from.contains(&h)
    }

    /// Whether a portal URL (a REST endpoint) may be called: an allowed host, over https unless
    /// plain http is allowed.
    pub fn endpoint_allowed(&self, url: &str, domain: &str) -> Result<(), String> {
        let (scheme, rest) = url.split_once("://").ok_or("the portal's endpoint is not a URL")?;
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        if !host.eq_ignore_ascii_case(domain) {
            return Err("auth[client_endpoint] is not on the portal's domain".into());
        }
        if !self.host_allowed(host) {
            return Err(format!("{} is not a Bitrix24 portal this handler serves (see --allow-host)", bare_host(host)));
        }
        match scheme.to_ascii_lowercase().as_str() {
            "https" => Ok(()),
            "http" if self.allow_http => Ok(()),
            _ => Err("the portal's endpoint is not https (see --allow-http)".into()),
        }
    }

    /// From the environment, then the flags. `Err("")` asks for the help text.
    pub fn from_args(args: impl IntoIterator<Item = String>, env: impl Fn(&str) -> Option<String>) -> Result<Config, String> {
        let mut c = Config::default();
        let set = |c: &mut Config, key: &str, value: String| -> Result<(), String> {
            let number = |v: &str| v.parse::<u64>().map_err(|_| format!("{key} takes a number, not {v:?}"));
            match key {
                "listen" => c.listen = value.parse().map_err(|_| format!("--listen takes ADDR:PORT, not {value:?}"))?,
                "db" => c.db = Target::parse(&value),
                "db-ca" => c.db_ca = Some(PathBuf::from(value)),
                "lease-seconds" => c.lease = std::time::Duration::from_secs(number(&value)?.clamp(1, 3600)),
                "portal-rate" => c.portal_rate = number(&value)?.max(1) as f64,
                "portal-burst" => c.portal_burst = number(&value)?.max(1) as f64,
                "dist" => c.dist = Some(PathBuf::from(value)),
                "portal" => {
                    for p in value.split(',').filter(|p| !p.trim().is_empty()) {
                        c.portals.push(parse_portal(p.trim())?);
                    }
                }
                "workers" => c.workers = number(&value)? as usize,
                "threads" => c.threads = Some(number(&value)?.max(1) as usize),
                "client-id" => c.client_id = Some(value),
                "client-secret" => c.client_secret = Some(value),
                "oauth-url" => c.oauth_url = value,
                "allow-host" => c.allow_hosts.extend(value.split(',').map(|h| h.trim().to_ascii_lowercase()).filter(|h| !h.is_empty())),
                "allow-install-from" => c.allow_install_from.extend(value.split(',').map(bare_host).filter(|h| !h.is_empty())),
                "allow-http" => c.allow_http = matches!(value.as_str(), "1" | "true" | "yes" | "Y"),
                "retry-base-ms" => c.retry_base_ms = number(&value)?,
                "max-body" => c.max_body = number(&value)? as usize,
                "lang" => c.lang = Lang::from_code(&value),
                // An origin is compared as the browser sends it: scheme, host, port, no slash.
                "console-origin" => c.console_origins.extend(value.split(',').map(|o| o.trim().trim_end_matches('/').to_string()).filter(|o| !o.is_empty())),
                "api-rate" => c.api_rate = number(&value)?,
                "api-burst" => c.api_burst = number(&value)?.max(1),
                _ => return Err(format!("unknown option --{key}")),
            }
            Ok(())
        };
        let vars = [
            ("listen", "RULEKIT_LISTEN"), ("db", "RULEKIT_DB"), ("dist", "RULEKIT_DIST"), ("portal", "RULEKIT_PORTALS"),
            ("workers", "RULEKIT_WORKERS"), ("threads", "RULEKIT_THREADS"), ("client-id", "RULEKIT_CLIENT_ID"),
            ("client-secret", "RULEKIT_CLIENT_SECRET"), ("oauth-url", "RULEKIT_OAUTH_URL"),
            ("retry-base-ms", "RULEKIT_RETRY_BASE_MS"), ("max-body", "RULEKIT_MAX_BODY"), ("lang", "RULEKIT_LANG"),
            ("allow-host", "RULEKIT_ALLOW_HOSTS"), ("allow-http", "RULEKIT_ALLOW_HTTP"), ("console-origin", "RULEKIT_CONSOLE_ORIGINS"),
            ("api-rate", "RULEKIT_API_RATE"), ("api-burst", "RULEKIT_API_BURST"), ("allow-install-from", "RULEKIT_ALLOW_INSTALL_FROM"),
            ("lease-seconds", "RULEKIT_LEASE_SECONDS"), ("db-ca", "RULEKIT_DB_CA"), ("portal-rate", "RULEKIT_PORTAL_RATE"), ("portal-burst", "RULEKIT_PORTAL_BURST"),
        ];
        for (key, var) in vars {
            if let Some(v) = env(var) {
                set(&mut c, key, v)?;
            }
        }
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            if arg == "-h" || arg == "--help" {
                return Err(String::new());
            }
            let key = arg.strip_prefix("--").ok_or_else(|| format!("unexpected argument {arg:?}"))?;
            if key == "allow-http" {
                set(&mut c, key, "1".into())?;
                continue;
            }
            let (key, value) = match key.split_once('=') {
                Some((k, v)) => (k.to_string(), v.to_string()),
                None => (key.to_string(), args.next().ok_or_else(|| format!("--{key} needs a value"))?),
            };
            set(&mut c, &key, value)?;
        }
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_the_environment() {
        let env = |k: &str| match k {
            "RULEKIT_WORKERS" => Some("2".to_string()),
            "RULEKIT_PORTALS" => Some("m1=t1@a.bitrix24.de,m2=t2@b.bitrix24.de".to_string()),
            _ => None,
        };
        let c = Config::from_args(["--workers".to_string(), "7".into(), "--lang=de".into()], env).unwrap();
        assert_eq!(c.workers, 7);
        assert_eq!(c.portals.len(), 2);
        assert_eq!(c.portals[1].domain, "b.bitrix24.de");
        assert_eq!(c.lang, Lang::De);
    }

    #[test]
    fn only_bitrix24_portals_and_allowed_hosts_are_called() {
        let mut c = Config::default();
        assert!(c.host_allowed("example.bitrix24.de"));
        assert!(c.host_allowed("shop.bitrix24.com.br:443"));
        for evil in ["bitrix24.de.evil.com", "x.bitrix24.evil.com", "a.b.bitrix24.de", "evil.com", "127.0.0.1", "bitrix24.com"] {
            assert!(!c.host_allowed(evil), "{evil}");
        }
        assert!(c.endpoint_allowed("https://example.bitrix24.de/rest/", "example.bitrix24.de").is_ok());
        assert!(c.endpoint_allowed("http://example.bitrix24.de/rest/", "example.bitrix24.de").unwrap_err().contains("https"));
        assert!(c.endpoint_allowed("https://other.bitrix24.de/rest/", "example.bitrix24.de").is_err());
        c.allow_hosts.push("localhost".into());
        c.allow_http = true;
        assert!(c.endpoint_allowed("http://localhost:8480/rest/", "localhost:8480").is_ok());
    }

    #[test]
    fn installs_without_a_client_id_are_taken_only_from_named_portals() {
        let env = |k: &str| (k == "RULEKIT_ALLOW_INSTALL_FROM").then(|| "a.bitrix24.de, B.bitrix24.com:443".to_string());
        let c = Config::from_args(["--allow-install-from".to_string(), "c.bitrix24.de".into(), "--allow-host=portal.example".into()], env).unwrap();
        assert_eq!(c.allow_install_from, ["a.bitrix24.de", "b.bitrix24.com", "c.bitrix24.de"]);
        for named in ["a.bitrix24.de", "B.BITRIX24.COM", "c.bitrix24.de:443", "portal.example:8080"] {
            assert!(c.install_named(named), "{named}");
        }
        for other in ["d.bitrix24.de", "a.bitrix24.de.evil.com", ""] {
            assert!(!c.install_named(other), "{other}");
        }
    }

    #[test]
    fn bad_options_say_what_is_wrong() {
        let none = |_: &str| None;
        assert_eq!(Config::from_args(["--workers".to_string(), "many".into()], none).unwrap_err(), "workers takes a number, not \"many\"");
        assert!(Config::from_args(["--nope".to_string(), "1".into()], none).unwrap_err().contains("unknown option"));
        assert_eq!(Config::from_args(["--help".to_string()], none).unwrap_err(), "");
        assert!(parse_portal("no-token").is_err());
        assert!(parse_portal("m=t").is_err(), "the domain is required");
        assert!(parse_portal("m=t@a.bitrix24.de/").is_err(), "a slash needs a language after it");
    }

    #[test]
    fn a_portal_may_name_its_language() {
        let p = parse_portal("m=t@a.bitrix24.de/de").unwrap();
        assert_eq!((p.domain.as_str(), p.language.as_deref()), ("a.bitrix24.de", Some("de")));
        assert_eq!(parse_portal("m=t@localhost:8480").unwrap().language, None);
    }
}
