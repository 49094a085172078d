//! The settings page starts fetching and compiling its wasm from the first line of its head.
//!
//! Trunk's loader is a module script: it runs only once the whole page is parsed and the scripts
//! before it (BX24.js) have run, and only then starts compiling the wasm it preloaded. Here one
//! inline script at the top of the head starts `WebAssembly.compileStreaming` at once, so the wasm
//! compiles while it downloads and while BX24.js loads; the loader then instantiates the module
//! that is (nearly) ready. `cargo xtask build` applies it to trunk's `index.html`; a page built by
//! trunk alone still works, only later.

use std::path::Path;

/// The global the early script leaves the compiling module in.
const GLOBAL: &str = "rulekitWasm";

/// Rewrites `index` (trunk's page) for the wasm file `wasm`, or says what it did not find.
pub fn rewrite(index: &str, wasm: &str) -> Result<String, String> {
    if index.contains(GLOBAL) {
        return Ok(index.to_string());
    }
    let charset = "<meta charset=\"utf-8\" />";
    let loader = ["module_or_path: './", wasm, "'"].concat();
    let preload_start = ["<link rel=\"preload\" href=\"./", wasm, "\""].concat();
    let (Some(_), Some(_), Some(start)) = (index.find(charset), index.find(&loader), index.find(&preload_start)) else {
        return Err(format!("index.html is not as trunk writes it (its charset, its loader of {wasm} and its preload link)"));
    };
    let end = start + index[start..].find('>').ok_or("an unclosed preload link")? + 1;
    // Served as anything but application/wasm (a misconfigured host), the bytes are compiled whole.
    let early = [
        charset, "\n    <script>window.", GLOBAL, " = fetch(\"./", wasm, "\").then(function (r) { return r.headers.get(\"Content-Type\") === \"application/wasm\" ",
        "? WebAssembly.compileStreaming(r) : r.arrayBuffer().then(function (b) { return WebAssembly.compile(b); }); });</script>",
    ]
    .concat();
    // The early fetch replaces the preload, which would fetch the file a second time.
    let without_preload = [&index[..start], &index[end..]].concat();
    Ok(without_preload.replacen(charset, &early, 1).replacen(&loader, &["module_or_path: await window.", GLOBAL].concat(), 1))
}

/// Applies `rewrite` to `dist/index.html`.
pub fn apply(dist: &Path) -> Result<(), String> {
    let entries = std::fs::read_dir(dist).map_err(|e| format!("cannot read {}: {e}", dist.display()))?;
    let names: Vec<String> = entries.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    let wasm = names.iter().find(|n| n.ends_with("_bg.wasm")).ok_or_else(|| format!("no wasm in {}", dist.display()))?;
    let path = dist.join("index.html");
    let index = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    std::fs::write(&path, rewrite(&index, wasm)?).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::rewrite;

    const TRUNK: &str = "<html><head>\n    <meta charset=\"utf-8\" />\n    <script src=\"//api.bitrix24.com/api/v1/\"></script>\n\
        <script type=\"module\">\nimport init from './app-0a1b.js';\nconst wasm = await init({ module_or_path: './app-0a1b_bg.wasm' });\n</script>\n\
        <link rel=\"modulepreload\" href=\"./app-0a1b.js\"><link rel=\"preload\" href=\"./app-0a1b_bg.wasm\" crossorigin=\"anonymous\" as=\"fetch\" type=\"application/wasm\"></head>";

    #[test]
    fn the_wasm_starts_first_and_is_fetched_once() {
        let page = rewrite(TRUNK, "app-0a1b_bg.wasm").unwrap();
        let early = page.find("window.rulekitWasm = fetch(\"./app-0a1b_bg.wasm\")").expect("the early script");
        assert!(early < page.find("api.bitrix24.com").unwrap(), "before BX24.js");
        assert!(page.contains("init({ module_or_path: await window.rulekitWasm })"));
        assert_eq!(page.matches("app-0a1b_bg.wasm").count(), 1, "no preload beside the early fetch");
        assert!(page.contains("<link rel=\"modulepreload\" href=\"./app-0a1b.js\"></head>"), "the script's preload stays");
        assert_eq!(rewrite(&page, "app-0a1b_bg.wasm").unwrap(), page, "applied twice, it changes nothing");
    }

    #[test]
    fn a_page_not_shaped_as_trunk_writes_it_is_refused() {
        let other = TRUNK.replace("module_or_path", "path");
        assert!(rewrite(&other, "app-0a1b_bg.wasm").unwrap_err().contains("not as trunk writes it"));
    }
}
