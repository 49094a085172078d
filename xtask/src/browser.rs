//! Headless Chromium driven over WebDriver: Debian's chromedriver, started here on a free port,
//! and fantoccini speaking plain HTTP to it.

use fantoccini::{Client, ClientBuilder};
use serde_json::{json, Map, Value};
use std::process::Stdio;
use std::time::Duration;
use tokio::process::{Child, Command};

pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// A browser session; the driver process ends with it.
pub struct Browser {
    pub client: Client,
    _driver: Child,
}

impl Browser {
    pub async fn start() -> Result<Browser, String> {
        Self::start_with(&[]).await
    }

    /// A browser with more Chromium flags, e.g. `--force-dark-mode` for an operating system set
    /// to dark.
    pub async fn start_with(flags: &[&str]) -> Result<Browser, String> {
        let port = crate::free_port().map_err(|e| e.to_string())?;
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot start {CHROMEDRIVER}: {e} (run `cargo xtask setup`)"))?;
        // The flags keep Chromium off this machine's closed network.
        let caps: Map<String, Value> = json!({
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--no-first-run", "--disable-quic", "--window-size=900,1000"]
            },
            "goog:loggingPrefs": {"browser": "ALL"}
        })
        .as_object()
        .cloned()
        .unwrap_or_default();
        let mut caps = caps;
        if let Some(Value::Array(args)) = caps.get_mut("goog:chromeOptions").and_then(|o| o.get_mut("args")) {
            args.extend(flags.iter().map(|f| Value::String(f.to_string())));
        }
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let url = format!("http://127.0.0.1:{port}");
        let mut last = String::new();
        for _ in 0..50 {
            match ClientBuilder::new(connector.clone()).capabilities(caps.clone()).connect(&url).await {
                Ok(client) => return Ok(Browser { client, _driver: driver }),
                Err(e) => last = e.to_string(),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(format!("chromedriver did not start a session: {last}"))
    }

    /// Runs a script in the page and returns its value.
    pub async fn eval(&self, script: &str) -> Result<Value, String> {
        self.client.execute(script, vec![]).await.map_err(|e| e.to_string())
    }

    /// Polls `condition` (a JS expression) until it is truthy, for at most `limit`.
    pub async fn wait_for(&self, condition: &str, limit: Duration) -> Result<(), String> {
        let start = std::time::Instant::now();
        loop {
            let v = self.eval(&format!("return !!({condition});")).await?;
            if v == Value::Bool(true) {
                return Ok(());
            }
            if start.elapsed() > limit {
                return Err(format!("timed out waiting for {condition}"));
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}
