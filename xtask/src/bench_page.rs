//! `cargo xtask bench pages`, second half: rulekit's settings page against a peer, the same form
//! written in Vue 3 (shared/peers/vue-settings: its built `dist/` only, none of its code is in
//! this repository). Both pages mark `rulekit:interactive`; the figure is that mark's startTime,
//! ms from navigation start. Both are served by the same static server (`serve_dist`: compressed
//! as the browser accepts, as a CDN and rulekit-handler serve them) with the same BX24 stand-in, and loaded alternately (rulekit,
//! peer, rulekit, …) in one headless Chromium per case, each from about:blank as a new frame
//! opens, so a busy moment of the machine falls on both.
//!
//! Chromium keeps compiled code in memory between pages of one renderer process: V8's
//! compilation cache (scripts by source) and its native module cache (wasm by its bytes). A
//! person's next open of the settings dialog is a new frame, usually in a new process, so both are
//! off (`--js-flags`); what a repeat open can reuse is on disk: the HTTP cache and Chromium's code
//! cache (`<profile>/Default/Code Cache/{js,wasm}`). After each warm case a few more loads run
//! traced (V8's `v8.wasm` trace category, from chromedriver's performance log) to tell whether
//! the wasm was compiled while streaming (`wasm.StartStreamingCompilation`), read from that code
//! cache (`wasm.Deserialize`) or taken from memory (`wasm.GetNativeModuleFromCache`).
//!
//! What decides the wasm code cache (Chromium 156, V8's flags and Blink's
//! v8_wasm_response_extensions.cc): only a module compiled from a `Response` (instantiateStreaming
//! or compileStreaming, served as `application/wasm`) of at least 1 KB is cached, and only once
//! its optimizing tier has made 1,000 bytes of code and then been quiet for 2 s while the page is
//! still open. Its entry is tied to the HTTP cache's response: a response fetched anew (cold)
//! cannot use it. Found with this bench: V8 reschedules that 2 s wait in seconds where it means
//! milliseconds, so when the optimized code comes in more than one burst (100 and 500
//! properties) the entry is written minutes later (533 s in one try), not on a person's visit;
//! and with trunk's `<link rel="preload" as="fetch">` for the wasm in index.html, the fetch()
//! response never gets the entry that is there (the same dist without that link reads it), which
//! is one more reason `cargo xtask build` replaces that link with its early fetch (`early_wasm`).

use crate::bench::{brotli, generated_rule, percentile};
use crate::browser::Browser;
use crate::serve::{serve_dist, StaticServer, BX24_SCRIPT};
use serde_json::{json, Map, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Timed loads per page and case, after one discarded load of each.
const RUNS: usize = 15;
/// The environment variable naming the peer's `dist/` (or `--peer-dist DIR`).
pub const PEER_ENV: &str = "RULEKIT_PEER_DIST";
/// How long the first visit of a warm case stays on the form, as a person reading it would: V8
/// writes a wasm module to the code cache only once its optimizing tier has been quiet for 2 s
/// (`--wasm-caching-timeout-ms`), and only while the page is still open.
const DWELL: Duration = Duration::from_secs(3);
/// Traced repeat loads after a warm case.
const PROBES: usize = 3;

/// Takes `--peer-dist DIR` (or `--peer-dist=DIR`) out of the bench's arguments.
pub fn peer_flag(args: &mut Vec<String>) -> Result<Option<PathBuf>, String> {
    let Some(i) = args.iter().position(|a| a == "--peer-dist" || a.starts_with("--peer-dist=")) else { return Ok(None) };
    let flag = args.remove(i);
    match flag.strip_prefix("--peer-dist=") {
        Some(dir) => Ok(Some(dir.into())),
        None if i < args.len() => Ok(Some(args.remove(i).into())),
        None => Err("--peer-dist needs a folder: the Vue peer's dist/".into()),
    }
}

/// The peer's `dist/`: the flag, else `$RULEKIT_PEER_DIST`, else `shared/peers/vue-settings/dist`
/// beside the repository. Checked before anything is built: it must be there, and load BX24.js
/// with exactly the tag the server swaps for the local stand-in (else the page would reach out).
pub fn peer_dist(flag: Option<PathBuf>) -> Result<PathBuf, String> {
    let default = crate::root().join("../shared/peers/vue-settings/dist");
    let dir = flag.or_else(|| std::env::var_os(PEER_ENV).map(PathBuf::from)).unwrap_or(default);
    let index = std::fs::read_to_string(dir.join("index.html")).map_err(|e| {
        format!(
            "the Vue peer's built files are not at {} ({e} for its index.html): point `--peer-dist DIR` or {PEER_ENV}=DIR \
             at the peer's dist/ (shared/peers/vue-settings/dist, see its README)",
            dir.display()
        )
    })?;
    if !index.contains(BX24_SCRIPT) {
        return Err(format!(
            "{}/index.html does not load BX24.js with {BX24_SCRIPT}: the bench replaces only that tag with the local stand-in",
            dir.display()
        ));
    }
    Ok(dir)
}

/// Raw and brotli-11 bytes of a page's files by kind (wasm, js, css, html) and in total: the
/// folder's own files, and with `nested` those below it too (the peer's `assets/`; rulekit's
/// `console/` is another bundle).
fn transfer_sizes(dir: &Path, nested: bool) -> Result<Vec<(&'static str, usize, usize)>, String> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).map_err(|e| format!("{}: {e}", folder.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            match path.is_dir() {
                true if nested => folders.push(path),
                true => {}
                false => files.push(path),
            }
        }
    }
    let mut rows: Vec<_> = ["wasm", "js", "css", "html"].into_iter().map(|k| (k, 0, 0)).collect();
    for path in files {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if let Some(row) = rows.iter_mut().find(|r| r.0 == ext) {
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            row.1 += bytes.len();
            row.2 += brotli(&bytes);
        }
    }
    let total = rows.iter().fold((0, 0), |t, r| (t.0 + r.1, t.1 + r.2));
    rows.push(("total", total.0, total.1));
    Ok(rows)
}

