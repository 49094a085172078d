//! `cargo xtask bench`: figures, not pass/fail. The dist's sizes, and the time from page load to
//! an interactive settings form in headless Chromium, for the fixture rule and for a generated rule
//! with 500 properties. Times vary with the machine: compare the two rules within one run.

use crate::browser::Browser;
use crate::serve::serve_dist;
use serde_json::{json, Map, Value};
use std::path::Path;
use std::time::Duration;

const RUNS: usize = 15;

fn gzip(bytes: &[u8]) -> usize {
    crate::precompress::gzip(bytes).len()
}

pub fn brotli(bytes: &[u8]) -> usize {
    crate::precompress::brotli(bytes).len()
}

/// Sizes of the dist's wasm, js and css files: raw, gzip -9 and brotli 11, with a total row.
pub fn sizes(dist: &Path) -> Result<Vec<(String, usize, usize, usize)>, String> {
    let mut rows = Vec::new();
    for kind in ["wasm", "js", "css"] {
        let (mut raw, mut gz, mut br) = (0, 0, 0);
        for entry in std::fs::read_dir(dist).map_err(|e| format!("{}: {e}", dist.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.extension().and_then(|e| e.to_str()) == Some(kind) {
                let bytes = std::fs::read(&path).map_err(|e| e.to_string())?;
                raw += bytes.len();
                gz += gzip(&bytes);
                br += brotli(&bytes);
            }
        }
        rows.push((kind.to_string(), raw, gz, br));
    }
    let total = rows.iter().fold((0, 0, 0), |t, r| (t.0 + r.1, t.1 + r.2, t.2 + r.3));
    rows.push(("total".into(), total.0, total.1, total.2));
    Ok(rows)
}

/// A rule with `n` properties of every kind, half of them with saved values.
pub fn generated_rule(n: usize) -> Value {
    let kinds = ["string", "text", "int", "double", "bool", "date", "datetime", "select", "user", "string"];
    let mut properties = Map::new();
    let mut values = Map::new();
    for i in 0..n {
        let kind = kinds[i % kinds.len()];
        let code = format!("p{i:03}");
        let multiple = i % 7 == 3;
        let mut d = json!({"NAME": {"EN": format!("Property {i}"), "DE": format!("Eigenschaft {i}")},
            "TYPE": kind, "REQUIRED": if i % 5 == 0 { "Y" } else { "N" }, "MULTIPLE": if multiple { "Y" } else { "N" }});
        if kind == "select" {
            d["OPTIONS"] = json!({"a": "Alpha", "b": "Beta", "c": "Gamma"});
        }
        if i % 2 == 0 {
            let v = match kind {
                "int" => json!("42"),
                "double" => json!("2.5"),
                "bool" => json!("Y"),
                "date" => json!("2026-11-27"),
                "datetime" => json!("2026-11-27 10:00:00"),
                "select" => json!("b"),
                "user" => json!("user_1"),
                _ => json!(format!("Value {i} for {{=Document:TITLE}}")),
            };
            values.insert(code.clone(), if multiple { json!([v]) } else { v });
        }
        properties.insert(code, d);
    }
    json!({"code": "bench", "activity_name": "A1", "properties": properties, "current_values": values,
        "document_type": ["crm", "CCrmDocumentDeal", "DEAL"],
        "document_fields": {"TITLE": {"Name": "Deal name", "Type": "string"}, "ID": {"Name": "ID", "Type": "int"}}})
}

fn stub_config(options: &Value) -> String {
    json!({"init": {"LANG": "en", "PLACEMENT": "BIZPROC_ACTIVITY_PROPERTIES_DIALOG", "PLACEMENT_OPTIONS": options}}).to_string()
}

pub(crate) fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// A server a bench started, stopped with the bench whatever happens.
pub(crate) struct Stopped(pub(crate) std::process::Child);

impl Drop for Stopped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Waits up to 10 s for `GET path` on `addr` to answer 200.
pub(crate) fn wait_until(addr: std::net::SocketAddr, path: &str, what: &str) -> Result<(), String> {
    for _ in 0..400 {
        if crate::http::request(addr, "GET", path, "text/plain", b"").is_ok_and(|a| a.status == 200) {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    Err(format!("the {what} did not start"))
}

/// Whether `taskset` is there to pin the servers and the load to cores of their own.
pub(crate) fn pinned() -> bool {
    use std::process::{Command, Stdio};
    Command::new("taskset").arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success())
}

/// Loads the page `RUNS` times and returns (page load → interactive, app start → interactive) in ms.
async fn time_to_interactive(dist: &Path, options: &Value) -> Result<(Vec<f64>, Vec<f64>), String> {
    let server = serve_dist(dist.to_path_buf(), "/bench/", Some(stub_config(options))).map_err(|e| e.to_string())?;
    let browser = Browser::start().await?;
    let (mut from_load, mut from_start) = (Vec::new(), Vec::new());
    for _ in 0..=RUNS {
        browser.client.goto(&server.url()).await.map_err(|e| e.to_string())?;
        browser.wait_for("performance.getEntriesByName('rulekit:interactive').length", Duration::from_secs(20)).await?;
        let t = browser
            .eval("const i = performance.getEntriesByName('rulekit:interactive')[0].startTime; \
                   const s = performance.getEntriesByName('rulekit:start')[0].startTime; return [i, i - s];")
            .await?;
        from_load.push(t[0].as_f64().unwrap_or(f64::NAN));
        from_start.push(t[1].as_f64().unwrap_or(f64::NAN));
    }
    browser.close().await;
    // The first load fills the browser's compile cache; keep the steady state.
    from_load.remove(0);
    from_start.remove(0);
    Ok((from_load, from_start))
}

pub async fn run(dist: &Path) -> Result<(), String> {
    // Two bundles on one host: the settings page every rule user loads, and the console.
    for (name, folder) in [("settings page (dist/)", dist.to_path_buf()), ("console (dist/console/)", dist.join("console"))] {
        println!("{name}: sizes (bytes)");
        println!("{:<6} {:>9} {:>9} {:>9}", "file", "raw", "gzip-9", "brotli-11");
        for (kind, raw, gz, br) in sizes(&folder)? {
            println!("{kind:<6} {raw:>9} {gz:>9} {br:>9}");
        }
        println!();
    }
    let fixture: Value = serde_json::from_str(&crate::fixture("placement-options.robot-designer.json")).map_err(|e| e.to_string())?;
    println!("\ntime to an interactive form, headless Chromium, median / p90 of {RUNS} loads (ms)");
    println!("{:<28} {:>22} {:>22}", "rule", "page load → ready", "app start → ready");
    let mut medians = Vec::new();
    for (name, options) in [("fixture (11 properties)", fixture), ("generated (500 properties)", generated_rule(500))] {
        let (mut load, mut start) = time_to_interactive(dist, &options).await?;
        load.sort_by(f64::total_cmp);
        start.sort_by(f64::total_cmp);
        println!(
            "{name:<28} {:>10.1} / {:<9.1} {:>10.1} / {:<9.1}",
            percentile(&load, 0.5), percentile(&load, 0.9), percentile(&start, 0.5), percentile(&start, 0.9)
        );
        medians.push(percentile(&start, 0.5));
    }
    println!("\nratio 500-property / fixture (app start → ready): {:.1}x", medians[1] / medians[0].max(0.001));
    Ok(())
}
