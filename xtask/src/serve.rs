//! A plain static file server for `dist/`, as any CDN would be: GET only, from any base path, and
//! every script, wasm and stylesheet compressed (brotli, else gzip) as the browser accepts. The one change it can make is the one the sandbox makes: point the BX24.js
//! script address at a local stand-in, since the official host is out of reach here. It caches as
//! the handler does in production: files with a content hash in their name are immutable,
//! `index.html` (and anything unhashed) is revalidated, so a repeat open in the bench loads from
//! the browser's cache as a returning user's would.
//!
//! Below it, what `cargo xtask run` serves with (here, in the library, so a test can stop it as a
//! person would): the check that its ports are free, and the servers run until it is stopped.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub use rulekit_model::site::BX24_SCRIPT;
use rulekit_model::site::{accepted_encodings, candidates, compressible, content_type};
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
    let compressed = Compressed::default();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            if stop2.load(Ordering::SeqCst) {
                break;
            }
            let Ok(stream) = stream else { continue };
            let (dist, base, stub, compressed) = (dist.clone(), base2.clone(), stub_config.clone(), compressed.clone());
            std::thread::spawn(move || {
                let _ = handle(stream, &dist, &base, stub.as_deref(), &compressed);
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

/// The `Cache-Control` of a served file. A hashed name (trunk's `rulekit-9a1ad0b43cd9762d_bg.wasm`,
/// Vite's `index-C7ep1-LM.css`) never changes content: a dash, then at least 8 letters, digits,
/// `_` or `-` with a digit or a capital among them (so `robot-designer` or `bx24_stub` are not).
pub fn cache_control(file: &str) -> &'static str {
    let name = file.rsplit('/').next().unwrap_or(file);
    let stem = name.split('.').next().unwrap_or(name);
    let hashed = stem.split_once('-').is_some_and(|(_, tail)| {
        tail.len() >= 8
            && tail.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            && tail.chars().any(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
    });
    if hashed && name != "index.html" {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

/// The files compressed so far, by path and encoding: a CDN compresses each once, as it is first
/// asked for (the peer's `dist/` has no precompressed copies, rulekit's has; both go out the same).
type Compressed = Arc<Mutex<HashMap<(PathBuf, &'static str), Arc<Vec<u8>>>>>;

/// `file` in the best encoding `accept` allows: (body, content-encoding). Its precompressed copy
/// when `cargo xtask build` wrote one (the console's wasm takes seconds to compress), else
/// compressed now, once.
fn encoded(file: &Path, bytes: Vec<u8>, accept: &str, compressed: &Compressed) -> (Vec<u8>, Option<&'static str>) {
    // The copies are found as the handler finds them (`site::candidates`).
    let (dir, name) = (file.parent().unwrap_or(file), file.file_name().map(|n| n.to_string_lossy()).unwrap_or_default());
    let copy = candidates(&name, accept).into_iter().find_map(|(copy, coding)| Some((std::fs::read(dir.join(copy)).ok()?, coding?)));
    if let Some((body, coding)) = copy {
        return (body, Some(coding));
    }
    let Some((coding, _)) = accepted_encodings(accept).into_iter().next() else { return (bytes, None) };
    let key = (file.to_path_buf(), coding);
    let cached = compressed.lock().ok().and_then(|c| c.get(&key).cloned());
    let body = cached.unwrap_or_else(|| {
        let body = Arc::new(if coding == "br" { crate::precompress::brotli(&bytes) } else { crate::precompress::gzip(&bytes) });
        if let Ok(mut c) = compressed.lock() {
            c.insert(key, body.clone());
        }
        body
    });
    (body.to_vec(), Some(coding))
}

fn handle(mut stream: TcpStream, dist: &Path, base: &str, stub: Option<&str>, compressed: &Compressed) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Of the headers, only what the browser accepts compressed matters here.
    let (mut line, mut accept) = (String::new(), String::new());
    while reader.read_line(&mut line)? > 2 {
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("accept-encoding") {
                accept = value.trim().to_string();
            }
        }
        line.clear();
    }
    let mut coding = None;
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
            // Compressed as a CDN would: every page, script, wasm and stylesheet but the index,
            // which is tiny and which tests rewrite on disk.
            (true, Ok(bytes)) if compressible(rel) && rel != "index.html" => {
                let (body, used) = encoded(&file, bytes, &accept, compressed);
                coding = used;
                ("200 OK", content_type(rel), body)
            }
            (true, Ok(bytes)) => ("200 OK", content_type(rel), bytes),
            _ => ("404 Not Found", "text/plain", b"not found\n".to_vec()),
        }
    } else {
        ("404 Not Found", "text/plain", b"not found\n".to_vec())
    };
    // The base path itself is `index.html`: its last segment is empty, so it is revalidated too.
    let cache = if status.starts_with("200") { cache_control(path) } else { "no-store" };
    let encoding = coding.map(|c| ["Content-Encoding: ", c, "\r\nVary: Accept-Encoding\r\n"].concat()).unwrap_or_default();
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: {cache}\r\n{encoding}Connection: close\r\n\r\n",
        body.len()
    )?;
    if method != "HEAD" {
        stream.write_all(&body)?;
    }
    stream.flush()
}