/// The network of a case, set over the DevTools protocol before the first load.
#[derive(Clone, Copy, PartialEq)]
enum Net {
    Cold,
    Throttled,
    Warm,
}

impl Net {
    fn label(self) -> &'static str {
        match self {
            Net::Cold => "cold",
            Net::Throttled => "10 Mbit/s, 40 ms, cold",
            Net::Warm => "warm repeat",
        }
    }

    async fn apply(self, browser: &Browser) -> Result<(), String> {
        browser.cdp("Network.enable", json!({})).await?;
        if self == Net::Warm {
            return Ok(());
        }
        // Cold: every request bypasses the HTTP cache, for the whole session. Chosen over
        // `Network.clearBrowserCache` before each load, which wipes the disk cache as a job of its
        // own that can still be running into the next load; bypassing needs no such job. And with
        // every response fresh from the network, Chromium's code cache cannot be used either: its
        // entries count only for the exact response (time) they were made from.
        browser.cdp("Network.setCacheDisabled", json!({"cacheDisabled": true})).await?;
        if self == Net::Throttled {
            // 10 Mbit/s down, 40 ms from request to response headers; the upload is not limited.
            let conditions = json!({"offline": false, "latency": 40, "downloadThroughput": 10_000_000 / 8, "uploadThroughput": -1});
            browser.cdp("Network.emulateNetworkConditions", conditions).await?;
        }
        Ok(())
    }
}

/// One load: navigation start → `rulekit:interactive` in ms. Fails if the page fetched anything
/// from another host than its own server.
async fn load(browser: &Browser, url: &str) -> Result<f64, String> {
    // From a blank page, as a new frame opens: else the previous page's teardown, which happens
    // after the next navigation has started, would count against the page that follows it.
    browser.client.goto("about:blank").await.map_err(|e| e.to_string())?;
    browser.client.goto(url).await.map_err(|e| e.to_string())?;
    if let Err(e) = browser.wait_for("performance.getEntriesByName('rulekit:interactive').length", Duration::from_secs(30)).await {
        let page = browser.eval("return [document.URL, document.readyState, document.body?.innerText.slice(0, 300)]").await;
        return Err(format!("{url}: {e}; the page: {}", page.unwrap_or_default()));
    }
    let v = browser
        .eval("return [performance.getEntriesByName('rulekit:interactive')[0].startTime, \
               performance.getEntriesByType('resource').map(e => e.name).filter(n => new URL(n).host !== location.host)];")
        .await?;
    if v[1].as_array().is_some_and(|a| !a.is_empty()) {
        return Err(format!("{url} fetched from elsewhere: {}", v[1]));
    }
    v[0].as_f64().ok_or_else(|| format!("no interactive mark on {url}"))
}

/// How many times each of `names` is in V8's trace since the last call. chromedriver ends the
/// trace to hand it over and starts a new one, and a load right then can go unrecorded: so the
/// trace is read only before and after the traced loads, with a pause after, and what it says is
/// counted, not assumed.
async fn trace_counts<const N: usize>(browser: &Browser, names: [&str; N]) -> Result<[usize; N], String> {
    let log = browser.performance_log().await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let events = log.iter().filter(|m| m["method"] == "Tracing.dataCollected");
    Ok(events.fold([0; N], |mut counts, e| {
        if let Some(i) = names.iter().position(|n| e["params"]["name"] == *n) {
            counts[i] += 1;
        }
        counts
    }))
}

