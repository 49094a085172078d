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
    /// chromedriver's port, for the endpoints fantoccini has no call for (`goog/cdp/execute`).
    driver_port: u16,
    _driver: Child,
}

impl Browser {
    pub async fn start() -> Result<Browser, String> {
        Self::start_with(&[]).await
    }

    /// A browser with more Chromium flags, e.g. `--force-dark-mode` for an operating system set
    /// to dark.
    pub async fn start_with(flags: &[&str]) -> Result<Browser, String> {
        Self::start_with_options(flags, Map::new()).await
    }

    /// A browser with more flags and more `goog:chromeOptions` entries, e.g. `perfLoggingPrefs`
    /// (whose log is read with `performance_log`).
    pub async fn start_with_options(flags: &[&str], options: Map<String, Value>) -> Result<Browser, String> {
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
        if let Some(Value::Object(chrome)) = caps.get_mut("goog:chromeOptions") {
            if let Some(Value::Array(args)) = chrome.get_mut("args") {
                args.extend(flags.iter().map(|f| Value::String(f.to_string())));
            }
            let perf = options.contains_key("perfLoggingPrefs");
            chrome.extend(options);
            if perf {
                caps["goog:loggingPrefs"]["performance"] = json!("ALL");
            }
        }
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let url = format!("http://127.0.0.1:{port}");
        let mut last = String::new();
        for _ in 0..50 {
            match ClientBuilder::new(connector.clone()).capabilities(caps.clone()).connect(&url).await {
                Ok(client) => return Ok(Browser { client, driver_port: port, _driver: driver }),
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

    /// A POST to chromedriver's own `/session/{id}/{path}`; its `value`.
    async fn driver_post(&self, path: &str, body: Value) -> Result<Value, String> {
        use http_body_util::{BodyExt, Full};
        let id = self.client.session_id().await.map_err(|e| e.to_string())?.ok_or("no WebDriver session")?;
        let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build_http();
        let request = hyper::Request::post(format!("http://127.0.0.1:{}/session/{id}/{path}", self.driver_port))
            .header("content-type", "application/json")
            .body(Full::new(bytes::Bytes::from(body.to_string())))
            .map_err(|e| e.to_string())?;
        let answer = client.request(request).await.map_err(|e| format!("chromedriver: {e}"))?;
        let status = answer.status();
        let bytes = answer.into_body().collect().await.map_err(|e| format!("chromedriver: {e}"))?.to_bytes();
        let mut v: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        if status != 200 {
            return Err(format!("chromedriver answered {status}: {}", v["value"]["message"]));
        }
        Ok(v["value"].take())
    }

    /// One DevTools protocol command to the page (`Network.setCacheDisabled`, …), through
    /// chromedriver's `goog/cdp/execute`; its result.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Result<Value, String> {
        self.driver_post("goog/cdp/execute", json!({"cmd": cmd, "params": params})).await.map_err(|e| format!("{cmd}: {e}"))
    }

    /// The performance log's entries since the last call (a session started with
    /// `perfLoggingPrefs`): each a DevTools event, as `{"method": …, "params": …}`. With trace
    /// categories, chromedriver ends the trace for this call and starts a new one.
    pub async fn performance_log(&self) -> Result<Vec<Value>, String> {
        let entries = self.driver_post("se/log", json!({"type": "performance"})).await?;
        let message = |e: &Value| serde_json::from_str::<Value>(e["message"].as_str()?).ok().map(|mut m| m["message"].take());
        Ok(entries.as_array().map(|a| a.iter().filter_map(message).collect()).unwrap_or_default())
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}
