//! What the sandbox's tests share: a sandbox on free ports, REST calls with its token, and a
//! stand-in for a rule's handler.
#![allow(dead_code)] // each test binary uses its own part

pub mod page;

use rulekit_sandbox::{start, Config, Running};
use serde_json::{json, Value};
use std::io::{Read, Write};

pub async fn sandbox(config: Config) -> Running {
    start(Config { dist: xtask::root().join("dist"), ..config }).await.expect("the sandbox starts")
}

/// The access token, read from the page the way the frame gets it.
pub fn token(running: &Running) -> String {
    running.sandbox.with_state(|st| st.tokens.access.clone())
}

/// One request to the portal; the status and the JSON body.
pub fn http(running: &Running, method: &str, path: &str, content_type: &str, body: &str) -> (u16, Value) {
    let a = xtask::http::request(running.portal, method, path, content_type, body.as_bytes()).unwrap();
    (a.status, a.json())
}

pub fn call(running: &Running, method: &str, mut params: Value) -> (u16, Value) {
    params["auth"] = json!(token(running));
    let body = params.to_string();
    tokio::task::block_in_place(|| http(running, "POST", &format!("/rest/{method}.json"), "application/json", &body))
}

pub fn error_of(reply: &(u16, Value)) -> (u16, String) {
    (reply.0, reply.1["error"].as_str().unwrap_or("").to_string())
}

/// A one-shot HTTP receiver standing in for a rule's handler: it keeps the body it was sent.
pub fn capture() -> (String, std::sync::mpsc::Receiver<String>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://127.0.0.1:{}/run", listener.local_addr().unwrap().port());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let mut data = Vec::new();
        let mut buf = [0u8; 65536];
        loop {
            let n = s.read(&mut buf).unwrap();
            data.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&data).to_string();
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let len: usize = head.lines().find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap_or(0))).unwrap_or(0);
                if body.len() >= len {
                    let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    let _ = tx.send(body.to_string());
                    return;
                }
            }
        }
    });
    (url, rx)
}

/// A REST call with a given token (another user's, from `Sandbox::token_for`).
pub fn call_with(running: &Running, token: &str, method: &str, mut params: Value) -> (u16, Value) {
    params["auth"] = json!(token);
    let body = params.to_string();
    tokio::task::block_in_place(|| http(running, "POST", &format!("/rest/{method}.json"), "application/json", &body))
}

/// The `ID`s of a list answer's rows.
pub fn ids(reply: &(u16, Value)) -> Vec<String> {
    reply.1["result"].as_array().into_iter().flatten().filter_map(|r| r["ID"].as_str().map(str::to_string)).collect()
}