/// Files and bytes of Chromium's wasm code cache in a profile (its index files not counted).
fn wasm_code_cache(profile: &Path) -> (usize, u64) {
    let dir = profile.join("Default/Code Cache/wasm");
    let entries = std::fs::read_dir(dir).into_iter().flatten().flatten();
    let files = entries.filter(|e| e.path().is_file() && e.file_name() != "index");
    files.fold((0, 0), |(n, bytes), e| (n + 1, bytes + e.metadata().map(|m| m.len()).unwrap_or(0)))
}

/// A headless Chromium on `profile`; `traced` puts V8's wasm trace in its performance log.
async fn chromium(profile: &Path, traced: bool) -> Result<Browser, String> {
    let user_data = format!("--user-data-dir={}", profile.display());
    let flags = [
        user_data.as_str(),
        // A new frame's start, not a reload's: V8's in-memory caches are off (see above).
        "--js-flags=--no-wasm-native-module-cache --no-compilation-cache",
        // Nothing but the loopback servers resolves: a stray request fails instead of leaving.
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        // A traced session otherwise stalls ~5 s on some navigations through about:blank (a
        // swapped renderer process); nothing here goes back or forward.
        "--disable-features=BackForwardCache,ProactivelySwapBrowsingInstance",
    ];
    let mut options = Map::new();
    if traced {
        options.insert("perfLoggingPrefs".into(), json!({"enableNetwork": false, "enablePage": false, "traceCategories": "v8.wasm"}));
    }
    Browser::start_with_options(&flags, options).await
}

/// Runs one case in a Chromium of its own (untraced: tracing slows navigations): the discarded
/// first load of each page, then `RUNS` loads of each, alternating. Returns the times per page.
async fn run_case(urls: [&str; 2], net: Net, profile: &Path) -> Result<[Vec<f64>; 2], String> {
    let browser = chromium(profile, false).await?;
    let times = async {
        net.apply(&browser).await?;
        for url in urls {
            load(&browser, url).await?;
            // In the warm case this is the visit before: the person reads the form.
            if net == Net::Warm {
                tokio::time::sleep(DWELL).await;
            }
        }
        let mut times = [Vec::new(), Vec::new()];
        for _ in 0..RUNS {
            for (page, url) in urls.into_iter().enumerate() {
                times[page].push(load(&browser, url).await?);
            }
        }
        Ok(times)
    }
    .await;
    // Closing ends Chromium, which writes out its caches for the profile to be read.
    browser.close().await;
    times
}

/// Repeat loads of rulekit's page on a warm case's profile, traced: how often V8 compiled the
/// wasm while streaming, read it from the code cache, or took it from memory.
async fn probe_warm(url: &str, profile: &Path) -> Result<[usize; 3], String> {
    let browser = chromium(profile, true).await?;
    let counts = async {
        Net::Warm.apply(&browser).await?;
        // A first load untraced: a fresh session's trace misses the load after its first hand-over.
        load(&browser, url).await?;
        let events = ["wasm.StartStreamingCompilation", "wasm.Deserialize", "wasm.GetNativeModuleFromCache"];
        trace_counts(&browser, events).await?;
        for _ in 0..PROBES {
            load(&browser, url).await?;
        }
        // And the last load's renderer done with, so its part of the trace is handed over too.
        browser.client.goto("about:blank").await.map_err(|e| e.to_string())?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        trace_counts(&browser, events).await
    }
    .await;
    browser.close().await;
    counts
}

fn stub_config(options: &Value) -> String {
    json!({"init": {"LANG": "en", "PLACEMENT": "BIZPROC_ACTIVITY_PROPERTIES_DIALOG", "PLACEMENT_OPTIONS": options}}).to_string()
}

