//! The app's files go out as the smallest precompressed copy the browser accepts (`cargo xtask
//! build` writes `.br` and `.gz` beside them), else as they are; caches keep the copies apart.

mod common;

use common::{handler, scratch};
use tower::ServiceExt;

/// A GET into the router with this `Accept-Encoding`: (status, content-encoding, vary, body).
async fn get(h: &rulekit_handler::Running, path: &str, accept: &str) -> (u16, Option<String>, Option<String>, Vec<u8>) {
    let mut request = axum::http::Request::get(path);
    if !accept.is_empty() {
        request = request.header("accept-encoding", accept);
    }
    let response = rulekit_handler::app(h.shared.clone()).oneshot(request.body(axum::body::Body::empty()).unwrap()).await.unwrap();
    let header = |name: &str| response.headers().get(name).map(|v| v.to_str().unwrap().to_string());
    let (status, coding, vary) = (response.status().as_u16(), header("content-encoding"), header("vary"));
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap().to_vec();
    (status, coding, vary, body)
}

#[tokio::test]
async fn assets_go_out_as_the_best_copy_the_browser_accepts() {
    let dist = scratch();
    for (name, body) in [("app-0a1b2c3d_bg.wasm", "raw"), ("app-0a1b2c3d_bg.wasm.br", "brotli"), ("app-0a1b2c3d_bg.wasm.gz", "gzip"),
        ("main-0a1b2c3d.css", "css"), ("main-0a1b2c3d.css.gz", "css gzip"), ("index.html", "<p>page</p>"), ("index.html.br", "page brotli")] {
        std::fs::write(dist.join(name), body).unwrap();
    }
    let root = dist.clone();
    let h = handler("", move |c| c.dist = Some(root)).await;
    let wasm = "/settings/app-0a1b2c3d_bg.wasm";
    let cases = [
        (wasm, "gzip, deflate, br, zstd", Some("br"), "brotli"),
        (wasm, "gzip", Some("gzip"), "gzip"),
        (wasm, "br;q=0, gzip", Some("gzip"), "gzip"),
        (wasm, "", None, "raw"),
        (wasm, "identity", None, "raw"),
        // No brotli copy of this one: gzip, the next best.
        ("/settings/main-0a1b2c3d.css", "br, gzip", Some("gzip"), "css gzip"),
        ("/settings/", "br", Some("br"), "page brotli"),
        ("/settings/", "gzip", None, "<p>page</p>"),
    ];
    for (path, accept, coding, body) in cases {
        let (status, got, vary, bytes) = get(&h, path, accept).await;
        assert_eq!((status, got.as_deref(), String::from_utf8_lossy(&bytes).as_ref()), (200, coding, body), "{path} with {accept:?}");
        assert_eq!(vary.as_deref(), Some("accept-encoding"), "{path}: caches keep the copies apart");
    }
    // The copies are not pages of their own to find by a guessed name: a request for one gets it
    // as the bytes it is, never decoded twice.
    let (status, coding, _, bytes) = get(&h, "/settings/app-0a1b2c3d_bg.wasm.br", "br").await;
    assert_eq!((status, coding, bytes), (200, None, b"brotli".to_vec()));
}
