//! How the sandbox is started: where the app is, the ports, the state file, and the handlers its
//! rules run on. `main.rs` fills it from the command line, tests directly.

use serde_json::Value;
use std::path::PathBuf;

pub struct Config {
    pub dist: PathBuf,
    pub portal_port: u16,
    pub app_port: u16,
    /// A `PLACEMENT_OPTIONS` JSON to show instead of the demo rule's.
    pub placement_options: Option<Value>,
    /// Where the state is loaded from (if it exists) and saved to.
    pub state_file: Option<PathBuf>,
    /// The demo rule's `HANDLER`; the sandbox's own receiver when `None`.
    pub demo_handler_url: Option<String>,
    /// rulekit's execution handler (its run URL): every manifest rule is registered to run there.
    pub handler_url: Option<String>,
    /// Where the app's install event (`ONAPPINSTALL`) is posted when the sandbox starts.
    pub install_url: Option<String>,
    /// Milliseconds each REST request takes (0: at once).
    pub latency_ms: u64,
    /// Leaky bucket: requests drained per second, and the burst.
    pub rate: (f64, f64),
    /// Where the official JS SDK's browser build is, for the SDK check page.
    pub sdk_dir: Option<PathBuf>,
    /// How many running workflows to add to the portal at start (`--workflows N`), and the seed
    /// that makes them the same every time.
    pub workflows: usize,
    pub workflows_seed: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            dist: PathBuf::from("dist"),
            portal_port: 0,
            app_port: 0,
            placement_options: None,
            state_file: None,
            demo_handler_url: None,
            handler_url: None,
            install_url: None,
            // The portal's own limits: two requests a second drained, fifty at once
            // (https://apidocs.bitrix24.com/limits.html).
            rate: (2.0, 50.0),
            latency_ms: 0,
            sdk_dir: None,
            workflows: 0,
            workflows_seed: 2024,
        }
    }
}