pub async fn run(dist: &Path, peer: &Path) -> Result<(), String> {
    println!("\nsettings page against the Vue 3 peer ({})", peer.display());
    println!("transfer (bytes)    rulekit raw  brotli-11    peer raw  brotli-11");
    let (ours, theirs) = (transfer_sizes(dist, false)?, transfer_sizes(peer, true)?);
    for ((kind, raw, br), (_, praw, pbr)) in ours.iter().zip(&theirs) {
        println!("{kind:<18} {raw:>12} {br:>10} {praw:>11} {pbr:>10}");
    }

    let fixture: Value = serde_json::from_str(&crate::fixture("placement-options.robot-designer.json")).map_err(|e| e.to_string())?;
    let rules = [("11 properties", fixture), ("100 properties", generated_rule(100)), ("500 properties", generated_rule(500))];
    println!("\npage load → rulekit:interactive (ms), median / p90 of {RUNS} loads each, rulekit and peer alternating");
    println!("{:<38} {:>17} {:>17} {:>8}", "case", "rulekit", "peer", "ratio");
    let started = Instant::now();
    let scratch = std::env::temp_dir().join(format!("rulekit-bench-{}", std::process::id()));
    let (mut notes, mut cold_cache) = (Vec::new(), Vec::new());
    for (i, (rule, options)) in rules.iter().enumerate() {
        let config = stub_config(options);
        let servers: [StaticServer; 2] = [
            serve_dist(dist.to_path_buf(), "/bench/", Some(config.clone())).map_err(|e| e.to_string())?,
            serve_dist(peer.to_path_buf(), "/bench/", Some(config)).map_err(|e| e.to_string())?,
        ];
        let urls = [servers[0].url(), servers[1].url()];
        for (j, net) in [Net::Cold, Net::Throttled, Net::Warm].into_iter().enumerate() {
            let profile = scratch.join(format!("{i}-{j}"));
            let mut times = run_case([&urls[0], &urls[1]], net, &profile).await?;
            times.iter_mut().for_each(|t| t.sort_by(f64::total_cmp));
            let [r, p] = &times;
            let (rm, pm) = (percentile(r, 0.5), percentile(p, 0.5));
            let case = format!("{rule}, {}", net.label());
            println!(
                "{case:<38} {rm:>7.1} / {:<7.1} {pm:>7.1} / {:<7.1} {:>7.2}x",
                percentile(r, 0.9), percentile(p, 0.9), rm / pm.max(0.001)
            );
            let (n, bytes) = wasm_code_cache(&profile);
            if net == Net::Warm {
                let state = if n > 0 { format!("used ({n} entries, {:.1} KB)", bytes as f64 / 1024.0) } else { "not used".into() };
                let [streamed, read, memory] = probe_warm(&urls[0], &profile).await?;
                notes.push(format!(
                    "{case}: wasm code cache: {state}; of {PROBES} traced repeat loads, {read} read it, {streamed} compiled while streaming, {memory} from memory"
                ));
            } else if n > 0 {
                cold_cache.push(format!("{case} ({n} entries)"));
            }
            let _ = std::fs::remove_dir_all(&profile);
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    println!();
    for note in notes {
        println!("{note}");
    }
    match cold_cache.is_empty() {
        true => println!("cold cases: the wasm code cache stayed empty (and every response bypassed the HTTP cache)"),
        false => println!("cold cases: the wasm code cache got entries in {}, unusable with the HTTP cache bypassed", cold_cache.join(", ")),
    }
    println!("({} timed loads in {:.0} s)", 2 * RUNS * 9, started.elapsed().as_secs_f64());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_peer_flag_is_taken_out_of_the_arguments() {
        let mut args: Vec<String> = ["pages", "--peer-dist", "/x/dist"].map(String::from).to_vec();
        assert_eq!(peer_flag(&mut args), Ok(Some(PathBuf::from("/x/dist"))));
        assert_eq!(args, ["pages"]);
        let mut args: Vec<String> = ["--peer-dist=/y"].map(String::from).to_vec();
        assert_eq!(peer_flag(&mut args), Ok(Some(PathBuf::from("/y"))));
        assert!(args.is_empty());
        assert!(peer_flag(&mut vec!["--peer-dist".into()]).is_err());
        assert_eq!(peer_flag(&mut vec!["pages".into()]), Ok(None));
    }

    #[test]
    fn a_missing_peer_is_named_with_how_to_point_at_it() {
        let e = peer_dist(Some("/nonexistent/vue-settings/dist".into())).unwrap_err();
        assert!(e.contains("/nonexistent/vue-settings/dist") && e.contains("--peer-dist") && e.contains(PEER_ENV), "{e}");
    }

    #[test]
    fn transfer_sizes_count_a_nested_folder_only_when_asked() {
        let dir = std::env::temp_dir().join(format!("rulekit-sizes-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("assets")).unwrap();
        std::fs::write(dir.join("index.html"), "<p>hi</p>").unwrap();
        std::fs::write(dir.join("assets/app-C7ep1-LM.js"), "let a = 1;").unwrap();
        let (flat, nested) = (transfer_sizes(&dir, false).unwrap(), transfer_sizes(&dir, true).unwrap());
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(flat.iter().find(|r| r.0 == "js").map(|r| r.1), Some(0));
        assert_eq!(nested.iter().find(|r| r.0 == "js").map(|r| r.1), Some(10));
        assert_eq!(nested.last().map(|r| (r.0, r.1)), Some(("total", 19)));
    }
}