/// Checks that each port `cargo xtask run` serves on is free, before anything is built or started:
/// a port in use is named, with whose it was to be, instead of a server failing later with an OS
/// error. `ports`: `(port, "the handler")`.
pub fn ports_free(ports: &[(u16, &str)]) -> Result<(), String> {
    for (port, who) in ports {
        // The listener is dropped at once: the check only asks whether the port can be had.
        if let Err(e) = TcpListener::bind(("127.0.0.1", *port)) {
            return Err(match e.kind() {
                std::io::ErrorKind::AddrInUse => format!(
                    "port {port} is already in use ({who} listens there): stop what uses it (another `cargo xtask run`?) and run again"
                ),
                _ => format!("cannot listen on port {port} ({who} listens there): {e}"),
            });
        }
    }
    Ok(())
}

/// Runs `servers` (`(command, "the handler")`) until one of them ends or this process is told to
/// stop (Ctrl-C, SIGTERM, a closed terminal); then stops and reaps every one, so no server outlives
/// the command and its ports are free when this returns. The signals are watched before anything
/// starts, so a stop that comes early cannot leave a server behind.
pub async fn serve_until_stopped(servers: Vec<(std::process::Command, &str)>) -> Result<(), String> {
    use tokio::signal::unix::{signal, SignalKind};
    let watch = |kind| signal(kind).map_err(|e| format!("cannot watch signals: {e}"));
    let (mut int, mut term, mut hup) = (watch(SignalKind::interrupt())?, watch(SignalKind::terminate())?, watch(SignalKind::hangup())?);
    let mut children = Vec::new();
    for (command, who) in servers {
        // kill_on_drop: if starting the next one fails, the ones started are stopped with it.
        let child = tokio::process::Command::from(command).kill_on_drop(true).spawn().map_err(|e| format!("cannot start {who}: {e}"))?;
        children.push((child, who));
    }
    let mut tick = tokio::time::interval(std::time::Duration::from_millis(100));
    let outcome = loop {
        tokio::select! {
            // A stop first: on Ctrl-C the servers get the signal too, and their ending then is
            // no failure.
            biased;
            _ = int.recv() => break Ok(()),
            _ = term.recv() => break Ok(()),
            _ = hup.recv() => break Ok(()),
            _ = tick.tick() => {
                let ended = children.iter_mut().find_map(|(c, who)| match c.try_wait() {
                    Ok(Some(status)) if status.success() => Some(Ok(())),
                    Ok(Some(status)) => Some(Err(format!("{who} stopped: {status}"))),
                    Ok(None) => None,
                    Err(e) => Some(Err(format!("{who}: {e}"))),
                });
                if let Some(outcome) = ended {
                    break outcome;
                }
            }
        }
    };
    for (child, _) in &mut children {
        // SIGKILL, then wait for it: the process is gone and its sockets closed.
        let _ = child.kill().await;
    }
    outcome
}

#[cfg(test)]
mod tests {
    #[test]
    fn hashed_files_are_immutable_and_the_rest_revalidated() {
        let immutable = "public, max-age=31536000, immutable";
        for f in ["rulekit-9a1ad0b43cd9762d_bg.wasm", "rulekit-9a1ad0b43cd9762d.js", "main-a6a3b038b710f4c.css", "assets/index-C7ep1-LM.css", "assets/index-CHQvXXXW.js"] {
            assert_eq!(super::cache_control(f), immutable, "{f}");
        }
        for f in ["index.html", "console/index.html", "__stub/bx24_stub.js", "robot-designer.json", "config.json"] {
            assert_eq!(super::cache_control(f), "no-cache", "{f}");
        }
    }

    #[test]
    fn a_port_in_use_is_named_with_whose_it_is() {
        let held = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = held.local_addr().unwrap().port();
        let e = super::ports_free(&[(port, "the handler")]).unwrap_err();
        assert!(e.starts_with(&format!("port {port} is already in use (the handler listens there)")), "{e}");
        drop(held);
        assert_eq!(super::ports_free(&[(port, "the handler")]), Ok(()));
    }
}
