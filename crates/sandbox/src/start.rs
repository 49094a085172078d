//! Start-up: the state (loaded, or the demo portal), the rules pointed at this run's ports, both
//! servers on loopback, and the app's install event. Two origins, as in production: the portal on
//! `localhost:<port>`, the app on `127.0.0.1:<app port>`, so the frame protocol crosses origins.

use crate::clock::now_unix;
use crate::config::Config;
use crate::rest::Bucket;
use crate::state::State;
use crate::{app_files, demo, demo_rules, outgoing, portal_routes, Inner, Sandbox};
use serde_json::json;
use std::io::{Error, ErrorKind};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};

pub struct Running {
    pub sandbox: Sandbox,
    pub portal: SocketAddr,
    pub app: SocketAddr,
}

impl Running {
    /// The page a person opens.
    pub fn portal_url(&self) -> String {
        format!("http://{}/", self.sandbox.portal_host)
    }
}

/// A state file, or `None` when there is none yet. A broken one is an error naming the file.
fn load_state(path: &Path) -> std::io::Result<Option<State>> {
    if !path.exists() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(path)?;
    let state = serde_json::from_str(&text).map_err(|e| Error::new(ErrorKind::InvalidData, format!("{}: {e}", path.display())))?;
    Ok(Some(state))
}

/// Listens on a loopback port. A port in use is said with its number and what to do, not as the
/// raw OS error, since the next step is to find what holds it.
async fn listen(port: u16, option: &str) -> std::io::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(("127.0.0.1", port)).await.map_err(|e| match e.kind() {
        ErrorKind::AddrInUse => Error::new(
            ErrorKind::AddrInUse,
            format!("port {port} is already in use: stop what uses it (another sandbox, or `cargo xtask run`?) or choose another with {option}"),
        ),
        kind => Error::new(kind, format!("cannot listen on port {port}: {e}")),
    })
}

/// Starts both servers on loopback and returns once they listen.
pub async fn start(config: Config) -> std::io::Result<Running> {
    let portal_listener = listen(config.portal_port, "--port").await?;
    let app_listener = listen(config.app_port, "--app-port").await?;
    let (portal, app) = (portal_listener.local_addr()?, app_listener.local_addr()?);
    let portal_host = format!("localhost:{}", portal.port());
    let app_url = format!("http://127.0.0.1:{}/", app.port());
    let receiver = format!("http://127.0.0.1:{}/sandbox/receiver", portal.port());
    let demo_handler = config.demo_handler_url.clone().unwrap_or(receiver);
    let loaded = match &config.state_file {
        Some(path) => load_state(path)?,
        None => None,
    };
    let mut state = match loaded {
        Some(mut s) => {
            demo_rules::refresh_demo_rule(&mut s, &app_url, &demo_handler);
            demo::add_missing_companies(&mut s);
            s
        }
        None => demo::portal(&app_url, &demo_handler),
    };
    crate::demo_bulk::generate_workflows(&mut state, config.workflows, config.workflows_seed);
    if let Some(handler) = &config.handler_url {
        demo_rules::register_manifest_rules(&mut state, &app_url, handler);
    }
    if let Some(options) = config.placement_options {
        state.dialog.options_override = Some(options);
        state.dialog.saved.clear();
    }
    let sandbox = Sandbox {
        inner: Arc::new(Mutex::new(Inner { state, bucket: Bucket::new(config.rate.0, config.rate.1) })),
        portal_host,
        rule_handler: config.handler_url.clone().unwrap_or_else(|| demo_handler.clone()),
        app_url,
        dist: Arc::new(config.dist),
        sdk_dir: config.sdk_dir.map(Arc::new),
        state_file: config.state_file.map(Arc::new),
        stall_event_send: Arc::default(),
        latency_ms: Arc::new(config.latency_ms.into()),
        install_url: config.install_url.clone().map(Arc::new),
    };
    let portal_app = portal_routes::router(sandbox.clone());
    let app_app = app_files::router(sandbox.clone());
    tokio::spawn(async move { axum::serve(portal_listener, portal_app).await });
    tokio::spawn(async move { axum::serve(app_listener, app_app).await });
    if let Some(url) = config.install_url {
        tokio::spawn(deliver_event(url, install_event(&sandbox), "install event"));
    }
    Ok(Running { sandbox, portal, app })
}

/// Posts an app event (`ONAPPINSTALL`, `ONAPPUPDATE`). The handler may still be starting: tries
/// for ten seconds. Only the URL and status are logged, never the body (it carries the tokens).
pub async fn deliver_event(url: String, body: String, what: &'static str) {
    for _ in 0..50 {
        match outgoing::post_form(&url, body.clone()).await {
            Ok(200..=299) => return,
            Ok(status) => eprintln!("sandbox: the {what} got {status} from {url}"),
            Err(_) => {}
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    eprintln!("sandbox: the {what} could not be delivered to {url}");
}

/// `ONAPPINSTALL` as the portal posts it to the app's event handler.
pub fn install_event(s: &Sandbox) -> String {
    let inner = s.lock();
    let st = &inner.state;
    rulekit_model::form_encoding::encode(&json!({
        "event": "ONAPPINSTALL", "data": {"VERSION": "1", "ACTIVE": "Y", "INSTALLED": "Y", "LANGUAGE_ID": "en"},
        "ts": now_unix().to_string(),
        "auth": {"access_token": st.tokens.access, "expires": st.tokens.expires.to_string(), "expires_in": "3600",
            "scope": "bizproc,crm,user,placement", "domain": s.portal_host, "server_endpoint": format!("http://{}/oauth-server/rest/", s.portal_host),
            "status": "L", "client_endpoint": format!("http://{}/rest/", s.portal_host), "member_id": st.member_id,
            "user_id": "1", "refresh_token": st.tokens.refresh, "application_token": st.application_token}
    }))
    .unwrap_or_default()
}
