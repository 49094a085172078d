//! What the portal POSTs to the app's servers: install events and rule runs, form-encoded, as
//! Bitrix24's own servers send them.

use axum::body::Bytes;
use axum::http::header;
use std::time::Duration;

/// POSTs `body` to `url`; the status, or why there is none. The handler gets 10 s to answer.
pub async fn post_form(url: &str, body: String) -> Result<u16, String> {
    use http_body_util::Full;
    use hyper_util::client::legacy::Client;
    use hyper_util::rt::TokioExecutor;
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let request = axum::http::Request::post(url)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| e.to_string())?;
    match tokio::time::timeout(Duration::from_secs(10), client.request(request)).await {
        Ok(Ok(response)) => Ok(response.status().as_u16()),
        Ok(Err(e)) => Err(format!("cannot reach the handler: {e}")),
        Err(_) => Err("the handler did not answer within 10 s".into()),
    }
}
