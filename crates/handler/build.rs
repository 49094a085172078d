//! Lists the handler's rules for `src/rules/mod.rs`: every file in `src/rules/` but `mod.rs` is one
//! rule, a unit struct named after its file (`timeline_comment.rs` holds `TimelineComment`). So a
//! new rule is its file, and its entry in the model's manifest; nothing else names it.

use std::path::Path;

fn type_name(module: &str) -> String {
    let mut out = String::new();
    for part in module.split('_').filter(|p| !p.is_empty()) {
        out += &part[..1].to_ascii_uppercase();
        out += &part[1..];
    }
    out
}

fn main() {
    let dir = Path::new(&std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR")).join("src/rules");
    // A directory is watched as a whole: a new rule file runs this again.
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut modules: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter_map(|name| Some(name.strip_suffix(".rs")?.to_string()))
        .filter(|module| module != "mod" && !module.is_empty() && module.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'))
        .collect();
    modules.sort();
    let mut list = String::from("rules! {\n");
    for module in &modules {
        let path = dir.join(format!("{module}.rs"));
        list += &format!("    {module} => {} @ {:?},\n", type_name(module), path.display().to_string());
    }
    list += "}\n";
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("rules.rs");
    std::fs::write(&out, list).unwrap_or_else(|e| panic!("cannot write {}: {e}", out.display()));
}
