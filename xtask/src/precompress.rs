//! The precompressed copies of the built pages: `name.br` (brotli 11) and `name.gz` (gzip 9)
//! beside each page, script, wasm and stylesheet, made once at build time so that no server
//! compresses on every request. The handler sends the best one a browser accepts
//! (`rulekit_model::site::candidates`); so do static hosts that look for such copies.

use flate2::{write::GzEncoder, Compression};
use rulekit_model::site::compressible;
use std::io::Write;
use std::path::Path;

/// Brotli at its best (quality 11; the default window, which every browser accepts).
pub fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, ..Default::default() };
    let _ = brotli::BrotliCompress(&mut &bytes[..], &mut out, &params);
    out
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::best());
    let _ = e.write_all(bytes);
    e.finish().unwrap_or_default()
}

/// Writes the copies of every compressible file directly in `dir`. Returns how many files got
/// them.
pub fn precompress(dir: &Path) -> Result<usize, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut done = 0;
    for entry in entries.filter_map(|e| e.ok()) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !compressible(&name) || !entry.path().is_file() {
            continue;
        }
        let bytes = std::fs::read(entry.path()).map_err(|e| format!("cannot read {name}: {e}"))?;
        for (ext, copy) in [("br", brotli(&bytes)), ("gz", gzip(&bytes))] {
            let path = dir.join([name.as_str(), ".", ext].concat());
            std::fs::write(&path, copy).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
        done += 1;
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    #[test]
    fn each_copy_decodes_to_the_file_and_other_files_get_none() {
        let dir = std::env::temp_dir().join(format!("rulekit-precompress-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let text = "fn main() { /* a page */ }\n".repeat(200);
        std::fs::write(dir.join("app.js"), &text).unwrap();
        std::fs::write(dir.join("logo.png"), b"\x89PNG").unwrap();
        assert_eq!(super::precompress(&dir).unwrap(), 1);
        let br = std::fs::read(dir.join("app.js.br")).unwrap();
        let mut back = String::new();
        brotli::Decompressor::new(&br[..], 4096).read_to_string(&mut back).unwrap();
        assert_eq!(back, text);
        let gz = std::fs::read(dir.join("app.js.gz")).unwrap();
        let mut back = String::new();
        flate2::read::GzDecoder::new(&gz[..]).read_to_string(&mut back).unwrap();
        assert_eq!(back, text);
        assert!(br.len() < text.len() / 10, "compressed: {} of {}", br.len(), text.len());
        assert!(!dir.join("logo.png.br").exists() && !dir.join("logo.png.gz").exists());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
