//! A plain static file server for `dist/`, as any CDN would be: GET only, files as they are, from
//! any base path. The one change it can make is the one the sandbox makes: point the BX24.js
//! script address at a local stand-in, since the official host is out of reach here.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

pub use rulekit_model::site::BX24_SCRIPT;
use rulekit_model::site::content_type;
const STUB_PATH: &str = "/__stub/bx24_stub.js";

pub struct StaticServer {
    pub addr: SocketAddr,
    base: String,
    stop: Arc<AtomicBool>,
}

impl StaticServer {
    /// The URL of the app's page.
    pub fn url(&self) -> String {
        format!("http://{}{}", self.addr, self.base)
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
    }
}

/// Serves `dist` under `base` (e.g. `/apps/rulekit/`) on a free loopback port. With `stub_config`,
/// `index.html` loads the recording BX24 stand-in with that configuration instead of BX24.js.
pub fn serve_dist(dist: PathBuf, base: &str, stub_config: Option<String>) -> std::io::Result<StaticServer> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let stop = Arc::new(AtomicBool::new(false));
    let base = format!("/{}/", base.trim_matches('/')).replace("//", "/");
    let (stop2, base2) = (stop.clone(), base.clone());
    let stub_config = Arc::new(stub_config);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            if stop2.load(Ordering::SeqCst) {
                break;
            }
            let Ok(stream) = stream else { continue };
            let (dist, base, stub) = (dist.clone(), base2.clone(), stub_config.clone());
            std::thread::spawn(move || {
                let _ = handle(stream, &dist, &base, stub.as_deref());
            });
        }
    });
    Ok(StaticServer { addr, base, stop })
}

/// The index page with the stand-in in place of BX24.js.
pub fn with_stub(index: &str, config_json: &str) -> String {
    // A JS string literal holding the JSON, safe inside a <script> element.
    let literal = serde_json::to_string(config_json).unwrap_or_default().replace("</", "<\\/");
    let tag = format!(
        r#"<script type="module">import {{ install_stub }} from "{STUB_PATH}"; install_stub({literal});</script>"#
    );
    index.replace(BX24_SCRIPT, &tag)
}

fn handle(mut stream: TcpStream, dist: &Path, base: &str, stub: Option<&str>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Drain the headers; a static server needs none of them.
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    let path = target.split('?').next().unwrap_or("/");
    let (status, ctype, body): (&str, &str, Vec<u8>) = if method != "GET" && method != "HEAD" {
        ("405 Method Not Allowed", "text/plain", b"GET only\n".to_vec())
    } else if path == STUB_PATH && stub.is_some() {
        let file = crate::root().join("tests/support/bx24_stub.js");
        ("200 OK", content_type(STUB_PATH), std::fs::read(file)?)
    } else if let Some(rel) = path.strip_prefix(base).or_else(|| (path.to_string() + "/" == base).then_some("")) {
        let rel = if rel.is_empty() { "index.html" } else { rel };
        let file = dist.join(rel);
        let safe = Path::new(rel).components().all(|c| matches!(c, Component::Normal(_)));
        match (safe, std::fs::read(&file)) {
            (true, Ok(bytes)) if rel == "index.html" && stub.is_some() => {
                let page = with_stub(&String::from_utf8_lossy(&bytes), stub.unwrap_or("{}"));
                ("200 OK", content_type(rel), page.into_bytes())
            }
            (true, Ok(bytes)) => ("200 OK", content_type(rel), bytes),
            _ => ("404 Not Found", "text/plain", b"not found\n".to_vec()),
        }
    } else {
        ("404 Not Found", "text/plain", b"not found\n".to_vec())
    };
    write!(stream, "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len())?;
    if method != "HEAD" {
        stream.write_all(&body)?;
    }
    stream.flush()
}
