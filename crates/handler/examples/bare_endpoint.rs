//! The handler bench's baseline (`cargo xtask bench handler`): an axum endpoint on the same
//! runtime and core as the handler, that reads the body and answers its length, and nothing else.
//! A durable run's cost is quoted as a multiple of this one's.
//!
//! usage: bare_endpoint ADDR

use axum::body::Bytes;
use axum::routing::post;
use axum::Router;

fn main() {
    let addr = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:8499".into());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    runtime.block_on(async {
        let app = Router::new().route("/run", post(|body: Bytes| async move { body.len().to_string() })).route("/healthz", axum::routing::get(|| async { "ok" }));
        let listener = tokio::net::TcpListener::bind(&addr).await.expect("the address is free");
        axum::serve(listener, app).await.expect("serves");
    });
}
