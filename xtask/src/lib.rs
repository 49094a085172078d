//! rulekit's task runner as a library, so its pieces (tool set-up, the static server, the browser
//! session) serve the commands, the bench and the tests alike.

pub mod bench;
pub mod bench_api;
pub mod bench_console;
pub mod bench_handler;
pub mod bench_page;
pub mod early_wasm;
pub mod browser;
pub mod fuzz;
pub mod http;
pub mod pg_cluster;
pub mod precompress;
pub mod scaling;
pub mod serve;
pub mod setup;

use std::path::{Path, PathBuf};

/// The repository's root: the folder above this crate.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the repository").to_path_buf()
}

/// A loopback port nobody listens on right now.
pub fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// The shared fixtures, kept in the repository.
pub fn fixture(name: &str) -> String {
    let path = root().join("fixtures").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}
